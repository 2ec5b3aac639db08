//! Multilinear polynomials over the BN254 scalar field.
//!
//! A multilinear extension (MLE) in `n` variables is stored as its `2^n`
//! evaluations on the Boolean hypercube. **Variable order:** the first
//! variable is the most significant bit of the index, i.e. entry `i` is the
//! value at `(b_0, …, b_{n-1})` with `i = Σ_k b_k·2^{n-1-k}`. Binding the first
//! variable therefore folds the lower half of the table with the upper half.
//!
//! The `eq` tables and the sparse bilinear forms compute in any representation of the
//! field ([`field::FrRepr`]): arkworks' `Fr`, and on the wasm verifier 29-bit limbs.

pub mod field;
pub mod mask;
pub mod sparse;
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
pub(crate) mod wide;

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

/// `½` in `Fr`, `(r + 1)/2` for the modulus `r` (the provers' interpolations).
#[cfg(feature = "prover")]
pub(crate) const HALF: Fr =
    ark_ff::MontFp!("10944121435919637611123202872628637544274182200208017171849102093287904247809");

/// Smallest `n ≥ 1` with `2^n ≥ len`: the number of variables of a padded table.
pub fn num_vars_for(len: usize) -> usize {
    (len.max(2).next_power_of_two().trailing_zeros()) as usize
}

/// The table of `eq(r, x) = Π_k (r_k·x_k + (1−r_k)(1−x_k))` over all `x ∈ {0,1}^n`,
/// in the index order of the module docs, in any representation of `Fr` ([`field::FrRepr`]).
/// Costs `2^n` multiplications.
pub fn eq_table<F: field::FrRepr>(r: &[F]) -> Vec<F> {
    eq_table_prefix(r, 1 << r.len())
}

/// The first `len` entries of [`eq_table`]`(r)` (all of them if `len ≥ 2^n`), for about
/// `len` multiplications: each pass keeps only the entries that lead to an index below `len`.
pub fn eq_table_prefix<F: field::FrRepr>(r: &[F], len: usize) -> Vec<F> {
    let n = r.len();
    let len = len.min(1 << n);
    let mut table = Vec::with_capacity(len);
    table.push(F::ONE);
    for (k, r_k) in r.iter().enumerate() {
        // Each pass appends a new least significant bit: entry j splits into
        // (2j: x_k = 0, 2j+1: x_k = 1). After it, the entries below
        // ⌈len / 2^(n−k−1)⌉ are those that an index below len extends.
        let shift = n - k - 1;
        let keep = (len + (1 << shift) - 1) >> shift;
        let old_len = table.len();
        table.resize(keep, F::ZERO);
        for j in (0..old_len).rev() {
            if 2 * j >= keep {
                continue;
            }
            let hi = table[j].mul(r_k);
            if 2 * j + 1 < keep {
                table[2 * j + 1] = hi;
            }
            table[2 * j] = table[j].sub(&hi);
        }
    }
    table.truncate(len);
    table
}

/// `eq(a, b)` for two points of equal length, in `O(n)`.
pub fn eq_eval(a: &[Fr], b: &[Fr]) -> Fr {
    debug_assert_eq!(a.len(), b.len());
    a.iter().zip(b).fold(Fr::ONE, |acc, (x, y)| {
        let xy = *x * y;
        acc * (xy.double() - x - y + Fr::ONE)
    })
}

/// Binds the first (most significant) variable of `evals` to `r`, halving the table:
/// `evals[i] ← evals[i] + r·(evals[i + half] − evals[i])` (the tests' reference; the
/// sumcheck provers bind their tables themselves, skipping zeros).
#[cfg(test)]
pub fn bind_first_var(evals: &mut Vec<Fr>, r: Fr) {
    let half = evals.len() / 2;
    let (lo, hi) = evals.split_at_mut(half);
    for (l, h) in lo.iter_mut().zip(hi.iter()) {
        *l += r * (*h - *l);
    }
    evals.truncate(half);
}

