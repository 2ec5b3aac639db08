//! Softmax with an exact integer definition: the [`Layer::PiecewiseSoftmax`](super::Layer::PiecewiseSoftmax)
//! layer, which the circuit proves inside the body.
//!
//! The head's [`Layer::Softmax`](super::Layer::Softmax) is computed in `f64` on the
//! public logits; inside the body every step must be an integer relation, so the
//! exponential is a piecewise-linear function `E` ([`Piecewise`]) of `d = x_i − m ≤ 0`,
//! kept unrounded at scale `2^(2s)`, and the normalisation is an exact integer
//! division:
//!
//! ```text
//! m   = max_i x_i
//! A_i = a_j·(x_i − m) + c_j     (segment j of E holding x_i − m; A_i at scale 2^(2s))
//! S   = Σ_i A_i
//! y_i = floor((2^(s+1)·A_i + S) / (2S))      (= round half up of 2^s·A_i / S)
//! ```
//!
//! [`exp_table`] is the `E` the importer uses: the chords of `e^x` every 1/16 on
//! `[−10, 0]` ([`Approximated::Exp`] with top 0, without its segment above 0, the
//! last chord through `E(0) = 2^(2s)` exactly), constant `e^−10` below. [`check`] refuses any `E` for which this is not a total
//! function with outputs in `[0, 2^s]`: every breakpoint must be negative, the first
//! segment constant, and `E` between 0 and `2^60` at every segment end with `E(0) ≥ 1`,
//! so `S ≥ E(0) ≥ 1` (the maximum's own term) and `0 ≤ A_i ≤ S`.

use super::piecewise::{Approximated, Piecewise, MAX_PIECE_CONST};

/// The exponential of a body softmax at scale `2^s` (see the module documentation).
pub fn exp_table(s: u32) -> Piecewise {
    let mut p = Piecewise::approximate(Approximated::Exp { top: 0 }, s);
    // The last breakpoint is 0 and the segment above it is never reached by x − m ≤ 0.
    p.breakpoints.pop();
    p.slopes.pop();
    p.offsets.pop();
    // The last chord written around 0 instead of its left end (the slope's rounding
    // then costs as much at the other end): the maximum's own term is exactly
    // `e^0 = 2^(2s)`, the largest value, so the sum is at most `n·2^(2s)`.
    if let Some(c) = p.offsets.last_mut() {
        *c = 1 << (2 * s);
    }
    p
}

/// `E` at the ends of each of its segments on `(−∞, 0]`: the first segment is
/// constant, so its value at `t_1`; then each `(t_j, t_{j+1}]` (the last ending at 0)
/// at `t_j + 1` and at its upper end. `E` is affine on a segment, so its extremes on
/// the integers of `(−∞, 0]` are among these.
fn segment_end_values(p: &Piecewise) -> impl Iterator<Item = i128> + '_ {
    let k = p.breakpoints.len();
    let at = |j: usize, x: i128| i128::from(p.slopes[j]) * x + i128::from(p.offsets[j]);
    let first = core::iter::once(at(0, i128::from(p.breakpoints[0])));
    first.chain((1..=k).flat_map(move |j| {
        let lo = i128::from(p.breakpoints[j - 1]) + 1;
        let hi = p.breakpoints.get(j).map_or(0, |t| i128::from(*t));
        [at(j, lo), at(j, hi)]
    }))
}

/// Checks that `p` defines a softmax (see the module documentation): a valid
/// [`Piecewise`] whose breakpoints are all below 0, whose first segment is constant,
/// and whose value at every segment end on `(−∞, 0]` lies in `[0, 2^60)`, with `E(0) ≥ 1`.
pub fn check(p: &Piecewise) -> Result<(), String> {
    p.check()?;
    if p.breakpoints.last().is_some_and(|t| *t >= 0) {
        return Err("a breakpoint at or above 0 (the exponential's input x − max is at most 0)".into());
    }
    if p.slopes[0] != 0 {
        return Err(format!("slope {} below the first breakpoint; it must be 0 (constant)", p.slopes[0]));
    }
    if let Some(v) = segment_end_values(p).find(|v| !(0..=i128::from(MAX_PIECE_CONST)).contains(v)) {
        return Err(format!("the exponential reaches {v}, outside [0, 2^60 − 1]"));
    }
    if exp_at(p, 0) < 1 {
        return Err("the exponential of 0 is 0; it must be at least 1".into());
    }
    Ok(())
}

