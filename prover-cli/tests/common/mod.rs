//! Hand-built ONNX models for the tests (tract-onnx's protobuf types + prost),
//! the error bound used to compare the quantized model with tract, and running
//! the `zkpolicy` binary.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::Path;
use std::process::{Command, Output};

use prost::Message;
use tract_onnx::pb::{
    self, attribute_proto::AttributeType, tensor_proto::DataType, tensor_shape_proto::dimension::Value as Dim,
    type_proto,
};
use zkpolicy::onnx::ImportedModel;
use zkpolicy::{load_onnx_bytes, ImportOptions};
use zkpolicy_core::frontend::model::Layer;

/// An attribute value.
pub(crate) enum A {
    I(i64),
    F(f32),
    Ints(Vec<i64>),
    T(Box<pb::TensorProto>),
    S(&'static str),
}

/// A node: op, inputs, outputs, attributes. The node is named after its first output.
pub(crate) fn node(op: &str, inputs: &[&str], outputs: &[&str], attrs: Vec<(&str, A)>) -> pb::NodeProto {
    pb::NodeProto {
        op_type: op.into(),
        name: format!("{}_node", outputs[0]),
        input: inputs.iter().map(|s| s.to_string()).collect(),
        output: outputs.iter().map(|s| s.to_string()).collect(),
        attribute: attrs
            .into_iter()
            .map(|(name, a)| {
                let mut p = pb::AttributeProto { name: name.into(), ..Default::default() };
                match a {
                    A::I(i) => {
                        p.i = i;
                        p.r#type = AttributeType::Int as i32;
                    }
                    A::F(f) => {
                        p.f = f;
                        p.r#type = AttributeType::Float as i32;
                    }
                    A::Ints(v) => {
                        p.ints = v;
                        p.r#type = AttributeType::Ints as i32;
                    }
                    A::T(t) => {
                        p.t = Some(*t);
                        p.r#type = AttributeType::Tensor as i32;
                    }
                    A::S(v) => {
                        p.s = v.as_bytes().to_vec();
                        p.r#type = AttributeType::String as i32;
                    }
                }
                p
            })
            .collect(),
        ..Default::default()
    }
}

/// A float32 initializer.
pub(crate) fn tensor(name: &str, dims: &[i64], data: &[f32]) -> pb::TensorProto {
    pb::TensorProto {
        name: name.into(),
        dims: dims.to_vec(),
        data_type: DataType::Float as i32,
        float_data: data.to_vec(),
        ..Default::default()
    }
}

/// A float64 initializer.
pub(crate) fn tensor64(name: &str, dims: &[i64], data: &[f64]) -> pb::TensorProto {
    pb::TensorProto {
        name: name.into(),
        dims: dims.to_vec(),
        data_type: DataType::Double as i32,
        double_data: data.to_vec(),
        ..Default::default()
    }
}

/// A scalar bool initializer.
pub(crate) fn boolean(name: &str, value: bool) -> pb::TensorProto {
    pb::TensorProto {
        name: name.into(),
        dims: vec![],
        data_type: DataType::Bool as i32,
        int32_data: vec![value as i32],
        ..Default::default()
    }
}

/// An int64 initializer (shapes, axes).
pub(crate) fn ints(name: &str, data: &[i64]) -> pb::TensorProto {
    pb::TensorProto {
        name: name.into(),
        dims: vec![data.len() as i64],
        data_type: DataType::Int64 as i32,
        int64_data: data.to_vec(),
        ..Default::default()
    }
}

/// A dimension: `Some(n)` fixed, `None` symbolic ("batch"). Float32.
pub(crate) fn value_info(name: &str, dims: &[Option<i64>]) -> pb::ValueInfoProto {
    typed_value_info(name, dims, DataType::Float)
}

/// [`value_info`] of another element type.
pub(crate) fn typed_value_info(name: &str, dims: &[Option<i64>], elem: DataType) -> pb::ValueInfoProto {
    let dim = dims
        .iter()
        .map(|d| pb::tensor_shape_proto::Dimension {
            value: Some(match d {
                Some(n) => Dim::DimValue(*n),
                None => Dim::DimParam("batch".into()),
            }),
            ..Default::default()
        })
        .collect();
    pb::ValueInfoProto {
        name: name.into(),
        r#type: Some(pb::TypeProto {
            value: Some(type_proto::Value::TensorType(type_proto::Tensor {
                elem_type: elem as i32,
                shape: Some(pb::TensorShapeProto { dim }),
            })),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A model under construction.
#[derive(Clone)]
pub(crate) struct Graph {
    pub opset: i64,
    pub inputs: Vec<pb::ValueInfoProto>,
    pub outputs: Vec<pb::ValueInfoProto>,
    /// Declared shapes of intermediate values (`value_info`).
    pub value_info: Vec<pb::ValueInfoProto>,
    pub nodes: Vec<pb::NodeProto>,
    pub inits: Vec<pb::TensorProto>,
    pub metadata: Vec<(String, String)>,
}

impl Graph {
    /// One input `x` of shape `[1, n]` (batch symbolic), output `y`, opset 13.
    pub(crate) fn new(n: i64) -> Self {
        Graph {
            opset: 13,
            inputs: vec![value_info("x", &[None, Some(n)])],
            outputs: vec![value_info("y", &[])],
            value_info: vec![],
            nodes: vec![],
            inits: vec![],
            metadata: vec![],
        }
    }

    pub(crate) fn node(mut self, n: pb::NodeProto) -> Self {
        self.nodes.push(n);
        self
    }

    pub(crate) fn init(mut self, t: pb::TensorProto) -> Self {
        self.inits.push(t);
        self
    }

    pub(crate) fn opset(mut self, v: i64) -> Self {
        self.opset = v;
        self
    }

    pub(crate) fn meta(mut self, k: &str, v: &str) -> Self {
        self.metadata.push((k.into(), v.into()));
        self
    }

    pub(crate) fn bytes(&self) -> Vec<u8> {
        let model = pb::ModelProto {
            ir_version: 8,
            opset_import: vec![pb::OperatorSetIdProto { domain: String::new(), version: self.opset }],
            producer_name: "zkpolicy-tests".into(),
            metadata_props: self
                .metadata
                .iter()
                .map(|(k, v)| pb::StringStringEntryProto { key: k.clone(), value: v.clone() })
                .collect(),
            graph: Some(pb::GraphProto {
                name: "g".into(),
                node: self.nodes.clone(),
                initializer: self.inits.clone(),
                input: self.inputs.clone(),
                output: self.outputs.clone(),
                value_info: self.value_info.clone(),
                ..Default::default()
            }),
            ..Default::default()
        };
        model.encode_to_vec()
    }

    /// Writes the model to a fresh temporary file and returns its path.
    pub(crate) fn write(&self, name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("zkpolicy-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.onnx"));
        std::fs::write(&path, self.bytes()).unwrap();
        path
    }
}

/// Deterministic pseudo-random numbers in [-1, 1) (xorshift), for weights and inputs.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub(crate) fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }

    pub(crate) fn vec(&mut self, n: usize, scale: f32) -> Vec<f32> {
        (0..n).map(|_| self.next() * scale).collect()
    }
}

/// Error bound of one quantized `Dense` layer (then any 1-Lipschitz op, whose own
/// rounding adds at most 2^-(s+1)) against the exact real result, at scale 2^-s:
///
/// |Δy| ≤ 2^-(s+1)·(Σ_i|w_i| + Σ_i|x_i| + 2) + 2^-(s+1) + float32 slack,
///
/// from the input rounding (|Δx_i| ≤ 2^-(s+1), times |w_i|), the weight rounding
/// (|Δw_i| ≤ 2^-(s+1), times |x_i|), the bias and the product of the two roundings
/// (≤ 2^-(s+1) for n ≤ 2^s), the requantization (≤ 2^-(s+1)) and the nonlinearity's
/// rounding. `max_row_abs` is the largest Σ|w| over output rows (after folding).
pub(crate) fn dense_bound(s: u32, max_row_abs: f64, x: &[f64], y_scale: f64) -> f64 {
    let u = 0.5 / (1u64 << s) as f64;
    let sum_x: f64 = x.iter().map(|v| v.abs()).sum();
    u * (max_row_abs + sum_x + 2.0) + u + 1e-5 * (1.0 + y_scale)
}

pub(crate) const S: u32 = zkpolicy_core::frontend::model::DEFAULT_SCALE_BITS;

pub(crate) fn import(g: &Graph) -> ImportedModel {
    load_onnx_bytes("test", &g.bytes(), &ImportOptions::default()).unwrap_or_else(|e| panic!("import failed: {e}"))
}

pub(crate) fn ops(m: &ImportedModel) -> Vec<&'static str> {
    m.model.layers.iter().map(Layer::name).collect()
}

