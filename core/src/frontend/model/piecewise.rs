//! Element-wise piecewise-linear functions: the [`Layer::Piecewise`](super::Layer::Piecewise) layer.
//!
//! A [`Piecewise`] has breakpoints `t_1 < … < t_K` (scale `2^s`) splitting the
//! integers into `K + 1` segments: segment `j` holds the `x` with
//! `t_j < x ≤ t_{j+1}` (`t_0 = −∞`, `t_{K+1} = +∞`). On segment `j` the output is
//! `y = floor((a_j·x + c_j + 2^(s−1)) / 2^s)`, with the slope `a_j` at scale
//! `2^s` and the offset `c_j` at scale `2^(2s)`: a `Dense`-like requantization,
//! exact on integers.
//!
//! This is how a sigmoid or tanh *inside* the body is proved
//! ([`Piecewise::approximate`] of an [`Approximated`] function): chords of the
//! function between uniform breakpoints, constant beyond them. Their distance from
//! the real functions is bounded by [`Approximated::error_bound`] and tested on
//! every input of a range. (In the head, after the last `Dense`, the verifier evaluates the
//! exact functions of [`super::nonlinear`] instead.)

/// Largest number of breakpoints.
pub const MAX_BREAKPOINTS: usize = 1024;
/// Largest magnitude of a breakpoint, slope or offset (`< 2^60`).
pub const MAX_PIECE_CONST: i64 = (1 << super::bounds::MAX_VALUE_BITS) - 1;

/// A piecewise-linear function of one integer (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piecewise {
    /// `t_1 < … < t_K` at scale `2^s`.
    pub breakpoints: Vec<i64>,
    /// `a_0 … a_K` at scale `2^s`, one per segment.
    pub slopes: Vec<i64>,
    /// `c_0 … c_K` at scale `2^(2s)`, one per segment.
    pub offsets: Vec<i64>,
}

/// The functions the importer approximates, with their range of breakpoints and step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approximated {
    /// The logistic function: breakpoints every 1/4 on `[−8, 8]`.
    Sigmoid,
    /// The hyperbolic tangent: breakpoints every 1/8 on `[−4, 4]`.
    Tanh,
}

impl Approximated {
    /// `(f, edge, step)`: the function, the breakpoints' range `±edge` and their step.
    fn spec(self) -> (fn(f64) -> f64, f64, f64) {
        match self {
            Approximated::Sigmoid => (|v| 1.0 / (1.0 + (-v).exp()), 8.0, 0.25),
            Approximated::Tanh => (f64::tanh, 4.0, 0.125),
        }
    }

    /// Bound on `|piecewise(x) − f(x/2^s)|` (real units) for every integer `x` at scale
    /// `2^s`: the chords' error `max|f''|·step²/8`, the flat tails' error, the slope's
    /// rounding over one step, the offset's and the output's rounding.
    pub fn error_bound(self, s: u32) -> f64 {
        let (f, edge, step) = self.spec();
        let (curvature, tail) = match self {
            // max |σ''| = 1/(6√3) ≈ 0.0962; the tail beyond ±8 is σ(−8).
            Approximated::Sigmoid => (0.0963, f(-edge)),
            // max |tanh''| = 4/(3√3) ≈ 0.770; the tail beyond ±4 is 1 − tanh(4).
            Approximated::Tanh => (0.770, 1.0 - f(edge)),
        };
        let grid = (-(s as i32 + 1) as f64).exp2();
        (curvature * step * step / 8.0).max(tail) + grid * step + grid * grid + grid
    }
}

impl Piecewise {
    /// The chord approximation of `f` at scale `2^s` (see [`Approximated`]).
    pub fn approximate(f: Approximated, s: u32) -> Piecewise {
        let (func, edge, step) = f.spec();
        let one = (1u64 << s) as f64;
        let n = (2.0 * edge / step) as usize;
        let points: Vec<f64> = (0..=n).map(|k| -edge + k as f64 * step).collect();
        // Breakpoints on the grid (the reals above are multiples of 1/8, exact for s ≥ 3).
        let breakpoints: Vec<i64> = points.iter().map(|t| (t * one).round() as i64).collect();
        let (mut slopes, mut offsets) = (Vec::with_capacity(n + 2), Vec::with_capacity(n + 2));
        let flat = |v: f64| (0i64, (v * one * one).round() as i64);
        let (a, c) = flat(func(points[0]));
        slopes.push(a);
        offsets.push(c);
        for k in 0..n {
            // The chord through (t_k, f(t_k)) and (t_{k+1}, f(t_{k+1})), written around t_k so
            // that the slope's rounding costs at most 2^-(s+1) over one step.
            let slope = (func(points[k + 1]) - func(points[k])) / step;
            let a = (slope * one).round() as i64;
            let c = (func(points[k]) * one * one).round() as i64 - a * breakpoints[k];
            slopes.push(a);
            offsets.push(c);
        }
        let (a, c) = flat(func(points[n]));
        slopes.push(a);
        offsets.push(c);
        Piecewise { breakpoints, slopes, offsets }
    }

