//! Byte formats: the envelope shared by keys and proofs, bounded readers, and the
//! canonical encoding of an R1CS instance.
//!
//! **Envelope.** Every encoded object starts with 4 magic bytes naming its kind
//! and a `u16` little-endian format version ([`FORMAT_VERSION`]); decoders check
//! both, check every length against a limit (and against the remaining input)
//! before allocating, and reject trailing bytes.
//!
//! **Field and group elements** use arkworks' canonical encodings: a scalar is
//! 32 bytes little-endian and must be `< r`; a G1 point is 32 bytes compressed
//! (`x` little-endian, bit 7 of the last byte = `y` is the larger root, bit 6 =
//! point at infinity), validated on read (on the curve, in the subgroup); the
//! identity must be encoded exactly as arkworks writes it.
//!
//! **R1CS body** (the statement of [`crate::snark::spartan`] keys; its Keccak-256 hash is
//! the default statement digest):
//!
//! ```text
//! u32 num_constraints ‖ u32 num_public ‖ u32 num_witness ‖ matrix A ‖ matrix B ‖ matrix C
//! matrix = u32 nnz ‖ nnz × entry, entries strictly increasing in (row, col), values nonzero
//! entry  = varint row_delta ‖ varint col_code ‖ value
//!          row_delta = row − previous row (the first entry: row itself)
//!          col_code  = col − previous col − 1 if row_delta = 0 and not the first entry, else col
//! value  = zigzag varint k: k ≠ 0 is the value k (an i64); k = 0 is followed by a 32-byte
//!          scalar, used only for values that are not a nonzero i64
//! varint = LEB128 as in crate::snark::varint (shortest form, fits in 64 bits)
//! ```
//!
//! Columns use the logical layout `z = (1, io, w)` of [`crate::snark::r1cs`].

use crate::snark::error::FormatError;
use crate::snark::r1cs::{fr_from_i64, Entry, R1cs, SparseMatrix};
use crate::snark::varint::{read_svar, read_uvar, write_svar, write_uvar, VarintError};
use ark_bn254::{Fr, G1Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Read, SerializationError, Validate};

/// The format version written into (and required from) every envelope.
pub const FORMAT_VERSION: u16 = 10;

/// Writes the envelope header: magic and version.
pub fn write_header(out: &mut Vec<u8>, magic: &[u8; 4]) {
    out.extend_from_slice(magic);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
}

/// Reads and checks the envelope header; `name` is the magic as text, for errors.
pub fn read_header(input: &mut &[u8], magic: &[u8; 4], name: &'static str) -> Result<(), FormatError> {
    if input.len() < 4 || &input[..4] != magic {
        return Err(FormatError::BadMagic { expected: name });
    }
    *input = &input[4..];
    let version = u16::from_le_bytes(read_array(input, "format version")?);
    if version != FORMAT_VERSION {
        return Err(FormatError::UnsupportedVersion { found: version, supported: FORMAT_VERSION });
    }
    Ok(())
}

/// Fails unless the whole input has been consumed.
pub fn expect_end(rest: &[u8]) -> Result<(), FormatError> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(FormatError::TrailingBytes { count: rest.len() })
    }
}

/// Reads exactly `N` bytes.
pub fn read_array<R: Read, const N: usize>(r: &mut R, what: &'static str) -> Result<[u8; N], FormatError> {
    let mut buf = [0u8; N];
    r.read_exact(&mut buf).map_err(|_| FormatError::Truncated { what })?;
    Ok(buf)
}

/// Reads a little-endian `u32` and checks it against `limit`.
pub fn read_u32_bounded<R: Read>(r: &mut R, what: &'static str, limit: u64) -> Result<usize, FormatError> {
    let v = u64::from(u32::from_le_bytes(read_array(r, what)?));
    check_limit(what, v, limit)?;
    to_usize(v, what)
}

/// A decoded count or index as a `usize`; `Invalid` where it does not fit (wasm32).
pub fn to_usize(v: u64, what: &'static str) -> Result<usize, FormatError> {
    usize::try_from(v).map_err(|_| FormatError::Invalid { what })
}

/// `Err(TooLarge)` if `value > limit`.
pub fn check_limit(what: &'static str, value: u64, limit: u64) -> Result<(), FormatError> {
    if value > limit {
        Err(FormatError::TooLarge { what, value, limit })
    } else {
        Ok(())
    }
}

