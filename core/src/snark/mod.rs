//! The proof system: a zero-knowledge SNARK for R1CS, knowing nothing of policies.
//!
//! Bottom up, each module uses only those above it in this list:
//!
//! * [`error`], [`varint`], [`encoding`]: error types and byte formats;
//! * [`transcript`]: the Fiat–Shamir transcript (Keccak-256);
//! * [`poly`]: multilinear polynomials, `eq` tables, sparse matrices, masks;
//! * [`msm`]: multi-scalar multiplication (the bucket method with affine bucket sums);
//! * [`pedersen`]: generators and Pedersen commitments;
//! * [`sigma`]: Σ-protocols over those commitments (the dot-product proof);
//! * [`pcs`]: the Hyrax polynomial commitment;
//! * [`sumcheck`]: the zero-knowledge sumcheck;
//! * [`r1cs`]: the constraint system;
//! * [`spartan`]: Spartan with Hyrax, the SNARK itself.
//!
//! The policy front end (`frontend/`) compiles models to [`r1cs::R1cs`]
//! and reads this layer's limits through its API ([`spartan::Limits`]); nothing
//! here imports it back.

pub mod encoding;
pub mod error;
#[cfg(any(target_arch = "wasm32", test))]
mod limb29;
pub mod msm;
mod parallel;
pub mod pcs;
pub mod pedersen;
pub mod poly;
pub mod r1cs;
pub mod sigma;
pub mod spartan;
pub mod sumcheck;
pub mod transcript;
pub mod varint;