    /// The segment holding `x`: the number of breakpoints below it.
    pub fn segment(&self, x: i64) -> usize {
        self.breakpoints.partition_point(|t| *t < x)
    }

    /// `a_j·x + c_j` of `x`'s segment (no overflow within the validated limits).
    pub fn acc(&self, x: i64) -> i128 {
        let j = self.segment(x);
        i128::from(self.slopes[j]) * i128::from(x) + i128::from(self.offsets[j])
    }

    /// Checks the breakpoints (strictly increasing), the segment counts and the magnitudes.
    pub fn check(&self) -> Result<(), String> {
        let k = self.breakpoints.len();
        if k == 0 || k > MAX_BREAKPOINTS {
            return Err(format!("{k} breakpoints; 1..={MAX_BREAKPOINTS} are allowed"));
        }
        if self.slopes.len() != k + 1 || self.offsets.len() != k + 1 {
            return Err(format!("{} slopes and {} offsets for {k} breakpoints", self.slopes.len(), self.offsets.len()));
        }
        if self.breakpoints.windows(2).any(|w| w[0] >= w[1]) {
            return Err("breakpoints are not strictly increasing".into());
        }
        let far = |v: &i64| v.unsigned_abs() > MAX_PIECE_CONST as u64;
        if self.breakpoints.iter().chain(&self.slopes).chain(&self.offsets).any(far) {
            return Err("a breakpoint, slope or offset beyond ±(2^60 − 1)".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::model::nonlinear::requantize;

    /// Every input of a wide range, at several scales: the layer's output is within
    /// the stated bound of the real function.
    #[test]
    fn approximations_stay_within_their_bound() {
        for f in [Approximated::Sigmoid, Approximated::Tanh] {
            let (func, ..) = f.spec();
            for s in [6u32, 8, 12, 16] {
                let p = Piecewise::approximate(f, s);
                p.check().unwrap();
                let one = (1i64 << s) as f64;
                let bound = f.error_bound(s);
                let mut worst = 0f64;
                let range = 12i64 << s;
                let stride = (range >> 17).max(1);
                for x in (-range..=range).step_by(stride as usize) {
                    let y = requantize(p.acc(x), s).0 as f64 / one;
                    worst = worst.max((y - func(x as f64 / one)).abs());
                }
                assert!(worst <= bound, "{f:?} at s = {s}: error {worst} above the bound {bound}");
                // The bound is not vacuous: within a factor 3 of what is reached.
                assert!(worst * 3.0 >= bound, "{f:?} at s = {s}: error {worst}, bound {bound}");
            }
        }
        assert!(Approximated::Sigmoid.error_bound(12) < 1e-3);
        assert!(Approximated::Tanh.error_bound(12) < 2e-3);
    }

    #[test]
    fn malformed_functions_are_refused() {
        let mut p = Piecewise::approximate(Approximated::Tanh, 8);
        p.breakpoints.swap(3, 4);
        assert!(p.check().unwrap_err().contains("strictly increasing"));
        let mut p = Piecewise::approximate(Approximated::Tanh, 8);
        p.slopes.pop();
        assert!(p.check().unwrap_err().contains("slopes"));
        let none = Piecewise { breakpoints: vec![], slopes: vec![1], offsets: vec![0] };
        assert!(none.check().unwrap_err().contains("0 breakpoints; 1..=1024 are allowed"));
        let mut p = Piecewise::approximate(Approximated::Tanh, 8);
        p.offsets[3] = 1 << 60;
        assert!(p.check().unwrap_err().contains("beyond ±(2^60 − 1)"));
    }
}
