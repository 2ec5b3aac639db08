//! Policies as users export them (issue 15 §3): BatchNormalization folded into the
//! Dense layers, float64 models cast to float32, opsets 9 to 23, several named
//! inputs, a batch symbol in the declared shapes, and unsupported ops named with their closest supported alternative.
//! Each imported model is checked against tract's float evaluation of the same
//! file within the bound of `common::dense_bound`; the last test proves and
//! verifies a BatchNorm model and a float64 model with the `zkpolicy` binary.

mod common;

use common::{
    boolean, check, import, ints, node, s, tensor, tensor64, typed_value_info, value_info, zkpolicy, Graph, Rng, A,
};
use tract_onnx::pb::tensor_proto::DataType;
use zkpolicy::onnx::{Affine, FloatOp, ImportError, ModelInput};
use zkpolicy::{load_onnx_bytes, ImportOptions};

fn import_err(g: &Graph) -> ImportError {
    match load_onnx_bytes("t", &g.bytes(), &ImportOptions::default()) {
        Ok(_) => panic!("import unexpectedly succeeded"),
        Err(e) => e,
    }
}

/// `W·x + b` in f64.
fn apply(a: &Affine, x: &[f64]) -> Vec<f64> {
    a.dense_weights()
        .chunks(a.in_dim)
        .zip(&a.bias)
        .map(|(r, b)| r.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() + b)
        .collect()
}

// ---------------------------------------------------------------- BatchNormalization

/// Per-channel statistics of a BatchNormalization over `c` channels.
struct Bn {
    scale: Vec<f32>,
    b: Vec<f32>,
    mean: Vec<f32>,
    var: Vec<f32>,
    eps: f32,
}

impl Bn {
    fn random(c: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        Bn {
            scale: rng.vec(c, 2.0),
            b: rng.vec(c, 0.5),
            mean: rng.vec(c, 1.0),
            var: rng.vec(c, 1.0).into_iter().map(|v| v.abs() + 0.1).collect(),
            eps: 1e-3,
        }
    }

    /// Statistics with `var + eps` a power of 4, so that `sqrt(var + eps)` is exact in
    /// f32 and f64 alike (for the comparison with the hand-decomposed graph).
    fn exact(c: usize, seed: u64) -> Self {
        let mut bn = Bn::random(c, seed);
        bn.eps = 0.0625;
        bn.var = (0..c).map(|i| [0.25f32, 1.0, 4.0][i % 3] - 0.0625).collect();
        bn
    }

    /// Adds the statistics as initializers `{p}scale`, ... and the node `input → output`.
    fn add(&self, g: Graph, p: &str, input: &str, output: &str, attrs: Vec<(&str, A)>) -> Graph {
        let c = self.scale.len() as i64;
        let names = ["scale", "B", "mean", "var"].map(|n| format!("{p}{n}"));
        let mut attrs = attrs;
        attrs.push(("epsilon", A::F(self.eps)));
        g.init(tensor(&names[0], &[c], &self.scale))
            .init(tensor(&names[1], &[c], &self.b))
            .init(tensor(&names[2], &[c], &self.mean))
            .init(tensor(&names[3], &[c], &self.var))
            .node(node("BatchNormalization", &[input, &names[0], &names[1], &names[2], &names[3]], &[output], attrs))
    }

    /// `scale·(x − mean)/sqrt(var + eps) + B` per channel, in f64.
    fn apply(&self, x: &[f64]) -> Vec<f64> {
        x.iter()
            .enumerate()
            .map(|(c, x)| {
                let (s, b, m, v) = (self.scale[c] as f64, self.b[c] as f64, self.mean[c] as f64, self.var[c] as f64);
                s * (x - m) / (v + self.eps as f64).sqrt() + b
            })
            .collect()
    }
}

/// A Gemm 4 → 3 (`x` → `h`) with weights `W` and bias `C`, and those weights in f64.
fn gemm_4_3(seed: u64) -> (Graph, Vec<f32>, Vec<f32>) {
    let mut rng = Rng::new(seed);
    let (w, c) = (rng.vec(12, 1.0), rng.vec(3, 0.5));
    let g = Graph::new(4).init(tensor("W", &[3, 4], &w)).init(tensor("C", &[3], &c)).node(node(
        "Gemm",
        &["x", "W", "C"],
        &["h"],
        vec![("transB", A::I(1))],
    ));
    (g, w, c)
}

