//! Issue 15 §1: GELU (both forms), Softplus, ELU, HardSwish and Exp, proved as
//! piecewise-linear approximations inside the network and computed as them after
//! the last Dense; HardSigmoid, exactly, as an affine map and a Clip; Exp refused,
//! naming its layer, when its input could leave the approximated range.

mod common;

use common::{node, s, tensor, zkpolicy, Graph, Rng, A};
use zkpolicy::onnx::ImportError;
use zkpolicy::{load_onnx_bytes, ImportOptions};
use zkpolicy_core::frontend::model::piecewise::{Approximated, Piecewise};
use zkpolicy_core::frontend::model::Layer;

/// An op under test.
struct Case {
    /// The ONNX op, its attributes and the opset to export with.
    op: &'static str,
    attrs: Vec<(&'static str, A)>,
    opset: i64,
    /// The approximated function (`Exp`'s top is read from the model).
    f: Approximated,
    /// The input range to import with.
    range: f64,
}

fn cases() -> Vec<Case> {
    let case = |op, attrs, opset, f, range| Case { op, attrs, opset, f, range };
    vec![
        case("Gelu", vec![], 20, Approximated::Gelu, 256.0),
        case("Gelu", vec![("approximate", A::S("tanh"))], 20, Approximated::GeluTanh, 256.0),
        case("Softplus", vec![], 13, Approximated::Softplus, 256.0),
        case("Elu", vec![("alpha", A::F(0.75))], 13, Approximated::Elu { alpha: 0.75 }, 256.0),
        case("HardSwish", vec![], 14, Approximated::HardSwish, 256.0),
        case("Exp", vec![], 13, Approximated::Exp { top: 0 }, 1.0),
    ]
}

fn options(input_range: f64) -> ImportOptions {
    ImportOptions { input_range, ..ImportOptions::default() }
}

/// The function of the model's only `Piecewise` layer that `f` stands for (`Exp`'s
/// top is its last breakpoint).
fn resolved(f: Approximated, layers: &[Layer], s: u32) -> Approximated {
    let p = layers.iter().find_map(|l| if let Layer::Piecewise(p) = l { Some(p) } else { None }).unwrap();
    match f {
        Approximated::Exp { .. } => Approximated::Exp { top: (p.breakpoints.last().unwrap() >> s) as u32 },
        f => f,
    }
}

/// `x[1,3] → Gemm(3→4) → ACT → Gemm(4→1) → Sigmoid`.
fn hidden(act: &str, attrs: Vec<(&'static str, A)>, opset: i64) -> Graph {
    let mut rng = Rng::new(7);
    Graph::new(3)
        .opset(opset)
        .init(tensor("w1", &[4, 3], &rng.vec(12, 1.0)))
        .init(tensor("b1", &[4], &rng.vec(4, 0.1)))
        .init(tensor("w2", &[1, 4], &rng.vec(4, 1.0)))
        .init(tensor("b2", &[1], &[0.0]))
        .node(node("Gemm", &["x", "w1", "b1"], &["h"], vec![("transB", A::I(1))]))
        .node(node(act, &["h"], &["t"], attrs))
        .node(node("Gemm", &["t", "w2", "b2"], &["z"], vec![("transB", A::I(1))]))
        .node(node("Sigmoid", &["z"], &["y"], vec![]))
}

/// `x[1,1] → Gemm(x + 1/4) → ACT`: the function after the last Dense, in the head.
fn head(act: &str, attrs: Vec<(&'static str, A)>, opset: i64) -> Graph {
    Graph::new(1)
        .opset(opset)
        .init(tensor("w", &[1, 1], &[1.0]))
        .init(tensor("b", &[1], &[0.25]))
        .node(node("Gemm", &["x", "w", "b"], &["h"], vec![("transB", A::I(1))]))
        .node(node(act, &["h"], &["y"], attrs))
        .meta("zkpolicy.decision", "threshold:0:0.5")
}

/// In the head, the quantized output is within the stated bound of tract's float
/// output (plus the input's rounding times the function's slope, and float32's error),
/// on inputs across the approximated range: the importer reads each op and its
/// attributes as ONNX (tract) defines them.
#[test]
fn head_functions_are_within_their_bound_of_the_float_model() {
    for Case { op, attrs, opset, f, range } in cases() {
        let range = if op == "Exp" { 4.0 } else { range };
        let m = load_onnx_bytes("head", &head(op, attrs, opset).bytes(), &options(range)).unwrap();
        let s = m.model.scale_bits;
        assert_eq!(common::ops(&m), ["Dense", "Piecewise"], "{op}");
        let f = resolved(f, &m.model.layers, s);
        let warning = m.warnings.iter().find(|w| w.contains("piecewise-linear")).expect("a warning");
        assert!(warning.contains("after the last Dense is computed by the verifier"), "{warning}");
        assert!(warning.contains(&format!("within {:.1e} of the real function", f.error_bound(s))), "{warning}");
        let mut rng = Rng::new(5);
        for k in 0..200 {
            let x = if k < 100 { f64::from(rng.next()) * range.min(10.0) } else { (k - 150) as f64 / 8.0 + 1e-3 };
            if x.abs() > range {
                continue;
            }
            let c = m.compare(&[x]).unwrap();
            let (float, quantized) = (c.float_outputs[0], c.quantized_real[0]);
            // Input rounding 2^-13 times a slope below 1.2 (e^top for Exp); f32 to 1e-6 relative.
            let slope = if let Approximated::Exp { top } = f { f64::from(top).exp() } else { 1.2 };
            let bound = f.error_bound(s) + slope * (-13f64).exp2() + 1e-6 * float.abs().max(1.0);
            assert!(
                (float - quantized).abs() <= bound,
                "{op} at {x}: float {float}, quantized {quantized}, bound {bound}"
            );
        }
    }
}

/// Inside the network each function is proved as its approximation: the import says
/// so and by how much, and the model goes through setup, prove and verify, deciding
/// as the float model on sample inputs. A function in the head is proved the same way.
#[test]
fn hidden_functions_are_proved_as_their_approximations() {
    let dir = std::env::temp_dir().join(format!("zkpolicy-activations-{}", std::process::id()));
    let mut models: Vec<(String, Graph, Approximated, f64)> = cases()
        .into_iter()
        .map(|Case { op, attrs, opset, f, range }| {
            let name = format!("hidden_{}", f.to_string().replace(|c: char| !c.is_alphanumeric(), "_"));
            (name, hidden(op, attrs, opset), f, range)
        })
        .collect();
    models.push(("head_gelu".into(), head("Gelu", vec![], 20), Approximated::Gelu, 256.0));
    for (name, g, f, range) in models {
        let model = g.write(&name);
        let range_arg = range.to_string();
        let import = ["--input-range", range_arg.as_str()];
        let m = load_onnx_bytes(&name, &g.bytes(), &options(range)).unwrap();
        let f = resolved(f, &m.model.layers, 12);
        let (code, out, err) = zkpolicy(&[&["inspect", s(&model)][..], &import].concat());
        assert_eq!(code, 0, "{name}: {out}{err}");
        assert!(out.contains("provable     yes ("), "{name}: {out}");
        let segments = Piecewise::approximate(f, 12).slopes.len();
        let detail = format!("piecewise-linear {f}, {segments} segments, within {:.1e}", f.error_bound(12));
        assert!(out.contains(&detail), "{name}: {out}");
        assert!(
            err.contains(&format!("the {f} inside the network is proved")) || name.starts_with("head"),
            "{name}: {err}"
        );
        assert!(
            err.contains(&format!("within {:.1e} of the real function at scale 2^-12", f.error_bound(12))),
            "{err}"
        );
        let (code, out, err) = zkpolicy(&[&["setup", s(&model), "--out-dir", s(&dir)][..], &import].concat());
        assert_eq!(code, 0, "{name}: {out}{err}");
        let mut rng = Rng::new(11);
        let inputs = m.model.input_len;
        for k in 0..3 {
            let x = rng.vec(inputs, range.min(2.0) as f32);
            let input = dir.join(format!("{name}-{k}.json"));
            std::fs::write(&input, format!("{{\"input\": {x:?}}}")).unwrap();
            let (code, out, err) = zkpolicy(&[&["run", s(&model), "--input", s(&input)][..], &import].concat());
            assert_eq!(code, 0, "{name}: {err}");
            assert!(out.contains("agree"), "{name}: {out}");
            let proof = dir.join(format!("{name}-{k}.proof"));
            let pk = dir.join(format!("{name}.pk"));
            let (code, out, err) = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&input), "--out", s(&proof)]);
            assert_eq!(code, 0, "{name}: {out}{err}");
            let vk = dir.join(format!("{name}.vk"));
            let (code, out, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof)]);
            assert_eq!(code, 0, "{name}: {out}{err}");
        }
    }
}

