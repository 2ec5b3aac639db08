//! Comparisons and logic in ONNX graphs (issue 16 §2), each op in a hand-built
//! model against tract's float evaluation: on inputs that are multiples of the
//! grid step `2^-s` every result is exact (the quantized output equals the float
//! one), every comparison with a constant included, whatever the constant; the
//! forms the integer model cannot express are refused with the supported
//! alternative; a graph using every op proves and verifies.

mod common;

use common::{import, node, tensor, value_info, Graph, A, S};
use tract_onnx::pb;
use zkpolicy::onnx::{DecisionSpec, ImportedModel};
use zkpolicy::{load_onnx_bytes, ImportOptions};
use zkpolicy_core::frontend::model::{Layer, Verdict};
use zkpolicy_core::frontend::visibility::InputVisibility;
use zkpolicy_core::policy::{self, PolicyProof};

const FLOAT: i64 = 1;
const INT64: i64 = 7;
const BOOL: i64 = 9;
const FLOAT16: i64 = 10;

/// One grid step, `2^-s`.
fn step() -> f64 {
    1.0 / (1u64 << S) as f64
}

/// A graph over scalar inputs `names` (`[1, 1]` each), output `y`.
fn scalars(names: &[&str]) -> Graph {
    let mut g = Graph::new(1);
    g.inputs = names.iter().map(|n| value_info(n, &[None, Some(1)])).collect();
    g
}

/// `Cast(v, FLOAT)` into `y`.
fn to_float(v: &str) -> pb::NodeProto {
    node("Cast", &[v], &["y"], vec![("to", A::I(FLOAT))])
}

/// Asserts that the quantized model gives exactly the float outputs and decision on every input.
fn exact(m: &ImportedModel, inputs: &[Vec<f64>]) {
    for x in inputs {
        let c = m.compare(x).unwrap_or_else(|e| panic!("{x:?}: {e}"));
        assert_eq!(c.float_outputs, c.quantized_real, "x = {x:?}");
        assert_eq!(c.float_verdict, c.quantized_verdict, "x = {x:?}");
    }
}

/// Grid points around `c`: the nearest multiples of `2^-s` and a few beyond, and far values.
fn around(c: f64) -> Vec<f64> {
    let q = (c / step()).floor();
    let mut v: Vec<f64> = (-3..=4).map(|k| (q + k as f64) * step()).filter(|x| x.abs() < 250.0).collect();
    v.extend([-250.0, -1.0, 0.0, 1.0, 250.0]);
    v
}

#[test]
fn comparisons_with_a_constant_agree_with_the_float_ones_at_every_grid_point() {
    // Constants on the grid, between grid points, not binary fractions, and far beyond the range.
    let constants = [0.0, 0.3, -0.3, 2.0, -1.25, 1.0 / 3.0, 5.0 * step() / 2.0, 1e6, -1e6];
    for op in ["Greater", "GreaterOrEqual", "Less", "LessOrEqual", "Equal"] {
        for c in constants {
            for constant_first in [false, true] {
                let ins: &[&str] = if constant_first { &["c", "x"] } else { &["x", "c"] };
                let g = scalars(&["x"])
                    .init(tensor("c", &[], &[c as f32]))
                    .node(node(op, ins, &["b"], vec![]))
                    .node(to_float("b"));
                let m = import(&g);
                assert!(m.model.layers.iter().any(|l| matches!(l, Layer::Lanes { .. })), "{op} {c}");
                let inputs: Vec<Vec<f64>> = around(c as f32 as f64).into_iter().map(|x| vec![x]).collect();
                exact(&m, &inputs);
            }
        }
    }
}

