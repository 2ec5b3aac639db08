//! Which model inputs a proof reveals: chosen at setup, recorded in the key.
//!
//! Each input element is
//! * [`Visibility::Public`]: a public value of the proof, bound in the transcript
//!   and shown by the verifier;
//! * [`Visibility::Private`]: a witness column of the circuit, range-checked there
//!   to `±input_bound`, never in the proof;
//! * [`Visibility::Committed`]: private, but the proof carries a hiding Pedersen
//!   commitment `x·V + r·H` to it (`x` the quantized input), proven to hold the
//!   value the circuit used, so that whoever issued or knows the commitment (e.g.
//!   a bank attesting a balance) can recognise it.
//!
//! The default is all private.
//!
//! **Compact syntax** ([`InputVisibility::parse`]): `all-public`, `all-private`,
//! `all-committed`, or a comma-separated list of `public=RANGES`,
//! `private=RANGES` and `committed=RANGES` clauses applied in order over a private
//! default, where `RANGES` is `i`, `a..b` (half-open) or `a..=b`, joined by `+`
//! ([`super::selection`]).
//! Example for 6 inputs: `public=0..4` (inputs 0–3 public, 4–5 private),
//! `public=0+2..=3,committed=5`. With [`InputVisibility::parse_named`], an input's
//! name may stand for its index: `public=amount,committed=balance`.
//!
//! **Encoding** (inside key files): `uvar n ‖ n × u8` with `0` = public,
//! `1` = private, `2` = committed.

use super::selection::{parse_selection, SelectionError};
use crate::snark::error::FormatError;
use crate::snark::spartan::LIMITS;

/// Most committed inputs a key may have (Spartan's [`LIMITS`]).
pub const MAX_COMMITTED: usize = LIMITS.committed;
use crate::snark::varint::{read_uvar, write_uvar};

/// How a proof treats one model input; chosen at setup (`zkpolicy setup
/// --visibility`, every input private by default) and recorded in the key.
///
/// - `public`: the value is in the proof, range-checked, and reported.
/// - `private`: hidden by the zero-knowledge proof (range-checked inside it).
/// - `committed`: hidden like `private`, but the proof carries a hiding Pedersen
///   commitment `x·V + r·H` to the quantized value, so that whoever issued the
///   commitment (`zkpolicy commit`) can recognise it.
///
/// Reports (JSON) name it in lower case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Visibility {
    /// Revealed: a public value of the proof.
    Public,
    /// Hidden: a range-checked witness value.
    Private,
    /// Hidden, with a hiding Pedersen commitment to it in the proof.
    Committed,
}

impl Visibility {
    /// The lower-case name used by the compact syntax and by reports.
    pub fn name(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Private => "private",
            Visibility::Committed => "committed",
        }
    }
}

/// Why a visibility specification is rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VisibilityError {
    /// A clause is not `public=…`, `private=…`, `committed=…` or `all-…`.
    #[error("visibility clause {0:?} is not public=RANGES, private=RANGES, committed=RANGES, all-public, all-private or all-committed")]
    Clause(String),
    /// A clause's `RANGES` is not a selection of the model's inputs.
    #[error("visibility {0}")]
    Selection(#[from] SelectionError),
    /// More committed inputs than a proof carries.
    #[error("{got} committed inputs; a proof carries at most {max}")]
    TooManyCommitted {
        /// The number of committed inputs.
        got: usize,
        /// [`MAX_COMMITTED`].
        max: usize,
    },
    /// The list has the wrong length for the model.
    #[error("the visibility lists {got} inputs, the model has {expected}")]
    Length {
        /// The model's input length.
        expected: usize,
        /// The list's length.
        got: usize,
    },
}

/// The visibility of every input element, in input order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InputVisibility(Vec<Visibility>);

impl InputVisibility {
    /// Every one of `n` inputs with visibility `v`.
    pub fn all(v: Visibility, n: usize) -> Self {
        InputVisibility(vec![v; n])
    }

