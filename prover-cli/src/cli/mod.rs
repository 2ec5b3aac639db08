//! Command-line parsing, dispatch, shared options and error reporting.

mod bench;
mod commit;
mod fidelity;
mod inspect;
mod prove;
mod run;
mod serve;
mod setup;
mod verify;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zkpolicy::fidelity::{calibrate_scale, CalibrationError, FidelityError, LabelledRow, ScaleTrial};
use zkpolicy::input::InputError;
use zkpolicy::onnx::{DEFAULT_INPUT_RANGE, OPSETS, SUPPORTED_OPS};
use zkpolicy::{load_onnx, DecisionSpec, ImportError, ImportOptions, ImportedModel, RunError};
use zkpolicy_core::frontend::circuit::CircuitError;
use zkpolicy_core::frontend::model::{format_real, EvalError, Model, DEFAULT_SCALE_BITS};

/// zkpolicy: prove in zero knowledge that an ONNX authorization policy approved a request.
///
/// An ONNX policy model (a small MLP) is imported into an exact integer model
/// (fixed point at scale 2^-s). A proof shows that this model maps a request to
/// its outputs and decision; it reveals the outputs, not the request's private
/// inputs. The commands that read the ONNX file share the import options
/// (--scale, --input-range, --decision).
///
/// 1. Check the import: `inspect` shows what the model becomes (layers, decision
///    rule, circuit size) and also reads key and proof files; `run` evaluates it
///    next to the float original on one input; `fidelity` measures their
///    agreement on a labelled test set.
///
/// 2. `setup` compiles the model to a circuit and writes a proving key (NAME.pk)
///    and a verifier key (NAME.vk). It is transparent and deterministic: no
///    trusted setup, and the same ONNX file and options give the same keys on any
///    machine. `--visibility` chooses which inputs proofs reveal: all are private
///    by default; some or all can be made public, or committed.
///
/// 3. `prove` evaluates the policy in the proving key on a request (INPUT.json)
///    and writes a zero-knowledge proof (binary, or JSON with --format json).
///    `--context` binds it to one request (a payment hash, a nonce): it then
///    verifies only with the same context and cannot be replayed for another.
///
/// 4. `verify` checks a proof with the verifier key alone (and the same
///    `--context`) and prints VALID or INVALID, the public inputs, the outputs
///    and the decision.
///
/// `commit` is the issuer's side of committed inputs: it writes Pedersen
/// commitments to them and their openings, which `prove --blinds` uses so that
/// the proof shows those commitments. `serve` runs the prover as an HTTP service
/// for backends in any language (every NAME.pk of a folder, on 127.0.0.1:8787 by
/// default; docs/SERVE.md). `bench` measures setup, proving and verification time,
/// key and proof sizes and prover memory.
///
/// Exit codes: 0 success, 1 an invalid proof, 2 a usage, I/O, input or format
/// error, 3 `inspect`: the model imports but cannot be proved (why is printed).
#[derive(Debug, Parser)]
#[command(name = "zkpolicy", version, propagate_version = true)]
pub(crate) struct Cli {
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
    Serve(serve::Args),
}