#[test]
fn a_comparison_of_two_values_is_a_difference_compared_with_zero() {
    // 10·a ≤ 3·b (a ≤ 0.3·b on real numbers), and a > b directly.
    let g = scalars(&["a", "b"])
        .init(tensor("ten", &[], &[10.0]))
        .init(tensor("three", &[], &[3.0]))
        .node(node("Mul", &["a", "ten"], &["a10"], vec![]))
        .node(node("Mul", &["b", "three"], &["b3"], vec![]))
        .node(node("LessOrEqual", &["a10", "b3"], &["ok"], vec![]))
        .node(node("Greater", &["a", "b"], &["more"], vec![]))
        .node(node("Or", &["ok", "more"], &["either"], vec![]))
        .node(to_float("either"));
    let m = import(&g);
    // The last comparison is proved in the body: the public logit is the boolean,
    // not the difference it compares (which would reveal the inputs).
    assert!(matches!(m.model.layers.last(), Some(Layer::Dense { .. })), "{:?}", m.model.layers);
    let mut inputs = Vec::new();
    for b in [0.0, 1.0, 10.0, 100.0, -20.0] {
        for a in [0.3 * b - step(), 0.3 * b, 0.3 * b + step(), b - step(), b, b + step()] {
            inputs.push(vec![(a / step()).round() * step(), b]);
        }
    }
    exact(&m, &inputs);
    // Whole numbers: the rule itself.
    for (a, b) in [(3.0, 10.0), (4.0, 10.0), (300.0 / 16.0, 62.5)] {
        let c = m.compare(&[a, b]).unwrap();
        assert_eq!(c.quantized_real, vec![if 10.0 * a <= 3.0 * b || a > b { 1.0 } else { 0.0 }], "{a} {b}");
    }
}

/// Every logic op on the booleans `x > 0` and `y ≤ 1`: And, Or, Xor, Not, and
/// Cast to bool (`x ≠ 0`), as the four outputs of one graph.
#[test]
fn logic_ops_on_booleans() {
    let mut g = scalars(&["x", "z"])
        .init(tensor("zero", &[], &[0.0]))
        .init(tensor("one", &[], &[1.0]))
        .node(node("Greater", &["x", "zero"], &["p"], vec![]))
        .node(node("LessOrEqual", &["z", "one"], &["q"], vec![]))
        .node(node("And", &["p", "q"], &["and"], vec![]))
        .node(node("Or", &["p", "q"], &["or"], vec![]))
        .node(node("Xor", &["p", "q"], &["xor"], vec![]))
        .node(node("Cast", &["z"], &["nz"], vec![("to", A::I(BOOL))]))
        .node(node("Not", &["nz"], &["zero_z"], vec![]))
        .node(node("Concat", &["and", "or", "xor", "zero_z"], &["all"], vec![("axis", A::I(1))]))
        .node(to_float("all"));
    g.outputs = vec![value_info("y", &[Some(1), Some(4)])];
    let m = import(&g);
    let mut inputs = Vec::new();
    for x in [-1.0, -step(), 0.0, step(), 2.0] {
        for z in [-3.0, 0.0, step(), 1.0, 1.0 + step(), 7.5] {
            inputs.push(vec![x, z]);
        }
    }
    exact(&m, &inputs);
    let c = m.compare(&[2.0, 0.0]).unwrap();
    assert_eq!(c.quantized_real, vec![1.0, 1.0, 0.0, 1.0]);
}

#[test]
fn where_max_min_abs() {
    let mut g = scalars(&["x", "z"])
        .init(tensor("half", &[], &[0.5]))
        .init(tensor("lo", &[], &[-2.0]))
        .init(tensor("yes", &[], &[3.25]))
        .init(tensor("no", &[], &[-1.5]))
        .node(node("GreaterOrEqual", &["x", "half"], &["c"], vec![]))
        .node(node("Where", &["c", "yes", "no"], &["w"], vec![]))
        .node(node("Max", &["x", "z"], &["mx"], vec![]))
        .node(node("Min", &["x", "z"], &["mn"], vec![]))
        .node(node("Max", &["x", "lo"], &["floor"], vec![]))
        .node(node("Abs", &["z"], &["abs"], vec![]))
        .node(node("Concat", &["w", "mx", "mn", "floor", "abs"], &["y"], vec![("axis", A::I(1))]));
    g.outputs = vec![value_info("y", &[Some(1), Some(5)])];
    let m = import(&g);
    let mut inputs = Vec::new();
    for x in [-3.0, -2.0, 0.5 - step(), 0.5, 1.75] {
        for z in [-4.0, -step(), 0.0, 0.5, 1.75, 9.0] {
            inputs.push(vec![x, z]);
        }
    }
    exact(&m, &inputs);
    assert_eq!(m.compare(&[1.75, -4.0]).unwrap().quantized_real, vec![3.25, 1.75, -4.0, 1.75, 4.0]);
}

