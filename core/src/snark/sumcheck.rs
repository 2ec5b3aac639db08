//! The sumcheck protocol for the two sums Spartan needs, in its masked,
//! zero-knowledge form (Libra, Xie et al. 2019, §4).
//!
//! A sumcheck proves `Σ_{x ∈ {0,1}^n} g(x) = claim` for a polynomial `g` of
//! degree at most `d` in each variable. In round `k` the prover sends the
//! univariate `g_k(X) = Σ_{x_{k+1..}} g(r_0, …, r_{k-1}, X, x_{k+1}, …)`, the
//! verifier checks `g_k(0) + g_k(1) = claim_k`, draws `r_k` and continues with
//! `claim_{k+1} = g_k(r_k)`. At the end the verifier holds `claim_n = g(r)` and
//! checks it by other means.
//!
//! **Masking.** Sent as is, the round polynomials would reveal partial sums of
//! `g`, i.e. of the witness. So the prover runs the sumcheck on `g + ρ·p` instead,
//! where `p` is a random [`MaskPolynomial`] committed beforehand, `Σ_x p(x)` is sent
//! and `ρ` is a challenge drawn after it: the claim becomes `claim + ρ·Σ_x p(x)`
//! and the final value `g(r) + ρ·p(r)`. Each round polynomial then carries `d`
//! fresh uniform coefficients of `p_k`, so the rounds are uniformly distributed
//! given the round relations; the caller proves the mask's sum and `p(r)` against
//! its commitment (`docs/PROTOCOL-zk.md`). This module only sees `ρ·p` as an extra
//! summand of the rounds: the verifier side is the plain sumcheck.
//!
//! **Compact rounds.** A round message is `(g_k(0), g_k(2), …, g_k(d))`: `d`
//! values. The verifier sets `g_k(1) = claim_k − g_k(0)`, which enforces the
//! round check by construction, so a false claim surfaces in the final check.
//! Each message is absorbed into the transcript before `r_k` is drawn.
//!
//! The variables are bound first to last, matching [`crate::snark::poly`]'s order.

use crate::snark::error::{SumcheckKind, VerifyError};
#[cfg(feature = "prover")]
use crate::snark::poly::mask::MaskPolynomial;
use crate::snark::transcript::FiatShamir;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

/// The round messages of one sumcheck: `rounds[k] = (g_k(0), g_k(2), …, g_k(d))`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumcheckProof {
    /// One compressed round polynomial per variable.
    pub rounds: Vec<Vec<Fr>>,
}

/// Transcript labels (round message, challenge) of each sumcheck.
fn labels(kind: SumcheckKind) -> (&'static [u8], &'static [u8]) {
    match kind {
        SumcheckKind::Outer => (b"outer-sumcheck/round", b"outer-sumcheck/challenge"),
        SumcheckKind::Inner => (b"inner-sumcheck/round", b"inner-sumcheck/challenge"),
    }
}

/// Lagrange basis weights `w_i = 1/Π_{j≠i}(i − j)` for the nodes `0, …, d`.
fn lagrange_weights(d: usize) -> Vec<Fr> {
    (0..=d)
        .map(|i| {
            let denom =
                (0..=d).filter(|&j| j != i).fold(Fr::ONE, |acc, j| acc * (Fr::from(i as u64) - Fr::from(j as u64)));
            denom.inverse().expect("distinct nodes give a nonzero denominator")
        })
        .collect()
}

/// `g(r)` for the degree-`d` polynomial with values `ys[i] = g(i)`, `i = 0..=d`.
fn interpolate(ys: &[Fr], weights: &[Fr], r: Fr) -> Fr {
    // g(r) = Σ_i ys[i]·w_i·Π_{j≠i}(r − j), with prefix/suffix products of (r − j).
    let n = ys.len();
    let diffs: Vec<Fr> = (0..n).map(|j| r - Fr::from(j as u64)).collect();
    let mut suffix = vec![Fr::ONE; n + 1];
    for j in (0..n).rev() {
        suffix[j] = suffix[j + 1] * diffs[j];
    }
    let mut prefix = Fr::ONE;
    let mut acc = Fr::ZERO;
    for i in 0..n {
        acc += ys[i] * weights[i] * prefix * suffix[i + 1];
        prefix *= diffs[i];
    }
    acc
}

