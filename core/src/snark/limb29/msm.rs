//! Variable-base multi-scalar multiplication: the bucket method (Pippenger) with
//! signed digits, as arkworks' `msm_unchecked`, whose result it equals for every
//! input. The buckets of all windows are summed at once in affine coordinates
//! ([`super::batch_affine`], one field inversion per round of pairwise additions),
//! then combined window by window in XYZZ coordinates ([`super::xyzz::Xyzz`]).

use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ff::PrimeField;

use super::batch_affine;
use super::fq::Fq29;
use super::xyzz::{Affine29, Xyzz};

/// Largest window; its buckets fit easily in memory (2^15 points).
const MAX_WINDOW_BITS: usize = 16;

/// `Σ_i scalars[i]·bases[i]` over the common length of the two slices.
pub(crate) fn msm(bases: &[G1Affine], scalars: &[Fr]) -> G1Projective {
    // Identity bases and zero scalars add nothing.
    let (points, scalars): (Vec<Affine29>, Vec<[u64; 4]>) = bases
        .iter()
        .zip(scalars)
        .filter_map(|(b, s)| Some((Affine29::from_ark(b)?, s.into_bigint().0)))
        .filter(|(_, s)| *s != [0; 4])
        .unzip();
    if points.is_empty() {
        return G1Projective::default();
    }
    let c = window_bits(points.len());
    let digits = SignedDigits::new(&scalars, c);
    let buckets_per_window = 1 << (c - 1);
    let buckets = bucket_points(&points, &digits, buckets_per_window);
    let mut acc = Xyzz::IDENTITY;
    for w in (0..digits.windows).rev() {
        for _ in 0..c {
            acc = acc.double();
        }
        // Σ_k k·bucket_k as a sum of running sums, from the top bucket down.
        let (mut running, mut sum) = (Xyzz::IDENTITY, Xyzz::IDENTITY);
        for bucket in buckets[w * buckets_per_window..(w + 1) * buckets_per_window].iter().rev() {
            if let Some(b) = bucket {
                running = running.add_affine(b);
            }
            sum = sum.add(&running);
        }
        acc = acc.add(&sum);
    }
    acc.to_ark()
}

