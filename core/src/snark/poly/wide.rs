//! Sums of small integer multiples of field elements, reduced once at the end.
//!
//! Most coefficients of a compiled circuit's matrices are small integers: `±1`,
//! powers of two, quantized weights. A sum `Σ c_k·x_k` with `|c_k| < 2^63` needs no
//! modular multiplication per term. Arkworks stores `x` as its Montgomery word
//! string `X = x·2^256 mod p` (below `p`), and `Σ c_k·X_k ≡ (Σ c_k·x_k)·2^256`, so
//! the integer sum of the `c_k·X_k`, reduced mod `p` once, *is* the Montgomery word
//! string of the result. Terms with negative `c` are summed apart, as `|c|·X`, and
//! subtracted at the end ([`WideSum::minus`]), or added as `|c|·(p − X)` when `X` is
//! fixed (the word string of `−x`). Each term is below `2^64·p < 2^318`, so a 384-bit
//! accumulator ([`WideSum`]) holds the sum of up to `2^66` terms without overflow (far
//! more than any matrix has entries).
//!
//! The same idea serves sums of products of two field elements ([`ProductSum`]): the
//! integer products `X·Y < p² < 2^508` of the word strings are summed in 576 bits, and
//! the sum, `≡ (Σ x·y)·2^512`, is reduced and divided by `2^256` once, instead of a
//! Montgomery reduction per product.
//!
//! The prover and the native verifier use this: on wasm32 the verifier computes on
//! 29-bit limbs (`crate::snark::limb29`), where 64×64-bit products are not native.

use ark_bn254::{Fr, FrConfig};
use ark_ff::{BigInt, BigInteger, Fp, MontConfig, PrimeField};

/// The modulus `p`'s words.
const P: [u64; 4] = <FrConfig as MontConfig<4>>::MODULUS.0;

/// A matrix coefficient as the integer it is, when `|c| < 2^63`: its canonical
/// value `v` if `v < 2^63`, or `−(p − v)` if `p − v < 2^63`.
pub(crate) fn small(c: &Fr) -> Option<i64> {
    use ark_ff::Field;
    // The most common coefficients, without leaving Montgomery form.
    if *c == Fr::ONE {
        return Some(1);
    } else if *c == -Fr::ONE {
        return Some(-1);
    }
    let fits = |words: [u64; 4]| (words[1..] == [0, 0, 0] && words[0] < 1 << 63).then_some(words[0] as i64);
    let value = c.into_bigint();
    fits(value.0).or_else(|| {
        let mut negated = BigInt(P);
        negated.sub_with_borrow(&value);
        fits(negated.0).map(|m| -m)
    })
}

/// An unreduced sum of small multiples of field elements, in 384 bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WideSum([u64; 6]);

impl WideSum {
    /// The empty sum.
    pub(crate) const ZERO: WideSum = WideSum([0; 6]);

    /// Adds `c·x` for an integer `c < 2^64`: the integer `c·X` for `x`'s word string `X`.
    #[inline(always)]
    pub(crate) fn add_multiple(&mut self, x: &Fr, c: u64) {
        let mut carry = 0u128;
        for (a, &w) in self.0.iter_mut().zip(&x.0 .0) {
            let t = *a as u128 + w as u128 * c as u128 + carry;
            *a = t as u64;
            carry = t >> 64;
        }
        let t = self.0[4] as u128 + carry;
        self.0[4] = t as u64;
        self.0[5] = self.0[5].wrapping_add((t >> 64) as u64);
    }

    /// Adds another sum's terms: the result holds all of them, so still fewer than
    /// `2^67` in all.
    pub(crate) fn add(&mut self, other: &WideSum) {
        add_words(&mut self.0, &other.0);
    }

    /// Whether the accumulator is all zeros, as before any addition or after only zero
    /// terms (its value is then 0; a nonzero multiple of `p` is 0 too without being all
    /// zeros).
    pub(crate) fn is_zero(&self) -> bool {
        self.0 == [0; 6]
    }

    /// The sum as a field element.
    pub(crate) fn value(&self) -> Fr {
        reduce(&self.0)
    }

    /// This sum minus `other`, as a field element: the integers are subtracted, and
    /// the difference's magnitude reduced once.
    pub(crate) fn minus(&self, other: &WideSum) -> Fr {
        let difference = |a: &[u64; 6], b: &[u64; 6]| {
            let mut words = [0u64; 6];
            let mut borrow = false;
            for (d, (&a, &b)) in words.iter_mut().zip(a.iter().zip(b)) {
                let (t, b1) = a.overflowing_sub(b);
                let (t, b2) = t.overflowing_sub(u64::from(borrow));
                *d = t;
                borrow = b1 | b2;
            }
            (words, borrow)
        };
        match difference(&self.0, &other.0) {
            (words, false) => reduce(&words),
            (_, true) => -reduce(&difference(&other.0, &self.0).0),
        }
    }
}

