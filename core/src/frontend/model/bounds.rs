//! Worst-case magnitudes of every intermediate value (interval analysis).
//!
//! From the input bound and the constant weights, each layer's outputs are
//! bounded in absolute value. The evaluator never overflows within these
//! bounds, and the circuit sizes its range checks from them: a value bounded
//! by `B` is decomposed into `bits_for(B)` bits. A model whose bounds exceed
//! [`MAX_VALUE_BITS`] is rejected at validation.

use super::{invalid, Layer, Model, ModelError};

/// Largest bit width of any activation (|value| < 2^MAX_VALUE_BITS).
pub const MAX_VALUE_BITS: u32 = 60;
/// Largest bit width of any accumulator (|acc| < 2^MAX_ACC_BITS).
pub const MAX_ACC_BITS: u32 = 120;

/// Bounds for one layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerBounds {
    /// `|x| ≤ input` for every input of the layer.
    pub input: i128,
    /// For `Dense`: `|acc_j| ≤ acc` for every accumulator.
    pub acc: i128,
    /// `|y| ≤ output` for every output of the layer.
    pub output: i128,
}

/// Number of bits `n` such that every `v` with `|v| ≤ bound` satisfies `-2^(n-1) ≤ v < 2^(n-1)`.
pub fn signed_bits(bound: i128) -> u32 {
    // Need 2^(n-1) > bound.
    (128 - bound.leading_zeros()) + 1
}

/// Computes the bounds of every layer, or explains which one is too large.
pub fn analyze(model: &Model) -> Result<Vec<LayerBounds>, ModelError> {
    let s = model.scale_bits;
    let one = 1i128 << s;
    let mut bound = model.input_bound as i128;
    let mut width = model.input_len;
    let mut out = Vec::with_capacity(model.layers.len());
    for (i, layer) in model.layers.iter().enumerate() {
        let input = bound;
        let mut acc = 0i128;
        let output = match layer {
            Layer::Dense { in_dim, weights, bias, .. } => {
                for (row, b) in weights.chunks(*in_dim).zip(bias) {
                    let mut a = (*b as i128).abs();
                    for w in row {
                        a = a.saturating_add((*w as i128).abs().saturating_mul(input));
                    }
                    acc = acc.max(a);
                }
                if acc >= 1i128 << MAX_ACC_BITS {
                    return invalid(format!("layer {i} (Dense): accumulators may reach 2^{} (limit 2^{MAX_ACC_BITS}); the weights or the input range are too large", 128 - acc.leading_zeros()));
                }
                (acc + one / 2) / one + 1
            }
            Layer::Relu => input,
            Layer::LeakyRelu { alpha } => input.max((*alpha as i128).abs() * input / one + 1),
            Layer::Clip { min, max } => (*min as i128).abs().max((*max as i128).abs()),
            Layer::Sigmoid | Layer::Tanh | Layer::Softmax => one,
            Layer::ArgMax => width as i128,
            Layer::Trees(ensemble) => ensemble.output_bound(),
            Layer::Lanes { ops } => {
                let passes = ops.iter().any(|op| !op.is_boolean());
                let booleans = ops.iter().any(|op| op.is_boolean());
                let pass = if passes { input } else { 0 };
                pass.max(if booleans { one } else { 0 })
            }
        };
        if output >= 1i128 << MAX_VALUE_BITS {
            return invalid(format!(
                "layer {i} ({}): values may reach 2^{} (limit 2^{MAX_VALUE_BITS}); the weights or the input range are too large",
                layer.name(),
                128 - output.leading_zeros()
            ));
        }
        out.push(LayerBounds { input, acc, output });
        bound = output;
        width = layer.out_width(width);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_bits_covers_bound() {
        for b in [0i128, 1, 2, 3, 127, 128, 1000] {
            let n = signed_bits(b);
            assert!(b < 1 << (n - 1));
            assert!(-b >= -(1 << (n - 1)));
        }
        assert_eq!(signed_bits(127), 8);
        assert_eq!(signed_bits(128), 9);
    }
}
