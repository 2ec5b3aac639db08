//! The sumcheck verifier: round messages in, the final claim and the point out.

use super::{labels, SumcheckProof};
use crate::snark::error::{SumcheckKind, VerifyError};
use crate::snark::transcript::FiatShamir;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

/// Lagrange basis weights `w_i = 1/Π_{j≠i}(i − j)` for the nodes `0, …, d`.
pub(super) fn lagrange_weights(d: usize) -> Vec<Fr> {
    (0..=d)
        .map(|i| {
            let denom =
                (0..=d).filter(|&j| j != i).fold(Fr::ONE, |acc, j| acc * (Fr::from(i as u64) - Fr::from(j as u64)));
            denom.inverse().expect("distinct nodes give a nonzero denominator")
        })
        .collect()
}

/// `g(r)` for the degree-`d` polynomial with values `ys[i] = g(i)`, `i = 0..=d`.
pub(super) fn interpolate(ys: &[Fr], weights: &[Fr], r: Fr) -> Fr {
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
