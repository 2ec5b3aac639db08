//! zkpolicy WebAssembly verifier.
