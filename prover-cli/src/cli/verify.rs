//! `zkpolicy verify`: check a proof against a verifier key.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;
use zkpolicy_core::snark::encoding::{point_hex, FORMAT_VERSION};
use zkpolicy_core::policy::{self, hex_digest, PolicyProof, VerifierKey};

use super::{read_file, write_json, CliError, ContextArg};

/// Check a proof (binary or JSON form, detected automatically) against a
/// verifier key, and print VALID or INVALID with the public input, the outputs
/// and the decision the proof establishes.
///
/// Verification needs only the verifier key and the proof: no model file, no
/// proving key, no network.
///
/// A proof made with `zkpolicy prove --context` is valid only with the same
/// `--context` here; a proof bound to no context is valid only without one. Pass
/// the context you derive from the request you are about to accept, never one
/// taken from the proof.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  zkpolicy verify --vk keys/whitelist.vk --proof approve.proof\n  zkpolicy verify --vk keys/whitelist.vk --proof approve.proof.json --json\n  zkpolicy verify --vk keys/whitelist.vk --proof approve.proof --context 0x9f86d081884c7d65\n\nExit codes: 0 valid, 1 invalid proof (including a malformed proof file, with the reason), 2 usage, I/O or key error."
)]
pub(super) struct Args {
    /// The verifier key written by `zkpolicy setup`.
    #[arg(long, value_name = "NAME.vk")]
    vk: PathBuf,
    /// The proof, binary or JSON.
    #[arg(long, value_name = "FILE")]
    proof: PathBuf,
    /// The request context the proof must be bound to: hex bytes (optionally
    /// 0x-prefixed), or @FILE for the raw bytes of a file (at most 1 MiB).
    #[arg(long, value_name = "HEX|@FILE", value_parser = ContextArg::parse)]
    context: Option<ContextArg>,
    /// Print machine-readable JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report {
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    vk_digest: String,
    /// Digest of the request context the proof is bound to, or null.
    context_digest: Option<String>,
    format_version: u16,
    model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<String>,
    outputs: Vec<f64>,
    /// The dequantized input, `null` for each private element.
    public_inputs: Vec<Option<f64>>,
    /// Per input: "public", "private" or "committed".
    input_visibility: Vec<&'static str>,
    /// Per input: the commitment the proof showed (hex) if committed, else null.
    commitments: Vec<Option<String>>,
}

/// Runs the command; an invalid proof is reported and yields [`CliError::Invalid`] (exit 1).
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let context = args.context.as_ref().map(ContextArg::load).transpose()?;
    let vk_bytes = read_file(&args.vk)?;
    let proof_bytes = read_file(&args.proof)?;
    let vk = VerifierKey::from_bytes(&vk_bytes).map_err(|e| CliError::Policy { path: args.vk.clone(), source: e })?;
    let model = vk.model();
    let result = PolicyProof::from_any(&proof_bytes).and_then(|p| policy::verify(&vk, &p, context.as_deref()));
    let outputs = |v: &[i64]| v.iter().map(|y| model.dequantize_output(*y)).collect::<Vec<_>>();
    let report = match &result {
        Ok(v) => Report {
            valid: true,
            reason: None,
            vk_digest: hex_digest(&v.key_digest),
            context_digest: v.context_digest.as_ref().map(hex_digest),
            format_version: FORMAT_VERSION,
            model: model.name.clone(),
            decision: Some(v.verdict.to_string()),
            outputs: outputs(&v.outputs),
            public_inputs: v.input.iter().map(|x| x.map(|q| model.dequantize(q))).collect(),
            input_visibility: v.visibility.iter().map(|v| v.name()).collect(),
            commitments: v.commitments.iter().map(|c| c.as_ref().map(point_hex)).collect(),
        },
        Err(e) => Report {
            valid: false,
            reason: Some(e.to_string()),
            vk_digest: hex_digest(&vk.digest()),
            context_digest: None,
            format_version: FORMAT_VERSION,
            model: model.name.clone(),
            decision: None,
            outputs: Vec::new(),
            public_inputs: Vec::new(),
            input_visibility: vk.visibility().as_slice().iter().map(|v| v.name()).collect(),
            commitments: Vec::new(),
        },
    };
    if args.json {
        write_json(out, &report)?;
    } else if report.valid {
        writeln!(out, "VALID")?;
        writeln!(out, "model     {}", report.model)?;
        writeln!(out, "decision  {}", report.decision.as_deref().unwrap_or(""))?;
        writeln!(out, "outputs   {:?}", report.outputs)?;
        let shown: Vec<String> = report
            .public_inputs
            .iter()
            .zip(&report.input_visibility)
            .map(|(x, vis)| x.map_or_else(|| vis.to_string(), |x| x.to_string()))
            .collect();
        writeln!(out, "input     [{}]", shown.join(", "))?;
        for (i, c) in report.commitments.iter().enumerate() {
            if let Some(c) = c {
                writeln!(out, "committed input {i}: {c}")?;
            }
        }
        writeln!(out, "vk digest {}", report.vk_digest)?;
        match &report.context_digest {
            Some(d) => writeln!(out, "context   bound (digest {d})")?,
            None => writeln!(out, "context   none: the proof is not bound to a request and can be replayed")?,
        }
    } else {
        writeln!(out, "INVALID: {}", report.reason.as_deref().unwrap_or(""))?;
    }
    match result {
        Ok(_) => Ok(()),
        Err(e) if e.is_rejection() => Err(CliError::Invalid),
        Err(e) => Err(CliError::Policy { path: args.proof.clone(), source: e }),
    }
}
