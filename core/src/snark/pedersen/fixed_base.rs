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
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::CurveGroup;
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

/// `Σ scalar·P` over `(shifts of P, scalar)` terms (the shifts from [`FixedBases::shifts`]).
pub(crate) fn msm<'a>(terms: impl IntoIterator<Item = (&'a [G1Affine], Fr)>) -> G1Projective {
    let mut buckets = [G1Projective::zero(); BUCKETS];
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
                buckets[digit as usize - 1] += shift;
            } else {
                buckets[(256 - digit) as usize - 1] -= shift;
            }
        }
        debug_assert_eq!(carry, 0, "scalars are below 2^254");
    }
    // Σ_m (m + 1)·B_m as a running sum from the top bucket.
    let (mut running, mut total) = (G1Projective::zero(), G1Projective::zero());
    for bucket in buckets.iter().rev() {
        running += bucket;
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
