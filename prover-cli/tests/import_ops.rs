//! Every supported ONNX op, in hand-built one- and few-op models, against tract's
//! float evaluation of the same model, within the bound of `common::dense_bound`.

mod common;

use common::{check, ints, node, tensor, value_info, Graph, Rng, A};
use zkpolicy::onnx::{DecisionSpec, ImportedModel};
use zkpolicy::{load_onnx_bytes, ImportOptions};
use zkpolicy_core::frontend::model::{Layer, Verdict};

fn gemm_graph(n: i64, k: i64, attrs: Vec<(&str, A)>, trans_b: bool, c: Option<(&[i64], Vec<f32>)>) -> Graph {
    let mut rng = Rng::new(11);
    let dims = if trans_b { [k, n] } else { [n, k] };
    let mut inputs = vec!["x", "W"];
    let mut g = Graph::new(n).init(tensor("W", &dims, &rng.vec((n * k) as usize, 1.0)));
    if let Some((cdims, data)) = c {
        g = g.init(tensor("C", cdims, &data));
        inputs.push("C");
    }
    g.node(node("Gemm", &inputs, &["y"], attrs))
}

#[test]
fn gemm_trans_b_with_bias() {
    let g = gemm_graph(4, 3, vec![("transB", A::I(1))], true, Some((&[3], vec![0.5, -0.25, 1.0])));
    let m = check(&g, 4, &["Dense"]);
    assert_eq!(m.decision, DecisionSpec::ArgMax { labels: vec![] }, "several outputs default to argmax");
}

#[test]
fn gemm_alpha_without_bias() {
    let g = gemm_graph(4, 3, vec![("alpha", A::F(0.5))], false, None);
    check(&g, 4, &["Dense"]);
}

#[test]
fn gemm_alpha_beta_broadcast_bias() {
    let attrs = vec![("alpha", A::F(1.5)), ("beta", A::F(-2.0)), ("transB", A::I(1))];
    let g = gemm_graph(4, 3, attrs, true, Some((&[1, 3], vec![0.1, 0.2, 0.3])));
    check(&g, 4, &["Dense"]);
    // A scalar bias broadcasts too.
    let g = gemm_graph(4, 3, vec![("beta", A::F(0.5))], false, Some((&[], vec![0.75])));
    check(&g, 4, &["Dense"]);
}

#[test]
fn gemm_trans_a_on_a_column_input() {
    let mut g = gemm_graph(4, 2, vec![("transA", A::I(1)), ("transB", A::I(1))], true, Some((&[2], vec![1.0, -1.0])));
    g.inputs = vec![value_info("x", &[Some(4), Some(1)])];
    let m = check(&g, 4, &["Dense"]);
    assert_eq!(m.input_shape, vec![4, 1]);
}

#[test]
fn matmul_then_add() {
    let mut rng = Rng::new(5);
    let g = Graph::new(5)
        .init(tensor("W", &[5, 2], &rng.vec(10, 1.0)))
        .init(tensor("b", &[2], &[0.25, -0.5]))
        .node(node("MatMul", &["x", "W"], &["h"], vec![]))
        .node(node("Add", &["h", "b"], &["y"], vec![]));
    let m = check(&g, 5, &["Dense"]);
    assert_eq!(m.chain[0].nodes, vec!["h_node", "y_node"]);
}

#[test]
fn matmul_with_constant_on_the_left() {
    let mut rng = Rng::new(6);
    let mut g =
        Graph::new(4).init(tensor("W", &[3, 4], &rng.vec(12, 1.0))).node(node("MatMul", &["W", "x"], &["y"], vec![]));
    g.inputs = vec![value_info("x", &[Some(4), Some(1)])];
    check(&g, 4, &["Dense"]);
}

#[test]
fn affine_ops_fold_into_one_dense() {
    // (x - mean) / std, Gemm, then * 2 + 1, Sigmoid: one Dense and a Sigmoid.
    let mut rng = Rng::new(8);
    let g = Graph::new(3)
        .init(tensor("mean", &[3], &[0.5, -0.5, 1.0]))
        .init(tensor("std", &[1, 3], &[2.0, 4.0, 0.5]))
        .init(tensor("W", &[1, 3], &rng.vec(3, 1.0)))
        .init(tensor("two", &[], &[2.0]))
        .init(tensor("one", &[1], &[1.0]))
        .node(node("Sub", &["x", "mean"], &["a"], vec![]))
        .node(node("Div", &["a", "std"], &["b"], vec![]))
        .node(node("Gemm", &["b", "W"], &["c"], vec![("transB", A::I(1))]))
        .node(node("Mul", &["c", "two"], &["d"], vec![]))
        .node(node("Add", &["one", "d"], &["e"], vec![]))
        .node(node("Sigmoid", &["e"], &["y"], vec![]));
    let m = check(&g, 3, &["Dense", "Sigmoid"]);
    assert_eq!(m.decision, DecisionSpec::Threshold { index: 0, value: 0.5 }, "one output defaults to threshold 0.5");
    assert_eq!(m.chain[0].nodes.len(), 5);
}

