//! Decision rules: how a model's outputs become approve/deny or a class.

use std::fmt;

use zkpolicy_core::frontend::model::{Decision, Verdict};

use super::error::ImportError;

/// ONNX metadata key holding the decision rule.
pub const DECISION_METADATA_KEY: &str = "zkpolicy.decision";
/// ONNX metadata key holding comma-separated input feature names.
pub const FEATURE_NAMES_METADATA_KEY: &str = "zkpolicy.feature_names";

/// A decision rule in real numbers, as written in `--decision` or the
/// `zkpolicy.decision` metadata: `threshold:INDEX:VALUE` (approve iff
/// `output[INDEX] ≥ VALUE`) or `argmax[:LABEL0,LABEL1,...]`.
#[derive(Clone, Debug, PartialEq)]
pub enum DecisionSpec {
    /// Approve iff `output[index] ≥ value`.
    Threshold {
        /// Which output.
        index: usize,
        /// The threshold in real units.
        value: f64,
    },
    /// The index of the largest output, optionally named.
    ArgMax {
        /// Class names (may be empty).
        labels: Vec<String>,
    },
}

/// Where the decision rule of an imported model came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionSource {
    /// The `--decision` option / [`super::ImportOptions::decision`].
    Option,
    /// The ONNX metadata `zkpolicy.decision`.
    Metadata,
    /// The default: threshold 0.5 on a single output, argmax over several.
    Default,
}

impl fmt::Display for DecisionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DecisionSource::Option => "--decision",
            DecisionSource::Metadata => "metadata zkpolicy.decision",
            DecisionSource::Default => "default",
        })
    }
}

impl DecisionSpec {
    /// Parses `threshold:INDEX:VALUE` or `argmax[:LABELS]`; `origin` names the source in errors.
    pub fn parse(spec: &str, origin: &'static str) -> Result<Self, ImportError> {
        let err = |reason: &str| ImportError::Decision { spec: spec.to_string(), origin, reason: reason.to_string() };
        let mut parts = spec.trim().splitn(2, ':');
        match (parts.next(), parts.next()) {
            (Some("threshold"), Some(rest)) => {
                let (index, value) = rest.split_once(':').ok_or_else(|| err("missing VALUE"))?;
                let index = index.trim().parse::<usize>().map_err(|_| err("INDEX is not a non-negative integer"))?;
                let value = value.trim().parse::<f64>().map_err(|_| err("VALUE is not a number"))?;
                if !value.is_finite() {
                    return Err(err("VALUE must be finite"));
                }
                Ok(DecisionSpec::Threshold { index, value })
            }
            (Some("argmax"), None) => Ok(DecisionSpec::ArgMax { labels: Vec::new() }),
            (Some("argmax"), Some(labels)) => {
                let labels: Vec<String> = labels.split(',').map(|l| l.trim().to_string()).collect();
                if labels.iter().any(String::is_empty) {
                    return Err(err("empty label"));
                }
                Ok(DecisionSpec::ArgMax { labels })
            }
            _ => Err(err("unknown rule")),
        }
    }

    /// The integer rule for a model at scale `2^scale_bits`. A threshold becomes
    /// `ceil(VALUE·2^s)` (or `ceil(VALUE)` on an unscaled argmax output), so that
    /// `q ≥ t` holds exactly when the dequantized output `q/2^s ≥ VALUE`.
    pub fn to_model(&self, scale_bits: u32, ends_in_argmax: bool) -> Result<Decision, ImportError> {
        Ok(match self {
            DecisionSpec::Threshold { index, value } => {
                let scaled = if ends_in_argmax { *value } else { value * (1u64 << scale_bits) as f64 };
                let t = scaled.ceil();
                if t.abs() >= (1u64 << 62) as f64 {
                    return Err(ImportError::Overflow {
                        what: "the decision threshold".into(),
                        value: *value,
                        scale_bits,
                    });
                }
                Decision::Threshold { index: *index, threshold: t as i64 }
            }
            DecisionSpec::ArgMax { labels } => Decision::ArgMax { labels: labels.clone() },
        })
    }

    /// Applies the rule to float outputs (from tract). With `ends_in_argmax`, the
    /// single output is already the class index.
    pub fn decide_float(&self, outputs: &[f64], ends_in_argmax: bool) -> Verdict {
        match self {
            DecisionSpec::Threshold { index, value } => {
                if outputs.get(*index).is_some_and(|y| y >= value) {
                    Verdict::Approve
                } else {
                    Verdict::Deny
                }
            }
            DecisionSpec::ArgMax { labels } => {
                let index = if ends_in_argmax {
                    outputs.first().map_or(0, |v| v.max(0.0) as usize)
                } else {
                    let mut best = 0;
                    for (i, v) in outputs.iter().enumerate() {
                        if *v > outputs[best] {
                            best = i;
                        }
                    }
                    best
                };
                Verdict::Class { index, label: labels.get(index).cloned() }
            }
        }
    }

    /// The index of the output the decision reads: the threshold's output, or `None`
    /// for argmax (which reads them all).
    pub fn output_index(&self) -> Option<usize> {
        match self {
            DecisionSpec::Threshold { index, .. } => Some(*index),
            DecisionSpec::ArgMax { .. } => None,
        }
    }
}

impl fmt::Display for DecisionSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecisionSpec::Threshold { index, value } => write!(f, "threshold:{index}:{value}"),
            DecisionSpec::ArgMax { labels } if labels.is_empty() => f.write_str("argmax"),
            DecisionSpec::ArgMax { labels } => write!(f, "argmax:{}", labels.join(",")),
        }
    }
}

/// Whether a verdict matches a dataset label: 1 = approve and 0 = deny for a
/// threshold rule, the class index for argmax.
pub fn verdict_matches_label(verdict: &Verdict, label: i64) -> bool {
    match verdict {
        Verdict::Approve => label == 1,
        Verdict::Deny => label == 0,
        Verdict::Class { index, .. } => *index as i64 == label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display_round_trip() {
        for s in ["threshold:0:0.5", "threshold:2:-1.25", "argmax", "argmax:allow,deny,review"] {
            assert_eq!(DecisionSpec::parse(s, "test").unwrap().to_string(), s);
        }
        for bad in ["threshold", "threshold:x:0.5", "threshold:0", "threshold:0:nan", "argmax:a,,b", "vote"] {
            assert!(DecisionSpec::parse(bad, "test").is_err(), "{bad}");
        }
    }

    #[test]
    fn threshold_is_exact_on_dequantized_outputs() {
        let d = DecisionSpec::Threshold { index: 0, value: 0.3 };
        let Decision::Threshold { threshold, .. } = d.to_model(4, false).unwrap() else { panic!() };
        // 0.3·16 = 4.8 → 5: q=5 (0.3125) approves, q=4 (0.25) denies.
        assert_eq!(threshold, 5);
    }
}