#[test]
fn batch_norm_folds_into_the_gemm_before_it() {
    let (g, w, c) = gemm_4_3(31);
    let bn = Bn::random(3, 32);
    let g = bn.add(g, "", "h", "n", vec![("momentum", A::F(0.9))]).node(node("Relu", &["n"], &["y"], vec![]));
    let m = check(&g, 4, &["Dense", "Relu"]);
    assert_eq!(m.chain[0].nodes, vec!["h_node", "n_node"], "one Dense from the Gemm and the BatchNorm");
    // The folded map is the Gemm then the BatchNorm formula, in f64.
    let FloatOp::Affine(folded) = &m.chain[0].op else { panic!("{:?}", m.chain[0].op) };
    let mut rng = Rng::new(33);
    for _ in 0..20 {
        let x: Vec<f64> = rng.vec(4, 2.0).into_iter().map(f64::from).collect();
        let h: Vec<f64> =
            (0..3).map(|j| (0..4).map(|k| w[j * 4 + k] as f64 * x[k]).sum::<f64>() + c[j] as f64).collect();
        let want = bn.apply(&h);
        for (a, b) in apply(folded, &x).iter().zip(&want) {
            assert!((a - b).abs() <= 1e-12 * (1.0 + b.abs()), "folded {a} vs sequential {b}");
        }
    }
}

#[test]
fn folded_batch_norm_equals_the_unfolded_ops() {
    // The same model with BatchNorm written out as Sub, Div, Mul, Add: the same
    // integer model, so the same outputs.
    let bn = Bn::exact(3, 41);
    let folded = bn.add(gemm_4_3(40).0, "", "h", "n", vec![]).node(node("Sigmoid", &["n"], &["y"], vec![]));
    let denom: Vec<f32> = bn.var.iter().map(|v| (v + bn.eps).sqrt()).collect();
    let unfolded = gemm_4_3(40)
        .0
        .init(tensor("mean", &[3], &bn.mean))
        .init(tensor("denom", &[3], &denom))
        .init(tensor("scale", &[3], &bn.scale))
        .init(tensor("B", &[3], &bn.b))
        .node(node("Sub", &["h", "mean"], &["a"], vec![]))
        .node(node("Div", &["a", "denom"], &["b"], vec![]))
        .node(node("Mul", &["b", "scale"], &["c"], vec![]))
        .node(node("Add", &["c", "B"], &["n"], vec![]))
        .node(node("Sigmoid", &["n"], &["y"], vec![]));
    let (f, u) = (check(&folded, 4, &["Dense", "Sigmoid"]), check(&unfolded, 4, &["Dense", "Sigmoid"]));
    assert_eq!(f.model.layers, u.model.layers);
    let mut rng = Rng::new(42);
    for _ in 0..20 {
        let x: Vec<f64> = rng.vec(4, 2.0).into_iter().map(f64::from).collect();
        let (a, b) = (f.compare(&x).unwrap(), u.compare(&x).unwrap());
        assert_eq!(a.quantized_outputs, b.quantized_outputs);
        for (p, q) in a.float_outputs.iter().zip(&b.float_outputs) {
            assert!((p - q).abs() < 1e-6, "tract: BatchNorm {p}, written out {q}");
        }
    }
}

#[test]
fn batch_norm_without_a_dense_before_it() {
    // First in the graph: its own diagonal map, folded into the Gemm after it.
    let mut rng = Rng::new(50);
    let bn = Bn::random(4, 51);
    let g = bn.add(Graph::new(4), "", "x", "n", vec![]).init(tensor("W", &[2, 4], &rng.vec(8, 1.0))).node(node(
        "Gemm",
        &["n", "W"],
        &["y"],
        vec![("transB", A::I(1))],
    ));
    let m = check(&g, 4, &["Dense"]);
    assert_eq!(m.chain[0].nodes, vec!["n_node", "y_node"]);
    // Between nonlinearities (here: first, before a Tanh): a diagonal Dense of its own.
    let g = bn.add(Graph::new(4), "", "x", "n", vec![]).node(node("Tanh", &["n"], &["y"], vec![]));
    let m = check(&g, 4, &["Dense", "Tanh"]);
    let FloatOp::Affine(a) = &m.chain[0].op else { panic!() };
    assert!(matches!(a.weights, zkpolicy::onnx::Weights::Diag(_)), "{a:?}");
}