/// Largest Σ_i |w_ji| over the rows of the (single) Dense layer, in real units.
pub(crate) fn max_row_abs(m: &ImportedModel) -> f64 {
    let dense = m.model.layers.iter().find_map(|l| match l {
        Layer::Dense { in_dim, weights, .. } => Some((in_dim, weights)),
        _ => None,
    });
    let (in_dim, w) = dense.expect("a Dense layer");
    w.chunks(*in_dim).map(|r| r.iter().map(|v| v.unsigned_abs() as f64).sum::<f64>()).fold(0.0, f64::max)
        / (1u64 << S) as f64
}

/// Imports `g`, checks the layer chain, and compares quantized and float outputs on
/// 40 pseudo-random inputs in [-2, 2) within the stated bound (argmax: equal indices).
pub(crate) fn check(g: &Graph, n_in: usize, layers: &[&str]) -> ImportedModel {
    let m = import(g);
    assert_eq!(ops(&m), layers);
    let w = max_row_abs(&m);
    let mut rng = Rng::new(n_in as u64 + layers.len() as u64);
    for _ in 0..40 {
        let x: Vec<f64> = rng.vec(n_in, 2.0).into_iter().map(f64::from).collect();
        let c = m.compare(&x).unwrap();
        assert_eq!(c.float_outputs.len(), c.quantized_real.len());
        if m.model.ends_in_argmax() {
            assert_eq!(c.float_outputs, c.quantized_real, "argmax index for x = {x:?}");
            continue;
        }
        for (i, (f, q)) in c.float_outputs.iter().zip(&c.quantized_real).enumerate() {
            let bound = dense_bound(S, w, &x, f.abs());
            assert!(
                (f - q).abs() <= bound,
                "output {i}: float {f} quantized {q} |err| {} > {bound} (x = {x:?})",
                (f - q).abs()
            );
        }
    }
    m
}

