//! Element-wise piecewise-linear functions: the [`Layer::Piecewise`](super::Layer::Piecewise) layer.
//!
//! A [`Piecewise`] has breakpoints `t_1 < … < t_K` (scale `2^s`) splitting the
//! integers into `K + 1` segments: segment `j` holds the `x` with
//! `t_j < x ≤ t_{j+1}` (`t_0 = −∞`, `t_{K+1} = +∞`). On segment `j` the output is
//! `y = floor((a_j·x + c_j + 2^(s−1)) / 2^s)`, with the slope `a_j` at scale
//! `2^s` and the offset `c_j` at scale `2^(2s)`: a `Dense`-like requantization,
//! exact on integers.
//!
//! This is how the importer proves a function it cannot compute exactly
//! ([`Piecewise::approximate`] of an [`Approximated`] function: sigmoid, tanh, GELU,
//! softplus, ELU, HardSwish, exp): chords of the function between uniform
//! breakpoints, and beyond them the line of its asymptote through its end value.
//! Their distance from the real functions is bounded by [`Approximated::error_bound`]
//! and tested on every input of a range. Inside the body the circuit proves the
//! layer; after the last `Dense` the verifier evaluates it on the public logits like
//! any head layer (a sigmoid or tanh there stays the exact function of
//! [`super::nonlinear`]).

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

/// The functions the importer approximates: chords between uniform breakpoints
/// on `[lo, hi]`, and beyond them the function's asymptote line through its end value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Approximated {
    /// The logistic function: breakpoints every 1/4 on `[−8, 8]`, constant beyond.
    Sigmoid,
    /// The hyperbolic tangent: breakpoints every 1/8 on `[−4, 4]`, constant beyond.
    Tanh,
    /// GELU `x·Φ(x)` (ONNX `Gelu`, `approximate="none"`): every 1/8 on `[−4, 4]`;
    /// constant below, slope 1 above.
    Gelu,
    /// GELU's tanh form `x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` (`approximate="tanh"`):
    /// as [`Approximated::Gelu`].
    GeluTanh,
    /// Softplus `ln(1 + e^x)`: every 1/4 on `[−8, 8]`; constant below, slope 1 above.
    Softplus,
    /// ELU: `x` for `x > 0`, `alpha·(e^x − 1)` otherwise: every 1/8 on `[−8, 0]`;
    /// constant below, the identity above 0 (exact there).
    Elu {
        /// The negative side's scale (finite).
        alpha: f64,
    },
    /// HardSwish `x·min(max(x + 3, 0), 6)/6`: every 1/8 on `[−3, 3]`; 0 below and `x`
    /// above (exact there).
    HardSwish,
    /// `e^x` for `x ≤ top`: every 1/16 on `[−10, top]`, constant below. The importer
    /// sets `top` to the layer input's bound (rounded up), at most [`EXP_MAX_TOP`].
    Exp {
        /// The largest input, in real units.
        top: u32,
    },
}

/// Largest input bound, in real units, of an approximated `Exp` (`e^20 ≈ 4.9·10^8`).
pub const EXP_MAX_TOP: u32 = 20;

/// Where an [`Approximated`] function puts its breakpoints and what it does beyond them.
struct Spec {
    /// The first and last breakpoints, real units.
    lo: f64,
    hi: f64,
    /// The step between breakpoints at fine scales (coarsened to `2^-s` if larger).
    step: f64,
    /// The slopes beyond `lo` and beyond `hi` (0 or 1: the asymptote's).
    tails: (f64, f64),
    /// A bound on `|f''|` over `[lo, hi]`.
    curvature: f64,
    /// A bound on `|f(x) − tail line(x)|` beyond the breakpoints: the gap between
    /// the function and its asymptote at the ends (they converge monotonically).
    tail: f64,
}

