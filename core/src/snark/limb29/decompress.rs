//! Decoding a compressed G1 point: arkworks' `deserialize_with_mode` with
//! `Compress::Yes`, step for step, except that the square root giving `y` from
//! `x` is taken on [`Fq29`] (its exponentiation is most of a decoding's time).

use ark_bn254::{Fq, G1Affine};
use ark_ec::short_weierstrass::{SWCurveConfig, SWFlags};
use ark_serialize::{CanonicalDeserializeWithFlags, SerializationError, Valid};

use super::fq::Fq29;

/// The point whose compressed encoding (arkworks': `x` little-endian, the flags
/// in its top bits) `bytes` begins with, validated; the same result as
/// `G1Affine::deserialize_with_mode(bytes, Compress::Yes, Validate::Yes)`.
pub(crate) fn decompress(bytes: &[u8]) -> Result<G1Affine, SerializationError> {
    let (x, flags): (Fq, SWFlags) = CanonicalDeserializeWithFlags::deserialize_with_flags(bytes)?;
    if flags.is_infinity() {
        return Ok(G1Affine::identity());
    }
    let (smaller, larger) = ys_from_x(&x).ok_or(SerializationError::InvalidData)?;
    // Arkworks' convention: "positive" is the smaller of y and −y as integers.
    let y = if flags.is_positive() == Some(true) { smaller } else { larger };
    let point = G1Affine::new_unchecked(x, y);
    point.check()?;
    Ok(point)
}

/// The two `y` with `y² = x³ + b`, smaller first as integers, or `None` if
/// `x³ + b` is not a square (no point has this `x`).
fn ys_from_x(x: &Fq) -> Option<(Fq, Fq)> {
    let x29 = Fq29::from_ark(x);
    let b = Fq29::from_ark(&ark_bn254::g1::Config::COEFF_B);
    let y = x29.square().mul(&x29).add(&b).sqrt()?.to_ark();
    let neg_y = -y;
    Some(if y < neg_y { (y, neg_y) } else { (neg_y, y) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::G1Projective;
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
    use ark_std::UniformRand;
    use proptest::prelude::*;
    use rand::{rngs::StdRng, SeedableRng};

    /// Both decoders agree on `bytes`: the same point, or both refuse.
    fn agree(bytes: &[u8]) {
        let ours = decompress(bytes);
        let ark = G1Affine::deserialize_compressed(bytes);
        assert_eq!(ours.as_ref().ok(), ark.as_ref().ok(), "{bytes:02x?}");
        assert_eq!(ours.is_err(), ark.is_err());
    }

    #[test]
    fn encodings_of_points_decode_as_arkworks_does() {
        let mut rng = StdRng::seed_from_u64(5);
        let mut points: Vec<G1Affine> = (0..64).map(|_| G1Projective::rand(&mut rng).into_affine()).collect();
        points.extend([G1Affine::identity(), G1Affine::generator(), -G1Affine::generator()]);
        for p in points {
            let mut bytes = Vec::new();
            p.serialize_compressed(&mut bytes).unwrap();
            assert_eq!(decompress(&bytes).unwrap(), p);
            agree(&bytes);
            // The other sign, and other flags.
            for flags in [0x00, 0x40, 0x80, 0xc0] {
                let mut other = bytes.clone();
                other[31] = (other[31] & 0x3f) | flags;
                agree(&other);
            }
        }
    }

    #[test]
    fn edge_encodings_decode_as_arkworks_does() {
        let mut modulus = [0u8; 32];
        <Fq as ark_ff::PrimeField>::MODULUS.serialize_uncompressed(&mut modulus[..]).unwrap();
        let mut minus_one = [0u8; 32];
        (-Fq::from(1u64)).serialize_compressed(&mut minus_one[..]).unwrap();
        for bytes in [[0u8; 32], [0xff; 32], modulus, minus_one] {
            agree(&bytes);
            agree(&bytes[..31]);
        }
        agree(&[]);
    }

    proptest! {
        #[test]
        fn random_bytes_decode_as_arkworks_does(bytes in any::<[u8; 32]>()) {
            agree(&bytes);
            // x below p, so that the square root is reached.
            let mut low = bytes;
            low[31] &= 0xcf;
            agree(&low);
        }
    }
}
