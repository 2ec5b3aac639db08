//! # zkpolicy
//!
//! The zkpolicy prover library: import an ONNX authorization policy into the
//! exact integer model of [`zkpolicy_core::frontend::model`], compare it with the float
//! original (run by tract), and measure its fidelity on a labelled test set.
//!
//! ```no_run
//! use zkpolicy::{load_onnx, ImportOptions};
//!
//! let imported = load_onnx("models/simple_velocity/simple_velocity.onnx", &ImportOptions::default())?;
//! let result = imported.compare(&[0.05, 0.8, 0.02, 0.1, 0.9])?;
//! println!("float {:?} quantized {:?} -> {}", result.float_outputs, result.quantized_real, result.quantized_verdict);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod bench;
pub mod fidelity;
pub mod input;
pub mod onnx;

pub use onnx::{load_onnx, load_onnx_bytes, DecisionSpec, ImportError, ImportOptions, ImportedModel, RunError};

/// The README's Rust example, compiled and run as a doc-test.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
