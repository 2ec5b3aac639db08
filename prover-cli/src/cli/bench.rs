//! `zkpolicy bench`: measure setup, proving, verification, sizes and memory on
//! the seed models and on synthetic MLPs of 10^3..10^6 parameters.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use zkpolicy::bench::{
    measure_model, proc_status_kb, time_phases, CaseArtifacts, CaseReport, Machine, PhaseTimes, Sampling, Stopwatch,
    Summary, SCALING,
};
use zkpolicy::input::read_input;
use zkpolicy::onnx::DEFAULT_INPUT_RANGE;
use zkpolicy::{load_onnx, ImportOptions};
use zkpolicy_core::frontend::model::{Layer, Model, DEFAULT_SCALE_BITS};
use zkpolicy_core::policy::{self, PolicyProof, ProvingKey, VerifierKey};

use super::{policy_err, write_file, write_json, CliError};

/// A policy measured from its files: MODELS-DIR/DIR/NAME.onnx, proving
/// MODELS-DIR/DIR/approve.json, imported at scale 2^-SCALE_BITS with inputs in
/// ±INPUT_RANGE.
struct FilePolicy {
    name: &'static str,
    dir: &'static str,
    scale_bits: u32,
    input_range: f64,
}

impl FilePolicy {
    const fn seed(name: &'static str) -> Self {
        FilePolicy { name, dir: name, scale_bits: DEFAULT_SCALE_BITS, input_range: DEFAULT_INPUT_RANGE }
    }
}

/// The seed models and the 100-tree fraud policy, in the order they are reported.
const FILE_POLICIES: [FilePolicy; 4] = [
    FilePolicy::seed("simple_velocity"),
    FilePolicy::seed("business_hours"),
    FilePolicy::seed("whitelist"),
    FilePolicy { name: "fraud_gbdt", dir: "trees", scale_bits: 16, input_range: 16384.0 },
];
/// Largest synthetic model measured by `--quick`.
const QUICK_MAX_PARAMS: usize = 20_000;
/// Version tag of the JSON report.
const SCHEMA: &str = "zkpolicy-bench/1";

/// Measure setup, proving and verification time, key and proof sizes, prover
/// peak memory and circuit sizes.
///
/// Models: the three seed policies (MODELS-DIR/NAME/NAME.onnx, proving their
/// approve.json) and the 100-tree fraud policy (MODELS-DIR/trees/fraud_gbdt.onnx,
/// scale 2^-16, inputs in ±16384) with the per-step prove pipeline, and synthetic
/// ReLU MLPs of about 10^3, 10^4, 10^5 and 10^6 parameters generated from a fixed
/// seed; for every model, where verification time goes (the key load and one
/// proof's check, phase by phase: proof decoding, the sumchecks, the sparse-matrix
/// evaluation, each MSM).
/// Every timing runs warm-up iterations first and reports the median, the
/// quartiles and min/max of the samples. Peak RSS is that of a child process
/// (this binary again) that loads the proving key file and proves once.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  zkpolicy bench --quick\n  zkpolicy bench --json --out bench.json\n\nExit codes: 0 ok, 2 I/O, model or proving error."
)]
pub(super) struct Args {
    /// CI mode: few samples, synthetic models up to 10^4 parameters only.
    #[arg(long)]
    quick: bool,
    /// Directory holding the seed models.
    #[arg(long, value_name = "DIR", default_value = "models")]
    models_dir: PathBuf,
    /// Timed samples per measurement [default: 20, or 5 with --quick].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    samples: Option<u32>,
    /// Untimed warm-up runs before the samples.
    #[arg(long, value_name = "N", default_value_t = 1)]
    warmup: u32,
    /// Measure only these models (seed or synthetic names, e.g. `whitelist`,
    /// `mlp-1e6`; repeatable) [default: all].
    #[arg(long = "model", value_name = "NAME", value_parser = model_names())]
    models: Vec<String>,
    /// The profile of the keys measured (`small` or `fast`; see `zkpolicy setup
    /// --help`).
    #[arg(long, value_name = "small|fast", default_value = "small", value_parser = super::parse_profile)]
    profile: policy::Profile,
    /// Print the JSON report on stdout instead of text.
    #[arg(long)]
    json: bool,
    /// Also write the JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Internal: run as the memory-measuring child on this proving key.
    #[arg(long, hide = true, value_name = "NAME.pk", requires = "child_input")]
    child_pk: Option<PathBuf>,
    /// Internal: the input of the memory-measuring child.
    #[arg(long, hide = true, value_name = "INPUT.json")]
    child_input: Option<PathBuf>,
}