/// Reads a canonical scalar (32 bytes, `< r`).
pub fn read_scalar<R: Read>(r: &mut R, what: &'static str) -> Result<Fr, FormatError> {
    let buf: [u8; 32] = read_array(r, what)?;
    Fr::deserialize_compressed(&buf[..]).map_err(|_| FormatError::Invalid { what })
}

/// Lower-case hex of a point's compressed encoding (32 bytes, arkworks' canonical form).
pub fn point_hex(p: &G1Affine) -> String {
    let mut bytes = Vec::with_capacity(32);
    p.serialize_compressed(&mut bytes).expect("writing to a Vec cannot fail");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-case hex of a scalar's canonical encoding (32 bytes, little-endian).
pub fn scalar_hex(x: &Fr) -> String {
    let mut bytes = Vec::with_capacity(32);
    x.serialize_compressed(&mut bytes).expect("writing to a Vec cannot fail");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses [`scalar_hex`]'s output: exactly 64 hex digits (`0-9`, `a-f`, `A-F`; no
/// sign, space or prefix) encoding a canonical scalar.
pub fn scalar_from_hex(text: &str, what: &'static str) -> Result<Fr, FormatError> {
    let bytes = bytes_from_hex(text).filter(|b| b.len() == 32).ok_or(FormatError::Invalid { what })?;
    read_scalar(&mut &bytes[..], what)
}

/// Decodes hex text, two digits (`0-9`, `a-f`, `A-F`) per byte; `None` unless the text
/// is an even number of hex digits and nothing else (no sign, prefix or space).
pub fn bytes_from_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if digits.len() % 2 == 1 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let nibble = |d: u8| (d as char).to_digit(16).map_or(0, |n| n as u8);
    Some(digits.chunks_exact(2).map(|p| nibble(p[0]) << 4 | nibble(p[1])).collect())
}

/// Reads the G1 points of `groups` (a count and the label its errors name, for each), in
/// the given encoding, always validated (on the curve, in the subgroup), and requiring
/// each point to use its one canonical encoding: arkworks ignores the `x` bytes of an
/// infinity-flagged point, and the `y`-sign flag of an uncompressed one, which would
/// make encodings malleable. The bytes are read first, then the points
/// decoded (their square roots are most of the time), in two halves on two threads with
/// the `parallel` feature. The error is that of the first point in order that fails, to
/// decode or to be read, as if they were read one by one.
pub fn read_points<R: Read>(
    r: &mut R,
    groups: &[(usize, &'static str)],
    compress: Compress,
) -> Result<Vec<G1Affine>, FormatError> {
    let size = G1Affine::zero().serialized_size(compress);
    let mut bytes = Vec::new();
    let mut labels = Vec::new();
    let mut truncated = None;
    'read: for &(count, what) in groups {
        for _ in 0..count {
            let start = bytes.len();
            bytes.resize(start + size, 0);
            if r.read_exact(&mut bytes[start..]).is_err() {
                bytes.truncate(start);
                truncated = Some(FormatError::Truncated { what });
                break 'read;
            }
            labels.push(what);
        }
    }
    let decode = |bytes: &[u8], labels: &[&'static str]| {
        bytes.chunks_exact(size).zip(labels).map(|(b, what)| decode_canonical(b, compress, what)).collect()
    };
    let half = labels.len() / 2;
    let (low, high): (Vec<_>, Vec<_>) = crate::snark::parallel::join(
        || decode(&bytes[..half * size], &labels[..half]),
        || decode(&bytes[half * size..], &labels[half..]),
    );
    let points = low.into_iter().chain(high).collect::<Result<Vec<_>, _>>()?;
    truncated.map_or(Ok(points), Err)
}

/// The point encoded in `bytes` (see [`read_points`]).
fn decode_canonical(bytes: &[u8], compress: Compress, what: &'static str) -> Result<G1Affine, FormatError> {
    let p = decode_point(bytes, compress).map_err(|_| FormatError::Invalid { what })?;
    // A compressed point other than the identity has one encoding: arkworks reads
    // every bit of it.
    if p.is_zero() || compress == Compress::No {
        let mut canonical = Vec::with_capacity(bytes.len());
        p.serialize_with_mode(&mut canonical, compress).map_err(|_| FormatError::Invalid { what })?;
        if canonical != bytes {
            return Err(FormatError::Invalid { what });
        }
    }
    Ok(p)
}

/// Arkworks' validated decoding of a G1 point; on wasm32, a compressed point's square
/// root is taken on 29-bit limbs ([`super::limb29::decompress`], the same result).
fn decode_point(bytes: &[u8], compress: Compress) -> Result<G1Affine, SerializationError> {
    #[cfg(target_arch = "wasm32")]
    if compress == Compress::Yes {
        return super::limb29::decompress(bytes);
    }
    G1Affine::deserialize_with_mode(bytes, compress, Validate::Yes)
}

/// Reads a varint as a field error.
fn read_varint(input: &mut &[u8], what: &'static str) -> Result<u64, FormatError> {
    read_uvar(input).map_err(|e| match e {
        VarintError::Truncated => FormatError::Truncated { what },
        VarintError::NonCanonical => FormatError::Invalid { what },
    })
}

/// `Some(k)` if `v = k` for a nonzero `k: i64`.
fn small_value(v: &Fr) -> Option<i64> {
    let fits = |x: &Fr, bound: u64| {
        let big = x.into_bigint();
        let limbs = big.as_ref();
        (limbs[1..].iter().all(|l| *l == 0) && limbs[0] != 0 && limbs[0] <= bound).then_some(limbs[0])
    };
    fits(v, i64::MAX as u64).map(|k| k as i64).or_else(|| fits(&-*v, 1 << 63).map(|k| (k as i64).wrapping_neg()))
}

fn write_value(out: &mut Vec<u8>, v: &Fr) {
    match small_value(v) {
        Some(k) => write_svar(out, k),
        None => {
            write_svar(out, 0);
            out.extend_from_slice(&v.into_bigint().to_bytes_le());
        }
    }
}

fn read_value(input: &mut &[u8]) -> Result<Fr, FormatError> {
    const WHAT: &str = "matrix coefficient";
    let k = read_svar(input).map_err(|e| match e {
        VarintError::Truncated => FormatError::Truncated { what: WHAT },
        VarintError::NonCanonical => FormatError::Invalid { what: WHAT },
    })?;
    if k != 0 {
        return Ok(fr_from_i64(k));
    }
    let v = read_scalar(input, WHAT)?;
    if v == Fr::from(0u64) || small_value(&v).is_some() {
        return Err(FormatError::Invalid { what: WHAT });
    }
    Ok(v)
}

/// Appends the canonical encoding of `r1cs`, which must be canonical
/// ([`R1cs::canonicalize`]: entries sorted, no duplicates, no zeros) and fit in `u32` sizes.
pub fn write_r1cs(out: &mut Vec<u8>, r1cs: &R1cs) {
    for n in [r1cs.num_constraints, r1cs.num_public, r1cs.num_witness] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    for m in [&r1cs.a, &r1cs.b, &r1cs.c] {
        out.extend_from_slice(&(m.entries.len() as u32).to_le_bytes());
        let mut prev: Option<(usize, usize)> = None;
        for e in &m.entries {
            let (row_delta, col_code) = match prev {
                Some((pr, pc)) if pr == e.row => (0, e.col - pc - 1),
                Some((pr, _)) => (e.row - pr, e.col),
                None => (e.row, e.col),
            };
            write_uvar(out, row_delta as u64);
            write_uvar(out, col_code as u64);
            write_value(out, &e.val);
            prev = Some((e.row, e.col));
        }
    }
}

/// Reads a canonical R1CS encoding; `check_shape` validates the three sizes (limits)
/// before any matrix is read. Entries are range-checked and come out canonical.
pub fn read_r1cs(
    input: &mut &[u8],
    check_shape: impl Fn(usize, usize, usize) -> Result<(), FormatError>,
) -> Result<R1cs, FormatError> {
    let num_constraints = read_u32_bounded(input, "number of constraints", u32::MAX as u64)?;
    let num_public = read_u32_bounded(input, "number of public values", u32::MAX as u64)?;
    let num_witness = read_u32_bounded(input, "number of witness values", u32::MAX as u64)?;
    check_shape(num_constraints, num_public, num_witness)?;
    // Overflows only on wasm32 with a permissive `check_shape`; such a key has no valid column.
    let num_columns = num_public.checked_add(num_witness).and_then(|n| n.checked_add(1)).unwrap_or(0);
    let mut matrices = Vec::with_capacity(3);
    for _ in 0..3 {
        // Each entry takes at least 3 bytes: bound the count by the remaining input.
        let nnz = read_u32_bounded(input, "number of matrix entries", input.len() as u64 / 3)?;
        let mut entries = Vec::with_capacity(nnz);
        let mut prev: Option<(usize, usize)> = None;
        for _ in 0..nnz {
            // A value that does not fit a usize (wasm32) is out of range either way.
            let row_delta = usize::try_from(read_varint(input, "matrix row")?).ok();
            let col_code = usize::try_from(read_varint(input, "matrix column")?).ok();
            let (row, col) = match prev {
                Some((pr, pc)) if row_delta == Some(0) => {
                    (Some(pr), col_code.and_then(|c| pc.checked_add(1)?.checked_add(c)))
                }
                Some((pr, _)) => (row_delta.and_then(|d| pr.checked_add(d)), col_code),
                None => (row_delta, col_code),
            };
            let row = row
                .filter(|r| *r < num_constraints && (*r as u64) <= u32::MAX as u64)
                .ok_or(FormatError::Invalid { what: "matrix row" })?;
            let col = col.filter(|c| *c < num_columns).ok_or(FormatError::Invalid { what: "matrix column" })?;
            let val = read_value(input)?;
            entries.push(Entry { row, col, val });
            prev = Some((row, col));
        }
        matrices.push(SparseMatrix { entries });
    }
    let c = matrices.pop().expect("three matrices");
    let b = matrices.pop().expect("three matrices");
    let a = matrices.pop().expect("three matrices");
    Ok(R1cs { num_constraints, num_public, num_witness, a, b, c })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_scalars_roundtrip_and_reject_junk() {
        for v in [Fr::from(0u64), Fr::from(7u64), -Fr::from(1u64)] {
            assert_eq!(scalar_from_hex(&scalar_hex(&v), "x"), Ok(v));
        }
        let p = -Fr::from(1u64);
        // The modulus itself (p − 1 + 1) is not canonical; nor are short, long or non-hex strings.
        let mut modulus = scalar_hex(&p).into_bytes();
        modulus[0] = b'1';
        for bad in [String::from_utf8(modulus).unwrap(), "00".into(), "zz".repeat(32), "0".repeat(65), "é".repeat(32)]
        {
            assert!(scalar_from_hex(&bad, "x").is_err(), "{bad}");
        }
        // `u8::from_str_radix` takes "+7" for 7: only hex digits are accepted here.
        let seven = scalar_hex(&Fr::from(7u64));
        assert_eq!(&seven[..2], "07");
        for bad in [format!("+7{}", &seven[2..]), format!(" 7{}", &seven[2..]), format!("-0{}", &seven[2..])] {
            assert_eq!(scalar_from_hex(&bad, "x"), Err(FormatError::Invalid { what: "x" }), "{bad}");
        }
        assert_eq!(scalar_from_hex(&seven.to_uppercase(), "x"), Ok(Fr::from(7u64)));
        assert_eq!(point_hex(&G1Affine::zero()).len(), 64);
    }

    #[test]
    fn values_roundtrip_canonically() {
        let big = Fr::from(1u128 << 64);
        for v in [
            fr_from_i64(1),
            fr_from_i64(-1),
            fr_from_i64(i64::MAX),
            fr_from_i64(i64::MIN),
            big,
            -big,
            -Fr::from(1u128 << 63) - Fr::from(1u64),
        ] {
            let mut out = Vec::new();
            write_value(&mut out, &v);
            let mut s = &out[..];
            assert_eq!(read_value(&mut s), Ok(v));
            assert!(s.is_empty());
        }
        assert_eq!(small_value(&fr_from_i64(i64::MIN)), Some(i64::MIN));
        // A small value in the long form is rejected, and so is zero.
        for v in [Fr::from(5u64), Fr::from(0u64)] {
            let mut out = vec![0u8];
            out.extend_from_slice(&v.into_bigint().to_bytes_le());
            assert!(read_value(&mut &out[..]).is_err());
        }
    }
}