/// How an ONNX file is imported (shared by every command that reads a model).
#[derive(Debug, clap::Args)]
pub(crate) struct ModelArgs {
    /// The ONNX model file.
    #[arg(value_name = "MODEL.onnx")]
    pub model: PathBuf,
    /// Scale exponent s: values are fixed-point multiples of 2^-s (1..=20). `auto`
    /// (setup and fidelity, with --test-set) picks the smallest s at which the
    /// quantized model is provable and decides every row of the test set as the
    /// float model does, and says which it picked.
    #[arg(long, value_name = "S|auto", default_value_t = ScaleArg::Bits(DEFAULT_SCALE_BITS), value_parser = ScaleArg::parse)]
    pub scale: ScaleArg,
    /// Input range ±R (real units): the quantized model takes inputs in [-R, R].
    /// `run`, `fidelity`, `prove` and `commit` refuse a value outside it, unless
    /// given --clamp.
    #[arg(long, value_name = "R", default_value_t = DEFAULT_INPUT_RANGE)]
    pub input_range: f64,
    /// Decision rule, overriding the model's `zkpolicy.decision` metadata:
    /// `threshold:INDEX:VALUE` (approve iff output[INDEX] ≥ VALUE) or
    /// `argmax[:LABEL0,LABEL1,...]`. Default without metadata: threshold:0:0.5
    /// for one output, argmax for several.
    #[arg(long, value_name = "RULE")]
    pub decision: Option<String>,
    /// Names of the inputs, one per input in order, comma-separated (e.g.
    /// `amount,balance,hour`), overriding the model's `zkpolicy.feature_names`
    /// metadata. Default without metadata: the graph's input names (`name[i]` for an
    /// input of several values). Setup records them in the keys (and their digest);
    /// verifiers show each input by its name, and `--visibility` and named requests
    /// can use them. A name has 1-64 ASCII letters, digits and `_-.:/[]`, starts with
    /// a letter or `_`, and is unique.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub input_names: Option<Vec<String>>,
    /// Units of the inputs, one per input, comma-separated, an empty entry for none
    /// (e.g. `USD,USD,hours`), overriding the `zkpolicy.feature_units` metadata.
    /// Shown after each value; recorded in the keys.
    #[arg(long, value_name = "UNITS", value_delimiter = ',')]
    pub input_units: Option<Vec<String>>,
    /// Domains of inputs narrower than ±R, overriding the model's
    /// `zkpolicy.feature_domains` metadata: comma-separated `RANGES=DOMAIN`
    /// clauses applied in order, RANGES as in `setup --visibility` (indices or
    /// names), DOMAIN `LO:HI` (real values), `int:LO:HI` (integers) or `bool` (0 or
    /// 1), e.g. `amount=0:1000,hour=int:0:23,new_vendor=bool`. A value outside its
    /// input's domain is refused like one outside ±R (clamped to the domain's ends
    /// with --clamp; a non-integer for an integer domain is always refused). Setup
    /// records the domains in the keys; proofs show that hidden inputs lie in theirs,
    /// and a narrower domain is a smaller circuit (a flag costs one constraint
    /// instead of about 23).
    #[arg(long, value_name = "SPEC")]
    pub input_domains: Option<String>,
    /// The graph output to prove, for a graph with several (e.g. skl2onnx's `label`
    /// and `probabilities`). Default: the only output, or the first whose values are
    /// floats; a label output is proved as the scores it is read from (the argmax
    /// index, with the class labels). The choice is announced on stderr.
    #[arg(long, value_name = "NAME")]
    pub output: Option<String>,
}

/// The `--scale` option: a scale exponent, or `auto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScaleArg {
    /// This scale exponent.
    Bits(u32),
    /// The smallest scale with full decision agreement on a calibration set.
    Auto,
}

impl ScaleArg {
    /// The clap value parser: `auto` or an integer (checked against the range at import).
    fn parse(text: &str) -> Result<Self, String> {
        match text {
            "auto" => Ok(ScaleArg::Auto),
            _ => text.parse().map(ScaleArg::Bits).map_err(|_| format!("`{text}` is neither a number nor `auto`")),
        }
    }
}

impl std::fmt::Display for ScaleArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScaleArg::Bits(s) => write!(f, "{s}"),
            ScaleArg::Auto => f.write_str("auto"),
        }
    }
}

/// The clap value parser of `--profile`: a [`policy::Profile`] by name.
pub(crate) fn parse_profile(text: &str) -> Result<zkpolicy_core::policy::Profile, String> {
    zkpolicy_core::policy::Profile::from_name(text)
        .ok_or_else(|| format!("`{text}` is not a profile: `small` (smaller proofs) or `fast` (faster proving)"))
}

/// The scale `--scale auto` picked, for the reports of `setup` and `fidelity`.
#[derive(Debug, serde::Serialize)]
pub(crate) struct ScaleChoice {
    /// The scale exponent picked.
    pub picked: u32,
    /// The smaller scales and why each was not picked.
    pub rejected: Vec<ScaleTrial>,
}

impl ScaleChoice {
    /// One line for the text reports.
    pub(crate) fn describe(&self, rows: usize, set: &Path) -> String {
        let smaller = match (self.rejected.first(), self.rejected.last()) {
            (Some(a), Some(b)) if a.scale_bits == b.scale_bits => format!("; s = {} did not", a.scale_bits),
            (Some(a), Some(b)) => format!("; s = {}..={} did not", a.scale_bits, b.scale_bits),
            _ => String::new(),
        };
        format!(
            "--scale auto picked s = {}: the smallest scale with a provable model and the float model's decision on all {rows} rows of {}{smaller}",
            self.picked,
            set.display()
        )
    }
}

impl ModelArgs {
    fn options(&self, scale_bits: u32) -> Result<ImportOptions, CliError> {
        let decision = self.decision.as_deref().map(|d| DecisionSpec::parse(d, "--decision")).transpose();
        Ok(ImportOptions {
            scale_bits,
            input_range: self.input_range,
            decision: decision.map_err(self.import_err())?,
            input_names: self.input_names.as_ref().map(|n| n.iter().map(|s| s.trim().to_owned()).collect()),
            input_units: self.input_units.as_ref().map(|u| u.iter().map(|s| s.trim().to_owned()).collect()),
            input_domains: self.input_domains.clone(),
            output: self.output.clone(),
        })
    }