#[test]
fn batch_norm_over_channels_with_a_spatial_axis() {
    // Input [1, 2, 3]: channel c scales the 3 values of row c; then Flatten and Gemm.
    let mut rng = Rng::new(60);
    let mut g = Graph::new(6);
    g.inputs = vec![value_info("x", &[None, Some(2), Some(3)])];
    let g = Bn::random(2, 61)
        .add(g, "", "x", "n", vec![])
        .node(node("Flatten", &["n"], &["f"], vec![]))
        .init(tensor("W", &[6, 2], &rng.vec(12, 1.0)))
        .node(node("MatMul", &["f", "W"], &["y"], vec![]));
    check(&g, 6, &["Dense"]);
}

#[test]
fn batch_norm_refusals() {
    let bn = Bn::random(3, 70);
    let relu = |g: Graph| g.node(node("Relu", &["n"], &["y"], vec![]));
    let e = import_err(&relu(bn.add(gemm_4_3(1).0.opset(15), "", "h", "n", vec![("training_mode", A::I(1))])));
    assert!(e.to_string().contains("training_mode=1"), "{e}");
    let mut g = relu(bn.add(gemm_4_3(1).0, "", "h", "n", vec![]));
    g.nodes[1].output.extend(["rm".to_string(), "rv".to_string()]);
    assert!(import_err(&g).to_string().contains("running mean/variance"));
    let e = import_err(&relu(bn.add(gemm_4_3(1).0, "", "h", "n", vec![("spatial", A::I(0))])));
    assert!(e.to_string().contains("spatial=0"), "{e}");
    let mut neg = Bn::random(3, 71);
    neg.var[1] = -1.0;
    let e = import_err(&relu(neg.add(gemm_4_3(1).0, "", "h", "n", vec![])));
    assert!(e.to_string().contains("var[1] + epsilon") && e.to_string().contains("not positive"), "{e}");
    let short = Bn::random(2, 72);
    let e = import_err(&relu(short.add(gemm_4_3(1).0, "", "h", "n", vec![])));
    assert!(e.to_string().contains("one value per channel (3)"), "{e}");
    // Statistics computed from the input.
    let g = gemm_4_3(1).0.init(tensor("s", &[3], &[1.0; 3])).node(node(
        "BatchNormalization",
        &["h", "s", "s", "h", "s"],
        &["y"],
        vec![],
    ));
    assert!(import_err(&g).to_string().contains("only constant means can be compiled"));
}

// ------------------------------------------------------------------------- float64

/// A float64 Gemm 4 → 3 with a bias, then Relu: input, output and initializers DOUBLE.
/// tract alone cannot run it ("tensor is F32, accessed as F64").
fn f64_gemm() -> Graph {
    let mut rng = Rng::new(80);
    // 0.1-style values: not representable in float32.
    let w: Vec<f64> = rng.vec(12, 1.0).into_iter().map(|v| v as f64 + 1e-9).collect();
    let mut g = Graph::new(4)
        .init(tensor64("W", &[3, 4], &w))
        .init(tensor64("C", &[3], &[0.1, -0.2, 0.3]))
        .node(node("Gemm", &["x", "W", "C"], &["h"], vec![("transB", A::I(1))]))
        .node(node("Relu", &["h"], &["y"], vec![]));
    g.inputs = vec![typed_value_info("x", &[None, Some(4)], DataType::Double)];
    g.outputs = vec![typed_value_info("y", &[], DataType::Double)];
    g
}

#[test]
fn float64_model_is_cast_to_float32_with_a_warning() {
    let m = check(&f64_gemm(), 4, &["Dense", "Relu"]);
    assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
    let w = &m.warnings[0];
    assert!(w.contains("float64") && w.contains("cast to float32"), "{w}");
    assert!(w.contains("15 of the 15 float64 constant values are not exactly representable"), "{w}");
    assert!(w.contains("rounded to the nearest float32"), "{w}");
    // A float32 model has no warning.
    let (g, ..) = gemm_4_3(1);
    assert!(import(&g.node(node("Relu", &["h"], &["y"], vec![]))).warnings.is_empty());
}

