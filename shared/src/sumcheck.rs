//! The zero-knowledge sumcheck for the two sums Spartan needs (Hyrax §4, Spartan's NIZK).
//!
//! A sumcheck proves `Σ_{x ∈ {0,1}^n} g(x) = claim` for a polynomial `g` of
//! degree at most `d` in each variable. In round `k` the prover holds the
//! univariate `g_k(X) = Σ_{x_{k+1..}} g(r_0, …, r_{k-1}, X, x_{k+1}, …)`; the
//! relations are `g_0(0) + g_0(1) = claim`, `g_k(0) + g_k(1) = g_{k-1}(r_{k-1})`,
//! and at the end `g_{n-1}(r_{n-1}) = g(r)`, which the caller ties to other
//! committed values.
//!
//! **Committed rounds.** Instead of `g_k` the prover sends a hiding Pedersen
//! commitment to its coefficients `c_k = (c_{k,0}, …, c_{k,d})`, on its own block
//! of message generators: `C_k = Σ_j c_{k,j}·G_{k(d+1)+j} + ρ_k·H`. The challenge
//! `r_k` is drawn after `C_k` is absorbed. So `Σ_k C_k` commits to the concatenation
//! `c` of all coefficient vectors with blind `Σ_k ρ_k`.
//!
//! **One relation proof.** All `n + 1` round relations are linear in `c`; after
//! the caller has bound the claim and the final value (as commitments), a
//! challenge `β` batches them into `⟨c, a⟩ = claim − β^n·final` with
//! `a_k = β^k·(2, 1, …, 1) − β^{k+1}·(1, r_k, …, r_k^d)`, proven by one
//! [`DotProductProof`] against `Σ_k C_k` and `claim_commitment − β^n·final_commitment`.
//! A false relation survives the batching with probability at most `n/|F|`.
//!
//! The variables are bound first to last, matching [`crate::poly`]'s order.

use crate::error::{SumcheckKind, VerifyError};
use crate::pcs::generators::message_generators;
use crate::sigma::DotProductProof;
use crate::transcript::FiatShamir;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ff::Field;

#[cfg(feature = "prover")]
use crate::sigma::{commit_vector, random_scalar};
#[cfg(feature = "prover")]
use ark_ec::CurveGroup;
#[cfg(feature = "prover")]
use ark_ff::AdditiveGroup;
#[cfg(feature = "prover")]
use ark_std::rand::{CryptoRng, RngCore};

/// The round messages of one sumcheck: one commitment per round polynomial.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumcheckProof {
    /// `C_k`, the commitment to the coefficients of `g_k`.
    pub round_commitments: Vec<G1Affine>,
}

/// What the prover keeps to prove the round relations: all coefficients and the
/// sum of the round blinds.
#[cfg(feature = "prover")]
pub(crate) struct SumcheckWitness {
    coeffs: Vec<Fr>,
    blind: Fr,
}

/// Transcript labels (round commitment, challenge, relation batching) of each sumcheck.
fn labels(kind: SumcheckKind) -> (&'static [u8], &'static [u8], &'static [u8]) {
    match kind {
        SumcheckKind::Outer => (b"outer-sumcheck/round", b"outer-sumcheck/challenge", b"outer-sumcheck/batching"),
        SumcheckKind::Inner => (b"inner-sumcheck/round", b"inner-sumcheck/challenge", b"inner-sumcheck/batching"),
    }
}

/// The batched relation vector `a` (see the module docs) and `β^n`.
pub(crate) fn relation(point: &[Fr], degree: usize, beta: Fr) -> (Vec<Fr>, Fr) {
    let mut a = Vec::with_capacity(point.len() * (degree + 1));
    let mut beta_k = Fr::ONE;
    for r in point {
        let beta_next = beta_k * beta;
        let mut r_pow = Fr::ONE;
        for j in 0..=degree {
            let sum_weight = if j == 0 { beta_k + beta_k } else { beta_k };
            a.push(sum_weight - beta_next * r_pow);
            r_pow *= r;
        }
        beta_k = beta_next;
    }
    (a, beta_k)
}

