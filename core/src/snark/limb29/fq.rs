//! The base field `Fq` of BN254 on nine 29-bit limbs, for targets without a
//! 64×64→128-bit multiplication. On wasm32, arkworks' four 64-bit limbs need
//! `u128` products, which wasm emulates in software; here a limb product is one
//! native 64-bit multiplication, and the 35 spare bits of each `u64` accumulator
//! absorb a whole Montgomery multiplication's sums without carrying between limbs.
//!
//! Representation: an [`Fq29`] `x` stands for the field element `x·R'⁻¹ mod p`,
//! Montgomery form with `R' = 2^261` (9·29 bits). Invariants, kept by every
//! operation: each limb is below `2^29`, and the value `Σ x_i·2^(29i)` is below
//! `2p` (not necessarily reduced: `0` and `p` both stand for zero). Since
//! `p < 2^254`, `4p² < p·R'`, which is what lets [`Fq29::mul`] take and return
//! values below `2p` without a final subtraction.

use ark_bn254::{Fq, FqConfig};
use ark_ff::{BigInt, MontConfig, PrimeField};

/// Limbs per element.
const N: usize = 9;
/// Bits per limb.
const BITS: u32 = 29;
/// The low [`BITS`] bits.
const MASK: u64 = (1 << BITS) - 1;

/// A number below `2^261` given as four 64-bit words, as nine 29-bit limbs.
const fn limbs(words: [u64; 4]) -> [u64; N] {
    let mut limbs = [0; N];
    let mut i = 0;
    while i < N {
        let (word, shift) = ((i * 29) / 64, (i * 29) % 64);
        let mut limb = words[word] >> shift;
        if shift + 29 > 64 && word + 1 < 4 {
            limb |= words[word + 1] << (64 - shift);
        }
        limbs[i] = limb & MASK;
        i += 1;
    }
    limbs
}

/// Nine 29-bit limbs of a number below `2^256` as four 64-bit words.
fn words(limbs: &[u64; N]) -> [u64; 4] {
    let mut words = [0; 4];
    for (i, &limb) in limbs.iter().enumerate() {
        let (word, shift) = ((i * 29) / 64, (i * 29) % 64);
        words[word] |= limb << shift;
        if shift + 29 > 64 && word + 1 < 4 {
            words[word + 1] |= limb >> (64 - shift);
        }
    }
    words
}

/// `p`.
const P: [u64; N] = limbs(<Fq as PrimeField>::MODULUS.0);
/// `2p` (below `2^255`).
const TWO_P: [u64; N] = {
    let mut twice = [0; N];
    let mut i = 0;
    while i < N {
        // No limb carries: shifting a 29-bit limb left by one bit and moving the
        // bit that leaves it into the next limb.
        twice[i] = ((P[i] << 1) & MASK) | if i > 0 { P[i - 1] >> (BITS - 1) } else { 0 };
        i += 1;
    }
    twice
};
/// `2^256 mod p`, the factor between arkworks' Montgomery form and this one
/// (`Fq29::mul` by it divides by `2^5`).
const ARK_R: [u64; N] = limbs(<FqConfig as MontConfig<4>>::R.0);
/// `(p + 1)/4`, the exponent of [`Fq29::sqrt`].
const SQRT_EXPONENT: [u64; 4] = {
    let m = <Fq as PrimeField>::MODULUS.0;
    // p + 1 does not carry out of the low word (p is odd, its low word not all ones);
    // then shift the 256-bit number right by two.
    let w = [m[0] + 1, m[1], m[2], m[3]];
    [(w[0] >> 2) | (w[1] << 62), (w[1] >> 2) | (w[2] << 62), (w[2] >> 2) | (w[3] << 62), w[3] >> 2]
};
/// `−p⁻¹ mod 2^29`, from arkworks' `−p⁻¹ mod 2^64`.
const MU: u64 = <FqConfig as MontConfig<4>>::INV & MASK;

/// `a + b` for limbs below `2^29`, carried into limbs below `2^29`; a carry out
/// of the top limb is dropped (the sum is taken mod `2^261`).
#[inline(always)]
fn add_limbs(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
    let mut s = [0; N];
    let mut carry = 0;
    for ((s, &a), &b) in s.iter_mut().zip(a).zip(b) {
        // Below 2^30 + 1: no overflow.
        let t = a + b + carry;
        *s = t & MASK;
        carry = t >> BITS;
    }
    s
}

/// `a − b mod 2^261` for limbs below `2^29`, and whether it borrowed (`a < b`).
#[inline(always)]
fn sub_limbs(a: &[u64; N], b: &[u64; N]) -> ([u64; N], bool) {
    let mut d = [0; N];
    let mut borrow = 0i64;
    for ((d, &a), &b) in d.iter_mut().zip(a).zip(b) {
        // |t| ≤ 2^29: limbs and the borrow (0 or −1) stay far inside i64.
        let t = a as i64 - b as i64 + borrow;
        *d = t as u64 & MASK;
        borrow = t >> BITS;
    }
    (d, borrow < 0)
}

