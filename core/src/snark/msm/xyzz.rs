//! Points of BN254's G1 (`y² = x³ + 3`) in extended Jacobian coordinates
//! ("XYZZ"): `(X, Y, ZZ, ZZZ)` stands for the affine point `(X/ZZ, Y/ZZZ)`, with
//! `ZZ³ = ZZZ²`; `ZZ = 0` is the identity. [`super::pippenger`] combines its buckets
//! and windows in them: an addition of an affine point costs 8 multiplications
//! and 2 squarings, a full one 12 and 2, with no inversion. Formulas: the
//! Explicit-Formulas Database, "xyzz" coordinates
//! (`madd-2008-s`, `add-2008-s`, `dbl-2008-s-1`, curve `a = 0`).
//!
//! Every addition handles all cases exactly (identity operands, equal points,
//! opposite points), so that the sum is the group's whatever the inputs.

use ark_bn254::G1Projective;

use super::batch_affine::Point;
use super::field::BaseField;

/// A point in XYZZ coordinates (see the module docs).
#[derive(Clone, Copy, Debug)]
pub(super) struct Xyzz<F> {
    x: F,
    y: F,
    zz: F,
    zzz: F,
}

impl<F: BaseField> Xyzz<F> {
    /// The identity.
    pub(super) const IDENTITY: Xyzz<F> = Xyzz { x: F::ZERO, y: F::ZERO, zz: F::ZERO, zzz: F::ZERO };

    /// Whether this is the identity.
    pub(super) fn is_identity(&self) -> bool {
        self.zz.is_zero()
    }

    /// `self + q` for an affine `q` (`madd-2008-s`; [`Xyzz::double`] if `self = q`).
    pub(super) fn add_affine(&self, q: &Point<F>) -> Xyzz<F> {
        if self.is_identity() {
            return Xyzz::from_affine(q);
        }
        let u2 = q.x.mul(&self.zz);
        let s2 = q.y.mul(&self.zzz);
        let p = u2.sub(&self.x);
        let r = s2.sub(&self.y);
        if p.is_zero() {
            // Same x: the same point (double it) or its opposite (the sum is the identity).
            return if r.is_zero() { Xyzz::from_affine(q).double() } else { Xyzz::IDENTITY };
        }
        let pp = p.square();
        let ppp = p.mul(&pp);
        let q_ = self.x.mul(&pp);
        let x = r.square().sub(&ppp).sub(&q_.double());
        let y = r.mul(&q_.sub(&x)).sub(&self.y.mul(&ppp));
        Xyzz { x, y, zz: self.zz.mul(&pp), zzz: self.zzz.mul(&ppp) }
    }

    /// `self + q` (`add-2008-s`; [`Xyzz::double`] if `self = q`).
    pub(super) fn add(&self, q: &Xyzz<F>) -> Xyzz<F> {
        if self.is_identity() {
            return *q;
        }
        if q.is_identity() {
            return *self;
        }
        let u1 = self.x.mul(&q.zz);
        let u2 = q.x.mul(&self.zz);
        let s1 = self.y.mul(&q.zzz);
        let s2 = q.y.mul(&self.zzz);
        let p = u2.sub(&u1);
        let r = s2.sub(&s1);
        if p.is_zero() {
            return if r.is_zero() { self.double() } else { Xyzz::IDENTITY };
        }
        let pp = p.square();
        let ppp = p.mul(&pp);
        let q_ = u1.mul(&pp);
        let x = r.square().sub(&ppp).sub(&q_.double());
        let y = r.mul(&q_.sub(&x)).sub(&s1.mul(&ppp));
        Xyzz { x, y, zz: self.zz.mul(&q.zz).mul(&pp), zzz: self.zzz.mul(&q.zzz).mul(&ppp) }
    }

    /// `2·self` (`dbl-2008-s-1`). The identity doubles to itself (`ZZ` stays 0);
    /// no point has `y = 0`, so no other point does.
    pub(super) fn double(&self) -> Xyzz<F> {
        let u = self.y.double();
        let v = u.square();
        let w = u.mul(&v);
        let s = self.x.mul(&v);
        let x2 = self.x.square();
        let m = x2.double().add(&x2);
        let x = m.square().sub(&s.double());
        let y = m.mul(&s.sub(&x)).sub(&w.mul(&self.y));
        Xyzz { x, y, zz: v.mul(&self.zz), zzz: w.mul(&self.zzz) }
    }

    /// `q` with `ZZ = ZZZ = 1`.
    fn from_affine(q: &Point<F>) -> Xyzz<F> {
        Xyzz { x: q.x, y: q.y, zz: F::ONE, zzz: F::ONE }
    }

    /// The same point as an arkworks projective (Jacobian) point: with
    /// `Z = ZZ·ZZZ`, `X = x·Z² = X·ZZ·ZZZ²` and `Y = y·Z³ = Y·ZZ³·ZZZ²`.
    pub(super) fn to_ark(self) -> G1Projective {
        if self.is_identity() {
            return G1Projective::default();
        }
        let z = self.zz.mul(&self.zzz);
        let zzz2 = self.zzz.square();
        let x = self.x.mul(&self.zz).mul(&zzz2);
        let y = self.y.mul(&self.zz.square()).mul(&self.zz).mul(&zzz2);
        G1Projective::new_unchecked(x.to_ark(), y.to_ark(), z.to_ark())
    }
}
