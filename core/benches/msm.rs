//! The verifier's multi-scalar multiplication (`snark::msm::msm`, the bucket method with
//! affine bucket sums) against arkworks' `msm_unchecked`, on random points and scalars,
//! at the sizes of the verifier's checks (about 50 to 400 points for the seed policies,
//! thousands for the largest synthetic ones). With `--features parallel`, `msm` splits
//! its windows over two threads (arkworks' stays on one).

use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_std::UniformRand;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::{rngs::StdRng, SeedableRng};
use std::time::Duration;
use zkpolicy_core::snark::msm::msm;

fn bench_msm(c: &mut Criterion) {
    let mut group = c.benchmark_group("msm");
    group.sample_size(20).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
    let mut rng = StdRng::seed_from_u64(14);
    for n in [32usize, 64, 128, 200, 310, 400, 1024, 4096, 16384] {
        let points: Vec<_> = (0..n).map(|_| G1Projective::rand(&mut rng)).collect();
        let bases: Vec<G1Affine> = G1Projective::normalize_batch(&points);
        let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        assert_eq!(msm(&bases, &scalars), G1Projective::msm_unchecked(&bases, &scalars));
        group.bench_function(BenchmarkId::new("batch_affine", n), |b| b.iter(|| msm(&bases, &scalars)));
        group.bench_function(BenchmarkId::new("arkworks", n), |b| {
            b.iter(|| G1Projective::msm_unchecked(&bases, &scalars))
        });
    }
    group.finish();
}

// `criterion_group!` defines an undocumented public function.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, bench_msm);
}
criterion_main!(group::benches);
