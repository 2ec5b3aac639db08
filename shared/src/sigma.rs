//! Σ-protocols over Pedersen commitments, made non-interactive with the transcript.
//!
//! Notation: `G_0, G_1, …` are the message generators, `V` the value generator and
//! `H` the blinding generator of [`crate::pcs::generators`]. A vector commitment is
//! `⟨x, G⟩ + ρ·H`, a value commitment `v·V + ρ·H`; both are perfectly hiding when
//! `ρ` is uniform.
//!
//! * [`DotProductProof`] (Hyrax, Wahby et al. 2018, §4): given `C_x = ⟨x, G⟩ + ρ_x·H`,
//!   `C_y = y·V + ρ_y·H` and a public vector `a`, proves knowledge of openings with
//!   `⟨x, a⟩ = y`.
//!
//! It is special-sound (two accepting transcripts with distinct challenges yield
//! the openings) and special honest-verifier zero-knowledge: for any challenge `c`,
//! uniform responses determine the first messages, distributed exactly as in a real
//! run. `docs/PROTOCOL-zk.md` gives the simulators; the tests in
//! `crate::spartan::zk_tests` run them.

use crate::pcs::generators::{blinding_generator, value_generator};
use crate::transcript::{FiatShamir, Transcript};
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ff::{Field, Zero};

#[cfg(feature = "prover")]
use ark_ec::CurveGroup;
#[cfg(feature = "prover")]
use ark_ff::UniformRand;
#[cfg(feature = "prover")]
use ark_std::rand::{CryptoRng, RngCore};

/// A group element as a linear combination `Σ_j s_j·P_j` of known points, so that a
/// verifier can fold it into one multi-scalar multiplication.
pub(crate) type Combination = Vec<(G1Affine, Fr)>;

/// Protocol label of the hash that batches a dot-product proof's two equations.
const DOT_BATCHING: &[u8] = b"zkpolicy/dot-product-batching/v2";

/// Transcript labels of the Σ-protocol messages and challenges.
const DOT_FIRST: &[u8] = b"dot-product/first-message";
const DOT_CHALLENGE: &[u8] = b"dot-product/challenge";

/// `v·V + ρ·H`.
#[cfg(feature = "prover")]
pub(crate) fn commit_value(v: Fr, blind: Fr) -> G1Projective {
    G1Projective::from(value_generator()) * v + G1Projective::from(blinding_generator()) * blind
}

/// `⟨x, G⟩ + ρ·H` over the first `x.len()` generators of `gens`.
#[cfg(feature = "prover")]
pub(crate) fn commit_vector(gens: &[G1Affine], x: &[Fr], blind: Fr) -> G1Projective {
    // One MSM over (G_0, …, G_{n-1}, H): cheaper than a separate multiplication by H.
    let mut bases = Vec::with_capacity(x.len() + 1);
    bases.extend_from_slice(&gens[..x.len()]);
    bases.push(blinding_generator());
    let mut scalars = Vec::with_capacity(x.len() + 1);
    scalars.extend_from_slice(x);
    scalars.push(blind);
    crate::parallel::msm(&bases, &scalars)
}

/// A uniformly random scalar (a blind or a Σ-protocol mask).
#[cfg(feature = "prover")]
pub(crate) fn random_scalar<R: RngCore + CryptoRng>(rng: &mut R) -> Fr {
    Fr::rand(rng)
}

fn inner_product(a: &[Fr], b: &[Fr]) -> Fr {
    a.iter().zip(b).map(|(x, y)| *x * y).sum()
}