    fn import_err(&self) -> impl Fn(ImportError) -> CliError + '_ {
        |source| CliError::Import { path: self.model.clone(), source }
    }

    /// Imports the model with these options; refuses `--scale auto` (which needs a
    /// calibration set: [`ModelArgs::load_calibrated`]).
    pub(crate) fn load(&self) -> Result<ImportedModel, CliError> {
        let ScaleArg::Bits(s) = self.scale else {
            return Err(self.import_err()(ImportError::Options(
                "--scale auto needs a calibration set: `setup --test-set FILE` or `fidelity --test-set FILE`".into(),
            )));
        };
        let model = load_onnx(&self.model, &self.options(s)?).map_err(self.import_err())?;
        self.warn_import(&model);
        Ok(model)
    }

    /// Imports the model; with `--scale auto`, at the smallest scale at which it is
    /// provable and decides every row of `rows` (from the file `set`) as the float
    /// model does ([`calibrate_scale`]), and returns that choice too.
    pub(crate) fn load_calibrated(
        &self,
        rows: &[LabelledRow],
        set: &Path,
    ) -> Result<(ImportedModel, Option<ScaleChoice>), CliError> {
        if self.scale != ScaleArg::Auto {
            return Ok((self.load()?, None));
        }
        let calibration =
            calibrate_scale(&self.model, &self.options(DEFAULT_SCALE_BITS)?, rows).map_err(|e| match e {
                CalibrationError::Import(e) => self.import_err()(e),
                CalibrationError::Row(FidelityError {
                    row,
                    source: RunError::Eval(source @ EvalError::OutOfRange { .. }),
                }) => CliError::OutOfRange { what: format!("{} row {row}", set.display()), source },
                e => CliError::Calibration(e),
            })?;
        self.warn_import(&calibration.model);
        let choice = ScaleChoice { picked: calibration.model.model.scale_bits, rejected: calibration.rejected };
        Ok((calibration.model, Some(choice)))
    }

    /// The one place import warnings reach the user, whatever the command.
    fn warn_import(&self, model: &ImportedModel) {
        for w in &model.warnings {
            warn(&format!("{}: {w}", self.model.display()));
        }
    }
}

/// Whether an imported model can be proved, as `inspect`, `run` and `fidelity`
/// report it (see [`ImportedModel::provable`]).
#[derive(Debug, serde::Serialize)]
pub(crate) struct Provability {
    /// Whether `setup` accepts the model.
    pub provable: bool,
    /// The circuit's constraints with every input private, when provable.
    pub constraints: Option<u64>,
    /// Why it cannot be proved, when not.
    pub not_provable: Option<String>,
    #[serde(skip)]
    error: Option<CircuitError>,
}

impl Provability {
    /// Checks `model`.
    pub(crate) fn of(model: &ImportedModel) -> Self {
        match model.provable() {
            Ok(size) => {
                Provability { provable: true, constraints: Some(size.constraints), not_provable: None, error: None }
            }
            Err(e) => {
                Provability { provable: false, constraints: None, not_provable: Some(e.to_string()), error: Some(e) }
            }
        }
    }

    /// The line of the text reports.
    pub(crate) fn line(&self) -> String {
        match (&self.not_provable, self.constraints) {
            (Some(why), _) => format!("provable     NO: {why}; `zkpolicy setup` refuses this model"),
            (None, Some(n)) => format!("provable     yes ({n} constraints with every input private)"),
            (None, None) => "provable     yes".into(),
        }
    }

    /// The error of a model that cannot be proved (`None` if it can).
    pub(crate) fn into_error(self, path: &Path) -> Option<CliError> {
        self.error.map(|source| CliError::NotProvable { path: path.to_path_buf(), source })
    }
}

