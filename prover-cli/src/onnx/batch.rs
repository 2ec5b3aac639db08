//! The batch symbol: a graph input whose leading axis is symbolic (`[batch, 6]`)
//! is imported with that axis fixed to 1 (`graph::fixed_input_shape`), so the
//! symbol means 1 everywhere else in the graph too.
//!
//! Exporters repeat the symbol in the shapes they declare for the outputs and
//! for intermediate values (`value_info`): PyTorch's dynamo exporter writes
//! `[batch, 16]` for every hidden layer of a model exported with a dynamic batch.
//! tract reads those declarations as facts, and a symbol it cannot unify with
//! the fixed input's 1 makes it refuse the graph ("Impossible to unify Val(1)
//! with Sym(batch)"). So before the import, every declared dimension named by
//! an input's batch symbol is set to 1. Other symbols are left as they are.

use std::collections::HashSet;

use tract_onnx::pb::{self, tensor_shape_proto::dimension::Value as Dim, type_proto};

/// The declared tensor shape of `v`, if it declares one.
fn shape_mut(v: &mut pb::ValueInfoProto) -> Option<&mut pb::TensorShapeProto> {
    match v.r#type.as_mut()?.value.as_mut()? {
        type_proto::Value::TensorType(t) => t.shape.as_mut(),
    }
}

/// The symbols of the graph inputs' batch axes: a named leading axis of a rank ≥ 2
/// input that is not an initializer (old exporters list those among the inputs).
fn batch_symbols(graph: &mut pb::GraphProto) -> HashSet<String> {
    let initializers: HashSet<&str> = graph.initializer.iter().map(|t| t.name.as_str()).collect();
    let mut symbols = HashSet::new();
    for input in graph.input.iter_mut().filter(|i| !initializers.contains(i.name.as_str())) {
        if let Some([first, _, ..]) = shape_mut(input).map(|s| &s.dim[..]) {
            if let Some(Dim::DimParam(p)) = &first.value {
                if !p.is_empty() {
                    symbols.insert(p.clone());
                }
            }
        }
    }
    symbols
}

/// Sets every dimension of the graph's declared outputs and intermediate values
/// that is named by an input's batch symbol to 1. Returns how many were set.
pub(super) fn bind_batch_symbols(proto: &mut pb::ModelProto) -> usize {
    let Some(graph) = proto.graph.as_mut() else { return 0 };
    let symbols = batch_symbols(graph);
    if symbols.is_empty() {
        return 0;
    }
    let mut bound = 0;
    for v in graph.output.iter_mut().chain(graph.value_info.iter_mut()) {
        for d in shape_mut(v).into_iter().flat_map(|s| &mut s.dim) {
            if matches!(&d.value, Some(Dim::DimParam(p)) if symbols.contains(p)) {
                d.value = Some(Dim::DimValue(1));
                bound += 1;
            }
        }
    }
    bound
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(name: &str, dims: &[Dim]) -> pb::ValueInfoProto {
        pb::ValueInfoProto {
            name: name.into(),
            r#type: Some(pb::TypeProto {
                value: Some(type_proto::Value::TensorType(type_proto::Tensor {
                    elem_type: 1,
                    shape: Some(pb::TensorShapeProto {
                        dim: dims
                            .iter()
                            .map(|d| pb::tensor_shape_proto::Dimension { value: Some(d.clone()), ..Default::default() })
                            .collect(),
                    }),
                })),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn sym(s: &str) -> Dim {
        Dim::DimParam(s.into())
    }

    fn dims(v: &pb::ValueInfoProto) -> Vec<Dim> {
        let mut v = v.clone();
        shape_mut(&mut v).unwrap().dim.iter().map(|d| d.value.clone().unwrap()).collect()
    }

    #[test]
    fn the_inputs_batch_symbol_becomes_1_in_outputs_and_value_infos_only() {
        let mut proto = pb::ModelProto {
            graph: Some(pb::GraphProto {
                input: vec![info("x", &[sym("batch"), Dim::DimValue(6)]), info("w", &[sym("n"), Dim::DimValue(6)])],
                initializer: vec![pb::TensorProto { name: "w".into(), ..Default::default() }],
                output: vec![info("y", &[sym("batch"), Dim::DimValue(1)])],
                value_info: vec![
                    info("h", &[sym("batch"), Dim::DimValue(16)]),
                    // Another symbol, and the initializer's, are not the batch.
                    info("k", &[sym("other"), sym("n"), sym("batch")]),
                    pb::ValueInfoProto { name: "untyped".into(), ..Default::default() },
                ],
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(bind_batch_symbols(&mut proto), 3);
        let g = proto.graph.as_ref().unwrap();
        // The input keeps its symbol: fixing it is the walker's (with its checks).
        assert_eq!(dims(&g.input[0]), [sym("batch"), Dim::DimValue(6)]);
        assert_eq!(dims(&g.output[0]), [Dim::DimValue(1), Dim::DimValue(1)]);
        assert_eq!(dims(&g.value_info[0]), [Dim::DimValue(1), Dim::DimValue(16)]);
        assert_eq!(dims(&g.value_info[1]), [sym("other"), sym("n"), Dim::DimValue(1)]);
    }

    #[test]
    fn a_vector_input_or_a_fixed_batch_binds_nothing() {
        for input in [info("x", &[sym("n")]), info("x", &[Dim::DimValue(1), sym("n")])] {
            let mut proto = pb::ModelProto {
                graph: Some(pb::GraphProto {
                    input: vec![input],
                    value_info: vec![info("h", &[sym("n"), Dim::DimValue(4)])],
                    ..Default::default()
                }),
                ..Default::default()
            };
            assert_eq!(bind_batch_symbols(&mut proto), 0);
            assert_eq!(dims(&proto.graph.unwrap().value_info[0]), [sym("n"), Dim::DimValue(4)]);
        }
        assert_eq!(bind_batch_symbols(&mut pb::ModelProto::default()), 0);
    }
}
