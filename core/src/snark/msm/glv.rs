//! The endomorphism of BN254's G1 and the split of scalars for it (Gallant–Lambert–Vanstone):
//! `φ(x, y) = (β·x, y)`, with `β` a cube root of unity in `Fq`, is multiplication by a cube
//! root of unity `λ` in `Fr` on G1, so `k·P = k1·P + k2·φ(P)` whenever
//! `k ≡ k1 + k2·λ (mod r)`. [`split`] finds such `k1`, `k2` below `2^127` in magnitude for
//! every `k < r`, halving the scalars' length at the price of twice as many points, each
//! extra point one multiplication by `β`.
//!
//! The split uses the lattice `{(a, b) ∈ ℤ² : a + b·λ ≡ 0 (mod r)}` (determinant `r`),
//! which has the short basis `v1 = (6u² + 2u, −(2u + 1))`, `v2 = (2u + 1, 6u² + 4u + 1)` in
//! BN254's parameter `u` (`r = 36u⁴ + 36u³ + 18u² + 6u + 1`). Writing `(k, 0) = x1·v1 + x2·v2`
//! over the rationals (`x1 = k·(6u² + 4u + 1)/r`, `x2 = k·(2u + 1)/r`), rounding `x1`, `x2`
//! to integers `c1`, `c2` (Babai's rounding) and subtracting gives
//! `(k1, k2) = (k, 0) − c1·v1 − c2·v2`, a vector with `k1 + k2·λ ≡ k` whatever `c1` and
//! `c2` are (both `v`s are in the lattice), and the short vector
//! `(x1 − c1)·v1 + (x2 − c2)·v2`: with `|x_i − c_i| < 0.6`, `|k1| < 0.6·(6u² + 4u + 1)` and
//! `|k2| < 0.6·(6u² + 6u + 2)`, both below `2^127` (`6u²` is about `1.48·2^126`).
//!
//! The rounding multiplies `k` by `g_i ≈ 2^256·x_i/k` (precomputed, off by at most ½) and
//! keeps the high half: `c_i` is within `½ + k/2^257 < 0.6` of `x_i`, as `k < r < 2^254`.

use ark_bn254::Fq;
use ark_ff::MontFp;

/// `β`, the cube root of unity in `Fq` for which `(β·x, y) = λ·(x, y)` on G1 (`λ` the
/// cube root of unity in `Fr` that the split's lattice is for; the other `β` goes with
/// `λ²`). The tests check both and the pairing.
pub(super) const BETA: Fq = MontFp!("21888242871839275220042445260109153167277707414472061641714758635765020556616");

/// `λ`, the cube root of unity in `Fr` that `φ` multiplies by and the split's lattice is
/// for (`a + b·λ ≡ 0` for its basis vectors `(a, b)`); the split itself needs only the
/// lattice, the tests need `λ`.
#[cfg(test)]
pub(super) const LAMBDA: ark_bn254::Fr =
    MontFp!("21888242871839275217838484774961031246154997185409878258781734729429964517155");

/// The bits of the split's scalars: `|k1|` and `|k2|` are below `2^127`.
pub(super) const SPLIT_BITS: usize = 127;

/// BN254's parameter `u` (also called `x`, or `z`).
const U: u128 = 4965661367192848881;
/// `2u + 1`: `v2`'s first and `−v1`'s second coordinate.
const SHORT: u128 = 2 * U + 1;
/// `6u² + 2u`: `v1`'s first coordinate.
const V1_A: u128 = 6 * U * U + 2 * U;
/// `6u² + 4u + 1`: `v2`'s second coordinate (`= 6u² + 2u + 2u + 1`).
const V2_B: u128 = V1_A + SHORT;
/// `round(2^256·(6u² + 4u + 1)/r)`, little-endian 64-bit limbs: `c1 = round(k·G1/2^256)`.
const G1: [u64; 3] = [0x5398_fd03_00ff_6565, 0x4cce_f014_a773_d2d2, 0x2];
/// `round(2^256·(2u + 1)/r)`, little-endian 64-bit limbs: `c2 = round(k·G2/2^256)`.
const G2: [u64; 2] = [0xd91d_232e_c7e0_b3d7, 0x2];

