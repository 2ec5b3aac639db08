//! Per-element comparisons: the [`Layer::Lanes`](super::Layer::Lanes) layer.
//!
//! A `Lanes` layer applies its own [`LaneOp`] to each element of its input: it
//! passes the value on, takes its ReLU, or compares it with a constant. A
//! comparison's result is a boolean at scale `2^s`: `2^s` for true, `0` for
//! false, so booleans flow through `Dense` layers like any other value (`Not`
//! is `1 − b`, `And` of `k` booleans is `Σ b ≥ k`, `Or` is `Σ b ≥ 1`, a lookup
//! in a constant table is a weighted sum of equalities).
//!
//! Every comparison is exact on integers: the ONNX importer turns a comparison
//! of a real value `x` with a real constant `c` into one of the integer `q(x)`
//! (at scale `2^s`) with an integer constant that gives the same answer for every
//! `q(x)` (see `docs/PROTOCOL.md` §2.1, "Exact comparisons").

/// Largest magnitude of a comparison constant: `|c| < 2^60`, like every value
/// of the model ([`super::bounds::MAX_VALUE_BITS`]).
pub const MAX_LANE_CONST: i64 = (1 << super::bounds::MAX_VALUE_BITS) - 1;

/// What one lane of a `Lanes` layer computes from its input `x` (scale `2^s`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LaneOp {
    /// `x`.
    Pass,
    /// `max(x, 0)`.
    Relu,
    /// `2^s` if `x ≥ c`, else `0`.
    AtLeast(i64),
    /// `2^s` if `x < c`, else `0`.
    Below(i64),
    /// `2^s` if `x = c`, else `0`.
    Equal(i64),
    /// `2^s` if `x ≠ c`, else `0`.
    NotEqual(i64),
}

impl LaneOp {
    /// The lane's output for input `x` at scale `2^s`.
    pub fn apply(self, x: i64, s: u32) -> i64 {
        let one = 1i64 << s;
        let b = |t: bool| if t { one } else { 0 };
        match self {
            LaneOp::Pass => x,
            LaneOp::Relu => x.max(0),
            LaneOp::AtLeast(c) => b(x >= c),
            LaneOp::Below(c) => b(x < c),
            LaneOp::Equal(c) => b(x == c),
            LaneOp::NotEqual(c) => b(x != c),
        }
    }

    /// The comparison constant, if the lane compares.
    pub fn constant(self) -> Option<i64> {
        match self {
            LaneOp::Pass | LaneOp::Relu => None,
            LaneOp::AtLeast(c) | LaneOp::Below(c) | LaneOp::Equal(c) | LaneOp::NotEqual(c) => Some(c),
        }
    }

    /// Whether the output is a boolean (`0` or `2^s`).
    pub fn is_boolean(self) -> bool {
        self.constant().is_some()
    }

    /// Short name for messages (`>=`, `<`, `==`, `!=`, `relu`, `pass`).
    pub fn symbol(self) -> &'static str {
        match self {
            LaneOp::Pass => "pass",
            LaneOp::Relu => "relu",
            LaneOp::AtLeast(_) => ">=",
            LaneOp::Below(_) => "<",
            LaneOp::Equal(_) => "==",
            LaneOp::NotEqual(_) => "!=",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_compare_exactly_and_output_booleans_at_scale() {
        let s = 4;
        assert_eq!(LaneOp::AtLeast(3).apply(3, s), 16);
        assert_eq!(LaneOp::AtLeast(3).apply(2, s), 0);
        assert_eq!(LaneOp::Below(3).apply(2, s), 16);
        assert_eq!(LaneOp::Below(3).apply(3, s), 0);
        assert_eq!(LaneOp::Equal(-5).apply(-5, s), 16);
        assert_eq!(LaneOp::NotEqual(-5).apply(-5, s), 0);
        assert_eq!(LaneOp::Relu.apply(-5, s), 0);
        assert_eq!(LaneOp::Pass.apply(-5, s), -5);
        for x in -40..40 {
            for c in -20..20 {
                let ge = LaneOp::AtLeast(c).apply(x, s);
                assert_eq!(ge + LaneOp::Below(c).apply(x, s), 16);
                assert_eq!(LaneOp::Equal(c).apply(x, s) + LaneOp::NotEqual(c).apply(x, s), 16);
            }
        }
    }
}
