//! Multi-scalar multiplication over fixed bases: each base `P` is stored
//! with its shifts `2^(8k)·P`, `k < 32`, so that `Σ_i x_i·P_i` needs no doubling: the
//! signed base-256 digits `d_{i,k}` of every scalar go into 128 buckets
//! (`Σ_{i,k} d_{i,k}·2^(8k)·P_i`), about 32 point additions per term against the
//! 127 doublings of one scalar multiplication.
//!
//! The inner-product prover (`crate::snark::sigma`) uses it to compute its round
//! messages directly on the original generators instead of folding them (see
//! `docs/PROTOCOL-zk.md` §9), and a verifier that keeps its key folds the generators
//! of its checks with it (`crate::snark::spartan::VerifyingKey::with_generator_tables`).
//! The buckets are summed in affine coordinates (`crate::snark::msm::batch_affine`).
//! The tables of the message generators, `V` and `H` are built once per process (about
//! 40 µs per base natively) and shared.

use super::generators::{blinding_generator, message_generators, value_generator};
use crate::snark::msm::batch_affine::{add_in_buckets, wipe, Inversions, Point};
use ark_bn254::{Fq, Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, PrimeField, Zero};
use std::sync::{Arc, Mutex, OnceLock};

/// Bits per digit.
const WINDOW_BITS: usize = 8;
/// Digits per scalar: `⌈256 / 8⌉` (scalars are below `2^254`, so the signed
/// recoding never carries out of the last digit).
const WINDOWS: usize = 32;
/// Buckets for the digit magnitudes `1 ..= 128`.
const BUCKETS: usize = 1 << (WINDOW_BITS - 1);

/// Bases with their shifts: base `i`'s `2^(8k)·P_i` is `shifts[WINDOWS·i + k]`.
pub(crate) struct FixedBases {
    shifts: Vec<G1Affine>,
}

impl FixedBases {
    /// The tables of `bases` (248 doublings each; on two threads with the `parallel` feature).
    pub(crate) fn new(bases: &[G1Affine]) -> Self {
        let shift = |bases: &[G1Affine]| {
            let mut shifts = Vec::with_capacity(bases.len() * WINDOWS);
            for base in bases {
                let mut p = G1Projective::from(*base);
                for k in 0..WINDOWS {
                    if k > 0 {
                        for _ in 0..WINDOW_BITS {
                            p.double_in_place();
                        }
                    }
                    shifts.push(p);
                }
            }
            G1Projective::normalize_batch(&shifts)
        };
        let (lo, hi) = bases.split_at(bases.len() / 2);
        let (mut shifts, hi) = crate::snark::parallel::join(|| shift(lo), || shift(hi));
        shifts.extend(hi);
        FixedBases { shifts }
    }

    /// Number of bases.
    pub(crate) fn len(&self) -> usize {
        self.shifts.len() / WINDOWS
    }

    /// The shifts of base `i` (base `i` itself first), the handle [`msm`] takes.
    pub(crate) fn shifts(&self, i: usize) -> &[G1Affine] {
        &self.shifts[WINDOWS * i..WINDOWS * (i + 1)]
    }
}

impl core::fmt::Debug for FixedBases {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "FixedBases({} bases)", self.len())
    }
}

/// `Σ scalar·P` over `(shifts of P, scalar)` terms (the shifts from [`FixedBases::shifts`]).
pub(crate) fn msm<'a>(terms: impl IntoIterator<Item = (&'a [G1Affine], Fr)>) -> G1Projective {
    SCRATCH.with(|cell| {
        // Taken out of the cell for the call (and left empty if it panics).
        let mut scratch = cell.take();
        let total = msm_with(terms, &mut scratch);
        cell.set(scratch);
        total
    })
}

