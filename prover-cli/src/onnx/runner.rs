//! The float reference: the original ONNX graph run by tract in float32/float64.

use std::sync::Arc;

use tract_onnx::pb;
use tract_onnx::prelude::*;

use super::error::{ImportError, RunError};

/// Runs the original ONNX model with tract, with the input fixed to batch 1.
#[derive(Clone, Debug)]
pub struct FloatRunner {
    plan: Arc<TypedRunnableModel>,
    input_shape: Vec<usize>,
    input_is_f64: bool,
}

impl FloatRunner {
    /// Builds the tract plan for `proto` with the input shape fixed.
    pub(crate) fn new(
        proto: &pb::ModelProto,
        model_dir: Option<&str>,
        input_shape: &[usize],
        input_is_f64: bool,
    ) -> Result<Self, ImportError> {
        let tract_err = |e: TractError| ImportError::Tract(format!("{e:#}"));
        let dt = if input_is_f64 { f64::datum_type() } else { f32::datum_type() };
        let parsed = tract_onnx::onnx().parse(proto, model_dir).map_err(tract_err)?;
        let plan = parsed
            .model
            .with_input_fact(0, InferenceFact::dt_shape(dt, input_shape))
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(tract_err)?;
        Ok(FloatRunner { plan, input_shape: input_shape.to_vec(), input_is_f64 })
    }

    /// Runs the model on one input vector and returns the output tensor flattened to f64.
    pub fn run(&self, input: &[f64]) -> Result<Vec<f64>, RunError> {
        let expected: usize = self.input_shape.iter().product();
        if input.len() != expected {
            return Err(RunError::InputLength { expected, got: input.len() });
        }
        let err = |e: TractError| RunError::Float(format!("{e:#}"));
        let tensor = if self.input_is_f64 {
            Tensor::from_shape(&self.input_shape, input)
        } else {
            let v: Vec<f32> = input.iter().map(|x| *x as f32).collect();
            Tensor::from_shape(&self.input_shape, &v)
        }
        .map_err(err)?;
        let outputs = self.plan.run(tvec!(tensor.into_tvalue())).map_err(err)?;
        let out = outputs.first().ok_or_else(|| RunError::Float("no output".into()))?;
        let out = out.cast_to::<f64>().map_err(err)?;
        let view = out.to_plain_array_view::<f64>().map_err(err)?;
        Ok(view.iter().copied().collect())
    }
}
