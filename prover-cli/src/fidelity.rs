//! Fidelity of the quantized model against the float original over a labelled set.

use std::path::Path;

use serde::Serialize;

use crate::input::{input_from_json, read_text, InputError};
use crate::onnx::{verdict_matches_label, ImportedModel, RunError};

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
