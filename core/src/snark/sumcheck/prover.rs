//! The sumcheck prover (feature `prover`): masked rounds for Spartan's two sums.

use super::{labels, SumcheckProof};
use crate::snark::error::SumcheckKind;
use crate::snark::poly::mask::{MaskPolynomial, MaskRounds};
use crate::snark::transcript::FiatShamir;
use ark_bn254::Fr;
use ark_ff::AdditiveGroup;

/// `ρ·p`, the masking summand of a sumcheck (see the module docs).
pub struct Masking<'a> {
    /// The committed mask `p`.
    pub mask: &'a MaskPolynomial,
    /// The challenge `ρ`, drawn after `Σ_x p(x)` was absorbed.
    pub rho: Fr,
}

/// Adds `ρ·p_k(t)` to each value of a round message (`t = 0, 2, …, d`), passes it to
/// `hook` (the identity for the honest prover), absorbs it, draws `r_k` and binds the
/// mask's round variable to it.
fn masked_round(
    kind: SumcheckKind,
    mut msg: Vec<Fr>,
    mask_rounds: &mut MaskRounds<'_>,
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
pub fn prove_inner(
    m: Vec<Fr>,
    z: Vec<Fr>,
    masking: Masking<'_>,
    transcript: &mut impl FiatShamir,
) -> (SumcheckProof, Vec<Fr>, [Fr; 2]) {
    prove_inner_with_hook(m, z, masking, transcript, |_, _| {})
}

/// [`prove_inner`] with the round-message hook of [`prove_outer_with_hook`].
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
