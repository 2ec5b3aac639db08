//! The `Piecewise` gadget: a piecewise-linear function of each element.
//!
//! For an element `x` and breakpoints `t_1 < … < t_K`: the comparison bits of
//! [`Builder::threshold_bits`] name `x`'s segment `j`; the slope `a(b)` and the
//! offset `c(b)` are linear in the bits ([`Builder::by_interval`]) and equal
//! `a_j` and `c_j`; one product row `x·a(b) = m` and the requantization of
//! `m + c(b) + 2^(s−1)` (as in `Dense`) give `y = floor((a_j·x + c_j + 2^(s−1)) / 2^s)`.

use super::{Builder, Lc, Wire};
use crate::frontend::circuit::{CircuitError, Column, Constraint, Decomposition, Label};
use crate::frontend::model::bounds::Interval;
use crate::frontend::model::piecewise::Piecewise;
use ark_ff::Field;

impl Builder {
    /// A `Piecewise` layer on `inputs`, each bounded by `bound`, its outputs in `n` signed bits.
    pub(in crate::frontend::circuit) fn piecewise(
        &mut self,
        layer: u32,
        p: &Piecewise,
        inputs: Vec<Wire>,
        bound: i128,
        n: u32,
    ) -> Result<Vec<Wire>, CircuitError> {
        let mut out = Vec::with_capacity(inputs.len());
        for (j, x) in inputs.into_iter().enumerate() {
            let j = j as u32;
            let x = self.one_column(layer, j, x)?;
            let mut acc = self.piecewise_acc(layer, j, &x.lc, p, Interval::symmetric(bound))?;
            acc.constant += self.half;
            out.push(self.requantize(layer, j, Decomposition::Requantize, acc, n)?);
        }
        Ok(out)
    }

    /// `a_j·x + c_j` of the segment `j` holding `x` (an LC within `range`), unrounded:
    /// the threshold bits of `p`'s breakpoints, the product row `x·a(b) = m` and the
    /// LC `m + c(b)`. Shared with the body softmax, whose exponential it is.
    pub(in crate::frontend::circuit) fn piecewise_acc(
        &mut self,
        layer: u32,
        j: u32,
        x: &Lc,
        p: &Piecewise,
        range: Interval,
    ) -> Result<Lc, CircuitError> {
        let slopes: Vec<i128> = p.slopes.iter().map(|v| i128::from(*v)).collect();
        let offsets: Vec<i128> = p.offsets.iter().map(|v| i128::from(*v)).collect();
        let first = self.threshold_bits(layer, j, x, &p.breakpoints, range)?;
        let (slope, mut acc) = (self.by_interval(first, &slopes), self.by_interval(first, &offsets));
        let m = self.alloc(layer, j, Column::PiecewiseProduct)?;
        let label = Label { layer, neuron: j, role: Constraint::PiecewiseProduct };
        self.constrain(label, x, &slope, &Lc::column(m))?;
        acc.terms.push((m, ark_bn254::Fr::ONE));
        Ok(acc)
    }
}
