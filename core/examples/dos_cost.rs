//! What the largest keys the size limits accept cost a verifier: time and peak
//! heap of `VerifierKey::from_bytes` and of `policy::verify`, for the keys of
//! `docs/SECURITY.md` §5. Run with an optimised build:
//!
//! ```text
//! cargo run --release -p zkpolicy-core --example dos_cost -- sizes
//! cargo run --release -p zkpolicy-core --example dos_cost -- write DIR      # key files, for Node
//! cargo run --release -p zkpolicy-core --example dos_cost -- load NAME      # decode one key
//! cargo run --release -p zkpolicy-core --features parallel --example dos_cost -- prove NAME DIR
//! cargo run --release -p zkpolicy-core --example dos_cost -- verify NAME DIR
//! ```
//!
//! `load` and `verify` print the wall time and the peak heap (a counting global
//! allocator); run them under `/usr/bin/time -v` for the peak RSS as well.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

use zkpolicy_core::frontend::circuit::{circuit_size, CircuitSize};
use zkpolicy_core::frontend::model::{Decision, Layer, Model};
use zkpolicy_core::frontend::visibility::{InputVisibility, Visibility};
use zkpolicy_core::policy::files::{PK_MAGIC, VK_MAGIC};
use zkpolicy_core::policy::{self, PolicyProof, ProvingKey, VerifierKey};

#[path = "../tests/support/mod.rs"]
mod support;

use support::{key_file, Counting, LIVE, PEAK};

#[global_allocator]
static A: Counting = Counting;

/// Runs `f`, returning its result, the time in ms and the peak heap above the
/// live bytes at the start, in MiB.
fn measure<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let t = Instant::now();
    let out = f();
    let ms = t.elapsed().as_secs_f64() * 1e3;
    (out, ms, (PEAK.load(Ordering::SeqCst) - base) as f64 / (1 << 20) as f64)
}

fn dense(in_dim: usize, out_dim: usize, w: i64) -> Layer {
    Layer::Dense { in_dim, out_dim, weights: vec![w; in_dim * out_dim], bias: vec![0; out_dim] }
}

/// The keys measured. Each is accepted by every limit and close to some of them.
fn keys() -> Vec<(&'static str, Model, InputVisibility)> {
    let model = |input_len, input_bound, layers, outputs: usize| Model {
        scale_bits: 12,
        input_len,
        input_bound,
        input_domains: Default::default(),
        layers,
        decision: if outputs == 1 {
            Decision::Threshold { index: 0, threshold: 0 }
        } else {
            Decision::ArgMax { labels: vec![] }
        },
    };
    let mut out = Vec::new();
    // Most nonzeros: 2048 public inputs, Dense 2048→2040 (all weights nonzero, ~4.2 M
    // entries of A) then ReLU stacks to fill the rows and witness columns.
    {
        let (p, n) = (2048, 2040);
        let mut layers = vec![dense(p, n, 3)];
        layers.extend(std::iter::repeat_n(Layer::Relu, 10));
        layers.push(dense(n, 1, 1));
        out.push(("max-nonzeros", model(p, 1 << 20, layers, 1), InputVisibility::all(Visibility::Public, p)));
    }
    // Near every limit at once: ~4.2 M weights, 2^19 witness values, more than 2^19
    // rows (so 2^20 padded rows), ~6.5 M nonzeros.
    {
        let (p, n, m) = (1750, 2040, 300);
        let mut layers = vec![dense(p, n, 3)];
        layers.extend(std::iter::repeat_n(Layer::Relu, 10));
        layers.push(dense(n, m, 1));
        out.push(("max-all", model(p, 1 << 20, layers, m), InputVisibility::all(Visibility::Public, p)));
    }
    // Most nonzeros per witness column: wide accumulators (59-bit outputs) feeding
    // LeakyReLUs, whose gadget repeats the accumulator's bits in three rows.
    {
        let (p, n) = (1040, 4000);
        let layers = vec![dense(p, n, 1 << 19), Layer::LeakyRelu { alpha: 1 }, dense(n, 1, 1)];
        out.push(("leaky", model(p, 1 << 40, layers, 1), InputVisibility::all(Visibility::Public, p)));
    }
    // Most link proofs: 170 committed inputs, each in its own Hyrax row (1024
    // witness columns apart; the hidden inputs are the first witness columns), so
    // the proof carries 170 dot-product proofs of length 1024.
    {
        let h = 170 * 1024;
        let vis = (0..h).map(|i| if i % 1024 == 0 { Visibility::Committed } else { Visibility::Private }).collect();
        out.push(("max-links", model(h, 1, vec![dense(h, 1, 1)], 1), InputVisibility::from_list(vis)));
    }
    // A ~1 KB key at the witness limit: 23 private inputs through 990 ReLU layers.
    {
        let h = 23;
        let mut layers: Vec<Layer> = std::iter::repeat_n(Layer::Relu, 990).collect();
        layers.push(dense(h, 1, 1));
        out.push(("tiny", model(h, 1 << 20, layers, 1), InputVisibility::all(Visibility::Private, h)));
    }
    // Most rows and witness columns with few weights: private inputs and ReLU stacks.
    {
        let h = 1024;
        let mut layers = vec![dense(h, h, 1)];
        layers.extend(std::iter::repeat_n(Layer::Relu, 22));
        layers.push(dense(h, 1, 1));
        out.push(("max-rows", model(h, 1 << 20, layers, 1), InputVisibility::all(Visibility::Private, h)));
    }
    // The largest seed-like MLP: 2048 private inputs → 2048 → 1.
    {
        let layers = vec![dense(2048, 2000, 1), Layer::Relu, dense(2000, 1, 1), Layer::Sigmoid];
        out.push(("wide-mlp", model(2048, 1 << 20, layers, 1), InputVisibility::all(Visibility::Private, 2048)));
    }
    out
}