/// Everything that makes a command fail.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
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
    /// `--scale auto` found no scale.
    #[error("--scale auto: {0}")]
    Calibration(CalibrationError),
    /// `inspect`: the model imports but cannot be proved (the report has been printed).
    #[error("{}: the model cannot be proved: {source}", path.display())]
    NotProvable {
        /// The model file.
        path: PathBuf,
        /// The first check that fails.
        source: CircuitError,
    },
    /// An input lies outside its domain and `--clamp` was not given.
    #[error("{what}: {source}; refusing it (pass --clamp to clamp out-of-range inputs to their domain: the result is then about the clamped values)")]
    OutOfRange {
        /// The input file (and row).
        what: String,
        /// The input, its value and the range.
        source: EvalError,
    },
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
        source: zkpolicy_core::policy::PolicyError,
    },
    /// A request context could not be read or parsed.
    #[error("--context: {0}")]
    Context(#[from] zkpolicy_core::policy::ContextError),
    /// The proof was checked and is invalid (the reason has been printed).
    #[error("the proof is invalid")]
    Invalid,
    /// `prove --verify`: the fresh proof did not verify (a bug: please report it).
    #[error("the proof just made does not verify; this is a bug")]
    SelfCheck,
    /// `serve`: the service could not start (the address in use, ...) or stopped on an error.
    #[error("{what}: {source}")]
    Serve {
        /// What failed.
        what: String,
        /// Why.
        source: std::io::Error,
    },
}

impl CliError {
    /// The process exit code: 1 for an invalid proof, 3 for a model that cannot be
    /// proved (`inspect`), 2 for usage, I/O and format errors.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid | CliError::SelfCheck => 1,
            CliError::NotProvable { .. } => 3,
            _ => 2,
        }
    }
}

/// Writes a value as pretty JSON followed by a newline.
pub(crate) fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Reads a whole file, naming it in the error.
pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|source| CliError::Io { path: path.to_path_buf(), source })
}

/// Writes a whole file atomically (see [`write_files`]), naming it in the error.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    write_files(&[OutFile { path, bytes, secret: false }])
}

/// One output file of a command.
pub(crate) struct OutFile<'a> {
    /// Where it goes.
    pub path: &'a Path,
    /// Its contents.
    pub bytes: &'a [u8],
    /// Whether it holds secrets (commitment blinds): created readable and writable
    /// by the owner only (mode 0600 on Unix).
    pub secret: bool,
}

/// Writes a set of files atomically and together, the only way commands write
/// files: each is written to a temporary file next to its target and synced,
/// then all are renamed into place. A failure while writing leaves every target
/// untouched and removes the temporary files; a failure while renaming removes
/// the targets already renamed, so a set (a key pair, a proof and its openings)
/// is never left half new.
pub(crate) fn write_files(files: &[OutFile<'_>]) -> Result<(), CliError> {
    for (i, f) in files.iter().enumerate() {
        if files[..i].iter().any(|g| g.path == f.path) {
            return Err(CliError::FileKind { path: f.path.to_path_buf(), reason: "is named for two outputs".into() });
        }
    }
    let mut temps: Vec<PathBuf> = Vec::with_capacity(files.len());
    let remove_all = |paths: &[PathBuf]| paths.iter().for_each(|p| drop(std::fs::remove_file(p)));
    for f in files {
        match write_temp(f) {
            Ok(tmp) => temps.push(tmp),
            Err(source) => {
                remove_all(&temps);
                return Err(CliError::Io { path: f.path.to_path_buf(), source });
            }
        }
    }
    for (k, (f, tmp)) in files.iter().zip(&temps).enumerate() {
        if let Err(source) = std::fs::rename(tmp, f.path) {
            let placed: Vec<PathBuf> = files[..k].iter().map(|g| g.path.to_path_buf()).collect();
            remove_all(&placed);
            remove_all(&temps[k..]);
            return Err(CliError::Io { path: f.path.to_path_buf(), source });
        }
    }
    Ok(())
}

/// Writes `f` to a fresh temporary file in its target's directory and returns its path.
fn write_temp(f: &OutFile<'_>) -> std::io::Result<PathBuf> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = f.path.file_name().ok_or_else(|| std::io::Error::other("not a file name"))?;
    let dir = f.path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{}.{}-{n}.tmp", name.to_string_lossy(), std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if f.secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    let written = file.write_all(f.bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(tmp)
}

/// Wraps a policy error with the file it concerns.
pub(crate) fn policy_err(path: &Path) -> impl Fn(zkpolicy_core::policy::PolicyError) -> CliError + '_ {
    move |source| CliError::Policy { path: path.to_path_buf(), source }
}

