//! # zkpolicy-shared
//!
//! Everything the prover and the verifier share: the protocol (field,
//! Fiat–Shamir transcript, multilinear polynomials, sumcheck, the Hyrax
//! polynomial commitment, Spartan for R1CS), the integer policy model and the
//! circuit compiled from it, and the byte formats of keys and proofs.
//!
//! Prover-only code sits behind the `prover` cargo feature (on by default) so
//! that the WebAssembly verifier compiles none of it.
//!
//! See `docs/ARCHITECTURE.md` for what lives where and `docs/PROTOCOL.md` for
//! the statement proved and every step of the protocol.

// Lets code shared with the integration tests (`tests/common`) name this crate
// `zkpolicy_shared` from inside the crate's own unit tests.
#[cfg(test)]
extern crate self as zkpolicy_shared;

pub mod circuit;
pub mod encoding;
pub mod error;
pub mod model;
mod parallel;
pub mod pcs;
pub mod policy;
pub mod poly;
pub mod r1cs;
pub mod sigma;
pub mod spartan;
pub mod sumcheck;
pub mod transcript;
pub mod varint;
pub mod visibility;
