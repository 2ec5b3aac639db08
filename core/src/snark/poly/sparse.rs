//! Sparse matrices viewed as multilinear polynomials in `(row, column)` variables.
//!
//! For a matrix `M` with nonzero entries `(i, j, v)`, its MLE is
//! `M̃(x, y) = Σ v·eq(x, i)·eq(y, j)`. Evaluating it at a point costs one pass over
//! the nonzeros given the two `eq` tables, which is how the verifier evaluates
//! `Ã, B̃, C̃` at `(r_x, r_y)` without any commitment to the matrices.
//!
//! Column indices go through a `col_map` so that callers can store matrices in
//! one column layout and evaluate them in another (Spartan's padded layout).
//! Entries sorted by row are summed row by row (one multiplication per row
//! instead of per entry); coefficients `±1`, the most common ones in compiled
//! circuits, cost no multiplication.

use crate::snark::r1cs::Entry;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, Zero};

/// `v·x` for a coefficient `v`, skipping the multiplication for `v = ±1`.
#[inline]
fn scale<F: super::field::FrRepr>(v: &Fr, x: &F) -> F {
    if *v == Fr::ONE {
        *x
    } else if *v == -Fr::ONE {
        x.neg()
    } else {
        x.mul_ark(v)
    }
}

/// `Σ_{(i,j,v)} v·row_w[i]·col_w[col_map(j)]`: the bilinear form of the matrix,
/// i.e. `M̃(r_x, r_y)` when `row_w = eq_table(r_x)` and `col_w = eq_table(r_y)`,
/// in any representation of `Fr` ([`super::field::FrRepr`]; the coefficients stay arkworks').
/// Linear in the number of entries. Indices must be in range.
pub fn bilinear<F: super::field::FrRepr>(
    entries: &[Entry],
    row_w: &[F],
    col_w: &[F],
    col_map: impl Fn(usize) -> usize,
) -> F {
    let mut total = F::ZERO;
    let mut run_row = usize::MAX;
    let mut run_sum = F::ZERO;
    for e in entries {
        if e.row != run_row {
            if run_row != usize::MAX {
                total = total.add(&row_w[run_row].mul(&run_sum));
            }
            run_row = e.row;
            run_sum = F::ZERO;
        }
        run_sum = run_sum.add(&scale(&e.val, &col_w[col_map(e.col)]));
    }
    if run_row != usize::MAX {
        total = total.add(&row_w[run_row].mul(&run_sum));
    }
    total
}

/// `out[i] = Σ_j M[i][j]·z[col_map(j)]` for `i < num_rows`: the matrix–vector product.
/// A witness is mostly bits, so entries at `z = 0` are skipped and those at `z = 1` add
/// their coefficient.
pub fn mul_vec(entries: &[Entry], z: &[Fr], num_rows: usize, col_map: impl Fn(usize) -> usize) -> Vec<Fr> {
    let mut out = vec![Fr::ZERO; num_rows];
    for e in entries {
        let x = &z[col_map(e.col)];
        if x.is_zero() {
            continue;
        }
        out[e.row] += if *x == Fr::ONE { e.val } else { scale(&e.val, x) };
    }
    out
}

/// `out[col_map(j)] += coeff·Σ_i row_w[i]·M[i][j]`: accumulates `coeff·M̃(r_x, ·)` as a
/// table over the columns (the prover's left factor in Spartan's sumcheck #2).
pub fn add_row_combination(
    entries: &[Entry],
    row_w: &[Fr],
    coeff: Fr,
    out: &mut [Fr],
    col_map: impl Fn(usize) -> usize,
) {
    let mut run_row = usize::MAX;
    let mut weight = Fr::ZERO;
    for e in entries {
        if e.row != run_row {
            run_row = e.row;
            weight = coeff * row_w[run_row];
        }
        out[col_map(e.col)] += scale(&e.val, &weight);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snark::limb29::Fr29;
    use crate::snark::poly::eq_table;
    use ark_ff::UniformRand;
    use proptest::prelude::*;
    use rand::{rngs::StdRng, Rng, SeedableRng};

    fn random_entries(rng: &mut StdRng, rows: usize, cols: usize, n: usize) -> Vec<Entry> {
        let mut es: Vec<Entry> = (0..n)
            .map(|_| Entry {
                row: rng.gen_range(0..rows),
                col: rng.gen_range(0..cols),
                val: match rng.gen_range(0..3) {
                    0 => Fr::ONE,
                    1 => -Fr::ONE,
                    _ => Fr::rand(rng),
                },
            })
            .collect();
        es.sort_by_key(|e| e.row);
        es
    }

    proptest! {
        #[test]
        fn bilinear_matches_dense(seed in any::<u64>(), rv in 1usize..5, cv in 1usize..5, n in 0usize..40) {
            let mut rng = StdRng::seed_from_u64(seed);
            let (rows, cols) = (1 << rv, 1 << cv);
            let es = random_entries(&mut rng, rows, cols, n);
            let rx: Vec<Fr> = (0..rv).map(|_| Fr::rand(&mut rng)).collect();
            let ry: Vec<Fr> = (0..cv).map(|_| Fr::rand(&mut rng)).collect();
            let (ex, ey) = (eq_table(&rx), eq_table(&ry));
            // Dense reference: Σ_i ex[i]·(M·ey)[i], with a reversing column map.
            let map = |j: usize| cols - 1 - j;
            let mv = mul_vec(&es, &ey, rows, map);
            let dense: Fr = ex.iter().zip(&mv).map(|(a, b)| *a * b).sum();
            prop_assert_eq!(bilinear(&es, &ex, &ey, map), dense);
            // On the wasm verifier's 29-bit limbs, tables and all: the same value.
            let on_29_bits = |r: &[Fr]| eq_table(&r.iter().map(Fr29::from_ark).collect::<Vec<_>>());
            prop_assert_eq!(bilinear(&es, &on_29_bits(&rx), &on_29_bits(&ry), map).to_ark(), dense);
            // add_row_combination gives the row-combined table; its dot with ey is the same value.
            let coeff = Fr::rand(&mut rng);
            let mut comb = vec![Fr::ZERO; cols];
            add_row_combination(&es, &ex, coeff, &mut comb, map);
            let via_comb: Fr = comb.iter().zip(&ey).map(|(a, b)| *a * b).sum();
            prop_assert_eq!(via_comb, coeff * dense);
        }

        #[test]
        fn mul_vec_matches_dense_on_bits(seed in any::<u64>(), rv in 1usize..5, cv in 1usize..5, n in 0usize..40) {
            let mut rng = StdRng::seed_from_u64(seed);
            let (rows, cols) = (1 << rv, 1 << cv);
            let es = random_entries(&mut rng, rows, cols, n);
            // Mostly 0 and 1 (skipped or added as they are), some other values.
            let z: Vec<Fr> = (0..cols)
                .map(|_| match rng.gen_range(0..4) {
                    0 => Fr::ZERO,
                    1 => Fr::ONE,
                    2 => -Fr::ONE,
                    _ => Fr::rand(&mut rng),
                })
                .collect();
            let mut dense = vec![Fr::ZERO; rows];
            for e in &es {
                dense[e.row] += e.val * z[e.col];
            }
            prop_assert_eq!(mul_vec(&es, &z, rows, |j| j), dense);
        }
    }
}
