//! `zkpolicy verify`: check a proof against a verifier key.

use std::io::Write;
use std::path::PathBuf;

use zkpolicy_core::policy::report::{Rejection, Step, VerifyReport};
use zkpolicy_core::policy::{PolicyProof, VerifierKey};

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
    after_help = "Example:\n  zkpolicy verify --vk keys/whitelist.vk --proof approve.proof\n  zkpolicy verify --vk keys/whitelist.vk --proof approve.proof.json --json\n  zkpolicy verify --vk keys/whitelist.vk --proof approve.proof --context 0x9f86d081884c7d65\n\nExit codes: 0 valid, 1 invalid proof (including a malformed proof file, with the reason), 2 usage, I/O or key error (with --json, a key that does not decode is reported too)."
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
    /// Print machine-readable JSON instead of text: the report of docs/REPORTS.md,
    /// the same as the npm package's `verify` result.
    #[arg(long)]
    json: bool,
}

/// Runs the command. An invalid proof is reported and yields [`CliError::Invalid`]
/// (exit 1); a key that does not decode yields [`CliError::Policy`] (exit 2), after
/// its report with `--json`.
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let context = args.context.as_ref().map(ContextArg::load).transpose()?;
    let vk_bytes = read_file(&args.vk)?;
    let proof_bytes = read_file(&args.proof)?;
    let vk = match VerifierKey::from_bytes(&vk_bytes) {
        Ok(vk) => vk,
        Err(e) => {
            if args.json {
                write_json(out, &VerifyReport::rejected(Rejection::new(&e, Step::ReadKey(&vk_bytes)), None))?;
            }
            return Err(CliError::Policy { path: args.vk.clone(), source: e });
        }
    };
    let proof = PolicyProof::from_any(&proof_bytes).map_err(|e| Rejection::new(&e, Step::ReadProof(&proof_bytes)));
    let report = VerifyReport::check(&vk, proof, context.as_deref());
    if args.json {
        write_json(out, &report)?;
    } else {
        write_text(out, &report)?;
    }
    if report.valid {
        Ok(())
    } else {
        Err(CliError::Invalid)
    }
}

/// Most private inputs named one by one; the rest are counted.
const PRIVATE_SHOWN: usize = 8;

/// The inputs of a valid report by name: `amount = 0.05 USD (public)`, each
/// committed input with its commitment, and the private ones in one line.
fn write_inputs(out: &mut dyn Write, report: &VerifyReport) -> Result<(), CliError> {
    let mut private = Vec::new();
    for (i, name) in report.input_names.iter().enumerate() {
        let unit = report.input_units.get(i).cloned().flatten().map_or_else(String::new, |u| format!(" {u}"));
        match (report.public_inputs.get(i).copied().flatten(), report.input_commitments.get(i).cloned().flatten()) {
            (Some(x), _) => writeln!(out, "input     {name} = {x}{unit} (public)")?,
            (None, Some(c)) => writeln!(out, "input     {name} (committed: {c})")?,
            (None, None) => private.push(name.as_str()),
        }
    }
    if !private.is_empty() {
        let more = private.len().saturating_sub(PRIVATE_SHOWN);
        let more = if more > 0 { format!(", … {more} more") } else { String::new() };
        let shown = private[..private.len().min(PRIVATE_SHOWN)].join(", ");
        writeln!(out, "private   {} inputs, hidden by the proof: {shown}{more}", private.len())?;
    }
    Ok(())
}

/// The human-readable form of a report whose key decoded.
fn write_text(out: &mut dyn Write, report: &VerifyReport) -> Result<(), CliError> {
    if !report.valid {
        writeln!(out, "INVALID: {}", report.reason.as_deref().unwrap_or(""))?;
        return Ok(());
    }
    writeln!(out, "VALID")?;
    writeln!(out, "model     {}", report.model.as_ref().map_or("", |m| m.name.as_str()))?;
    writeln!(out, "decision  {}", report.decision.as_deref().unwrap_or(""))?;
    writeln!(out, "outputs   {:?}", report.outputs)?;
    write_inputs(out, report)?;
    writeln!(out, "vk digest {}", report.vk_digest.as_deref().unwrap_or(""))?;
    match &report.context_digest {
        Some(d) => writeln!(out, "context   bound (digest {d})")?,
        None => writeln!(out, "context   none: the proof is not bound to a request and can be replayed")?,
    }
    Ok(())
}