/// An unreduced sum of products of field elements, in 576 bits: each term is the
/// integer product `X·Y` of two word strings (below `p² < 2^508`), so the sum holds
/// up to `2^68` terms without overflow (a sumcheck table has at most `2^20` entries).
#[cfg(feature = "prover")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ProductSum([u64; 9]);

#[cfg(feature = "prover")]
impl ProductSum {
    /// The empty sum.
    pub(crate) const ZERO: ProductSum = ProductSum([0; 9]);

    /// Adds `x·y`: the schoolbook product of the word strings, then added with carries.
    #[inline(always)]
    pub(crate) fn add(&mut self, x: &Fr, y: &Fr) {
        let (a, b) = (&x.0 .0, &y.0 .0);
        let mut product = [0u64; 8];
        for (i, &a_i) in a.iter().enumerate() {
            let mut carry = 0u128;
            for (j, &b_j) in b.iter().enumerate() {
                let t = product[i + j] as u128 + a_i as u128 * b_j as u128 + carry;
                product[i + j] = t as u64;
                carry = t >> 64;
            }
            product[i + 4] = carry as u64;
        }
        let carry = add_words(&mut self.0[..8], &product);
        self.0[8] = self.0[8].wrapping_add(u64::from(carry));
    }

    /// The sum `Σ x·y`. The residue of `Σ X·Y ≡ (Σ x·y)·2^512` is the word string of
    /// `(Σ x·y)·2^256`, and leaving Montgomery form (arkworks' `into_bigint`) divides it
    /// by `2^256`. The residue of the 576-bit sum `A + B·2^384` (`A` its low 384 bits):
    /// [`reduce`] of `A`, and of `B·2^128` times `2^256`.
    pub(crate) fn value(&self) -> Fr {
        let w = &self.0;
        let low = reduce(&[w[0], w[1], w[2], w[3], w[4], w[5]]);
        let high = reduce(&[0, 0, w[6], w[7], w[8], 0]);
        Fp::new_unchecked((low + high * r2()).into_bigint())
    }
}

/// Adds the little-endian word string `words` to `acc` (as long), returning the carry
/// out of the top word.
#[inline(always)]
fn add_words(acc: &mut [u64], words: &[u64]) -> bool {
    let mut carry = false;
    for (a, &b) in acc.iter_mut().zip(words) {
        let (sum, c1) = a.overflowing_add(b);
        let (sum, c2) = sum.overflowing_add(u64::from(carry));
        *a = sum;
        carry = c1 | c2;
    }
    carry
}

/// A 384-bit integer mod `p`, as the field element whose Montgomery word string that
/// residue is: `low + high·2^256` for the low 256 bits and the high 128. `low < 2^256
/// < 6p` is reduced by subtracting `p`; `high·2^256` is the Montgomery product of the
/// word strings `high` and `2^512 mod p` (`R2`).
fn reduce(words: &[u64; 6]) -> Fr {
    let mut low = BigInt([words[0], words[1], words[2], words[3]]);
    while low >= BigInt(P) {
        low.sub_with_borrow(&BigInt(P));
    }
    let low = Fp::new_unchecked(low);
    if words[4..] == [0, 0] {
        return low;
    }
    let high: Fr = Fp::new_unchecked(BigInt([words[4], words[5], 0, 0]));
    low + high * r2()
}

