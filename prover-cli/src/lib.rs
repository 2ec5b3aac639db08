//! zkpolicy prover library.