thread_local! {
    /// Each thread's buffers, kept across calls.
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// The buffers of [`msm`], holding only zeros between calls.
#[derive(Default)]
struct Scratch {
    /// The signed digits of every term, [`WINDOWS`] per term.
    digits: Vec<i8>,
    /// The points sorted by bucket.
    points: Vec<Point<Fq>>,
    /// The buckets' points sorted into the buckets of the reduction's split.
    split_points: Vec<Point<Fq>>,
    /// The buffers of the affine additions' batched inversions.
    inversions: Inversions<Fq>,
}

/// [`msm`] with the thread's buffers.
fn msm_with<'a>(terms: impl IntoIterator<Item = (&'a [G1Affine], Fr)>, scratch: &mut Scratch) -> G1Projective {
    let Scratch { digits, points, split_points, inversions } = scratch;
    // Each signed digit puts one shift, or its negation, into the bucket of its magnitude:
    // the digits first, with the buckets' sizes, then the points, sorted by bucket.
    let mut shifts: Vec<&[G1Affine]> = Vec::new();
    digits.clear();
    let mut start = [0usize; BUCKETS + 1];
    for (term_shifts, scalar) in terms {
        debug_assert_eq!(term_shifts.len(), WINDOWS);
        let first = digits.len();
        push_signed_digits(&scalar, digits);
        for (digit, shift) in digits[first..].iter_mut().zip(term_shifts) {
            // The identity (a base that is) is left out: it is no affine point.
            if shift.is_zero() {
                *digit = 0;
            }
            start[digit.unsigned_abs() as usize] += 1;
        }
        shifts.push(term_shifts);
    }
    // Bucket m holds the digits ±(m + 1): points[start[m]..start[m + 1]], once start
    // (now counting the digits 0 ..= 128) is shifted down and summed.
    start.rotate_left(1);
    start[BUCKETS] = 0;
    let mut sum = 0;
    for s in start.iter_mut() {
        (*s, sum) = (sum, sum + *s);
    }
    let mut next = start;
    points.clear();
    points.resize(start[BUCKETS], Point::FILLER);
    for (term_digits, term_shifts) in digits.chunks_exact(WINDOWS).zip(&shifts) {
        for (&digit, shift) in term_digits.iter().zip(term_shifts.iter()) {
            if digit != 0 {
                let m = digit.unsigned_abs() as usize - 1;
                points[next[m]] = signed_point(shift, digit);
                next[m] += 1;
            }
        }
    }
    let mut len: [usize; BUCKETS] = core::array::from_fn(|m| start[m + 1] - start[m]);
    add_in_buckets(points, &start, &mut len, inversions);
    // Σ_m (m + 1)·B_m, with m + 1 = 16a + b (b in [−7, 8], a in [0, 8]): the points of
    // B_m go into the sum C_|b| (negated if b < 0) and into D_a, and the total is
    // Σ_b |b|·C_|b| + 16·Σ_a a·D_a: about 230 affine additions and 16 buckets' running
    // sums, against 128 buckets' running sums (256 projective additions) directly.
    let mut split_start = [0usize; SPLIT + 1];
    for (m, l) in len.iter().enumerate() {
        for (j, _) in split(m).into_iter().flatten() {
            split_start[j + 1] += l;
        }
    }
    for j in 0..SPLIT {
        split_start[j + 1] += split_start[j];
    }
    let mut next = split_start;
    split_points.clear();
    split_points.resize(split_start[SPLIT], Point::FILLER);
    for (m, l) in len.iter().enumerate() {
        for (j, negate) in split(m).into_iter().flatten() {
            for p in &points[start[m]..start[m] + l] {
                split_points[next[j]] = if negate { Point { x: p.x, y: -p.y } } else { *p };
                next[j] += 1;
            }
        }
    }
    let mut split_len: [usize; SPLIT] = core::array::from_fn(|j| split_start[j + 1] - split_start[j]);
    add_in_buckets(split_points, &split_start, &mut split_len, inversions);
    let low = weighted_sum(split_points, &split_start[..=HALF], &split_len[..HALF]);
    let mut high = weighted_sum(split_points, &split_start[HALF..], &split_len[HALF..]);
    for _ in 0..4 {
        high.double_in_place();
    }
    // The digits and the buckets' points follow the scalars (the prover's are secret):
    // zeroed like the inversions' buffers.
    for buffer in [points, split_points] {
        wipe(buffer, buffer.len(), Point::FILLER);
    }
    wipe(digits, digits.len(), 0);
    low + high
}

/// `P` as a bucket point for a nonzero `digit`: negated when the digit is negative.
fn signed_point(p: &G1Affine, digit: i8) -> Point<Fq> {
    Point { x: p.x, y: if digit < 0 { -p.y } else { p.y } }
}

/// Appends the [`WINDOWS`] signed base-256 digits `d_k ∈ [−128, 127]` of `scalar`, with
/// `scalar = Σ_k d_k·2^(8k)`: a byte of 128 or more becomes itself minus 256 and carries
/// one into the next (scalars are below `2^254`, so nothing carries out of the last).
fn push_signed_digits(scalar: &Fr, digits: &mut Vec<i8>) {
    let limbs = scalar.into_bigint().0;
    let mut carry = 0u64;
    for k in 0..WINDOWS {
        let digit = ((limbs[k / 8] >> (8 * (k % 8))) & 0xff) + carry;
        carry = u64::from(digit >= 1 << (WINDOW_BITS - 1));
        digits.push((digit as i64 - ((carry as i64) << WINDOW_BITS)) as i8);
    }
    debug_assert_eq!(carry, 0, "scalars are below 2^254");
}

