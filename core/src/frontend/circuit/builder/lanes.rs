//! The `Lanes` gadgets: pass, ReLU and the exact comparisons with a constant.
//!
//! * `x ≥ c` and `x < c`: the top bit `t` of the decomposition of `x − c` into
//!   `signed_bits(B + |c|)` bits (`|x| ≤ B`). The decomposition is satisfiable
//!   only with the true bits, so `t = [x − c ≥ 0]`; the output is `2^s·t` or
//!   `2^s·(1 − t)`.
//! * `x = c` and `x ≠ c`: the is-zero gadget on `d = x − c` with two columns
//!   `inv`, `e` and two rows `d·inv = 1 − e`, `d·e = 0`. If `d ≠ 0` the second
//!   row forces `e = 0`; if `d = 0` the first forces `e = 1`. The output is
//!   `2^s·e` or `2^s·(1 − e)`.
//! * ReLU: `y = sign·x` as in [`Builder::relu`].
//!
//! An input with several terms is first copied into one column (as `Dense`
//! does), so that every output of the layer has one term.

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

use super::{Builder, Lc, Wire};
use crate::frontend::circuit::{CircuitError, Column, Constraint, Decomposition, Label};
use crate::frontend::model::bounds::signed_bits;
use crate::frontend::model::lanes::LaneOp;
use crate::snark::r1cs::fr_from_i64;

impl Builder {
    /// A `Lanes` layer: lane `j` applies `ops[j]` to input `j`, bounded by `bound`.
    pub(in crate::frontend::circuit) fn lanes(
        &mut self,
        layer: u32,
        ops: &[LaneOp],
        inputs: Vec<Wire>,
        bound: i128,
    ) -> Result<Vec<Wire>, CircuitError> {
        let one = self.pow2[self.s as usize];
        let mut out = Vec::with_capacity(ops.len());
        for (j, (op, x)) in ops.iter().zip(inputs).enumerate() {
            let j = j as u32;
            let x = self.one_column(layer, j, x)?;
            // `2^s·bit` for a true-when-set bit, `2^s·(1 − bit)` for its negation.
            let boolean = |bit: usize, negate: bool| {
                if negate {
                    Lc::column(bit).scaled_plus(-one, one)
                } else {
                    Lc::column(bit).scaled_plus(one, Fr::ZERO)
                }
            };
            let lc = match *op {
                LaneOp::Pass => x.lc,
                LaneOp::Relu => {
                    let sign = self.sign_of(layer, j, &x, bound)?;
                    let y = Lc::column(self.alloc(layer, j, Column::Relu)?);
                    self.constrain(Label { layer, neuron: j, role: Constraint::Relu }, &Lc::column(sign), &x.lc, &y)?;
                    y
                }
                LaneOp::AtLeast(c) | LaneOp::Below(c) => {
                    let width = signed_bits(bound + c.unsigned_abs() as i128);
                    let diff = x.lc.scaled_plus(Fr::ONE, -fr_from_i64(c));
                    let sign = self.decompose(layer, j, Decomposition::Compare, diff, width)? + width as usize - 1;
                    boolean(sign, matches!(op, LaneOp::Below(_)))
                }
                LaneOp::Equal(c) | LaneOp::NotEqual(c) => {
                    let diff = x.lc.scaled_plus(Fr::ONE, -fr_from_i64(c));
                    let inv = self.alloc(layer, j, Column::EqualInverse)?;
                    let e = self.alloc(layer, j, Column::Equal)?;
                    let label = |role| Label { layer, neuron: j, role };
                    let not_e = Lc::column(e).scaled_plus(-Fr::ONE, Fr::ONE);
                    self.constrain(label(Constraint::EqualInverse), &diff, &Lc::column(inv), &not_e)?;
                    self.constrain(label(Constraint::EqualZero), &diff, &Lc::column(e), &Lc::constant(Fr::ZERO))?;
                    boolean(e, matches!(op, LaneOp::NotEqual(_)))
                }
            };
            out.push(Wire { lc, sign: None });
        }
        Ok(out)
    }
}
