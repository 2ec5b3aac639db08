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
//!
//! Natively, a key holds each matrix also as a [`CsrMatrix`]: rows as runs, columns
//! already in the padded layout, 32-bit indices, and every coefficient below `2^63`
//! in absolute value as that integer, so that its multiples are summed without a
//! modular multiplication per entry (`poly::wide`). A run keeps its positive and its
//! negative coefficients apart, so that neither loop looks at a sign. The prover's
//! products and the native verifier's bilinear forms run on it.

#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
use super::wide::{self, WideSum};
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
use crate::snark::parallel::{join, join_if, two_threads};
use crate::snark::r1cs::Entry;
use ark_bn254::Fr;
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
use ark_ff::AdditiveGroup;
#[cfg(any(target_arch = "wasm32", test))]
use ark_ff::Field;
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
use core::ops::Range;

/// `v·x` for a coefficient `v`, skipping the multiplication for `v = ±1`.
#[cfg(any(target_arch = "wasm32", test))]
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
/// Linear in the number of entries. Indices must be in range. The wasm verifier's
/// (natively, [`CsrMatrix::bilinear`]).
#[cfg(any(target_arch = "wasm32", test))]
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

/// A matrix for the native kernels: entries sorted by row, as runs of one row each,
/// columns mapped by the key's `col_map`. Within a run come first the entries whose
/// coefficient is an integer `0 ≤ c < 2^63`, then those with `−2^63 < c < 0`, each
/// stored as its magnitude `|c|`, then the others (large), whose coefficients are in
/// a list of their own. So the loops over each part look at no sign or kind.
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
#[derive(Clone, Debug, Default)]
pub struct CsrMatrix {
    runs: Vec<Run>,
    /// Each entry's column in the mapped layout.
    cols: Vec<u32>,
    /// Each entry's `|c|` (0 for a large one).
    magnitudes: Vec<u64>,
    /// The large coefficients, in the order of their entries.
    large: Vec<Fr>,
}

/// The entries of one row, by position: `start..negative_at` with a small `c ≥ 0`,
/// `negative_at..large_at` with a small `c < 0`, `large_at..end` with a large `c`,
/// whose coefficients start at `first_large` in [`CsrMatrix::large`].
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
#[derive(Clone, Copy, Debug)]
struct Run {
    row: u32,
    start: u32,
    negative_at: u32,
    large_at: u32,
    end: u32,
    first_large: u32,
}

#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
impl Run {
    /// The positions of the entries with a small `c ≥ 0`.
    fn positives(&self) -> Range<usize> {
        self.start as usize..self.negative_at as usize
    }

    /// The positions of the entries with a small `c < 0`.
    fn negatives(&self) -> Range<usize> {
        self.negative_at as usize..self.large_at as usize
    }
}

#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
impl CsrMatrix {
    /// The matrix of `entries` (sorted by row) with its columns mapped by `col_map`.
    /// Rows and mapped columns are below `2^32` by Spartan's limits, and so is the
    /// number of entries (the encodings count a matrix's entries in 32 bits; compiled
    /// circuits have at most `MAX_NONZEROS`).
    pub fn new(entries: &[Entry], col_map: impl Fn(usize) -> usize) -> Self {
        let index = |i: usize| u32::try_from(i).expect("indices below 2^32 (Spartan's limits)");
        let mut m = CsrMatrix {
            cols: Vec::with_capacity(entries.len()),
            magnitudes: Vec::with_capacity(entries.len()),
            ..Default::default()
        };
        // A row's negative and large entries, until its positive ones are in.
        let (mut negative, mut large) = (Vec::new(), Vec::new());
        for row in entries.chunk_by(|a, b| a.row == b.row) {
            debug_assert!(m.runs.last().is_none_or(|run| (run.row as usize) < row[0].row), "entries sorted by row");
            let (start, first_large) = (m.cols.len(), m.large.len());
            for e in row {
                let col = index(col_map(e.col));
                match wide::small(&e.val) {
                    Some(c) if c >= 0 => {
                        m.cols.push(col);
                        m.magnitudes.push(c.unsigned_abs());
                    }
                    Some(c) => negative.push((col, c.unsigned_abs())),
                    None => large.push((col, e.val)),
                }
            }
            let negative_at = m.cols.len();
            for (col, c) in negative.drain(..) {
                m.cols.push(col);
                m.magnitudes.push(c);
            }
            let large_at = m.cols.len();
            for (col, c) in large.drain(..) {
                m.cols.push(col);
                m.magnitudes.push(0);
                m.large.push(c);
            }
            m.runs.push(Run {
                row: index(row[0].row),
                start: index(start),
                negative_at: index(negative_at),
                large_at: index(large_at),
                end: index(m.cols.len()),
                first_large: index(first_large),
            });
        }
        m
    }

