//! Optional parallelism: with the `parallel` feature, independent steps run on
//! two rayon threads; without it (the wasm build) they run one after the other.

use ark_bn254::{Fr, G1Affine, G1Projective};
#[cfg(not(target_arch = "wasm32"))]
use ark_ec::VariableBaseMSM;

/// Runs two independent closures, in parallel with the `parallel` feature.
pub(crate) fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(feature = "parallel")]
    return rayon::join(a, b);
    #[cfg(not(feature = "parallel"))]
    (a(), b())
}

/// `Σ_i scalars[i]·bases[i]` (equal lengths). With the `parallel` feature and at
/// least 64 terms, the two halves are computed on two threads. On wasm32 (never
/// `parallel`), by [`super::limb29::msm`], whose 29-bit limbs suit it better
/// than arkworks' 64-bit ones.
pub(crate) fn msm(bases: &[G1Affine], scalars: &[Fr]) -> G1Projective {
    debug_assert_eq!(bases.len(), scalars.len());
    #[cfg(target_arch = "wasm32")]
    return super::limb29::msm(bases, scalars);
    #[cfg(not(target_arch = "wasm32"))]
    if cfg!(feature = "parallel") && bases.len() >= 64 {
        let mid = bases.len() / 2;
        let (lo, hi) = join(
            || G1Projective::msm_unchecked(&bases[..mid], &scalars[..mid]),
            || G1Projective::msm_unchecked(&bases[mid..], &scalars[mid..]),
        );
        lo + hi
    } else {
        G1Projective::msm_unchecked(bases, scalars)
    }
}
