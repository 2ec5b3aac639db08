//! The Fiat–Shamir transcript.
//!
//! One object, Keccak-256 based, absorbs every prover message (with a domain
//! separation label) before the verifier challenge that depends on it.
//!
//! State machine (all lengths are `u64` little-endian; `‖` is concatenation):
//!
//! ```text
//! init(protocol)      : s ← Keccak256("zkpolicy/transcript/v1" ‖ len(protocol) ‖ protocol)
//! absorb(label, data) : s ← Keccak256(s ‖ 0x01 ‖ len(label) ‖ label ‖ len(data) ‖ data)
//! challenge(label)    : h = s ‖ 0x02 ‖ len(label) ‖ label
//!                       c = Fr::from_le_bytes_mod_order(Keccak256(h ‖ 0x00) ‖ Keccak256(h ‖ 0x01))
//!                       s ← Keccak256(h ‖ 0x02)
//! ```
//!
//! Challenges reduce 512 uniformly distributed bits modulo the 254-bit group
//! order, so their statistical distance from uniform is below 2^-250.
//! Scalars and points are absorbed in their canonical compressed arkworks
//! encoding (32 bytes each, little-endian).

use ark_bn254::{Fr, G1Affine};
use ark_ff::PrimeField;
use ark_serialize::CanonicalSerialize;
use sha3::{Digest, Keccak256};

/// Domain string hashed into the initial state of every transcript.
const TRANSCRIPT_DOMAIN: &[u8] = b"zkpolicy/transcript/v1";

const OP_ABSORB: u8 = 0x01;
const OP_CHALLENGE: u8 = 0x02;

/// A Keccak-256 Fiat–Shamir transcript (see the module docs for the exact construction).
#[derive(Clone, Debug)]
pub struct Transcript {
    state: [u8; 32],
}

fn framed(hasher: &mut Keccak256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

impl Transcript {
    /// Starts a transcript for the protocol named by `protocol`.
    pub fn new(protocol: &[u8]) -> Self {
        let mut h = Keccak256::new();
        h.update(TRANSCRIPT_DOMAIN);
        framed(&mut h, protocol);
        Transcript { state: h.finalize().into() }
    }
}

/// The interface the prover and the verifier drive: absorb messages, draw challenges.
///
/// [`Transcript`] is the only implementation used by proofs; the zero-knowledge
/// tests implement it with programmed challenges to run the simulator.
pub trait FiatShamir {
    /// Absorbs raw bytes under `label`.
    fn append_bytes(&mut self, label: &[u8], data: &[u8]);

    /// Derives a challenge scalar under `label` and advances the state.
    fn challenge_scalar(&mut self, label: &[u8]) -> Fr;

    /// Absorbs a `u64` (8 bytes, little-endian) under `label`.
    fn append_u64(&mut self, label: &[u8], v: u64) {
        self.append_bytes(label, &v.to_le_bytes());
    }

    /// Absorbs a list of scalars (32-byte canonical encodings, concatenated) under `label`.
    fn append_scalars(&mut self, label: &[u8], scalars: &[Fr]) {
        let mut buf = Vec::with_capacity(32 * scalars.len());
        for s in scalars {
            s.serialize_compressed(&mut buf).expect("writing to a Vec cannot fail");
        }
        self.append_bytes(label, &buf);
    }

    /// Absorbs a list of G1 points (32-byte compressed encodings, concatenated) under `label`.
    fn append_points(&mut self, label: &[u8], points: &[G1Affine]) {
        let mut buf = Vec::with_capacity(32 * points.len());
        for p in points {
            p.serialize_compressed(&mut buf).expect("writing to a Vec cannot fail");
        }
        self.append_bytes(label, &buf);
    }

    /// Derives `n` challenge scalars, one `challenge_scalar(label)` call each.
    fn challenge_vector(&mut self, label: &[u8], n: usize) -> Vec<Fr> {
        (0..n).map(|_| self.challenge_scalar(label)).collect()
    }
}

impl FiatShamir for Transcript {
    fn append_bytes(&mut self, label: &[u8], data: &[u8]) {
        let mut h = Keccak256::new();
        h.update(self.state);
        h.update([OP_ABSORB]);
        framed(&mut h, label);
        framed(&mut h, data);
        self.state = h.finalize().into();
    }

    fn challenge_scalar(&mut self, label: &[u8]) -> Fr {
        let mut h = Keccak256::new();
        h.update(self.state);
        h.update([OP_CHALLENGE]);
        framed(&mut h, label);
        let mut wide = [0u8; 64];
        for (i, chunk) in wide.chunks_exact_mut(32).enumerate() {
            let mut hi = h.clone();
            hi.update([i as u8]);
            chunk.copy_from_slice(&hi.finalize());
        }
        h.update([2u8]);
        self.state = h.finalize().into();
        Fr::from_le_bytes_mod_order(&wide)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_order_sensitive() {
        let mut a = Transcript::new(b"p");
        let mut b = Transcript::new(b"p");
        a.append_u64(b"x", 1);
        b.append_u64(b"x", 1);
        assert_eq!(a.challenge_scalar(b"c"), b.challenge_scalar(b"c"));
        // Successive challenges differ.
        assert_ne!(a.challenge_scalar(b"c"), a.challenge_scalar(b"c"));

        let mut c = Transcript::new(b"p");
        c.append_u64(b"y", 1);
        let mut d = Transcript::new(b"p");
        d.append_u64(b"x", 1);
        assert_ne!(c.challenge_scalar(b"c"), d.challenge_scalar(b"c"));
        // Label/data boundaries are framed: ("ab","c") differs from ("a","bc").
        let mut e = Transcript::new(b"p");
        e.append_bytes(b"ab", b"c");
        let mut f = Transcript::new(b"p");
        f.append_bytes(b"a", b"bc");
        assert_ne!(e.challenge_scalar(b"c"), f.challenge_scalar(b"c"));
        // Different protocol labels give different transcripts.
        assert_ne!(Transcript::new(b"p").challenge_scalar(b"c"), Transcript::new(b"q").challenge_scalar(b"c"));
    }
}
