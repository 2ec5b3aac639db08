//! BN254's base field on 29-bit limbs, for the verifier on wasm32 (compiled there and
//! in tests only): the field of its multi-scalar multiplications ([`Fq29`], which
//! `crate::snark::msm` instantiates its bucket method on there) and the square roots of
//! point decompression ([`decompress`], picked by [`crate::snark::encoding::read_points`]).
//!
//! Arkworks' field has four 64-bit limbs, whose 64×64→128-bit products wasm32
//! emulates in software; [`fq::Fq29`] has nine 29-bit limbs, whose products are
//! single native 64-bit multiplications, about 1.7 times as fast in Node 20.
//! Results equal arkworks' for every input (the tests, run natively, check it);
//! native builds keep arkworks', the faster with 64-bit limbs.

mod decompress;
mod fq;

#[cfg(target_arch = "wasm32")]
pub(crate) use decompress::decompress;
pub(crate) use fq::Fq29;