/// Verifies a sumcheck of `num_rounds` rounds of degree `degree` for `claim`.
/// Returns the final claim `g(r)` and the challenge point `r`; the caller must check
/// the final claim against its own evaluation of `g(r)`.
pub fn verify(
    kind: SumcheckKind,
    claim: Fr,
    num_rounds: usize,
    degree: usize,
    proof: &SumcheckProof,
    transcript: &mut impl FiatShamir,
) -> Result<(Fr, Vec<Fr>), VerifyError> {
    let what = match kind {
        SumcheckKind::Outer => "outer sumcheck rounds",
        SumcheckKind::Inner => "inner sumcheck rounds",
    };
    VerifyError::check_len(what, num_rounds, proof.rounds.len())?;
    let (round_label, challenge_label) = labels(kind);
    let weights = lagrange_weights(degree);
    let mut claim = claim;
    let mut point = Vec::with_capacity(num_rounds);
    let mut ys = vec![Fr::ZERO; degree + 1];
    for (round, msg) in proof.rounds.iter().enumerate() {
        if msg.len() != degree {
            return Err(VerifyError::SumcheckRound { sumcheck: kind, round });
        }
        transcript.append_scalars(round_label, msg);
        let r = transcript.challenge_scalar(challenge_label);
        // Round check g(0) + g(1) = claim, enforced by deriving g(1) from it.
        ys[0] = msg[0];
        ys[1] = claim - msg[0];
        ys[2..].copy_from_slice(&msg[1..]);
        claim = interpolate(&ys, &weights, r);
        point.push(r);
    }
    Ok((claim, point))
}

/// `ρ·p`, the masking summand of a sumcheck (see the module docs).
#[cfg(feature = "prover")]
pub struct Masking<'a> {
    /// The committed mask `p`.
    pub mask: &'a MaskPolynomial,
    /// The challenge `ρ`, drawn after `Σ_x p(x)` was absorbed.
    pub rho: Fr,
}

/// Adds `ρ·p_k(t)` to each value of a round message (`t = 0, 2, …, d`), passes it to
/// `hook` (the identity for the honest prover), absorbs it, draws `r_k` and binds the
/// mask's round variable to it.
#[cfg(feature = "prover")]
fn masked_round(
    kind: SumcheckKind,
    mut msg: Vec<Fr>,
    mask_rounds: &mut crate::snark::poly::mask::MaskRounds<'_>,
    rho: Fr,
    transcript: &mut impl FiatShamir,
    hook: impl FnOnce(&mut Vec<Fr>),
) -> (Vec<Fr>, Fr) {
    let (round_label, challenge_label) = labels(kind);
    for (value, t) in msg.iter_mut().zip(core::iter::once(0u64).chain(2..)) {
        *value += rho * mask_rounds.value(Fr::from(t));
    }
    hook(&mut msg);
    transcript.append_scalars(round_label, &msg);
    let r = transcript.challenge_scalar(challenge_label);
    mask_rounds.bind(r);
    (msg, r)
}

/// Prover for sumcheck #1: `Σ_x eq(x)·(a(x)·b(x) − c(x)) + ρ·p(x)`, degree 3.
/// Consumes the four tables (equal power-of-two lengths) and returns the proof, the
/// challenge point `r_x` and the final values `(ã(r_x), b̃(r_x), c̃(r_x))`.
#[cfg(feature = "prover")]
pub fn prove_outer(
    eq: Vec<Fr>,
    a: Vec<Fr>,
    b: Vec<Fr>,
    c: Vec<Fr>,
    masking: Masking<'_>,
    transcript: &mut impl FiatShamir,
) -> (SumcheckProof, Vec<Fr>, [Fr; 3]) {
    prove_outer_with_hook(eq, a, b, c, masking, transcript, |_, _| {})
}