/// Proof that the vector committed in `C_x` has inner product `y` with a public
/// vector `a`, `y` being committed in `C_y`.
///
/// Messages: `δ = ⟨d, G⟩ + ρ_δ·H`, `β = ⟨d, a⟩·V + ρ_β·H` for random `d, ρ_δ, ρ_β`;
/// challenge `c`; responses `z = c·x + d`, `z_δ = c·ρ_x + ρ_δ`, `z_β = c·ρ_y + ρ_β`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotProductProof {
    /// `δ`, the commitment to the mask vector `d`.
    pub(crate) delta: G1Affine,
    /// `β`, the commitment to `⟨d, a⟩`.
    pub(crate) beta: G1Affine,
    /// `z = c·x + d`.
    pub(crate) z: Vec<Fr>,
    /// `z_δ = c·ρ_x + ρ_δ`.
    pub(crate) z_delta: Fr,
    /// `z_β = c·ρ_y + ρ_β`.
    pub(crate) z_beta: Fr,
}

impl DotProductProof {
    /// Proves `⟨x, a⟩ = y` for `C_x = ⟨x, G⟩ + blind_x·H`, `C_y = ⟨x, a⟩·V + blind_y·H`.
    /// The statement (`C_x`, `C_y`, `a`) must already be bound by the transcript.
    #[cfg(feature = "prover")]
    pub(crate) fn prove<R: RngCore + CryptoRng>(
        gens: &[G1Affine],
        x: &[Fr],
        blind_x: Fr,
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut R,
    ) -> Self {
        let d: Vec<Fr> = (0..x.len()).map(|_| random_scalar(rng)).collect();
        let (r_delta, r_beta) = (random_scalar(rng), random_scalar(rng));
        let first = G1Projective::normalize_batch(&[
            commit_vector(gens, &d, r_delta),
            commit_value(inner_product(&d, a), r_beta),
        ]);
        transcript.append_points(DOT_FIRST, &first);
        let c = transcript.challenge_scalar(DOT_CHALLENGE);
        DotProductProof {
            delta: first[0],
            beta: first[1],
            z: x.iter().zip(&d).map(|(x, d)| c * x + d).collect(),
            z_delta: c * blind_x + r_delta,
            z_beta: c * blind_y + r_beta,
        }
    }

    /// Checks the proof for `C_x`, `C_y` and `a` (`a.len()` must equal the proof's
    /// length, which callers fix from the key), the commitments given as linear
    /// combinations `Σ_j s_j·P_j` of points (see [`Combination`]). Returns whether both
    /// equations hold: `c·C_x + δ = ⟨z, G⟩ + z_δ·H` and `c·C_y + β = ⟨z, a⟩·V + z_β·H`.
    ///
    /// They are checked as one multi-scalar multiplication: `E_x + ρ·E_y = 0` for the
    /// differences `E_x`, `E_y` of the two sides and `ρ` hashed from `δ, β, c` and the
    /// responses, which determine `E_x` and `E_y` (the statement being bound by `c`).
    /// If either difference is nonzero, the sum is zero for at most one `ρ`.
    pub(crate) fn verify(
        &self,
        gens: &[G1Affine],
        cx: &Combination,
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
    ) -> bool {
        transcript.append_points(DOT_FIRST, &[self.delta, self.beta]);
        let c = transcript.challenge_scalar(DOT_CHALLENGE);
        if self.z.len() != a.len() || gens.len() < a.len() {
            return false;
        }
        let mut batching = Transcript::new(DOT_BATCHING);
        batching.append_points(b"first-message", &[self.delta, self.beta]);
        batching.append_scalars(b"challenge", &[c]);
        batching.append_scalars(b"response", &self.z);
        batching.append_scalars(b"response-blinds", &[self.z_delta, self.z_beta]);
        let rho = batching.challenge_scalar(b"rho");
        let n = self.z.len();
        let mut bases = Vec::with_capacity(n + 4 + cx.len() + cy.len());
        let mut scalars = Vec::with_capacity(bases.capacity());
        bases.extend_from_slice(&gens[..n]);
        scalars.extend_from_slice(&self.z);
        let fixed = [
            (blinding_generator(), self.z_delta + rho * self.z_beta),
            (value_generator(), rho * inner_product(&self.z, a)),
            (self.delta, -Fr::ONE),
            (self.beta, -rho),
        ];
        let terms = fixed
            .into_iter()
            .chain(cx.iter().map(|(p, s)| (*p, -c * s)))
            .chain(cy.iter().map(|(p, s)| (*p, -rho * c * s)));
        for (p, s) in terms {
            bases.push(p);
            scalars.push(s);
        }
        crate::parallel::msm(&bases, &scalars).is_zero()
    }
}

