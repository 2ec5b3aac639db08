//! Every import error path: a clear error naming what is wrong, never a panic.

mod common;

use common::{node, tensor, value_info, Graph, Rng, A};
use zkpolicy::onnx::ImportError;
use zkpolicy::{load_onnx, load_onnx_bytes, ImportOptions};

fn import_err(g: &Graph) -> ImportError {
    match load_onnx_bytes("t", &g.bytes(), &ImportOptions::default()) {
        Ok(_) => panic!("import unexpectedly succeeded"),
        Err(e) => e,
    }
}

/// A valid Gemm 4 → 2 from `x` to `h`.
fn gemm() -> Graph {
    let mut rng = Rng::new(1);
    Graph::new(4).init(tensor("W", &[2, 4], &rng.vec(8, 1.0))).node(node(
        "Gemm",
        &["x", "W"],
        &["h"],
        vec![("transB", A::I(1))],
    ))
}

#[test]
fn unsupported_op_names_op_node_and_supported_ops() {
    let e = import_err(&gemm().node(node("Erf", &["h"], &["y"], vec![])));
    let msg = e.to_string();
    assert!(matches!(e, ImportError::UnsupportedOp { .. }), "{msg}");
    assert!(msg.contains("`Erf`") && msg.contains("`y_node`") && msg.contains("supported ops: Gemm, MatMul"), "{msg}");
    let e = import_err(&gemm().node(pb_domain(node("Foo", &["h"], &["y"], vec![]), "com.example")));
    assert!(e.to_string().contains("com.example:Foo"), "{e}");
}

fn pb_domain(mut n: tract_onnx::pb::NodeProto, domain: &str) -> tract_onnx::pb::NodeProto {
    n.domain = domain.into();
    n
}

#[test]
fn nan_and_infinite_weights() {
    let g = Graph::new(2).init(tensor("W", &[1, 2], &[1.0, f32::NAN])).node(node(
        "Gemm",
        &["x", "W"],
        &["y"],
        vec![("transB", A::I(1))],
    ));
    let e = import_err(&g);
    assert!(matches!(e, ImportError::NonFinite { index: 1, .. }), "{e}");
    assert!(e.to_string().contains("NaN") && e.to_string().contains("`W`"), "{e}");
    let g = gemm().init(tensor("b", &[2], &[f32::INFINITY, 0.0])).node(node("Add", &["h", "b"], &["y"], vec![]));
    assert!(matches!(import_err(&g), ImportError::NonFinite { .. }));
}

#[test]
fn weights_computed_from_the_input_are_rejected() {
    let g = Graph::new(4).node(node("MatMul", &["x", "x"], &["y"], vec![]));
    let e = import_err(&g);
    assert!(e.to_string().contains("one must be a constant weight"), "{e}");
    let g = Graph::new(2).node(node("Gemm", &["x", "x"], &["y"], vec![]));
    assert!(import_err(&g).to_string().contains("only constant weights"));
}

#[test]
fn branches_are_rejected() {
    // y = x·W + relu(x·W): a residual connection.
    let g = gemm().node(node("Relu", &["h"], &["r"], vec![])).node(node("Add", &["h", "r"], &["y"], vec![]));
    let e = import_err(&g);
    assert!(e.to_string().contains("residual"), "{e}");
    // A node reading an earlier activation, both branches used (a branch whose
    // value no output needs is pruned: see `dead_branches_are_pruned`).
    let g = gemm().node(node("Relu", &["h"], &["r"], vec![])).node(node("Sigmoid", &["h"], &["s"], vec![])).node(node(
        "Concat",
        &["r", "s"],
        &["y"],
        vec![("axis", A::I(1))],
    ));
    assert!(import_err(&g).to_string().contains("branches"));
}

#[test]
fn dead_branches_are_pruned() {
    // `r` is computed but read by nothing the output needs: the graph is `sigmoid(x·W)`.
    let g = gemm().node(node("Relu", &["h"], &["r"], vec![])).node(node("Sigmoid", &["h"], &["y"], vec![]));
    let m = load_onnx_bytes("t", &g.bytes(), &ImportOptions::default()).unwrap();
    let ops: Vec<&str> = m.model.layers.iter().map(|l| l.name()).collect();
    assert_eq!(ops, ["Dense", "Sigmoid"]);
}

