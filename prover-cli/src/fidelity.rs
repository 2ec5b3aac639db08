//! Fidelity of the quantized model against the float original over a labelled set.

use std::path::Path;

use serde::Serialize;

use zkpolicy_core::frontend::model::SCALE_BITS_RANGE;

use crate::input::{input_from_json, read_text, InputError};
use crate::onnx::{load_onnx, verdict_matches_label, ImportError, ImportOptions, ImportedModel, RunError};

/// How many disagreeing rows a report lists.
pub const MAX_LISTED: usize = 10;

/// One row of a labelled test set.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledRow {
    /// The real input.
    pub input: Vec<f64>,
    /// The expected decision: 1 approve / 0 deny, or the class index.
    pub label: i64,
}

/// Reads a JSON-lines test set: one `{"input": [...], "label": 0|1}` per line (blank lines skipped).
/// Rows may give `"input"` as an object by the policy's input `names`.
pub fn read_test_set(path: impl AsRef<Path>, names: &[String]) -> Result<Vec<LabelledRow>, InputError> {
    let path = path.as_ref();
    let text = read_text(path)?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |e: InputError| InputError::Line { path: path.to_path_buf(), line: i + 1, source: Box::new(e) };
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| at(e.into()))?;
        let input = input_from_json(&value, names).map_err(at)?;
        let label = value
            .get("label")
            .and_then(serde_json::Value::as_i64)
            .ok_or_else(|| at(InputError::Format("no integer \"label\"".into())))?;
        rows.push(LabelledRow { input, label });
    }
    if rows.is_empty() {
        return Err(InputError::Format(format!("{} has no rows", path.display())));
    }
    Ok(rows)
}

/// A row on which the float and quantized decisions differ.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Disagreement {
    /// 0-based row index.
    pub row: usize,
    /// The row's label.
    pub label: i64,
    /// Float decision.
    pub float_verdict: String,
    /// Quantized decision.
    pub quantized_verdict: String,
    /// Float score on the decision output (threshold rules only).
    pub float_score: Option<f64>,
    /// Quantized score on the decision output (threshold rules only).
    pub quantized_score: Option<f64>,
}

/// The result of a fidelity run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FidelityReport {
    /// Number of rows.
    pub rows: usize,
    /// Rows where the float and quantized decisions agree.
    pub agree: usize,
    /// Rows where the float decision matches the label.
    pub float_correct: usize,
    /// Rows where the quantized decision matches the label.
    pub quantized_correct: usize,
    /// Largest `|float - quantized|` on the decision output (all outputs for argmax).
    pub max_error: f64,
    /// Mean of that error over the rows.
    pub mean_error: f64,
    /// Rows with at least one clamped input (only with clamping; without it such a
    /// row is an error).
    pub clamped_rows: usize,
    /// Clamped rows on which the float decision (on the input as given) and the
    /// quantized decision (on the clamped input) agree.
    pub clamped_agree: usize,
    /// The first [`MAX_LISTED`] disagreeing rows.
    pub disagreements: Vec<Disagreement>,
}

impl FidelityReport {
    /// Agreement in percent.
    pub fn agreement_percent(&self) -> f64 {
        100.0 * self.agree as f64 / self.rows as f64
    }
}

/// A fidelity run failed on a row.
#[derive(Debug, thiserror::Error)]
#[error("row {row}: {source}")]
pub struct FidelityError {
    /// 0-based row index.
    pub row: usize,
    /// The error.
    #[source]
    pub source: RunError,
}

/// What to do with inputs outside the model's input range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutOfRange {
    /// Fail on the first such row ([`FidelityError`] names it).
    Refuse,
    /// Clamp them for the quantized model, count the rows in
    /// [`FidelityReport::clamped_rows`] and their agreement in
    /// [`FidelityReport::clamped_agree`]; they stay in every other statistic.
    Clamp,
}