/// The largest value of `E` on `(−∞, 0]` (for a `p` that passed [`check`]).
pub fn exp_max(p: &Piecewise) -> i128 {
    segment_end_values(p).max().unwrap_or(0)
}

/// `E(d)` at scale `2^(2s)` for `d ≤ 0`: the accumulator of `d`'s segment.
pub fn exp_at(p: &Piecewise, d: i128) -> i128 {
    let j = p.breakpoints.partition_point(|t| i128::from(*t) < d);
    i128::from(p.slopes[j]) * d + i128::from(p.offsets[j])
}

/// The softmax of `xs` at scale `2^s` for a checked `p`: returns the exponentials
/// `A_i` (scale `2^(2s)`) and the outputs `y_i`. `x_i − m` is formed in `i128`, so
/// this is total on every `i64` input; `y_i ∈ [0, 2^s]`.
pub fn eval(p: &Piecewise, xs: &[i64], s: u32) -> (Vec<i128>, Vec<i64>) {
    let Some(&m) = xs.iter().max() else { return (Vec::new(), Vec::new()) };
    let exps: Vec<i128> = xs.iter().map(|&x| exp_at(p, i128::from(x) - i128::from(m))).collect();
    let total: i128 = exps.iter().sum();
    let outputs = exps.iter().map(|a| divide(*a, total, s) as i64).collect();
    (exps, outputs)
}

/// `floor((2^(s+1)·a + total) / (2·total))` for `0 ≤ a ≤ total`, `total ≥ 1`: the
/// output `y` of an element whose exponential is `a`.
pub fn divide(a: i128, total: i128, s: u32) -> i128 {
    ((a << (s + 1)) + total).div_euclid(2 * total.max(1))
}

