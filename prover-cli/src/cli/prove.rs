//! `zkpolicy prove`: prove one evaluation of a policy.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;
use zkpolicy::bench::Stopwatch;
use zkpolicy::input::read_input;
use zkpolicy_core::policy::{self, hex_digest, Openings, ProvingKey};
use zkpolicy_core::snark::encoding::point_hex;

use super::commit::read_blinds;
use super::{policy_err, quantize_request, read_file, warn, write_files, write_json, CliError, ContextArg, OutFile};

/// The proof file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum ProofFormat {
    /// Compact binary (magic "ZKPP").
    Binary,
    /// JSON with the binary proof in base64, for HTTP APIs.
    Json,
}

/// Prove that the policy in a proving key maps an input to its decision.
///
/// The input is quantized exactly as `zkpolicy run` does: a value outside its
/// domain (the input range, or a narrower one the model declares) is refused (exit 2, naming it; no proof is written)
/// unless --clamp is given, in which case it is clamped, named in a warning on
/// stderr, and the proof is about the clamped value. The integer model is
/// evaluated, and a zero-knowledge proof is written that binds the verifier key,
/// the public inputs and the outputs. It reveals the outputs, the inputs the key
/// marks public and commitments to the inputs it marks committed; nothing about
/// the private inputs. It is checked by `zkpolicy verify` or the npm verifier
/// without the proving key.
///
/// Request binding: `--context` binds the proof to bytes the verifier also knows
/// (the hash of a payment payload, a nonce, a request id). `zkpolicy verify`
/// then accepts it only with the same `--context`, so the proof cannot be
/// replayed for another request. Without `--context` the proof is bound to no
/// request, and anyone who sees it can reuse it.
///
/// Committed inputs: pass the issuer's openings file with `--blinds` (see
/// `zkpolicy commit`) so the proof shows the issued commitments; without it the
/// blinds are fresh, and `--blinds-out` saves them (mode 0600: they are secret).
/// The proof and the openings are written atomically, together.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  zkpolicy prove --pk keys/whitelist.pk --input models/whitelist/approve.json --out approve.proof\n  zkpolicy prove --pk keys/whitelist.pk --input req.json --format json --timings --verify\n  zkpolicy prove --pk keys/whitelist.pk --input req.json --context 0x9f86d081884c7d65  # bound to a request\n  zkpolicy prove --pk keys/model.pk --input req.json --blinds openings.json\n\nExit codes: 0 ok, 2 usage, I/O, input or format error, or an input outside its domain (without --clamp)."
)]
pub(super) struct Args {
    /// The proving key written by `zkpolicy setup`.
    #[arg(long, value_name = "NAME.pk")]
    pk: PathBuf,
    /// The input JSON file: {"input": [numbers]} or {"input_data": [[numbers]]}.
    #[arg(long, value_name = "INPUT.json")]
    input: PathBuf,
    /// Bind the proof to a request context: hex bytes (optionally 0x-prefixed), or
    /// @FILE for the raw bytes of a file (at most 1 MiB). The verifier must pass the
    /// same context.
    #[arg(long, value_name = "HEX|@FILE", value_parser = ContextArg::parse)]
    context: Option<ContextArg>,
    /// Where to write the proof [default: NAME.proof, or NAME.proof.json with --format json].
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Proof file format.
    #[arg(long, value_enum, default_value_t = ProofFormat::Binary)]
    format: ProofFormat,
    /// Print machine-readable JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Print the time of each step: loading the key, the proof's precomputation (its
    /// randomness and the commitments that depend on it alone: offline work, done
    /// before the input is read), the input, the trace, the rest of the proof (online)
    /// and the verification with --verify.
    #[arg(long)]
    timings: bool,
    /// Verify the proof after proving (and time it).
    #[arg(long)]
    verify: bool,
    /// Openings file (from `zkpolicy commit`) whose blinds the committed inputs use.
    #[arg(long, value_name = "OPENINGS.json")]
    blinds: Option<PathBuf>,
    /// Write the openings of the committed inputs (values, blinds, commitments)
    /// here (secret; mode 0600).
    #[arg(long, value_name = "OPENINGS.json")]
    blinds_out: Option<PathBuf>,
    /// Clamp inputs outside their domain (the input range, or a narrower
    /// domain the model declares) to its ends instead of refusing
    /// them; each is named in a warning on stderr, and the proof is about the
    /// clamped values, not the request's.
    #[arg(long)]
    clamp: bool,
}

/// Milliseconds of each step of `prove --timings`. `zkpolicy bench` times the
/// key load's own steps (read, decode, preprocess) separately.
#[derive(Serialize, Default, Clone, Debug)]
struct Timings {
    /// Reading the proving key file and rebuilding its circuit and Spartan keys.
    key_ms: f64,
    /// The proof's witness-independent part (`ProvingKey::precompute`): offline work
    /// a service does before a request arrives.
    precompute_ms: f64,
    /// Reading and quantizing the input.
    input_ms: f64,
    /// Evaluating the model and building the witness.
    trace_ms: f64,
    /// The rest of the SNARK proof, given the precomputation: the online work.
    prove_ms: f64,
    /// Verifying the fresh proof (only with `--verify`).
    #[serde(skip_serializing_if = "Option::is_none")]
    verify_ms: Option<f64>,
}