/// `2^512 mod p` as a word string, the Montgomery factor of `·2^256`.
fn r2() -> Fr {
    Fp::new_unchecked(<FrConfig as MontConfig<4>>::R2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{AdditiveGroup, Field, UniformRand};
    use proptest::prelude::*;
    use rand::{rngs::StdRng, SeedableRng};

    /// `c` as a field element, the slow way.
    fn field(c: i64) -> Fr {
        if c < 0 {
            -Fr::from(c.unsigned_abs())
        } else {
            Fr::from(c as u64)
        }
    }

    #[test]
    fn small_recognizes_exactly_the_integers_below_two_to_the_63() {
        let edge = (1u64 << 63) - 1;
        for c in [0, 1, -1, 4096, -4096, edge as i64, -(edge as i64)] {
            assert_eq!(small(&field(c)), Some(c), "{c}");
        }
        assert_eq!(small(&Fr::from(1u64 << 63)), None);
        assert_eq!(small(&-Fr::from(1u64 << 63)), None);
        assert_eq!(small(&Fr::from(2u64).inverse().unwrap()), None);
    }

    /// Signed terms summed as the matrices do: the negative ones apart.
    #[derive(Default)]
    struct Signed {
        positive: WideSum,
        negative: WideSum,
    }

    impl Signed {
        fn add(&mut self, x: &Fr, c: i64) {
            let sum = if c < 0 { &mut self.negative } else { &mut self.positive };
            sum.add_multiple(x, c.unsigned_abs());
        }

        fn value(&self) -> Fr {
            self.positive.minus(&self.negative)
        }
    }

    #[test]
    fn extreme_terms_sum_exactly() {
        let max = i64::MAX;
        // The largest word string, p − 1.
        let top: Fr = Fp::new_unchecked(BigInt([P[0] - 1, P[1], P[2], P[3]]));
        let mut sum = Signed::default();
        let mut want = Fr::ZERO;
        for (x, c) in [(top, max), (top, -max), (Fr::ZERO, -max), (top, max), (Fr::ONE, -1)] {
            sum.add(&x, c);
            want += field(c) * x;
        }
        for _ in 0..1000 {
            sum.add(&top, max);
            want += field(max) * top;
        }
        assert_eq!(sum.value(), want);
        // The largest multiplier add_multiple takes.
        sum.positive.add_multiple(&top, u64::MAX);
        want += Fr::from(u64::MAX) * top;
        assert_eq!(sum.value(), want);
        // More negative than positive terms: the difference is negative as an integer.
        for _ in 0..3000 {
            sum.add(&top, -max);
            want -= field(max) * top;
        }
        assert_eq!(sum.value(), want);
        // Added to itself: the carries run into the top word.
        let copy = sum.positive;
        sum.positive.add(&copy);
        assert_eq!(sum.positive.value(), copy.value().double());
        assert!(WideSum::ZERO.is_zero() && WideSum::ZERO.value() == Fr::ZERO);
        assert_eq!(WideSum::ZERO.minus(&WideSum::ZERO), Fr::ZERO);
    }

    #[cfg(feature = "prover")]
    #[test]
    fn products_of_the_largest_word_strings_sum_exactly() {
        let top: Fr = Fp::new_unchecked(BigInt([P[0] - 1, P[1], P[2], P[3]]));
        let mut sum = ProductSum::ZERO;
        let mut want = Fr::ZERO;
        assert_eq!(sum.value(), Fr::ZERO);
        // (p − 1)² per term: the top words fill and carry into the ninth.
        for n in 1..=2000 {
            sum.add(&top, &top);
            want += top * top;
            if n % 500 == 0 || n < 4 {
                assert_eq!(sum.value(), want, "{n} terms");
            }
        }
        sum.add(&Fr::ZERO, &top);
        sum.add(&Fr::ONE, &Fr::ONE);
        assert_eq!(sum.value(), want + Fr::ONE);
    }

    proptest! {
        #[test]
        fn sums_match_field_arithmetic(seed in any::<u64>(), cs in proptest::collection::vec(any::<i64>(), 0..40)) {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut sum = Signed::default();
            let mut want = Fr::ZERO;
            for c in cs {
                let c = c.max(-i64::MAX);
                let x = Fr::rand(&mut rng);
                sum.add(&x, c);
                want += field(c) * x;
            }
            prop_assert_eq!(sum.value(), want);
        }

        /// Any 64-bit multiplier, and the difference of two such sums.
        #[test]
        fn multiples_and_differences(seed in any::<u64>(), cs in proptest::collection::vec((any::<u64>(), any::<bool>()), 0..40)) {
            let mut rng = StdRng::seed_from_u64(seed);
            let (mut first, mut second) = (WideSum::ZERO, WideSum::ZERO);
            let mut want = Fr::ZERO;
            for (c, in_first) in cs {
                let x = Fr::rand(&mut rng);
                if in_first {
                    first.add_multiple(&x, c);
                    want += Fr::from(c) * x;
                } else {
                    second.add_multiple(&x, c);
                    want -= Fr::from(c) * x;
                }
            }
            prop_assert_eq!(first.minus(&second), want);
            prop_assert_eq!(second.minus(&first), -want);
        }

        /// Sums of products against field arithmetic.
        #[cfg(feature = "prover")]
        #[test]
        fn product_sums_match_field_arithmetic(seed in any::<u64>(), n in 0usize..40) {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut sum = ProductSum::ZERO;
            let mut want = Fr::ZERO;
            for _ in 0..n {
                let (x, y) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
                sum.add(&x, &y);
                want += x * y;
            }
            prop_assert_eq!(sum.value(), want);
        }

        /// Two sums added hold both's terms.
        #[test]
        fn added_sums_hold_both(seed in any::<u64>(), cs in proptest::collection::vec(any::<u64>(), 0..40), split in 0usize..40) {
            let mut rng = StdRng::seed_from_u64(seed);
            let (mut first, mut second) = (WideSum::ZERO, WideSum::ZERO);
            let mut want = Fr::ZERO;
            for (k, c) in cs.into_iter().enumerate() {
                let x = Fr::rand(&mut rng);
                if k < split { first.add_multiple(&x, c) } else { second.add_multiple(&x, c) }
                want += Fr::from(c) * x;
            }
            first.add(&second);
            prop_assert_eq!(first.value(), want);
        }
    }
}
