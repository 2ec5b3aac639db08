//! Float64 models: cast to float32 before the import.
//!
//! tract runs float32 graphs well and float64 ones only in part (a float64
//! `Gemm` with a bias fails inside tract), and the integer model is built from
//! the same values either way. So a model that uses float64 anywhere — its
//! inputs, outputs or declared value types, its initializers, `Constant` or
//! other attribute tensors, or a `Cast` to `DOUBLE` — is rewritten to float32
//! first: float64 tensors become float32 tensors with every value rounded to
//! the nearest float32 (a value beyond float32's range is an error), and
//! `DOUBLE` types and `Cast` targets become `FLOAT`. The normalisation, the
//! quantization and the float reference all use the cast model; the import
//! reports a warning that says how many values were rounded and by how much.

use tract_onnx::pb::{self, tensor_proto::DataType, type_proto};

use super::error::ImportError;
use super::graph::load_tensor;

/// What the cast changed.
#[derive(Debug, Default)]
struct Stats {
    /// float64 tensors converted.
    tensors: usize,
    /// Values in them.
    values: usize,
    /// Values that float32 could not represent exactly.
    rounded: usize,
    /// Largest absolute change.
    max_abs: f64,
    /// Largest change relative to the value.
    max_rel: f64,
    /// Types (inputs, outputs, value infos) and `Cast` targets changed from DOUBLE.
    types: usize,
}

const DOUBLE: i32 = DataType::Double as i32;
const FLOAT: i32 = DataType::Float as i32;

/// Casts every float64 part of `proto` to float32 in place. Returns the warning to
/// report, or `None` when the model has nothing in float64.
pub(super) fn cast_f64_to_f32(
    proto: &mut pb::ModelProto,
    model_dir: Option<&str>,
) -> Result<Option<String>, ImportError> {
    let mut stats = Stats::default();
    let Some(graph) = proto.graph.as_mut() else { return Ok(None) };
    for v in graph.input.iter_mut().chain(graph.output.iter_mut()).chain(graph.value_info.iter_mut()) {
        if let Some(type_proto::Value::TensorType(t)) = v.r#type.as_mut().and_then(|t| t.value.as_mut()) {
            if t.elem_type == DOUBLE {
                t.elem_type = FLOAT;
                stats.types += 1;
            }
        }
    }
    for (i, t) in graph.initializer.iter_mut().enumerate() {
        let what = if t.name.is_empty() { format!("initializer #{i}") } else { format!("initializer `{}`", t.name) };
        cast_tensor(t, &what, model_dir, &mut stats)?;
    }
    for (i, node) in graph.node.iter_mut().enumerate() {
        let name = if node.name.is_empty() { format!("{}#{i}", node.op_type) } else { node.name.clone() };
        let is_cast = node.op_type == "Cast" && (node.domain.is_empty() || node.domain == "ai.onnx");
        for a in &mut node.attribute {
            let what = format!("attribute `{}` of node `{name}`", a.name);
            if let Some(t) = a.t.as_mut() {
                cast_tensor(t, &what, model_dir, &mut stats)?;
            }
            for t in &mut a.tensors {
                cast_tensor(t, &what, model_dir, &mut stats)?;
            }
            if is_cast && a.name == "to" && a.i == DOUBLE as i64 {
                a.i = FLOAT as i64;
                stats.types += 1;
            }
        }
    }
    if stats.tensors == 0 && stats.types == 0 {
        return Ok(None);
    }
    let rounding = if stats.rounded == 0 {
        format!(
            "all {} float64 constant values are exactly representable in float32 (nothing was rounded)",
            stats.values
        )
    } else {
        format!(
            "{} of the {} float64 constant values are not exactly representable in float32 and were rounded to the \
             nearest float32 (largest change {:.3e}, {:.3e} relative)",
            stats.rounded, stats.values, stats.max_abs, stats.max_rel
        )
    };
    Ok(Some(format!(
        "the model is float64; it was cast to float32, which the integer model and the float reference (tract) both \
         use: {rounding}; the float reference also rounds each input value to float32"
    )))
}

/// Replaces a float64 tensor by the float32 tensor of its values rounded to nearest.
fn cast_tensor(
    t: &mut pb::TensorProto,
    what: &str,
    model_dir: Option<&str>,
    stats: &mut Stats,
) -> Result<(), ImportError> {
    if t.data_type != DOUBLE {
        return Ok(());
    }
    let values = load_tensor(t, what, model_dir)?;
    let mut data = Vec::with_capacity(values.len());
    for (index, &v) in values.iter().enumerate() {
        let f = v as f32;
        if v.is_finite() && !f.is_finite() {
            return Err(ImportError::Float64Range { what: what.to_string(), index, value: v });
        }
        let back = f as f64;
        if back != v && !v.is_nan() {
            stats.rounded += 1;
            let change = (back - v).abs();
            stats.max_abs = stats.max_abs.max(change);
            stats.max_rel = stats.max_rel.max(change / v.abs());
        }
        data.push(f);
    }
    stats.tensors += 1;
    stats.values += data.len();
    *t = pb::TensorProto {
        name: std::mem::take(&mut t.name),
        dims: std::mem::take(&mut t.dims),
        doc_string: std::mem::take(&mut t.doc_string),
        data_type: FLOAT,
        float_data: data,
        ..Default::default()
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_nearest_float32_and_counts() {
        let mut t = pb::TensorProto {
            name: "w".into(),
            dims: vec![3],
            data_type: DOUBLE,
            double_data: vec![0.5, 0.1, -1e-50],
            ..Default::default()
        };
        let mut stats = Stats::default();
        cast_tensor(&mut t, "w", None, &mut stats).unwrap();
        assert_eq!(t.data_type, FLOAT);
        assert_eq!(t.float_data, vec![0.5, 0.1f32, -0.0]);
        assert_eq!((stats.values, stats.rounded), (3, 2));
        assert!((stats.max_rel - 1.0).abs() < 1e-12, "1e-50 underflows to 0: a full relative change");
        let mut big =
            pb::TensorProto { dims: vec![1], data_type: DOUBLE, double_data: vec![1e300], ..Default::default() };
        assert!(matches!(
            cast_tensor(&mut big, "big", None, &mut Stats::default()),
            Err(ImportError::Float64Range { index: 0, .. })
        ));
    }
}