    /// The column and `|c|` of each small entry at `positions` (a run's
    /// [`Run::positives`] or [`Run::negatives`]).
    #[inline]
    fn small_entries(&self, positions: Range<usize>) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.cols[positions.clone()].iter().zip(&self.magnitudes[positions]).map(|(&col, &c)| (col as usize, c))
    }

    /// `Σ |c_k|·x[col_k]` over the small entries at `positions`, unreduced.
    #[inline]
    fn magnitude_sum(&self, positions: Range<usize>, x: &[Fr]) -> WideSum {
        let mut sum = WideSum::ZERO;
        for (col, c) in self.small_entries(positions) {
            sum.add_multiple(&x[col], c);
        }
        sum
    }

    /// The run's large entries: each one's column and coefficient.
    #[inline]
    fn large_entries<'a>(&'a self, run: &Run) -> impl Iterator<Item = (usize, &'a Fr)> + 'a {
        let cols = &self.cols[run.large_at as usize..run.end as usize];
        cols.iter().map(|&col| col as usize).zip(&self.large[run.first_large as usize..])
    }

    /// `Σ_k c_k·x[col_k]` over the run's entries.
    #[inline]
    fn row_sum(&self, run: &Run, x: &[Fr]) -> Fr {
        let positive = self.magnitude_sum(run.positives(), x);
        let negatives = run.negatives();
        let mut sum =
            if negatives.is_empty() { positive.value() } else { positive.minus(&self.magnitude_sum(negatives, x)) };
        for (col, c) in self.large_entries(run) {
            sum += x[col] * c;
        }
        sum
    }

    /// Whether a pass over the entries is worth two threads (`parallel::join_if`).
    fn is_large(&self) -> bool {
        self.cols.len() >= PARALLEL_ENTRIES
    }

    /// The runs in two parts of about half the entries each (the first part's rows
    /// before the second's).
    fn halves(&self) -> (&[Run], &[Run]) {
        let middle = self.runs.partition_point(|run| (run.end as usize) < self.cols.len() / 2);
        self.runs.split_at(middle)
    }

    /// `Σ_{(i,j,c)} c·row_w[i]·col_w[j]`: the bilinear form on this layout; with the
    /// `parallel` feature, on two threads, each with half the entries.
    pub fn bilinear(&self, row_w: &[Fr], col_w: &[Fr]) -> Fr {
        let sum = |runs: &[Run]| runs.iter().map(|run| row_w[run.row as usize] * self.row_sum(run, col_w)).sum::<Fr>();
        let (first, second) = self.halves();
        let (a, b) = join(|| sum(first), || sum(second));
        a + b
    }

    /// `out[i] = Σ_j M[i][j]·z[j]` for `i < num_rows`: the matrix–vector product; on
    /// two threads, each with half the entries, if the matrix has `PARALLEL_ENTRIES`
    /// and a second thread is there. Entries at `z = 0` are added like the others: a
    /// witness's zeros fall unpredictably, and a test per entry cost more than the
    /// products it saved.
    pub fn mul_vec(&self, z: &[Fr], num_rows: usize) -> Vec<Fr> {
        let mut out = vec![Fr::ZERO; num_rows];
        let (first, second) = self.halves();
        let boundary = second.first().map_or(num_rows, |run| run.row as usize);
        let (out_first, out_second) = out.split_at_mut(boundary);
        let products = |runs: &[Run], out: &mut [Fr], offset: usize| {
            for run in runs {
                out[run.row as usize - offset] = self.row_sum(run, z);
            }
        };
        join_if(self.is_large(), || products(first, out_first, 0), || products(second, out_second, boundary));
        out
    }
}

/// The entries from which a pass over a matrix's entries runs on two threads.
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
const PARALLEL_ENTRIES: usize = 1 << 14;