/// The honest-verifier zero-knowledge simulators: for a challenge `c` fixed in
/// advance, uniform responses and the first messages they determine.
#[cfg(all(test, feature = "prover"))]
pub(crate) mod simulate {
    use super::*;

    /// The sum of a [`Combination`].
    pub(crate) fn combine(terms: &Combination) -> G1Projective {
        terms.iter().map(|(p, s)| *p * s).sum()
    }

    /// An accepting [`DotProductProof`] for `(C_x, C_y, a)` and challenge `c`,
    /// without any opening.
    pub(crate) fn dot_product<R: RngCore + CryptoRng>(
        gens: &[G1Affine],
        cx: G1Projective,
        cy: G1Projective,
        a: &[Fr],
        c: Fr,
        rng: &mut R,
    ) -> DotProductProof {
        let z: Vec<Fr> = a.iter().map(|_| random_scalar(rng)).collect();
        let (z_delta, z_beta) = (random_scalar(rng), random_scalar(rng));
        let delta = commit_vector(gens, &z, z_delta) - cx * c;
        let beta = commit_value(inner_product(&z, a), z_beta) - cy * c;
        DotProductProof { delta: delta.into_affine(), beta: beta.into_affine(), z, z_delta, z_beta }
    }
}

#[cfg(all(test, feature = "prover"))]
mod tests {
    use super::*;
    use crate::pcs::generators::message_generators;
    use crate::transcript::Transcript;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn dot_product_proof_complete_and_sound_for_wrong_claims() {
        let mut rng = StdRng::seed_from_u64(1);
        let gens = message_generators(8);
        let x: Vec<Fr> = (0..8).map(|_| random_scalar(&mut rng)).collect();
        let a: Vec<Fr> = (0..8).map(|_| random_scalar(&mut rng)).collect();
        let (bx, by) = (random_scalar(&mut rng), random_scalar(&mut rng));
        let point = |p: G1Projective| vec![(p.into_affine(), Fr::ONE)];
        let cx = point(commit_vector(&gens, &x, bx));
        let cy = point(commit_value(inner_product(&x, &a), by));
        let proof = DotProductProof::prove(&gens, &x, bx, &a, by, &mut Transcript::new(b"t"), &mut rng);
        assert!(proof.verify(&gens, &cx, &cy, &a, &mut Transcript::new(b"t")));
        // The same commitments written as other combinations of points.
        let half = Fr::from(2u64).inverse().unwrap();
        let split = vec![(cx[0].0, half), (cx[0].0, half)];
        assert!(proof.verify(&gens, &split, &cy, &a, &mut Transcript::new(b"t")));
        let wrong_y = point(commit_value(inner_product(&x, &a) + Fr::from(1u64), by));
        assert!(!proof.verify(&gens, &cx, &wrong_y, &a, &mut Transcript::new(b"t")));
        assert!(!proof.verify(&gens, &cx, &cy, &a[..7], &mut Transcript::new(b"t")));
        // A wrong C_x, or a proof with a wrong first message or response, is rejected
        // although the other equation still holds.
        let wrong_x = point(commit_vector(&gens, &x, bx + Fr::ONE));
        assert!(!proof.verify(&gens, &wrong_x, &cy, &a, &mut Transcript::new(b"t")));
        let mut bad = proof.clone();
        bad.z_beta += Fr::ONE;
        assert!(!bad.verify(&gens, &cx, &cy, &a, &mut Transcript::new(b"t")));
        let mut bad = proof.clone();
        bad.z_delta += Fr::ONE;
        assert!(!bad.verify(&gens, &cx, &cy, &a, &mut Transcript::new(b"t")));
    }
}
