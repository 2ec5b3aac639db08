//! Command-line parsing, dispatch, shared options and error reporting.

mod bench;
mod commit;
mod fidelity;
mod inspect;
mod prove;
mod run;
mod setup;
mod verify;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zkpolicy::fidelity::FidelityError;
use zkpolicy::input::InputError;
use zkpolicy::onnx::{DEFAULT_INPUT_RANGE, SUPPORTED_OPS};
use zkpolicy::{load_onnx, DecisionSpec, ImportError, ImportOptions, ImportedModel, RunError};
use zkpolicy_shared::model::DEFAULT_SCALE_BITS;

/// zkpolicy: prove that an ONNX authorization policy was evaluated correctly.
///
/// An ONNX policy model (a small MLP) is imported into an exact integer model
/// (fixed point at scale 2^-s) whose evaluation can be proved. These commands
/// inspect the import, run it next to the float original, and measure its
/// fidelity on a labelled test set.
#[derive(Debug, Parser)]
#[command(name = "zkpolicy", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Inspect(inspect::Args),
    Run(run::Args),
    Fidelity(fidelity::Args),
    Setup(setup::Args),
    Commit(commit::Args),
    Prove(prove::Args),
    Verify(verify::Args),
    Bench(bench::Args),
}

/// How an ONNX file is imported (shared by every command that reads a model).
#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    /// The ONNX model file.
    #[arg(value_name = "MODEL.onnx")]
    pub model: PathBuf,
    /// Scale exponent s: values are fixed-point multiples of 2^-s (1..=20).
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SCALE_BITS)]
    pub scale: u32,
    /// Inputs are clamped to ±R (real units) before quantization.
    #[arg(long, value_name = "R", default_value_t = DEFAULT_INPUT_RANGE)]
    pub input_range: f64,
    /// Decision rule, overriding the model's `zkpolicy.decision` metadata:
    /// `threshold:INDEX:VALUE` (approve iff output[INDEX] ≥ VALUE) or
    /// `argmax[:LABEL0,LABEL1,...]`. Default without metadata: threshold:0:0.5
    /// for one output, argmax for several.
    #[arg(long, value_name = "RULE")]
    pub decision: Option<String>,
}

impl ModelArgs {
    /// Imports the model with these options.
    pub fn load(&self) -> Result<ImportedModel, CliError> {
        let decision = self.decision.as_deref().map(|d| DecisionSpec::parse(d, "--decision")).transpose();
        let import = |e| CliError::Import { path: self.model.clone(), source: e };
        let options = ImportOptions {
            scale_bits: self.scale,
            input_range: self.input_range,
            decision: decision.map_err(import)?,
        };
        load_onnx(&self.model, &options).map_err(import)
    }
}

/// Everything that makes a command fail.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The model could not be imported.
    #[error("{}: {source}", path.display())]
    Import {
        /// The model file.
        path: PathBuf,
        /// Why.
        source: ImportError,
    },
    /// An input or test-set file could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Running the model on an input failed.
    #[error("{0}")]
    Run(#[from] RunError),
    /// A fidelity run failed on a row.
    #[error("test set {0}")]
    Fidelity(#[from] FidelityError),
    /// A file of a kind the command cannot read.
    #[error("{}: {reason}", path.display())]
    FileKind {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Writing the result failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
    /// Reading or writing a named file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A key, proof or proving step failed.
    #[error("{}: {source}", path.display())]
    Policy {
        /// The file the failure is about.
        path: PathBuf,
        /// Why.
        source: zkpolicy_shared::policy::PolicyError,
    },
    /// A request context could not be read or parsed.
    #[error("--context: {0}")]
    Context(#[from] zkpolicy_shared::policy::ContextError),
    /// The proof was checked and is invalid (the reason has been printed).
    #[error("the proof is invalid")]
    Invalid,
    /// `prove --verify`: the fresh proof did not verify (a bug: please report it).
    #[error("the proof just made does not verify; this is a bug")]
    SelfCheck,
}

impl CliError {
    /// The process exit code: 2 for usage, I/O and format errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid | CliError::SelfCheck => 1,
            _ => 2,
        }
    }
}

/// Writes a value as pretty JSON followed by a newline.
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Reads a whole file, naming it in the error.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|source| CliError::Io { path: path.to_path_buf(), source })
}

/// Writes a whole file, naming it in the error.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|source| CliError::Io { path: path.to_path_buf(), source })
}

/// A request context as given on the command line (`--context`): hex digits, or
/// `@FILE` for the raw bytes of a file.
#[derive(Clone, Debug)]
pub enum ContextArg {
    /// The bytes, given as hex.
    Bytes(Vec<u8>),
    /// A file whose bytes are the context.
    File(PathBuf),
}

impl ContextArg {
    /// The clap value parser: `@FILE` or hex (see [`zkpolicy_shared::policy::context_from_hex`]).
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.strip_prefix('@') {
            Some("") => Err("@FILE needs a file name".to_owned()),
            Some(path) => Ok(ContextArg::File(path.into())),
            None => zkpolicy_shared::policy::context_from_hex(text).map(ContextArg::Bytes).map_err(|e| e.to_string()),
        }
    }

    /// The context bytes (reading the file, at most [`zkpolicy_shared::policy::MAX_CONTEXT_BYTES`]).
    pub fn load(&self) -> Result<Vec<u8>, CliError> {
        match self {
            ContextArg::Bytes(bytes) => Ok(bytes.clone()),
            ContextArg::File(path) => {
                let io = |source| CliError::Io { path: path.clone(), source };
                let len = std::fs::metadata(path).map_err(io)?.len();
                zkpolicy_shared::policy::check_context_len(usize::try_from(len).unwrap_or(usize::MAX))?;
                let bytes = read_file(path)?;
                zkpolicy_shared::policy::check_context_len(bytes.len())?;
                Ok(bytes)
            }
        }
    }
}

/// Prints a warning on stderr (ignoring a closed stderr).
pub fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {message}");
}

/// Parses the command line, runs the command and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match &cli.command {
        Command::Inspect(args) => inspect::run(args, &mut out),
        Command::Run(args) => run::run(args, &mut out),
        Command::Fidelity(args) => fidelity::run(args, &mut out),
        Command::Setup(args) => setup::run(args, &mut out),
        Command::Commit(args) => commit::run(args, &mut out),
        Command::Prove(args) => prove::run(args, &mut out),
        Command::Verify(args) => verify::run(args, &mut out),
        Command::Bench(args) => bench::run(args, &mut out),
    };
    match result.and_then(|()| out.flush().map_err(CliError::from)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Help text listing the supported ONNX ops (shared by the commands' long help).
pub fn supported_ops_help() -> String {
    format!("Supported ONNX ops (opsets 11-21): {SUPPORTED_OPS}.")
}