#[test]
fn float64_casts_and_constants() {
    // float32 input cast to double, a float64 Constant weight and bias, cast back.
    let mut rng = Rng::new(90);
    let w: Vec<f64> = rng.vec(8, 1.0).into_iter().map(f64::from).collect();
    let g = Graph::new(4)
        .node(node("Constant", &[], &["W"], vec![("value", A::T(Box::new(tensor64("", &[4, 2], &w))))]))
        .init(tensor64("b", &[2], &[0.5, -0.25]))
        .node(node("Cast", &["x"], &["xd"], vec![("to", A::I(DataType::Double as i64))]))
        .node(node("MatMul", &["xd", "W"], &["h"], vec![]))
        .node(node("Add", &["h", "b"], &["hd"], vec![]))
        .node(node("Cast", &["hd"], &["y"], vec![("to", A::I(DataType::Float as i64))]));
    let m = check(&g, 4, &["Dense"]);
    assert!(m.warnings[0].contains("all 10 float64 constant values are exactly representable"), "{:?}", m.warnings);
    // A value beyond float32's range cannot be cast.
    let g = f64_gemm().init(tensor64("big", &[1], &[1e300]));
    let e = import_err(&g);
    assert!(matches!(e, ImportError::Float64Range { index: 0, .. }), "{e}");
    assert!(e.to_string().contains("initializer `big`"), "{e}");
}

// -------------------------------------------------------------------------- opsets

/// Gemm, BatchNormalization, Clip, Unsqueeze, Squeeze, Reshape, Dropout and a
/// default-axis Softmax, each written the way `opset` spells it.
fn every_op_at(opset: i64) -> Graph {
    let mut rng = Rng::new(100);
    let g = Graph::new(4)
        .opset(opset)
        .init(tensor("W", &[3, 4], &rng.vec(12, 1.0)))
        .init(tensor("C", &[3], &rng.vec(3, 0.5)))
        .init(ints("shape", &[1, 3]))
        .node(node("Gemm", &["x", "W", "C"], &["h"], vec![("transB", A::I(1))]));
    // BatchNormalization-9 and later; `momentum` is a training attribute, ignored.
    let mut g = Bn::random(3, 101).add(g, "bn_", "h", "n", vec![("momentum", A::F(0.9))]);
    g = if opset < 11 {
        g.node(node("Clip", &["n"], &["c"], vec![("min", A::F(-0.5)), ("max", A::F(0.75))]))
    } else {
        g.init(tensor("lo", &[], &[-0.5])).init(tensor("hi", &[], &[0.75])).node(node(
            "Clip",
            &["n", "lo", "hi"],
            &["c"],
            vec![],
        ))
    };
    g = if opset < 13 {
        g.node(node("Unsqueeze", &["c"], &["u"], vec![("axes", A::Ints(vec![0]))])).node(node(
            "Squeeze",
            &["u"],
            &["s"],
            vec![("axes", A::Ints(vec![0]))],
        ))
    } else {
        g.init(ints("axes", &[0])).node(node("Unsqueeze", &["c", "axes"], &["u"], vec![])).node(node(
            "Squeeze",
            &["u", "axes"],
            &["s"],
            vec![],
        ))
    };
    g = g.node(node("Reshape", &["s", "shape"], &["r"], vec![]));
    g = if opset < 12 {
        g.node(node("Dropout", &["r"], &["d"], vec![("ratio", A::F(0.3))]))
    } else {
        g.init(tensor("ratio", &[], &[0.3])).init(boolean("training", false)).node(node(
            "Dropout",
            &["r", "ratio", "training"],
            &["d"],
            vec![],
        ))
    };
    // No axis: 1 (flattening) before opset 13, -1 from 13; both the whole [1, 3] row.
    g.node(node("Softmax", &["d"], &["y"], vec![]))
}

