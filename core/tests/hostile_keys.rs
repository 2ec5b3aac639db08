//! Hostile keys: small key files whose circuits would be huge are refused before
//! anything is built, quickly and with little memory.
//!
//! A key holds the model and the visibility; the verifier compiles the circuit
//! from them. Parameter-free layers (stacks of ReLU) and hidden inputs cost a byte
//! or so of key each but whole decompositions in the circuit, so before the size
//! of the circuit was computed up front, a 32 KB key built millions of
//! constraints before being refused, and a 2 MB key made the verifier allocate
//! gigabytes and abort. This binary has its own counting global allocator to
//! measure the peak memory of a refusal; it has a single test so that nothing
//! else allocates meanwhile.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use zkpolicy_core::frontend::circuit::{circuit_size, CircuitError, MAX_CONSTRAINTS};
use zkpolicy_core::frontend::model::lanes::LaneOp;
use zkpolicy_core::frontend::model::piecewise::Piecewise;
use zkpolicy_core::frontend::model::softmax;
use zkpolicy_core::frontend::model::trees::{Child, Split, Tree, TreeEnsemble};
use zkpolicy_core::frontend::model::{Decision, Layer, Model};
use zkpolicy_core::frontend::visibility::{InputVisibility, Visibility};
use zkpolicy_core::policy::files::{PK_MAGIC, VK_MAGIC};
use zkpolicy_core::policy::{PolicyError, ProvingKey, VerifierKey};

mod support;

use support::{key_file, Counting, LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn model(input_len: usize, layers: Vec<Layer>) -> Model {
    Model {
        scale_bits: 12,
        input_len,
        input_bound: 1 << 20,
        input_domains: Default::default(),
        layers,
        decision: Decision::Threshold { index: 0, threshold: 0 },
    }
}

/// One public input, `Dense 1→width`, `relus` ReLU layers, `Dense width→1`: three
/// bytes of key per unit of width and one per ReLU layer.
fn relu_stack(width: usize, relus: usize) -> (Model, InputVisibility) {
    let mut layers = vec![Layer::Dense { in_dim: 1, out_dim: width, weights: vec![1; width], bias: vec![0; width] }];
    layers.extend(std::iter::repeat_n(Layer::Relu, relus));
    layers.push(Layer::Dense { in_dim: width, out_dim: 1, weights: vec![1; width], bias: vec![0] });
    (model(1, layers), InputVisibility::all(Visibility::Public, 1))
}

/// `Dense 1→width`, `layers` Lanes layers comparing every value with 0, `Dense width→1`.
fn lanes_stack(width: usize, layers: usize) -> (Model, InputVisibility) {
    let lanes = Layer::Lanes { ops: vec![LaneOp::AtLeast(0); width] };
    let mut all = vec![Layer::Dense { in_dim: 1, out_dim: width, weights: vec![1; width], bias: vec![0; width] }];
    all.extend(std::iter::repeat_n(lanes, layers));
    all.push(Layer::Dense { in_dim: width, out_dim: 1, weights: vec![1; width], bias: vec![0] });
    (model(1, all), InputVisibility::all(Visibility::Public, 1))
}

/// `Dense 1→width` with large weights, then one tree per value, each a single
/// split: every distinct feature costs two decompositions of ~60 bits.
fn tree_forest(width: usize) -> (Model, InputVisibility) {
    let trees = (0..width as u32)
        .map(|f| Tree {
            splits: vec![Split { feature: f, threshold: 0, left: Child::Leaf(0), right: Child::Leaf(1) }],
            leaves: vec![0, 1],
        })
        .collect();
    let layers = vec![
        Layer::Dense { in_dim: 1, out_dim: width, weights: vec![1 << 40; width], bias: vec![0; width] },
        Layer::Trees(TreeEnsemble { outputs: 1, trees, base: vec![0] }),
    ];
    (model(1, layers), InputVisibility::all(Visibility::Public, 1))
}

/// `Dense 1→width`, `layers` Piecewise layers of 1024 breakpoints (the identity, cut
/// into 1025 segments), `Dense width→1`: about 6 KB of key per layer, each element of
/// each layer ~2100 constraints of comparison bits and interval checks.
fn piecewise_stack(width: usize, layers: usize) -> (Model, InputVisibility) {
    let identity = Piecewise {
        breakpoints: (0..1024).map(|k| (k - 512) << 10).collect(),
        slopes: vec![1 << 12; 1025],
        offsets: vec![0; 1025],
    };
    let mut all = vec![Layer::Dense { in_dim: 1, out_dim: width, weights: vec![1; width], bias: vec![0; width] }];
    all.extend(std::iter::repeat_n(Layer::Piecewise(identity), layers));
    all.push(Layer::Dense { in_dim: width, out_dim: 1, weights: vec![1; width], bias: vec![0] });
    (model(1, all), InputVisibility::all(Visibility::Public, 1))
}

/// `Dense 1→width`, `layers` body softmax layers (the importer's exponential, 160
/// breakpoints, about 1.5 KB of key each), `Dense width→1`: each element of each
/// layer ~300 constraints.
fn softmax_stack(width: usize, layers: usize) -> (Model, InputVisibility) {
    let mut all = vec![Layer::Dense { in_dim: 1, out_dim: width, weights: vec![1; width], bias: vec![0; width] }];
    all.extend(std::iter::repeat_n(Layer::PiecewiseSoftmax(softmax::exp_table(12)), layers));
    all.push(Layer::Dense { in_dim: width, out_dim: 1, weights: vec![1; width], bias: vec![0] });
    (model(1, all), InputVisibility::all(Visibility::Public, 1))
}

/// `inputs` private inputs, `relus` ReLU layers on them, `Dense inputs→1`: two
/// bytes of key per input.
fn private_relu_stack(inputs: usize, relus: usize) -> (Model, InputVisibility) {
    let mut layers: Vec<Layer> = std::iter::repeat_n(Layer::Relu, relus).collect();
    layers.push(Layer::Dense { in_dim: inputs, out_dim: 1, weights: vec![1; inputs], bias: vec![0] });
    (model(inputs, layers), InputVisibility::all(Visibility::Private, inputs))
}

/// Decodes `bytes` as a verifier key (and, with the proving-key magic, as a
/// proving key), expecting a `TooLarge` refusal; returns the time and the peak
/// memory above what was live before, in bytes.
fn refuse(name: &str, vk: &[u8], pk: &[u8]) -> (Duration, usize) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let start = Instant::now();
    let vk_result = VerifierKey::from_bytes(vk).map(|_| ());
    let elapsed = start.elapsed();
    let pk_result = ProvingKey::from_bytes(pk).map(|_| ());
    let peak = PEAK.load(Ordering::SeqCst) - base;
    for (kind, result) in [("verifier", vk_result), ("proving", pk_result)] {
        match result {
            Err(PolicyError::Circuit(e @ CircuitError::TooLarge { .. })) => {
                let text = PolicyError::Circuit(e).to_string();
                assert!(text.starts_with("the model's circuit is too large: "), "{name}: {text}");
                eprintln!("{name}: {} bytes, {kind} key refused: {text}", vk.len());
            }
            other => panic!("{name}: the {kind} key was not refused as too large: {other:?}"),
        }
    }
    eprintln!("{name}: verifier key refused in {elapsed:?}, peak {:.1} MiB", peak as f64 / (1 << 20) as f64);
    (elapsed, peak)
}

