//! Variable-base multi-scalar multiplication: the bucket method (Pippenger) with
//! signed digits, as arkworks' `msm_unchecked`, whose result it equals for every
//! input. Each term `k·P` is first split by BN254's endomorphism into
//! `k1·P + k2·φ(P)` with `|k1|, |k2| < 2^127` ([`super::glv`]): twice the points, half
//! the windows. The buckets of all windows are summed at once in affine coordinates
//! ([`super::batch_affine`], one field inversion per level of pairwise additions),
//! then combined window by window in XYZZ coordinates ([`super::xyzz::Xyzz`]). With
//! the `parallel` feature, the low and the high half of the windows are computed on
//! two threads.

use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ff::PrimeField;
use core::ops::Range;

use super::batch_affine::{self, Inversions, Point};
use super::field::BaseField;
use super::glv;
use super::xyzz::Xyzz;

/// Largest window; its buckets fit easily in memory (2^15 points).
const MAX_WINDOW_BITS: usize = 16;

/// Fewest points (two per term after the split) for which the windows are split over two
/// threads (with the `parallel` feature). Not tuned: 32 points take about a quarter of a
/// millisecond on one thread natively, far more than a second thread's start.
const MIN_PARALLEL_POINTS: usize = 32;

/// `Σ_i scalars[i]·bases[i]` over the common length of the two slices, on the field
/// representation `F`.
pub(crate) fn msm<F: BaseField>(bases: &[G1Affine], scalars: &[Fr]) -> G1Projective {
    let (points, scalars) = split_terms::<F>(bases, scalars);
    if points.is_empty() {
        return G1Projective::default();
    }
    let digits = SignedDigits::new(&scalars, window_bits(points.len()));
    let split = if cfg!(feature = "parallel") && points.len() >= MIN_PARALLEL_POINTS { digits.windows / 2 } else { 0 };
    split_sum(&points, &digits, split).to_ark()
}

/// The terms `k·P` as `k1·P + k2·φ(P)` ([`glv::split`]), each a point and a magnitude
/// below `2^127`: `P` or `φ(P) = (β·x, y)`, negated for a negative `k1` or `k2`. Identity
/// bases and zero scalars add nothing and are left out.
fn split_terms<F: BaseField>(bases: &[G1Affine], scalars: &[Fr]) -> (Vec<Point<F>>, Vec<u128>) {
    let beta = F::from_ark(&glv::BETA);
    let n = bases.len().min(scalars.len());
    let (mut points, mut magnitudes) = (Vec::with_capacity(2 * n), Vec::with_capacity(2 * n));
    for (base, scalar) in bases.iter().zip(scalars) {
        let Some(p) = Point::<F>::from_ark(base) else { continue };
        let (k1, k2) = glv::split(&scalar.into_bigint().0);
        let phi_p = Point { x: p.x.mul(&beta), y: p.y };
        for (point, k) in [(p, k1), (phi_p, k2)] {
            if k != 0 {
                points.push(if k < 0 { point.neg() } else { point });
                magnitudes.push(k.unsigned_abs());
            }
        }
    }
    (points, magnitudes)
}

/// The sum of all windows, as the windows below `split` and those from `split` up,
/// concurrently with the `parallel` feature.
fn split_sum<F: BaseField>(points: &[Point<F>], digits: &SignedDigits, split: usize) -> Xyzz<F> {
    let (low, high) = crate::snark::parallel::join(
        || windows_sum(points, digits, 0..split),
        || windows_sum(points, digits, split..digits.windows),
    );
    // The sum is low + 2^(c·split)·high.
    let mut total = high;
    for _ in 0..digits.c * split {
        total = total.double();
    }
    total.add(&low)
}

/// `Σ_{w ∈ windows} 2^(c·(w − windows.start))·S_w`, with `S_w = Σ_k k·B_{w,k}` the
/// weighted sum of window `w`'s buckets.
fn windows_sum<F: BaseField>(points: &[Point<F>], digits: &SignedDigits, windows: Range<usize>) -> Xyzz<F> {
    let buckets_per_window = 1 << (digits.c - 1);
    let (sorted, start, len) = bucket_points(points, digits, windows.clone(), buckets_per_window);
    let mut acc = Xyzz::IDENTITY;
    for w in windows.clone().rev() {
        for _ in 0..digits.c {
            acc = acc.double();
        }
        // Σ_k k·B_k as a sum of running sums, from the top bucket down; a bucket's sum
        // may still be spread over a few points (batch_affine::add_in_buckets).
        let (mut running, mut sum) = (Xyzz::IDENTITY, Xyzz::IDENTITY);
        let first = (w - windows.start) * buckets_per_window;
        for b in (first..first + buckets_per_window).rev() {
            for p in &sorted[start[b]..start[b] + len[b]] {
                running = running.add_affine(p);
            }
            sum = sum.add(&running);
        }
        acc = acc.add(&sum);
    }
    acc
}