#[derive(Serialize)]
struct Report {
    proof: PathBuf,
    proof_bytes: usize,
    vk_digest: String,
    /// Digest of the request context the proof is bound to, or null.
    context_digest: Option<String>,
    decision: String,
    outputs: Vec<f64>,
    input: Vec<f64>,
    clamped_inputs: Vec<usize>,
    /// Per input: the commitment (hex) if the key marks it committed, else null.
    commitments: Vec<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timings: Option<Timings>,
}

/// Runs the command.
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let context = args.context.as_ref().map(ContextArg::load).transpose()?;
    let mut timings = Timings::default();
    let mut clock = Stopwatch::start();
    let pk = ProvingKey::from_bytes(&read_file(&args.pk)?).map_err(policy_err(&args.pk))?;
    let (vk, model) = (pk.verifier_key(), pk.model());
    timings.key_ms = clock.lap();
    let precomputed = pk.precompute();
    timings.precompute_ms = clock.lap();
    let real = read_input(&args.input, vk.names().inputs.names())?;
    let (input, clamped) = quantize_request(model, &real, &args.input, args.clamp, "the proof")?;
    timings.input_ms = clock.lap();
    let assignment = pk.assign(&input).map_err(policy_err(&args.input))?;
    timings.trace_ms = clock.lap();
    let blinds = match &args.blinds {
        Some(path) => read_blinds(path, vk, &input)?,
        None => policy::fresh_blinds(pk.num_committed()),
    };
    let proof = pk
        .prove_precomputed(precomputed, &assignment, &blinds, context.as_deref(), &mut |_| {})
        .map_err(policy_err(&args.pk))?;
    timings.prove_ms = clock.lap();
    let verified = args.verify.then(|| policy::verify(vk, &proof, context.as_deref()).is_ok());
    timings.verify_ms = args.verify.then(|| clock.lap());
    let openings = match &args.blinds_out {
        Some(_) => Some(Openings::new(vk, &input, &blinds).to_json()),
        None if args.blinds.is_none() && !blinds.is_empty() => {
            warn("committed inputs use fresh blinds that are not saved; pass --blinds-out FILE to keep them");
            None
        }
        None => None,
    };
    // The commitments the proof carries, by input.
    let commitments: Vec<Option<String>> =
        vk.input_commitments(&proof).iter().map(|c| c.as_ref().map(point_hex)).collect();
    let (path, bytes) = match args.format {
        ProofFormat::Binary => {
            (args.out.clone().unwrap_or_else(|| format!("{}.proof", vk.names().policy).into()), proof.to_bytes())
        }
        ProofFormat::Json => (
            args.out.clone().unwrap_or_else(|| format!("{}.proof.json", vk.names().policy).into()),
            proof.to_json().into_bytes(),
        ),
    };
    let mut files = vec![OutFile { path: &path, bytes: &bytes, secret: false }];
    if let (Some(out), Some(openings)) = (&args.blinds_out, &openings) {
        files.push(OutFile { path: out, bytes: openings, secret: true });
    }
    write_files(&files)?;
    let outputs = assignment.trace.output();
    let report = Report {
        proof: path,
        proof_bytes: bytes.len(),
        vk_digest: hex_digest(&proof.key_digest),
        context_digest: proof.context_digest.as_ref().map(hex_digest),
        decision: model.decide(outputs).to_string(),
        outputs: outputs.iter().map(|y| model.dequantize_output(*y)).collect(),
        input: input.iter().map(|x| model.dequantize(*x)).collect(),
        clamped_inputs: clamped,
        commitments,
        verified,
        timings: args.timings.then_some(timings),
    };
    if verified == Some(false) {
        return Err(CliError::SelfCheck);
    }
    if args.json {
        return write_json(out, &report);
    }
    writeln!(out, "decision  {}", report.decision)?;
    writeln!(out, "outputs   {:?}", report.outputs)?;
    writeln!(out, "proof     {} ({} bytes)", report.proof.display(), report.proof_bytes)?;
    writeln!(out, "vk digest {}", report.vk_digest)?;
    match &report.context_digest {
        Some(d) => writeln!(out, "context   bound (digest {d})")?,
        None => writeln!(out, "context   none: the proof is not bound to a request and can be replayed")?,
    }
    for (i, c) in report.commitments.iter().enumerate() {
        if let Some(c) = c {
            writeln!(out, "committed input {i}: {c}")?;
        }
    }
    if let Some(v) = report.verified {
        writeln!(out, "verified  {}", if v { "VALID" } else { "INVALID" })?;
    }
    if let Some(t) = &report.timings {
        writeln!(
            out,
            "timings   key {:.2} ms, precompute (offline) {:.2} ms, input {:.2} ms, trace {:.2} ms, prove (online) {:.2} ms{}",
            t.key_ms,
            t.precompute_ms,
            t.input_ms,
            t.trace_ms,
            t.prove_ms,
            t.verify_ms.map_or(String::new(), |v| format!(", verify {v:.2} ms"))
        )?;
    }
    Ok(())
}