#[test]
fn every_opset_from_9_to_23() {
    for opset in zkpolicy::onnx::OPSETS {
        let m = check(&every_op_at(opset), 4, &["Dense", "Clip", "Softmax"]);
        assert_eq!(m.opset, opset);
        assert!(matches!(m.model.layers[1], zkpolicy_core::frontend::model::Layer::Clip { min: -2048, max: 3072 }));
    }
    assert_eq!(*zkpolicy::onnx::OPSETS.start(), 9);
    assert_eq!(*zkpolicy::onnx::OPSETS.end(), 23);
}

#[test]
fn clip_6_attributes_and_unbounded_sides() {
    // Clip-6 (opset 9) with only `min`, and with float32's lowest value written out as
    // `min` (its default): an open side either way.
    let (g, ..) = gemm_4_3(110);
    let m = check(&g.opset(9).node(node("Clip", &["h"], &["y"], vec![("min", A::F(0.0))])), 4, &["Dense", "Clip"]);
    let zkpolicy_core::frontend::model::Layer::Clip { min, max } = m.model.layers[1] else { panic!() };
    assert_eq!(min, 0);
    assert!(max > 1 << 20);
    let (g, ..) = gemm_4_3(110);
    let g = g.opset(10).node(node("Clip", &["h"], &["y"], vec![("min", A::F(f32::MIN)), ("max", A::F(1.0))]));
    check(&g, 4, &["Dense", "Clip"]);
}

#[test]
fn dropout_in_training_mode_is_refused() {
    let (g, ..) = gemm_4_3(120);
    let train = |ratio: f32| {
        g.clone().opset(13).init(tensor("ratio", &[], &[ratio])).init(boolean("t", true)).node(node(
            "Dropout",
            &["h", "ratio", "t"],
            &["y"],
            vec![],
        ))
    };
    let e = import_err(&train(0.5));
    assert!(e.to_string().contains("training_mode is true with ratio 0.5"), "{e}");
    // Training mode with ratio 0 drops nothing.
    check(&train(0.0), 4, &["Dense"]);
}

// ------------------------------------------------------------------ several inputs

/// Inputs `amount` [1, 1] and `history` [1, 4].
fn two_inputs() -> Graph {
    let mut g = Graph::new(5);
    g.inputs = vec![value_info("amount", &[None, Some(1)]), value_info("history", &[None, Some(4)])];
    g
}

#[test]
fn named_inputs_are_concatenated_in_graph_order() {
    let mut rng = Rng::new(130);
    let w = rng.vec(10, 1.0);
    let g = two_inputs()
        .init(tensor("W", &[2, 5], &w))
        .node(node("Concat", &["amount", "history"], &["v"], vec![("axis", A::I(1))]))
        .node(node("Gemm", &["v", "W"], &["h"], vec![("transB", A::I(1))]))
        .node(node("Softmax", &["h"], &["y"], vec![]));
    let m = check(&g, 5, &["Dense", "Softmax"]);
    assert_eq!(
        m.inputs,
        vec![
            ModelInput { name: "amount".into(), shape: vec![1, 1], offset: 0, len: 1 },
            ModelInput { name: "history".into(), shape: vec![1, 4], offset: 1, len: 4 },
        ]
    );
    assert_eq!((m.input_name.as_str(), &m.input_shape[..], m.model.input_len), ("amount, history", &[5][..], 5));
    // The same Dense as the single-input model with the 5-vector.
    let single =
        Graph::new(5).init(tensor("W", &[2, 5], &w)).node(node("Gemm", &["x", "W"], &["h"], vec![("transB", A::I(1))]));
    let single = import(&single.node(node("Softmax", &["h"], &["y"], vec![])));
    assert_eq!(m.model.layers, single.model.layers);
    assert_eq!(m.chain[0].nodes, vec!["v_node", "h_node"]);
}