/// Runs the float and the quantized model on every row and compares decisions and scores.
pub fn evaluate(
    model: &ImportedModel,
    rows: &[LabelledRow],
    out_of_range: OutOfRange,
) -> Result<FidelityReport, FidelityError> {
    let mut report = FidelityReport {
        rows: rows.len(),
        agree: 0,
        float_correct: 0,
        quantized_correct: 0,
        max_error: 0.0,
        mean_error: 0.0,
        clamped_rows: 0,
        clamped_agree: 0,
        disagreements: Vec::new(),
    };
    let index = model.decision.output_index();
    let mut total = 0.0;
    for (row, r) in rows.iter().enumerate() {
        let c = match out_of_range {
            OutOfRange::Refuse => model.compare(&r.input),
            OutOfRange::Clamp => model.compare_clamped(&r.input),
        };
        let c = c.map_err(|source| FidelityError { row, source })?;
        let errors = c.abs_errors();
        let err = match index {
            Some(i) => errors.get(i).copied().unwrap_or(0.0),
            None => errors.iter().copied().fold(0.0, f64::max),
        };
        report.max_error = report.max_error.max(err);
        total += err;
        let clamped = !c.input.clamped.is_empty();
        report.clamped_rows += usize::from(clamped);
        report.clamped_agree += usize::from(clamped && c.float_verdict == c.quantized_verdict);
        report.float_correct += usize::from(verdict_matches_label(&c.float_verdict, r.label));
        report.quantized_correct += usize::from(verdict_matches_label(&c.quantized_verdict, r.label));
        if c.float_verdict == c.quantized_verdict {
            report.agree += 1;
        } else if report.disagreements.len() < MAX_LISTED {
            let score = |v: &[f64]| index.and_then(|i| v.get(i).copied());
            report.disagreements.push(Disagreement {
                row,
                label: r.label,
                float_verdict: c.float_verdict.to_string(),
                quantized_verdict: c.quantized_verdict.to_string(),
                float_score: score(&c.float_outputs),
                quantized_score: score(&c.quantized_real),
            });
        }
    }
    report.mean_error = total / rows.len().max(1) as f64;
    Ok(report)
}

/// One scale tried by [`calibrate_scale`] before the one it picked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScaleTrial {
    /// The scale exponent tried.
    pub scale_bits: u32,
    /// Why it was not picked: the first disagreeing row, or why the model cannot
    /// be imported or proved at this scale.
    pub rejected: String,
}

/// The result of [`calibrate_scale`].
#[derive(Debug)]
pub struct Calibration {
    /// The model imported at the picked scale.
    pub model: ImportedModel,
    /// Its fidelity on the calibration set (full decision agreement).
    pub report: FidelityReport,
    /// The smaller scales tried and why each was not picked, in increasing order.
    pub rejected: Vec<ScaleTrial>,
}

/// Why [`calibrate_scale`] found no scale.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    /// The model cannot be imported whatever the scale.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A row cannot be evaluated (an input outside the input range, a wrong length).
    #[error("calibration set {0}")]
    Row(#[from] FidelityError),
    /// No scale gives full decision agreement (or every such scale is unprovable).
    #[error("no scale from {} to {} gives the float model's decision on every row of the calibration set (and a provable model): {}", SCALE_BITS_RANGE.start(), SCALE_BITS_RANGE.end(), summary(.0))]
    NoScale(Vec<ScaleTrial>),
}

fn summary(trials: &[ScaleTrial]) -> String {
    trials.iter().map(|t| format!("s = {}: {}", t.scale_bits, t.rejected)).collect::<Vec<_>>().join("; ")
}

/// Picks the smallest scale exponent `s` (from [`SCALE_BITS_RANGE`]) at which the
/// model imports, is provable ([`ImportedModel::provable`]) and its quantized
/// decisions equal the float model's on every row of `rows`. The other options
/// come from `options` (its `scale_bits` is ignored). A smaller scale means
/// fewer bits in every range check, so a smaller circuit.
///
/// Errors that do not depend on the scale (the file, an unsupported op) stop the
/// search at once; so does a row that cannot be evaluated (an input outside the
/// input range: clamping would calibrate on other inputs than the ones given).
pub fn calibrate_scale(
    path: &Path,
    options: &ImportOptions,
    rows: &[LabelledRow],
) -> Result<Calibration, CalibrationError> {
    let mut rejected = Vec::new();
    for scale_bits in SCALE_BITS_RANGE {
        let reject = |why: String| ScaleTrial { scale_bits, rejected: why };
        let model = match load_onnx(path, &ImportOptions { scale_bits, ..options.clone() }) {
            Ok(m) => m,
            Err(e @ (ImportError::Overflow { .. } | ImportError::Model(_) | ImportError::Options(_))) => {
                rejected.push(reject(e.to_string()));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if let Err(e) = model.provable() {
            rejected.push(reject(format!("not provable: {e}")));
            continue;
        }
        match first_disagreement(&model, rows)? {
            Some(row) => rejected.push(reject(format!("row {row} disagrees"))),
            None => {
                let report = evaluate(&model, rows, OutOfRange::Refuse)?;
                return Ok(Calibration { model, report, rejected });
            }
        }
    }
    Err(CalibrationError::NoScale(rejected))
}

/// The first row on which the float and quantized decisions differ.
fn first_disagreement(model: &ImportedModel, rows: &[LabelledRow]) -> Result<Option<usize>, FidelityError> {
    for (row, r) in rows.iter().enumerate() {
        let c = model.compare(&r.input).map_err(|source| FidelityError { row, source })?;
        if c.float_verdict != c.quantized_verdict {
            return Ok(Some(row));
        }
    }
    Ok(None)
}