/// An Exp whose input could exceed the approximated range (±20) is refused at import,
/// naming the node and layer and what to change; with a smaller input range, the same
/// graph imports.
#[test]
fn exp_beyond_its_range_is_refused_naming_the_layer() {
    let g = hidden("Exp", vec![], 13);
    // Inputs within ±256 reach far beyond 20 after the first Gemm.
    let e = load_onnx_bytes("exp", &g.bytes(), &options(256.0)).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, ImportError::Unsupported { .. }), "{msg}");
    assert!(msg.starts_with("node `t_node` (Exp): layer 1: its input reaches ±"), "{msg}");
    assert!(msg.contains("and e^x is only approximated up to x = 20"), "{msg}");
    assert!(msg.contains("smaller --input-range"), "{msg}");
    let model = g.write("exp_refused");
    let (code, out, err) = zkpolicy(&["setup", s(&model), "--out-dir", s(&std::env::temp_dir())]);
    assert_ne!(code, 0, "{out}");
    assert!(err.contains("(Exp): layer 1: its input reaches"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Within ±1, the first Gemm's outputs stay below 4: an Exp up to e^4.
    let m = load_onnx_bytes("exp", &g.bytes(), &options(1.0)).unwrap();
    assert_eq!(resolved(Approximated::Exp { top: 0 }, &m.model.layers, 12), Approximated::Exp { top: 3 });
}

/// HardSigmoid is exactly `Clip(alpha·x + beta, 0, 1)`: folded into the Dense before
/// it, or a diagonal Dense of its own on the input; no approximation, no warning.
#[test]
fn hard_sigmoid_is_an_affine_map_and_a_clip() {
    let attrs = || vec![("alpha", A::F(0.25)), ("beta", A::F(0.375))];
    let g = hidden("HardSigmoid", attrs(), 13);
    let m = common::check(&g, 3, &["Dense", "Clip", "Dense", "Sigmoid"]);
    assert!(!m.warnings.iter().any(|w| w.contains("piecewise")), "{:?}", m.warnings);
    // Clip(0.25·h + 0.375, 0, 1) with h = W·x + b: the Dense is 0.25·W, 0.25·b + 0.375.
    let Layer::Clip { min, max } = m.model.layers[1] else { panic!() };
    assert_eq!((min, max), (0, 1 << 12));
    let first =
        Graph::new(2).node(node("HardSigmoid", &["x"], &["y"], attrs())).meta("zkpolicy.decision", "threshold:0:0.5");
    let m = common::check(&first, 2, &["Dense", "Clip"]);
    let Layer::Dense { weights, bias, .. } = &m.model.layers[0] else { panic!() };
    assert_eq!(weights, &[1 << 10, 0, 0, 1 << 10]);
    assert_eq!(bias, &[3 << 21, 3 << 21]);
    let bad = hidden("HardSigmoid", vec![("alpha", A::F(f32::NAN))], 13);
    let e = load_onnx_bytes("bad", &bad.bytes(), &options(256.0)).unwrap_err();
    assert!(e.to_string().contains("(HardSigmoid): alpha is NaN"), "{e}");
}

/// Attributes the importer cannot honour are refused, naming the node.
#[test]
fn unknown_gelu_forms_and_non_finite_alphas_are_refused() {
    let e = load_onnx_bytes("g", &hidden("Gelu", vec![("approximate", A::S("erf"))], 20).bytes(), &options(256.0))
        .unwrap_err();
    assert!(
        e.to_string().contains("node `t_node` (Gelu): approximate \"erf\"; \"none\" and \"tanh\" are supported"),
        "{e}"
    );
    let e = load_onnx_bytes("e", &hidden("Elu", vec![("alpha", A::F(f32::INFINITY))], 13).bytes(), &options(256.0))
        .unwrap_err();
    assert!(e.to_string().contains("node `t_node` (Elu): alpha is inf"), "{e}");
}

/// `x[1,3] → Gemm(3→4) → GELU written out with Erf → Gemm(4→1) → Sigmoid`, as PyTorch
/// exports `nn.GELU()` below opset 20 (`half_first`: `(h·0.5)·(1 + erf(h·(1/√2)))`
/// with `Constant` nodes, as hand-written GELUs do). `sqrt2` is the divisor.
fn erf_gelu(half_first: bool, sqrt2: f32) -> Graph {
    let mut rng = Rng::new(7);
    let g = Graph::new(3)
        .opset(17)
        .init(tensor("w1", &[4, 3], &rng.vec(12, 1.0)))
        .init(tensor("b1", &[4], &rng.vec(4, 0.1)))
        .init(tensor("w2", &[1, 4], &rng.vec(4, 1.0)))
        .init(tensor("b2", &[1], &[0.0]))
        .node(node("Gemm", &["x", "w1", "b1"], &["h"], vec![("transB", A::I(1))]));
    let g = if half_first {
        let constant = |name: &str, v: f32| {
            node("Constant", &[], &[name], vec![("value", A::T(Box::new(tensor(name, &[], &[v]))))])
        };
        g.node(constant("inv_sqrt2", 1.0 / sqrt2))
            .node(constant("one", 1.0))
            .node(constant("half", 0.5))
            .node(node("Mul", &["half", "h"], &["hh"], vec![]))
            .node(node("Mul", &["h", "inv_sqrt2"], &["d"], vec![]))
            .node(node("Erf", &["d"], &["e"], vec![]))
            .node(node("Add", &["one", "e"], &["a"], vec![]))
            .node(node("Mul", &["a", "hh"], &["t"], vec![]))
    } else {
        g.init(tensor("sqrt2", &[], &[sqrt2]))
            .init(tensor("one", &[], &[1.0]))
            .init(tensor("half", &[], &[0.5]))
            .node(node("Div", &["h", "sqrt2"], &["d"], vec![]))
            .node(node("Erf", &["d"], &["e"], vec![]))
            .node(node("Add", &["e", "one"], &["a"], vec![]))
            .node(node("Mul", &["h", "a"], &["m"], vec![]))
            .node(node("Mul", &["m", "half"], &["t"], vec![]))
    };
    g.node(node("Gemm", &["t", "w2", "b2"], &["z"], vec![("transB", A::I(1))])).node(node(
        "Sigmoid",
        &["z"],
        &["y"],
        vec![],
    ))
}

/// PyTorch's GELU below opset 20 (and the `0.5`-first variant) is read as one `Gelu`:
/// the same `Piecewise` layer as the `Gelu` op's, the import says which nodes it read,
/// the quantized model agrees with tract on the written-out graph, and it proves.
#[test]
fn gelu_written_out_with_erf_is_read_as_one_gelu() {
    let gelu_op = load_onnx_bytes("op", &hidden("Gelu", vec![], 20).bytes(), &options(256.0)).unwrap();
    for half_first in [false, true] {
        let g = erf_gelu(half_first, std::f32::consts::SQRT_2);
        let m = common::check(&g, 3, &["Dense", "Piecewise", "Dense", "Sigmoid"]);
        assert_eq!(m.model.layers, gelu_op.model.layers, "half first: {half_first}");
        let note = m.warnings.iter().find(|w| w.contains("read as one Gelu")).expect("a note");
        let nodes = if half_first {
            "`hh_node`, `d_node`, `e_node`, `a_node`, `t_node`"
        } else {
            "`d_node`, `e_node`, `a_node`, `m_node`, `t_node`"
        };
        assert!(
            note.contains(&format!("nodes {nodes} compute x·0.5·(1 + erf(x/√2)): read as one Gelu `e_node`")),
            "{note}"
        );
        assert!(m.warnings.iter().any(|w| w.contains("the gelu inside the network is proved")), "{:?}", m.warnings);
    }
    let dir = std::env::temp_dir().join(format!("zkpolicy-activations-erf-{}", std::process::id()));
    let model = erf_gelu(false, std::f32::consts::SQRT_2).write("erf_gelu");
    let (code, out, err) = zkpolicy(&["setup", s(&model), "--out-dir", s(&dir)]);
    assert_eq!(code, 0, "{out}{err}");
    let input = dir.join("erf-input.json");
    std::fs::write(&input, "{\"input\": [0.5, -1.25, 2.0]}").unwrap();
    let (code, out, err) = zkpolicy(&["run", s(&model), "--input", s(&input)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("agree"), "{out}");
    let proof = dir.join("erf.proof");
    let (code, out, err) =
        zkpolicy(&["prove", "--pk", s(&dir.join("erf_gelu.pk")), "--input", s(&input), "--out", s(&proof)]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = zkpolicy(&["verify", "--vk", s(&dir.join("erf_gelu.vk")), "--proof", s(&proof)]);
    assert_eq!(code, 0, "{out}{err}");
}

/// Anything but the exact pattern keeps its `Erf`, which is refused: another
/// constant, or an intermediate value that something else reads too.
#[test]
fn erf_outside_the_gelu_pattern_is_refused() {
    let refused = |g: &Graph| {
        let e = load_onnx_bytes("erf", &g.bytes(), &options(256.0)).unwrap_err();
        assert!(matches!(&e, ImportError::UnsupportedOp { op, .. } if op == "Erf"), "{e}");
        assert!(e.to_string().contains("only supported within a GELU"), "{e}");
    };
    refused(&erf_gelu(false, 1.5));
    refused(&erf_gelu(true, 1.41));
    // The Erf's output is also read by another node (here a residual `t + e`).
    let mut g = erf_gelu(false, std::f32::consts::SQRT_2);
    let z = g.nodes.iter().position(|n| n.name == "z_node").unwrap();
    g.nodes[z].input[0] = "t2".into();
    g.nodes.insert(z, node("Add", &["t", "e"], &["t2"], vec![]));
    refused(&g);
}