/// Bucket `w·B + k − 1` (`B` buckets per window): the sum of the points whose
/// digit in window `w` is `±k`, each negated for `−k` (`None`: the identity).
/// All windows' buckets are summed together, by [`batch_affine::sum_groups`].
fn bucket_points(points: &[Affine29], digits: &SignedDigits, buckets_per_window: usize) -> Vec<Option<Affine29>> {
    let bucket = |w: usize, d: i32| w * buckets_per_window + d.unsigned_abs() as usize - 1;
    let nonzero = |w: usize| digits.window(w).iter().enumerate().filter(|(_, &d)| d != 0);
    // Counting sort by bucket: starts[b] is where bucket b's points begin.
    let mut starts = vec![0; digits.windows * buckets_per_window + 1];
    for w in 0..digits.windows {
        for (_, &d) in nonzero(w) {
            starts[bucket(w, d) + 1] += 1;
        }
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut next = starts.clone();
    let mut sorted = vec![Affine29 { x: Fq29::ZERO, y: Fq29::ZERO }; starts[starts.len() - 1]];
    for w in 0..digits.windows {
        for (i, &d) in nonzero(w) {
            let b = bucket(w, d);
            sorted[next[b]] = if d > 0 { points[i] } else { points[i].neg() };
            next[b] += 1;
        }
    }
    batch_affine::sum_groups(sorted, &starts)
}

/// The window minimizing the estimated cost of `n` terms: per window, `n` affine
/// additions into buckets (about 6 multiplications each) and, per bucket (`2^(c−1)`),
/// a mixed and a full addition (about 24) to sum them.
fn window_bits(n: usize) -> usize {
    (1..=MAX_WINDOW_BITS).min_by_key(|&c| SignedDigits::windows(c) * (n + 2 * (1 << c))).unwrap_or(1)
}

/// The scalars in base `2^c` with digits in `[−2^(c−1), 2^(c−1)]`, window by window.
struct SignedDigits {
    /// Windows per scalar.
    windows: usize,
    /// Digit of scalar `i` in window `w` at `w·n + i`.
    digits: Vec<i32>,
    /// Scalars.
    n: usize,
}

impl SignedDigits {
    /// Windows of `c` bits for scalars below `2^254`: the top window takes the bits
    /// from `c·(W−1)` up, fewer than `c` when `c·W ≥ 255`, so its digit plus the
    /// carry from below is at most `2^(c−1)` and carries no further.
    fn windows(c: usize) -> usize {
        (Fr::MODULUS_BIT_SIZE as usize + 1).div_ceil(c)
    }

    /// The digits of `scalars` (each below the order of `Fr`, less than `2^254`).
    fn new(scalars: &[[u64; 4]], c: usize) -> SignedDigits {
        let (windows, n) = (Self::windows(c), scalars.len());
        let mut digits = vec![0; windows * n];
        let half = 1i64 << (c - 1);
        for (i, s) in scalars.iter().enumerate() {
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
        SignedDigits { windows, digits, n }
    }

    /// The digits of every scalar in window `w`.
    fn window(&self, w: usize) -> &[i32] {
        &self.digits[w * self.n..(w + 1) * self.n]
    }
}

/// Bits `from..from + c` of `s` (zero past bit 255), for `c ≤ 16`.
fn bits(s: &[u64; 4], from: usize, c: usize) -> u64 {
    let (word, shift) = (from / 64, from % 64);
    let low = s.get(word).map_or(0, |w| w >> shift);
    let high = match (shift, s.get(word + 1)) {
        (0, _) | (_, None) => 0,
        (_, Some(w)) => w << (64 - shift),
    };
    (low | high) & ((1 << c) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
    use ark_ff::{BigInteger, Field, UniformRand, Zero};
    use proptest::prelude::*;
    use rand::{rngs::StdRng, Rng, SeedableRng};

    fn random_points(n: usize, rng: &mut StdRng) -> Vec<G1Affine> {
        let points: Vec<_> = (0..n).map(|_| G1Projective::rand(rng)).collect();
        G1Projective::normalize_batch(&points)
    }

    fn check(bases: &[G1Affine], scalars: &[Fr]) {
        assert_eq!(msm(bases, scalars), G1Projective::msm_unchecked(bases, scalars), "{} terms", bases.len());
    }

    #[test]
    fn digits_recompose_the_scalars() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut scalars = vec![[0; 4], [1, 0, 0, 0], (-Fr::ONE).into_bigint().0];
        scalars.extend((0..20).map(|_| Fr::rand(&mut rng).into_bigint().0));
        for c in 1..=MAX_WINDOW_BITS {
            let digits = SignedDigits::new(&scalars, c);
            for (i, s) in scalars.iter().enumerate() {
                let mut sum = Fr::zero();
                for w in (0..digits.windows).rev() {
                    let d = digits.window(w)[i];
                    assert!(d.unsigned_abs() <= 1 << (c - 1), "digit {d} for c = {c}");
                    sum = sum * Fr::from(1u64 << c) + Fr::from(i64::from(d));
                }
                assert_eq!(sum.into_bigint().0, *s, "c = {c}");
            }
        }
    }

    #[test]
    fn bits_cross_word_boundaries() {
        let s = [u64::MAX, 0, 1 << 63, 5];
        assert_eq!(bits(&s, 60, 8), 0xf);
        assert_eq!(bits(&s, 188, 8), 0x58);
        assert_eq!(bits(&s, 250, 16), 0);
        assert_eq!(bits(&s, 256, 4), 0);
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
        // Lengths differ: the common prefix, as arkworks.
        check(&p[..3], &[Fr::ONE; 2]);
        assert!(msm(&[g], &[Fr::from(4u64)]) == G1Projective::generator() * Fr::from(4u64));
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn random_msms_match_arkworks(n in 0usize..600, seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            check(&random_points(n, &mut rng), &(0..n).map(|_| Fr::rand(&mut rng)).collect::<Vec<_>>());
        }
    }
}