/// A table of one base's multiples `j·2^(8k)·P` (`1 ≤ j ≤ 128`, `k < 32`: 4,096 affine
/// points, 288 KiB) for many separate products `x·P`: each product is the sum of the (at most 32)
/// entries its signed digits pick, and all the products' sums are made together, in
/// levels of affine additions sharing one inversion each (about six multiplications per
/// addition, against about eleven for arkworks' windowed multiplication in projective
/// coordinates).
#[cfg(feature = "prover")]
pub(crate) struct Multiples {
    /// `(j + 1)·2^(8k)·P` at `BUCKETS·k + j`.
    table: Vec<G1Affine>,
}

#[cfg(feature = "prover")]
impl Multiples {
    /// The table of the base whose shifts are `shifts` (from [`FixedBases::shifts`]; not
    /// the identity, so that no entry is: `j·2^(8k)` is below `2^255` and the group's order
    /// is a prime above 128).
    pub(crate) fn new(shifts: &[G1Affine]) -> Self {
        debug_assert!(shifts.len() == WINDOWS && !shifts[0].is_zero());
        let mut multiples = Vec::with_capacity(WINDOWS * BUCKETS);
        for shift in shifts {
            let mut p = G1Projective::zero();
            for _ in 0..BUCKETS {
                p += shift;
                multiples.push(p);
            }
        }
        Multiples { table: G1Projective::normalize_batch(&multiples) }
    }

    /// `x·P` for every `x` of `scalars`, in affine form. The digits and the buffers of the
    /// additions follow the scalars (secret blinds): they are zeroed after use.
    pub(crate) fn times(&self, scalars: &[Fr]) -> Vec<G1Affine> {
        let mut digits = Vec::with_capacity(scalars.len() * WINDOWS);
        // Product i's points: points[start[i]..start[i + 1]], one per nonzero digit.
        let mut start = Vec::with_capacity(scalars.len() + 1);
        start.push(0);
        for x in scalars {
            push_signed_digits(x, &mut digits);
            let nonzero = digits[digits.len() - WINDOWS..].iter().filter(|d| **d != 0).count();
            start.push(start[start.len() - 1] + nonzero);
        }
        let mut points = Vec::with_capacity(start[scalars.len()]);
        for (i, digit) in digits.iter().enumerate().filter(|(_, d)| **d != 0) {
            let entry = &self.table[BUCKETS * (i % WINDOWS) + digit.unsigned_abs() as usize - 1];
            points.push(signed_point(entry, *digit));
        }
        let mut len: Vec<usize> = start.windows(2).map(|w| w[1] - w[0]).collect();
        add_in_buckets(&mut points, &start[..scalars.len()], &mut len, &mut Inversions::default());
        // Native levels run down to one point per product (`BaseField::MIN_LEVEL_PAIRS` is 1).
        let products = start
            .iter()
            .zip(&len)
            .map(|(s, l)| match l {
                0 => G1Affine::zero(),
                _ => G1Affine::new_unchecked(points[*s].x, points[*s].y),
            })
            .collect();
        let (n_points, n_digits) = (points.len(), digits.len());
        wipe(&mut points, n_points, Point::FILLER);
        wipe(&mut digits, n_digits, 0);
        products
    }
}

/// Buckets in each half of the split of [`msm_with`]'s bucket reduction (`C_1 ..= C_8`,
/// then `D_1 ..= D_8`).
const HALF: usize = 8;
/// Number of buckets of the split.
const SPLIT: usize = 2 * HALF;

/// The buckets of the split that bucket `m` (digits `±(m + 1)`) goes into, with
/// `m + 1 = 16a + b`: `C_|b|` (index `|b| − 1`; negated if `b < 0`) unless `b = 0`, and
/// `D_a` (index `8 + a − 1`) unless `a = 0`.
fn split(m: usize) -> [Option<(usize, bool)>; 2] {
    let v = m + 1;
    let a = (v + 7) / 16;
    let (b, negate) = if v >= 16 * a { (v - 16 * a, false) } else { (16 * a - v, true) };
    [(b > 0).then(|| (b - 1, negate)), (a > 0).then(|| (HALF + a - 1, false))]
}

