//! Input domains: the values each model input may take.
//!
//! By default an input takes any value in `±input_bound` (scale `2^s`: any real in
//! `±input_bound/2^s`, quantized). A model may declare a narrower domain for an
//! input ([`Model::input_domains`](super::Model::input_domains)):
//!
//! * [`InputDomain::Interval`]: the quantized values `lo..=hi`, a real interval
//!   (`amount` in `[0, 1000]`);
//! * [`InputDomain::Integers`]: the integers `lo..=hi` in real units, quantized
//!   to `k·2^s` (a count, an hour, a flag: `bool` is the integers `0..=1`).
//!
//! The evaluator and the verifier refuse an input outside its domain, and the
//! circuit proves that every hidden input lies in its domain. Both kinds are one
//! arithmetic progression `x = step·(start + k)`, `0 ≤ k ≤ span` ([`Lattice`]),
//! which the circuit checks with a decomposition of `k` into `bitlen(span)` bits, or
//! with one product row when `span = 1`. So a narrower domain is a cheaper range
//! check: a flag costs one row instead of the `bitlen(2·input_bound) + 1` rows of
//! the default.
//!
//! **Syntax** ([`parse_domains`], `zkpolicy setup --input-domains` and the ONNX
//! metadata `zkpolicy.feature_domains`): comma-separated clauses `RANGES=DOMAIN`
//! applied in order, `RANGES` selecting inputs as in `--visibility`
//! ([`crate::frontend::selection`]), `DOMAIN` one of `LO:HI` (real values, ends
//! quantized like inputs), `int:LO:HI` (integers) and `bool` (`int:0:1`). Example:
//! `amount=0:1000,hour=int:0:23,vendor_is_0..=vendor_is_99+trusted=bool`.

use core::ops::Range;

use crate::frontend::selection::{parse_selection, SelectionError};

/// The values one input may take, when narrower than the model's `±input_bound`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputDomain {
    /// The quantized values `lo..=hi` (scale `2^s`), `lo < hi`.
    Interval {
        /// Smallest quantized value.
        lo: i64,
        /// Largest quantized value.
        hi: i64,
    },
    /// The integers `lo..=hi` (real units), quantized to `lo·2^s ..= hi·2^s` in steps
    /// of `2^s`; `lo < hi`.
    Integers {
        /// Smallest integer.
        lo: i64,
        /// Largest integer.
        hi: i64,
    },
}

/// The declared domains of a model's inputs, held as maximal runs of consecutive
/// inputs with one domain: ordered, disjoint, and two adjacent runs never have the
/// same domain. So it takes memory per run, as the model encoding does (a run is at
/// least five bytes of key), never per input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct InputDomains {
    runs: Vec<(Range<usize>, InputDomain)>,
}

impl InputDomains {
    /// The runs, in input order.
    pub fn runs(&self) -> &[(Range<usize>, InputDomain)] {
        &self.runs
    }

    /// Whether no input has a declared domain.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The declared domain of input `index`.
    pub fn get(&self, index: usize) -> Option<InputDomain> {
        let run = self.runs.partition_point(|(r, _)| r.end <= index);
        self.runs.get(run).filter(|(r, _)| r.contains(&index)).map(|(_, d)| *d)
    }

    /// Declares `domain` for the inputs `inputs` (`None`: removes their declarations),
    /// keeping the runs maximal.
    pub fn set(&mut self, inputs: Range<usize>, domain: Option<InputDomain>) {
        let mut runs: Vec<(Range<usize>, InputDomain)> = Vec::with_capacity(self.runs.len() + 2);
        for (r, d) in self.runs.drain(..) {
            for part in [r.start..r.end.min(inputs.start), r.start.max(inputs.end)..r.end] {
                if !part.is_empty() {
                    runs.push((part, d));
                }
            }
        }
        if let Some(d) = domain.filter(|_| !inputs.is_empty()) {
            runs.push((inputs, d));
        }
        runs.sort_by_key(|(r, _)| r.start);
        for (r, d) in runs {
            match self.runs.last_mut() {
                Some((last, l)) if last.end == r.start && *l == d => last.end = r.end,
                _ => self.runs.push((r, d)),
            }
        }
    }

    /// Declares `domain` for input `index`.
    pub fn insert(&mut self, index: usize, domain: InputDomain) {
        self.set(index..index + 1, Some(domain));
    }