impl Approximated {
    /// The real function.
    pub fn eval(self, v: f64) -> f64 {
        match self {
            Approximated::Sigmoid => 1.0 / (1.0 + (-v).exp()),
            Approximated::Tanh => v.tanh(),
            Approximated::Gelu => 0.5 * v * (1.0 + libm::erf(v / core::f64::consts::SQRT_2)),
            Approximated::GeluTanh => {
                let c = (2.0 / core::f64::consts::PI).sqrt();
                0.5 * v * (1.0 + libm::tanh(c * (v + 0.044715 * v * v * v)))
            }
            // ln(1 + e^v) = max(v, 0) + ln(1 + e^−|v|), without overflow.
            Approximated::Softplus => v.max(0.0) + libm::log1p(libm::exp(-v.abs())),
            Approximated::Elu { alpha } => {
                if v > 0.0 {
                    v
                } else {
                    alpha * libm::expm1(v)
                }
            }
            Approximated::HardSwish => v * (v + 3.0).clamp(0.0, 6.0) / 6.0,
            Approximated::Exp { .. } => libm::exp(v),
        }
    }

    fn spec(self) -> Spec {
        match self {
            // max |σ''| = 1/(6√3) ≈ 0.0962; the tails' gap is σ(−8).
            Approximated::Sigmoid => {
                Spec { lo: -8.0, hi: 8.0, step: 0.25, tails: (0.0, 0.0), curvature: 0.0963, tail: self.eval(-8.0) }
            }
            // max |tanh''| = 4/(3√3) ≈ 0.770; the tails' gap is 1 − tanh(4).
            Approximated::Tanh => {
                Spec { lo: -4.0, hi: 4.0, step: 0.125, tails: (0.0, 0.0), curvature: 0.770, tail: 1.0 - self.eval(4.0) }
            }
            // GELU'' = φ(x)·(2 − x²), largest at 0: 2φ(0) ≈ 0.7979 (the tanh form's too); the
            // gaps to 0 and to x are |GELU(±4) − max(±4, 0)| (≈ 1.3e-4).
            Approximated::Gelu | Approximated::GeluTanh => Spec {
                lo: -4.0,
                hi: 4.0,
                step: 0.125,
                tails: (0.0, 1.0),
                curvature: 0.798,
                tail: self.eval(-4.0).abs().max((self.eval(4.0) - 4.0).abs()),
            },
            // softplus'' = σ(1 − σ) ≤ 1/4; the gaps to 0 and to x are ln(1 + e^−8).
            Approximated::Softplus => {
                Spec { lo: -8.0, hi: 8.0, step: 0.25, tails: (0.0, 1.0), curvature: 0.25, tail: self.eval(-8.0) }
            }
            // ELU'' = alpha·e^x ≤ |alpha| on x ≤ 0; the gap to −alpha is |alpha|·e^−8.
            Approximated::Elu { alpha } => Spec {
                lo: -8.0,
                hi: 0.0,
                step: 0.125,
                tails: (0.0, 1.0),
                curvature: alpha.abs(),
                tail: alpha.abs() * libm::exp(-8.0),
            },
            // Quadratic x(x + 3)/6 between −3 and 3 (f'' = 1/3), exactly 0 and x beyond.
            Approximated::HardSwish => {
                Spec { lo: -3.0, hi: 3.0, step: 0.125, tails: (0.0, 1.0), curvature: 1.0 / 3.0, tail: 0.0 }
            }
            // exp'' = e^x ≤ e^top; the gap to 0 below −10 is e^−10; no input exceeds top.
            Approximated::Exp { top } => Spec {
                lo: -10.0,
                hi: f64::from(top),
                step: 0.0625,
                tails: (0.0, 0.0),
                curvature: libm::exp(f64::from(top)),
                tail: libm::exp(-10.0),
            },
        }
    }

    /// The step between breakpoints at scale `2^s`: the function's own, or the grid
    /// step `2^-s` when that is coarser (so that breakpoints stay distinct integers).
    fn step(spec: &Spec, s: u32) -> f64 {
        spec.step.max((-(s as i32) as f64).exp2())
    }

    /// Bound on `|piecewise(x) − f(x/2^s)|` (real units) for every integer `x` at scale
    /// `2^s` (for `Exp`, every `x ≤ top·2^s`): the chords' error `max|f''|·step²/8` or
    /// the tails' gap, whichever is larger, plus the slope's rounding over one step
    /// `2^-(s+1)·step`, the offset's `2^-(2s+1)` and the output's `2^-(s+1)`.
    pub fn error_bound(self, s: u32) -> f64 {
        let spec = self.spec();
        let step = Self::step(&spec, s);
        let grid = (-(s as i32 + 1) as f64).exp2();
        (spec.curvature * step * step / 8.0).max(spec.tail) + grid * step + 2.0 * grid * grid + grid
    }
}