#[test]
fn inputs_preprocessed_separately_then_concatenated() {
    // (amount - 100) / 50 and history · 0.5, concatenated history first, then a Gemm
    // and a Relu: still one Dense.
    let mut rng = Rng::new(140);
    let g = two_inputs()
        .init(tensor("mu", &[1], &[100.0]))
        .init(tensor("sd", &[1], &[50.0]))
        .init(tensor("half", &[], &[0.5]))
        .init(tensor("W", &[5, 3], &rng.vec(15, 1.0)))
        .node(node("Sub", &["amount", "mu"], &["a1"], vec![]))
        .node(node("Div", &["a1", "sd"], &["a2"], vec![]))
        .node(node("Mul", &["history", "half"], &["h1"], vec![]))
        .node(node("Concat", &["h1", "a2"], &["v"], vec![("axis", A::I(1))]))
        .node(node("MatMul", &["v", "W"], &["h"], vec![]))
        .node(node("Relu", &["h"], &["y"], vec![]));
    let m = check(&g, 5, &["Dense", "Relu"]);
    assert_eq!(m.chain[0].nodes.len(), 5);
    // Rank-1 inputs, used in another order than declared.
    let mut g = Graph::new(3).init(tensor("W", &[3, 2], &rng.vec(6, 1.0)));
    g.inputs = vec![value_info("a", &[Some(1)]), value_info("b", &[Some(2)])];
    let g = g.node(node("Concat", &["b", "a"], &["v"], vec![("axis", A::I(0))])).node(node(
        "MatMul",
        &["v", "W"],
        &["y"],
        vec![],
    ));
    check(&g, 3, &["Dense"]);
}

#[test]
fn an_input_reaching_a_nonlinearity_alone() {
    // Concat in order with nothing linear after it is the identity (no Dense); a
    // permutation, or one input through a Relu, is a Dense of its own.
    let g = two_inputs().node(node("Concat", &["history", "amount"], &["v"], vec![("axis", A::I(1))])).node(node(
        "Relu",
        &["v"],
        &["y"],
        vec![],
    ));
    check(&g, 5, &["Dense", "Relu"]);
    // Each input through its own Relu: a branch the chain cannot hold.
    let g = two_inputs()
        .node(node("Relu", &["amount"], &["a"], vec![]))
        .node(node("Relu", &["history"], &["h"], vec![]))
        .node(node("Concat", &["a", "h"], &["y"], vec![("axis", A::I(1))]));
    assert!(import_err(&g).to_string().contains("branches"));
}

#[test]
fn several_inputs_must_each_be_float_batch_1() {
    let mut g = two_inputs().init(tensor("W", &[1, 5], &[1.0; 5])).node(node(
        "Concat",
        &["amount", "history"],
        &["v"],
        vec![("axis", A::I(1))],
    ));
    g = g.node(node("Gemm", &["v", "W"], &["y"], vec![("transB", A::I(1))]));
    let mut bad = g.clone();
    bad.inputs[1] = typed_value_info("history", &[None, Some(4)], DataType::Int64);
    assert!(matches!(import_err(&bad), ImportError::DynamicShape { .. }));
    let mut bad = g.clone();
    bad.inputs[1] = value_info("history", &[Some(3), Some(4)]);
    assert!(matches!(import_err(&bad), ImportError::Batch { batch: 3, .. }));
    let mut bad = g.clone();
    bad.inputs[1] = value_info("amount", &[None, Some(4)]);
    assert!(import_err(&bad).to_string().contains("two graph inputs are named `amount`"));
    // Each input is a dense selection from all the values: at most 2^13 values in all.
    let mut big = g;
    big.inputs[1] = value_info("history", &[None, Some(8192)]);
    let e = import_err(&big);
    assert!(matches!(e, ImportError::TooLarge { count: 67_125_249, .. }), "{e}");
}

#[test]
fn the_batch_symbol_in_declared_shapes_is_the_fixed_batch_1() {
    // As PyTorch's dynamo exporter writes a model with a dynamic batch: the hidden
    // value and the output are declared `[batch, 3]`, the symbol of the input's batch
    // axis. tract refused this graph ("Impossible to unify Val(1) with Sym(batch)")
    // until the symbol was bound to the 1 the input is fixed to.
    let mut rng = Rng::new(15);
    let mut g = Graph::new(4)
        .init(tensor("W", &[3, 4], &rng.vec(12, 1.0)))
        .init(tensor("B", &[3], &rng.vec(3, 1.0)))
        .node(node("Gemm", &["x", "W", "B"], &["h"], vec![("transB", A::I(1))]))
        .node(node("Tanh", &["h"], &["y"], vec![]));
    g.value_info = vec![value_info("h", &[None, Some(3)])];
    g.outputs = vec![value_info("y", &[None, Some(3)])];
    check(&g, 4, &["Dense", "Tanh"]);
    // A declared shape that contradicts the graph is still tract's error.
    g.value_info = vec![value_info("h", &[None, Some(5)])];
    assert!(matches!(import_err(&g), ImportError::Tract(_)), "{:?}", import_err(&g));
}