    /// The domains of these runs, if they are ordered, disjoint, nonempty and maximal
    /// (else which rule they break: the canonical form of the model encoding).
    pub fn from_runs(runs: Vec<(Range<usize>, InputDomain)>) -> Result<Self, &'static str> {
        for (i, (r, d)) in runs.iter().enumerate() {
            match i.checked_sub(1).map(|j| &runs[j]) {
                _ if r.is_empty() => return Err("domain run length"),
                Some((prev, _)) if r.start < prev.end => return Err("domain run order"),
                Some((prev, p)) if r.start == prev.end && p == d => return Err("domain runs"),
                _ => {}
            }
        }
        Ok(InputDomains { runs })
    }
}

impl FromIterator<(usize, InputDomain)> for InputDomains {
    fn from_iter<T: IntoIterator<Item = (usize, InputDomain)>>(iter: T) -> Self {
        let mut domains = InputDomains::default();
        for (index, domain) in iter {
            domains.insert(index, domain);
        }
        domains
    }
}

/// A domain as the arithmetic progression the circuit checks:
/// `x = step·(start + k)` for `k` in `0..=span`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lattice {
    /// `1` for an interval, `2^s` for integers.
    pub step: i64,
    /// The smallest value divided by `step`.
    pub start: i64,
    /// The number of steps from the smallest value to the largest (at least 1).
    pub span: u64,
}

impl Lattice {
    /// Whether `x` is one of the progression's values.
    pub fn contains(&self, x: i64) -> bool {
        x.rem_euclid(self.step) == 0 && {
            let k = i128::from(x.div_euclid(self.step)) - i128::from(self.start);
            (0..=i128::from(self.span)).contains(&k)
        }
    }

    /// The smallest and the largest value (saturated to `i64`; a validated model's
    /// domains lie within `±2^40`).
    pub fn ends(&self) -> (i64, i64) {
        let (step, start) = (i128::from(self.step), i128::from(self.start));
        let saturate = |v: i128| v.clamp(i64::MIN.into(), i64::MAX.into()) as i64;
        (saturate(step * start), saturate(step * (start + i128::from(self.span))))
    }
}

impl InputDomain {
    /// The default domain of a model with input bound `bound`: every quantized value in `±bound`.
    pub fn default_for(bound: i64) -> Self {
        InputDomain::Interval { lo: -bound, hi: bound }
    }

    /// The domain as a progression at scale `2^scale_bits`. For a domain that passed
    /// [`InputDomain::check`] nothing overflows.
    pub fn lattice(&self, scale_bits: u32) -> Lattice {
        let (step, lo, hi) = match *self {
            InputDomain::Interval { lo, hi } => (1, lo, hi),
            InputDomain::Integers { lo, hi } => (1i64 << scale_bits, lo, hi),
        };
        Lattice { step, start: lo, span: hi.abs_diff(lo) }
    }

    /// Why the domain is not allowed for a model with input bound `bound` at scale
    /// `2^scale_bits`: its ends must be ordered (`lo < hi`) and its values within `±bound`.
    pub fn check(&self, bound: i64, scale_bits: u32) -> Result<(), String> {
        let (InputDomain::Interval { lo, hi } | InputDomain::Integers { lo, hi }) = *self;
        if lo >= hi {
            return Err(format!("its ends {lo} and {hi} are not increasing"));
        }
        let (lo, hi) = self.lattice(scale_bits).ends();
        if lo < -bound || hi > bound {
            return Err(format!(
                "its values reach {lo}..={hi} (scale 2^{scale_bits}), beyond the input bound ±{bound}"
            ));
        }
        Ok(())
    }

    /// The domain in real units, for messages: `[0, 1000]`, `the integers 0..=23`,
    /// `0 or 1`.
    pub fn describe(&self, scale_bits: u32) -> String {
        match *self {
            InputDomain::Interval { lo, hi } => {
                let real = |v: i64| super::format_real(v as f64 / (1u64 << scale_bits) as f64);
                format!("[{}, {}]", real(lo), real(hi))
            }
            InputDomain::Integers { lo, hi } if hi.abs_diff(lo) == 1 => format!("{lo} or {hi}"),
            InputDomain::Integers { lo, hi } => format!("the integers {lo}..={hi}"),
        }
    }
}

