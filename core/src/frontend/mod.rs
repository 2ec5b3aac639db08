//! The policy front end: from an integer policy model to an R1CS instance.
//!
//! * [`model`]: the exact integer model (layers, evaluation, value bounds, its
//!   byte encoding);
//! * [`visibility`]: which inputs are public, committed or private;
//! * [`selection`]: which inputs a clause of the compact syntaxes names;
//! * [`circuit`]: the circuit compiled from a model and a visibility, its size
//!   computed before building, and the witness.
//!
//! It targets [`crate::snark::r1cs::R1cs`] and checks the proof system's limits
//! through [`crate::snark::spartan::LIMITS`].

pub mod circuit;
pub mod model;
pub mod selection;
pub mod visibility;