/// `Σ_j (j + 1)·S_j` with `S_j` the sum of `points[start[j]..start[j] + len[j]]`, as a
/// running sum from the top bucket (a mixed addition per point, a projective one per bucket).
fn weighted_sum(points: &[Point<Fq>], start: &[usize], len: &[usize]) -> G1Projective {
    let (mut running, mut total) = (G1Projective::zero(), G1Projective::zero());
    for (s, l) in start.iter().zip(len).rev() {
        for p in &points[*s..s + l] {
            running += &G1Affine::new_unchecked(p.x, p.y);
        }
        total += running;
    }
    total
}

/// The tables of `V` (base 0) and `H` (base 1).
pub(crate) fn value_and_blinding() -> &'static FixedBases {
    static TABLES: OnceLock<FixedBases> = OnceLock::new();
    TABLES.get_or_init(|| FixedBases::new(&[value_generator(), blinding_generator()]))
}

/// The tables of `gens`, with the index of `gens[0]` in them: the shared tables of the
/// message generators if `gens` is a run of them (as every block of the Spartan prover
/// is), else tables built for `gens` alone.
#[cfg(feature = "prover")]
pub(crate) fn tables_for(gens: &[G1Affine]) -> (Arc<FixedBases>, usize) {
    let known = message_generators(0);
    if let Some(start) = gens.first().and_then(|g| known.iter().position(|k| k == g)) {
        if known.get(start..start + gens.len()) == Some(gens) {
            let tables = message_tables(start + gens.len());
            return (tables, start);
        }
    }
    (Arc::new(FixedBases::new(gens)), 0)
}

/// The tables of consecutive runs of generators (a dot-product proof's segments), each
/// run's from [`tables_for`].
#[cfg(feature = "prover")]
pub(crate) struct RunTables(Vec<(Arc<FixedBases>, usize, usize)>);

#[cfg(feature = "prover")]
impl RunTables {
    /// The tables of `runs`, in order.
    pub(crate) fn new(runs: &[&[G1Affine]]) -> Self {
        RunTables(
            runs.iter()
                .map(|gens| {
                    let (tables, first) = tables_for(gens);
                    (tables, first, gens.len())
                })
                .collect(),
        )
    }

    /// Each generator's shifts, run after run, in order.
    pub(crate) fn shifts(&self) -> impl Iterator<Item = &[G1Affine]> {
        self.0.iter().flat_map(|(tables, first, len)| (0..*len).map(move |i| tables.shifts(first + i)))
    }
}

