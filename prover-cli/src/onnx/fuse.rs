//! GELU written out with `Erf`, read as one `Gelu` node.
//!
//! Below opset 20 ONNX has no `Gelu`, and PyTorch exports `nn.GELU()` as
//! `x·(1 + erf(x/√2))·0.5`: `Div(x, √2)` (or `Mul` by `1/√2`), `Erf`,
//! `Add(·, 1)`, `Mul` by `x`, then `Mul` by `0.5`, or with the `0.5` applied to `x`
//! first (`(x·0.5)·(1 + erf(x/√2))`, as some hand-written GELUs do). Each such
//! group of five nodes becomes one `Gelu` node (`approximate="none"`) computing the
//! same function, before anything else reads the graph, so the import and the
//! float reference (tract) both see the `Gelu`. A group matches only when every
//! constant is a scalar within `1e-6` (relative) of its value, and every
//! intermediate value is read by the next node of the group alone (not by another
//! node, not a graph output); anything else is left as it is (and its `Erf` is
//! then refused, naming the alternatives).

use std::collections::HashMap;

use tract_onnx::pb;

use super::graph::load_tensor;

/// The nodes of one matched group, by index, and the value `x` it reads.
struct Group {
    /// Indices of the group's nodes in the graph: the division, the Erf, the Add, then
    /// the two products.
    nodes: Vec<usize>,
    /// The GELU's input.
    x: String,
    /// The group's output (the last node's).
    output: String,
}

/// The graph's scalar constants (initializers and `Constant` nodes), by name; a
/// tensor that cannot be read as numbers is left out (it matches no group).
fn scalars(graph: &pb::GraphProto, dir: Option<&str>) -> HashMap<String, f64> {
    let mut out = HashMap::new();
    let scalar = |name: &str, t: &pb::TensorProto| -> Option<f64> {
        if t.dims.iter().product::<i64>() != 1 {
            return None;
        }
        load_tensor(t, name, dir).ok()?.iter().next().copied()
    };
    for t in &graph.initializer {
        if let Some(v) = scalar(&t.name, t) {
            out.insert(t.name.clone(), v);
        }
    }
    for node in graph.node.iter().filter(|n| is_op(n, "Constant")) {
        let Some(name) = node.output.first() else { continue };
        for a in &node.attribute {
            let v = match (a.name.as_str(), &a.t) {
                ("value", Some(t)) => scalar(name, t),
                ("value_float", _) => Some(f64::from(a.f)),
                _ => None,
            };
            if let Some(v) = v {
                out.insert(name.clone(), v);
            }
        }
    }
    out
}

fn is_op(node: &pb::NodeProto, op: &str) -> bool {
    node.op_type == op && (node.domain.is_empty() || node.domain == "ai.onnx")
}

/// Whether `v` is within `1e-6` (relative) of `target`.
fn near(v: Option<&f64>, target: f64) -> bool {
    v.is_some_and(|v| (v - target).abs() <= 1e-6 * target.abs())
}

/// Replaces every `x·0.5·(1 + erf(x/√2))` group of `proto` by one `Gelu` node.
/// Returns a note naming the nodes read as each `Gelu`.
pub(super) fn fuse_erf_gelu(proto: &mut pb::ModelProto, dir: Option<&str>) -> Vec<String> {
    let Some(graph) = proto.graph.as_mut() else { return Vec::new() };
    if !graph.node.iter().any(|n| is_op(n, "Erf")) {
        return Vec::new();
    }
    let constants = scalars(graph, dir);
    let groups = match_groups(graph, &constants);
    let mut notes = Vec::new();
    let mut remove = vec![false; graph.node.len()];
    let mut replace: HashMap<usize, pb::NodeProto> = HashMap::new();
    for g in groups {
        // `nodes[1]` is the Erf, which names the Gelu; the note lists the nodes in graph order.
        let erf = node_name(&graph.node[g.nodes[1]], g.nodes[1]);
        let mut order = g.nodes.clone();
        order.sort_unstable();
        let names: Vec<String> = order.iter().map(|i| node_name(&graph.node[*i], *i)).collect();
        let last = order[order.len() - 1];
        for i in &g.nodes {
            remove[*i] = true;
        }
        let gelu = pb::NodeProto {
            op_type: "Gelu".into(),
            name: erf.clone(),
            input: vec![g.x],
            output: vec![g.output],
            ..Default::default()
        };
        notes.push(format!(
            "nodes {} compute x·0.5·(1 + erf(x/√2)): read as one Gelu `{erf}`",
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
        ));
        replace.insert(last, gelu);
    }
    let nodes = std::mem::take(&mut graph.node);
    graph.node = nodes
        .into_iter()
        .enumerate()
        .filter_map(|(i, n)| if remove[i] { replace.remove(&i) } else { Some(n) })
        .collect();
    notes
}

