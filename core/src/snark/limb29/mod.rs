//! BN254's fields on 29-bit limbs, for the verifier on wasm32 (compiled there and in
//! tests only): one Montgomery implementation (`mont::Mont29`) for both fields, as
//! the base field `Fq` ([`Fq29`]: the field of the multi-scalar multiplications, which
//! `crate::snark::msm` instantiates its bucket method on there, and of the square roots
//! of point decompression, [`decompress`], picked by
//! [`crate::snark::encoding::read_points`]) and as the scalar field `Fr` ([`Fr29`]: the
//! `eq` tables and sparse bilinear forms of the verifier's step 5, through
//! `crate::snark::poly::FrRepr`).
//!
//! Arkworks' fields have four 64-bit limbs, whose 64×64→128-bit products wasm32
//! emulates in software; `Mont29` has nine 29-bit limbs, whose products are
//! single native 64-bit multiplications, about 1.7 times as fast in Node 20.
//! Results equal arkworks' for every input (the tests, run natively, check it);
//! native builds keep arkworks', the faster with 64-bit limbs.

mod decompress;
mod fq;
mod mont;

#[cfg(target_arch = "wasm32")]
pub(crate) use decompress::decompress;
pub(crate) use fq::Fq29;

/// An element of BN254's scalar field `Fr` on 29-bit limbs ([`mont`]'s representation).
pub(crate) type Fr29 = mont::Mont29<ark_bn254::FrConfig>;
