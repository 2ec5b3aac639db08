//! Comparison bits of one value against sorted thresholds, proved by the
//! interval they name; shared by the `Trees` and `Piecewise` gadgets.
//!
//! For a value `x` (bounded by `|x| ≤ B`) and distinct thresholds `t_1 < … < t_K`:
//! * one comparison bit `b_k` per threshold, forming a thermometer code
//!   `0…01…1`: booleanity `b·b = b` of the first and of the last bit, and for
//!   each bit after the first, booleanity of its step `d = b_k − b_{k−1}`
//!   (`d·d = d`). The steps are 0 or 1 and sum to `b_K − b_1 ≤ 1`, so at most
//!   one is 1 (none if `b_1 = 1`): the bits are `0…01…1`, `K + 1` rows (one for
//!   `K = 1`). The number `j` of zeros names the interval `lo_j ≤ x ≤ hi_j`,
//!   where `lo_0 = −B`, `lo_j = t_j + 1`, `hi_j = t_{j+1}` and `hi_K = B`;
//! * `lo(b) = lo_K + Σ_k b_k·(lo_{k−1} − lo_k)` and
//!   `hi(b) = hi_K + Σ_k b_k·(hi_{k−1} − hi_k)` are linear in the bits and equal
//!   `lo_j` and `hi_j` (thresholds clamped to `[−B − 1, B]` first, which changes
//!   no comparison within `±B`; a softmax's `x − max` uses the range `[−2B, 0]`
//!   instead of `[−B, B]`, so the checks also prove `x ≤ max`); two decompositions into `w` bits with top weight
//!   `2^(w−1)` prove `x − lo(b) ∈ [0, 2^w)` and `hi(b) − x ∈ [0, 2^w)`. So
//!   `x` lies in interval `j`, and `b_k = [x ≤ t_k]` for every `k`. Soundness
//!   needs only `2^w ≪ p`; completeness needs `2^w` above the widest interval
//!   `hi_j − lo_j`, which [`interval_bits`] takes per value.
//!
//! The interval checks also prove `|x| ≤ B`: a hidden model input compared here
//! by the first layer needs no range check of its own (see
//! `Builder::private_inputs`).
//!
//! Any quantity that is constant on each interval, `v_j` on interval `j`, is then
//! the linear combination [`Builder::by_interval`] of the bits.

use super::{Builder, Lc};
use crate::frontend::circuit::{CircuitError, Column, Constraint, Decomposition, Label};
use crate::frontend::model::bounds::Interval;
use crate::snark::r1cs::fr_from_i128;

/// The interval ends `(lo_j, hi_j)`, `j = 0..=K`, of the thresholds `ts`
/// (ascending, distinct) of a feature within `range` (`[−B, B]` for a value bounded
/// by `B`; `[−2B, 0]` for a softmax's `x − max`). Thresholds are first clamped to
/// `[range.lo − 1, range.hi]`, which changes no comparison with a value in `range`
/// (an interval may then be empty: no `x` lies in it).
pub(in crate::frontend::circuit) fn interval_ends(ts: &[i64], range: Interval) -> Vec<(i128, i128)> {
    let t = |k: usize| i128::from(ts[k]).clamp(range.lo - 1, range.hi);
    (0..=ts.len())
        .map(|j| {
            let lo = if j == 0 { range.lo } else { t(j - 1) + 1 };
            let hi = if j == ts.len() { range.hi } else { t(j) };
            (lo, hi)
        })
        .collect()
}

/// Bits `w` of the two interval decompositions of a value whose intervals have the
/// ends `ends` (from [`interval_ends`]): `x − lo_j` and `hi_j − x` lie in
/// `[0, hi_j − lo_j]` for the interval `j` holding `x`, so `w` is the bit length of
/// the widest interval (at most the range's width, the ends being clamped), at least 1.
pub(in crate::frontend::circuit) fn interval_bits(ends: &[(i128, i128)]) -> u32 {
    let widest = ends.iter().map(|(lo, hi)| hi - lo).max().unwrap_or(0);
    (128 - widest.max(1).leading_zeros()).max(1)
}

impl Builder {
    /// The comparison bits `b_k = [x ≤ ts[k]]` of `x` (an LC within `range`), with
    /// the interval checks that prove them, and that prove `x` within `range`;
    /// returns the first bit's column (the others follow). `neuron` labels the rows
    /// and columns.
    pub(in crate::frontend::circuit) fn threshold_bits(
        &mut self,
        layer: u32,
        neuron: u32,
        x: &Lc,
        ts: &[i64],
        range: Interval,
    ) -> Result<usize, CircuitError> {
        let first = self.comparison_bits(layer, neuron, ts)?;
        let ends = interval_ends(ts, range);
        let lo = self.by_interval(first, &ends.iter().map(|e| e.0).collect::<Vec<_>>());
        let hi = self.by_interval(first, &ends.iter().map(|e| e.1).collect::<Vec<_>>());
        let w = interval_bits(&ends);
        let top = self.pow2[(w - 1) as usize];
        self.decompose_with_top(layer, neuron, Decomposition::IntervalLower, x.minus(&lo), w, top)?;
        self.decompose_with_top(layer, neuron, Decomposition::IntervalUpper, hi.minus(x), w, top)?;
        Ok(first)
    }

    /// `v_j` for the interval `j` the bits from `first` name (`values` has one entry
    /// per interval): `v_K + Σ_k b_k·(v_k − v_{k+1})`, linear in the bits.
    pub(in crate::frontend::circuit) fn by_interval(&self, first: usize, values: &[i128]) -> Lc {
        let k = values.len() - 1;
        let mut lc = Lc::constant(fr_from_i128(values[k]));
        for (i, pair) in values.windows(2).enumerate() {
            if pair[0] != pair[1] {
                lc.terms.push((first + i, fr_from_i128(pair[0] - pair[1])));
            }
        }
        lc
    }

    /// The comparison bits of one feature's thresholds `ts`, with the rows that make
    /// them a thermometer code (see the module docs); returns the first bit's column
    /// (the others follow).
    fn comparison_bits(&mut self, layer: u32, feature: u32, ts: &[i64]) -> Result<usize, CircuitError> {
        let label = |role| Label { layer, neuron: feature, role };
        let cols = ts
            .iter()
            .map(|&threshold| self.alloc(layer, feature, Column::Comparison { threshold }))
            .collect::<Result<Vec<_>, _>>()?;
        let mut rows = vec![(Constraint::ComparisonBoolean { threshold: ts[0] }, Lc::column(cols[0]))];
        for (t, pair) in ts[1..].iter().zip(cols.windows(2)) {
            let step = Lc::column(pair[1]).minus(&Lc::column(pair[0]));
            rows.push((Constraint::ComparisonStep { threshold: *t }, step));
        }
        if let (Some(&last), true) = (ts.last(), ts.len() > 1) {
            rows.push((Constraint::ComparisonBoolean { threshold: last }, Lc::column(cols[ts.len() - 1])));
        }
        for (role, v) in rows {
            // v·v = v: v is 0 or 1.
            self.constrain(label(role), &v, &v, &v)?;
        }
        Ok(cols[0])
    }
}