/// `Gather` from constant tables with computed indices: an allowlist, a one-hot
/// table and a two-column embedding, at integer, fractional (truncated) and
/// negative (counted from the end) indices.
#[test]
fn gather_from_constant_tables() {
    let allow = [0.0, 1.0, 1.0, 0.0, 1.0];
    let eye: Vec<f32> = (0..16).map(|i| if i % 5 == 0 { 1.0 } else { 0.0 }).collect();
    let embedding = [0.5, -1.0, 2.0, 0.25, -3.5, 1.5, 0.0, 0.75, 4.0, -0.5];
    let mut g = scalars(&["v"])
        .init(tensor("allow", &[5], &allow))
        .init(tensor("eye", &[4, 4], &eye))
        .init(tensor("emb", &[5, 2], &embedding))
        .init(tensor("four", &[], &[4.0]))
        .node(node("Cast", &["v"], &["i"], vec![("to", A::I(INT64))]))
        .node(node("Gather", &["allow", "i"], &["listed"], vec![("axis", A::I(0))]))
        .node(node("Min", &["v", "four"], &["v4"], vec![]))
        .node(node("Cast", &["v4"], &["i4"], vec![("to", A::I(INT64))]))
        .node(node("Gather", &["eye", "i4"], &["onehot"], vec![("axis", A::I(0))]))
        .node(node("Gather", &["emb", "i"], &["vec"], vec![("axis", A::I(0))]))
        .node(node("Flatten", &["listed"], &["l2"], vec![]))
        .node(node("Flatten", &["onehot"], &["o2"], vec![]))
        .node(node("Flatten", &["vec"], &["e2"], vec![]))
        .node(node("Concat", &["l2", "o2", "e2"], &["y"], vec![("axis", A::I(1))]));
    g.outputs = vec![value_info("y", &[Some(1), Some(7)])];
    let m = import(&g);
    // Indices in [-4, 4) keep every table in range (the one-hot's after Min with 4... ≤ 3.99).
    let inputs: Vec<Vec<f64>> =
        [-4.0, -3.5, -1.0, -step(), 0.0, 0.75, 1.0, 2.0, 2.999, 3.0, 3.5].iter().map(|v| vec![*v]).collect();
    exact(&m, &inputs);
    let c = m.compare(&[2.5]).unwrap();
    assert_eq!(c.quantized_real, vec![1.0, 0.0, 0.0, 1.0, 0.0, -3.5, 1.5]);
    let c = m.compare(&[-1.0]).unwrap();
    assert_eq!(c.quantized_real[0], 1.0, "index −1 is the last row");
}

/// A `Gather` of constants is folded at import (negative indices count from the end).
#[test]
fn a_constant_cast_to_float16_is_rounded_as_onnx_rounds_it() {
    // 1 + 3·2^-12 is on the grid; as a float16 (step 2^-10 in [1, 2)) it is 1 + 2^-10.
    let g = scalars(&["x"])
        .init(tensor("c", &[], &[(1.0 + 3.0 * step()) as f32]))
        .node(node("Cast", &["c"], &["c16"], vec![("to", A::I(FLOAT16))]))
        .node(node("Cast", &["c16"], &["cf"], vec![("to", A::I(FLOAT))]))
        .node(node("Add", &["x", "cf"], &["y"], vec![]));
    let m = import(&g);
    let inputs: Vec<Vec<f64>> = around(0.0).into_iter().map(|x| vec![x]).collect();
    exact(&m, &inputs);
    assert_eq!(m.compare(&[0.0]).unwrap().quantized_real, vec![1.0 + 4.0 * step()]);
}

