//! Fuzzing every decoder of `zkpolicy_core` (issue 12 §6): binary and JSON proofs,
//! verifier and proving keys, Spartan keys and proofs, the R1CS encoding, the model
//! codec, visibility encodings and specs, hex scalars. Seeds are keys and proofs of
//! small hand-made models, built at run time; see `fuzz/mod.rs` for the engine and
//! the environment variables. `scripts/fuzz.sh` runs this in release with ~10^6 inputs.
//!
//! ```sh
//! ZKPOLICY_FUZZ_CASES=20000 cargo test -p zkpolicy-core --release --test fuzz_decoders -- --nocapture
//! ```

mod fuzz;

use fuzz::targets::{standard_targets, ModelSpec, Pool};
use zkpolicy_core::frontend::model::lanes::LaneOp;
use zkpolicy_core::frontend::model::piecewise::{Approximated, Piecewise};
use zkpolicy_core::frontend::model::softmax;
use zkpolicy_core::frontend::model::trees::{Child, Split, Tree, TreeEnsemble};
use zkpolicy_core::frontend::model::{Decision, Layer, Model};

#[global_allocator]
static ALLOC: fuzz::Counting = fuzz::Counting;

/// Inputs when `ZKPOLICY_FUZZ_CASES` is unset: a few seconds in a debug build.
const DEFAULT_CASES: u64 = 20_000;