/// Why a domain specification is rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A clause is not `RANGES=DOMAIN`.
    #[error("input domain clause {0:?} is not RANGES=DOMAIN (e.g. amount=0:1000, hour=int:0:23, 3..7=bool)")]
    Clause(String),
    /// A clause's `RANGES` is not a selection of the model's inputs.
    #[error("input domain {0}")]
    Selection(#[from] SelectionError),
    /// A `DOMAIN` is not `LO:HI`, `int:LO:HI` or `bool`.
    #[error("input domain {0:?} is not LO:HI (real values), int:LO:HI (integers) or bool")]
    Syntax(String),
    /// A domain is empty, or reaches beyond the input range.
    #[error("input domain {text:?} of input {index}: {reason}")]
    Invalid {
        /// The domain as written.
        text: String,
        /// The first input it was given to.
        index: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Parses a domain specification (see the module docs) for a model with the given
/// input names, scale and input bound. Returns the declared domains; a domain equal
/// to the default `±input_bound` is not recorded.
pub fn parse_domains(
    spec: &str,
    names: &[String],
    scale_bits: u32,
    input_bound: i64,
) -> Result<InputDomains, DomainError> {
    let mut domains = InputDomains::default();
    let index_of = |name: &str| names.iter().position(|n| n == name);
    for clause in spec.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let Some((ranges, text)) = clause.rsplit_once('=') else {
            return Err(DomainError::Clause(clause.to_owned()));
        };
        let domain = parse_domain(text.trim(), scale_bits)?;
        for range in parse_selection(ranges, names.len(), &index_of)? {
            let invalid = |reason| DomainError::Invalid { text: text.trim().to_owned(), index: range.start, reason };
            domain.check(input_bound, scale_bits).map_err(invalid)?;
            domains.set(range, (domain != InputDomain::default_for(input_bound)).then_some(domain));
        }
    }
    Ok(domains)
}

/// Parses one `DOMAIN`: `LO:HI`, `int:LO:HI` or `bool`.
fn parse_domain(text: &str, scale_bits: u32) -> Result<InputDomain, DomainError> {
    let bad = || DomainError::Syntax(text.to_owned());
    if text == "bool" {
        return Ok(InputDomain::Integers { lo: 0, hi: 1 });
    }
    if let Some(rest) = text.strip_prefix("int:") {
        let (lo, hi) = rest.split_once(':').ok_or_else(bad)?;
        let int = |v: &str| v.trim().parse().map_err(|_| bad());
        return Ok(InputDomain::Integers { lo: int(lo)?, hi: int(hi)? });
    }
    let (lo, hi) = text.split_once(':').ok_or_else(bad)?;
    // Ends are quantized like inputs (`round(v·2^s)`); beyond ±2^40 they fail the bound check.
    let quantize = |v: &str| -> Result<i64, DomainError> {
        let v: f64 = v.trim().parse().map_err(|_| bad())?;
        let q = libm::round(v * (1u64 << scale_bits) as f64);
        match v.is_finite() && q.abs() <= (1u64 << 41) as f64 {
            true => Ok(q as i64),
            false => Err(bad()),
        }
    };
    Ok(InputDomain::Interval { lo: quantize(lo)?, hi: quantize(hi)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["amount", "hour", "flag_a", "flag_b"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn clauses_select_inputs_and_quantize_ends() {
        let d = parse_domains("amount=0:1000, hour=int:0:23, flag_a..=flag_b=bool", &names(), 4, 1 << 20).unwrap();
        assert_eq!(d.get(0), Some(InputDomain::Interval { lo: 0, hi: 16_000 }));
        assert_eq!(d.get(1), Some(InputDomain::Integers { lo: 0, hi: 23 }));
        assert_eq!(d.get(2), Some(InputDomain::Integers { lo: 0, hi: 1 }));
        assert_eq!(d.get(3), Some(InputDomain::Integers { lo: 0, hi: 1 }));
        assert_eq!(d.runs().len(), 3);
        // Later clauses win; a clause giving the default removes the declaration.
        let d = parse_domains("0..4=bool,2=-0.5:0.25,3=-65536:65536", &names(), 4, 1 << 20).unwrap();
        let flag = InputDomain::Integers { lo: 0, hi: 1 };
        assert_eq!(d.runs(), [(0..2, flag), (2..3, InputDomain::Interval { lo: -8, hi: 4 })]);
        assert_eq!(d.get(3), None);
    }

    #[test]
    fn bad_specifications_name_what_is_wrong() {
        let parse = |spec| parse_domains(spec, &names(), 4, 1 << 20);
        assert_eq!(parse("amount"), Err(DomainError::Clause("amount".into())));
        assert_eq!(parse("amount=0..1"), Err(DomainError::Syntax("0..1".into())));
        assert_eq!(parse("amount=int:0:1.5"), Err(DomainError::Syntax("int:0:1.5".into())));
        assert_eq!(parse("amount=nan:1"), Err(DomainError::Syntax("nan:1".into())));
        assert!(matches!(parse("vendor=bool"), Err(DomainError::Selection(SelectionError::Range(_)))));
        assert!(matches!(parse("3..5=bool"), Err(DomainError::Selection(SelectionError::OutOfBounds { .. }))));
        // Empty, reversed, or beyond ±input_bound (2^20 at scale 2^4: ±65536).
        for spec in ["hour=int:3:3", "hour=5:1", "amount=0:65537", "hour=int:-65537:0", "amount=0:1e300"] {
            assert!(matches!(parse(spec), Err(DomainError::Invalid { .. } | DomainError::Syntax(_))), "{spec}");
        }
        let Err(DomainError::Invalid { index, reason, .. }) = parse("hour=int:0:70000") else { panic!() };
        assert_eq!(index, 1);
        assert!(reason.contains("beyond the input bound"), "{reason}");
    }

    #[test]
    fn runs_stay_ordered_disjoint_and_maximal() {
        let (a, b) = (InputDomain::Integers { lo: 0, hi: 1 }, InputDomain::Interval { lo: -3, hi: 9 });
        let mut d = InputDomains::default();
        d.set(2..8, Some(a));
        d.set(4..6, Some(b));
        assert_eq!(d.runs(), [(2..4, a), (4..6, b), (6..8, a)]);
        d.set(4..6, Some(a));
        assert_eq!(d.runs(), [(2..8, a)]);
        d.set(0..3, None);
        d.insert(8, a);
        d.set(5..5, Some(b));
        assert_eq!(d.runs(), [(3..9, a)]);
        assert_eq!((d.get(2), d.get(3), d.get(8), d.get(9)), (None, Some(a), Some(a), None));
        let collected: InputDomains = [(1, b), (0, a), (2, b)].into_iter().collect();
        assert_eq!(collected.runs(), [(0..1, a), (1..3, b)]);
        assert_eq!(InputDomains::from_runs(collected.runs().to_vec()), Ok(collected));
        assert_eq!(InputDomains::from_runs(vec![(0..2, a), (2..3, a)]), Err("domain runs"));
        assert_eq!(InputDomains::from_runs(vec![(0..2, a), (1..3, b)]), Err("domain run order"));
        assert_eq!(InputDomains::from_runs(vec![(2..2, a)]), Err("domain run length"));
    }

    #[test]
    fn lattices_hold_exactly_the_domain() {
        let s = 3;
        for domain in [
            InputDomain::Interval { lo: -5, hi: 7 },
            InputDomain::Interval { lo: 2, hi: 3 },
            InputDomain::Integers { lo: -2, hi: 3 },
            InputDomain::Integers { lo: 0, hi: 1 },
        ] {
            let lattice = domain.lattice(s);
            let (lo, hi) = lattice.ends();
            let members: Vec<i64> = (-64..=64).filter(|x| lattice.contains(*x)).collect();
            let expected: Vec<i64> = match domain {
                InputDomain::Interval { lo, hi } => (lo..=hi).collect(),
                InputDomain::Integers { lo, hi } => (lo..=hi).map(|k| k << s).collect(),
            };
            assert_eq!(members, expected, "{domain:?}");
            assert_eq!((lo, hi), (expected[0], *expected.last().unwrap()));
            assert_eq!(lattice.span as usize, expected.len() - 1);
        }
        assert_eq!(InputDomain::Integers { lo: 0, hi: 1 }.describe(s), "0 or 1");
        assert_eq!(InputDomain::Integers { lo: 0, hi: 23 }.describe(s), "the integers 0..=23");
        assert_eq!(InputDomain::Interval { lo: -4, hi: 8000 }.describe(s), "[-0.5, 1000]");
    }
}