/// Absorbs the round commitments of a sumcheck of `num_rounds` rounds and returns
/// the challenge point. The round relations are checked later by [`verify_relation`].
pub fn verify_rounds(
    kind: SumcheckKind,
    num_rounds: usize,
    proof: &SumcheckProof,
    transcript: &mut impl FiatShamir,
) -> Result<Vec<Fr>, VerifyError> {
    if proof.round_commitments.len() != num_rounds {
        return Err(VerifyError::Malformed {
            what: match kind {
                SumcheckKind::Outer => "outer sumcheck rounds",
                SumcheckKind::Inner => "inner sumcheck rounds",
            },
            expected: num_rounds,
            got: proof.round_commitments.len(),
        });
    }
    let (round_label, challenge_label, _) = labels(kind);
    Ok(proof
        .round_commitments
        .iter()
        .map(|c| {
            transcript.append_points(round_label, core::slice::from_ref(c));
            transcript.challenge_scalar(challenge_label)
        })
        .collect())
}

/// Checks the batched round relations: `relation_proof` shows that the committed
/// round polynomials go from the claim committed in `claim_commitment` to the
/// final value committed in `final_commitment` along `point`. Both commitments
/// must already be bound by the transcript.
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify_relation(
    kind: SumcheckKind,
    degree: usize,
    proof: &SumcheckProof,
    point: &[Fr],
    claim_commitment: G1Projective,
    final_commitment: G1Projective,
    relation_proof: &DotProductProof,
    transcript: &mut impl FiatShamir,
) -> bool {
    let beta = transcript.challenge_scalar(labels(kind).2);
    let (a, beta_n) = relation(point, degree, beta);
    let gens = message_generators(a.len());
    let cx: G1Projective = proof.round_commitments.iter().map(|c| G1Projective::from(*c)).sum();
    relation_proof.verify(&gens, cx, claim_commitment - final_commitment * beta_n, &a, transcript)
}

#[cfg(feature = "prover")]
impl SumcheckWitness {
    /// Proves the batched round relations (see [`verify_relation`]) given the blinds of
    /// the claim and final commitments.
    pub(crate) fn prove_relation<R: RngCore + CryptoRng>(
        &self,
        kind: SumcheckKind,
        degree: usize,
        point: &[Fr],
        (claim_blind, final_blind): (Fr, Fr),
        transcript: &mut impl FiatShamir,
        rng: &mut R,
    ) -> DotProductProof {
        let beta = transcript.challenge_scalar(labels(kind).2);
        let (a, beta_n) = relation(point, degree, beta);
        let gens = message_generators(a.len());
        DotProductProof::prove(&gens, &self.coeffs, self.blind, &a, claim_blind - beta_n * final_blind, transcript, rng)
    }
}

/// The coefficients of the degree-`d` polynomial with values `ys[i] = g(i)`,
/// `i = 0..=d` (Newton's forward differences, expanded).
#[cfg(feature = "prover")]
fn coefficients(ys: &[Fr]) -> Vec<Fr> {
    let d = ys.len() - 1;
    let mut diffs = ys.to_vec();
    let mut coeffs = vec![Fr::ZERO; d + 1];
    // basis = Π_{i<j} (X − i) / j!, in coefficient form.
    let mut basis = vec![Fr::ONE];
    for j in 0..=d {
        for (c, b) in coeffs.iter_mut().zip(&basis) {
            *c += diffs[0] * b;
        }
        for i in 0..d - j {
            diffs[i] = diffs[i + 1] - diffs[i];
        }
        // basis ← basis·(X − j)/(j + 1)
        let inv = Fr::from((j + 1) as u64).inverse().expect("nonzero");
        let shift = Fr::from(j as u64);
        let mut next = vec![Fr::ZERO; basis.len() + 1];
        for (i, b) in basis.iter().enumerate() {
            next[i + 1] += *b * inv;
            next[i] -= *b * shift * inv;
        }
        basis = next;
    }
    coeffs
}

/// The prover's state across the rounds of one sumcheck.
#[cfg(feature = "prover")]
struct RoundProver {
    kind: SumcheckKind,
    gens: std::sync::Arc<Vec<G1Affine>>,
    proof: SumcheckProof,
    witness: SumcheckWitness,
    point: Vec<Fr>,
    claim: Fr,
}

#[cfg(feature = "prover")]
impl RoundProver {
    fn new(kind: SumcheckKind, num_rounds: usize, degree: usize, claim: Fr) -> Self {
        RoundProver {
            kind,
            gens: message_generators(num_rounds * (degree + 1)),
            proof: SumcheckProof { round_commitments: Vec::with_capacity(num_rounds) },
            witness: SumcheckWitness { coeffs: Vec::with_capacity(num_rounds * (degree + 1)), blind: Fr::ZERO },
            point: Vec::with_capacity(num_rounds),
            claim,
        }
    }