/// A fresh prover process: its peak resident memory and its step times.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct ColdRun {
    /// Peak RSS (`VmHWM`) of the process before it read the key, in kB.
    pub base_kb: u64,
    /// Peak RSS after loading the key and proving once, in kB.
    pub peak_kb: u64,
    /// The pipeline steps of this first request of a fresh process (cold
    /// caches: the Hyrax generators are derived in `preprocess`).
    pub timings: Timings,
}

/// Milliseconds of each step of the prove pipeline: `zkpolicy prove`'s work per
/// request, with the key load split into its own steps.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub(super) struct Timings {
    /// Reading the proving key file.
    pub load_ms: f64,
    /// Decoding the model from the key.
    pub decode_ms: f64,
    /// Compiling the circuit and building the Spartan keys.
    pub preprocess_ms: f64,
    /// Reading and quantizing the input.
    pub input_ms: f64,
    /// Evaluating the model and building the witness.
    pub trace_ms: f64,
    /// The SNARK proof.
    pub prove_ms: f64,
    /// Verifying the fresh proof (only when asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_ms: Option<f64>,
}

/// Runs the prove pipeline once, timed step by step: read the proving key file,
/// decode its model, preprocess (the two halves of [`ProvingKey::from_bytes`]),
/// read and quantize the input, trace, prove with fresh blinds and, with
/// `verify`, verify. Returns the times and whether the proof verified.
fn pipeline(pk_path: &Path, input_path: &Path, verify: bool) -> Result<(Timings, Option<bool>), CliError> {
    let mut t = Timings::default();
    let mut clock = Stopwatch::start();
    let bytes = super::read_file(pk_path)?;
    t.load_ms = clock.lap();
    let (model, visibility, names, profile) = ProvingKey::decode_model(&bytes).map_err(policy_err(pk_path))?;
    t.decode_ms = clock.lap();
    let (pk, vk) = policy::setup_with_profile(&model, &visibility, &names, profile).map_err(policy_err(pk_path))?;
    t.preprocess_ms = clock.lap();
    let input = quantize(&model, &read_input(input_path, names.inputs.names())?, input_path)?;
    t.input_ms = clock.lap();
    let assignment = pk.assign(&input).map_err(policy_err(input_path))?;
    t.trace_ms = clock.lap();
    let blinds = policy::fresh_blinds(pk.num_committed());
    let proof = pk.prove_assignment(&assignment, &blinds, None).map_err(policy_err(pk_path))?;
    t.prove_ms = clock.lap();
    let verified = verify.then(|| policy::verify(&vk, &proof, None).is_ok());
    t.verify_ms = verify.then(|| clock.lap());
    Ok((t, verified))
}

/// The seed's pipeline steps (a fresh prover process's work per request), each summarized.
#[derive(Clone, Debug, Serialize)]
pub(super) struct PipelineReport {
    /// Reading the proving key file.
    pub load_ms: Summary,
    /// Decoding the model.
    pub decode_ms: Summary,
    /// Compiling the circuit and building the keys.
    pub preprocess_ms: Summary,
    /// Reading and quantizing the input.
    pub input_ms: Summary,
    /// Evaluating the model and building the witness.
    pub trace_ms: Summary,
    /// The SNARK proof.
    pub prove_ms: Summary,
    /// Verifying the proof.
    pub verify_ms: Summary,
    /// The whole pipeline.
    pub total_ms: Summary,
}

/// Everything measured for one model.
#[derive(Clone, Debug, Serialize)]
pub(super) struct ModelReport {
    /// In-process measurements.
    #[serde(flatten)]
    pub case: CaseReport,
    /// One request in a fresh child process: peak memory and cold step times.
    pub cold: ColdRun,
    /// The per-step pipeline (seed models only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<PipelineReport>,
    /// Where a verifier's time goes.
    pub verifier: VerifierReport,
}