#[test]
fn affine_ops_without_dense_become_a_diagonal_dense() {
    let g = Graph::new(3)
        .init(tensor("c", &[3], &[2.0, -1.0, 0.5]))
        .init(tensor("d", &[3], &[1.0, 0.0, -0.25]))
        .node(node("Mul", &["c", "x"], &["a"], vec![]))
        .node(node("Sub", &["d", "a"], &["b"], vec![]))
        .node(node("Relu", &["b"], &["y"], vec![]));
    let m = check(&g, 3, &["Dense", "Relu"]);
    let Layer::Dense { weights, .. } = &m.model.layers[0] else { panic!() };
    assert_eq!(weights, &vec![-8192, 0, 0, 0, 4096, 0, 0, 0, -2048]);
}

/// A Gemm 4 → 3 producing `h`, then `op` (which reads `h` and writes `y`).
fn dense_then(op: fn(Graph) -> Graph) -> Graph {
    let mut rng = Rng::new(21);
    let g = Graph::new(4).init(tensor("W", &[3, 4], &rng.vec(12, 1.5))).init(tensor("B", &[3], &rng.vec(3, 0.5)));
    let g = g.node(node("Gemm", &["x", "W", "B"], &["h"], vec![("transB", A::I(1))]));
    op(g)
}

#[test]
fn relu() {
    check(&dense_then(|g| g.node(node("Relu", &["h"], &["y"], vec![]))), 4, &["Dense", "Relu"]);
}

#[test]
fn leaky_relu() {
    let m = check(
        &dense_then(|g| g.node(node("LeakyRelu", &["h"], &["y"], vec![("alpha", A::F(0.1))]))),
        4,
        &["Dense", "LeakyRelu"],
    );
    assert_eq!(m.model.layers[1], Layer::LeakyRelu { alpha: 410 });
}

#[test]
fn clip_with_input_bounds() {
    let g = dense_then(|g| {
        g.init(tensor("lo", &[], &[-0.5])).init(tensor("hi", &[], &[0.75])).node(node(
            "Clip",
            &["h", "lo", "hi"],
            &["y"],
            vec![],
        ))
    });
    let m = check(&g, 4, &["Dense", "Clip"]);
    assert_eq!(m.model.layers[1], Layer::Clip { min: -2048, max: 3072 });
}

#[test]
fn clip_with_only_a_max() {
    let g = dense_then(|g| g.init(tensor("hi", &[], &[0.25])).node(node("Clip", &["h", "", "hi"], &["y"], vec![])));
    let m = check(&g, 4, &["Dense", "Clip"]);
    let Layer::Clip { min, max } = m.model.layers[1] else { panic!() };
    assert_eq!(max, 1024);
    assert!(min < -(1 << 20), "the open side is closed beyond every reachable value");
}

#[test]
fn sigmoid_and_tanh() {
    check(&dense_then(|g| g.node(node("Sigmoid", &["h"], &["y"], vec![]))), 4, &["Dense", "Sigmoid"]);
    check(&dense_then(|g| g.node(node("Tanh", &["h"], &["y"], vec![]))), 4, &["Dense", "Tanh"]);
}

#[test]
fn softmax_last_axis() {
    check(&dense_then(|g| g.node(node("Softmax", &["h"], &["y"], vec![("axis", A::I(-1))]))), 4, &["Dense", "Softmax"]);
    // Opset 11: the default axis 1 flattens [1, 3] to one row.
    check(&dense_then(|g| g.opset(11).node(node("Softmax", &["h"], &["y"], vec![]))), 4, &["Dense", "Softmax"]);
}

#[test]
fn argmax_keepdims_either_way() {
    let m = check(
        &dense_then(|g| g.node(node("ArgMax", &["h"], &["y"], vec![("axis", A::I(1))]))),
        4,
        &["Dense", "ArgMax"],
    );
    assert_eq!(m.output_shape, vec![1, 1]);
    let g = dense_then(|g| {
        g.node(node("ArgMax", &["h"], &["i"], vec![("axis", A::I(-1)), ("keepdims", A::I(0))])).node(node(
            "Cast",
            &["i"],
            &["y"],
            vec![("to", A::I(1))],
        ))
    });
    let m = check(&g, 4, &["Dense", "ArgMax"]);
    assert_eq!(m.output_shape, vec![1]);
    let c = m.compare(&[1.0, -1.0, 0.5, 0.0]).unwrap();
    assert!(matches!(c.quantized_verdict, Verdict::Class { .. }));
    assert_eq!(c.quantized_verdict, c.float_verdict);
}