/// Bound on `|y_i − softmax(x/2^s)_i|` (real units) for a width-`n` softmax with
/// [`exp_table`] at scale `2^s`. Each `A_i/2^(2s)` is `e^(d_i)·(1 + δ_i) + η_i`: the
/// chords of the convex `e^x` lie above it, `0 ≤ δ_i ≤ δ = e^h·h²/8` for the step `h`
/// (the chord over `[t, t + h]` is within `e^(t+h)·h²/8` of `e^x ≥ e^t`), and
/// `|η_i| ≤ η`, the slope's rounding over one step `2^-(s+1)·h`, the offset's
/// `2^-(2s+1)` and below −10 the tail's `e^−10`. With `y_i` the real softmax and
/// `δ̄ = Σ_j y_j·δ_j`, the quotient's error is
/// `(y_i·(δ_i − δ̄)·S + η_i·S − y_i·S·Σ_j η_j) / Ŝ`, where `|δ_i − δ̄| ≤ (1 − y_i)·δ`,
/// `y_i·(1 − y_i) ≤ 1/4` and `Ŝ ≥ S·(1 − n·η)` (`S ≥ 1`, the maximum's own term):
/// at most `(δ/4 + n·η) / (1 − n·η)`, plus the output's rounding `2^-(s+1)`.
pub fn error_bound(s: u32, n: usize) -> f64 {
    let h = (1.0f64 / 16.0).max((-(s as f64)).exp2());
    let grid = (-(s as f64) - 1.0).exp2();
    let delta = libm::exp(h) * h * h / 8.0;
    let eta = grid * h + grid * grid + libm::exp(-10.0);
    let n = n as f64;
    (delta / 4.0 + n * eta) / (1.0 - n * eta) + grid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::model::nonlinear;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// The real softmax of `xs/2^s`.
    fn real(xs: &[i64], s: u32) -> Vec<f64> {
        let one = (1u64 << s) as f64;
        let m = xs.iter().copied().max().unwrap_or(0);
        let e: Vec<f64> = xs.iter().map(|x| ((x - m) as f64 / one).exp()).collect();
        let total: f64 = e.iter().sum();
        e.iter().map(|v| v / total).collect()
    }

    /// Many vectors at several scales and widths: every output is within the stated
    /// bound of the real softmax, the bound is not vacuous, and the outputs are in
    /// `[0, 2^s]`.
    #[test]
    fn softmax_stays_within_its_bound() {
        let mut rng = StdRng::seed_from_u64(31);
        for s in [4u32, 6, 8, 12, 16] {
            let p = exp_table(s);
            check(&p).unwrap();
            let one = 1i64 << s;
            for n in [1usize, 2, 3, 4, 10, 64] {
                let bound = error_bound(s, n);
                let mut worst = 0f64;
                for trial in 0..400 {
                    // Spreads from a fraction of a unit to beyond the exponential's floor.
                    let spread = [one / 4, one, 4 * one, 16 * one][trial % 4];
                    let xs: Vec<i64> = (0..n).map(|_| rng.gen_range(-spread..=spread)).collect();
                    let (exps, ys) = eval(&p, &xs, s);
                    let total: i128 = exps.iter().sum();
                    for ((y, r), a) in ys.iter().zip(real(&xs, s)).zip(&exps) {
                        assert!((0..=one).contains(y), "s={s} {xs:?}: {y}");
                        assert!(*a >= 0 && *a <= total);
                        worst = worst.max((*y as f64 / one as f64 - r).abs());
                    }
                }
                eprintln!("s = {s}, n = {n}: worst error {worst:.3e}, bound {bound:.3e}");
                assert!(worst <= bound, "s={s} n={n}: error {worst} above the bound {bound}");
                if s >= 8 && (2..=4).contains(&n) {
                    assert!(worst * 3.0 >= bound, "s={s} n={n}: error {worst}, bound {bound}");
                }
            }
        }
        // At the default scale, as PROTOCOL.md §2.1 states.
        assert!(error_bound(12, 4) < 5.3e-4, "{}", error_bound(12, 4));
        assert!(error_bound(12, 16) < 1.2e-3, "{}", error_bound(12, 16));
    }

    #[test]
    fn exact_values_and_extremes() {
        for s in [2u32, 4, 12, 20] {
            let p = exp_table(s);
            check(&p).unwrap();
            let one = 1i64 << s;
            assert_eq!(eval(&p, &[5], s), (vec![1 << (2 * s)], vec![one]));
            assert_eq!(exp_max(&p), 1 << (2 * s));
            assert_eq!(eval(&p, &[i64::MIN, i64::MIN], s).1, vec![one / 2, one / 2]);
            assert_eq!(eval(&p, &[-3, -3, -3, -3], s).1, vec![one / 4; 4]);
            // Far below the maximum: the floor's e^−10.
            let (_, ys) = eval(&p, &[i64::MIN, i64::MAX], s);
            assert!(ys[0] as f64 <= one as f64 * 5e-5 + 1.0 && ys[1] >= one - ys[0] - 1, "{ys:?}");
            // Shifting every input leaves the outputs unchanged.
            assert_eq!(eval(&p, &[0, one, -one], s), eval(&p, &[7, one + 7, 7 - one], s));
        }
        // The head's f64 softmax and this one agree on the argmax and within the bound.
        let s = 12;
        let xs = [4096, -2000, 900, 3000];
        let (_, ys) = eval(&exp_table(s), &xs, s);
        let head = nonlinear::softmax(&xs, s);
        for (y, h) in ys.iter().zip(&head) {
            assert!(((y - h) as f64 / 4096.0).abs() <= error_bound(s, 4) + 1.0 / 8192.0);
        }
        assert_eq!(nonlinear::argmax(&ys), nonlinear::argmax(&head));
    }

    #[test]
    fn hostile_exponentials_are_refused() {
        let good = exp_table(8);
        let refuse = |p: &Piecewise, what: &str| {
            let err = check(p).unwrap_err();
            assert!(err.contains(what), "{err}");
        };
        let mut p = good.clone();
        p.breakpoints.push(0);
        p.slopes.push(0);
        p.offsets.push(1 << 16);
        refuse(&p, "at or above 0");
        let mut p = good.clone();
        p.slopes[0] = 1;
        refuse(&p, "below the first breakpoint");
        let mut p = good.clone();
        p.offsets[3] = -(1 << 40);
        refuse(&p, "outside [0, 2^60 − 1]");
        let mut p = good.clone();
        *p.offsets.last_mut().unwrap() = 0;
        *p.slopes.last_mut().unwrap() = 0;
        refuse(&p, "exponential of 0 is 0");
        let p = Piecewise { breakpoints: vec![-4], slopes: vec![0, -(1 << 59)], offsets: vec![0, 1 << 59] };
        refuse(&p, "outside [0, 2^60 − 1]");
        let mut p = good;
        p.slopes.pop();
        refuse(&p, "slopes");
        // The smallest valid one: a constant exponential, the mean.
        let flat = Piecewise { breakpoints: vec![-1], slopes: vec![0, 0], offsets: vec![1, 1] };
        check(&flat).unwrap();
        assert_eq!(eval(&flat, &[0, -100, 3], 4).1, vec![5, 5, 5]);
    }
}