/// A verifier's work, phase by phase.
#[derive(Clone, Debug, Serialize)]
pub(super) struct VerifierReport {
    /// Loading the verifier key file once: reading it, then
    /// [`VerifierKey::from_bytes_with_phases`]'s phases (decode, compile, preprocess).
    pub key_load: PhaseTimes,
    /// Checking one proof with the key loaded: decoding its bytes (every point
    /// decompressed and checked), then [`policy::verify_with_phases`]'s phases.
    pub verify: PhaseTimes,
    /// The same with the key's generator tables built beforehand
    /// ([`VerifierKey::with_generator_tables`], once per process): a verifier that keeps
    /// its key to check many proofs.
    pub verify_with_tables: PhaseTimes,
}

impl VerifierReport {
    /// Its parts, titled.
    fn parts(&self) -> [(&'static str, &PhaseTimes); 3] {
        [("key load", &self.key_load), ("verify", &self.verify), ("verify, tables", &self.verify_with_tables)]
    }
}

/// The whole report (`--json`).
#[derive(Clone, Debug, Serialize)]
pub(super) struct BenchReport {
    /// Report format tag.
    pub schema: &'static str,
    /// Whether this was a `--quick` run.
    pub quick: bool,
    /// Where it ran.
    pub machine: Machine,
    /// Warm-up runs and timed samples of every timing.
    pub sampling: Sampling,
    /// The profile of the keys measured.
    pub key_profile: &'static str,
    /// Wall-clock time of the whole benchmark in seconds.
    pub elapsed_s: f64,
    /// The seed models.
    pub seed: Vec<ModelReport>,
    /// The synthetic scaling study.
    pub synthetic: Vec<ModelReport>,
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<Self, CliError> {
        let path = std::env::temp_dir().join(format!("zkpolicy-bench-{}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|source| CliError::Io { path: path.clone(), source })?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The names `--model` accepts.
fn model_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(FILE_POLICIES.iter().map(|p| p.name).chain(SCALING.iter().map(|s| s.name)))
}

/// Runs the command.
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    if let (Some(pk), Some(input)) = (&args.child_pk, &args.child_input) {
        return cold_child(pk, input, out);
    }
    let started = Instant::now();
    let mut machine = Machine::now();
    let samples = args.samples.unwrap_or(if args.quick { 5 } else { 20 }) as usize;
    let sampling = Sampling { warmup: args.warmup as usize, samples };
    let tmp = TempDir::new()?;

    let selected = |name: &str| args.models.is_empty() || args.models.iter().any(|m| m == name);
    let mut seed = Vec::new();
    for policy in FILE_POLICIES.iter().filter(|p| selected(p.name)) {
        let name = policy.name;
        let dir = args.models_dir.join(policy.dir);
        let onnx = dir.join(format!("{name}.onnx"));
        let input_path = dir.join("approve.json");
        progress(&format!("{name}: import and measure"));
        let options = ImportOptions {
            scale_bits: policy.scale_bits,
            input_range: policy.input_range,
            ..ImportOptions::default()
        };
        let imported = load_onnx(&onnx, &options).map_err(|source| CliError::Import { path: onnx.clone(), source })?;
        let model = imported.model;
        let real = read_input(&input_path, imported.names.inputs.names())?;
        let input = quantize(&model, &real, &input_path)?;
        let (case, artifacts) = measure_model(&model, &imported.names, shape(&model), &input, args.profile, sampling)
            .map_err(policy_err(&onnx))?;
        let pk_path = tmp.0.join(format!("{name}.pk"));
        write_file(&pk_path, &artifacts.pk_bytes)?;
        let pipeline = measure_pipeline(&pk_path, &input_path, sampling)?;
        let cold = measure_cold(&pk_path, &input_path)?;
        let verifier = measure_verifier(&tmp.0, name, &artifacts, sampling)?;
        seed.push(ModelReport { case, cold, pipeline: Some(pipeline), verifier });
    }

    let mut synthetic = Vec::new();
    for spec in SCALING.iter().filter(|s| selected(s.name) && (!args.quick || s.num_params() <= QUICK_MAX_PARAMS)) {
        progress(&format!("{} ({} parameters): generate and measure", spec.name, spec.num_params()));
        let model = spec.model();
        let real = spec.input();
        let input_path = tmp.0.join(format!("{}.input.json", spec.name));
        write_file(
            &input_path,
            &serde_json::to_vec(&serde_json::json!({ "input": real })).map_err(std::io::Error::from)?,
        )?;
        let input = quantize(&model, &real, &input_path)?;
        let names = policy::Names::indexed(spec.name, model.input_len);
        let (case, artifacts) = measure_model(&model, &names, spec.shape(), &input, args.profile, sampling)
            .map_err(policy_err(Path::new(spec.name)))?;
        let pk_path = tmp.0.join(format!("{}.pk", spec.name));
        write_file(&pk_path, &artifacts.pk_bytes)?;
        let cold = measure_cold(&pk_path, &input_path)?;
        let verifier = measure_verifier(&tmp.0, spec.name, &artifacts, sampling)?;
        synthetic.push(ModelReport { case, cold, pipeline: None, verifier });
    }

    machine.finish();
    let report = BenchReport {
        schema: SCHEMA,
        quick: args.quick,
        machine,
        sampling,
        key_profile: args.profile.name(),
        elapsed_s: started.elapsed().as_secs_f64(),
        seed,
        synthetic,
    };
    if let Some(path) = &args.out {
        let mut bytes = serde_json::to_vec_pretty(&report).map_err(std::io::Error::from)?;
        bytes.push(b'\n');
        write_file(path, &bytes)?;
    }
    if args.json {
        return write_json(out, &report);
    }
    print_text(&report, out)
}

/// Prints a progress line on stderr.
fn progress(message: &str) {
    let _ = writeln!(std::io::stderr(), "bench: {message}");
}

/// Quantizes a real input for a model.
fn quantize(model: &Model, real: &[f64], path: &Path) -> Result<Vec<i64>, CliError> {
    model.quantize(real).map_err(|e| policy_err(path)(e.into()))
}

/// Layer widths of a model's dense layers, e.g. `5×16×1`.
fn shape(model: &Model) -> String {
    let dense = model.layers.iter().filter_map(|l| match l {
        Layer::Dense { out_dim, .. } => Some(out_dim.to_string()),
        Layer::Trees(e) => Some(format!("{} trees→{}", e.trees.len(), e.outputs)),
        _ => None,
    });
    std::iter::once(model.input_len.to_string()).chain(dense).collect::<Vec<_>>().join("×")
}

/// Runs the seed's prove pipeline (with verification) `warmup + samples` times.
fn measure_pipeline(pk: &Path, input: &Path, sampling: Sampling) -> Result<PipelineReport, CliError> {
    let mut runs: Vec<(Timings, f64)> = Vec::with_capacity(sampling.samples);
    for i in 0..sampling.warmup + sampling.samples {
        let mut clock = Stopwatch::start();
        let (timings, verified) = pipeline(pk, input, true)?;
        let total = clock.lap();
        if verified != Some(true) {
            return Err(CliError::SelfCheck);
        }
        if i >= sampling.warmup {
            runs.push((timings, total));
        }
    }
    let summary = |f: fn(&(Timings, f64)) -> f64| -> Result<Summary, CliError> {
        Summary::of(&runs.iter().map(f).collect::<Vec<_>>()).ok_or_else(|| CliError::Io {
            path: pk.to_path_buf(),
            source: std::io::Error::other("no pipeline samples"),
        })
    };
    Ok(PipelineReport {
        load_ms: summary(|r| r.0.load_ms)?,
        decode_ms: summary(|r| r.0.decode_ms)?,
        preprocess_ms: summary(|r| r.0.preprocess_ms)?,
        input_ms: summary(|r| r.0.input_ms)?,
        trace_ms: summary(|r| r.0.trace_ms)?,
        prove_ms: summary(|r| r.0.prove_ms)?,
        verify_ms: summary(|r| r.0.verify_ms.unwrap_or(f64::NAN))?,
        total_ms: summary(|r| r.1)?,
    })
}

/// Times a verifier's work phase by phase on the verifier key and proof of
/// `artifacts`, written as `NAME.vk` and `NAME.proof` into `dir`: loading the key
/// file, and checking the proof against it.
fn measure_verifier(
    dir: &Path,
    name: &str,
    artifacts: &CaseArtifacts,
    sampling: Sampling,
) -> Result<VerifierReport, CliError> {
    let (vk_path, proof_path) = (dir.join(format!("{name}.vk")), dir.join(format!("{name}.proof")));
    let proof_bytes = artifacts.proof.to_bytes();
    write_file(&vk_path, &artifacts.vk_bytes)?;
    write_file(&proof_path, &proof_bytes)?;
    let (key_load, vk) = time_phases(sampling, |phase| {
        let bytes = super::read_file(&vk_path)?;
        phase("read key file");
        VerifierKey::from_bytes_with_phases(&bytes, &mut |p| phase(p.name())).map_err(policy_err(&vk_path))
    })?;
    let verify = |vk: &VerifierKey| {
        time_phases(sampling, |phase| {
            let proof = PolicyProof::from_bytes(&proof_bytes).map_err(policy_err(&proof_path))?;
            phase(policy::DECODE_PROOF_PHASE);
            policy::verify_with_phases(vk, &proof, None, &mut |p| phase(p.name())).map_err(policy_err(&proof_path))
        })
        .map(|(times, _)| times)
    };
    let plain = verify(&vk)?;
    let verify_with_tables = verify(&vk.with_generator_tables())?;
    Ok(VerifierReport { key_load, verify: plain, verify_with_tables })
}

/// Runs this binary as a child that loads the proving key and proves once,
/// and reads its peak RSS and step times.
fn measure_cold(pk: &Path, input: &Path) -> Result<ColdRun, CliError> {
    let child_err = |e: std::io::Error| CliError::Io { path: pk.to_path_buf(), source: e };
    let exe = std::env::current_exe().map_err(child_err)?;
    let output = Command::new(exe)
        .arg("bench")
        .arg("--child-pk")
        .arg(pk)
        .arg("--child-input")
        .arg(input)
        .output()
        .map_err(child_err)?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(child_err(std::io::Error::other(format!(
            "memory-measuring child failed ({}): {}",
            output.status,
            stderr.trim()
        ))));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| child_err(std::io::Error::other(format!("memory-measuring child: {e}"))))
}

/// The child of [`measure_cold`]: one prover process's work (load the key,
/// preprocess, prove), then its peak RSS and step times as JSON.
fn cold_child(pk: &Path, input: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let unavailable = || CliError::Io {
        path: "/proc/self/status".into(),
        source: std::io::Error::other("no VmHWM (peak RSS needs Linux)"),
    };
    let base_kb = proc_status_kb("VmHWM").ok_or_else(unavailable)?;
    let (timings, _) = pipeline(pk, input, false)?;
    let peak_kb = proc_status_kb("VmHWM").ok_or_else(unavailable)?;
    serde_json::to_writer(&mut *out, &ColdRun { base_kb, peak_kb, timings }).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// The text report.
fn print_text(report: &BenchReport, out: &mut dyn Write) -> Result<(), CliError> {
    let m = &report.machine;
    writeln!(
        out,
        "machine: {} × {}, {} MB, {} build, load {:?} → {:?}",
        m.cpus,
        m.cpu_model.as_deref().unwrap_or("unknown CPU"),
        m.memory_kb.unwrap_or(0) / 1024,
        m.profile,
        m.load_start.unwrap_or_default(),
        m.load_end.unwrap_or_default()
    )?;
    writeln!(out, "keys of profile {}; medians [p25–p75]; sizes in bytes; RSS in MB\n", report.key_profile)?;
    writeln!(
        out,
        "{:<16} {:>8} {:>8} {:>8} {:>20} {:>20} {:>20} {:>7} {:>7} {:>9} {:>6}",
        "model", "params", "constr", "witness", "setup ms", "prove ms", "verify ms", "proof", "vk", "pk", "RSS"
    )?;
    for r in report.seed.iter().chain(&report.synthetic) {
        let c = &r.case;
        writeln!(
            out,
            "{:<16} {:>8} {:>8} {:>8} {:>20} {:>20} {:>20} {:>7} {:>7} {:>9} {:>6.1}",
            c.name,
            c.params,
            c.constraints,
            c.witness,
            spread(&c.setup_ms),
            spread(&c.prove_ms),
            spread(&c.verify_ms),
            c.proof_bytes,
            c.vk_bytes,
            c.pk_bytes,
            r.cold.peak_kb as f64 / 1024.0
        )?;
    }
    writeln!(out, "\nper-step pipeline (medians, ms): load decode preprocess input trace prove verify = total")?;
    for r in &report.seed {
        if let Some(p) = &r.pipeline {
            writeln!(
                out,
                "{:<16} {:.3} {:.3} {:.2} {:.3} {:.2} {:.2} {:.2} = {:.2}",
                r.case.name,
                p.load_ms.median,
                p.decode_ms.median,
                p.preprocess_ms.median,
                p.input_ms.median,
                p.trace_ms.median,
                p.prove_ms.median,
                p.verify_ms.median,
                p.total_ms.median
            )?;
        }
    }
    print_prover(report, out)?;
    print_verifier(report, out)?;
    writeln!(
        out,
        "\nfresh prover process, first request (ms): preprocess prove; peak RSS (MB) before key → after proving"
    )?;
    for r in report.seed.iter().chain(&report.synthetic) {
        let c = &r.cold;
        writeln!(
            out,
            "{:<16} {:.2} {:.2}; {:.1} → {:.1}",
            r.case.name,
            c.timings.preprocess_ms,
            c.timings.prove_ms,
            c.base_kb as f64 / 1024.0,
            c.peak_kb as f64 / 1024.0
        )?;
    }
    writeln!(
        out,
        "\n{} warm-up runs and {} samples per timing; {:.1} s in all",
        report.sampling.warmup, report.sampling.samples, report.elapsed_s
    )?;
    Ok(())
}

/// The prover's offline/online split, CPU per request and phases: one row per
/// measure, one column per model (medians, ms).
fn print_prover(report: &BenchReport, out: &mut dyn Write) -> Result<(), CliError> {
    let models: Vec<&CaseReport> = report.seed.iter().chain(&report.synthetic).map(|r| &r.case).collect();
    let Some(first) = models.first() else { return Ok(()) };
    writeln!(out, "\nwhere proving time goes (medians, ms; CPU: all threads, mean per request)")?;
    write!(out, "{:<PHASE_LABEL_WIDTH$}", "phase")?;
    for c in &models {
        write!(out, " {:>16}", c.name)?;
    }
    writeln!(out)?;
    let mut row = |label: &str, value: &dyn Fn(&CaseReport) -> f64| -> std::io::Result<()> {
        write!(out, "{label:<PHASE_LABEL_WIDTH$}")?;
        for c in &models {
            write!(out, " {:>16.3}", value(c))?;
        }
        writeln!(out)
    };
    row("request (witness + proof), wall", &|c| c.prove_ms.median)?;
    row("request (witness + proof), CPU", &|c| c.prove_cpu_ms.unwrap_or(f64::NAN))?;
    row("proof: precompute (offline)", &|c| c.precompute_ms.median)?;
    row("proof: prove_precomputed (online)", &|c| c.online_ms.median)?;
    for (i, phase) in first.prove_phases.phases.iter().enumerate() {
        row(&format!("phase: {}", phase.phase), &|c| c.prove_phases.phases.get(i).map_or(f64::NAN, |p| p.ms.median))?;
    }
    Ok(())
}

/// Width of the phase column of the prover's and the verifier's tables: the longest
/// label, "verify, tables: evaluation proof transcript (step 6)" (each value follows a space).
const PHASE_LABEL_WIDTH: usize = 52;

/// The verifier's phases: one row per phase, one column per model (medians, ms).
fn print_verifier(report: &BenchReport, out: &mut dyn Write) -> Result<(), CliError> {
    let models: Vec<(&str, &VerifierReport)> =
        report.seed.iter().chain(&report.synthetic).map(|r| (r.case.name.as_str(), &r.verifier)).collect();
    let Some((_, first)) = models.first() else { return Ok(()) };
    writeln!(out, "\nwhere verification time goes (medians, ms)")?;
    write!(out, "{:<PHASE_LABEL_WIDTH$}", "phase")?;
    for (name, _) in &models {
        write!(out, " {name:>16}")?;
    }
    writeln!(out)?;
    for part in 0..first.parts().len() {
        let (title, times) = first.parts()[part];
        let rows = times.phases.iter().enumerate().map(|(i, p)| (p.phase, Some(i))).chain([("total", None)]);
        for (phase, index) in rows {
            write!(out, "{:<PHASE_LABEL_WIDTH$}", format!("{title}: {phase}"))?;
            for (_, v) in &models {
                let times = v.parts()[part].1;
                let median = match index {
                    Some(i) => times.phases.get(i).map_or(f64::NAN, |p| p.ms.median),
                    None => times.total_ms.median,
                };
                write!(out, " {median:>16.3}")?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

/// `median [p25–p75]` with a precision suited to the magnitude.
fn spread(s: &Summary) -> String {
    let f = |v: f64| {
        if v < 10.0 {
            format!("{v:.2}")
        } else if v < 1000.0 {
            format!("{v:.1}")
        } else {
            format!("{v:.0}")
        }
    };
    format!("{} [{}–{}]", f(s.median), f(s.p25), f(s.p75))
}
