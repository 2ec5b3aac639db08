//! Montgomery arithmetic on nine 29-bit limbs, for targets without a 64×64→128-bit
//! multiplication. On wasm32, arkworks' four 64-bit limbs need `u128` products, which
//! wasm emulates in software; here a limb product is one native 64-bit multiplication,
//! and the 35 spare bits of each `u64` accumulator absorb a whole Montgomery
//! multiplication's sums without carrying between limbs.
//!
//! One implementation, [`Mont29`], for any prime `p` that arkworks describes by a
//! [`MontConfig<4>`] and that is **below `2^254`**: both of BN254's fields (`Fq`,
//! [`super::Fq29`], and `Fr`, [`super::Fr29`]; `p > 2^253` for both, which no
//! invariant needs).
//!
//! Representation: a [`Mont29`] `x` stands for the field element `x·R'⁻¹ mod p`,
//! Montgomery form with `R' = 2^261` (9·29 bits). Invariants, kept by every
//! operation: each limb is below `2^29`, and the value `Σ x_i·2^(29i)` is below
//! `2p` (not necessarily reduced: `0` and `p` both stand for zero). The
//! multiplication of two values `a`, `b` returns `(ab + Qp)/R'` for some `Q < R'`,
//! which is below `ab/R' + p`, so below `2p` whenever `ab < p·R'`: for two elements
//! (`ab < 4p²`) because `4p < 2^256 < R'`, and for an element times an arkworks
//! Montgomery word string shifted left by five bits (`ab < 2p·32p`, [`Mont29::mul_ark`])
//! because `64p < 2^260 < R'`. Both hold for `p < 2^254`, and `2p < 2^255` leaves the
//! top limb's headroom that additions use.

use core::marker::PhantomData;

use ark_ff::{BigInt, Field, Fp, MontBackend, MontConfig};

/// Limbs per element.
const N: usize = 9;
/// Bits per limb.
const BITS: u32 = 29;
/// The low [`BITS`] bits.
const MASK: u64 = (1 << BITS) - 1;

/// Arkworks' element of the field `C` describes (four 64-bit words, Montgomery form
/// with `R = 2^256`, reduced below `p`).
pub(crate) type Ark<C> = Fp<MontBackend<C, 4>, 4>;