/// [`prove_outer`], passing each round message `(round, message)` to `hook` just
/// before it is absorbed: a cheating prover's deviation, consistent with the
/// transcript (`spartan::adversary_tests`).
#[cfg(feature = "prover")]
pub(crate) fn prove_outer_with_hook(
    mut eq: Vec<Fr>,
    mut a: Vec<Fr>,
    mut b: Vec<Fr>,
    mut c: Vec<Fr>,
    masking: Masking<'_>,
    transcript: &mut impl FiatShamir,
    mut hook: impl FnMut(usize, &mut Vec<Fr>),
) -> (SumcheckProof, Vec<Fr>, [Fr; 3]) {
    let num_rounds = eq.len().trailing_zeros() as usize;
    let mut mask_rounds = masking.mask.rounds();
    let mut rounds = Vec::with_capacity(num_rounds);
    let mut point = Vec::with_capacity(num_rounds);
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
        let (msg, r) =
            masked_round(SumcheckKind::Outer, vec![g0, g2, g3], &mut mask_rounds, masking.rho, transcript, |msg| {
                hook(rounds.len(), msg)
            });
        for table in [&mut eq, &mut a, &mut b, &mut c] {
            crate::snark::poly::bind_first_var(table, r);
        }
        rounds.push(msg);
        point.push(r);
    }
    (SumcheckProof { rounds }, point, [a[0], b[0], c[0]])
}

/// Prover for sumcheck #2: `Σ_y m(y)·z(y) + ρ·p(y)`, degree 2.
/// Returns the proof, the challenge point `r_y` and `(m̃(r_y), z̃(r_y))`.
#[cfg(feature = "prover")]
pub fn prove_inner(
    m: Vec<Fr>,
    z: Vec<Fr>,
    masking: Masking<'_>,
    transcript: &mut impl FiatShamir,
) -> (SumcheckProof, Vec<Fr>, [Fr; 2]) {
    prove_inner_with_hook(m, z, masking, transcript, |_, _| {})
}

/// [`prove_inner`] with the round-message hook of [`prove_outer_with_hook`].
#[cfg(feature = "prover")]
pub(crate) fn prove_inner_with_hook(
    mut m: Vec<Fr>,
    mut z: Vec<Fr>,
    masking: Masking<'_>,
    transcript: &mut impl FiatShamir,
    mut hook: impl FnMut(usize, &mut Vec<Fr>),
) -> (SumcheckProof, Vec<Fr>, [Fr; 2]) {
    let num_rounds = m.len().trailing_zeros() as usize;
    let mut mask_rounds = masking.mask.rounds();
    let mut rounds = Vec::with_capacity(num_rounds);
    let mut point = Vec::with_capacity(num_rounds);
    for _ in 0..num_rounds {
        let half = m.len() / 2;
        let (mut g0, mut g2) = (Fr::ZERO, Fr::ZERO);
        for i in 0..half {
            let (m0, z0) = (m[i], z[i]);
            g0 += m0 * z0;
            g2 += (m[i + half].double() - m0) * (z[i + half].double() - z0);
        }
        let (msg, r) =
            masked_round(SumcheckKind::Inner, vec![g0, g2], &mut mask_rounds, masking.rho, transcript, |msg| {
                hook(rounds.len(), msg)
            });
        crate::snark::poly::bind_first_var(&mut m, r);
        crate::snark::poly::bind_first_var(&mut z, r);
        rounds.push(msg);
        point.push(r);
    }
    (SumcheckProof { rounds }, point, [m[0], z[0]])
}

#[cfg(all(test, feature = "prover"))]
mod tests {
    use super::*;
    use crate::snark::poly::mask::evaluation_weights;
    use crate::snark::poly::{eq_table, evaluate};
    use crate::snark::transcript::Transcript;
    use ark_ff::UniformRand;
    use proptest::prelude::*;
    use rand::{rngs::StdRng, SeedableRng};

    fn rand_vec(rng: &mut StdRng, n: usize) -> Vec<Fr> {
        (0..n).map(|_| Fr::rand(rng)).collect()
    }

