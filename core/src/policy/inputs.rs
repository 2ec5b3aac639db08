//! The names and units of a policy's inputs, recorded in its keys and pinned by
//! the key digest.
//!
//! A verifier shows `amount = 0.05 USD (public)`, not "input 0": the names come
//! from the key, so a prover cannot relabel the inputs of a proof. Names are also
//! what a relying party matches against (x402: "input `amount` equals the payment
//! amount"), so they are part of the digest: two keys that differ only in the
//! names of their inputs are different keys.
//!
//! **Names**: 1–64 bytes of ASCII letters, digits, `_`, `-`, `.`, `:`, `/`, `[`
//! and `]`, starting with a letter or `_`, without `..`, unique within a key. So a
//! name never reads as an index or a range of the visibility syntax, and needs no
//! quoting in the CLI's lists. Without names, input `i` is called `input_i`.
//!
//! **Units**: optional free text (at most 64 bytes, printable, no `,`), shown after
//! the value, e.g. `USD`, `hours`, `USD/1000`.
//!
//! **Encoding** (inside key files): `uvar n ‖ n × (str name ‖ str unit)`, `str` being
//! `uvar len ‖ UTF-8 bytes` and an empty unit meaning none.

use crate::snark::encoding::check_limit;
use crate::snark::error::FormatError;
use crate::snark::varint::{read_uvar, write_uvar};

/// Longest name or unit, in bytes.
pub const MAX_NAME_BYTES: usize = 64;

/// Why input names or units are refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputNamesError {
    /// There are not as many names (or units) as inputs.
    #[error("{what}: {got} given for a model with {inputs} inputs")]
    Count {
        /// `"input names"` or `"input units"`.
        what: &'static str,
        /// How many were given.
        got: usize,
        /// The model's input length.
        inputs: usize,
    },
    /// A name breaks the rules of [`InputNames`].
    #[error("input name {name:?} (input {index}): {rule}")]
    Name {
        /// The input's index.
        index: usize,
        /// The name (shortened if very long).
        name: String,
        /// The rule it breaks.
        rule: &'static str,
    },
    /// Two inputs have the same name.
    #[error("input name {name:?} is used by inputs {first} and {second}")]
    Duplicate {
        /// The name.
        name: String,
        /// The first input with it.
        first: usize,
        /// The second input with it.
        second: usize,
    },
    /// A unit breaks the rules of [`InputNames`].
    #[error("unit {unit:?} of input {index}: {rule}")]
    Unit {
        /// The input's index.
        index: usize,
        /// The unit (shortened if very long).
        unit: String,
        /// The rule it breaks.
        rule: &'static str,
    },
}

/// The names and units of a policy's inputs, one each per input, in input order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputNames {
    names: Vec<String>,
    units: Vec<Option<String>>,
}

impl InputNames {
    /// Checks and records `names` and `units` (one each per input; `None` for no unit).
    pub fn new(names: Vec<String>, units: Vec<Option<String>>) -> Result<Self, InputNamesError> {
        if units.len() != names.len() {
            return Err(InputNamesError::Count { what: "input units", got: units.len(), inputs: names.len() });
        }
        let mut seen = std::collections::HashMap::with_capacity(names.len());
        for (index, name) in names.iter().enumerate() {
            if let Some(rule) = name_rule(name) {
                return Err(InputNamesError::Name { index, name: shorten(name), rule });
            }
            if let Some(first) = seen.insert(name.as_str(), index) {
                return Err(InputNamesError::Duplicate { name: name.clone(), first, second: index });
            }
        }
        for (index, unit) in units.iter().enumerate() {
            if let Some(rule) = unit.as_deref().and_then(unit_rule) {
                return Err(InputNamesError::Unit { index, unit: shorten(unit.as_deref().unwrap_or("")), rule });
            }
        }
        Ok(InputNames { names, units })
    }

    /// `input_0, …, input_{n−1}`, without units: the names of a key set up without any.
    pub fn indexed(n: usize) -> Self {
        InputNames { names: (0..n).map(|i| format!("input_{i}")).collect(), units: vec![None; n] }
    }

    /// Fails unless there is one name per input of a model with `inputs` inputs.
    pub fn check_len(&self, inputs: usize) -> Result<(), InputNamesError> {
        match self.names.len() == inputs {
            true => Ok(()),
            false => Err(InputNamesError::Count { what: "input names", got: self.names.len(), inputs }),
        }
    }

    /// The names, in input order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The units, in input order (`None`: no unit).
    pub fn units(&self) -> &[Option<String>] {
        &self.units
    }

    /// The index of the input called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Appends the encoding.
    pub fn write(&self, out: &mut Vec<u8>) {
        write_uvar(out, self.names.len() as u64);
        for (name, unit) in self.names.iter().zip(&self.units) {
            write_str(out, name);
            write_str(out, unit.as_deref().unwrap_or(""));
        }
    }