/// `(k1, k2)` with `k ≡ k1 + k2·λ (mod r)` and `|k1|, |k2| < 2^127`, for `k < r` given as
/// little-endian 64-bit limbs (see the module docs).
pub(super) fn split(k: &[u64; 4]) -> (i128, i128) {
    let c1 = round_high(k, &G1);
    let c2 = round_high(k, &G2);
    // k1 = k − c1·(6u² + 2u) − c2·(2u + 1) and k2 = c1·(2u + 1) − c2·(6u² + 4u + 1) lie in
    // (−2^127, 2^127), so their residues mod 2^128 (wrapping u128 arithmetic on k's low
    // 128 bits) read as i128 are the integers themselves.
    let k_low = u128::from(k[0]) | (u128::from(k[1]) << 64);
    let k1 = k_low.wrapping_sub(c1.wrapping_mul(V1_A)).wrapping_sub(c2.wrapping_mul(SHORT));
    let k2 = c1.wrapping_mul(SHORT).wrapping_sub(c2.wrapping_mul(V2_B));
    (k1 as i128, k2 as i128)
}

/// `k·g/2^256` rounded to the nearest integer (halves up), which is below `2^128` for the
/// split's `k` and `g` (at most three limbs): `k·g < r·G1 < 2^(256 + 128)`.
fn round_high(k: &[u64; 4], g: &[u64]) -> u128 {
    // Schoolbook product, up to 7 limbs; row i adds k[i]·g at limb i and ends at limb
    // i + g.len(), which no earlier row has reached.
    let mut product = [0u64; 7];
    for (i, &k_i) in k.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &g_j) in g.iter().enumerate() {
            let t = u128::from(k_i) * u128::from(g_j) + u128::from(product[i + j]) + carry;
            product[i + j] = t as u64;
            carry = t >> 64;
        }
        product[i + g.len()] = carry as u64;
    }
    debug_assert_eq!(product[6], 0, "k·g < 2^384");
    // The integer part, plus one if the fraction (bits below 256) is at least ½.
    let high = u128::from(product[4]) | (u128::from(product[5]) << 64);
    high + u128::from(product[3] >> 63)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Affine, G1Projective};
    use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
    use ark_ff::{AdditiveGroup, Field, One, PrimeField, UniformRand, Zero};
    use num_bigint::{BigInt, BigUint};
    use proptest::prelude::*;
    use rand::{rngs::StdRng, SeedableRng};

    fn r() -> BigUint {
        Fr::MODULUS.into()
    }

    fn limbs(k: &BigUint) -> [u64; 4] {
        Fr::from(k.clone()).into_bigint().0
    }

    fn fr(k: i128) -> Fr {
        if k < 0 {
            -Fr::from(k.unsigned_abs())
        } else {
            Fr::from(k as u128)
        }
    }

    /// `k1 + k2·λ = k` in `Fr` and both are below `2^127` in magnitude.
    fn check_split(k: &[u64; 4]) {
        let (k1, k2) = split(k);
        let expected = Fr::from_bigint(ark_ff::BigInt(*k)).expect("k < r");
        assert_eq!(fr(k1) + fr(k2) * LAMBDA, expected, "k = {k:x?}: ({k1}, {k2})");
        assert!(k1.unsigned_abs() < 1 << SPLIT_BITS && k2.unsigned_abs() < 1 << SPLIT_BITS, "k = {k:x?}");
    }

    #[test]
    fn beta_and_lambda_are_cube_roots_of_unity_and_phi_is_multiplication_by_lambda() {
        assert_ne!(BETA, Fq::ONE);
        assert_eq!(BETA.pow([3]), Fq::ONE);
        assert_ne!(LAMBDA, Fr::ONE);
        assert_eq!(LAMBDA.pow([3]), Fr::ONE);
        let phi = |p: G1Affine| G1Affine::new(p.x * BETA, p.y);
        let g = G1Affine::generator();
        assert_eq!(phi(g), (G1Projective::generator() * LAMBDA).into_affine());
        // The other pairing is wrong: φ is not multiplication by λ².
        assert_ne!(phi(g), (G1Projective::generator() * LAMBDA.square()).into_affine());
        let mut rng = StdRng::seed_from_u64(21);
        for _ in 0..4 {
            let p = G1Projective::rand(&mut rng).into_affine();
            assert_eq!(phi(p), (p * LAMBDA).into_affine());
        }
    }

    #[test]
    fn the_lattice_basis_is_in_the_lattice_and_has_determinant_r() {
        let (u, short, v1_a, v2_b) = (Fr::from(U), Fr::from(SHORT), Fr::from(V1_A), Fr::from(V2_B));
        assert_eq!(short, u.double() + Fr::one());
        assert_eq!(v1_a, Fr::from(6u64) * u.square() + u.double());
        assert_eq!(v2_b, Fr::from(6u64) * u.square() + Fr::from(4u64) * u + Fr::one());
        // r = 36u⁴ + 36u³ + 18u² + 6u + 1.
        let big_u = BigUint::from(U);
        let r_of_u = [36u32, 36, 18, 6, 1].iter().fold(BigUint::ZERO, |acc, &c| acc * &big_u + c);
        assert_eq!(r_of_u, r());
        // v1 = (6u² + 2u, −(2u + 1)) and v2 = (2u + 1, 6u² + 4u + 1).
        assert_eq!(v1_a - short * LAMBDA, Fr::zero());
        assert_eq!(short + v2_b * LAMBDA, Fr::zero());
        assert_eq!(BigUint::from(V1_A) * V2_B + BigUint::from(SHORT) * SHORT, r());
        // The rounding is off by less than ½ + r/2^257 < 0.6, and 0.6 times the sums of the
        // coordinates' magnitudes, |k1|'s and |k2|'s bounds (module docs), is below 2^127.
        assert!(r() * 10u32 < BigUint::from(1u32) << 257);
        for sum in [V1_A + SHORT, SHORT + V2_B] {
            assert!(BigUint::from(sum) * 3u32 < BigUint::from(5u32) << SPLIT_BITS);
        }
    }

    #[test]
    fn the_rounding_constants_are_the_nearest_integers() {
        for (g, numerator) in [(&G1[..], V2_B), (&G2[..], SHORT)] {
            let g = BigUint::from_slice(&g.iter().flat_map(|&w| [w as u32, (w >> 32) as u32]).collect::<Vec<_>>());
            // |g·r − 2^256·numerator| ≤ r/2.
            let scaled = BigInt::from(BigUint::from(numerator) << 256);
            let error = BigInt::from(g * r()) - scaled;
            assert!(error.magnitude() * 2u32 <= r(), "g off by {error}");
        }
    }

    #[test]
    fn split_edge_cases() {
        let r = r();
        let lambda: BigUint = LAMBDA.into_bigint().into();
        let mut ks: Vec<BigUint> = vec![0u32.into(), 1u32.into(), 2u32.into(), &r - 1u32, &r - 2u32];
        ks.extend([lambda.clone(), &r - &lambda, LAMBDA.square().into_bigint().into()]);
        // Multiples of the basis vectors' coordinates and their neighbours.
        for m in [U, SHORT, V1_A, V2_B, 1u128 << 127, u128::MAX] {
            for d in [0u32, 1] {
                ks.push((BigUint::from(m) + d) % &r);
                ks.push((&r - BigUint::from(m) - d) % &r);
            }
        }
        for k in &ks {
            check_split(&limbs(k));
        }
        assert_eq!(split(&[0; 4]), (0, 0));
        assert_eq!(split(&[1, 0, 0, 0]), (1, 0));
        assert_eq!(split(&LAMBDA.into_bigint().0), (0, 1));
    }

    /// The scalars where `c1` or `c2` changes (`x_i` about half-integral, the lattice
    /// boundary): the least `k` with `round(k·g_i/2^256) ≥ m` and the one before, for
    /// `m` spread over the range of `c_i`.
    #[test]
    fn split_at_the_rounding_boundaries() {
        let r = r();
        for g in [&G1[..], &G2[..]] {
            let top = round_high(&limbs(&(&r - 1u32)), g);
            for m in [1, 2, 3, top / 3, top / 2 + 1, top - 1, top] {
                // Binary search over [0, r − 1] for the least k with round(k·g) ≥ m.
                let (mut lo, mut hi) = (BigUint::ZERO, &r - 1u32);
                while lo < hi {
                    let mid: BigUint = (&lo + &hi) >> 1;
                    if round_high(&limbs(&mid), g) >= m {
                        hi = mid;
                    } else {
                        lo = mid + 1u32;
                    }
                }
                assert_eq!(round_high(&limbs(&lo), g), m);
                check_split(&limbs(&lo));
                check_split(&limbs(&(lo - 1u32)));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn split_recomposes_every_scalar(words in any::<[u64; 4]>()) {
            // Any 256 bits, reduced below r.
            let k: BigUint = ark_ff::BigInt(words).into();
            check_split(&limbs(&(k % r())));
        }
    }

    #[test]
    fn split_of_random_field_elements() {
        let mut rng = StdRng::seed_from_u64(22);
        let mut largest = 0;
        for _ in 0..20_000 {
            let k = Fr::rand(&mut rng).into_bigint().0;
            check_split(&k);
            let (k1, k2) = split(&k);
            largest = largest.max(k1.unsigned_abs()).max(k2.unsigned_abs());
        }
        // The bound is within a factor 4 of the largest split seen: SPLIT_BITS is not loose.
        assert!(largest >> (SPLIT_BITS - 2) != 0, "largest {largest}");
    }
}