/// `Σ_k coeff_k·M̃_k(r_x, ·)` as a table over `len` columns (the prover's left factor
/// in Spartan's sumcheck #2), for `row_w = eq(r_x, ·)`: each column's small
/// multiples summed unreduced and reduced once. With the `parallel` feature, two
/// threads each sum half of every matrix's entries (into sums of their own, added
/// before they are reduced), then reduce half of the columns, if a matrix is large
/// and a second thread is there to take half.
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
pub fn row_combination(matrices: &[(&CsrMatrix, Fr)], row_w: &[Fr], len: usize) -> Vec<Fr> {
    // The small multiples of the runs `runs(m)` picks in each matrix, and the terms of
    // the large coefficients (few) as a list.
    let part = |runs: fn(&CsrMatrix) -> &[Run]| {
        let mut sums = vec![WideSum::ZERO; len];
        let mut large_terms = Vec::new();
        for (m, coeff) in matrices {
            for run in runs(m) {
                let weight = *coeff * row_w[run.row as usize];
                // A negative c adds |c|·(−weight).
                for (signed, positions) in [(weight, run.positives()), (-weight, run.negatives())] {
                    for (col, c) in m.small_entries(positions) {
                        sums[col].add_multiple(&signed, c);
                    }
                }
                large_terms.extend(m.large_entries(run).map(|(col, c)| (col, weight * c)));
            }
        }
        (sums, large_terms)
    };
    let parallel = two_threads() && matrices.iter().any(|(m, _)| m.is_large());
    let (sums, large_terms) = if parallel {
        let ((mut sums, mut large_terms), (sums_second, large_second)) =
            join(|| part(|m| m.halves().0), || part(|m| m.halves().1));
        for (s, t) in sums.iter_mut().zip(&sums_second) {
            s.add(t);
        }
        large_terms.extend(large_second);
        (sums, large_terms)
    } else {
        part(|m| &m.runs)
    };
    let mut out = vec![Fr::ZERO; len];
    let reduce = |out: &mut [Fr], sums: &[WideSum]| {
        for (o, s) in out.iter_mut().zip(sums) {
            if !s.is_zero() {
                *o = s.value();
            }
        }
    };
    let (out_first, out_second) = out.split_at_mut(len / 2);
    let (sums_first, sums_second) = sums.split_at(len / 2);
    join_if(parallel, || reduce(out_first, sums_first), || reduce(out_second, sums_second));
    for (col, term) in large_terms {
        out[col] += term;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snark::limb29::Fr29;
    use crate::snark::poly::eq_table;
    use ark_ff::UniformRand;
    use proptest::prelude::*;
    use rand::{rngs::StdRng, Rng, SeedableRng};

    /// `n` entries sorted by row, duplicates allowed, with coefficients of every kind
    /// the kernels tell apart: `±1`, small integers up to `±(2^63 − 1)`, `±2^63` (the
    /// first that are not small) and arbitrary field elements.
    fn random_entries(rng: &mut StdRng, rows: usize, cols: usize, n: usize) -> Vec<Entry> {
        let edge = Fr::from(1u64 << 63);
        let mut es: Vec<Entry> = (0..n)
            .map(|_| Entry {
                row: rng.gen_range(0..rows),
                col: rng.gen_range(0..cols),
                val: match rng.gen_range(0..8) {
                    0 => Fr::ONE,
                    1 => -Fr::ONE,
                    2 => Fr::from(rng.gen_range(0..1u64 << 20)),
                    3 => -Fr::from(rng.gen_range(0..1u64 << 20)),
                    4 => Fr::from(i64::MAX as u64) * [Fr::ONE, -Fr::ONE][rng.gen_range(0..2)],
                    5 => edge * [Fr::ONE, -Fr::ONE][rng.gen_range(0..2)],
                    _ => Fr::rand(rng),
                },
            })
            .collect();
        es.sort_by_key(|e| e.row);
        es
    }

    /// The dense matrix of `es` with columns mapped by `map`.
    fn dense(es: &[Entry], rows: usize, cols: usize, map: impl Fn(usize) -> usize) -> Vec<Vec<Fr>> {
        let mut m = vec![vec![Fr::ZERO; cols]; rows];
        for e in es {
            m[e.row][map(e.col)] += e.val;
        }
        m
    }

    /// `Σ_j m[i][j]·v[j]` for each row `i`.
    fn times(m: &[Vec<Fr>], v: &[Fr]) -> Vec<Fr> {
        m.iter().map(|row| row.iter().zip(v).map(|(a, b)| *a * b).sum()).collect()
    }

    /// Matrices of more than `PARALLEL_ENTRIES` entries, whose passes run on two
    /// threads (and a small one beside them in the row combination): the products and
    /// the row combination are the entries' sums.
    #[test]
    fn large_matrices_give_the_entries_sums() {
        crate::snark::parallel::on_two_threads(large_matrices_give_the_entries_sums_here);
    }

    fn large_matrices_give_the_entries_sums_here() {
        let mut rng = StdRng::seed_from_u64(14);
        let (rows, cols) = (1 << 9, 1 << 10);
        let map = |j: usize| cols - 1 - j;
        let (e1, e2) =
            (random_entries(&mut rng, rows, cols, 3 * PARALLEL_ENTRIES), random_entries(&mut rng, rows, cols, 50));
        let (m1, m2) = (CsrMatrix::new(&e1, map), CsrMatrix::new(&e2, map));
        assert!(m1.is_large() && !m2.is_large());
        assert_eq!(two_threads(), cfg!(feature = "parallel"));
        let row_w: Vec<Fr> = (0..rows).map(|_| Fr::rand(&mut rng)).collect();
        let (c1, c2) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        let mut want = vec![Fr::ZERO; cols];
        for (es, c) in [(&e1, c1), (&e2, c2)] {
            for e in es.iter() {
                want[map(e.col)] += c * row_w[e.row] * e.val;
            }
        }
        assert_eq!(row_combination(&[(&m1, c1), (&m2, c2)], &row_w, cols), want);
        let z: Vec<Fr> = (0..cols).map(|_| Fr::rand(&mut rng)).collect();
        let mut want = vec![Fr::ZERO; rows];
        for e in &e1 {
            want[e.row] += e.val * z[map(e.col)];
        }
        assert_eq!(m1.mul_vec(&z, rows), want);
    }

    proptest! {
        #[test]
        fn bilinear_forms_match_dense(seed in any::<u64>(), rv in 1usize..5, cv in 1usize..5, n in 0usize..40) {
            let mut rng = StdRng::seed_from_u64(seed);
            let (rows, cols) = (1 << rv, 1 << cv);
            let es = random_entries(&mut rng, rows, cols, n);
            let rx: Vec<Fr> = (0..rv).map(|_| Fr::rand(&mut rng)).collect();
            let ry: Vec<Fr> = (0..cv).map(|_| Fr::rand(&mut rng)).collect();
            let (ex, ey) = (eq_table(&rx), eq_table(&ry));
            // Dense reference: Σ_i ex[i]·(M·ey)[i], with a reversing column map.
            let map = |j: usize| cols - 1 - j;
            let want: Fr = ex.iter().zip(times(&dense(&es, rows, cols, map), &ey)).map(|(a, b)| *a * b).sum();
            prop_assert_eq!(bilinear(&es, &ex, &ey, map), want);
            prop_assert_eq!(CsrMatrix::new(&es, map).bilinear(&ex, &ey), want);
            // On the wasm verifier's 29-bit limbs, tables and all: the same value.
            let on_29_bits = |r: &[Fr]| eq_table(&r.iter().map(Fr29::from_ark).collect::<Vec<_>>());
            prop_assert_eq!(bilinear(&es, &on_29_bits(&rx), &on_29_bits(&ry), map).to_ark(), want);
        }

        #[test]
        fn row_combination_matches_dense(seed in any::<u64>(), rv in 1usize..5, cv in 1usize..5, n in 0usize..40) {
            let mut rng = StdRng::seed_from_u64(seed);
            let (rows, cols) = (1 << rv, 1 << cv);
            let map = |j: usize| cols - 1 - j;
            let (e1, e2) = (random_entries(&mut rng, rows, cols, n), random_entries(&mut rng, rows, cols, n / 2));
            let (d1, d2) = (dense(&e1, rows, cols, map), dense(&e2, rows, cols, map));
            let row_w: Vec<Fr> = (0..rows).map(|_| Fr::rand(&mut rng)).collect();
            let (c1, c2) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
            let want: Vec<Fr> =
                (0..cols).map(|j| (0..rows).map(|i| row_w[i] * (c1 * d1[i][j] + c2 * d2[i][j])).sum()).collect();
            let (m1, m2) = (CsrMatrix::new(&e1, map), CsrMatrix::new(&e2, map));
            prop_assert_eq!(row_combination(&[(&m1, c1), (&m2, c2)], &row_w, cols), want);
        }

        #[test]
        fn mul_vec_matches_dense(seed in any::<u64>(), rv in 1usize..5, cv in 1usize..5, n in 0usize..40) {
            let mut rng = StdRng::seed_from_u64(seed);
            let (rows, cols) = (1 << rv, 1 << cv);
            let es = random_entries(&mut rng, rows, cols, n);
            // Mostly 0 and ±1, as in a witness, and some other values.
            let z: Vec<Fr> = (0..cols)
                .map(|_| match rng.gen_range(0..4) {
                    0 => Fr::ZERO,
                    1 => Fr::ONE,
                    2 => -Fr::ONE,
                    _ => Fr::rand(&mut rng),
                })
                .collect();
            prop_assert_eq!(CsrMatrix::new(&es, |j| j).mul_vec(&z, rows), times(&dense(&es, rows, cols, |j| j), &z));
        }
    }
}
