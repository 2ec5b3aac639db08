//! The float reference: the original ONNX graph (cast to float32 if it was
//! float64) run by tract in float32.

use std::sync::Arc;

use tract_onnx::pb;
use tract_onnx::prelude::*;

use super::error::{ImportError, RunError};

/// Runs the original ONNX model with tract, with each input fixed to its batch-1 shape.
#[derive(Clone, Debug)]
pub struct FloatRunner {
    plan: Arc<TypedRunnableModel>,
    input_shapes: Vec<Vec<usize>>,
}

impl FloatRunner {
    /// Builds the tract plan for `proto` (float32) with the input shapes fixed, in graph order.
    pub(crate) fn new(
        proto: &pb::ModelProto,
        model_dir: Option<&str>,
        input_shapes: &[Vec<usize>],
    ) -> Result<Self, ImportError> {
        let tract_err = |e: TractError| ImportError::Tract(format!("{e:#}"));
        let parsed = tract_onnx::onnx().parse(proto, model_dir).map_err(tract_err)?;
        let mut model = parsed.model;
        for (i, shape) in input_shapes.iter().enumerate() {
            model = model.with_input_fact(i, InferenceFact::dt_shape(f32::datum_type(), shape)).map_err(tract_err)?;
        }
        let plan = model.into_optimized().and_then(|m| m.into_runnable()).map_err(tract_err)?;
        Ok(FloatRunner { plan, input_shapes: input_shapes.to_vec() })
    }

    /// Runs the model on one input vector (the inputs concatenated in graph order,
    /// each value rounded to float32) and returns the output tensor flattened to f64.
    pub fn run(&self, input: &[f64]) -> Result<Vec<f64>, RunError> {
        let expected: usize = self.input_shapes.iter().map(|s| s.iter().product::<usize>()).sum();
        if input.len() != expected {
            return Err(RunError::InputLength { expected, got: input.len() });
        }
        let err = |e: TractError| RunError::Float(format!("{e:#}"));
        let mut tensors = TVec::with_capacity(self.input_shapes.len());
        let mut rest = input;
        for shape in &self.input_shapes {
            let (part, tail) = rest.split_at(shape.iter().product::<usize>());
            rest = tail;
            let v: Vec<f32> = part.iter().map(|x| *x as f32).collect();
            tensors.push(Tensor::from_shape(shape, &v).map_err(err)?.into_tvalue());
        }
        let outputs = self.plan.run(tensors).map_err(err)?;
        let out = outputs.first().ok_or_else(|| RunError::Float("no output".into()))?;
        let out = out.cast_to::<f64>().map_err(err)?;
        let view = out.to_plain_array_view::<f64>().map_err(err)?;
        Ok(view.iter().copied().collect())
    }
}
