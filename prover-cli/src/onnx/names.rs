//! The names and units of a policy's inputs, as setup records them in the keys.
//!
//! Names come from, in this order:
//! 1. the `--input-names` option (one per input, comma-separated);
//! 2. the ONNX metadata `zkpolicy.feature_names` (the same list);
//! 3. the graph's inputs: an input of one value keeps its name, an input of `n`
//!    values gives `name[0]` … `name[n−1]`;
//! 4. `input_0` … for a graph input whose name does not follow the naming rules
//!    (see `zkpolicy_core::policy::InputNames`); the other sources are refused
//!    with the rule instead.
//!
//! Units come from `--input-units` or the metadata `zkpolicy.feature_units`
//! (comma-separated, an empty entry for an input without a unit).

use super::graph::ModelInput;
use super::ImportError;
use zkpolicy_core::policy::{InputNames, Names};

/// ONNX metadata key holding comma-separated input units.
pub const FEATURE_UNITS_METADATA_KEY: &str = "zkpolicy.feature_units";

/// Where the names of the inputs came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NamesSource {
    /// The `--input-names` option.
    Option,
    /// The ONNX metadata `zkpolicy.feature_names`.
    Metadata,
    /// The graph's input names.
    Graph,
    /// `input_0`, … (the graph's input names break the naming rules).
    Indexed,
}

impl std::fmt::Display for NamesSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NamesSource::Option => "--input-names",
            NamesSource::Metadata => "metadata zkpolicy.feature_names",
            NamesSource::Graph => "the graph's inputs",
            NamesSource::Indexed => "input_0, input_1, … (the graph's input names are not valid names)",
        })
    }
}

/// Splits a comma-separated list, trimming each entry.
pub(super) fn split_list(list: &str) -> Vec<String> {
    list.split(',').map(|s| s.trim().to_owned()).collect()
}

/// Resolves the names of a policy called `policy` (see the module docs).
/// `option_*` are the CLI's lists, `metadata_*` the ONNX metadata's.
pub(super) fn resolve(
    policy: &str,
    inputs: &[ModelInput],
    option_names: Option<&[String]>,
    metadata_names: Option<&[String]>,
    units: (Option<&[String]>, Option<&[String]>),
) -> Result<(Names, NamesSource), ImportError> {
    let input_len: usize = inputs.iter().map(|i| i.len).sum();
    let given = option_names.map(|n| (n, NamesSource::Option, "--input-names"));
    let given = given.or(metadata_names.map(|n| (n, NamesSource::Metadata, "metadata zkpolicy.feature_names")));
    let (unit_list, unit_what) = match units {
        (Some(u), _) => (Some(u), "--input-units"),
        (None, Some(u)) => (Some(u), "metadata zkpolicy.feature_units"),
        (None, None) => (None, ""),
    };
    let units = match unit_list {
        Some(u) if u.len() != input_len => {
            return Err(ImportError::Names(format!("{unit_what} lists {} units for {input_len} inputs", u.len())))
        }
        Some(u) => u.iter().map(|u| (!u.is_empty()).then(|| u.clone())).collect(),
        None => vec![None; input_len],
    };
    if let Some((names, source, what)) = given {
        if names.len() != input_len {
            return Err(ImportError::Names(format!("{what} lists {} names for {input_len} inputs", names.len())));
        }
        let inputs = InputNames::new(names.to_vec(), units).map_err(|e| ImportError::Names(format!("{what}: {e}")))?;
        return Ok((Names { policy: policy.to_owned(), inputs }, source));
    }
    let graph_names: Vec<String> = inputs
        .iter()
        .flat_map(|i| match i.len {
            1 => vec![i.name.clone()],
            n => (0..n).map(|k| format!("{}[{k}]", i.name)).collect(),
        })
        .collect();
    match InputNames::new(graph_names, units.clone()) {
        Ok(inputs) => Ok((Names { policy: policy.to_owned(), inputs }, NamesSource::Graph)),
        Err(_) => {
            let indexed = InputNames::indexed(input_len);
            let inputs = InputNames::new(indexed.names().to_vec(), units)
                .map_err(|e| ImportError::Names(format!("{unit_what}: {e}")))?;
            Ok((Names { policy: policy.to_owned(), inputs }, NamesSource::Indexed))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, len: usize) -> ModelInput {
        ModelInput { name: name.into(), shape: vec![1, len], offset: 0, len }
    }

    fn list(s: &str) -> Vec<String> {
        split_list(s)
    }

    #[test]
    fn names_come_from_the_option_then_the_metadata_then_the_graph() {
        let inputs = [input("amount", 1), input("history", 2)];
        let (names, source) = resolve("p", &inputs, None, None, (None, None)).unwrap();
        assert_eq!(
            (names.inputs.names(), source),
            (&["amount", "history[0]", "history[1]"].map(String::from)[..], NamesSource::Graph)
        );
        let meta = list("a,b,c");
        let (names, source) = resolve("p", &inputs, None, Some(&meta), (None, None)).unwrap();
        assert_eq!((names.inputs.names(), source), (&["a", "b", "c"].map(String::from)[..], NamesSource::Metadata));
        let opt = list("x, y, z");
        let units = list("USD,,h");
        let (names, source) = resolve("p", &inputs, Some(&opt), Some(&meta), (Some(&units), None)).unwrap();
        assert_eq!((names.inputs.names(), source), (&["x", "y", "z"].map(String::from)[..], NamesSource::Option));
        assert_eq!(names.inputs.units(), [Some("USD".to_owned()), None, Some("h".to_owned())]);
        assert_eq!(names.policy, "p");
    }

    #[test]
    fn bad_names_are_refused_or_replaced_by_indices() {
        let inputs = [input("x", 2)];
        let err = resolve("p", &inputs, Some(&list("a")), None, (None, None)).unwrap_err().to_string();
        assert!(err.contains("--input-names lists 1 names for 2 inputs"), "{err}");
        let err = resolve("p", &inputs, None, Some(&list("a,a")), (None, None)).unwrap_err().to_string();
        assert!(err.contains("metadata zkpolicy.feature_names") && err.contains("used by inputs 0 and 1"), "{err}");
        let err = resolve("p", &inputs, None, None, (Some(&list("USD")), None)).unwrap_err().to_string();
        assert!(err.contains("--input-units lists 1 units for 2 inputs"), "{err}");
        // A graph input name that is not a valid name falls back to indices.
        let (names, source) = resolve("p", &[input("0 bad", 2)], None, None, (None, None)).unwrap();
        assert_eq!(
            (names.inputs.names(), source),
            (&["input_0", "input_1"].map(String::from)[..], NamesSource::Indexed)
        );
    }
}
