//! The base field operations the bucket method needs, so that one implementation of it
//! serves BN254's `Fq` as arkworks represents it (four 64-bit limbs, natively) and on
//! 29-bit limbs (`crate::snark::limb29`, on wasm32).

#[cfg(any(target_arch = "wasm32", test))]
use crate::snark::limb29::Fq29;
use ark_bn254::Fq;

/// A representation of BN254's base field `Fq`. Elements need not be reduced (equal
/// values may differ in representation): [`BaseField::equals`] compares values.
pub(crate) trait BaseField: Copy + Send + Sync + core::fmt::Debug {
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// A level of affine additions ([`super::batch_affine::add_in_buckets`]) pays one
    /// inversion; below this many additions in a level, a bucket's sum is left spread over
    /// its remaining points, which the caller adds one by one. About the inversion's cost in
    /// multiplications over the four an affine addition saves against a projective one.
    const MIN_LEVEL_PAIRS: usize;

    /// The element arkworks' `a` stands for.
    fn from_ark(a: &Fq) -> Self;
    /// The element as arkworks'.
    fn to_ark(self) -> Fq;
    /// `self + b`.
    fn add(&self, b: &Self) -> Self;
    /// `self − b`.
    fn sub(&self, b: &Self) -> Self;
    /// `2·self`.
    fn double(&self) -> Self;
    /// `−self`.
    fn neg(&self) -> Self;
    /// `self·b`.
    fn mul(&self, b: &Self) -> Self;
    /// `self²`.
    fn square(&self) -> Self;
    /// Whether this is zero.
    fn is_zero(&self) -> bool;
    /// Whether `self = b` as field elements.
    fn equals(&self, b: &Self) -> bool;
    /// `1/self`, or `None` for zero.
    fn inverse(&self) -> Option<Self>;
}

/// Arkworks' field, natively (its inversion by Bernstein–Yang, [`super::fq_inverse`]).
/// The wasm verifier uses [`crate::snark::limb29`]'s instead and leaves this one out.
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
impl BaseField for Fq {
    const ZERO: Fq = ark_ff::AdditiveGroup::ZERO;
    const ONE: Fq = ark_ff::Field::ONE;
    /// Measured on the prover's fixed-base MSM: thresholds from 4 to 32 within 2% of each
    /// other (an inversion costs a few dozen multiplications).
    const MIN_LEVEL_PAIRS: usize = 1;

    fn from_ark(a: &Fq) -> Fq {
        *a
    }
    fn to_ark(self) -> Fq {
        self
    }
    #[inline(always)]
    fn add(&self, b: &Fq) -> Fq {
        *self + b
    }
    #[inline(always)]
    fn sub(&self, b: &Fq) -> Fq {
        *self - b
    }
    #[inline(always)]
    fn double(&self) -> Fq {
        ark_ff::AdditiveGroup::double(self)
    }
    #[inline(always)]
    fn neg(&self) -> Fq {
        -*self
    }
    #[inline(always)]
    fn mul(&self, b: &Fq) -> Fq {
        *self * b
    }
    #[inline(always)]
    fn square(&self) -> Fq {
        ark_ff::Field::square(self)
    }
    #[inline(always)]
    fn is_zero(&self) -> bool {
        ark_ff::Zero::is_zero(self)
    }
    /// Arkworks' elements are reduced: equal values have equal limbs.
    #[inline(always)]
    fn equals(&self, b: &Fq) -> bool {
        self == b
    }
    fn inverse(&self) -> Option<Fq> {
        super::fq_inverse::inverse(self)
    }
}

/// The 29-bit limbs of the wasm verifier (compiled there and in tests): its own methods.
#[cfg(any(target_arch = "wasm32", test))]
impl BaseField for Fq29 {
    const ZERO: Fq29 = Fq29::ZERO;
    const ONE: Fq29 = Fq29::ONE;
    /// Every level runs, down to a single pair, as in the wasm verifier's MSM before the
    /// bucket method was shared (16, arkworks' threshold, measured the same in Node 20).
    const MIN_LEVEL_PAIRS: usize = 1;

    fn from_ark(a: &Fq) -> Fq29 {
        Fq29::from_ark(a)
    }
    fn to_ark(self) -> Fq {
        Fq29::to_ark(self)
    }
    #[inline]
    fn add(&self, b: &Fq29) -> Fq29 {
        Fq29::add(self, b)
    }
    #[inline]
    fn sub(&self, b: &Fq29) -> Fq29 {
        Fq29::sub(self, b)
    }
    #[inline]
    fn double(&self) -> Fq29 {
        Fq29::double(self)
    }
    #[inline]
    fn neg(&self) -> Fq29 {
        Fq29::neg(self)
    }
    #[inline]
    fn mul(&self, b: &Fq29) -> Fq29 {
        Fq29::mul(self, b)
    }
    #[inline]
    fn square(&self) -> Fq29 {
        Fq29::square(self)
    }
    #[inline]
    fn is_zero(&self) -> bool {
        Fq29::is_zero(self)
    }
    /// Elements below `2p`, not reduced: equal when their difference is zero.
    #[inline]
    fn equals(&self, b: &Fq29) -> bool {
        self.sub(b).is_zero()
    }
    fn inverse(&self) -> Option<Fq29> {
        (!self.is_zero()).then(|| Fq29::inverse(self))
    }
}