/// The function's name in messages: `gelu (tanh form)`, `elu (alpha 0.5)`, `exp of
/// inputs up to 4`.
impl core::fmt::Display for Approximated {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Approximated::Sigmoid => f.write_str("sigmoid"),
            Approximated::Tanh => f.write_str("tanh"),
            Approximated::Gelu => f.write_str("gelu"),
            Approximated::GeluTanh => f.write_str("gelu (tanh form)"),
            Approximated::Softplus => f.write_str("softplus"),
            Approximated::Elu { alpha } => write!(f, "elu (alpha {alpha})"),
            Approximated::HardSwish => f.write_str("hardswish"),
            Approximated::Exp { top } => write!(f, "exp of inputs up to {top}"),
        }
    }
}

impl Approximated {
    /// `Exp` for inputs bounded by `bound` at scale `2^s` (the layer input's bound):
    /// refused, with the reason, when that bound exceeds [`EXP_MAX_TOP`] in real units
    /// or `e^top` does not fit the layer's constants (±2^60 at scale `2^(2s)`).
    pub fn exp(bound: i128, s: u32) -> Result<Approximated, String> {
        let real = bound as f64 / (1u64 << s) as f64;
        let top = real.ceil().max(0.0);
        if top > f64::from(EXP_MAX_TOP) {
            return Err(format!(
                "its input reaches ±{real:.4e}, and e^x is only approximated up to x = {EXP_MAX_TOP} \
                 (e^{EXP_MAX_TOP} ≈ 4.9e8)"
            ));
        }
        let f = Approximated::Exp { top: top as u32 };
        Piecewise::approximate(f, s)
            .check()
            .map_err(|e| format!("its input reaches ±{real:.4e}, and e^{top} does not fit at scale 2^-{s}: {e}"))?;
        Ok(f)
    }
}