fn models() -> Vec<ModelSpec> {
    // 3 → 4 (ReLU) → 1 (Sigmoid), threshold decision.
    let tiny = Model {
        scale_bits: 8,
        input_len: 3,
        input_bound: 1 << 12,
        input_domains: Default::default(),
        layers: vec![
            Layer::Dense {
                in_dim: 3,
                out_dim: 4,
                weights: vec![256, -128, -128, -256, 256, 0, 64, 64, 64, 0, 0, -300],
                bias: vec![0, 1 << 14, -(1 << 10), 5],
            },
            Layer::Relu,
            Layer::Dense { in_dim: 4, out_dim: 1, weights: vec![512, -512, 100, -7], bias: vec![-(1 << 12)] },
            Layer::Sigmoid,
        ],
        decision: Decision::Threshold { index: 0, threshold: 128 },
    };
    // 2 → 3 (LeakyReLU, Clip) → 2 (Softmax), labelled argmax decision.
    let labels = Model {
        scale_bits: 8,
        input_len: 2,
        input_bound: 1 << 10,
        input_domains: Default::default(),
        layers: vec![
            Layer::Dense { in_dim: 2, out_dim: 3, weights: vec![1, -2, 300, -700, 0, 5], bias: vec![-1, 0, 1 << 12] },
            Layer::LeakyRelu { alpha: 25 },
            Layer::Clip { min: -256, max: 256 },
            Layer::Dense { in_dim: 3, out_dim: 2, weights: vec![1, 2, 3, 4, 5, 6], bias: vec![0, 0] },
            Layer::Softmax,
        ],
        decision: Decision::ArgMax { labels: vec!["allow".into(), "block".into()] },
    };
    // 1 → 1 (Tanh), the smallest circuit.
    let single = Model {
        scale_bits: 4,
        input_len: 1,
        input_bound: 100,
        input_domains: Default::default(),
        layers: vec![Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![16], bias: vec![3] }, Layer::Tanh],
        decision: Decision::Threshold { index: 0, threshold: 0 },
    };
    // 4 → 3, ArgMax as the last layer, unlabelled.
    let argmax = Model {
        scale_bits: 6,
        input_len: 4,
        input_bound: 1 << 8,
        input_domains: Default::default(),
        layers: vec![
            Layer::Dense {
                in_dim: 4,
                out_dim: 3,
                weights: (0..12).map(|i| i * 7 - 40).collect(),
                bias: vec![1, -1, 0],
            },
            Layer::ArgMax,
        ],
        decision: Decision::ArgMax { labels: vec![] },
    };
    // A rule: lanes of every kind on the inputs, a sum, a comparison of the sum.
    let rule = Model {
        scale_bits: 4,
        input_len: 3,
        input_bound: 1 << 10,
        input_domains: Default::default(),
        layers: vec![
            Layer::Lanes { ops: vec![LaneOp::AtLeast(-16), LaneOp::Equal(48), LaneOp::Relu] },
            Layer::Dense { in_dim: 3, out_dim: 2, weights: vec![16, 16, 0, 0, -16, 16], bias: vec![0, 256] },
            Layer::Lanes { ops: vec![LaneOp::Below(24), LaneOp::NotEqual(0)] },
            Layer::Dense { in_dim: 2, out_dim: 1, weights: vec![16, 16], bias: vec![0] },
            Layer::Lanes { ops: vec![LaneOp::Pass] },
        ],
        decision: Decision::Threshold { index: 0, threshold: 16 },
    };
    // A tree ensemble after a Dense: two trees, two outputs, a shared threshold.
    let split = |feature, threshold, left, right| Split { feature, threshold, left, right };
    let forest = Model {
        scale_bits: 4,
        input_len: 2,
        input_bound: 1 << 10,
        input_domains: Default::default(),
        layers: vec![
            Layer::Dense { in_dim: 2, out_dim: 2, weights: vec![16, -16, 8, 8], bias: vec![0, 64] },
            Layer::Trees(TreeEnsemble {
                outputs: 2,
                trees: vec![
                    Tree {
                        splits: vec![
                            split(0, 12, Child::Split(1), Child::Leaf(2)),
                            split(1, -3, Child::Leaf(0), Child::Leaf(1)),
                        ],
                        leaves: vec![16, 0, -8, 8, 0, 32],
                    },
                    Tree { splits: vec![split(0, 12, Child::Leaf(0), Child::Leaf(1))], leaves: vec![1, 2, 3, 4] },
                ],
                base: vec![-5, 5],
            }),
            Layer::Softmax,
        ],
        decision: Decision::ArgMax { labels: vec!["allow".into(), "block".into()] },
    };
    // Hidden tanh and GELU, proved as their piecewise-linear approximations, and an
    // approximated exp in the head (tails of slope 0 and 1, constants up to e^4·2^12).
    let hidden_piecewise = Model {
        scale_bits: 6,
        input_len: 2,
        input_bound: 1 << 8,
        input_domains: Default::default(),
        layers: vec![
            Layer::Dense { in_dim: 2, out_dim: 2, weights: vec![64, -32, 16, 48], bias: vec![0, 1 << 10] },
            Layer::Piecewise(Piecewise::approximate(Approximated::Tanh, 6)),
            Layer::Dense { in_dim: 2, out_dim: 2, weights: vec![64, 32, -16, 40], bias: vec![0, -(1 << 10)] },
            Layer::Piecewise(Piecewise::approximate(Approximated::Gelu, 6)),
            Layer::Dense { in_dim: 2, out_dim: 1, weights: vec![64, -64], bias: vec![0] },
            Layer::Piecewise(Piecewise::approximate(Approximated::Exp { top: 4 }, 6)),
        ],
        decision: Decision::Threshold { index: 0, threshold: 64 },
    };
    // A softmax inside the network, proved (its exponential piecewise linear, its
    // division exact): hostile exponentials in its bytes must be refused.
    let hidden_softmax = Model {
        scale_bits: 6,
        input_len: 2,
        input_bound: 1 << 8,
        input_domains: Default::default(),
        layers: vec![
            Layer::Dense { in_dim: 2, out_dim: 3, weights: vec![64, -32, 16, 48, -8, 0], bias: vec![0, 1 << 10, -5] },
            Layer::PiecewiseSoftmax(softmax::exp_table(6)),
            Layer::Dense { in_dim: 3, out_dim: 1, weights: vec![64, -64, 32], bias: vec![0] },
            Layer::Sigmoid,
        ],
        decision: Decision::Threshold { index: 0, threshold: 32 },
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        ModelSpec {
            name: "hidden_softmax".into(),
            model: hidden_softmax,
            specs: s(&["all-private", "public=0"]),
            inputs: vec![vec![10, -200], vec![-256, 256]],
        },
        ModelSpec {
            name: "hidden_piecewise".into(),
            model: hidden_piecewise,
            specs: s(&["all-private"]),
            inputs: vec![vec![10, -200], vec![-256, 256]],
        },
        ModelSpec {
            name: "forest".into(),
            model: forest,
            specs: s(&["all-private", "public=1"]),
            inputs: vec![vec![10, -700], vec![-1024, 1024]],
        },
        ModelSpec {
            name: "rule".into(),
            model: rule,
            specs: s(&["all-private", "public=2,committed=0"]),
            inputs: vec![vec![48, 48, -5], vec![-1000, 3, 1000]],
        },
        ModelSpec {
            name: "tiny".into(),
            model: tiny,
            specs: s(&["all-public", "public=0", "public=0,committed=1..3"]),
            inputs: vec![vec![256, 0, 10], vec![0, 256, 256]],
        },
        ModelSpec {
            name: "labels".into(),
            model: labels,
            specs: s(&["all-private", "committed=0"]),
            inputs: vec![vec![100, -50], vec![-300, 400]],
        },
        ModelSpec {
            name: "single".into(),
            model: single,
            specs: s(&["all-committed"]),
            inputs: vec![vec![5], vec![-5]],
        },
        ModelSpec {
            name: "argmax".into(),
            model: argmax,
            specs: s(&["public=1"]),
            inputs: vec![vec![1, 2, 3, 4], vec![-200, 0, 255, -1]],
        },
    ]
}

#[test]
fn fuzz_decoders() {
    let cfg = fuzz::Config::from_env(DEFAULT_CASES);
    // One-time allocations (generator tables up to 2^10 points) before anything is measured.
    let _ = zkpolicy_core::snark::pedersen::generators::message_generators(1 << 10);
    let pool = Pool::build(&models(), 42);
    pool.print_summary("shared");
    let targets = standard_targets(&pool, "", 1, 1);
    assert!(fuzz::run("shared", &targets, &cfg), "fuzzing found failures (see the report above)");
}