    #[test]
    fn interpolation_is_exact_for_cubics() {
        let mut rng = StdRng::seed_from_u64(7);
        let coeffs = rand_vec(&mut rng, 4);
        let g = |x: Fr| coeffs.iter().rev().fold(Fr::ZERO, |acc, c| acc * x + c);
        let ys: Vec<Fr> = (0..4u64).map(|i| g(Fr::from(i))).collect();
        let r = Fr::rand(&mut rng);
        assert_eq!(interpolate(&ys, &lagrange_weights(3), r), g(r));
    }

    proptest! {
        #[test]
        fn outer_sumcheck_complete_and_final_claim_correct(seed in any::<u64>(), n in 1usize..7) {
            let mut rng = StdRng::seed_from_u64(seed);
            let len = 1 << n;
            let tau = rand_vec(&mut rng, n);
            let (a, b, c) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len), rand_vec(&mut rng, len));
            let eq = eq_table(&tau);
            let mask = MaskPolynomial::random(n, 3, &mut rng);
            let rho = Fr::rand(&mut rng);
            let claim: Fr = (0..len).map(|i| eq[i] * (a[i] * b[i] - c[i])).sum::<Fr>() + rho * mask.hypercube_sum();
            let mut tp = Transcript::new(b"test");
            let (proof, rp, finals) = prove_outer(eq, a.clone(), b.clone(), c.clone(), Masking { mask: &mask, rho }, &mut tp);
            let mut tv = Transcript::new(b"test");
            let (fin, rv) = verify(SumcheckKind::Outer, claim, n, 3, &proof, &mut tv).unwrap();
            prop_assert_eq!(&rp, &rv);
            prop_assert_eq!(finals, [evaluate(&a, &rv), evaluate(&b, &rv), evaluate(&c, &rv)]);
            let mask_eval: Fr = mask.coeffs().iter().zip(evaluation_weights(&rv, 3)).map(|(c, w)| *c * w).sum();
            prop_assert_eq!(fin, crate::snark::poly::eq_eval(&tau, &rv) * (finals[0] * finals[1] - finals[2]) + rho * mask_eval);
            // A wrong claim leads to a wrong final claim.
            let mut tw = Transcript::new(b"test");
            let (fin_bad, _) = verify(SumcheckKind::Outer, claim + Fr::ONE, n, 3, &proof, &mut tw).unwrap();
            prop_assert_ne!(fin_bad, fin);
        }

        #[test]
        fn inner_sumcheck_complete_and_final_claim_correct(seed in any::<u64>(), n in 1usize..7) {
            let mut rng = StdRng::seed_from_u64(seed);
            let len = 1 << n;
            let (m, z) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len));
            let mask = MaskPolynomial::random(n, 2, &mut rng);
            let rho = Fr::rand(&mut rng);
            let claim: Fr = m.iter().zip(&z).map(|(x, y)| *x * y).sum::<Fr>() + rho * mask.hypercube_sum();
            let mut tp = Transcript::new(b"test");
            let (proof, _, finals) = prove_inner(m.clone(), z.clone(), Masking { mask: &mask, rho }, &mut tp);
            let mut tv = Transcript::new(b"test");
            let (fin, rv) = verify(SumcheckKind::Inner, claim, n, 2, &proof, &mut tv).unwrap();
            prop_assert_eq!(finals, [evaluate(&m, &rv), evaluate(&z, &rv)]);
            let mask_eval: Fr = mask.coeffs().iter().zip(evaluation_weights(&rv, 2)).map(|(c, w)| *c * w).sum();
            prop_assert_eq!(fin, finals[0] * finals[1] + rho * mask_eval);
        }
    }

    #[test]
    fn wrong_shapes_are_rejected() {
        let proof = SumcheckProof { rounds: vec![vec![Fr::ZERO; 2], vec![Fr::ZERO; 3]] };
        let mut t = Transcript::new(b"test");
        assert_eq!(
            verify(SumcheckKind::Inner, Fr::ZERO, 2, 2, &proof, &mut t),
            Err(VerifyError::SumcheckRound { sumcheck: SumcheckKind::Inner, round: 1 })
        );
        let mut t = Transcript::new(b"test");
        assert!(matches!(
            verify(SumcheckKind::Inner, Fr::ZERO, 3, 2, &proof, &mut t),
            Err(VerifyError::Malformed { .. })
        ));
    }
}