    /// Commits to the round polynomial given its values at `0, 2, …, d` (its value
    /// at 1 is `claim − g(0)`), absorbs the commitment, draws and returns `r_k`.
    fn round<R: RngCore + CryptoRng>(&mut self, values: &[Fr], transcript: &mut impl FiatShamir, rng: &mut R) -> Fr {
        let (round_label, challenge_label, _) = labels(self.kind);
        let mut ys = Vec::with_capacity(values.len() + 1);
        ys.push(values[0]);
        ys.push(self.claim - values[0]);
        ys.extend_from_slice(&values[1..]);
        let coeffs = coefficients(&ys);
        let blind = random_scalar(rng);
        let start = self.point.len() * coeffs.len();
        let commitment = commit_vector(&self.gens[start..start + coeffs.len()], &coeffs, blind).into_affine();
        transcript.append_points(round_label, &[commitment]);
        let r = transcript.challenge_scalar(challenge_label);
        self.claim = coeffs.iter().rev().fold(Fr::ZERO, |acc, c| acc * r + c);
        self.proof.round_commitments.push(commitment);
        self.witness.coeffs.extend(coeffs);
        self.witness.blind += blind;
        self.point.push(r);
        r
    }
}

/// Prover for sumcheck #1: `Σ_x eq(x)·(a(x)·b(x) − c(x)) = 0`, degree 3.
/// Consumes the four tables (equal power-of-two lengths) and returns the round
/// commitments, the relation witness, the challenge point `r_x` and the final
/// values `(ã(r_x), b̃(r_x), c̃(r_x))`.
#[cfg(feature = "prover")]
pub(crate) fn prove_outer<R: RngCore + CryptoRng>(
    mut eq: Vec<Fr>,
    mut a: Vec<Fr>,
    mut b: Vec<Fr>,
    mut c: Vec<Fr>,
    transcript: &mut impl FiatShamir,
    rng: &mut R,
) -> (SumcheckProof, SumcheckWitness, Vec<Fr>, [Fr; 3]) {
    let num_rounds = eq.len().trailing_zeros() as usize;
    let mut prover = RoundProver::new(SumcheckKind::Outer, num_rounds, 3, Fr::ZERO);
    for _ in 0..num_rounds {
        let half = eq.len() / 2;
        // g(t) = Σ_i E_t·(A_t·B_t − C_t) with X_t = X_lo + t·(X_hi − X_lo), for t = 0, 2, 3.
        let (mut g0, mut g2, mut g3) = (Fr::ZERO, Fr::ZERO, Fr::ZERO);
        for i in 0..half {
            let (e0, a0, b0, c0) = (eq[i], a[i], b[i], c[i]);
            let (de, da, db, dc) = (eq[i + half] - e0, a[i + half] - a0, b[i + half] - b0, c[i + half] - c0);
            g0 += e0 * (a0 * b0 - c0);
            let (e2, a2, b2, c2) = (eq[i + half] + de, a[i + half] + da, b[i + half] + db, c[i + half] + dc);
            g2 += e2 * (a2 * b2 - c2);
            let (e3, a3, b3, c3) = (e2 + de, a2 + da, b2 + db, c2 + dc);
            g3 += e3 * (a3 * b3 - c3);
        }
        let r = prover.round(&[g0, g2, g3], transcript, rng);
        for table in [&mut eq, &mut a, &mut b, &mut c] {
            crate::poly::bind_first_var(table, r);
        }
    }
    (prover.proof, prover.witness, prover.point, [a[0], b[0], c[0]])
}

/// Prover for sumcheck #2: `Σ_y m(y)·z(y) = claim`, degree 2.
/// Returns the round commitments, the relation witness, the challenge point `r_y`
/// and `(m̃(r_y), z̃(r_y))`.
#[cfg(feature = "prover")]
pub(crate) fn prove_inner<R: RngCore + CryptoRng>(
    mut m: Vec<Fr>,
    mut z: Vec<Fr>,
    claim: Fr,
    transcript: &mut impl FiatShamir,
    rng: &mut R,
) -> (SumcheckProof, SumcheckWitness, Vec<Fr>, [Fr; 2]) {
    let num_rounds = m.len().trailing_zeros() as usize;
    let mut prover = RoundProver::new(SumcheckKind::Inner, num_rounds, 2, claim);
    for _ in 0..num_rounds {
        let half = m.len() / 2;
        let (mut g0, mut g2) = (Fr::ZERO, Fr::ZERO);
        for i in 0..half {
            let (m0, z0) = (m[i], z[i]);
            g0 += m0 * z0;
            g2 += (m[i + half].double() - m0) * (z[i + half].double() - z0);
        }
        let r = prover.round(&[g0, g2], transcript, rng);
        crate::poly::bind_first_var(&mut m, r);
        crate::poly::bind_first_var(&mut z, r);
    }
    (prover.proof, prover.witness, prover.point, [m[0], z[0]])
}