#[test]
fn gather_of_constants_is_folded() {
    let mut g = Graph::new(4)
        .init(tensor("t", &[3, 2], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
        .init(common::ints("i", &[-1, 0]))
        .node(node("Gather", &["t", "i"], &["rows"], vec![("axis", A::I(0))]))
        .node(node("Gather", &["rows", "i"], &["corners"], vec![("axis", A::I(1))]))
        .node(node("Reshape", &["corners", "shape"], &["flat"], vec![]))
        .init(common::ints("shape", &[1, 4]))
        .node(node("Add", &["x", "flat"], &["y"], vec![]));
    g.outputs = vec![value_info("y", &[Some(1), Some(4)])];
    let m = import(&g);
    assert_eq!(common::ops(&m), vec!["Dense"]);
    // rows = [[5, 6], [1, 2]]; corners = rows[:, [−1, 0]] = [[6, 5], [2, 1]].
    assert_eq!(m.compare(&[0.5; 4]).unwrap().quantized_real, vec![6.5, 5.5, 2.5, 1.5]);
    exact(&m, &[vec![0.5, 0.0, -1.0, 2.0], vec![-3.0; 4]]);
}

/// A rule graph that ends in ArgMax over `[deny, approve]` scores decides by the argmax.
#[test]
fn argmax_of_booleans_is_the_decision() {
    let mut g = scalars(&["x"])
        .init(tensor("limit", &[], &[0.5]))
        .node(node("LessOrEqual", &["x", "limit"], &["ok"], vec![]))
        .node(node("Not", &["ok"], &["bad"], vec![]))
        .node(node("Cast", &["ok"], &["okf"], vec![("to", A::I(FLOAT))]))
        .node(node("Cast", &["bad"], &["badf"], vec![("to", A::I(FLOAT))]))
        .node(node("Concat", &["badf", "okf"], &["scores"], vec![("axis", A::I(1))]))
        .node(node("ArgMax", &["scores"], &["y"], vec![("axis", A::I(1)), ("keepdims", A::I(0))]));
    g.outputs = vec![value_info("y", &[Some(1)])];
    let m = import(&g);
    assert!(matches!(m.model.layers.last(), Some(Layer::ArgMax)), "{:?}", m.model.layers);
    assert!(matches!(m.decision, DecisionSpec::ArgMax { .. }), "{:?}", m.decision);
    for (x, approve) in [(0.5, true), (0.5 + step(), false), (-3.0, true), (3.0, false)] {
        let c = m.compare(&[x]).unwrap();
        assert_eq!(c.quantized_real, vec![if approve { 1.0 } else { 0.0 }], "{x}");
        assert_eq!(c.float_verdict, c.quantized_verdict);
    }
}

fn refused(g: &Graph) -> String {
    load_onnx_bytes("test", &g.bytes(), &ImportOptions::default()).map(|_| ()).unwrap_err().to_string()
}

#[test]
fn forms_without_an_exact_integer_form_are_refused_with_the_alternative() {
    // Where with a computed branch would need a product of two computed values.
    let g = scalars(&["x"])
        .init(tensor("zero", &[], &[0.0]))
        .node(node("Greater", &["x", "zero"], &["c"], vec![]))
        .node(node("Where", &["c", "x", "zero"], &["y"], vec![]));
    let e = refused(&g);
    assert!(e.contains("y_node") && e.contains("Where with constant branches is"), "{e}");
    // A lookup in a computed table.
    let g = scalars(&["x"]).init(common::ints("i", &[0])).node(node(
        "Gather",
        &["x", "i"],
        &["y"],
        vec![("axis", A::I(1))],
    ));
    let e = refused(&g);
    assert!(e.contains("y_node") && e.contains("table") && e.contains("constant"), "{e}");
    // Gather along another axis than 0 of a constant table.
    let g = scalars(&["x"])
        .init(tensor("t", &[2, 2], &[1.0, 2.0, 3.0, 4.0]))
        .node(node("Cast", &["x"], &["i"], vec![("to", A::I(INT64))]))
        .node(node("Gather", &["t", "i"], &["y"], vec![("axis", A::I(1))]));
    let e = refused(&g);
    assert!(e.contains("y_node") && e.contains("only axis 0"), "{e}");
    // A table beyond 4096 rows.
    let big = vec![0.0; 4097];
    let g = scalars(&["x"])
        .init(tensor("t", &[4097], &big))
        .node(node("Cast", &["x"], &["i"], vec![("to", A::I(INT64))]))
        .node(node("Gather", &["t", "i"], &["y"], vec![]));
    let e = refused(&g);
    assert!(e.contains("y_node") && e.contains("4097 rows; 1..=4096"), "{e}");
    // A constant index outside the table.
    let g = scalars(&["x"])
        .init(tensor("t", &[2], &[1.0, 2.0]))
        .init(common::ints("i", &[2]))
        .node(node("Gather", &["t", "i"], &["g"], vec![]))
        .node(node("Add", &["x", "g"], &["y"], vec![]));
    let e = refused(&g);
    assert!(e.contains("g_node") && e.contains("index 2 is outside [-2, 2)"), "{e}");
    // Max of three values.
    let g = scalars(&["x"]).init(tensor("a", &[], &[1.0])).init(tensor("b", &[], &[2.0])).node(node(
        "Max",
        &["x", "a", "b"],
        &["y"],
        vec![],
    ));
    let e = refused(&g);
    assert!(e.contains("y_node") && e.contains("one or two"), "{e}");
    // An integer cast that is not a Gather index.
    let g = scalars(&["x"]).node(node("Cast", &["x"], &["y"], vec![("to", A::I(INT64))]));
    let e = refused(&g);
    assert!(e.contains("y_node") && e.contains("integer casts feeding Gather indices"), "{e}");
    // A float16 cast of a computed value would round it to 11 significant bits.
    let g = scalars(&["x"]).node(node("Cast", &["x"], &["y"], vec![("to", A::I(FLOAT16))]));
    let e = refused(&g);
    assert!(e.contains("y_node") && e.contains("Float16") && e.contains("11 significant bits"), "{e}");
}

/// One graph with every op (a comparison of two values, of a value with a
/// constant, a lookup, And, Or, Xor, Not, Where, Max, Min, Abs) proves and
/// verifies, and the verified decision is the float one.
#[test]
fn a_graph_of_every_op_proves_and_verifies() {
    let g = scalars(&["a", "b", "v"])
        .init(tensor("allow", &[4], &[0.0, 1.0, 0.0, 1.0]))
        .init(tensor("one", &[], &[1.0]))
        .init(tensor("two", &[], &[2.0]))
        .init(tensor("yes", &[], &[1.0]))
        .init(tensor("no", &[], &[0.0]))
        .node(node("Less", &["a", "b"], &["lt"], vec![]))
        .node(node("Abs", &["a"], &["abs"], vec![]))
        .node(node("Max", &["abs", "b"], &["mx"], vec![]))
        .node(node("Min", &["mx", "two"], &["mn"], vec![]))
        .node(node("GreaterOrEqual", &["mn", "one"], &["big"], vec![]))
        .node(node("Cast", &["v"], &["i"], vec![("to", A::I(INT64))]))
        .node(node("Gather", &["allow", "i"], &["listed"], vec![]))
        .node(node("Cast", &["listed"], &["lb"], vec![("to", A::I(BOOL))]))
        .node(node("Xor", &["lt", "big"], &["x1"], vec![]))
        .node(node("Not", &["x1"], &["n1"], vec![]))
        .node(node("Or", &["n1", "lb"], &["o1"], vec![]))
        .node(node("And", &["o1", "big"], &["ok"], vec![]))
        .node(node("Where", &["ok", "yes", "no"], &["y"], vec![]));
    let m = import(&g);
    assert!(m.provable().is_ok(), "{:?}", m.provable());
    let visibility = InputVisibility::parse("all-private", m.model.input_len).unwrap();
    let (pk, vk) = policy::setup(&m.model, &visibility, &m.names).unwrap();
    let mut decisions = [0, 0];
    for a in [-1.5, 0.5, 1.5] {
        for b in [-0.5, 1.0, 3.0] {
            for v in [0.0, 1.0, 2.0, 3.0] {
                let x = [a, b, v];
                let c = m.compare(&x).unwrap();
                assert_eq!(c.float_outputs, c.quantized_real, "{x:?}");
                let proof = policy::prove(&pk, &c.input.values, None).unwrap();
                let proof = PolicyProof::from_bytes(&proof.to_bytes()).unwrap();
                let verified = policy::verify(&vk, &proof, None).unwrap();
                assert_eq!(verified.verdict, c.float_verdict, "{x:?}");
                decisions[(verified.verdict == Verdict::Approve) as usize] += 1;
            }
        }
    }
    assert!(decisions[0] > 0 && decisions[1] > 0, "both decisions occur: {decisions:?}");
}
