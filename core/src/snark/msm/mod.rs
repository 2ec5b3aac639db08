//! Multi-scalar multiplication on BN254's G1 by the bucket method with affine bucket sums:
//! the verifier's variable-base MSM ([`msm`]) and the affine bucket additions that the
//! prover's fixed-base MSM (`crate::snark::pedersen`) shares with it. The verifier's
//! first splits every term by G1's endomorphism (`glv`: `k·P = k1·P + k2·φ(P)` with
//! 127-bit `k1`, `k2`).
//!
//! One implementation over a base-field trait (`field::BaseField`): natively arkworks' `Fq` (four 64-bit
//! limbs; inversions by Bernstein–Yang, `fq_inverse`), on wasm32 the 29-bit limbs of
//! `crate::snark::limb29`, whose products are native 64-bit multiplications there.
//! Results equal arkworks' `msm_unchecked` for every input (the tests check both
//! instantiations against it).

pub(crate) mod batch_affine;
pub(crate) mod field;
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
mod fq_inverse;
mod glv;
mod pippenger;
mod xyzz;

use ark_bn254::{Fr, G1Affine, G1Projective};

/// `Σ_i scalars[i]·bases[i]` over the common length of the two slices, the verifier's
/// multi-scalar multiplication: each term split in two with half-length scalars by the
/// curve's endomorphism (GLV), then the bucket method with signed digits, the buckets summed
/// in affine coordinates with one field inversion per level of pairwise additions; with
/// the `parallel` feature, its windows split over two threads. The same group element as
/// arkworks' `msm_unchecked`.
pub fn msm(bases: &[G1Affine], scalars: &[Fr]) -> G1Projective {
    #[cfg(target_arch = "wasm32")]
    return pippenger::msm::<crate::snark::limb29::Fq29>(bases, scalars);
    #[cfg(not(target_arch = "wasm32"))]
    pippenger::msm::<ark_bn254::Fq>(bases, scalars)
}
