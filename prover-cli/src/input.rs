//! Reading request inputs: `{"input": [numbers]}` or EZKL's `{"input_data": [[numbers]]}`.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not JSON.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON does not have the expected structure.
    #[error("{0}; expected {{\"input\": [numbers]}}, {{\"input\": {{\"name\": number, ...}}}} or {{\"input_data\": [[numbers]]}}")]
    Format(String),
    /// An `"input"` object does not name each input exactly once.
    #[error("\"input\" names {problem}; the policy's inputs are {}", list_names(names))]
    Names {
        /// What is wrong: a missing or unknown name.
        problem: String,
        /// The policy's input names, in order.
        names: Vec<String>,
    },
    /// An element is not a number.
    #[error("input value {index} is {found}, not a number (JSON cannot carry NaN or Infinity)")]
    NotANumber {
        /// Which element.
        index: usize,
        /// What was found, as JSON.
        found: String,
    },
    /// An error in a file, with its name.
    #[error("{}: {source}", path.display())]
    InFile {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: Box<InputError>,
    },
    /// An error on one line of a JSON-lines file.
    #[error("{}, line {line}: {source}", path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// The error.
        #[source]
        source: Box<InputError>,
    },
}

/// Numbers of a JSON array.
fn numbers(values: &[Value]) -> Result<Vec<f64>, InputError> {
    values
        .iter()
        .enumerate()
        .map(|(index, v)| match v.as_f64() {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(InputError::NotANumber { index, found: v.to_string() }),
        })
        .collect()
}

/// The names of an error message: all of them up to 12, then a count.
fn list_names(names: &[String]) -> String {
    match names.len() {
        n if n <= 12 => names.join(", "),
        n => format!("{}, … ({n} in all)", names[..12].join(", ")),
    }
}

/// The values of an `"input"` object, in the order of `names`: each name exactly
/// once, each value a finite number.
fn named(fields: &serde_json::Map<String, Value>, names: &[String]) -> Result<Vec<f64>, InputError> {
    let problem = |problem: String| InputError::Names { problem, names: names.to_vec() };
    if let Some(unknown) = fields.keys().find(|k| !names.contains(k)) {
        return Err(problem(format!("{unknown:?}, which is not an input of the policy")));
    }
    names
        .iter()
        .enumerate()
        .map(|(index, name)| match fields.get(name) {
            None => Err(problem(format!("no {name:?}"))),
            Some(v) => match v.as_f64() {
                Some(x) if x.is_finite() => Ok(x),
                _ => Err(InputError::NotANumber { index, found: v.to_string() }),
            },
        })
        .collect()
}

/// Extracts the input vector from a parsed JSON object; `names` are the policy's
/// input names, which an `"input"` object must use.
pub fn input_from_json(value: &Value, names: &[String]) -> Result<Vec<f64>, InputError> {
    let obj = value.as_object().ok_or_else(|| InputError::Format("the JSON is not an object".into()))?;
    match (obj.get("input"), obj.get("input_data")) {
        (Some(Value::Array(values)), _) => numbers(values),
        (Some(Value::Object(fields)), _) => named(fields, names),
        (Some(other), _) => Err(InputError::Format(format!("\"input\" is {}, not an array or an object", kind(other)))),
        (None, Some(Value::Array(tensors))) => match &tensors[..] {
            [Value::Array(values)] => numbers(values),
            [other] => {
                Err(InputError::Format(format!("\"input_data\" holds {}, not an array of numbers", kind(other))))
            }
            _ => Err(InputError::Format(format!(
                "\"input_data\" holds {} tensors; the model takes exactly one",
                tensors.len()
            ))),
        },
        (None, Some(other)) => Err(InputError::Format(format!("\"input_data\" is {}, not an array", kind(other)))),
        (None, None) => Err(InputError::Format("no \"input\" or \"input_data\" key".into())),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses an input JSON document for a policy with input names `names`.
pub fn parse_input(text: &str, names: &[String]) -> Result<Vec<f64>, InputError> {
    input_from_json(&serde_json::from_str(text)?, names)
}

/// Reads the file's text.
pub(crate) fn read_text(path: &Path) -> Result<String, InputError> {
    std::fs::read_to_string(path).map_err(|source| InputError::Io { path: path.to_path_buf(), source })
}

/// Reads and parses an input file for a policy with input names `names`.
pub fn read_input(path: impl AsRef<Path>, names: &[String]) -> Result<Vec<f64>, InputError> {
    let path = path.as_ref();
    parse_input(&read_text(path)?, names)
        .map_err(|e| InputError::InFile { path: path.to_path_buf(), source: Box::new(e) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["amount".into(), "hour".into()]
    }

    #[test]
    fn every_format() {
        assert_eq!(parse_input(r#"{"input": [1, -2.5, 3e2]}"#, &[]).unwrap(), vec![1.0, -2.5, 300.0]);
        assert_eq!(parse_input(r#"{"input_data": [[0.5, 0]]}"#, &[]).unwrap(), vec![0.5, 0.0]);
        assert_eq!(parse_input(r#"{"input": {"hour": 9, "amount": 0.5}}"#, &names()).unwrap(), vec![0.5, 9.0]);
    }

    #[test]
    fn clear_errors() {
        let msg = |t: &str| parse_input(t, &names()).unwrap_err().to_string();
        assert!(msg(r#"{"input": {"amount": 1}}"#)
            .contains("\"input\" names no \"hour\"; the policy's inputs are amount, hour"));
        assert!(
            msg(r#"{"input": {"amount": 1, "hour": 2, "vendor": 3}}"#).contains("\"vendor\", which is not an input")
        );
        assert!(msg(r#"{"input": {"amount": 1, "hour": "9"}}"#).contains("input value 1 is \"9\", not a number"));
        assert!(msg(r#"{"input": [1, "NaN"]}"#).contains("input value 1 is \"NaN\", not a number"));
        assert!(msg(r#"{"input": [1, null]}"#).contains("null, not a number"));
        assert!(msg(r#"{"input_data": [[1], [2]]}"#).contains("2 tensors"));
        assert!(msg(r#"{"input": 3}"#).contains("not an array or an object"));
        assert!(msg(r#"{"x": []}"#).contains("no \"input\""));
        assert!(msg(r#"{"input": [1e400]}"#).contains("invalid JSON"));
        assert!(msg("[1, 2").contains("invalid JSON"));
    }
}
