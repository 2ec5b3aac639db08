//! Spartan + Hyrax prove/verify benchmarks on random satisfiable R1CS instances.
//!
//! `bits`: free values are bits, like the bit decompositions that dominate compiled
//! policy circuits (the witness is then mostly 0/1 and small integers); `full`:
//! uniform field elements, the worst case for the witness commitment.
//! Proof sizes are printed once per instance.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{random_instance, st, Values};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::time::Duration;
use zkpolicy_core::snark::spartan::{preprocess, prove, verify, Profile, Proof};

fn bench_spartan(c: &mut Criterion) {
    let mut group = c.benchmark_group("spartan");
    group.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    let cases = [(10, Values::Bits), (12, Values::Bits), (12, Values::Full), (14, Values::Bits), (16, Values::Bits)];
    for (log_n, values) in cases {
        let n = 1usize << log_n;
        let inst = random_instance(log_n as u64, n, 16, n - 16, values);
        let label = format!("2^{log_n}/{values:?}").to_lowercase();
        group.bench_function(BenchmarkId::new("preprocess", &label), |b| {
            b.iter(|| preprocess(inst.r1cs.clone(), Profile::Small, Some([0; 32])).unwrap())
        });
        let (pk, vk) = preprocess(inst.r1cs.clone(), Profile::Small, Some([0; 32])).unwrap();
        group.bench_function(BenchmarkId::new("prove", &label), |b| {
            b.iter(|| prove(&pk, st(&inst.public), &inst.witness, &[]).unwrap())
        });
        let proof = prove(&pk, st(&inst.public), &inst.witness, &[]).unwrap();
        let bytes = proof.to_bytes();
        println!("proof size {label}: {} bytes", bytes.len());
        group.bench_function(BenchmarkId::new("verify", &label), |b| {
            b.iter(|| verify(&vk, st(&inst.public), &proof).unwrap())
        });
        group.bench_function(BenchmarkId::new("decode", &label), |b| b.iter(|| Proof::from_bytes(&bytes).unwrap()));
    }
    group.finish();
}

// `criterion_group!` defines an undocumented public function.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, bench_spartan);
}
criterion_main!(group::benches);