    /// An explicit list.
    pub fn from_list(list: Vec<Visibility>) -> Self {
        InputVisibility(list)
    }

    /// Parses the compact syntax (see the module docs) for a model with `n` inputs.
    pub fn parse(spec: &str, n: usize) -> Result<Self, VisibilityError> {
        Self::parse_with(spec, n, |_| None)
    }

    /// [`InputVisibility::parse`] for a model whose inputs are called `names`: a range
    /// may name an input instead of giving its index (`public=amount+hour`,
    /// `committed=balance..=velocity`).
    pub fn parse_named(spec: &str, names: &[String]) -> Result<Self, VisibilityError> {
        Self::parse_with(spec, names.len(), |name| names.iter().position(|n| n == name))
    }

    fn parse_with(spec: &str, n: usize, index_of: impl Fn(&str) -> Option<usize>) -> Result<Self, VisibilityError> {
        let mut list = vec![Visibility::Private; n];
        for clause in spec.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let (v, ranges) = match clause {
                "all-public" => (Visibility::Public, format!("0..{n}")),
                "all-private" => (Visibility::Private, format!("0..{n}")),
                "all-committed" => (Visibility::Committed, format!("0..{n}")),
                _ => match clause.split_once('=') {
                    Some(("public", r)) => (Visibility::Public, r.to_owned()),
                    Some(("private", r)) => (Visibility::Private, r.to_owned()),
                    Some(("committed", r)) => (Visibility::Committed, r.to_owned()),
                    _ => return Err(VisibilityError::Clause(clause.to_owned())),
                },
            };
            for range in parse_selection(&ranges, n, &index_of)? {
                list[range].iter_mut().for_each(|x| *x = v);
            }
        }
        Ok(InputVisibility(list))
    }

    /// Checks the list fits a model with `n` inputs and commits to at most
    /// [`MAX_COMMITTED`] of them.
    pub fn check_len(&self, n: usize) -> Result<(), VisibilityError> {
        if self.0.len() != n {
            return Err(VisibilityError::Length { expected: n, got: self.0.len() });
        }
        let committed = self.committed_indices().count();
        if committed > MAX_COMMITTED {
            return Err(VisibilityError::TooManyCommitted { got: committed, max: MAX_COMMITTED });
        }
        Ok(())
    }

    /// The per-input list.
    pub fn as_slice(&self) -> &[Visibility] {
        &self.0
    }

    /// Indices of the public inputs, in order.
    pub fn public_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().filter(|(_, v)| **v == Visibility::Public).map(|(i, _)| i)
    }

    /// Indices of the hidden inputs, in order.
    pub fn hidden_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().filter(|(_, v)| **v != Visibility::Public).map(|(i, _)| i)
    }

    /// Indices of the committed inputs, in order.
    pub fn committed_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().filter(|(_, v)| **v == Visibility::Committed).map(|(i, _)| i)
    }

    /// Number of public inputs.
    pub fn num_public(&self) -> usize {
        self.public_indices().count()
    }

    /// Appends the encoding (see the module docs).
    pub fn write(&self, out: &mut Vec<u8>) {
        write_uvar(out, self.0.len() as u64);
        out.extend(self.0.iter().map(|v| match v {
            Visibility::Public => 0u8,
            Visibility::Private => 1u8,
            Visibility::Committed => 2u8,
        }));
    }

    /// Reads the encoding; the length must be at most `max` and fit the input.
    pub fn read(input: &mut &[u8], max: usize) -> Result<Self, FormatError> {
        let what = "input visibility";
        let n = read_uvar(input).map_err(|_| FormatError::Invalid { what })?;
        crate::snark::encoding::check_limit(what, n, max as u64)?;
        let n = usize::try_from(n).map_err(|_| FormatError::Invalid { what })?;
        if input.len() < n {
            return Err(FormatError::Truncated { what });
        }
        let (bytes, rest) = input.split_at(n);
        *input = rest;
        bytes
            .iter()
            .map(|b| match b {
                0 => Ok(Visibility::Public),
                1 => Ok(Visibility::Private),
                2 => Ok(Visibility::Committed),
                _ => Err(FormatError::Invalid { what }),
            })
            .collect::<Result<_, _>>()
            .map(InputVisibility)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Visibility::{Committed as C, Private as S, Public as P};

    #[test]
    fn compact_syntax() {
        assert_eq!(InputVisibility::parse("", 3).unwrap().as_slice(), &[S, S, S]);
        assert_eq!(InputVisibility::parse("all-public", 3).unwrap().as_slice(), &[P, P, P]);
        assert_eq!(InputVisibility::parse("public=0..2", 3).unwrap().as_slice(), &[P, P, S]);
        assert_eq!(InputVisibility::parse("all-public, private=1", 3).unwrap().as_slice(), &[P, S, P]);
        assert_eq!(InputVisibility::parse("public=0+2..=2", 3).unwrap().as_slice(), &[P, S, P]);
        assert!(matches!(
            InputVisibility::parse("public=0..4", 3),
            Err(VisibilityError::Selection(SelectionError::OutOfBounds { .. }))
        ));
        assert!(matches!(
            InputVisibility::parse("public=2..1", 3),
            Err(VisibilityError::Selection(SelectionError::Range(_)))
        ));
        assert!(matches!(InputVisibility::parse("secret=1", 3), Err(VisibilityError::Clause(_))));
        // Indices at the end of usize overflow nothing: each is a clear range error.
        for spec in ["public=18446744073709551615", "private=18446744073709551615", "committed= 18446744073709551615"] {
            assert_eq!(
                InputVisibility::parse(spec, 3),
                Err(VisibilityError::Selection(SelectionError::Range("18446744073709551615".into()))),
                "{spec}"
            )
        }
        assert_eq!(
            InputVisibility::parse("public=0..=18446744073709551615", 3),
            Err(VisibilityError::Selection(SelectionError::Range("0..=18446744073709551615".into())))
        );
        assert!(matches!(
            InputVisibility::parse("public=18446744073709551614", 3),
            Err(VisibilityError::Selection(SelectionError::OutOfBounds { .. }))
        ));
        assert_eq!(InputVisibility::parse("all-committed", 2).unwrap().as_slice(), &[C, C]);
        assert_eq!(InputVisibility::parse("public=0..3,committed=1", 3).unwrap().as_slice(), &[P, C, P]);
        let many = InputVisibility::all(C, MAX_COMMITTED + 1);
        assert!(matches!(many.check_len(MAX_COMMITTED + 1), Err(VisibilityError::TooManyCommitted { .. })));
    }

    #[test]
    fn inputs_by_name() {
        let names: Vec<String> = ["amount", "balance", "hour"].iter().map(|s| s.to_string()).collect();
        let parse = |spec| InputVisibility::parse_named(spec, &names);
        assert_eq!(parse("public=amount+hour").unwrap().as_slice(), &[P, S, P]);
        assert_eq!(parse("committed=amount..=balance,public=2").unwrap().as_slice(), &[C, C, P]);
        assert_eq!(parse("public=amount..hour").unwrap().as_slice(), &[P, P, S]);
        assert_eq!(parse("public=vendor"), Err(VisibilityError::Selection(SelectionError::Range("vendor".into()))));
        // Without names, a name is no index.
        assert_eq!(
            InputVisibility::parse("public=amount", 3),
            Err(VisibilityError::Selection(SelectionError::Range("amount".into())))
        );
    }

    #[test]
    fn encoding_roundtrip_and_rejections() {
        let v = InputVisibility::parse("public=1,committed=2", 3).unwrap();
        let mut out = Vec::new();
        v.write(&mut out);
        assert_eq!(InputVisibility::read(&mut &out[..], 8).unwrap(), v);
        assert!(InputVisibility::read(&mut &out[..2], 8).is_err());
        assert!(InputVisibility::read(&mut &out[..], 2).is_err());
        out[2] = 7;
        assert!(InputVisibility::read(&mut &out[..], 8).is_err());
    }
}
