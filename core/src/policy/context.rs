//! Request contexts: the bytes a proof is bound to (a payment hash, a request
//! id), their digest, and their text form.

use sha3::{Digest, Keccak256};

/// Domain string of the context digest.
const CONTEXT_DIGEST_DOMAIN: &[u8] = b"zkpolicy/request-context/v1";

/// The digest a proof carries and binds for a request context:
/// `Keccak-256(domain ‖ u64 len ‖ context)`. Any bytes are a context, the empty
/// string included; a proof made without one carries no digest.
pub fn context_digest(context: &[u8]) -> [u8; 32] {
    let mut h = Keccak256::new();
    h.update(CONTEXT_DIGEST_DOMAIN);
    h.update((context.len() as u64).to_le_bytes());
    h.update(context);
    h.finalize().into()
}

/// Largest request context, in bytes (1 MiB). A context is usually a 32-byte hash
/// or a short id; the bound keeps `--context @FILE` and the wasm API from hashing
/// arbitrary amounts of data.
pub const MAX_CONTEXT_BYTES: usize = 1 << 20;

/// Why a request context given as text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContextError {
    /// Empty text: a proof bound to nothing must be made without a context.
    #[error("the context is empty; give hex digits, or no context at all")]
    Empty,
    /// Not an even number of hex digits.
    #[error("the context must be hex (an even number of the digits 0-9, a-f, A-F, optionally after 0x); found {found:?} at position {position}")]
    NotHex {
        /// The offending character (or the last one, for an odd count).
        found: char,
        /// Its position in the text.
        position: usize,
    },
    /// Longer than [`MAX_CONTEXT_BYTES`].
    #[error("the context has {len} bytes, more than the limit of {MAX_CONTEXT_BYTES}")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
}

/// Checks the length of a request context of `len` bytes against [`MAX_CONTEXT_BYTES`].
pub fn check_context_len(len: usize) -> Result<(), ContextError> {
    if len > MAX_CONTEXT_BYTES {
        return Err(ContextError::TooLong { len });
    }
    Ok(())
}

/// Parses a request context given as hex (as `zkpolicy prove --context` and the JS
/// API take it): hex digits only, an even number of them, optionally after `0x`.
pub fn context_from_hex(text: &str) -> Result<Vec<u8>, ContextError> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    if digits.is_empty() {
        return Err(ContextError::Empty);
    }
    if let Some((position, found)) = digits.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(ContextError::NotHex { found, position: position + (text.len() - digits.len()) });
    }
    if digits.len() % 2 == 1 {
        return Err(ContextError::NotHex { found: digits.chars().last().unwrap_or('0'), position: text.len() - 1 });
    }
    check_context_len(digits.len() / 2)?;
    // Checked above: an even number of hex digits, which always decodes.
    crate::snark::encoding::bytes_from_hex(digits).ok_or(ContextError::NotHex { found: '?', position: 0 })
}