    /// Reads an encoding of at most `max` names, checking every rule.
    pub fn read(input: &mut &[u8], max: usize) -> Result<Self, FormatError> {
        let what = "input names";
        let n = read_uvar(input).map_err(|e| e.at(what))?;
        check_limit(what, n, max as u64)?;
        // Each entry takes at least two bytes (a name's length and a unit's).
        if n > (input.len() / 2) as u64 {
            return Err(FormatError::Truncated { what });
        }
        let mut names = Vec::with_capacity(n as usize);
        let mut units = Vec::with_capacity(n as usize);
        for _ in 0..n {
            names.push(read_str(input, "input name", MAX_NAME_BYTES)?);
            let unit = read_str(input, "input name", MAX_NAME_BYTES)?;
            units.push((!unit.is_empty()).then_some(unit));
        }
        InputNames::new(names, units).map_err(|_| FormatError::Invalid { what })
    }
}

/// The rule `name` breaks, if any.
fn name_rule(name: &str) -> Option<&'static str> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-.:/[]".contains(c);
    if name.is_empty() || name.len() > MAX_NAME_BYTES {
        Some("a name has 1 to 64 bytes")
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        Some("a name starts with a letter or `_`")
    } else if !name.chars().all(allowed) {
        Some("a name has only ASCII letters, digits and `_-.:/[]`")
    } else if name.contains("..") {
        Some("a name has no `..` (it would read as a range)")
    } else {
        None
    }
}

/// The rule a (nonempty) `unit` breaks, if any.
fn unit_rule(unit: &str) -> Option<&'static str> {
    if unit.is_empty() || unit.len() > MAX_NAME_BYTES {
        Some("a unit has 1 to 64 bytes")
    } else if unit.chars().any(|c| c.is_control() || c == ',') {
        Some("a unit has no control characters and no `,`")
    } else {
        None
    }
}

/// `s`, cut to 80 characters for an error message.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_owned(),
    }
}

/// Appends `uvar len ‖ UTF-8 bytes` (the string encoding of key files).
pub(super) fn write_str(out: &mut Vec<u8>, s: &str) {
    write_uvar(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Reads a string written by [`write_str`] of at most `max` bytes; `what` names the field.
pub(super) fn read_str(input: &mut &[u8], what: &'static str, max: usize) -> Result<String, FormatError> {
    let len = read_uvar(input).map_err(|e| e.at(what))?;
    check_limit(what, len, max as u64)?;
    let len = len as usize;
    if input.len() < len {
        return Err(FormatError::Truncated { what });
    }
    let (bytes, rest) = input.split_at(len);
    *input = rest;
    String::from_utf8(bytes.to_vec()).map_err(|_| FormatError::Invalid { what })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Result<InputNames, InputNamesError> {
        InputNames::new(list.iter().map(|s| s.to_string()).collect(), vec![None; list.len()])
    }

    #[test]
    fn names_follow_the_rules() {
        assert!(names(&["amount", "vendor_is_0", "_x", "a.b:c/d[3]-e"]).is_ok());
        for bad in ["", "0abc", "3", "a..b", "a b", "a,b", "a=b", "a+b", "é", &"x".repeat(65)] {
            assert!(matches!(names(&[bad]), Err(InputNamesError::Name { index: 0, .. })), "{bad:?}");
        }
        assert_eq!(names(&["a", "b", "a"]), Err(InputNamesError::Duplicate { name: "a".into(), first: 0, second: 2 }));
        let unit = |u: &str| InputNames::new(vec!["a".into()], vec![Some(u.into())]);
        assert!(unit("USD/1000").is_ok());
        for bad in ["", "a,b", "a\nb", &"u".repeat(65)] {
            assert!(matches!(unit(bad), Err(InputNamesError::Unit { index: 0, .. })), "{bad:?}");
        }
        assert!(matches!(InputNames::new(vec!["a".into()], vec![]), Err(InputNamesError::Count { .. })));
    }

    #[test]
    fn encoding_round_trips_and_hostile_bytes_are_refused() {
        let n = InputNames::new(vec!["amount".into(), "hour".into()], vec![Some("USD".into()), None]).unwrap();
        let mut bytes = Vec::new();
        n.write(&mut bytes);
        assert_eq!(InputNames::read(&mut bytes.as_slice(), 2), Ok(n.clone()));
        assert_eq!(
            InputNames::read(&mut bytes.as_slice(), 1),
            Err(FormatError::TooLarge { what: "input names", value: 2, limit: 1 })
        );
        for cut in 0..bytes.len() {
            assert!(InputNames::read(&mut &bytes[..cut], 2).is_err(), "cut at {cut}");
        }
        // A name that breaks a rule, a duplicate, invalid UTF-8, a huge count.
        for hostile in
            [&[1u8, 1, b'0', 0][..], &[2, 1, b'a', 0, 1, b'a', 0], &[1, 1, 0xff, 0], &[0xff, 0xff, 0xff, 0xff, 0x0f]]
        {
            assert!(InputNames::read(&mut &hostile[..], 100).is_err(), "{hostile:?}");
        }
        assert_eq!(InputNames::indexed(2).names(), ["input_0", "input_1"]);
    }
}