#[cfg(all(test, feature = "prover"))]
mod tests {
    use super::*;
    use crate::poly::{eq_table, evaluate};
    use crate::sigma::commit_value;
    use crate::transcript::Transcript;
    use proptest::prelude::*;
    use rand::{rngs::StdRng, SeedableRng};

    fn rand_vec(rng: &mut StdRng, n: usize) -> Vec<Fr> {
        (0..n).map(|_| random_scalar(rng)).collect()
    }

    #[test]
    fn coefficients_interpolate_cubics() {
        let mut rng = StdRng::seed_from_u64(7);
        let coeffs = rand_vec(&mut rng, 4);
        let g = |x: Fr| coeffs.iter().rev().fold(Fr::ZERO, |acc, c| acc * x + c);
        let ys: Vec<Fr> = (0..4u64).map(|i| g(Fr::from(i))).collect();
        assert_eq!(coefficients(&ys), coeffs);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        #[test]
        fn outer_sumcheck_complete_and_wrong_finals_rejected(seed in any::<u64>(), n in 1usize..6) {
            let mut rng = StdRng::seed_from_u64(seed);
            let len = 1 << n;
            let tau = rand_vec(&mut rng, n);
            let (a, b) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len));
            // A satisfied instance: c = a∘b, so the sum is 0.
            let c: Vec<Fr> = a.iter().zip(&b).map(|(x, y)| *x * y).collect();
            let mut tp = Transcript::new(b"test");
            let (proof, witness, rp, finals) = prove_outer(eq_table(&tau), a.clone(), b.clone(), c.clone(), &mut tp, &mut rng);
            prop_assert_eq!(finals, [evaluate(&a, &rp), evaluate(&b, &rp), evaluate(&c, &rp)]);
            let final_value = crate::poly::eq_eval(&tau, &rp) * (finals[0] * finals[1] - finals[2]);
            let fb = random_scalar(&mut rng);
            let relation_proof = witness.prove_relation(SumcheckKind::Outer, 3, &rp, (Fr::ZERO, fb), &mut tp, &mut rng);
            for (value, ok) in [(final_value, true), (final_value + Fr::ONE, false)] {
                let mut tv = Transcript::new(b"test");
                let rv = verify_rounds(SumcheckKind::Outer, n, &proof, &mut tv).unwrap();
                prop_assert_eq!(&rv, &rp);
                let accepted = verify_relation(SumcheckKind::Outer, 3, &proof, &rv, G1Projective::default(), commit_value(value, fb), &relation_proof, &mut tv);
                prop_assert_eq!(accepted, ok);
            }
        }

        #[test]
        fn inner_sumcheck_complete_and_wrong_claims_rejected(seed in any::<u64>(), n in 1usize..6) {
            let mut rng = StdRng::seed_from_u64(seed);
            let len = 1 << n;
            let (m, z) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len));
            let claim: Fr = m.iter().zip(&z).map(|(x, y)| *x * y).sum();
            let mut tp = Transcript::new(b"test");
            let (proof, witness, rp, finals) = prove_inner(m.clone(), z.clone(), claim, &mut tp, &mut rng);
            prop_assert_eq!(finals, [evaluate(&m, &rp), evaluate(&z, &rp)]);
            let (cb, fb) = (random_scalar(&mut rng), random_scalar(&mut rng));
            let relation_proof = witness.prove_relation(SumcheckKind::Inner, 2, &rp, (cb, fb), &mut tp, &mut rng);
            for (c, ok) in [(claim, true), (claim + Fr::ONE, false)] {
                let mut tv = Transcript::new(b"test");
                let rv = verify_rounds(SumcheckKind::Inner, n, &proof, &mut tv).unwrap();
                let accepted = verify_relation(SumcheckKind::Inner, 2, &proof, &rv, commit_value(c, cb), commit_value(finals[0] * finals[1], fb), &relation_proof, &mut tv);
                prop_assert_eq!(accepted, ok);
            }
        }
    }

    #[test]
    fn wrong_round_count_is_rejected() {
        let proof = SumcheckProof { round_commitments: vec![G1Affine::default(); 2] };
        let mut t = Transcript::new(b"test");
        assert!(matches!(verify_rounds(SumcheckKind::Inner, 3, &proof, &mut t), Err(VerifyError::Malformed { .. })));
    }
}
