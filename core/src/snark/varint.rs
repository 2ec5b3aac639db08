//! LEB128 varints, the compact integer encoding of model weights and public values.
//!
//! Unsigned values are written 7 bits per byte, least significant first, the
//! high bit of a byte set while more bytes follow. Signed values are
//! zigzag-mapped first (`0, -1, 1, -2, … ↦ 0, 1, 2, 3, …`) so that small
//! magnitudes of either sign take one byte. Readers accept only the shortest
//! form and values that fit in 64 bits, so every integer has exactly one
//! encoding.

use crate::snark::error::FormatError;

/// Why a varint could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarintError {
    /// The input ended inside the varint.
    Truncated,
    /// Over-long (padded) or above `u64::MAX`.
    NonCanonical,
}

impl VarintError {
    /// The [`FormatError`] of a varint that could not be read as field `what`.
    pub fn at(self, what: &'static str) -> FormatError {
        match self {
            VarintError::Truncated => FormatError::Truncated { what },
            VarintError::NonCanonical => FormatError::Invalid { what },
        }
    }
}

/// Appends `v` as an unsigned LEB128 varint.
pub fn write_uvar(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends `v` zigzag-mapped as an unsigned varint.
pub fn write_svar(out: &mut Vec<u8>, v: i64) {
    write_uvar(out, ((v << 1) ^ (v >> 63)) as u64);
}

/// Reads a shortest-form unsigned varint from the front of `input`, advancing it.
pub fn read_uvar(input: &mut &[u8]) -> Result<u64, VarintError> {
    let mut v = 0u64;
    for i in 0..10 {
        let (&byte, rest) = input.split_first().ok_or(VarintError::Truncated)?;
        *input = rest;
        let payload = u64::from(byte & 0x7f);
        if i == 9 && payload > 1 {
            return Err(VarintError::NonCanonical);
        }
        v |= payload << (7 * i);
        if byte & 0x80 == 0 {
            // Shortest form: a final zero byte is only allowed for the value 0.
            if byte == 0 && i > 0 {
                return Err(VarintError::NonCanonical);
            }
            return Ok(v);
        }
    }
    Err(VarintError::NonCanonical)
}

/// Reads a zigzag-mapped signed varint.
pub fn read_svar(input: &mut &[u8]) -> Result<i64, VarintError> {
    let u = read_uvar(input)?;
    Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn signed_roundtrip(v in any::<i64>()) {
            let mut out = Vec::new();
            write_svar(&mut out, v);
            let mut input = &out[..];
            prop_assert_eq!(read_svar(&mut input), Ok(v));
            prop_assert!(input.is_empty());
        }

        #[test]
        fn unsigned_roundtrip(v in any::<u64>()) {
            let mut out = Vec::new();
            write_uvar(&mut out, v);
            let mut input = &out[..];
            prop_assert_eq!(read_uvar(&mut input), Ok(v));
            prop_assert!(input.is_empty());
        }
    }

    #[test]
    fn rejects_padding_overflow_and_truncation() {
        assert_eq!(read_uvar(&mut &[0x80, 0x00][..]), Err(VarintError::NonCanonical));
        assert_eq!(read_uvar(&mut &[0xff; 10][..]), Err(VarintError::NonCanonical));
        assert_eq!(read_uvar(&mut &[0xff, 0xff][..]), Err(VarintError::Truncated));
        assert_eq!(read_uvar(&mut &[][..]), Err(VarintError::Truncated));
        let mut small = Vec::new();
        write_svar(&mut small, -64);
        assert_eq!(small, [127]);
    }
}