/// Evaluates the MLE with table `evals` (length `2^point.len()`) at `point` (the tests'
/// reference).
#[cfg(test)]
pub fn evaluate(evals: &[Fr], point: &[Fr]) -> Fr {
    assert_eq!(evals.len(), 1 << point.len(), "table length must be 2^num_vars");
    let Some((&r0, rest)) = point.split_first() else {
        return evals[0];
    };
    // The first fold reads the borrowed table, later ones work in place.
    let half = evals.len() / 2;
    let mut cur: Vec<Fr> = evals[..half].iter().zip(&evals[half..]).map(|(l, h)| *l + r0 * (*h - l)).collect();
    for r in rest {
        bind_first_var(&mut cur, *r);
    }
    cur[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snark::limb29::Fr29;
    use ark_ff::UniformRand;
    use proptest::prelude::*;
    use rand::{rngs::StdRng, SeedableRng};

    fn random_vec(seed: u64, n: usize) -> Vec<Fr> {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..n).map(|_| Fr::rand(&mut rng)).collect()
    }

    fn bits(i: usize, n: usize) -> Vec<Fr> {
        (0..n).map(|k| Fr::from(((i >> (n - 1 - k)) & 1) as u64)).collect()
    }

    proptest! {
        #[test]
        fn evaluate_matches_table_on_hypercube(seed in any::<u64>(), n in 0usize..6) {
            let evals = random_vec(seed, 1 << n);
            for (i, e) in evals.iter().enumerate() {
                prop_assert_eq!(evaluate(&evals, &bits(i, n)), *e);
            }
        }

        #[test]
        fn eq_table_matches_eq_eval(seed in any::<u64>(), n in 0usize..7) {
            let r = random_vec(seed, n);
            let table = eq_table(&r);
            prop_assert_eq!(table.len(), 1 << n);
            let sum: Fr = table.iter().sum();
            prop_assert_eq!(sum, Fr::ONE);
            for (i, t) in table.iter().enumerate() {
                prop_assert_eq!(*t, eq_eval(&r, &bits(i, n)));
            }
        }

        #[test]
        fn an_eq_table_prefix_is_the_table_s_prefix(seed in any::<u64>(), n in 0usize..7, len in 0usize..150) {
            let r = random_vec(seed, n);
            let table = eq_table(&r);
            let prefix = eq_table_prefix(&r, len);
            prop_assert_eq!(&prefix[..], &table[..len.min(1 << n)]);
            // On the wasm verifier's 29-bit limbs: the same values.
            let r29: Vec<Fr29> = r.iter().map(Fr29::from_ark).collect();
            let prefix29: Vec<Fr> = eq_table_prefix(&r29, len).into_iter().map(Fr29::to_ark).collect();
            prop_assert_eq!(prefix29, prefix);
        }

        #[test]
        fn evaluate_is_inner_product_with_eq(seed in any::<u64>(), n in 0usize..8) {
            let evals = random_vec(seed, 1 << n);
            let r = random_vec(seed ^ 1, n);
            let via_eq: Fr = eq_table(&r).iter().zip(&evals).map(|(a, b)| *a * b).sum();
            prop_assert_eq!(evaluate(&evals, &r), via_eq);
        }

        #[test]
        fn binding_commutes_with_evaluation(seed in any::<u64>(), n in 1usize..8) {
            let mut evals = random_vec(seed, 1 << n);
            let r = random_vec(seed ^ 2, n);
            let full = evaluate(&evals, &r);
            bind_first_var(&mut evals, r[0]);
            prop_assert_eq!(evaluate(&evals, &r[1..]), full);
        }
    }

    #[cfg(feature = "prover")]
    #[test]
    fn half_is_the_inverse_of_two() {
        assert_eq!(HALF.double(), Fr::ONE);
    }

    #[test]
    fn num_vars_for_pads_to_at_least_one_variable() {
        assert_eq!(num_vars_for(0), 1);
        assert_eq!(num_vars_for(1), 1);
        assert_eq!(num_vars_for(2), 1);
        assert_eq!(num_vars_for(3), 2);
        assert_eq!(num_vars_for(4096), 12);
        assert_eq!(num_vars_for(4097), 13);
    }
}
