//! Synthetic ReLU MLPs for the scaling study, generated from a fixed seed.
//!
//! Each model is `Dense → Relu → … → Dense(→1) → Sigmoid` with a threshold
//! decision at 0.5, like the seed policies. Weights are drawn uniformly from
//! `±2^s·sqrt(3/in_dim)` (Xavier-style: activations keep their magnitude from
//! layer to layer) and biases from `±2^(2s)/16`, so the model is a realistic
//! trained-looking network, not a worst case for the range checks.

use zkpolicy_core::frontend::model::{Decision, Layer, Model, DEFAULT_SCALE_BITS};

use crate::onnx::DEFAULT_INPUT_RANGE;

/// Seed of every synthetic model and input.
pub const SEED: u64 = 0x7a6b_706f_6c69_6379;

/// The shape of one synthetic MLP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MlpSpec {
    /// Name used in reports, e.g. `mlp-1e4`.
    pub name: &'static str,
    /// Layer widths, input first; the last width is 1.
    pub widths: &'static [usize],
}

/// The scaling study: about 10^3, 10^4, 10^5 and 10^6 parameters, three Dense layers each.
pub const SCALING: [MlpSpec; 4] = [
    MlpSpec { name: "mlp-1e3", widths: &[16, 32, 16, 1] },
    MlpSpec { name: "mlp-1e4", widths: &[32, 128, 48, 1] },
    MlpSpec { name: "mlp-1e5", widths: &[128, 512, 64, 1] },
    MlpSpec { name: "mlp-1e6", widths: &[512, 1024, 448, 1] },
];

impl MlpSpec {
    /// Number of weights and biases.
    pub fn num_params(&self) -> usize {
        self.widths.windows(2).map(|w| w[0] * w[1] + w[1]).sum()
    }

    /// The widths joined by `×`, e.g. `16×32×16×1`.
    pub fn shape(&self) -> String {
        self.widths.iter().map(usize::to_string).collect::<Vec<_>>().join("×")
    }

    /// Generates the model: deterministic for a given spec.
    pub fn model(&self) -> Model {
        let s = DEFAULT_SCALE_BITS;
        let one = 1i64 << s;
        let mut rng = SplitMix64::new(SEED ^ self.num_params() as u64);
        let mut layers = Vec::new();
        for (i, w) in self.widths.windows(2).enumerate() {
            let (in_dim, out_dim) = (w[0], w[1]);
            let limit = (one as f64 * (3.0 / in_dim as f64).sqrt()) as i64;
            let weights = (0..in_dim * out_dim).map(|_| rng.uniform(limit)).collect();
            let bias = (0..out_dim).map(|_| rng.uniform((one * one) / 16)).collect();
            layers.push(Layer::Dense { in_dim, out_dim, weights, bias });
            layers.push(if i + 2 < self.widths.len() { Layer::Relu } else { Layer::Sigmoid });
        }
        Model {
            scale_bits: s,
            input_len: self.widths[0],
            input_bound: (DEFAULT_INPUT_RANGE * one as f64) as i64,
            input_domains: Default::default(),
            layers,
            decision: Decision::Threshold { index: 0, threshold: one / 2 },
        }
    }

    /// A deterministic input in `[-1, 1]` (real units).
    pub fn input(&self) -> Vec<f64> {
        let mut rng = SplitMix64::new(SEED.rotate_left(17) ^ self.num_params() as u64);
        (0..self.widths[0]).map(|_| rng.uniform(1 << 20) as f64 / (1 << 20) as f64).collect()
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fixed, well-mixed generator,
/// so the models do not depend on a random-number crate's version.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[-limit, limit]` (`limit ≥ 0`; the modulo bias is negligible here).
    fn uniform(&mut self, limit: i64) -> i64 {
        let span = 2 * limit as u64 + 1;
        (self.next() % span) as i64 - limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_are_valid_deterministic_and_of_the_stated_size() {
        for (spec, decade) in SCALING.iter().zip([1e3, 1e4, 1e5, 1e6]) {
            let params = spec.num_params() as f64;
            assert!(params > 0.9 * decade && params < 1.1 * decade, "{}: {params}", spec.name);
            assert!((2..=4).contains(&(spec.widths.len() - 1)));
            if spec.num_params() < 200_000 {
                let m = spec.model();
                m.validate().unwrap();
                assert_eq!(m.num_params(), spec.num_params());
                assert_eq!(m, spec.model());
                assert_eq!(spec.input().len(), m.input_len);
                m.eval(&m.quantize(&spec.input()).unwrap()).unwrap();
            }
        }
    }

    #[test]
    fn splitmix_is_the_reference_sequence() {
        // First output of SplitMix64 seeded with 0 (reference implementation).
        assert_eq!(SplitMix64::new(0).next(), 0xe220_a839_7b1d_cdaf);
    }
}