/// The points of the buckets of `windows`, sorted by bucket and summed
/// ([`batch_affine::add_in_buckets`]), with each bucket's start and remaining length:
/// bucket `(w − windows.start)·B + k − 1` (`B` buckets per window) holds the points
/// whose digit in window `w` is `±k`, each negated for `−k`.
type Buckets<F> = (Vec<Point<F>>, Vec<usize>, Vec<usize>);

/// The [`Buckets`] of `windows`.
fn bucket_points<F: BaseField>(
    points: &[Point<F>],
    digits: &SignedDigits,
    windows: Range<usize>,
    buckets_per_window: usize,
) -> Buckets<F> {
    let bucket = |w: usize, d: i32| (w - windows.start) * buckets_per_window + d.unsigned_abs() as usize - 1;
    let nonzero = |w: usize| digits.window(w).iter().enumerate().filter(|(_, &d)| d != 0);
    // Counting sort by bucket: start[b] is where bucket b's points begin.
    let mut start = vec![0; windows.len() * buckets_per_window + 1];
    for w in windows.clone() {
        for (_, &d) in nonzero(w) {
            start[bucket(w, d) + 1] += 1;
        }
    }
    for b in 1..start.len() {
        start[b] += start[b - 1];
    }
    let mut next = start.clone();
    let mut sorted = vec![Point::FILLER; start[start.len() - 1]];
    for w in windows.clone() {
        for (i, &d) in nonzero(w) {
            let b = bucket(w, d);
            sorted[next[b]] = if d > 0 { points[i] } else { points[i].neg() };
            next[b] += 1;
        }
    }
    let mut len: Vec<usize> = start.windows(2).map(|s| s[1] - s[0]).collect();
    batch_affine::add_in_buckets(&mut sorted, &start, &mut len, &mut Inversions::for_public_points());
    (sorted, start, len)
}

/// The window minimizing the estimated cost of `n` points: per window, `n` affine
/// additions into buckets and, per bucket (`2^(c−1)`), a mixed and a full addition to sum
/// them, weighted as three affine additions. The weight is measured (natively, one thread):
/// with it the window is within 2% of the fastest for 8 to 1,024 terms (16 to 2,048
/// points), where the estimate of the multiplications (about 6 per affine addition and 24
/// per bucket) chose windows up to 6% slower.
fn window_bits(n: usize) -> usize {
    (1..=MAX_WINDOW_BITS).min_by_key(|&c| SignedDigits::windows(c) * (n + 3 * (1 << (c - 1)))).unwrap_or(1)
}

/// The scalars in base `2^c` with digits in `[−2^(c−1), 2^(c−1)]`, window by window.
struct SignedDigits {
    /// Bits per window.
    c: usize,
    /// Windows per scalar.
    windows: usize,
    /// Digit of scalar `i` in window `w` at `w·n + i`.
    digits: Vec<i32>,
    /// Scalars.
    n: usize,
}

impl SignedDigits {
    /// Windows of `c` bits for scalars below `2^127` ([`glv::SPLIT_BITS`]): the top window
    /// takes the bits from `c·(W−1)` up, fewer than `c` as `c·W ≥ 128`, so its digit plus
    /// the carry from below is at most `2^(c−1)` and carries no further.
    fn windows(c: usize) -> usize {
        (glv::SPLIT_BITS + 1).div_ceil(c)
    }

    /// The digits of `scalars` (each below `2^127`).
    fn new(scalars: &[u128], c: usize) -> SignedDigits {
        let (windows, n) = (Self::windows(c), scalars.len());
        let mut digits = vec![0; windows * n];
        let half = 1i64 << (c - 1);
        for (i, &s) in scalars.iter().enumerate() {
            let mut carry = 0;
            for w in 0..windows {
                let mut d = bits(s, w * c, c) as i64 + carry;
                // d ≤ 2^c; above 2^(c−1) it becomes d − 2^c (≥ −2^(c−1) + 1), carrying 1.
                carry = i64::from(d > half);
                d -= carry << c;
                // |d| ≤ 2^(c−1) ≤ 2^15 fits an i32.
                digits[w * n + i] = d as i32;
            }
        }
        SignedDigits { c, windows, digits, n }
    }

