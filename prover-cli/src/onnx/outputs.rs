//! Graphs with several outputs (scikit-learn classifiers exported by skl2onnx
//! have a `label` and a `probabilities` output): choosing the output that is
//! proved, and pruning the graph to what it depends on.
//!
//! A class label is a presentation of the scores it is read from: ONNX-ML's
//! `ZipMap` turns the probabilities into a map from class label to
//! probability, and `ArrayFeatureExtractor` on a constant list of classes turns
//! an `ArgMax` index into a class label (then `Cast`/`Reshape` to the label's
//! type and shape). These presentation nodes are dropped: the tensor proved is
//! the one they present, and the class labels they name become the labels of
//! the default argmax decision.

use tract_onnx::pb::{self, type_proto};

use super::error::ImportError;
use super::graph::load_tensor;

/// The output chosen for proving.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct OutputChoice {
    /// The graph output chosen (`--output`, or the default).
    pub(super) name: String,
    /// Every graph output, in graph order, with its type (for messages and `inspect`).
    pub(super) outputs: Vec<String>,
    /// The class labels the dropped presentation nodes named (empty if none).
    pub(super) class_labels: Vec<String>,
    /// What the choice did, for the import warnings: which output was chosen among
    /// several and why, which presentation nodes were dropped (`None` for a graph
    /// with one plain output).
    pub(super) note: Option<String>,
}

/// Ops that only present a label: kept out of the proved graph.
const PRESENTATION: [&str; 8] =
    ["ZipMap", "ArrayFeatureExtractor", "Cast", "Reshape", "Identity", "Squeeze", "Unsqueeze", "Flatten"];

/// Chooses the proved output of `proto` (the one named `wanted`, else the
/// default: the only output, or the first whose values are floats, a label
/// output of integers or strings being read from it), drops the label
/// presentation nodes in front of it, and prunes the graph to the nodes it
/// depends on, with that tensor as its one output.
pub(super) fn select_output(proto: &mut pb::ModelProto, wanted: Option<&str>) -> Result<OutputChoice, ImportError> {
    let graph =
        proto.graph.as_mut().ok_or_else(|| ImportError::Format { name: "model".into(), reason: "no graph".into() })?;
    let outputs: Vec<String> = graph.output.iter().map(|o| describe(graph, o)).collect();
    let all = || outputs.join(", ");
    let chosen = match wanted {
        Some(name) => graph.output.iter().find(|o| o.name == name).ok_or_else(|| ImportError::Output {
            reason: format!("--output `{name}` is not an output of the graph; its outputs are {}", all()),
        })?,
        None => match &graph.output[..] {
            [] => return Err(ImportError::Arity { kind: "output", count: 0, names: String::new() }),
            [only] => only,
            several => several.iter().find(|o| is_scores(graph, o)).ok_or_else(|| ImportError::Output {
                reason: format!(
                    "the graph has {} outputs ({}) and none holds float scores; choose the one to prove with --output NAME",
                    several.len(),
                    all()
                ),
            })?,
        },
    }
    .clone();
    let (proved, dropped, class_labels) = strip_presentation(graph, &chosen.name)?;
    let mut note = Vec::new();
    if graph.output.len() > 1 {
        let how = if wanted.is_some() {
            "chosen by --output"
        } else {
            "the first with float values; --output NAME chooses another"
        };
        note.push(format!(
            "the graph has {} outputs ({}); proving `{}` ({how})",
            graph.output.len(),
            all(),
            chosen.name
        ));
    }
    if !dropped.is_empty() {
        note.push(format!(
            "`{}` presents tensor `{proved}` through {}, which only name the classes: `{proved}` is proved{}",
            chosen.name,
            dropped.join(", "),
            if class_labels.is_empty() { String::new() } else { format!(" (classes {})", class_labels.join(", ")) }
        ));
    }
    prune(graph, &proved, &chosen);
    Ok(OutputChoice {
        name: chosen.name,
        outputs,
        class_labels,
        note: if note.is_empty() { None } else { Some(note.join("; ")) },
    })
}

/// Whether `ZipMap` computes the output (a sequence of maps, a type that tract's
/// protobuf types do not decode).
fn from_zipmap(graph: &pb::GraphProto, o: &pb::ValueInfoProto) -> bool {
    graph.node.iter().any(|n| n.op_type == "ZipMap" && n.output.contains(&o.name))
}

/// `` `name` (type) `` for messages.
fn describe(graph: &pb::GraphProto, o: &pb::ValueInfoProto) -> String {
    let kind = match o.r#type.as_ref().and_then(|t| t.value.as_ref()) {
        Some(type_proto::Value::TensorType(t)) => match pb::tensor_proto::DataType::try_from(t.elem_type) {
            Ok(dt) => format!("{dt:?} tensor").to_lowercase(),
            Err(_) => "tensor".into(),
        },
        None if from_zipmap(graph, o) => "sequence of maps (ZipMap)".into(),
        None => "not a tensor".into(),
    };
    format!("`{}` ({kind})", o.name)
}

