//! Integer definitions of the model's nonlinear functions.
//!
//! Every function here is a deterministic map from integers to integers. The
//! transcendental ones (`sigmoid`, `tanh`, `softmax`) are defined through IEEE-754
//! double arithmetic and the pure-Rust `libm` crate, which computes the same bits
//! on every platform (native and `wasm32`), so the prover, the native verifier and
//! the WebAssembly verifier agree on every output. Error bounds against the real
//! functions are stated per function and tested.

/// `2^s` as an `f64`.
fn scale(s: u32) -> f64 {
    (1u64 << s) as f64
}

/// Requantization by rounding half up: returns `(q, r)` with
/// `acc + 2^(s-1) = q·2^s + r` and `0 ≤ r < 2^s`, i.e. `q = floor(acc/2^s + 1/2)`.
/// Total for every `acc` (`1 ≤ s ≤ 126`): `acc + 2^(s-1)` is never formed, so it
/// cannot overflow near `i128::MAX`.
pub fn requantize(acc: i128, s: u32) -> (i128, i128) {
    let one = 1i128 << s;
    let half = one >> 1;
    // acc = a·2^s + b with 0 ≤ b < 2^s; then acc + 2^(s-1) = (a + carry)·2^s + r.
    let (a, b) = (acc.div_euclid(one), acc.rem_euclid(one));
    if b >= one - half {
        (a + 1, b - (one - half))
    } else {
        (a, b + half)
    }
}

/// Rounds a non-negative-or-negative real to the nearest integer, halves up.
fn round_half_up(v: f64) -> i64 {
    libm::floor(v + 0.5) as i64
}

/// Logistic function at scale `2^s`: `round_half_up(2^s / (1 + e^(-x/2^s)))`.
/// Output in `[0, 2^s]`; error against the real sigmoid of `x/2^s` is at most
/// `2^-(s+1)` plus a few ulps.
pub fn sigmoid(x: i64, s: u32) -> i64 {
    let v = x as f64 / scale(s);
    round_half_up(scale(s) / (1.0 + libm::exp(-v)))
}

/// Hyperbolic tangent at scale `2^s`: `round_half_up(2^s · tanh(x/2^s))`, in `[-2^s, 2^s]`.
pub fn tanh(x: i64, s: u32) -> i64 {
    let v = x as f64 / scale(s);
    round_half_up(scale(s) * libm::tanh(v))
}

/// Softmax at scale `2^s`: `round_half_up(2^s · e^(x_i - m) / Σ_j e^(x_j - m))` with
/// `m = max_j x_j`, the sum taken in index order. `x_i − m` is computed exactly (in
/// `i128`), so the function is total on every `i64` input; the maximum's term is
/// `e^0 = 1`, so the sum is at least 1 and every output lies in `[0, 2^s]`.
pub fn softmax(xs: &[i64], s: u32) -> Vec<i64> {
    let Some(&m) = xs.iter().max() else {
        return Vec::new();
    };
    let exps: Vec<f64> = xs.iter().map(|&x| libm::exp((x as i128 - m as i128) as f64 / scale(s))).collect();
    let total: f64 = exps.iter().sum();
    exps.iter().map(|e| round_half_up(scale(s) * e / total)).collect()
}

/// Index of the largest element, the first one on ties; 0 for an empty slice.
pub fn argmax(xs: &[i64]) -> usize {
    let mut best = 0;
    for (i, x) in xs.iter().enumerate() {
        if *x > xs[best] {
            best = i;
        }
    }
    best
}