/// `s − m` if `s ≥ m`, else `s` (limbs below `2^29`).
#[inline(always)]
fn sub_if_not_below(s: [u64; N], m: &[u64; N]) -> [u64; N] {
    match sub_limbs(&s, m) {
        (_, true) => s,
        (d, false) => d,
    }
}

/// An element of `Fq` in the representation of the module docs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fq29([u64; N]);

impl Fq29 {
    /// Zero.
    pub(crate) const ZERO: Fq29 = Fq29([0; N]);
    /// One: `2^261 mod p` (a test checks it against arkworks' one).
    pub(crate) const ONE: Fq29 =
        Fq29(limbs([0x4e8384eb157ccc21, 0xfb90a6020ce148c3, 0x5301fa84819caa36, 0x0dc83629563d4475]));

    /// Converts from arkworks: its Montgomery form `a·2^256 mod p` (below `p`),
    /// doubled five times, is `a·2^261 mod p`.
    pub(crate) fn from_ark(a: &Fq) -> Fq29 {
        let mut x = Fq29(limbs(a.0 .0));
        for _ in 0..5 {
            x = x.double();
        }
        x
    }

    /// Converts to arkworks: the Montgomery product with `2^256 mod p` is
    /// `a·2^261·2^256·2^-261 = a·2^256 (mod p)`, reduced below `p`, which is
    /// arkworks' Montgomery form.
    pub(crate) fn to_ark(self) -> Fq {
        let reduced = sub_if_not_below(self.mul(&Fq29(ARK_R)).0, &P);
        Fq::new_unchecked(BigInt(words(&reduced)))
    }

    /// `self^e` for `e` given as four 64-bit words, by a fixed window of 4 bits.
    fn pow(&self, e: &[u64; 4]) -> Fq29 {
        let mut table = [Fq29::ONE; 16];
        for i in 1..16 {
            table[i] = table[i - 1].mul(self);
        }
        let mut acc = Fq29::ONE;
        for nibble in (0..64).rev() {
            for _ in 0..4 {
                acc = acc.square();
            }
            let digit = (e[nibble / 16] >> (4 * (nibble % 16))) & 0xf;
            if digit != 0 {
                acc = acc.mul(&table[digit as usize]);
            }
        }
        acc
    }

    /// A square root of `self`, or `None` if it is not a square: since
    /// `p ≡ 3 (mod 4)`, `r = self^((p+1)/4)` has `r² = self` exactly when `self` is
    /// a square (Euler's criterion).
    pub(super) fn sqrt(&self) -> Option<Fq29> {
        let root = self.pow(&SQRT_EXPONENT);
        root.square().sub(self).is_zero().then_some(root)
    }

    /// `1/self` (arkworks' inversion, through the conversions), zero for zero.
    pub(crate) fn inverse(&self) -> Fq29 {
        use ark_ff::Field;
        self.to_ark().inverse().map_or(Fq29::ZERO, |i| Fq29::from_ark(&i))
    }

    /// Whether this is zero (its value is `0` or `p`).
    pub(crate) fn is_zero(&self) -> bool {
        self.0 == [0; N] || self.0 == P
    }

    /// `self + b`.
    #[inline]
    pub(crate) fn add(&self, b: &Fq29) -> Fq29 {
        // The sum is below 4p < 2^256 (nothing dropped); bring it below 2p.
        Fq29(sub_if_not_below(add_limbs(&self.0, &b.0), &TWO_P))
    }

    /// `2·self`.
    #[inline]
    pub(crate) fn double(&self) -> Fq29 {
        self.add(self)
    }

    /// `self − b`.
    #[inline]
    pub(crate) fn sub(&self, b: &Fq29) -> Fq29 {
        match sub_limbs(&self.0, &b.0) {
            // self − b + 2^261; adding 2p and dropping 2^261 gives self − b + 2p ∈ [0, 2p).
            (d, true) => Fq29(add_limbs(&d, &TWO_P)),
            (d, false) => Fq29(d),
        }
    }

    /// `−self`.
    #[inline]
    pub(crate) fn neg(&self) -> Fq29 {
        Fq29::ZERO.sub(self)
    }