    /// The digits of every scalar in window `w`.
    fn window(&self, w: usize) -> &[i32] {
        &self.digits[w * self.n..(w + 1) * self.n]
    }
}

/// Bits `from..from + c` of `s` (zero past bit 127), for `c ≤ 16`.
fn bits(s: u128, from: usize, c: usize) -> u64 {
    (s.checked_shr(from as u32).unwrap_or(0) as u64) & ((1 << c) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snark::limb29::Fq29;
    use ark_bn254::Fq;
    use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
    use ark_ff::{BigInteger, Field, UniformRand, Zero};
    use proptest::prelude::*;
    use rand::{rngs::StdRng, Rng, SeedableRng};

    fn random_points(n: usize, rng: &mut StdRng) -> Vec<G1Affine> {
        let points: Vec<_> = (0..n).map(|_| G1Projective::rand(rng)).collect();
        G1Projective::normalize_batch(&points)
    }

    /// Both instantiations (arkworks' field and 29-bit limbs) against arkworks' MSM.
    fn check(bases: &[G1Affine], scalars: &[Fr]) {
        let expected = G1Projective::msm_unchecked(bases, scalars);
        assert_eq!(msm::<Fq>(bases, scalars), expected, "Fq, {} terms", bases.len());
        assert_eq!(msm::<Fq29>(bases, scalars), expected, "Fq29, {} terms", bases.len());
    }

    #[test]
    fn digits_recompose_the_scalars() {
        let mut rng = StdRng::seed_from_u64(1);
        let top = (1u128 << glv::SPLIT_BITS) - 1;
        let mut scalars = vec![0, 1, top, top - 1, 1 << 126, u128::from(u64::MAX)];
        scalars.extend((0..20).map(|_| rng.gen::<u128>() >> 1));
        for c in 1..=MAX_WINDOW_BITS {
            let digits = SignedDigits::new(&scalars, c);
            for (i, &s) in scalars.iter().enumerate() {
                let mut sum = Fr::zero();
                for w in (0..digits.windows).rev() {
                    let d = digits.window(w)[i];
                    assert!(d.unsigned_abs() <= 1 << (c - 1), "digit {d} for c = {c}");
                    sum = sum * Fr::from(1u64 << c) + Fr::from(i64::from(d));
                }
                assert_eq!(sum, Fr::from(s), "c = {c}");
            }
        }
    }

    #[test]
    fn bits_past_the_top() {
        let s = (5u128 << 120) | (1 << 63) | 0xabc;
        assert_eq!(bits(s, 0, 8), 0xbc);
        assert_eq!(bits(s, 60, 8), 0x8);
        assert_eq!(bits(s, 120, 16), 5);
        assert_eq!(bits(s, 127, 4), 0);
        assert_eq!(bits(s, 128, 4), 0);
        assert_eq!(bits(s, 140, 16), 0);
    }

    #[test]
    fn edge_cases_match_arkworks() {
        let mut rng = StdRng::seed_from_u64(2);
        let p = random_points(4, &mut rng);
        let g = G1Affine::generator();
        let minus_one = -Fr::ONE;
        check(&[], &[]);
        check(&p[..1], &[Fr::zero()]);
        check(&[G1Affine::identity(), p[0]], &[Fr::from(3u64), Fr::from(5u64)]);
        check(&[g], &[minus_one]);
        check(&[g, g], &[Fr::ONE, minus_one]);
        // Equal points meeting in a bucket (doubling) and opposite ones (identity).
        check(&[p[0], p[0], p[0]], &[Fr::from(7u64), Fr::from(7u64), Fr::from(7u64)]);
        check(&[p[0], -p[0], p[1]], &[Fr::from(9u64), Fr::from(9u64), Fr::from(2u64)]);
        check(&[p[0], -p[0]], &[Fr::from(9u64), Fr::from(9u64)]);
        check(&p, &[minus_one, minus_one, Fr::ONE, Fr::from(1u64 << 40)]);
        // Scalars whose split has a zero half (λ splits into (0, 1)), and the bases P and
        // φ(P), so that the split puts equal or opposite points in the same buckets.
        let (lambda, phi) = (glv::LAMBDA, |p: G1Affine| G1Affine::new(p.x * glv::BETA, p.y));
        check(&[p[0], p[1]], &[lambda, -lambda]);
        check(&[p[0], phi(p[0])], &[lambda, Fr::ONE]);
        check(&[p[0], phi(p[0])], &[lambda, minus_one]);
        check(&[p[0], phi(p[0]), -phi(p[0])], &[Fr::from(5u64), lambda * Fr::from(5u64), Fr::from(3u64)]);
        check(&[p[0], phi(p[0])], &[minus_one, -lambda]);
        // Lengths differ: the common prefix, as arkworks.
        check(&p[..3], &[Fr::ONE; 2]);
        assert!(msm::<Fq>(&[g], &[Fr::from(4u64)]) == G1Projective::generator() * Fr::from(4u64));
        assert_eq!(Fr::MODULUS.num_bits(), 254);
    }

    #[test]
    fn repeated_bases_and_sizes_up_to_600_match_arkworks() {
        let mut rng = StdRng::seed_from_u64(3);
        for n in [1usize, 2, 3, 31, 64, 130, 310, 600] {
            let distinct = random_points(n.div_ceil(3), &mut rng);
            let bases: Vec<_> = (0..n).map(|_| distinct[rng.gen_range(0..distinct.len())]).collect();
            let scalars: Vec<_> = (0..n)
                .map(|i| match i % 5 {
                    0 => Fr::zero(),
                    1 => Fr::from(rng.gen_range(0..16u64)),
                    _ => Fr::rand(&mut rng),
                })
                .collect();
            check(&bases, &scalars);
        }
    }

    /// Many copies of `P` and `−P` with equal scalars: every bucket gets equal and opposite
    /// points in every level of affine additions (doublings, cancellations, both in turn).
    #[test]
    fn equal_and_opposite_points_in_levels_of_affine_additions() {
        let mut rng = StdRng::seed_from_u64(4);
        let p = random_points(1, &mut rng)[0];
        let s = Fr::rand(&mut rng);
        for count in [64usize, 65, 200, 331] {
            check(&vec![p; count], &vec![s; count]);
            let alternating: Vec<_> = (0..count).map(|i| if i % 2 == 0 { p } else { -p }).collect();
            check(&alternating, &vec![s; count]);
            let pairs: Vec<_> = (0..count).map(|i| if i % 4 < 2 { p } else { -p }).collect();
            check(&pairs, &vec![s; count]);
        }
    }

    /// Every split of the windows between the two halves gives the same sum.
    #[test]
    fn every_split_of_the_windows_gives_the_sum() {
        let mut rng = StdRng::seed_from_u64(5);
        let bases = random_points(40, &mut rng);
        let scalars: Vec<Fr> = (0..40).map(|_| Fr::rand(&mut rng)).collect();
        let expected = G1Projective::msm_unchecked(&bases, &scalars);
        let (points, magnitudes) = split_terms::<Fq>(&bases, &scalars);
        let digits = SignedDigits::new(&magnitudes, window_bits(points.len()));
        for split in 0..=digits.windows {
            assert_eq!(split_sum(&points, &digits, split).to_ark(), expected, "split at {split}");
        }
    }

    /// A scalar: random, or one of 0, 1, −1 (= p − 1), a small value or its negation, or
    /// a small multiple of `±λ` (whose split has a zero or small half).
    fn scalar(kind: u8, rng: &mut StdRng) -> Fr {
        match kind % 10 {
            0 => Fr::zero(),
            1 => Fr::ONE,
            2 => -Fr::ONE,
            3 => Fr::from(rng.gen_range(0..1u64 << 20)),
            4 => -Fr::from(rng.gen_range(0..1u64 << 20)),
            5 => glv::LAMBDA * Fr::from(rng.gen_range(1..4u64)),
            6 => -glv::LAMBDA * Fr::from(rng.gen_range(1..4u64)),
            _ => Fr::rand(rng),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn random_msms_match_arkworks(n in 0usize..600, seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            check(&random_points(n, &mut rng), &(0..n).map(|_| Fr::rand(&mut rng)).collect::<Vec<_>>());
        }

        /// Bases drawn from a few points (one of them `φ` of another), their negations and
        /// the identity; scalars mixing 0, 1, p − 1, small values, multiples of `±λ` and
        /// random ones.
        #[test]
        fn msms_with_edge_bases_and_scalars_match_arkworks(
            kinds in proptest::collection::vec((any::<u8>(), any::<u8>()), 0..600),
            seed in any::<u64>(),
        ) {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut distinct = random_points(2, &mut rng);
            distinct.push(G1Affine::new(distinct[0].x * glv::BETA, distinct[0].y));
            let (bases, scalars): (Vec<_>, Vec<_>) = kinds
                .iter()
                .map(|&(base, kind)| {
                    let p = match base % 7 {
                        6 => G1Affine::identity(),
                        b => if b % 2 == 0 { distinct[b as usize / 2] } else { -distinct[b as usize / 2] },
                    };
                    (p, scalar(kind, &mut rng))
                })
                .unzip();
            check(&bases, &scalars);
        }
    }
}