/// LeakyReLU at scale `2^s`: `x` if `x ≥ 0`, else the half-up requantization of `alpha·x`.
pub fn leaky_relu(x: i64, alpha: i64, s: u32) -> i128 {
    if x >= 0 {
        x as i128
    } else {
        requantize(alpha as i128 * x as i128, s).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requantize_rounds_half_up() {
        let s = 4; // scale 16
        for acc in -100i128..100 {
            let (q, r) = requantize(acc, s);
            assert!((0..16).contains(&r));
            assert_eq!(acc + 8, q * 16 + r);
            let exact = acc as f64 / 16.0;
            assert_eq!(q as f64, (exact + 0.5).floor());
        }
        assert_eq!(requantize(8, 4).0, 1); // 0.5 -> 1
        assert_eq!(requantize(-8, 4).0, 0); // -0.5 -> 0
        assert_eq!(requantize(-9, 4).0, -1);
    }

    #[test]
    fn sigmoid_error_bound() {
        for s in [8u32, 12] {
            let sc = (1u64 << s) as f64;
            for x in (-20 * (1i64 << s)..20 * (1i64 << s)).step_by(7) {
                let exact = 1.0 / (1.0 + (-(x as f64) / sc).exp());
                let err = (sigmoid(x, s) as f64 / sc - exact).abs();
                assert!(err <= 0.5 / sc + 1e-12, "x={x} s={s} err={err}");
            }
        }
        assert_eq!(sigmoid(0, 12), 2048);
    }

    #[test]
    fn tanh_and_softmax() {
        assert_eq!(tanh(0, 12), 0);
        assert_eq!(tanh(1 << 20, 12), 4096);
        assert_eq!(tanh(-(1 << 20), 12), -4096);
        let sm = softmax(&[0, 0, 0, 0], 12);
        assert_eq!(sm, vec![1024; 4]);
        let sm = softmax(&[4096 * 10, 0], 12);
        assert_eq!(sm[0], 4096);
        assert_eq!(argmax(&[1, 5, 5, 2]), 1);
        assert_eq!(argmax(&[]), 0);
    }

    #[test]
    fn requantize_is_total_at_the_extremes() {
        for s in [1u32, 4, 12, 20] {
            for acc in [i128::MIN, i128::MIN + 1, -1, 0, 1, i128::MAX - 1, i128::MAX] {
                let (q, r) = requantize(acc, s);
                assert!((0..1i128 << s).contains(&r), "acc={acc} s={s}");
                // acc + 2^(s-1) = q·2^s + r: q is floor(acc/2^s) or one more, and the identity
                // holds modulo 2^128, which together pin q and r.
                assert!(q == acc >> s || q == (acc >> s) + 1, "acc={acc} s={s}");
                assert_eq!(acc.wrapping_add(1 << (s - 1)), q.wrapping_mul(1 << s).wrapping_add(r));
            }
        }
    }

    #[test]
    fn softmax_of_extreme_logits() {
        for s in [1u32, 12, 20] {
            let one = 1i64 << s;
            assert_eq!(softmax(&[i64::MIN, i64::MAX], s), vec![0, one]);
            assert_eq!(softmax(&[i64::MAX, i64::MIN], s), vec![one, 0]);
            assert_eq!(softmax(&[i64::MIN, i64::MIN], s), vec![one / 2, one / 2]);
            assert_eq!(softmax(&[i64::MAX, i64::MAX, i64::MIN], s), vec![one / 2, one / 2, 0]);
            assert_eq!(softmax(&[i64::MIN], s), vec![one]);
            // Far apart but not extreme: the same as shifting both.
            assert_eq!(softmax(&[i64::MIN, i64::MIN + one], s), softmax(&[0, one], s));
        }
        assert_eq!(sigmoid(i64::MAX, 12), 4096);
        assert_eq!(sigmoid(i64::MIN, 12), 0);
        assert_eq!(tanh(i64::MIN, 12), -4096);
        assert_eq!(argmax(&[i64::MIN, i64::MAX, i64::MAX]), 1);
    }

    #[test]
    fn leaky_relu_values() {
        // alpha = 0.25 at scale 16 = 4
        assert_eq!(leaky_relu(32, 4, 4), 32);
        assert_eq!(leaky_relu(-32, 4, 4), -8);
    }
}