/// Whether an output holds float scores: a float tensor, or ZipMap's sequence of
/// maps of them.
fn is_scores(graph: &pb::GraphProto, o: &pb::ValueInfoProto) -> bool {
    use pb::tensor_proto::DataType;
    match o.r#type.as_ref().and_then(|t| t.value.as_ref()) {
        Some(type_proto::Value::TensorType(t)) => {
            matches!(DataType::try_from(t.elem_type), Ok(DataType::Float | DataType::Double | DataType::Float16))
        }
        None => from_zipmap(graph, o),
    }
}

/// Walks back from `name` over presentation nodes. If they include a `ZipMap` or
/// an `ArrayFeatureExtractor` of constant classes, they are dropped: returns the
/// tensor they present, the dropped nodes and the class labels. Otherwise
/// returns `name` itself, nothing dropped.
fn strip_presentation(graph: &pb::GraphProto, name: &str) -> Result<(String, Vec<String>, Vec<String>), ImportError> {
    let producer = |t: &str| graph.node.iter().find(|n| n.output.iter().any(|o| o == t));
    let initializer = |t: &str| graph.initializer.iter().find(|i| i.name == t);
    let mut tensor = name.to_string();
    let mut dropped = Vec::new();
    let mut labels = Vec::new();
    let mut presents_labels = false;
    while let Some(node) = producer(&tensor) {
        if node.op_type == "LinearClassifier" && node.output.first() == Some(&tensor) {
            // Its label output is the argmax of its scores output, the one proved.
            let Some(scores) = node.output.get(1).filter(|s| !s.is_empty()) else { break };
            presents_labels = true;
            labels = attr_labels(node);
            dropped.push(format!("the label output of LinearClassifier `{}` (the argmax of its scores)", node.name));
            tensor = scores.clone();
            break;
        }
        if !PRESENTATION.contains(&node.op_type.as_str()) || dropped.len() > graph.node.len() {
            break;
        }
        let input = match node.op_type.as_str() {
            "ZipMap" => {
                presents_labels = true;
                labels = attr_labels(node);
                node.input.first()
            }
            "ArrayFeatureExtractor" => {
                // Only the classes lookup (a constant table indexed by the computed value).
                let Some(classes) = node.input.first().and_then(|c| initializer(c)) else { break };
                presents_labels = true;
                labels = tensor_labels(classes)?;
                node.input.get(1)
            }
            _ => node.input.first(),
        };
        let Some(input) = input else { break };
        dropped.push(format!("{} `{}`", node.op_type, node.name));
        tensor = input.clone();
    }
    if presents_labels {
        Ok((tensor, dropped, labels))
    } else {
        Ok((name.to_string(), Vec::new(), Vec::new()))
    }
}

/// The class labels of a ZipMap or LinearClassifier (`classlabels_int64s`,
/// `classlabels_ints` or `classlabels_strings`).
fn attr_labels(node: &pb::NodeProto) -> Vec<String> {
    let attr = |n: &str| node.attribute.iter().find(|a| a.name == n);
    if let Some(a) = attr("classlabels_int64s").or_else(|| attr("classlabels_ints")).filter(|a| !a.ints.is_empty()) {
        return a.ints.iter().map(i64::to_string).collect();
    }
    attr("classlabels_strings")
        .map(|a| a.strings.iter().map(|s| String::from_utf8_lossy(s).into_owned()).collect())
        .unwrap_or_default()
}

/// The labels of a constant classes tensor (integers or strings).
fn tensor_labels(t: &pb::TensorProto) -> Result<Vec<String>, ImportError> {
    if !t.string_data.is_empty() {
        return Ok(t.string_data.iter().map(|s| String::from_utf8_lossy(s).into_owned()).collect());
    }
    let values = load_tensor(t, &format!("classes `{}`", t.name), None)?;
    Ok(values.iter().map(|v| format!("{v}")).collect())
}

/// Keeps only the nodes `proved` depends on (in file order) and makes it the one
/// graph output, typed like the chosen output when it is that output.
fn prune(graph: &mut pb::GraphProto, proved: &str, chosen: &pb::ValueInfoProto) {
    let mut needed = std::collections::HashSet::from([proved.to_string()]);
    let mut keep = vec![false; graph.node.len()];
    // To a fixed point: a file's nodes need not be sorted.
    let mut changed = true;
    while changed {
        changed = false;
        for (i, node) in graph.node.iter().enumerate().rev() {
            if !keep[i] && node.output.iter().any(|o| needed.contains(o)) {
                keep[i] = true;
                changed = true;
                needed.extend(node.input.iter().filter(|x| !x.is_empty()).cloned());
            }
        }
    }
    let mut k = keep.into_iter();
    graph.node.retain(|_| k.next().unwrap_or(false));
    let output = if chosen.name == proved {
        chosen.clone()
    } else {
        graph
            .value_info
            .iter()
            .find(|v| v.name == proved)
            .cloned()
            .unwrap_or_else(|| pb::ValueInfoProto { name: proved.to_string(), ..Default::default() })
    };
    graph.output = vec![output];
}
