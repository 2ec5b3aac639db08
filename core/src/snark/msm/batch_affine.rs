//! Sums of many buckets of affine points at once, in affine coordinates: levels of
//! pairwise additions, all the additions of a level sharing one field inversion
//! (Montgomery's trick). An affine addition then costs about six multiplications (three
//! for its share of the inversion, the slope, its square and one more), against about
//! ten or eleven for a mixed addition into projective or XYZZ coordinates.
//!
//! Every case of the group law is handled exactly: equal points are doubled, opposite
//! points cancel (the bucket loses both), as the identity is no affine point here.

use super::field::BaseField;
use ark_bn254::G1Affine;
use ark_ec::AffineRepr;

/// An affine point of G1 other than the identity, on the field representation `F`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Point<F> {
    /// `x`.
    pub(crate) x: F,
    /// `y` (never zero on this curve, which has no point of order 2).
    pub(crate) y: F,
}

impl<F: BaseField> Point<F> {
    /// A placeholder for buffers about to be overwritten (not a point of the curve).
    pub(crate) const FILLER: Point<F> = Point { x: F::ZERO, y: F::ZERO };

    /// The point, or `None` for the identity.
    pub(crate) fn from_ark(p: &G1Affine) -> Option<Point<F>> {
        (!p.is_zero()).then(|| Point { x: F::from_ark(&p.x), y: F::from_ark(&p.y) })
    }

    /// `−self`.
    pub(crate) fn neg(&self) -> Point<F> {
        Point { x: self.x, y: self.y.neg() }
    }
}

/// The buffers of [`add_in_buckets`], kept across calls by a caller that makes many.
/// Unless made by [`Inversions::for_public_points`], they hold only zeros between calls:
/// the prover's fixed-base MSM puts points into buckets by its secret scalars' digits,
/// and the denominators of their additions would tell which points shared a bucket.
#[derive(Debug)]
pub(crate) struct Inversions<F> {
    /// The denominators of a level's additions, then their inverses.
    inverses: Vec<F>,
    /// The prefix products of the batch inversion.
    products: Vec<F>,
    /// Whether [`add_in_buckets`] zeroes the buffers when it is done.
    wipe: bool,
}

impl<F> Default for Inversions<F> {
    /// Buffers that are zeroed after each use.
    fn default() -> Self {
        Inversions { inverses: Vec::new(), products: Vec::new(), wipe: true }
    }
}

impl<F> Inversions<F> {
    /// Buffers for sums of points that reveal nothing (the verifier's), left as they are
    /// after use: zeroing them cost the verifier's MSM up to about 3% (natively, 52 to
    /// 1,024 terms).
    pub(crate) fn for_public_points() -> Self {
        Inversions { wipe: false, ..Self::default() }
    }
}

/// Adds up the points of each bucket (bucket j's are `points[start[j]..start[j] + len[j]]`)
/// with affine additions, until a level would have fewer than [`BaseField::MIN_LEVEL_PAIRS`]
/// of them, leaving in `len[j]` how many points bucket j's sum is still spread over, at its
/// start (none if it is the identity). Each level adds points 2i and 2i + 1 of every
/// bucket, in place into point i, all the additions of a level sharing one field inversion.
/// `scratch` is left zeroed unless it is [`Inversions::for_public_points`].
pub(crate) fn add_in_buckets<F: BaseField>(
    points: &mut [Point<F>],
    start: &[usize],
    len: &mut [usize],
    scratch: &mut Inversions<F>,
) {
    let Inversions { inverses, products, wipe: zero_after } = scratch;
    // The first level has the most pairs: no later one writes past its length.
    let first_level = len.iter().map(|l| l / 2).sum::<usize>();
    while len.iter().map(|l| l / 2).sum::<usize>() >= F::MIN_LEVEL_PAIRS.max(1) {
        inverses.clear();
        for (s, l) in start.iter().zip(len.iter()) {
            let bucket = &points[*s..s + l];
            inverses.extend(bucket.chunks_exact(2).map(|pair| chord_denominator(&pair[0], &pair[1])));
        }
        invert_all(inverses, products);
        let mut inverses = inverses.iter();
        for (s, l) in start.iter().zip(len.iter_mut()) {
            let bucket = &mut points[*s..*s + *l];
            let mut kept = 0;
            for i in 0..bucket.len() / 2 {
                let inverse = inverses.next().expect("one inverse per pair");
                if let Some(sum) = add_with_inverse(&bucket[2 * i], &bucket[2 * i + 1], inverse) {
                    bucket[kept] = sum;
                    kept += 1;
                }
            }
            if bucket.len() % 2 == 1 {
                bucket[kept] = bucket[bucket.len() - 1];
                kept += 1;
            }
            *l = kept;
        }
    }
    if *zero_after {
        wipe(inverses, first_level, F::ZERO);
        wipe(products, first_level, F::ZERO);
    }
}