/// Quantizes a request's real input for `model`. Without `clamp`, a value outside
/// its domain is refused ([`CliError::OutOfRange`] names the input, its value
/// and the range); with it, such values are clamped and each is announced on
/// stderr, since `result` (the proof, the commitment, ...) is then about another
/// input than the request's. Returns the integers and the clamped indices.
pub(crate) fn quantize_request(
    model: &Model,
    real: &[f64],
    path: &Path,
    clamp: bool,
    result: &str,
) -> Result<(Vec<i64>, Vec<usize>), CliError> {
    let (values, clamped) = match quantize_input(model, real, clamp) {
        Ok(quantized) => quantized,
        Err(source @ EvalError::OutOfRange { .. }) => {
            return Err(CliError::OutOfRange { what: path.display().to_string(), source })
        }
        Err(source) => return Err(CliError::Policy { path: path.to_path_buf(), source: source.into() }),
    };
    warn_clamped(model, real, &values, &clamped, |i| format!("input {i}"), result);
    Ok((values, clamped))
}

/// The quantization rule of every command that proves or commits (`prove`,
/// `commit`, `serve`): the input length is checked, and a value outside the
/// domain is refused ([`EvalError::OutOfRange`] names the input, its value
/// and the range) unless `clamp`, which clamps it instead. Returns the integers
/// and the clamped indices (none without `clamp`).
pub(crate) fn quantize_input(model: &Model, real: &[f64], clamp: bool) -> Result<(Vec<i64>, Vec<usize>), EvalError> {
    if clamp {
        model.quantize_clamped(real)
    } else {
        model.quantize(real).map(|values| (values, Vec::new()))
    }
}

/// Announces each clamped input on stderr (see [`quantize_request`]).
pub(crate) fn warn_clamped(
    model: &Model,
    real: &[f64],
    values: &[i64],
    clamped: &[usize],
    name: impl Fn(usize) -> String,
    result: &str,
) {
    for &i in clamped {
        warn(&format!(
            "--clamp: {} = {} is outside its domain {}; CLAMPED to {}: {result} is about the clamped value, not the value given",
            name(i),
            format_real(real[i]),
            model.domain(i).describe(model.scale_bits),
            model.dequantize(values[i])
        ));
    }
}

/// A request context as given on the command line (`--context`): hex digits, or
/// `@FILE` for the raw bytes of a file.
#[derive(Clone, Debug)]
pub(crate) enum ContextArg {
    /// The bytes, given as hex.
    Bytes(Vec<u8>),
    /// A file whose bytes are the context.
    File(PathBuf),
}

impl ContextArg {
    /// The clap value parser: `@FILE` or hex (see [`zkpolicy_core::policy::context_from_hex`]).
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        match text.strip_prefix('@') {
            Some("") => Err("@FILE needs a file name".to_owned()),
            Some(path) => Ok(ContextArg::File(path.into())),
            None => zkpolicy_core::policy::context_from_hex(text).map(ContextArg::Bytes).map_err(|e| e.to_string()),
        }
    }

    /// The context bytes (reading the file, at most [`zkpolicy_core::policy::MAX_CONTEXT_BYTES`]).
    pub(crate) fn load(&self) -> Result<Vec<u8>, CliError> {
        match self {
            ContextArg::Bytes(bytes) => Ok(bytes.clone()),
            ContextArg::File(path) => {
                let io = |source| CliError::Io { path: path.clone(), source };
                let len = std::fs::metadata(path).map_err(io)?.len();
                zkpolicy_core::policy::check_context_len(usize::try_from(len).unwrap_or(usize::MAX))?;
                let bytes = read_file(path)?;
                zkpolicy_core::policy::check_context_len(bytes.len())?;
                Ok(bytes)
            }
        }
    }
}

/// Prints a warning on stderr (ignoring a closed stderr).
pub(crate) fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {message}");
}

/// Standard output that treats a closed pipe (`zkpolicy verify … | head -1`) as
/// the reader's loss of interest: the first `BrokenPipe` error and every later
/// write are swallowed, so a command's outcome and exit code (a verdict, a
/// written file) never depend on whether anyone reads its report. Other errors
/// pass through.
struct PipeOut<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Write for PipeOut<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

/// Parses the command line, runs the command and returns the exit code.
pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = PipeOut { inner: stdout.lock(), closed: false };
    let result = match &cli.command {
        Command::Inspect(args) => inspect::run(args, &mut out),
        Command::Run(args) => run::run(args, &mut out),
        Command::Fidelity(args) => fidelity::run(args, &mut out),
        Command::Setup(args) => setup::run(args, &mut out),
        Command::Commit(args) => commit::run(args, &mut out),
        Command::Prove(args) => prove::run(args, &mut out),
        Command::Verify(args) => verify::run(args, &mut out),
        Command::Bench(args) => bench::run(args, &mut out),
        Command::Serve(args) => serve::run(args, &mut out),
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
pub(crate) fn supported_ops_help() -> String {
    format!("Supported ONNX ops (opsets {}-{}): {SUPPORTED_OPS}.", OPSETS.start(), OPSETS.end())
}
