//! The `Piecewise` gadget: a piecewise-linear function of each element.
//!
//! For an element `x` and breakpoints `t_1 < … < t_K`: the comparison bits of
//! [`Builder::threshold_bits`] name `x`'s segment `j`; the slope `a(b)` and the
//! offset `c(b)` are linear in the bits ([`Builder::by_interval`]) and equal
//! `a_j` and `c_j`; one product row `x·a(b) = m` and the requantization of
//! `m + c(b) + 2^(s−1)` (as in `Dense`) give `y = floor((a_j·x + c_j + 2^(s−1)) / 2^s)`.

use super::{Builder, Wire};
use crate::frontend::circuit::{CircuitError, Column, Constraint, Decomposition, Label};
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
        let slopes: Vec<i128> = p.slopes.iter().map(|v| i128::from(*v)).collect();
        let offsets: Vec<i128> = p.offsets.iter().map(|v| i128::from(*v)).collect();
        let mut out = Vec::with_capacity(inputs.len());
        for (j, x) in inputs.into_iter().enumerate() {
            let j = j as u32;
            let x = self.one_column(layer, j, x)?;
            let first = self.threshold_bits(layer, j, &x.lc, &p.breakpoints, bound)?;
            let (slope, mut acc) = (self.by_interval(first, &slopes), self.by_interval(first, &offsets));
            let m = self.alloc(layer, j, Column::PiecewiseProduct)?;
            let label = Label { layer, neuron: j, role: Constraint::PiecewiseProduct };
            self.constrain(label, &x.lc, &slope, &super::Lc::column(m))?;
            acc.terms.push((m, ark_bn254::Fr::ONE));
            acc.constant += self.half;
            out.push(self.requantize(layer, j, Decomposition::Requantize, acc, n)?);
        }
        Ok(out)
    }
}
