//! The representations of BN254's scalar field that `eq` tables and sparse bilinear
//! forms compute in ([`FrRepr`]): arkworks' [`Fr`] everywhere, and on wasm32 the 29-bit
//! limbs of `crate::snark::limb29` (`Fr29`), whose products are native 64-bit
//! multiplications there. One implementation of each algorithm serves both; results
//! equal as field elements (the tests check the 29-bit instantiation against arkworks').

#[cfg(any(target_arch = "wasm32", test))]
use crate::snark::limb29::Fr29;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

/// A representation of BN254's scalar field `Fr`: the operations of
/// [`super::eq_table_prefix`] and of the bilinear form on a matrix's entries
/// (`sparse::bilinear`, compiled for wasm32 and the tests). Elements need not be
/// reduced; [`FrRepr::to_ark`] gives the value.
pub trait FrRepr: Copy + Send + Sync {
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// The element arkworks' `a` stands for.
    fn from_ark(a: &Fr) -> Self;
    /// The element as arkworks'.
    fn to_ark(self) -> Fr;
    /// `self + b`.
    fn add(&self, b: &Self) -> Self;
    /// `self − b`.
    fn sub(&self, b: &Self) -> Self;
    /// `−self`.
    fn neg(&self) -> Self;
    /// `self·b`.
    fn mul(&self, b: &Self) -> Self;
    /// `self·c` for arkworks' `c` (a matrix coefficient, a public value).
    fn mul_ark(&self, c: &Fr) -> Self;
}

/// Arkworks' field, itself.
impl FrRepr for Fr {
    const ZERO: Fr = AdditiveGroup::ZERO;
    const ONE: Fr = Field::ONE;

    #[inline(always)]
    fn from_ark(a: &Fr) -> Fr {
        *a
    }
    #[inline(always)]
    fn to_ark(self) -> Fr {
        self
    }
    #[inline(always)]
    fn add(&self, b: &Fr) -> Fr {
        *self + b
    }
    #[inline(always)]
    fn sub(&self, b: &Fr) -> Fr {
        *self - b
    }
    #[inline(always)]
    fn neg(&self) -> Fr {
        -*self
    }
    #[inline(always)]
    fn mul(&self, b: &Fr) -> Fr {
        *self * b
    }
    #[inline(always)]
    fn mul_ark(&self, c: &Fr) -> Fr {
        *self * c
    }
}

/// The 29-bit limbs of the wasm verifier (compiled there and in tests): its own methods;
/// a coefficient is multiplied in without converting it (`Mont29::mul_ark`).
#[cfg(any(target_arch = "wasm32", test))]
impl FrRepr for Fr29 {
    const ZERO: Fr29 = Fr29::ZERO;
    const ONE: Fr29 = Fr29::ONE;

    fn from_ark(a: &Fr) -> Fr29 {
        Fr29::from_ark(a)
    }
    fn to_ark(self) -> Fr {
        Fr29::to_ark(self)
    }
    #[inline]
    fn add(&self, b: &Fr29) -> Fr29 {
        Fr29::add(self, b)
    }
    #[inline]
    fn sub(&self, b: &Fr29) -> Fr29 {
        Fr29::sub(self, b)
    }
    #[inline]
    fn neg(&self) -> Fr29 {
        Fr29::neg(self)
    }
    #[inline]
    fn mul(&self, b: &Fr29) -> Fr29 {
        Fr29::mul(self, b)
    }
    #[inline]
    fn mul_ark(&self, c: &Fr) -> Fr29 {
        Fr29::mul_ark(self, c)
    }
}