/// Tables of at least the first `n` message generators (cached process-wide, grown on demand).
pub(crate) fn message_tables(n: usize) -> Arc<FixedBases> {
    static CACHE: OnceLock<Mutex<Arc<FixedBases>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Arc::new(FixedBases { shifts: Vec::new() })));
    // The cached value is replaced whole, so a poisoned lock holds a consistent one.
    let mut cached = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if cached.len() < n {
        let gens = message_generators(n);
        let more = FixedBases::new(&gens[cached.len()..n]);
        let mut shifts = Vec::with_capacity(n * WINDOWS);
        shifts.extend_from_slice(&cached.shifts);
        shifts.extend(more.shifts);
        *cached = Arc::new(FixedBases { shifts });
    }
    Arc::clone(&cached)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::VariableBaseMSM;
    use ark_ff::{Field, UniformRand};
    use rand::{rngs::StdRng, RngCore, SeedableRng};

    #[test]
    fn fixed_base_msm_matches_the_variable_base_one() {
        let mut rng = StdRng::seed_from_u64(7);
        let bases: Vec<G1Affine> = (0..9).map(|_| G1Projective::rand(&mut rng).into_affine()).collect();
        let tables = FixedBases::new(&bases);
        assert_eq!(tables.len(), 9);
        // Random scalars and the digit edge cases: 0, 1, −1, 127, 128, 255, 256, 2^253.
        let mut scalars: Vec<Fr> = [0u64, 1, 127, 128, 255, 256, 0x80_80_80].iter().map(|&v| Fr::from(v)).collect();
        scalars.push(-Fr::ONE);
        scalars.push(Fr::from(2u64).pow([253]));
        for round in 0..3 {
            if round > 0 {
                scalars = (0..9).map(|_| Fr::rand(&mut rng)).collect();
            }
            let expected = G1Projective::msm_unchecked(&bases, &scalars);
            let got = msm((0..9).map(|i| (tables.shifts(i), scalars[i])));
            assert_eq!(got, expected, "round {round}");
        }
        assert_eq!(msm([]), G1Projective::zero());
        assert_eq!(tables.shifts(3)[0], bases[3]);
    }

    /// Separate products on a table of multiples: the digit edge cases (0, 1, −1, 127,
    /// 128, 255, 256, a carry through every byte, 2^253, −2^253, p − 1) and enough random
    /// scalars for several levels of additions, against arkworks' scalar multiplication.
    #[test]
    #[cfg(feature = "prover")]
    fn multiples_are_scalar_multiplications() {
        let mut rng = StdRng::seed_from_u64(13);
        let base = message_generators(1)[0];
        let multiples = Multiples::new(FixedBases::new(&[base]).shifts(0));
        let top = Fr::from(2u64).pow([253]);
        let mut scalars: Vec<Fr> =
            [0u64, 1, 127, 128, 255, 256, 0x7f7f_7f80, 0x8080_8080].iter().map(|&v| Fr::from(v)).collect();
        scalars.extend([-Fr::ONE, top, -top, Fr::from_le_bytes_mod_order(&[0xff; 32])]);
        scalars.extend((0..40).map(|_| Fr::rand(&mut rng)));
        let got = multiples.times(&scalars);
        assert_eq!(got.len(), scalars.len());
        for (i, (p, x)) in got.iter().zip(&scalars).enumerate() {
            assert_eq!(*p, (G1Projective::from(base) * x).into_affine(), "scalar {i}");
        }
        assert!(multiples.times(&[]).is_empty());
        assert_eq!(multiples.times(&[Fr::ZERO]), vec![G1Affine::zero()]);
    }

    /// The affine bucket additions' special cases: a point added to itself (a doubling),
    /// to its negation (the identity, dropped), and buckets left empty or with one point.
    #[test]
    fn doublings_and_cancellations_in_a_bucket() {
        let gens = message_generators(3);
        let tables = FixedBases::new(&gens);
        let p = G1Projective::from(gens[0]);
        let one = (tables.shifts(0), Fr::ONE);
        let minus_one = (tables.shifts(0), -Fr::ONE);
        assert_eq!(msm([one, one]), p.double());
        assert_eq!(msm([one, minus_one]), G1Projective::zero());
        assert_eq!(msm([one, minus_one, one]), p);
        assert_eq!(msm([one, one, one, minus_one, one]), p * Fr::from(3u64));
        // 5 = 2 + 3 in one bucket of each window, with a second base.
        let (two, three) = (Fr::from(2u64), Fr::from(3u64));
        let q = G1Projective::from(gens[1]);
        let got = msm([(tables.shifts(0), two), (tables.shifts(0), three), (tables.shifts(1), two)]);
        assert_eq!(got, p * Fr::from(5u64) + q * two);
    }

    /// The same special cases where there are enough points for the levels of affine
    /// additions to run (at least `BaseField::MIN_LEVEL_PAIRS` pairs): a level of doublings, one
    /// of cancellations, one whose pairs cancel after doublings, and an odd point left.
    /// The scalars are 1 on the tables of `P` and of `−P`, so that each term puts `P` or
    /// `−P` into bucket 0, in the order of the terms.
    #[test]
    fn doublings_and_cancellations_in_levels_of_affine_additions() {
        let p = message_generators(1)[0];
        let tables = FixedBases::new(&[p, -p]);
        let p = G1Projective::from(p);
        let (plus, minus) = ((tables.shifts(0), Fr::ONE), (tables.shifts(1), Fr::ONE));
        for count in [64u64, 65, 128, 131] {
            let all_plus = vec![plus; count as usize];
            assert_eq!(msm(all_plus), p * Fr::from(count), "{count} × P");
            let cancelling = (0..count).map(|i| if i % 2 == 0 { plus } else { minus });
            assert_eq!(msm(cancelling), p * Fr::from(count % 2), "{count} × ±P");
            let doubled_then_cancelling = (0..count).map(|i| if i % 4 < 2 { plus } else { minus });
            let expected = [0u64, 1, 2, 1][(count % 4) as usize];
            assert_eq!(msm(doubled_then_cancelling), p * Fr::from(expected), "{count} × (P, P, −P, −P)");
        }
    }

    /// Many terms on a few bases with scalars from a small set (so that buckets get equal
    /// and opposite points at every level), and random ones, against arkworks' MSM.
    #[test]
    fn many_terms_with_repeated_bases_and_digits_match_the_variable_base_msm() {
        let mut rng = StdRng::seed_from_u64(11);
        let gens = message_generators(3);
        let tables = FixedBases::new(&gens);
        let small = [1i64, -1, 2, -2, 128, -128, 255, 256, -256, 0x0101_0101];
        for (count, random) in [(40, false), (300, false), (300, true)] {
            let bases: Vec<usize> = (0..count).map(|_| rng.next_u32() as usize % 3).collect();
            let scalars: Vec<Fr> = (0..count)
                .map(|_| {
                    if random {
                        Fr::rand(&mut rng)
                    } else {
                        let v = small[rng.next_u32() as usize % small.len()];
                        if v < 0 {
                            -Fr::from(v.unsigned_abs())
                        } else {
                            Fr::from(v as u64)
                        }
                    }
                })
                .collect();
            let points: Vec<G1Affine> = bases.iter().map(|&b| gens[b]).collect();
            let expected = G1Projective::msm_unchecked(&points, &scalars);
            let got = msm(bases.iter().zip(&scalars).map(|(&b, s)| (tables.shifts(b), *s)));
            assert_eq!(got, expected, "{count} terms, random scalars: {random}");
        }
    }

    /// A base that is the identity contributes nothing (it has no affine coordinates to add).
    #[test]
    fn an_identity_base_is_left_out() {
        let gens = message_generators(1);
        let tables = FixedBases::new(&[G1Affine::zero(), gens[0]]);
        let (x, y) = (Fr::from(12345u64), -Fr::from(77u64));
        let expected = G1Projective::from(gens[0]) * y;
        assert_eq!(msm([(tables.shifts(0), x), (tables.shifts(1), y)]), expected);
        assert_eq!(msm(vec![(tables.shifts(0), x); 100]), G1Projective::zero());
    }

    /// After an MSM, the buffers of the digits and of the buckets' points hold only zeros.
    /// Scalars whose 32 bytes are all 1 put one point into bucket 0 per window of each term
    /// (32·9 digits, as many points); the split's buffer holds at least one.
    #[test]
    #[allow(unsafe_code)]
    fn the_scratch_is_zeroed_after_an_msm() {
        let gens = message_generators(9)[..9].to_vec();
        let tables = FixedBases::new(&gens);
        let ones = Fr::from_le_bytes_mod_order(&[1u8; 32]);
        let mut scratch = Scratch::default();
        let got = msm_with((0..9).map(|i| (tables.shifts(i), ones)), &mut scratch);
        let sum: G1Projective = gens.iter().map(|g| G1Projective::from(*g)).sum();
        assert_eq!(got, sum * ones);
        let zero_point = |p: &Point<Fq>| p.x.is_zero() && p.y.is_zero();
        assert!(scratch.digits.is_empty() && scratch.points.is_empty() && scratch.split_points.is_empty());
        // SAFETY: `wipe` initialized these lengths of the buffers.
        unsafe {
            assert!(scratch.digits.spare_capacity_mut()[..32 * 9].iter().all(|d| d.assume_init_read() == 0));
            assert!(scratch.points.spare_capacity_mut()[..32 * 9].iter().all(|p| zero_point(&p.assume_init_read())));
            assert!(zero_point(&scratch.split_points.spare_capacity_mut()[0].assume_init_read()));
        }
    }

    #[test]
    fn the_split_of_the_reduction_covers_every_bucket_once() {
        for m in 0..BUCKETS {
            let [low, high] = split(m);
            let low = low.map_or(0, |(j, negate)| if negate { -(j as i64 + 1) } else { j as i64 + 1 });
            let high = high.map_or(0, |(j, negate)| {
                assert!(!negate);
                j as i64 - HALF as i64 + 1
            });
            assert_eq!(16 * high + low, m as i64 + 1, "bucket {m}");
            assert!((-7..=8).contains(&low) && (0..=8).contains(&high), "bucket {m}");
        }
    }

    #[test]
    fn tables_for_message_generators_are_shared_and_others_built() {
        let gens = message_generators(12);
        let (tables, start) = tables_for(&gens[4..12]);
        assert_eq!(start, 4);
        assert!(tables.len() >= 12);
        assert_eq!(tables.shifts(5)[0], gens[5]);
        let (tables, start) = tables_for(&[gens[2], gens[7]]);
        assert_eq!((start, tables.len()), (0, 2));
        assert_eq!(tables.shifts(1)[0], gens[7]);
    }
}
