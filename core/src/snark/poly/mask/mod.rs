//! Masking polynomials for the zero-knowledge sumcheck (Libra, Xie et al. 2019, §4;
//! Chiesa, Forbes and Spooner 2017).
//!
//! A mask in `n` variables of degree `d` is a constant plus a sum of univariate
//! polynomials without constant term, `p(x) = c + Σ_i p_i(x_i)` with
//! `p_i(X) = Σ_{j=1..d} a_{i,j}·X^j`, stored as its `1 + n·d` coefficients
//! `(c, a_{0,1..d}, a_{1,1..d}, …)`. That is exactly as much randomness as the
//! zero-knowledge argument uses: `d` fresh coefficients per round and one for
//! the sum. Everything the protocol needs from `p` is a linear function of them:
//!
//! * its sum over the Boolean hypercube, `Σ_x p(x) = 2^n·c + 2^{n−1}·Σ_i p_i(1)`
//!   ([`sum_weights`]);
//! * its value at a point `r`, `p(r) = c + Σ_i p_i(r_i)` ([`evaluation_weights`]);
//! * the part it adds to sumcheck round `k` ([`MaskRounds`], prover only).
//!
//! So a Pedersen commitment to the coefficients lets the prover show, with one
//! dot-product proof, that the values it claims for the mask are the right ones.

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

/// Number of coefficients of a mask in `n` variables of degree `d`: `1 + n·d`.
pub fn mask_len(n: usize, d: usize) -> usize {
    1 + n * d
}

/// `a` with `⟨coeffs, a⟩ = Σ_{x ∈ {0,1}^n} p(x)` for any mask of `n ≥ 1` variables
/// and degree `d`: `2^n` for `c`, `2^{n−1}` for every other coefficient.
pub fn sum_weights(n: usize, d: usize) -> Vec<Fr> {
    let half = Fr::from(2u64).pow([(n - 1) as u64]);
    core::iter::once(half.double()).chain(core::iter::repeat_n(half, n * d)).collect()
}

/// `a` with `⟨coeffs, a⟩ = p(point)`: `1` for `c`, then `(r_i, r_i^2, …, r_i^d)` per variable.
pub fn evaluation_weights(point: &[Fr], d: usize) -> Vec<Fr> {
    core::iter::once(Fr::ONE)
        .chain(point.iter().flat_map(|r| core::iter::successors(Some(*r), move |pow| Some(*pow * r)).take(d)))
        .collect()
}

#[cfg(feature = "prover")]
pub use prover::{MaskPolynomial, MaskRounds};

#[cfg(feature = "prover")]
mod prover;

#[cfg(all(test, feature = "prover"))]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, SeedableRng};

    fn bits(x: usize, n: usize) -> Vec<Fr> {
        (0..n).map(|k| Fr::from(((x >> (n - 1 - k)) & 1) as u64)).collect()
    }

    fn eval(mask: &MaskPolynomial, point: &[Fr], d: usize) -> Fr {
        mask.coeffs().iter().zip(evaluation_weights(point, d)).map(|(c, w)| *c * w).sum()
    }

    #[test]
    fn sums_and_rounds_agree_with_brute_force() {
        let mut rng = StdRng::seed_from_u64(9);
        for (n, d) in [(1, 2), (2, 3), (4, 2), (5, 3)] {
            let mask = MaskPolynomial::random(n, d, &mut rng);
            let total: Fr = (0..1usize << n).map(|x| eval(&mask, &bits(x, n), d)).sum();
            assert_eq!(mask.hypercube_sum(), total);
            // Round k's part is Σ over the free variables of p(r_0..r_{k−1}, t, x_free).
            let mut rounds = mask.rounds();
            let mut point = Vec::new();
            for k in 0..n {
                let free = n - k - 1;
                for t in [0u64, 1, 2, 5] {
                    let brute: Fr = (0..1usize << free)
                        .map(|x| {
                            let mut pt = point.clone();
                            pt.push(Fr::from(t));
                            pt.extend(bits(x, free));
                            eval(&mask, &pt, d)
                        })
                        .sum();
                    assert_eq!(rounds.value(Fr::from(t)), brute, "n={n} d={d} round {k} t={t}");
                }
                let r = Fr::from(1000 + k as u64);
                rounds.bind(r);
                point.push(r);
            }
        }
    }
}