    /// `self·b·2^-261 mod p`, below `2p` (Montgomery multiplication).
    ///
    /// Operand scanning with lazy carries: each of the nine rounds adds `a_i·b`
    /// and `q·p` to the accumulators `t` (nine `u64`), `q` chosen so that `t_0`
    /// becomes divisible by `2^29`, then shifts `t` down one limb, moving only
    /// `t_0`'s carry. Limb products are below `2^58`; an accumulator receives at
    /// most two per round over nine rounds, plus carries below `2^36`:
    /// `18·2^58 + 2^36 < 2^63`, so no accumulator overflows. The result is
    /// `(ab + Qp)/R'` with `Q < R'`, below `4p²/R' + p < 2p` for inputs below `2p`.
    #[inline]
    pub(crate) fn mul(&self, b: &Fq29) -> Fq29 {
        let (a, b) = (&self.0, &b.0);
        let mut t = [0u64; N];
        for &ai in a {
            let t0 = t[0] + ai * b[0];
            let q = t0.wrapping_mul(MU) & MASK;
            // t0 + q·p_0 ≡ 0 (mod 2^29): only its carry moves on.
            let carry = (t0 + q * P[0]) >> BITS;
            for j in 1..N {
                t[j - 1] = t[j] + ai * b[j] + q * P[j];
            }
            t[N - 1] = 0;
            t[0] += carry;
        }
        // Normalize to 29-bit limbs; the value is below 2p < 2^255, so the last carry is 0.
        let mut carry = 0;
        for t in &mut t {
            let v = *t + carry;
            *t = v & MASK;
            carry = v >> BITS;
        }
        Fq29(t)
    }

    /// `self²`.
    #[inline]
    pub(crate) fn square(&self) -> Fq29 {
        self.mul(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{AdditiveGroup, Field, UniformRand};
    use proptest::prelude::*;
    use rand::{rngs::StdRng, SeedableRng};

    /// Edge values and random ones.
    fn samples() -> Vec<Fq> {
        let mut rng = StdRng::seed_from_u64(29);
        let mut v = vec![Fq::ZERO, Fq::ONE, -Fq::ONE, Fq::from(2u64), -Fq::from(2u64), Fq::from(1u64 << 29)];
        v.extend((0..40).map(|_| Fq::rand(&mut rng)));
        v
    }

    /// Both representations of each value: below `p`, and plus `p` (below `2p`).
    fn both_forms(a: &Fq) -> [Fq29; 2] {
        let x = Fq29(sub_if_not_below(Fq29::from_ark(a).0, &P));
        [x, Fq29(add_limbs(&P, &x.0))]
    }

    impl Fq29 {
        /// Whether the invariants hold: 29-bit limbs, value below 2p.
        fn is_valid(&self) -> bool {
            self.0.iter().all(|&l| l <= MASK) && sub_if_not_below(self.0, &TWO_P) == self.0
        }
    }

    #[track_caller]
    fn check(x: Fq29, want: Fq) {
        assert!(x.is_valid(), "{x:?}");
        assert_eq!(x.to_ark(), want);
        assert_eq!(x.is_zero(), want == Fq::ZERO);
    }

    #[test]
    fn constants() {
        assert_eq!(words(&P), <Fq as PrimeField>::MODULUS.0);
        assert_eq!(Fq29(TWO_P).to_ark(), Fq::ZERO);
        check(Fq29::ONE, Fq::ONE);
        assert_eq!(P[0].wrapping_mul(MU) & MASK, MASK, "p·μ ≡ −1 (mod 2^29)");
        assert_eq!(Some(BigInt(SQRT_EXPONENT)), <FqConfig as MontConfig<4>>::MODULUS_PLUS_ONE_DIV_FOUR);
    }

    #[test]
    fn operations_match_arkworks_on_edge_values_in_both_forms() {
        let values = samples();
        for a in &values {
            for x in both_forms(a) {
                check(x, *a);
                check(x.neg(), -*a);
                check(x.double(), a.double());
                check(x.square(), a.square());
                check(x.inverse(), a.inverse().unwrap_or(Fq::ZERO));
                let root = x.sqrt();
                assert_eq!(root.is_some(), a.sqrt().is_some(), "{a}");
                if let Some(r) = root {
                    check(r.square(), *a);
                }
                for b in &values {
                    for y in both_forms(b) {
                        check(x.add(&y), *a + b);
                        check(x.sub(&y), *a - b);
                        check(x.mul(&y), *a * b);
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn operations_match_arkworks(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
            let (a, b) = (Fq::from_le_bytes_mod_order(&a), Fq::from_le_bytes_mod_order(&b));
            let (x, y) = (Fq29::from_ark(&a), Fq29::from_ark(&b));
            check(x.mul(&y), a * b);
            check(x.add(&y), a + b);
            check(x.sub(&y), a - b);
            check(x.mul(&y).mul(&x.add(&y)), a * b * (a + b));
            let root = x.sqrt();
            prop_assert_eq!(root.map(|r| r.to_ark()).is_some(), a.sqrt().is_some());
            check(x.square().sqrt().unwrap().square(), a.square());
        }
    }
}