#[test]
fn shape_ops_are_no_ops() {
    let mut rng = Rng::new(3);
    let g = Graph::new(4)
        .init(ints("shape", &[4]))
        .init(ints("axes", &[0]))
        .init(tensor("W", &[3, 4], &rng.vec(12, 1.0)))
        .node(node("Reshape", &["x", "shape"], &["a"], vec![]))
        .node(node("Unsqueeze", &["a", "axes"], &["b"], vec![]))
        .node(node("Identity", &["b"], &["c"], vec![]))
        .node(node("Flatten", &["c"], &["d"], vec![("axis", A::I(1))]))
        .node(node("Gemm", &["d", "W"], &["e"], vec![("transB", A::I(1))]))
        .node(node("Squeeze", &["e", "axes"], &["f"], vec![]))
        .node(node("Dropout", &["f"], &["y"], vec![]));
    let m = check(&g, 4, &["Dense"]);
    assert_eq!(m.output_shape, vec![3]);
    // Opset 11 takes Squeeze/Unsqueeze axes as attributes.
    let g = Graph::new(4)
        .opset(11)
        .init(tensor("W", &[3, 4], &rng.vec(12, 1.0)))
        .node(node("Squeeze", &["x"], &["a"], vec![("axes", A::Ints(vec![0]))]))
        .node(node("Unsqueeze", &["a"], &["b"], vec![("axes", A::Ints(vec![0]))]))
        .node(node("Gemm", &["b", "W"], &["y"], vec![("transB", A::I(1))]));
    check(&g, 4, &["Dense"]);
}

#[test]
fn concat_with_constants_and_transposed_weights() {
    let mut rng = Rng::new(4);
    let g = Graph::new(3)
        .init(tensor("extra", &[1, 2], &[0.5, -1.0]))
        .init(tensor("Wt", &[2, 5], &rng.vec(10, 1.0)))
        .node(node("Concat", &["x", "extra"], &["a"], vec![("axis", A::I(1))]))
        .node(node("Transpose", &["Wt"], &["W"], vec![("perm", A::Ints(vec![1, 0]))]))
        .node(node("MatMul", &["a", "W"], &["y"], vec![]));
    check(&g, 3, &["Dense"]);
}

#[test]
fn opset_21_and_metadata_decision() {
    let g = dense_then(|g| {
        g.opset(21).meta("zkpolicy.decision", "argmax:allow,deny,review").node(node("Relu", &["h"], &["y"], vec![]))
    });
    let m = check(&g, 4, &["Dense", "Relu"]);
    assert_eq!(m.decision, DecisionSpec::ArgMax { labels: vec!["allow".into(), "deny".into(), "review".into()] });
    let c = m.compare(&[0.5, 0.5, -0.5, 1.0]).unwrap();
    assert!(matches!(c.quantized_verdict, Verdict::Class { label: Some(_), .. }));
}

#[test]
fn options_override_scale_range_and_decision() {
    let g = dense_then(|g| g.node(node("Sigmoid", &["h"], &["y"], vec![])));
    let opts = ImportOptions {
        scale_bits: 8,
        input_range: 4.0,
        decision: Some(DecisionSpec::parse("threshold:2:0.25", "test").unwrap()),
        ..Default::default()
    };
    let m = load_onnx_bytes("t", &g.bytes(), &opts).unwrap();
    assert_eq!((m.model.scale_bits, m.model.input_bound), (8, 4 << 8));
    assert_eq!(m.model.decision, zkpolicy_core::frontend::model::Decision::Threshold { index: 2, threshold: 64 });
    // Out of the ±4 range: refused by default (naming the first such input), clamped on request.
    let input = [10.0, 0.0, -100.0, 1.0];
    match m.compare(&input) {
        Err(zkpolicy::RunError::Eval(e)) => {
            assert_eq!(
                e,
                zkpolicy_core::frontend::model::EvalError::OutOfRange {
                    index: 0,
                    value: 10.0,
                    domain: "[-4, 4]".into()
                }
            );
            assert_eq!(e.to_string(), "input 0 is 10, outside its domain [-4, 4]");
        }
        other => panic!("expected an out-of-range error, got {other:?}"),
    }
    let c = m.compare_clamped(&input).unwrap();
    assert_eq!(c.input.clamped, vec![0, 2]);
    assert_eq!(c.input.values, vec![4 << 8, 0, -(4 << 8), 1 << 8]);
    assert_eq!(m.compare(&[4.0, 0.0, -4.0, 1.0]).unwrap().input.clamped, Vec::<usize>::new());
}

#[test]
fn imported_model_is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<ImportedModel>();
}