fn find(name: &str) -> (Model, InputVisibility) {
    let (_, m, v) = keys().into_iter().find(|(n, ..)| *n == name).unwrap_or_else(|| panic!("no key {name}"));
    (m, v)
}

fn describe(size: &CircuitSize) -> String {
    format!(
        "{} constraints, {} public, {} witness, {} nonzeros (A {}, B {}, C {})",
        size.constraints,
        size.public,
        size.witness,
        size.total_nonzeros(),
        size.nonzeros[0],
        size.nonzeros[1],
        size.nonzeros[2]
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["sizes"] => {
            for (name, m, v) in keys() {
                let size = circuit_size(&m, &v).unwrap();
                let ok = size.check_limits();
                let bytes = key_file(VK_MAGIC, &m, &v, "").len();
                println!("{name}: {bytes} bytes; {}; {ok:?}", describe(&size));
            }
        }
        ["write", dir] => {
            std::fs::create_dir_all(dir).unwrap();
            for (name, m, v) in keys() {
                std::fs::write(Path::new(dir).join(format!("{name}.vk")), key_file(VK_MAGIC, &m, &v, "")).unwrap();
                std::fs::write(Path::new(dir).join(format!("{name}.pk")), key_file(PK_MAGIC, &m, &v, "")).unwrap();
            }
        }
        ["load", name] => {
            let (m, v) = find(name);
            let bytes = key_file(VK_MAGIC, &m, &v, "");
            drop((m, v));
            let (vk, ms, mib) = measure(|| VerifierKey::from_bytes(&bytes));
            let vk = vk.unwrap();
            println!(
                "load {name}: {} bytes, {} constraints, {} witness: {ms:.0} ms, peak heap {mib:.0} MiB",
                bytes.len(),
                vk.num_constraints(),
                vk.num_witness()
            );
        }
        ["prove", name, dir] => {
            let (m, v) = find(name);
            let pk = ProvingKey::from_bytes(&key_file(PK_MAGIC, &m, &v, "")).unwrap();
            let input = vec![m.input_bound / 3; m.input_len];
            let t = Instant::now();
            let proof = policy::prove(&pk, &input, None).unwrap();
            println!("prove {name}: {:.1} s, {} bytes", t.elapsed().as_secs_f64(), proof.to_bytes().len());
            std::fs::write(Path::new(dir).join(format!("{name}.proof")), proof.to_bytes()).unwrap();
        }
        ["verify", name, dir] => {
            let (m, v) = find(name);
            let vk = VerifierKey::from_bytes(&key_file(VK_MAGIC, &m, &v, "")).unwrap();
            let bytes = std::fs::read(Path::new(dir).join(format!("{name}.proof"))).unwrap();
            let (verified, ms, mib) =
                measure(|| PolicyProof::from_bytes(&bytes).and_then(|p| policy::verify(&vk, &p, None)));
            println!(
                "verify {name}: {} bytes of proof, {:?}: {ms:.0} ms, peak heap {mib:.0} MiB",
                bytes.len(),
                verified.map(|v| v.verdict)
            );
        }
        _ => eprintln!("usage: dos_cost sizes | write DIR | load NAME | prove NAME DIR | verify NAME DIR"),
    }
}
