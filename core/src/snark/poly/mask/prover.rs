//! Drawing masks and evaluating their rounds (feature `prover`).

use super::*;
use ark_ff::UniformRand;
use ark_std::rand::{CryptoRng, RngCore};

/// A uniformly random mask `p(x) = c + Σ_i p_i(x_i)` (see the module docs).
#[derive(Clone, Debug)]
pub struct MaskPolynomial {
    num_vars: usize,
    degree: usize,
    coeffs: Vec<Fr>,
}

impl MaskPolynomial {
    /// A mask with `1 + n·d` uniform coefficients.
    pub fn random<R: RngCore + CryptoRng>(num_vars: usize, degree: usize, rng: &mut R) -> Self {
        let coeffs = (0..mask_len(num_vars, degree)).map(|_| Fr::rand(rng)).collect();
        MaskPolynomial { num_vars, degree, coeffs }
    }

    /// The mask with coefficients `(c, a_{0,1..d}, a_{1,1..d}, …)` drawn by the caller:
    /// `next` is called `1 + n·d` times, in that order.
    pub(crate) fn from_draws(num_vars: usize, degree: usize, next: impl FnMut() -> Fr) -> Self {
        let coeffs = core::iter::repeat_with(next).take(mask_len(num_vars, degree)).collect();
        MaskPolynomial { num_vars, degree, coeffs }
    }

    /// The coefficients `(c, a_{0,1..d}, a_{1,1..d}, …)`.
    pub fn coeffs(&self) -> &[Fr] {
        &self.coeffs
    }

    /// `p_i(t) = Σ_{j=1..d} a_{i,j}·t^j`.
    fn eval_univariate(&self, i: usize, t: Fr) -> Fr {
        let block = &self.coeffs[1 + i * self.degree..1 + (i + 1) * self.degree];
        block.iter().rev().fold(Fr::ZERO, |acc, a| (acc + a) * t)
    }

    /// `Σ_{x ∈ {0,1}^n} p(x)`.
    pub fn hypercube_sum(&self) -> Fr {
        self.coeffs.iter().zip(sum_weights(self.num_vars, self.degree)).map(|(c, w)| *c * w).sum()
    }

    /// Starts tracking the mask's contribution to the rounds of a sumcheck.
    pub fn rounds(&self) -> MaskRounds<'_> {
        // suffix[i] = Σ_{j ≥ i} (p_j(0) + p_j(1)) = Σ_{j ≥ i} p_j(1).
        let mut suffix = vec![Fr::ZERO; self.num_vars + 1];
        for i in (0..self.num_vars).rev() {
            suffix[i] = suffix[i + 1] + self.eval_univariate(i, Fr::ONE);
        }
        MaskRounds { mask: self, round: 0, bound_sum: self.coeffs[0], suffix }
    }
}

/// The mask's part of each round polynomial. In round `k`, with `r_0..r_{k−1}`
/// bound and `n − k − 1` variables still summed over,
/// `Σ_{x_{k+1..}} p(r_0, …, r_{k−1}, X, x_{k+1}, …)
///   = 2^{n−k−1}·(c + Σ_{i<k} p_i(r_i) + p_k(X) + ½·Σ_{i>k} p_i(1))`.
pub struct MaskRounds<'a> {
    mask: &'a MaskPolynomial,
    round: usize,
    /// `c + Σ_{i<k} p_i(r_i)`.
    bound_sum: Fr,
    suffix: Vec<Fr>,
}

impl MaskRounds<'_> {
    /// The current round's mask polynomial at `t`.
    pub fn value(&self, t: Fr) -> Fr {
        let k = self.round;
        let free = self.mask.num_vars - k - 1;
        let scale = Fr::from(2u64).pow([free as u64]);
        scale * (self.bound_sum + self.mask.eval_univariate(k, t) + crate::snark::poly::HALF * self.suffix[k + 1])
    }

    /// Binds the current round's variable to `r` and moves to the next round.
    pub fn bind(&mut self, r: Fr) {
        self.bound_sum += self.mask.eval_univariate(self.round, r);
        self.round += 1;
    }
}

/// A mask is secret until the proof is made: its coefficients are overwritten with
/// zeros when it is dropped.
impl Drop for MaskPolynomial {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.coeffs);
    }
}
