//! Multi-scalar multiplication over fixed bases (prover only): each base `P` is stored
//! with its shifts `2^(8k)·P`, `k < 32`, so that `Σ_i x_i·P_i` needs no doubling: the
//! signed base-256 digits `d_{i,k}` of every scalar go into 128 buckets
//! (`Σ_{i,k} d_{i,k}·2^(8k)·P_i`), about 32 point additions per term against the
//! 127 doublings of one scalar multiplication.
//!
//! The inner-product prover (`crate::snark::sigma`) uses it to compute its round
//! messages directly on the original generators instead of folding them (see
//! `docs/PROTOCOL-zk.md` §9). The tables of the message generators, `V` and `H` are
//! built once per process (about 40 µs per base) and shared.

use super::generators::{blinding_generator, message_generators, value_generator};
use ark_bn254::{Fq, Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field, PrimeField, Zero};
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

/// `Σ scalar·P` over `(shifts of P, scalar)` terms (the shifts from [`FixedBases::shifts`]).
pub(crate) fn msm<'a>(terms: impl IntoIterator<Item = (&'a [G1Affine], Fr)>) -> G1Projective {
    // Each signed digit puts one shift, or its negation, into the bucket of its magnitude.
    let mut digits: Vec<(u8, G1Affine)> = Vec::new();
    for (shifts, scalar) in terms {
        debug_assert_eq!(shifts.len(), WINDOWS);
        let limbs = scalar.into_bigint().0;
        let mut carry = 0u64;
        for (k, shift) in shifts.iter().enumerate() {
            let byte = (limbs[k / 8] >> (8 * (k % 8))) & 0xff;
            let digit = byte + carry;
            // Signed digits in [−128, 127]: 128 ..= 256 become digit − 256, carrying one.
            carry = u64::from(digit >= 1 << (WINDOW_BITS - 1));
            if digit == 0 || digit == 1 << WINDOW_BITS {
                continue;
            }
            if carry == 0 {
                digits.push((digit as u8 - 1, *shift));
            } else {
                digits.push(((256 - digit) as u8 - 1, -*shift));
            }
        }
        debug_assert_eq!(carry, 0, "scalars are below 2^254");
    }
    // Σ_m (m + 1)·B_m as a running sum from the top bucket (the buckets are affine, so
    // adding one to the running sum is a mixed addition).
    let (mut running, mut total) = (G1Projective::zero(), G1Projective::zero());
    for bucket in bucket_sums(digits).iter().rev() {
        running += bucket;
        total += running;
    }
    total
}

/// The sum `B_m` of each bucket's points, with affine additions: the points are sorted
/// into their buckets, then each bucket's points are added in pairs, level by level, all
/// pairs of a level sharing one field inversion (Montgomery's trick). An affine addition
/// with its share of the inversion costs about 6 field multiplications, a mixed
/// projective one about 11.
fn bucket_sums(digits: Vec<(u8, G1Affine)>) -> [G1Affine; BUCKETS] {
    // Counting sort: bucket m's points are points[start[m]..start[m + 1]].
    let mut start = [0usize; BUCKETS + 1];
    for (m, _) in &digits {
        start[*m as usize + 1] += 1;
    }
    for m in 0..BUCKETS {
        start[m + 1] += start[m];
    }
    let mut next = start;
    let mut points = vec![G1Affine::zero(); digits.len()];
    for (m, p) in digits {
        points[next[m as usize]] = p;
        next[m as usize] += 1;
    }
    let mut len: Vec<usize> = (0..BUCKETS).map(|m| start[m + 1] - start[m]).collect();
    // Each level adds points 2i and 2i + 1 of every bucket in place, into point i.
    let mut denominators = Vec::new();
    while len.iter().any(|&l| l > 1) {
        denominators.clear();
        for m in 0..BUCKETS {
            let bucket = &points[start[m]..start[m] + len[m]];
            denominators.extend(bucket.chunks_exact(2).map(|pair| chord_denominator(pair[0], pair[1])));
        }
        ark_ff::batch_inversion(&mut denominators);
        let mut inverses = denominators.iter();
        for m in 0..BUCKETS {
            let bucket = &mut points[start[m]..start[m] + len[m]];
            let mut kept = 0;
            for i in 0..bucket.len() / 2 {
                let inverse = inverses.next().expect("one inverse per pair");
                if let Some(sum) = add_with_inverse(bucket[2 * i], bucket[2 * i + 1], *inverse) {
                    bucket[kept] = sum;
                    kept += 1;
                }
            }
            if bucket.len() % 2 == 1 {
                bucket[kept] = bucket[bucket.len() - 1];
                kept += 1;
            }
            len[m] = kept;
        }
    }
    core::array::from_fn(|m| if len[m] == 1 { points[start[m]] } else { G1Affine::zero() })
}

/// The denominator of the slope of `p + q` (neither the identity): `x_q − x_p` for a
/// chord, `2·y_p` for a doubling, and 1 when `q = −p` (the sum is the identity).
fn chord_denominator(p: G1Affine, q: G1Affine) -> Fq {
    if p.x != q.x {
        q.x - p.x
    } else if p.y == q.y {
        p.y.double()
    } else {
        Fq::ONE
    }
}

/// `p + q` given the inverse of [`chord_denominator`], or `None` for the identity.
fn add_with_inverse(p: G1Affine, q: G1Affine, inverse: Fq) -> Option<G1Affine> {
    let slope = if p.x != q.x {
        (q.y - p.y) * inverse
    } else if p.y == q.y {
        // y_p ≠ 0: the group has odd order, so no point has y = 0.
        (p.x.square() * Fq::from(3u64)) * inverse
    } else {
        return None;
    };
    let x = slope.square() - p.x - q.x;
    let y = slope * (p.x - x) - p.y;
    Some(G1Affine::new_unchecked(x, y))
}

/// The tables of `V` (base 0) and `H` (base 1).
pub(crate) fn value_and_blinding() -> &'static FixedBases {
    static TABLES: OnceLock<FixedBases> = OnceLock::new();
    TABLES.get_or_init(|| FixedBases::new(&[value_generator(), blinding_generator()]))
}

/// The tables of `gens`, with the index of `gens[0]` in them: the shared tables of the
/// message generators if `gens` is a run of them (as every block of the Spartan prover
/// is), else tables built for `gens` alone.
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

/// Tables of at least the first `n` message generators (cached process-wide, grown on demand).
fn message_tables(n: usize) -> Arc<FixedBases> {
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
    use rand::{rngs::StdRng, SeedableRng};

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