// ---------------------------------------------------------------- unsupported ops

#[test]
fn unsupported_ops_name_the_closest_alternative() {
    let cases = [
        ("Erf", "", "only supported within a GELU, x·0.5·(1 + erf(x/√2))"),
        ("Selu", "", "Elu (alpha) is"),
        ("Mish", "", "Relu, LeakyRelu, Elu, Gelu, Softplus, HardSwish, Sigmoid and Tanh are"),
        ("Conv", "", "flatten to Gemm"),
        ("MaxPool", "", "flatten to Gemm"),
        ("OneHot", "", "Gather from a constant identity table"),
        ("IsNaN", "", "always false"),
        ("Sum", "", "Add of a constant is"),
        ("LayerNormalization", "", "BatchNormalization (inference) is"),
        ("Neg", "", "Mul by the constant -1"),
        ("LogSoftmax", "", "Softmax (last axis) is"),
        ("SVMClassifier", "ai.onnx.ml", "support vector machines are not supported yet"),
    ];
    for (op, domain, hint) in cases {
        let (g, ..) = gemm_4_3(1);
        let mut n = node(op, &["h"], &["y"], vec![]);
        n.domain = domain.into();
        let e = import_err(&g.node(n));
        let msg = e.to_string();
        assert!(matches!(e, ImportError::UnsupportedOp { alternative: Some(_), .. }), "{msg}");
        assert!(msg.contains(&format!("`{op}`")) || msg.contains(&format!("`{domain}:{op}`")), "{msg}");
        assert!(msg.contains(hint) && msg.contains("; supported ops: Gemm, MatMul"), "{op}: {msg}");
    }
    let (g, ..) = gemm_4_3(1);
    let e = import_err(&g.node(node("Frobnicate", &["h"], &["y"], vec![])));
    assert!(e.to_string().contains("(node `y_node`); supported ops: Gemm"), "{e}");
}

// --------------------------------------------------------------------- end to end

#[test]
fn batch_norm_and_float64_models_setup_prove_verify() {
    let bn = Bn::random(3, 150)
        .add(gemm_4_3(151).0, "", "h", "n", vec![])
        .node(node("Sigmoid", &["n"], &["y"], vec![]))
        .meta("zkpolicy.decision", "threshold:0:0.5");
    let f64_model = f64_gemm().meta("zkpolicy.decision", "argmax");
    let dir = std::env::temp_dir().join(format!("zkpolicy-robust-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, g, warns) in [("bn", bn, false), ("f64", f64_model, true)] {
        let onnx = dir.join(format!("{name}.onnx"));
        std::fs::write(&onnx, g.bytes()).unwrap();
        let keys = dir.join(name);
        let (code, out, err) = zkpolicy(&["setup", s(&onnx), "--out-dir", s(&keys)]);
        assert_eq!(code, 0, "{out}{err}");
        assert_eq!(err.contains("warning:") && err.contains("float64"), warns, "{err}");
        let input = dir.join(format!("{name}.json"));
        std::fs::write(&input, r#"{"input": [0.5, -1.25, 2.0, 0.75]}"#).unwrap();
        let proof = dir.join(format!("{name}.proof"));
        let (pk, vk) = (keys.join(format!("{name}.pk")), keys.join(format!("{name}.vk")));
        let (code, out, err) = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&input), "--out", s(&proof)]);
        assert_eq!(code, 0, "{out}{err}");
        let (code, out, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--json"]);
        assert_eq!(code, 0, "{out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["valid"].as_bool(), Some(true), "{v}");
        // The proven decision is the integer model's, which agrees with tract here.
        let m = zkpolicy::load_onnx(&onnx, &ImportOptions::default()).unwrap();
        let c = m.compare(&[0.5, -1.25, 2.0, 0.75]).unwrap();
        assert_eq!(c.quantized_verdict, c.float_verdict);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
