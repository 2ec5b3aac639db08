//! The body softmax gadget (`PiecewiseSoftmax`, semantics in `model/softmax.rs`).
//!
//! For inputs `x_0 … x_{n−1}` bounded by `B`:
//! * the maximum `m`, one column. For each `i`, `d_i = x_i − m` goes through the
//!   exponential's threshold bits ([`Builder::piecewise_acc`]) over the range
//!   `[−2B, 0]`: the interval checks prove `d_i ≤ 0`, i.e. `m ≥ x_i`, and name
//!   `d_i`'s segment, so `A_i = a_j·d_i + c_j` exactly. The product chain
//!   `Π_i d_i = 0` (`n − 1` rows, `n − 2` columns; the row `d_0·1 = 0` for `n = 1`)
//!   makes one `d_i` zero (they are integers far below the field size): `m` is the
//!   maximum;
//! * the sum `S = Σ A_i`, one column;
//! * per output, `y_i` as `s + 1` fresh bits (so `0 ≤ y_i < 2^(s+1)`), the product
//!   row `y_i·S = P_i`, and the remainder `r_i = 2^(s+1)·A_i + S − 2P_i` with the
//!   range checks `r_i ∈ [0, 2^k)` and `2S − 1 − r_i ∈ [0, 2^k)`, `2^k > 2·S_max − 1`
//!   ([`remainder_bits`]). Every quantity is an integer below `2^100`, so these say
//!   `2^(s+1)·A_i + S = 2S·y_i + r_i` with `0 ≤ r_i < 2S` over ℤ: `y_i` is the
//!   evaluator's quotient.

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

use super::{Builder, Lc, Wire};
use crate::frontend::circuit::{CircuitError, Column, Constraint, Decomposition, Label};
use crate::frontend::model::bounds::Interval;
use crate::frontend::model::piecewise::Piecewise;
use crate::frontend::model::softmax;

/// The range of `x_i − max` for inputs bounded by `bound`: `[−2·bound, 0]`.
pub(in crate::frontend::circuit) fn exp_range(bound: i128) -> Interval {
    Interval { lo: -2 * bound, hi: 0 }
}

/// Bits `k` of the remainder checks of a width-`n` softmax with exponential `p`:
/// the bit length of `2·S_max − 1`, `S_max = n·max E`, so that `0 ≤ r < 2S ≤ 2^k`.
pub(in crate::frontend::circuit) fn remainder_bits(p: &Piecewise, n: usize) -> u32 {
    let total = (n as i128).saturating_mul(softmax::exp_max(p)).max(1);
    128 - (2 * total - 1).leading_zeros()
}

impl Builder {
    /// A `PiecewiseSoftmax` layer with exponential `p` on `inputs`, each bounded by `bound`.
    pub(in crate::frontend::circuit) fn softmax(
        &mut self,
        layer: u32,
        p: &Piecewise,
        inputs: Vec<Wire>,
        bound: i128,
    ) -> Result<Vec<Wire>, CircuitError> {
        let n = inputs.len();
        let xs: Vec<Wire> = inputs
            .into_iter()
            .enumerate()
            .map(|(i, x)| self.one_column(layer, i as u32, x))
            .collect::<Result<_, _>>()?;
        let m = Lc::column(self.alloc(layer, 0, Column::SoftmaxMax)?);
        let mut diffs = Vec::with_capacity(n);
        let mut exps = Vec::with_capacity(n);
        for (i, x) in xs.iter().enumerate() {
            let d = x.lc.minus(&m);
            exps.push(self.piecewise_acc(layer, i as u32, &d, p, exp_range(bound))?);
            diffs.push(d);
        }
        self.some_zero(layer, &diffs)?;
        let total = Lc::column(self.alloc(layer, 0, Column::SoftmaxSum)?);
        let mut sum = Lc::constant(Fr::ZERO);
        for a in &exps {
            sum.add_scaled(a, Fr::ONE);
        }
        let label = Label { layer, neuron: 0, role: Constraint::SoftmaxSum };
        self.constrain(label, &total, &Lc::constant(Fr::ONE), &sum)?;
        let k = remainder_bits(p, n);
        let top = self.pow2[(k - 1) as usize];
        let scale = self.pow2[(self.s + 1) as usize];
        let two = self.pow2[1];
        let mut out = Vec::with_capacity(n);
        for (i, a) in exps.iter().enumerate() {
            let i = i as u32;
            let first = self.bits(layer, i, Decomposition::SoftmaxOutput, self.s + 1)?;
            let y = self.weighted_bits(first, self.s + 1, Fr::ZERO);
            let product = Lc::column(self.alloc(layer, i, Column::SoftmaxDivision)?);
            let label = Label { layer, neuron: i, role: Constraint::SoftmaxDivision };
            self.constrain(label, &y, &total, &product)?;
            // r = 2^(s+1)·A + S − 2P and 2S − 1 − r = 2P + S − 1 − 2^(s+1)·A.
            let mut r = a.scaled_plus(scale, Fr::ZERO);
            r.add_scaled(&total, Fr::ONE);
            r.add_scaled(&product, -two);
            self.decompose_with_top(layer, i, Decomposition::SoftmaxRemainder, r, k, top)?;
            let mut upper = a.scaled_plus(-scale, -Fr::ONE);
            upper.add_scaled(&total, Fr::ONE);
            upper.add_scaled(&product, two);
            self.decompose_with_top(layer, i, Decomposition::SoftmaxRemainderUpper, upper, k, top)?;
            out.push(Wire { lc: y, sign: None });
        }
        Ok(out)
    }

    /// `Π_i d_i = 0`: the chain `c_1 = d_0·d_1`, `c_k = c_{k−1}·d_k` (columns up to
    /// `c_{n−2}`) and the last row `c_{n−2}·d_{n−1} = 0`; `d_0·1 = 0` when `n = 1`.
    fn some_zero(&mut self, layer: u32, diffs: &[Lc]) -> Result<(), CircuitError> {
        let n = diffs.len();
        let zero = Lc::constant(Fr::ZERO);
        let label = |k: usize| Label { layer, neuron: k as u32, role: Constraint::SoftmaxMax };
        if n == 1 {
            return self.constrain(label(0), &diffs[0], &Lc::constant(Fr::ONE), &zero);
        }
        let mut chain = diffs[0].clone();
        for (k, d) in diffs.iter().enumerate().skip(1) {
            if k + 1 < n {
                let next = Lc::column(self.alloc(layer, k as u32, Column::SoftmaxChain)?);
                self.constrain(label(k), &chain, d, &next)?;
                chain = next;
            } else {
                self.constrain(label(k), &chain, d, &zero)?;
            }
        }
        Ok(())
    }
}