#[test]
fn keys_with_huge_circuits_are_refused_fast_and_small() {
    // Refusal decodes the key and walks the model once, never building the circuit: time
    // linear in the key's bytes (the 17 MB key's 2^20 input names, each validated and
    // checked unique, take about 0.4 s in a release build and 0.6 s in a debug one; the
    // others milliseconds). The bound is 50 ms plus 100 ns per byte (300 in debug
    // builds), several times that, for a loaded machine.
    let per_byte_ns = if cfg!(debug_assertions) { 300 } else { 100 };
    let max_time = |bytes: usize| Duration::from_millis(50) + Duration::from_nanos(per_byte_ns * bytes as u64);
    let cases = [
        // ~30 KB, 3.6 M constraints: the example, three times over the limit.
        ("32 KB key, 30 ReLU layers of width 10000", relu_stack(10_000, 30)),
        // ~31 KB, ~120 M constraints.
        ("32 KB key, 1020 ReLU layers of width 10000", relu_stack(10_000, 1020)),
        // ~17 MB (15 of them the 2^20 input names): 2^20 private inputs (2^20 × 43 columns
        // of range checks) and 1023 ReLU layers.
        ("17 MB key, 2^20 private inputs, 1023 ReLU layers", private_relu_stack(1 << 20, 1023)),
        // ~1 MB: 500 Lanes layers of 1000 comparisons (a decomposition each), ~7 M constraints.
        ("1 MB key, 500 Lanes layers of 1000 comparisons", lanes_stack(1000, 500)),
        // ~1.5 MB: 100 000 one-split trees on distinct features, ~13 M constraints.
        ("1.5 MB key, 100 000 one-split trees", tree_forest(100_000)),
        // ~600 KB: 100 Piecewise layers of 1024 breakpoints on 100 values, ~21 M constraints.
        ("600 KB key, 100 Piecewise layers of 1024 breakpoints", piecewise_stack(100, 100)),
        // ~150 KB: 100 body softmax layers of width 1000, ~29 M constraints.
        ("150 KB key, 100 softmax layers of width 1000", softmax_stack(1000, 100)),
    ];
    for (name, (model, visibility)) in cases {
        let size = circuit_size(&model, &visibility).unwrap();
        assert!(size.constraints > MAX_CONSTRAINTS as u64, "{name}: {size:?}");
        let vk = key_file(VK_MAGIC, &model, &visibility, "");
        let pk = key_file(PK_MAGIC, &model, &visibility, "");
        assert!(vk.len() < 17_000_000, "{name}: {} bytes", vk.len());
        drop((model, visibility));
        let (elapsed, peak) = refuse(name, &vk, &pk);
        assert!(elapsed < max_time(vk.len()), "{name}: refusal took {elapsed:?}");
        // The decoded model (8 bytes per weight), its visibility and its input names
        // (a `String`, an optional unit and a uniqueness-check entry per name: about 9
        // bytes of memory per byte of names), never the circuit: building it took about
        // 780 MB for the first key and failed for the last.
        assert!(peak < 10 * vk.len() + (16 << 20), "{name}: peak {peak} bytes for a {}-byte key", vk.len());
    }
}