fn node_name(node: &pb::NodeProto, i: usize) -> String {
    if node.name.is_empty() {
        format!("{}#{i}", node.op_type)
    } else {
        node.name.clone()
    }
}

/// The groups of `graph` (see the module documentation), each node in one group at most.
fn match_groups(graph: &pb::GraphProto, constants: &HashMap<String, f64>) -> Vec<Group> {
    let nodes = &graph.node;
    // Who reads each value (graph outputs count as readers too).
    let mut readers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        for input in n.input.iter().filter(|s| !s.is_empty()) {
            readers.entry(input.as_str()).or_default().push(i);
        }
    }
    let outputs: Vec<&str> = graph.output.iter().map(|o| o.name.as_str()).collect();
    let producer: HashMap<&str, usize> =
        nodes.iter().enumerate().flat_map(|(i, n)| n.output.iter().map(move |o| (o.as_str(), i))).collect();
    // The only reader of `value` (a node index), if it is read by one node and is no graph output.
    let sole_reader = |value: &str| -> Option<usize> {
        match readers.get(value).map(Vec::as_slice) {
            Some([i]) if !outputs.contains(&value) => Some(*i),
            _ => None,
        }
    };
    let constant = |name: &str| constants.get(name);
    // For a binary node: the other input when one of its two inputs is `value`.
    let other = |n: &pb::NodeProto, value: &str| -> Option<String> {
        match n.input.as_slice() {
            [a, b] if a == value => Some(b.clone()),
            [a, b] if b == value => Some(a.clone()),
            _ => None,
        }
    };
    let single_output = |n: &pb::NodeProto| -> Option<String> {
        match n.output.as_slice() {
            [o] => Some(o.clone()),
            _ => None,
        }
    };
    let mut used = vec![false; nodes.len()];
    let mut groups = Vec::new();
    for (e, erf) in nodes.iter().enumerate() {
        if !is_op(erf, "Erf") || erf.input.len() != 1 {
            continue;
        }
        let found = (|| {
            // x/√2 (Div by √2, or Mul by 1/√2 in either order).
            let scaled = erf.input[0].as_str();
            let d = *producer.get(scaled)?;
            let div = &nodes[d];
            sole_reader(scaled).filter(|r| *r == e)?;
            let x = if is_op(div, "Div") && div.input.len() == 2 && near(constant(&div.input[1]), 2f64.sqrt()) {
                div.input[0].clone()
            } else if is_op(div, "Mul") && div.input.len() == 2 {
                let (a, b) = (&div.input[0], &div.input[1]);
                if near(constant(b), 0.5f64.sqrt()) {
                    a.clone()
                } else if near(constant(a), 0.5f64.sqrt()) {
                    b.clone()
                } else {
                    return None;
                }
            } else {
                return None;
            };
            if constant(&x).is_some() {
                return None;
            }
            // 1 + erf.
            let erf_out = single_output(erf)?;
            let a = sole_reader(&erf_out)?;
            let add = &nodes[a];
            if !is_op(add, "Add") || !near(constant(&other(add, &erf_out)?), 1.0) {
                return None;
            }
            // Times x, then 0.5; or times (x·0.5).
            let sum = single_output(add)?;
            let m = sole_reader(&sum)?;
            let mul = &nodes[m];
            if !is_op(mul, "Mul") {
                return None;
            }
            let factor = other(mul, &sum)?;
            let product = single_output(mul)?;
            if factor == x {
                let h = sole_reader(&product)?;
                let half = &nodes[h];
                if !is_op(half, "Mul") || !near(constant(&other(half, &product)?), 0.5) {
                    return None;
                }
                return Some(Group { nodes: vec![d, e, a, m, h], x, output: single_output(half)? });
            }
            let h = *producer.get(factor.as_str())?;
            let half = &nodes[h];
            sole_reader(&factor).filter(|r| *r == m)?;
            if !is_op(half, "Mul") || !near(constant(&other(half, &x)?), 0.5) {
                return None;
            }
            Some(Group { nodes: vec![d, e, a, m, h], x, output: product })
        })();
        if let Some(g) = found.filter(|g| g.nodes.iter().all(|i| !used[*i])) {
            for i in &g.nodes {
                used[*i] = true;
            }
            groups.push(g);
        }
    }
    groups
}
