//! Proving the linear dot-product proof (prover only).

use super::super::{inner_product, labels, Message, Segment};
use super::LinearProof;
use crate::snark::pedersen::{fixed_base, Randomness};
use crate::snark::transcript::FiatShamir;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::CurveGroup;
use zeroize::Zeroize;

/// The prover's randomness for one [`LinearProof`], drawn before the statement is
/// known, with the part of its message that depends on nothing else:
/// `d`, `r_δ` and `⟨d, G⟩ + r_δ·H` on the segments' generators.
///
/// Secret and single-use: [`LinearProof::prove`] consumes it, and its scalars are
/// overwritten with zeros when it is dropped.
pub(crate) struct Nonce {
    d: Vec<Fr>,
    blind: Fr,
    commitment: G1Projective,
}

impl Nonce {
    /// Draws `d` (one scalar per generator of `gens`, the segments' generators in
    /// order), then `r_δ`, and commits to them on the fixed-base tables.
    pub(crate) fn draw(gens: &[&[G1Affine]], rng: &mut impl Randomness) -> Self {
        let n: usize = gens.iter().map(|g| g.len()).sum();
        let d: Vec<Fr> = (0..n).map(|_| rng.scalar()).collect();
        let blind = rng.scalar();
        let tables = fixed_base::RunTables::new(gens);
        let terms = tables.shifts().zip(d.iter().copied());
        let h = fixed_base::value_and_blinding().shifts(1);
        let commitment = fixed_base::msm(terms.chain([(h, blind)]));
        Nonce { d, blind, commitment }
    }

    /// A nonce for no entry, which proves nothing: what a spent one is replaced with.
    pub(crate) fn spent() -> Self {
        Nonce { d: Vec::new(), blind: Fr::from(0u64), commitment: G1Projective::default() }
    }

    /// The number of entries it was drawn for.
    pub(crate) fn len(&self) -> usize {
        self.d.len()
    }
}

impl Drop for Nonce {
    fn drop(&mut self) {
        self.d.zeroize();
        self.blind.zeroize();
    }
}

impl LinearProof {
    /// Proves `⟨x, a⟩ = y` for `x = (x_0 ‖ x_1 ‖ …)` the segments' vectors and
    /// `C_y = ⟨x, a⟩·V + blind_y·H`, with `nonce` drawn for the segments' generators
    /// (`a.len()` and `nonce.len()` must be the segments' total length). The statement
    /// must already be bound by the transcript.
    #[cfg(test)]
    pub(crate) fn prove(
        segments: &[Segment<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        nonce: Nonce,
    ) -> Self {
        Self::prove_with_hook(segments, a, blind_y, transcript, nonce, |_, _| {})
    }

    /// [`LinearProof::prove`], passing `[δ]` to `hook` (as [`Message::Final`]) just
    /// before it is absorbed (`spartan::adversary_tests`).
    pub(crate) fn prove_with_hook(
        segments: &[Segment<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        nonce: Nonce,
        mut hook: impl FnMut(Message, &mut [G1Affine]),
    ) -> Self {
        assert!(segments.iter().all(|s| s.gens.len() == s.x.len()), "one generator per entry");
        assert_eq!(a.len(), nonce.len(), "one weight and one nonce per entry");
        let w = transcript.challenge_scalar(labels::VALUE_WEIGHT);
        // δ = (⟨d, G⟩ + r_δ·H) + (w·⟨d, a⟩)·V.
        let v = fixed_base::value_and_blinding().shifts(0);
        let delta = nonce.commitment + fixed_base::msm([(v, w * inner_product(&nonce.d, a))]);
        let mut message = [delta.into_affine()];
        hook(Message::Final, &mut message);
        transcript.append_points(labels::LINEAR_MESSAGE, &message);
        let c = transcript.challenge_scalar(labels::LINEAR_CHALLENGE);
        let x = segments.iter().flat_map(|s| s.x);
        let blind = segments.iter().map(|s| s.blind).sum::<Fr>() + w * blind_y;
        LinearProof {
            delta: message[0],
            z: nonce.d.iter().zip(x).map(|(d, x)| *d + c * x).collect(),
            z_blind: nonce.blind + c * blind,
        }
    }
}
