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

pub mod circuit;
pub mod model;
pub mod r1cs;