/// The number `Σ words[k]·2^(64k) · 2^shift` (below `2^261`; `shift` below 29) as
/// nine 29-bit limbs.
#[inline]
const fn limbs(words: [u64; 4], shift: u32) -> [u64; N] {
    let mut limbs = [0; N];
    let mut i = 0;
    while i < N {
        // Limb i holds the bits [29i − shift, 29i − shift + 29) of the number.
        let start = i as u32 * BITS;
        let limb = if start < shift {
            words[0] << (shift - start)
        } else {
            let bit = (start - shift) as usize;
            let (word, offset) = (bit / 64, bit % 64);
            let low = words[word] >> offset;
            let high = if offset + BITS as usize > 64 && word + 1 < 4 { words[word + 1] << (64 - offset) } else { 0 };
            low | high
        };
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

/// `a + b` for limbs below `2^29`, carried into limbs below `2^29`; a carry out
/// of the top limb is dropped (the sum is taken mod `2^261`).
#[inline(always)]
const fn add_limbs(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
    let mut s = [0; N];
    let mut carry = 0;
    let mut i = 0;
    while i < N {
        // Below 2^30 + 1: no overflow.
        let t = a[i] + b[i] + carry;
        s[i] = t & MASK;
        carry = t >> BITS;
        i += 1;
    }
    s
}

/// `a − b mod 2^261` for limbs below `2^29`, and whether it borrowed (`a < b`).
#[inline(always)]
const fn sub_limbs(a: &[u64; N], b: &[u64; N]) -> ([u64; N], bool) {
    let mut d = [0; N];
    let mut borrow = 0i64;
    let mut i = 0;
    while i < N {
        // |t| ≤ 2^29: limbs and the borrow (0 or −1) stay far inside i64.
        let t = a[i] as i64 - b[i] as i64 + borrow;
        d[i] = t as u64 & MASK;
        borrow = t >> BITS;
        i += 1;
    }
    (d, borrow < 0)
}

/// `s − m` if `s ≥ m`, else `s` (limbs below `2^29`).
#[inline(always)]
const fn sub_if_not_below(s: [u64; N], m: &[u64; N]) -> [u64; N] {
    match sub_limbs(&s, m) {
        (_, true) => s,
        (d, false) => d,
    }
}

/// `a·b·2^-261 mod p` for limbs below `2^29` with `a·b < p·2^261`, below `2p`
/// (Montgomery multiplication; the module docs say which operands qualify).
///
/// Operand scanning with lazy carries: each of the nine rounds adds `a_i·b`
/// and `q·p` to the accumulators `t` (nine `u64`), `q` chosen so that `t_0`
/// becomes divisible by `2^29`, then shifts `t` down one limb, moving only
/// `t_0`'s carry. Limb products are below `2^58`; an accumulator receives at
/// most two per round over nine rounds, plus carries below `2^36`:
/// `18·2^58 + 2^36 < 2^63`, so no accumulator overflows. The result is
/// `(ab + Qp)/R'` with `Q < R'`, below `ab/R' + p < 2p`.
#[inline(always)]
fn mont_mul(a: &[u64; N], b: &[u64; N], p: &[u64; N], mu: u64) -> [u64; N] {
    let mut t = [0u64; N];
    for &ai in a {
        let t0 = t[0] + ai * b[0];
        let q = t0.wrapping_mul(mu) & MASK;
        // t0 + q·p_0 ≡ 0 (mod 2^29): only its carry moves on.
        let carry = (t0 + q * p[0]) >> BITS;
        for j in 1..N {
            t[j - 1] = t[j] + ai * b[j] + q * p[j];
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
    t
}

/// `a²·2^-261 mod p` for limbs below `2^29` with `a < 2p`, below `2p`: [`mont_mul`]'s
/// result for `b = a`, with 45 limb products for `a²` instead of 81.
///
/// Product scanning, then reduction: the square's 17 columns `t_k = Σ_(i+j=k) a_i·a_j`
/// (each pair `i < j` once, doubled: `a_i·(2a_j)`, below `2^59`), then nine rounds that
/// each add `q·p` at column `i`, `q` chosen so that `t_i` becomes divisible by `2^29`,
/// and move `t_i`'s carry to `t_(i+1)`. A column holds at most nine products' worth
/// from the square and nine from the reduction, each below `2^58`, plus a carry below
/// `2^36`: `18·2^58 + 2^36 < 2^63`. Columns 9 to 17 are then `(a² + Qp)/R'`, `Q < R'`,
/// below `2p` as in [`mont_mul`].
#[inline(always)]
fn mont_square(a: &[u64; N], p: &[u64; N], mu: u64) -> [u64; N] {
    let mut t = [0u64; 2 * N];
    for i in 0..N {
        t[2 * i] += a[i] * a[i];
        let twice = a[i] << 1;
        for j in i + 1..N {
            t[i + j] += twice * a[j];
        }
    }
    for i in 0..N {
        let q = t[i].wrapping_mul(mu) & MASK;
        for j in 0..N {
            t[i + j] += q * p[j];
        }
        // t_i ≡ 0 (mod 2^29) now: only its carry moves on.
        t[i + 1] += t[i] >> BITS;
    }
    // Normalize to 29-bit limbs; the value is below 2p < 2^255, so the last carry is 0.
    let mut r = [0u64; N];
    let mut carry = 0;
    for (r, &t) in r.iter_mut().zip(&t[N..]) {
        let v = t + carry;
        *r = v & MASK;
        carry = v >> BITS;
    }
    r
}

/// An element of the field of `C` in the representation of the module docs.
pub(crate) struct Mont29<C>([u64; N], PhantomData<C>);

impl<C> Clone for Mont29<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for Mont29<C> {}

impl<C> core::fmt::Debug for Mont29<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Mont29").field(&self.0).finish()
    }
}

impl<C: MontConfig<4>> Mont29<C> {
    /// `p`.
    const P: [u64; N] = limbs(C::MODULUS.0, 0);
    /// `2p` (below `2^255`).
    const TWO_P: [u64; N] = add_limbs(&Self::P, &Self::P);
    /// `2^256 mod p`, the factor between arkworks' Montgomery form and this one
    /// (the Montgomery product with it divides by `2^5`).
    const ARK_R: [u64; N] = limbs(C::R.0, 0);
    /// `−p⁻¹ mod 2^29`, from arkworks' `−p⁻¹ mod 2^64`.
    const MU: u64 = C::INV & MASK;

    /// Zero.
    pub(crate) const ZERO: Self = Mont29([0; N], PhantomData);
    /// One: `R' = 2^261 mod p`, arkworks' `R = 2^256 mod p` doubled five times mod `p`.
    pub(crate) const ONE: Self = {
        let mut one = Self::ARK_R;
        let mut k = 0;
        while k < 5 {
            one = sub_if_not_below(add_limbs(&one, &one), &Self::P);
            k += 1;
        }
        Mont29(one, PhantomData)
    };

    /// Converts from arkworks: its Montgomery form `a·2^256 mod p` (below `p`),
    /// doubled five times, is `a·2^261 mod p`.
    pub(crate) fn from_ark(a: &Ark<C>) -> Self {
        let mut x = Mont29(limbs(a.0 .0, 0), PhantomData);
        for _ in 0..5 {
            x = x.double();
        }
        x
    }

    /// Converts to arkworks: the Montgomery product with `2^256 mod p` is
    /// `a·2^261·2^256·2^-261 = a·2^256 (mod p)`, reduced below `p`, which is
    /// arkworks' Montgomery form.
    pub(crate) fn to_ark(self) -> Ark<C> {
        let reduced = sub_if_not_below(mont_mul(&self.0, &Self::ARK_R, &Self::P, Self::MU), &Self::P);
        Fp::new_unchecked(BigInt(words(&reduced)))
    }

    /// `self^e` for `e` given as four 64-bit words (least significant first), by a
    /// sliding window over the odd powers `self^1, self^3, …, self^31`: a square per bit
    /// of `e` below its top one, and a multiplication per window of up to five bits that
    /// starts and ends with a one (for the square root's exponent, 251 squares and 53
    /// multiplications with the table, against 256 and 72 with a fixed window of four bits).
    pub(super) fn pow(&self, e: &[u64; 4]) -> Self {
        const WINDOW: usize = 5;
        let bit = |i: usize| ((e[i / 64] >> (i % 64)) & 1) == 1;
        let square = self.square();
        let mut odd = [*self; 1 << (WINDOW - 1)];
        for i in 1..odd.len() {
            odd[i] = odd[i - 1].mul(&square);
        }
        // `acc` is self^(the bits of e above `top`), None while they are all zero.
        let mut acc: Option<Self> = None;
        let mut top = 256;
        while top > 0 {
            if !bit(top - 1) {
                acc = acc.map(|a| a.square());
                top -= 1;
                continue;
            }
            // The window: bits [low, top) of e, the lowest a one.
            let mut low = top.saturating_sub(WINDOW);
            while !bit(low) {
                low += 1;
            }
            let digit = (low..top).rev().fold(0, |d, i| (d << 1) | usize::from(bit(i)));
            let power = &odd[digit >> 1];
            acc = Some(match acc {
                Some(mut a) => {
                    for _ in low..top {
                        a = a.square();
                    }
                    a.mul(power)
                }
                None => *power,
            });
            top = low;
        }
        acc.unwrap_or(Self::ONE)
    }

    /// `1/self` (arkworks' inversion, through the conversions), zero for zero.
    pub(crate) fn inverse(&self) -> Self {
        self.to_ark().inverse().map_or(Self::ZERO, |i| Self::from_ark(&i))
    }

    /// Whether this is zero (its value is `0` or `p`).
    #[inline]
    pub(crate) fn is_zero(&self) -> bool {
        self.0 == [0; N] || self.0 == Self::P
    }

    /// `self + b`.
    #[inline]
    pub(crate) fn add(&self, b: &Self) -> Self {
        // The sum is below 4p < 2^256 (nothing dropped); bring it below 2p.
        Mont29(sub_if_not_below(add_limbs(&self.0, &b.0), &Self::TWO_P), PhantomData)
    }

    /// `2·self`.
    #[inline]
    pub(crate) fn double(&self) -> Self {
        self.add(self)
    }

    /// `self − b`.
    #[inline]
    pub(crate) fn sub(&self, b: &Self) -> Self {
        match sub_limbs(&self.0, &b.0) {
            // self − b + 2^261; adding 2p and dropping 2^261 gives self − b + 2p ∈ [0, 2p).
            (d, true) => Mont29(add_limbs(&d, &Self::TWO_P), PhantomData),
            (d, false) => Mont29(d, PhantomData),
        }
    }

    /// `−self`.
    #[inline]
    pub(crate) fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    /// `self·b` (`self·b·2^-261 mod p` on the representations, below `2p`).
    #[inline]
    pub(crate) fn mul(&self, b: &Self) -> Self {
        Mont29(mont_mul(&self.0, &b.0, &Self::P, Self::MU), PhantomData)
    }

    /// `self·c` for arkworks' `c`, without converting `c`: its Montgomery words
    /// `V = c·2^256 mod p` (below `p`, arkworks' invariant), read shifted left by five
    /// bits, are `32V ≡ c·2^261`, which stands for `c` here and, below `32p`, is a
    /// multiplication operand (module docs); so this is [`Mont29::mul`] by
    /// `from_ark(c)` without `from_ark`'s five modular doublings.
    #[inline]
    pub(crate) fn mul_ark(&self, c: &Ark<C>) -> Self {
        Mont29(mont_mul(&limbs(c.0 .0, 5), &self.0, &Self::P, Self::MU), PhantomData)
    }

    /// `self²` (cheaper than [`Mont29::mul`]: `mont_square`).
    #[inline]
    pub(crate) fn square(&self) -> Self {
        Mont29(mont_square(&self.0, &Self::P, Self::MU), PhantomData)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use ark_bn254::{FqConfig, FrConfig};
    use ark_ff::{AdditiveGroup, PrimeField, UniformRand};
    use proptest::prelude::*;
    use rand::{rngs::StdRng, SeedableRng};

    /// Edge values (0, 1, p − 1, …) and random ones.
    pub(in super::super) fn samples<C: MontConfig<4>>() -> Vec<Ark<C>> {
        let mut rng = StdRng::seed_from_u64(29);
        let mut v = vec![Ark::<C>::ZERO, Ark::<C>::ONE, -Ark::<C>::ONE, Ark::<C>::from(2u64), -Ark::<C>::from(2u64)];
        v.push(Ark::<C>::from(1u64 << 29));
        // The largest Montgomery words, p − 1 (the operand bound of `mul_ark`).
        let mut top = C::MODULUS;
        top.0[0] -= 1;
        v.push(Ark::<C>::new_unchecked(top));
        v.extend((0..40).map(|_| Ark::<C>::rand(&mut rng)));
        v
    }

    /// Both representations of each value: below `p`, and plus `p` (below `2p`).
    pub(in super::super) fn both_forms<C: MontConfig<4>>(a: &Ark<C>) -> [Mont29<C>; 2] {
        let x = Mont29(sub_if_not_below(Mont29::<C>::from_ark(a).0, &Mont29::<C>::P), PhantomData);
        [x, Mont29(add_limbs(&Mont29::<C>::P, &x.0), PhantomData)]
    }

    impl<C: MontConfig<4>> Mont29<C> {
        /// Whether the invariants hold: 29-bit limbs, value below 2p.
        fn is_valid(&self) -> bool {
            self.0.iter().all(|&l| l <= MASK) && sub_if_not_below(self.0, &Self::TWO_P) == self.0
        }
    }

    /// `x` is valid and stands for `want`.
    #[track_caller]
    pub(in super::super) fn check<C: MontConfig<4>>(x: Mont29<C>, want: Ark<C>) {
        assert!(x.is_valid(), "{x:?}");
        assert_eq!(x.to_ark(), want);
        assert_eq!(x.is_zero(), want == Ark::<C>::ZERO);
    }

    fn constants<C: MontConfig<4>>() {
        assert_eq!(words(&Mont29::<C>::P), C::MODULUS.0);
        assert!(C::MODULUS.0[3] >> 62 == 0, "p < 2^254");
        assert_eq!(Mont29::<C>(Mont29::<C>::TWO_P, PhantomData).to_ark(), Ark::<C>::ZERO);
        check(Mont29::<C>::ONE, Ark::<C>::ONE);
        check(Mont29::<C>::ZERO, Ark::<C>::ZERO);
        assert_eq!(Mont29::<C>::P[0].wrapping_mul(Mont29::<C>::MU) & MASK, MASK, "p·μ ≡ −1 (mod 2^29)");
    }

    #[test]
    fn constants_of_both_fields() {
        constants::<FqConfig>();
        constants::<FrConfig>();
        // R' = 2^261 mod p, spelled out for Fq.
        assert_eq!(
            words(&Mont29::<FqConfig>::ONE.0),
            [0x4e8384eb157ccc21, 0xfb90a6020ce148c3, 0x5301fa84819caa36, 0x0dc83629563d4475]
        );
    }

    #[test]
    fn limbs_read_shifted_words() {
        let words = [0x0123456789abcdef, 0xfedcba9876543210, 0x0f1e2d3c4b5a6978, 0x3fffffffffffffff];
        assert_eq!(super::words(&limbs(words, 0)), words);
        // Shifted by five bits: the limbs of the number times 32, as five words.
        let mut times_32 = [0u64; 5];
        for (i, &limb) in limbs(words, 5).iter().enumerate() {
            let (word, shift) = ((i * 29) / 64, (i * 29) % 64);
            times_32[word] |= limb << shift;
            if shift + 29 > 64 {
                times_32[word + 1] |= limb >> (64 - shift);
            }
        }
        let want: Vec<u64> = (0..5)
            .map(|k| words.get(k).map_or(0, |w| w << 5) | k.checked_sub(1).map_or(0, |j| words[j] >> 59))
            .collect();
        assert_eq!(times_32[..], want[..]);
    }

    fn operations_match_on_edge_values<C: MontConfig<4>>() {
        let values = samples::<C>();
        for a in &values {
            for x in both_forms(a) {
                check(x, *a);
                check(x.neg(), -*a);
                check(x.double(), a.double());
                check(x.square(), a.square());
                check(x.inverse(), a.inverse().unwrap_or(Ark::<C>::ZERO));
                check(Mont29::<C>::from_ark(a), *a);
                for b in &values {
                    for y in both_forms(b) {
                        check(x.add(&y), *a + b);
                        check(x.sub(&y), *a - b);
                        check(x.mul(&y), *a * b);
                    }
                    check(x.mul_ark(b), *a * b);
                }
            }
        }
    }

    #[test]
    fn powers_match_arkworks() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut exponents = vec![[0; 4], [1, 0, 0, 0], [2, 0, 0, 0], [31, 0, 0, 0], [32, 0, 0, 0], [u64::MAX; 4]];
        exponents.push([0, 0, 0, 1 << 63]);
        exponents.push([0b10001, 0, 0b100000100001, 0]);
        exponents.push(<FqConfig as MontConfig<4>>::MODULUS_PLUS_ONE_DIV_FOUR.unwrap().0);
        exponents.extend((0..20).map(|_| [(); 4].map(|_| rand::Rng::gen::<u64>(&mut rng))));
        for a in samples::<FqConfig>().iter().take(10) {
            for x in both_forms(a) {
                for e in &exponents {
                    check(x.pow(e), a.pow(e));
                }
            }
        }
    }

    #[test]
    fn operations_match_arkworks_on_edge_values_in_both_forms() {
        operations_match_on_edge_values::<FqConfig>();
        operations_match_on_edge_values::<FrConfig>();
    }

    fn operations_match<C: MontConfig<4>>(a: &[u8; 32], b: &[u8; 32]) {
        let (a, b) = (Ark::<C>::from_le_bytes_mod_order(a), Ark::<C>::from_le_bytes_mod_order(b));
        let (x, y) = (Mont29::<C>::from_ark(&a), Mont29::<C>::from_ark(&b));
        check(x.mul(&y), a * b);
        check(x.add(&y), a + b);
        check(x.sub(&y), a - b);
        check(x.mul_ark(&b), a * b);
        check(x.square(), a.square());
        check(x.mul(&y).mul(&x.add(&y)), a * b * (a + b));
    }

    proptest! {
        #[test]
        fn fq_operations_match_arkworks(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
            operations_match::<FqConfig>(&a, &b);
        }

        #[test]
        fn fr_operations_match_arkworks(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
            operations_match::<FrConfig>(&a, &b);
        }
    }
}