/// Overwrites the first `len` values of `values`' buffer (its length or more) with `zero`
/// and empties it. The zeros are read by `black_box`, so the compiler keeps the writes
/// though nothing else reads them.
pub(crate) fn wipe<T: Copy>(values: &mut Vec<T>, len: usize, zero: T) {
    values.clear();
    values.resize(len, zero);
    core::hint::black_box(values.as_slice());
    values.clear();
}

/// Replaces every value (none zero) by its inverse, with one field inversion
/// (Montgomery's trick: 3 multiplications per value).
fn invert_all<F: BaseField>(values: &mut [F], products: &mut Vec<F>) {
    products.clear();
    let mut product = F::ONE;
    for v in values.iter() {
        products.push(product);
        product = product.mul(v);
    }
    // A product of nonzero values is nonzero.
    let mut inverse = product.inverse().expect("no value is zero");
    for (v, before) in values.iter_mut().zip(products.iter()).rev() {
        let v_inverse = inverse.mul(before);
        inverse = inverse.mul(v);
        *v = v_inverse;
    }
}

/// The denominator of the slope of `p + q`: `x_q − x_p` for a chord, `2·y_p` for a
/// doubling, and 1 when `q = −p` (the sum is the identity).
fn chord_denominator<F: BaseField>(p: &Point<F>, q: &Point<F>) -> F {
    if !p.x.equals(&q.x) {
        q.x.sub(&p.x)
    } else if p.y.equals(&q.y) {
        p.y.double()
    } else {
        F::ONE
    }
}

/// `p + q` given the inverse of [`chord_denominator`], or `None` for the identity.
fn add_with_inverse<F: BaseField>(p: &Point<F>, q: &Point<F>, inverse: &F) -> Option<Point<F>> {
    let slope = if !p.x.equals(&q.x) {
        q.y.sub(&p.y).mul(inverse)
    } else if p.y.equals(&q.y) {
        // y_p ≠ 0: the group has odd order, so no point has y = 0.
        let x2 = p.x.square();
        x2.double().add(&x2).mul(inverse)
    } else {
        return None;
    };
    let x = slope.square().sub(&p.x).sub(&q.x);
    let y = slope.mul(&p.x.sub(&x)).sub(&p.y);
    Some(Point { x, y })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fq, G1Projective};
    use ark_ec::CurveGroup;
    use ark_ff::UniformRand;
    use rand::{rngs::StdRng, SeedableRng};

    /// After the additions, the scratch buffers' memory holds only zeros, up to the first
    /// level's length (the longest).
    #[test]
    #[allow(unsafe_code)]
    fn the_scratch_is_zeroed_after_the_additions() {
        let mut rng = StdRng::seed_from_u64(8);
        let bases: Vec<G1Projective> = (0..40).map(|_| G1Projective::rand(&mut rng)).collect();
        let mut points: Vec<Point<Fq>> =
            G1Projective::normalize_batch(&bases).iter().map(|p| Point::from_ark(p).unwrap()).collect();
        // Two buckets, of 25 and 15 points: 19 pairs in the first level.
        let (start, mut len) = ([0, 25, 40], [25, 15]);
        let mut scratch = Inversions::default();
        add_in_buckets(&mut points, &start, &mut len, &mut scratch);
        assert_eq!(len, [1, 1]);
        for buffer in [&mut scratch.inverses, &mut scratch.products] {
            assert!(buffer.is_empty());
            let spare = buffer.spare_capacity_mut();
            assert!(spare.len() >= 19);
            // SAFETY: `wipe` initialized the first level's length of the buffer (19 values).
            assert!(spare[..19].iter().all(|v| unsafe { v.assume_init_read() }.is_zero()));
        }
    }
}