/// Runs the `zkpolicy` binary built for these tests with `args`.
pub(crate) fn zkpolicy_output(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkpolicy")).args(args).output().expect("the binary runs")
}

/// Runs the `zkpolicy` binary: its exit code (-1 if a signal ended it), stdout and stderr.
pub(crate) fn zkpolicy(args: &[&str]) -> (i32, String, String) {
    let out = zkpolicy_output(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// A path as a command-line argument.
pub(crate) fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The JSON a `--json` command printed.
pub(crate) fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// `models/FOLDER/FILE` of the repository.
pub(crate) fn model_file(folder: &str, file: &str) -> std::path::PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "..", "models", folder, file].iter().collect()
}

/// A committed policy of `models/FOLDER/` as a user takes it through the CLI: `NAME.onnx`
/// with the import options `import`, its labelled test set `test_set` of `rows` rows, and
/// `approve.json` and `deny.json` beside it.
pub(crate) struct Policy<'a> {
    pub folder: &'a str,
    pub name: &'a str,
    pub test_set: &'a str,
    pub rows: u64,
    pub import: &'a [&'a str],
}

/// What the CLI reported on a [`Policy`]: `inspect --json`, `fidelity --json`, and per
/// request (approve, then deny) `verify --json` of its proof.
pub(crate) struct CliReports {
    pub inspect: serde_json::Value,
    pub fidelity: serde_json::Value,
    pub verified: Vec<serde_json::Value>,
}

impl Policy<'_> {
    /// `inspect` (provable), `fidelity` on the test set (every row decided as the float
    /// model), `setup` with the test set into `dir` (which reports the same agreement),
    /// then for `approve.json` and `deny.json`: `run` (float and quantized decisions are
    /// `decisions`), `prove` and `verify` (valid, with that decision).
    pub(crate) fn through_the_cli(&self, dir: &Path, decisions: [&str; 2]) -> CliReports {
        let name = self.name;
        let (model, test_set) =
            (model_file(self.folder, &format!("{name}.onnx")), model_file(self.folder, self.test_set));
        let cli = |args: &[&str]| {
            let args: Vec<&str> = args.iter().chain(self.import).copied().collect();
            let (code, out, err) = zkpolicy(&args);
            assert_eq!(code, 0, "{name}: zkpolicy {args:?}: {out}{err}");
            out
        };
        let inspect = json(&cli(&["inspect", s(&model), "--json"]));
        assert_eq!(inspect["provable"], true, "{name}: {inspect}");
        let fidelity = json(&cli(&["fidelity", s(&model), "--test-set", s(&test_set), "--json"]));
        assert_eq!(
            (fidelity["rows"].as_u64(), fidelity["agree"].as_u64()),
            (Some(self.rows), Some(self.rows)),
            "{name}: {fidelity}"
        );
        let out = cli(&["setup", s(&model), "--out-dir", s(dir), "--test-set", s(&test_set)]);
        assert!(out.contains(&format!("agree on {0}/{0} rows", self.rows)), "{name}: {out}");
        let (pk, vk) = (dir.join(format!("{name}.pk")), dir.join(format!("{name}.vk")));
        let mut verified = Vec::new();
        for (request, decision) in ["approve", "deny"].into_iter().zip(decisions) {
            let input = model_file(self.folder, &format!("{request}.json"));
            let v = json(&cli(&["run", s(&model), "--input", s(&input), "--json"]));
            assert_eq!(
                (v["float_decision"].as_str(), v["quantized_decision"].as_str()),
                (Some(decision), Some(decision)),
                "{name}/{request}: {v}"
            );
            let proof = dir.join(format!("{name}-{request}.proof"));
            let (code, out, err) = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&input), "--out", s(&proof)]);
            assert_eq!(code, 0, "{name}/{request}: {out}{err}");
            let (code, out, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--json"]);
            assert_eq!(code, 0, "{name}/{request}: {err}");
            let v = json(&out);
            assert_eq!(
                (v["valid"].as_bool(), v["decision"].as_str()),
                (Some(true), Some(decision)),
                "{name}/{request}"
            );
            verified.push(v);
        }
        CliReports { inspect, fidelity, verified }
    }
}
