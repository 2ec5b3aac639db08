//! Sums of many groups of affine points at once, in affine coordinates: rounds
//! of pairwise additions, all the additions of a round sharing one field
//! inversion (Montgomery's trick). An affine addition then costs about six
//! multiplications (three for its share of the inversion, the slope, its square
//! and one more), against ten for an addition into XYZZ coordinates.
//!
//! Every case of the group law is handled exactly: equal points are doubled,
//! opposite points cancel (the group loses both), as the identity is no affine
//! point here.

use super::fq::Fq29;
use super::xyzz::Affine29;

/// The sum of each group of `points`: group `g` is `points[starts[g]..starts[g + 1]]`
/// (`starts` nondecreasing, its last entry `points.len()`); `None` for a group
/// summing to the identity (or empty).
pub(super) fn sum_groups(mut points: Vec<Affine29>, starts: &[usize]) -> Vec<Option<Affine29>> {
    // Group g's live points are points[start..start + len[g]].
    let mut len: Vec<usize> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    let mut pairs = Vec::new();
    let mut slopes = Vec::new();
    loop {
        // This round's pairs: (first, second) of each group, two by two.
        pairs.clear();
        for (g, &l) in len.iter().enumerate() {
            let start = starts[g];
            pairs.extend((0..l / 2).map(|i| (start + 2 * i, start + 2 * i + 1)));
        }
        if pairs.is_empty() {
            break;
        }
        slopes.clear();
        slopes.extend(pairs.iter().map(|&(a, b)| Slope::new(&points[a], &points[b])));
        invert_denominators(&mut slopes);
        // Write each group's sums to its front (pair i to start + i, skipping
        // cancelled pairs), then its odd point, if any.
        let mut pair = 0;
        for (g, l) in len.iter_mut().enumerate() {
            let start = starts[g];
            let mut kept = 0;
            for _ in 0..*l / 2 {
                let (a, b) = pairs[pair];
                if let Some(sum) = slopes[pair].sum(&points[a], &points[b]) {
                    points[start + kept] = sum;
                    kept += 1;
                }
                pair += 1;
            }
            if *l % 2 == 1 {
                points[start + kept] = points[start + *l - 1];
                kept += 1;
            }
            *l = kept;
        }
    }
    len.iter().enumerate().map(|(g, &l)| (l == 1).then(|| points[starts[g]])).collect()
}

/// The slope of the line through two points (the tangent if they are equal),
/// as numerator and denominator until [`invert_denominators`]; `None` for
/// opposite points.
enum Slope {
    /// `num/den`, `den` nonzero; after [`invert_denominators`], `den` holds `1/den`.
    Fraction { num: Fq29, den: Fq29 },
    /// `q = −p`: the sum is the identity.
    Vertical,
}

impl Slope {
    /// The slope for `p + q`.
    fn new(p: &Affine29, q: &Affine29) -> Slope {
        let dx = q.x.sub(&p.x);
        let dy = q.y.sub(&p.y);
        if !dx.is_zero() {
            Slope::Fraction { num: dy, den: dx }
        } else if dy.is_zero() {
            // p = q: the tangent, 3x²/2y (y ≠ 0: no point of order 2 on this curve).
            let x2 = p.x.square();
            Slope::Fraction { num: x2.double().add(&x2), den: p.y.double() }
        } else {
            Slope::Vertical
        }
    }

    /// `p + q` with the slope of [`Slope::new`]`(p, q)`, its denominator inverted;
    /// `None` for the identity.
    fn sum(&self, p: &Affine29, q: &Affine29) -> Option<Affine29> {
        let Slope::Fraction { num, den: inverse } = self else { return None };
        let lambda = num.mul(inverse);
        let x = lambda.square().sub(&p.x).sub(&q.x);
        let y = lambda.mul(&p.x.sub(&x)).sub(&p.y);
        Some(Affine29 { x, y })
    }
}

/// Replaces every denominator by its inverse, with one field inversion: with
/// prefix products `c_i = d_0···d_i`, `1/d_i = c_{i−1}·(1/c_i)` and
/// `1/c_{i−1} = d_i·(1/c_i)`, from the last down.
fn invert_denominators(slopes: &mut [Slope]) {
    let mut prefix = Vec::with_capacity(slopes.len());
    let mut acc = Fq29::ONE;
    for slope in slopes.iter() {
        if let Slope::Fraction { den, .. } = slope {
            acc = acc.mul(den);
        }
        prefix.push(acc);
    }
    // A product of nonzero elements: nonzero, so it has an inverse.
    let mut inverse = acc.inverse();
    for (i, slope) in slopes.iter_mut().enumerate().rev() {
        if let Slope::Fraction { den, .. } = slope {
            let before = if i == 0 { Fq29::ONE } else { prefix[i - 1] };
            let d = *den;
            *den = before.mul(&inverse);
            inverse = inverse.mul(&d);
        }
    }
}