#[test]
fn no_input_no_output_or_an_unknown_output() {
    // Every graph input is an initializer: nothing to take a request.
    let mut g = gemm().node(node("Relu", &["h"], &["y"], vec![]));
    g.inputs = vec![value_info("W", &[Some(2), Some(4)])];
    let e = import_err(&g);
    assert!(matches!(e, ImportError::Arity { kind: "input", count: 0, .. }), "{e}");
    let mut g = gemm().node(node("Relu", &["h"], &["y"], vec![]));
    g.outputs.clear();
    assert!(matches!(import_err(&g), ImportError::Arity { kind: "output", count: 0, .. }));
    // Two outputs: the first float one is proved by default, the other on request
    // (the graph is pruned to it), an unknown name is refused, listing them.
    let mut g = gemm().node(node("Relu", &["h"], &["y"], vec![]));
    g.outputs.push(value_info("h", &[]));
    let m = load_onnx_bytes("t", &g.bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((m.output_name.as_str(), m.model.layers.len()), ("y", 2));
    assert!(
        m.warnings
            .iter()
            .any(|w| w.contains("the graph has 2 outputs (`y` (float tensor), `h` (float tensor)); proving `y`")),
        "{:?}",
        m.warnings
    );
    let options = |name: &str| ImportOptions { output: Some(name.into()), ..ImportOptions::default() };
    let m = load_onnx_bytes("t", &g.bytes(), &options("h")).unwrap();
    assert_eq!((m.output_name.as_str(), m.model.layers.len()), ("h", 1));
    let e = load_onnx_bytes("t", &g.bytes(), &options("z")).unwrap_err();
    assert!(
        e.to_string().contains(
            "--output `z` is not an output of the graph; its outputs are `y` (float tensor), `h` (float tensor)"
        ),
        "{e}"
    );
}

#[test]
fn batch_two_and_dynamic_features() {
    let mut g = gemm().node(node("Relu", &["h"], &["y"], vec![]));
    g.inputs = vec![value_info("x", &[Some(2), Some(4)])];
    let e = import_err(&g);
    assert!(matches!(e, ImportError::Batch { batch: 2, .. }), "{e}");
    assert!(e.to_string().contains("batch size 2"));
    g.inputs = vec![value_info("x", &[None, None])];
    let e = import_err(&g);
    assert!(matches!(e, ImportError::DynamicShape { .. }), "{e}");
    assert!(e.to_string().contains("axis 1 has dynamic size `batch`"), "{e}");
}

#[test]
fn absurd_shapes_are_errors_not_panics() {
    let mut g = gemm().node(node("Relu", &["h"], &["y"], vec![]));
    g.inputs = vec![value_info("x", &[Some(1), Some(1 << 40), Some(1 << 40)])];
    assert!(import_err(&g).to_string().contains("more than 2^20 values"));
    let g = Graph::new(4).init(common::ints("shape", &[1 << 62, 1 << 62, -1])).node(node(
        "Reshape",
        &["x", "shape"],
        &["y"],
        vec![],
    ));
    assert!(import_err(&g).to_string().contains("too large"));
    let g = gemm()
        .init(tensor("a", &[2], &[1.0, 2.0]))
        .init(tensor("b", &[3], &[1.0, 2.0, 3.0]))
        .node(node("Add", &["a", "b"], &["c"], vec![]))
        .node(node("Add", &["h", "c"], &["y"], vec![]));
    assert!(import_err(&g).to_string().contains("do not broadcast"));
    // Constants of different ranks: ndarray's concatenate would panic.
    let g = gemm()
        .init(tensor("v", &[2], &[1.0, 2.0]))
        .init(tensor("s", &[], &[3.0]))
        .node(node("Concat", &["v", "s"], &["c"], vec![("axis", A::I(0))]))
        .node(node("Add", &["h", "c"], &["y"], vec![]));
    assert!(import_err(&g).to_string().contains("Concat needs equal ranks"), "{}", import_err(&g));
}

#[test]
fn too_many_parameters() {
    // Declared 8193 x 8193 > 2^26 weights: rejected before any data is read.
    let mut w = tensor("W", &[8193, 8193], &[]);
    w.raw_data = vec![0; 16];
    let g = Graph::new(8193).init(w).node(node("Gemm", &["x", "W"], &["y"], vec![]));
    let e = import_err(&g);
    assert!(matches!(e, ImportError::TooLarge { count: 67_125_249, .. }), "{e}");
}

#[test]
fn unsupported_opsets_and_garbage() {
    for opset in [8, 24] {
        let g = gemm().opset(opset).node(node("Relu", &["h"], &["y"], vec![]));
        let e = import_err(&g);
        assert!(matches!(e, ImportError::Opset(o) if o == opset), "{e}");
        assert!(e.to_string().contains("an opset from 9 to 23"), "{e}");
    }
    let e = load_onnx_bytes("junk", b"definitely not protobuf", &ImportOptions::default()).err().unwrap();
    assert!(matches!(e, ImportError::Format { .. }), "{e}");
    let e = load_onnx("/nonexistent/model.onnx", &ImportOptions::default()).err().unwrap();
    assert!(matches!(e, ImportError::Io { .. }) && e.to_string().contains("/nonexistent/model.onnx"), "{e}");
}

#[test]
fn unfoldable_shapes_and_axes() {
    // Softmax over a size-1 axis, ArgMax over axis 0 of [1, 2], ArgMax not last.
    let softmax = gemm().node(node("Softmax", &["h"], &["y"], vec![("axis", A::I(0))]));
    assert!(import_err(&softmax).to_string().contains("only a softmax over the last"));
    let argmax = gemm().node(node("ArgMax", &["h"], &["y"], vec![]));
    assert!(import_err(&argmax).to_string().contains("only an argmax over the last"));
    let after =
        gemm().node(node("ArgMax", &["h"], &["a"], vec![("axis", A::I(1))])).node(node("Relu", &["a"], &["y"], vec![]));
    assert!(import_err(&after).to_string().contains("ArgMax must be the last"));
    let div = gemm().init(tensor("one", &[], &[1.0])).node(node("Div", &["one", "h"], &["y"], vec![]));
    assert!(import_err(&div).to_string().contains("not a linear map"));
    let zero = gemm().init(tensor("zero", &[2], &[1.0, 0.0])).node(node("Div", &["h", "zero"], &["y"], vec![]));
    assert!(import_err(&zero).to_string().contains("division by zero"));
}

#[test]
fn a_model_without_linear_layer_or_with_a_bad_decision() {
    let g = Graph::new(4).node(node("Relu", &["x"], &["y"], vec![]));
    assert!(matches!(import_err(&g), ImportError::Model(_)));
    let g = gemm().meta("zkpolicy.decision", "threshold:5:0.5").node(node("Sigmoid", &["h"], &["y"], vec![]));
    assert!(import_err(&g).to_string().contains("decision uses output 5"));
    let g = gemm().meta("zkpolicy.decision", "majority").node(node("Sigmoid", &["h"], &["y"], vec![]));
    assert!(matches!(import_err(&g), ImportError::Decision { origin: "ONNX metadata zkpolicy.decision", .. }));
}

#[test]
fn bad_options() {
    let g = gemm().node(node("Relu", &["h"], &["y"], vec![]));
    for opts in [
        ImportOptions { scale_bits: 0, ..Default::default() },
        ImportOptions { scale_bits: 21, ..Default::default() },
        ImportOptions { input_range: 0.0, ..Default::default() },
        ImportOptions { input_range: f64::NAN, ..Default::default() },
        ImportOptions { input_range: 1e30, ..Default::default() },
    ] {
        assert!(matches!(load_onnx_bytes("t", &g.bytes(), &opts), Err(ImportError::Options(_))), "{opts:?}");
    }
}

#[test]
fn wrong_inputs_at_run_time() {
    let m = load_onnx_bytes("t", &gemm().node(node("Relu", &["h"], &["y"], vec![])).bytes(), &ImportOptions::default())
        .unwrap();
    assert_eq!(m.compare(&[1.0, 2.0]).unwrap_err().to_string(), "the model takes 4 inputs, got 2");
    assert!(m.compare(&[1.0, f64::NAN, 0.0, 0.0]).unwrap_err().to_string().contains("input 1 is not a finite number"));
}
