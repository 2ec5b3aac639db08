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
//! where `p` is a random mask polynomial (`poly::mask`) committed beforehand, `Σ_x p(x)` is sent
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

#[cfg(feature = "prover")]
mod prover;
mod verifier;

#[cfg(feature = "prover")]
pub use prover::{prove_inner, prove_outer, Masking};
#[cfg(feature = "prover")]
pub(crate) use prover::{prove_inner_with_hook, prove_outer_with_hook};
pub use verifier::verify;

use crate::snark::error::SumcheckKind;
use ark_bn254::Fr;

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

#[cfg(all(test, feature = "prover"))]
mod tests;
