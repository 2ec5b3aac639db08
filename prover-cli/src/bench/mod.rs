//! The benchmark behind `zkpolicy bench`: synthetic models, timing with
//! warm-up and samples (of whole operations or phase by phase), sizes and the
//! machine description.
//!
//! The command itself (seed models, the per-step pipeline, the verifier's
//! phases, peak memory in a child process, text and JSON output) is in the
//! CLI; `scripts/bench.sh` turns its JSON into `BENCHMARKS.md`.

pub mod measure;
pub mod phases;
pub mod stats;
pub mod synthetic;
pub mod sys;

pub use measure::{measure_model, CaseArtifacts, CaseReport};
pub use phases::{time_phases, PhaseTime, PhaseTimes};
pub use stats::{time_ms, Sampling, Stopwatch, Summary};
pub use synthetic::{MlpSpec, SCALING};
pub use sys::{proc_status_kb, process_cpu_ms, Machine};
