//! The float reference: the original ONNX graph (cast to float32 if it was
//! float64) run by tract in float32, or, for a tree ensemble tract cannot run,
//! zkpolicy's own f64 evaluation of the imported chain.

use std::sync::Arc;

use tract_onnx::pb;
use tract_onnx::prelude::*;

use super::chain::Step;
use super::error::{ImportError, RunError};

/// Runs the original ONNX model with tract, with each input fixed to its batch-1
/// shape, or evaluates the imported float chain.
#[derive(Clone, Debug)]
pub struct FloatRunner {
    engine: Engine,
    input_shapes: Vec<Vec<usize>>,
}

#[derive(Clone, Debug)]
enum Engine {
    Tract(Arc<TypedRunnableModel>),
    Chain(Arc<Vec<Step>>),
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
        Ok(FloatRunner { engine: Engine::Tract(plan), input_shapes: input_shapes.to_vec() })
    }

    /// The f64 evaluation of `steps`, the float chain the import made of the graph.
    pub(crate) fn chain(steps: &[Step], input_shapes: &[Vec<usize>]) -> Self {
        FloatRunner { engine: Engine::Chain(Arc::new(steps.to_vec())), input_shapes: input_shapes.to_vec() }
    }

    /// Whether the reference is tract's (not zkpolicy's own chain evaluation).
    pub fn is_tract(&self) -> bool {
        matches!(self.engine, Engine::Tract(_))
    }

    /// Runs the model on one input vector (the inputs concatenated in graph order,
    /// each value rounded to float32) and returns the output tensor flattened to f64.
    pub fn run(&self, input: &[f64]) -> Result<Vec<f64>, RunError> {
        let expected: usize = self.input_shapes.iter().map(|s| s.iter().product::<usize>()).sum();
        if input.len() != expected {
            return Err(RunError::InputLength { expected, got: input.len() });
        }
        let plan = match &self.engine {
            Engine::Tract(plan) => plan,
            Engine::Chain(steps) => return Ok(steps.iter().fold(input.to_vec(), |x, step| step.op.apply(&x))),
        };
        let err = |e: TractError| RunError::Float(format!("{e:#}"));
        let mut tensors = TVec::with_capacity(self.input_shapes.len());
        let mut rest = input;
        for shape in &self.input_shapes {
            let (part, tail) = rest.split_at(shape.iter().product::<usize>());
            rest = tail;
            let v: Vec<f32> = part.iter().map(|x| *x as f32).collect();
            tensors.push(Tensor::from_shape(shape, &v).map_err(err)?.into_tvalue());
        }
        let outputs = plan.run(tensors).map_err(err)?;
        let out = outputs.first().ok_or_else(|| RunError::Float("no output".into()))?;
        let out = out.cast_to::<f64>().map_err(err)?;
        let view = out.to_plain_array_view::<f64>().map_err(err)?;
        Ok(view.iter().copied().collect())
    }
}
