//! BN254's base field `Fq` on 29-bit limbs ([`Fq29`]) and its square root, which
//! point decompression takes.

use ark_bn254::{Fq, FqConfig};
use ark_ff::PrimeField;

use super::mont::Mont29;

/// An element of `Fq` on 29-bit limbs (`super::mont`'s representation).
pub(crate) type Fq29 = Mont29<FqConfig>;

/// `(p + 1)/4`, the exponent of [`Fq29::sqrt`].
const SQRT_EXPONENT: [u64; 4] = {
    let m = <Fq as PrimeField>::MODULUS.0;
    // p + 1 does not carry out of the low word (p is odd, its low word not all ones);
    // then shift the 256-bit number right by two.
    let w = [m[0] + 1, m[1], m[2], m[3]];
    [(w[0] >> 2) | (w[1] << 62), (w[1] >> 2) | (w[2] << 62), (w[2] >> 2) | (w[3] << 62), w[3] >> 2]
};

impl Fq29 {
    /// A square root of `self`, or `None` if it is not a square: since
    /// `p ≡ 3 (mod 4)`, `r = self^((p+1)/4)` has `r² = self` exactly when `self` is
    /// a square (Euler's criterion).
    pub(super) fn sqrt(&self) -> Option<Fq29> {
        let root = self.pow(&SQRT_EXPONENT);
        root.square().sub(self).is_zero().then_some(root)
    }
}

#[cfg(test)]
mod tests {
    use super::super::mont::tests::{both_forms, check, samples};
    use super::*;
    use ark_ff::{BigInt, Field, MontConfig};
    use proptest::prelude::*;

    #[test]
    fn the_exponent_is_arkworks() {
        assert_eq!(Some(BigInt(SQRT_EXPONENT)), <FqConfig as MontConfig<4>>::MODULUS_PLUS_ONE_DIV_FOUR);
    }

    #[test]
    fn square_roots_match_arkworks_on_edge_values_in_both_forms() {
        for a in &samples::<FqConfig>() {
            for x in both_forms(a) {
                let root = x.sqrt();
                assert_eq!(root.is_some(), a.sqrt().is_some(), "{a}");
                if let Some(r) = root {
                    check(r.square(), *a);
                }
            }
        }
    }

    proptest! {
        #[test]
        fn square_roots_match_arkworks(a in any::<[u8; 32]>()) {
            let a = Fq::from_le_bytes_mod_order(&a);
            let x = Fq29::from_ark(&a);
            prop_assert_eq!(x.sqrt().is_some(), a.sqrt().is_some());
            check(x.square().sqrt().unwrap().square(), a.square());
        }
    }
}
