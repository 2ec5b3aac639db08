//! Which inputs a clause of the compact syntaxes names: the `RANGES` of
//! `--visibility` (`public=RANGES`) and of `--input-domains` (`RANGES=DOMAIN`).
//!
//! `RANGES` is `i`, `a..b` (half-open) or `a..=b`, joined by `+`; with names, an
//! input's name may stand for its index (`amount+hour`, `balance..=velocity`).

use core::ops::Range;

/// Why a selection of inputs is rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    /// A range is not `i`, `a..b` or `a..=b` with `a ≤ b` (`i`, `a`, `b` being indices or
    /// input names).
    #[error("range {0:?} is not i, a..b or a..=b (indices or input names)")]
    Range(String),
    /// A range names an input the model does not have.
    #[error("range {range:?} exceeds the model's {inputs} inputs")]
    OutOfBounds {
        /// The offending range text.
        range: String,
        /// The model's input length.
        inputs: usize,
    },
}

/// The index ranges `ranges` names, for a model with `n` inputs; `index_of` maps an
/// input's name to its index.
pub fn parse_selection(
    ranges: &str,
    n: usize,
    index_of: &dyn Fn(&str) -> Option<usize>,
) -> Result<Vec<Range<usize>>, SelectionError> {
    ranges
        .split('+')
        .map(str::trim)
        .map(|range| {
            let bad = || SelectionError::Range(range.to_owned());
            let num = |s: &str| s.trim().parse::<usize>().ok().or_else(|| index_of(s.trim())).ok_or_else(bad);
            let (a, b) = if let Some((a, b)) = range.split_once("..=") {
                (num(a)?, num(b)?.checked_add(1).ok_or_else(bad)?)
            } else if let Some((a, b)) = range.split_once("..") {
                (num(a)?, num(b)?)
            } else {
                let i = num(range)?;
                (i, i.checked_add(1).ok_or_else(bad)?)
            };
            if a > b {
                return Err(bad());
            }
            if b > n {
                return Err(SelectionError::OutOfBounds { range: range.to_owned(), inputs: n });
            }
            Ok(a..b)
        })
        .collect()
}
