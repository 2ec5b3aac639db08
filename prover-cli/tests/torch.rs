//! PyTorch policies as PyTorch's two ONNX exporters write them (issue 15), from the
//! committed files of `models/torch/` (no Python here): an MLP with two hidden tanh
//! layers and one with a hidden sigmoid layer, each through the TorchScript exporter
//! and the dynamo exporter, each with a fixed input shape and with a dynamic batch
//! axis. The hidden activations are proved as piecewise-linear approximations; every
//! export decides every row of its test set as the float model does at the default
//! scale, and goes through inspect, fidelity, setup, run, prove and verify.

mod common;

use common::{model_file, Policy};
use zkpolicy::{load_onnx, ImportOptions};
use zkpolicy_core::frontend::model::Layer;

/// The two networks: name and number of hidden nonlinear layers.
const NETWORKS: [(&str, usize); 2] = [("mlp_tanh", 2), ("mlp_sigmoid", 1)];

/// How each network was exported: the exporter, and `_batch` for a dynamic batch axis.
const EXPORTS: [&str; 4] = ["torchscript", "torchscript_batch", "dynamo", "dynamo_batch"];

fn exports() -> impl Iterator<Item = (String, &'static str, usize)> {
    NETWORKS.into_iter().flat_map(|(net, hidden)| EXPORTS.map(|e| (format!("{net}_{e}"), net, hidden)))
}

#[test]
fn every_export_goes_through_the_cli_deciding_its_whole_test_set_as_the_float_model() {
    let dir = std::env::temp_dir().join(format!("zkpolicy-torch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, net, hidden) in exports() {
        let policy = Policy { folder: "torch", name: &name, test_set: "test.jsonl", rows: 1000, import: &[] };
        let reports = policy.through_the_cli(&dir, ["approve", "deny"]);
        // The float network is exact on the rule, and so is the quantized one.
        let f = &reports.fidelity;
        assert_eq!((f["float_correct"].as_u64(), f["quantized_correct"].as_u64()), (Some(1000), Some(1000)), "{f}");
        // Dense and a piecewise-linear activation per hidden layer, all proved, then the
        // output Dense, and the final sigmoid in the verifier's head.
        let layers = reports.inspect["layers"].as_array().unwrap();
        let ops: Vec<(&str, bool)> =
            layers.iter().map(|l| (l["op"].as_str().unwrap(), l["proved"].as_bool().unwrap())).collect();
        let mut expected = [("Dense", true), ("Piecewise", true)].repeat(hidden);
        expected.extend([("Dense", true), ("Sigmoid", false)]);
        assert_eq!(ops, expected, "{name}");
        let activation = if net == "mlp_tanh" { "tanh" } else { "sigmoid" };
        assert!(layers[1]["detail"].as_str().unwrap().starts_with(&format!("piecewise-linear {activation}")), "{name}");
        for v in reports.verified {
            assert_eq!(v["input_names"].as_array().unwrap().len(), 6, "{name}: {v}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The four exports of a network import to the same integer model: the exporters
/// differ only in names, declared shapes and metadata.
#[test]
fn both_exporters_with_and_without_a_batch_axis_give_the_same_integer_model() {
    for (net, _) in NETWORKS {
        let models: Vec<_> = EXPORTS
            .iter()
            .map(|e| load_onnx(model_file("torch", &format!("{net}_{e}.onnx")), &ImportOptions::default()).unwrap())
            .collect();
        for (m, e) in models.iter().zip(EXPORTS) {
            assert_eq!(m.model, models[0].model, "{net}_{e}");
            // `[batch, 6]` is fixed to one row (and the dynamo exporter's `[batch, k]` for
            // every hidden value is bound to it, which tract refused before).
            assert_eq!(m.input_shape, [1, 6], "{net}_{e}");
            // The batch exports name their input, as export.py asks.
            assert_eq!(m.input_name == "features", e.ends_with("batch"), "{net}_{e}: {}", m.input_name);
        }
        assert!(models[0].model.body().iter().any(|l| matches!(l, Layer::Piecewise(_))), "{net}");
    }
}