impl Piecewise {
    /// The chord approximation of `f` at scale `2^s` (see [`Approximated`]).
    pub fn approximate(f: Approximated, s: u32) -> Piecewise {
        let spec = f.spec();
        let step = Approximated::step(&spec, s);
        let one = (1u64 << s) as f64;
        let n = ((spec.hi - spec.lo) / step).round() as usize;
        let points: Vec<f64> = (0..=n).map(|k| spec.lo + k as f64 * step).collect();
        // Breakpoints on the grid (the reals above are multiples of the step, itself a
        // power of two no finer than 2^-s: exact).
        let breakpoints: Vec<i64> = points.iter().map(|t| (t * one).round() as i64).collect();
        let (mut slopes, mut offsets) = (Vec::with_capacity(n + 2), Vec::with_capacity(n + 2));
        // The line of slope `slope` through (t_k, f(t_k)), written around t_k. A constant
        // beyond ±2^60 (an `Exp` with too high a top) is kept just beyond, for
        // [`Piecewise::check`] to refuse.
        let far = i128::from(MAX_PIECE_CONST) + 1;
        let mut line = |slope: f64, k: usize| {
            let a = ((slope * one).round() as i128).clamp(-far, far);
            let c = (f.eval(points[k]) * one * one).round() as i128 - a * i128::from(breakpoints[k]);
            slopes.push(a as i64);
            offsets.push(c.clamp(-far, far) as i64);
        };
        line(spec.tails.0, 0);
        for k in 0..n {
            // The chord through (t_k, f(t_k)) and (t_{k+1}, f(t_{k+1})), written around t_k so
            // that the slope's rounding costs at most 2^-(s+1) over one step.
            line((f.eval(points[k + 1]) - f.eval(points[k])) / step, k);
        }
        line(spec.tails.1, n);
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

    /// Every function the importer approximates, with the parameters the tests use.
    const ALL: [Approximated; 11] = [
        Approximated::Sigmoid,
        Approximated::Tanh,
        Approximated::Gelu,
        Approximated::GeluTanh,
        Approximated::Softplus,
        Approximated::Elu { alpha: 1.0 },
        Approximated::Elu { alpha: 0.3 },
        Approximated::HardSwish,
        Approximated::Exp { top: 0 },
        Approximated::Exp { top: 4 },
        Approximated::Exp { top: 9 },
    ];

    /// Every input of a wide range (for `Exp`, up to its top), at several scales: the
    /// layer's output is within the stated bound of the real function.
    #[test]
    fn approximations_stay_within_their_bound() {
        for f in ALL {
            for s in [6u32, 8, 12, 16] {
                let p = Piecewise::approximate(f, s);
                p.check().unwrap();
                let one = (1i64 << s) as f64;
                let bound = f.error_bound(s);
                let mut worst = 0f64;
                let top = match f {
                    Approximated::Exp { top } => i64::from(top) << s,
                    _ => 12i64 << s,
                };
                let range = 12i64 << s;
                let stride = (range >> 17).max(1);
                for x in (-range..=top).step_by(stride as usize) {
                    let y = requantize(p.acc(x), s).0 as f64 / one;
                    worst = worst.max((y - f.eval(x as f64 / one)).abs());
                }
                assert!(worst <= bound, "{f:?} at s = {s}: error {worst} above the bound {bound}");
                // The bound is not vacuous: within a factor 3 of what is reached.
                assert!(worst * 3.0 >= bound, "{f:?} at s = {s}: error {worst}, bound {bound}");
            }
        }
        // The bounds at the default scale, as PROTOCOL.md §2.1 states them.
        let at12 = |f: Approximated| f.error_bound(12);
        assert!(at12(Approximated::Sigmoid) < 1e-3);
        assert!(at12(Approximated::Tanh) < 2e-3);
        assert!(at12(Approximated::Gelu) < 2e-3 && at12(Approximated::GeluTanh) < 2e-3);
        assert!(at12(Approximated::Softplus) < 2.5e-3);
        assert!(at12(Approximated::Elu { alpha: 1.0 }) < 2.5e-3);
        assert!(at12(Approximated::HardSwish) < 1e-3);
        assert!(at12(Approximated::Exp { top: 0 }) < 1e-3);
    }

    /// The constants the bounds rest on: `max|f''|` on the breakpoints' range (by
    /// second differences) and the tails' distance from their lines.
    #[test]
    fn curvature_and_tail_constants_hold() {
        for f in ALL {
            let spec = f.spec();
            let h = 1e-3;
            let n = ((spec.hi - spec.lo) / h) as usize;
            for k in 1..n {
                let x = spec.lo + k as f64 * h;
                let d2 = (f.eval(x + h) - 2.0 * f.eval(x) + f.eval(x - h)) / (h * h);
                assert!(d2.abs() <= spec.curvature * 1.001 + 1e-6, "{f:?}: f''({x}) = {d2} > {}", spec.curvature);
            }
            for k in 0..4000 {
                let d = k as f64 * 0.01;
                let below = f.eval(spec.lo) + spec.tails.0 * -d;
                let above = f.eval(spec.hi) + spec.tails.1 * d;
                assert!((f.eval(spec.lo - d) - below).abs() <= spec.tail + 1e-12, "{f:?} at lo − {d}");
                if !matches!(f, Approximated::Exp { .. }) {
                    assert!((f.eval(spec.hi + d) - above).abs() <= spec.tail + 1e-12, "{f:?} at hi + {d}");
                }
            }
        }
    }

    #[test]
    fn exp_is_refused_beyond_its_range_and_what_it_represents() {
        let s = 12;
        assert_eq!(Approximated::exp(0, s), Ok(Approximated::Exp { top: 0 }));
        assert_eq!(Approximated::exp(3 << s, s), Ok(Approximated::Exp { top: 3 }));
        assert_eq!(Approximated::exp((3 << s) + 1, s), Ok(Approximated::Exp { top: 4 }));
        assert_eq!(Approximated::exp(20 << s, s), Ok(Approximated::Exp { top: 20 }));
        let err = Approximated::exp((20 << s) + 1, s).unwrap_err();
        assert!(err.contains("its input reaches ±2.0000e1, and e^x is only approximated up to x = 20"), "{err}");
        // At scale 2^-20, e^20 at scale 2^40 is beyond ±2^60.
        let err = Approximated::exp(20 << 20, 20).unwrap_err();
        assert!(err.contains("e^20 does not fit at scale 2^-20: a breakpoint, slope or offset beyond"), "{err}");
        // Made by hand beyond the cap, the layer is refused by `check`, not built wrong.
        assert!(Piecewise::approximate(Approximated::Exp { top: 60 }, 12).check().is_err());
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
