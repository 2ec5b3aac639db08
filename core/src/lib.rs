//! # zkpolicy-core
//!
//! The core of zkpolicy, in three layers, each using only those below it:
//!
//! * [`policy`]: the product — proving and verifying keys and proofs of
//!   `decision = policy(input)`, their byte formats and files;
//! * [`frontend`]: the policy front end — the exact integer model, which inputs
//!   are public, committed or private, and the circuit compiled from them;
//! * [`snark`]: the proof system — a zero-knowledge SNARK for R1CS (Spartan with
//!   Hyrax over BN254), which knows nothing of policies.
//!
//! Prover-only code sits behind the `prover` cargo feature (on by default) so
//! that the WebAssembly verifier compiles none of it.
//!
//! See `docs/ARCHITECTURE.md` for what lives where and `docs/PROTOCOL.md` for
//! the statement proved and every step of the protocol.

// Lets code shared with the integration tests (`tests/common`) name this crate
// `zkpolicy_core` from inside the crate's own unit tests.
#[cfg(test)]
extern crate self as zkpolicy_core;

pub mod frontend;
pub mod policy;
pub mod snark;
