//! Compile time of the circuit of a whitelist-sized model (102→64→32→1 with
//! ReLU, s = 12, input bound 2^20), which the verifier pays on every key load.

use criterion::{criterion_group, criterion_main, Criterion};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zkpolicy_core::frontend::circuit::compile;
use zkpolicy_core::frontend::model::{Decision, Layer, Model};

fn whitelist_sized() -> Model {
    let mut rng = StdRng::seed_from_u64(42);
    let s = 12;
    let widths = [102usize, 64, 32, 1];
    let mut layers = Vec::new();
    for (i, pair) in widths.windows(2).enumerate() {
        if i > 0 {
            layers.push(Layer::Relu);
        }
        let (in_dim, out_dim) = (pair[0], pair[1]);
        layers.push(Layer::Dense {
            in_dim,
            out_dim,
            weights: (0..in_dim * out_dim).map(|_| rng.gen_range(-4096..=4096)).collect(),
            bias: (0..out_dim).map(|_| rng.gen_range(-(1 << 24)..=1 << 24)).collect(),
        });
    }
    layers.push(Layer::Sigmoid);
    Model {
        scale_bits: s,
        input_len: widths[0],
        input_bound: 1 << 20,
        input_domains: Default::default(),
        layers,
        decision: Decision::Threshold { index: 0, threshold: 1 << (s - 1) },
    }
}

fn bench_compile(c: &mut Criterion) {
    let model = whitelist_sized();
    c.bench_function("circuit/compile 102-64-32-1", |b| b.iter(|| compile(&model).expect("compiles")));
}

// `criterion_group!` defines an undocumented public function.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, bench_compile);
}
criterion_main!(group::benches);
