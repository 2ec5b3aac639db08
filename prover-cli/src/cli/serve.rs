//! `zkpolicy serve`: the prover as an HTTP service.
//!
//! The proving keys are loaded once at start; requests are parsed and answered on
//! a tokio runtime and proved by `--workers` threads, a proof on each
//! (`provers`), behind an admission limit of workers + `--queue` requests (503
//! beyond it), each taking its witness-independent part from the policy's ready
//! precomputations (`ready`). The HTTP API is in `api`, the per-request log line
//! and the metrics in `observe`.

mod api;
mod observe;
mod provers;
mod ready;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use zkpolicy_core::policy::ProvingKey;

use self::api::{App, Limits, Policy};
use self::provers::Provers;
use super::{read_file, CliError};

/// Serve proofs over HTTP for every proving key NAME.pk in a directory.
///
/// Each key is loaded once at start (a key that does not load is a startup error
/// naming the file) and served as policy NAME:
///
///   POST /v1/policies/NAME/prove   {"input": [numbers]} or {"input_data": [[numbers]]},
///                                  optionally "context": "hex" → decision, outputs,
///                                  the JSON proof (as `zkpolicy prove --format json`
///                                  writes it) and timings
///   GET  /v1/policies              name, vk digest, inputs and their visibility of each
///   GET  /v1/policies/NAME/vk      the verifier key file (application/octet-stream)
///   GET  /healthz                  {"status": "ok"}
///   GET  /metrics                  Prometheus text format, zkpolicy_* series
///
/// Inputs are quantized as `zkpolicy prove` does, without --clamp: a value outside
/// the input range is refused (400, naming the input). "context" binds the proof
/// to a request: the verifier must pass the same bytes. Committed inputs get
/// fresh blinds that are not returned (openings are not served). Errors are
/// `{"error": {"code": "...", "message": "..."}}` with a 4xx or 5xx status; see
/// docs/SERVE.md for every endpoint and code.
///
/// Load: at most --workers proofs run at once; up to --queue more requests wait
/// for a worker; beyond that the answer is 503 with Retry-After. Each request has
/// --timeout-ms to be read, queued and proved (else 503), and a body limit of
/// --max-body bytes (else 413). The witness-independent part of a proof (its
/// randomness and the commitments to it, about a tenth of a small policy's proof)
/// is done ahead: --precompute of them per policy at start, then topped up by a
/// worker after it answers while no request waits; each serves one proof.
/// One JSON line per request goes to stderr
/// (method, path, policy, status, decision, duration_ms, error_code); the startup
/// line goes to stdout. SIGTERM or SIGINT stops accepting connections, lets the
/// requests in flight finish (for at most the timeout plus one second) and exits.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
#[command(
    after_help = "Example:\n  zkpolicy setup models/whitelist/whitelist.onnx --out-dir keys/\n  zkpolicy serve --keys keys/\n  curl -s localhost:8787/v1/policies/whitelist/prove -d @models/whitelist/approve.json\n  curl -s localhost:8787/v1/policies/whitelist/prove -d '{\"input\": [0.1, 0.2, 0.3], \"context\": \"9f86d081\"}'\n  zkpolicy serve --keys keys/ --listen 127.0.0.1:0 --workers 1 --queue 0  # any free port; no queueing\n\nExit codes: 0 after a graceful shutdown (SIGTERM, SIGINT), 2 when the service cannot start (a key that does not load, no keys, the address in use)."
)]
pub(super) struct Args {
    /// Directory of proving keys: each NAME.pk in it (from `zkpolicy setup`) is
    /// served as policy NAME. NAME must be ASCII letters, digits, '.', '_' or '-',
    /// starting with a letter or digit.
    #[arg(long, value_name = "DIR")]
    keys: PathBuf,
    /// Address and port to listen on (port 0: any free port, printed at start).
    /// Listening beyond loopback exposes the prover to that network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// Proofs computed at once, each on its own thread [default: the number of CPUs].
    #[arg(long, value_name = "N")]
    workers: Option<NonZeroUsize>,
    /// Prove requests that may wait for a free worker; one more is answered 503
    /// with Retry-After [default: 4 × workers].
    #[arg(long, value_name = "N")]
    queue: Option<usize>,
    /// Largest request body, in bytes; a larger one is answered 413.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    max_body: usize,
    /// Time limit of a prove request, in milliseconds: reading its body, waiting
    /// for a worker and proving. Beyond it the answer is 503 (code "timeout").
    #[arg(long, value_name = "MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    timeout_ms: u64,
    /// Proof precomputations kept ready per policy, at most 1024 (each holds one
    /// proof's secret randomness in memory until used); 0 makes each request do its own.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(..=1024))]
    precompute: u16,
}

/// Runs the command: loads the keys, then serves until SIGTERM or SIGINT.
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let policies = load_policies(&args.keys, args.precompute.into())?;
    let workers = args.workers.map_or_else(default_workers, NonZeroUsize::get);
    let limits = Limits {
        workers,
        queue: args.queue.unwrap_or(4 * workers),
        max_body: args.max_body,
        timeout: Duration::from_millis(args.timeout_ms),
        ready: args.precompute.into(),
    };
    let provers = Provers::new(workers, || {
        observe::log_event("panic", "a proof panicked; its request gets a 500 (please report it)")
    })
    .map_err(|e| CliError::Serve {
        what: "cannot start the proving threads".into(),
        source: std::io::Error::other(e),
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("zkpolicy-serve")
        .build()
        .map_err(|source| CliError::Serve { what: "cannot start the async runtime".into(), source })?;
    let grace = limits.timeout + Duration::from_secs(1);
    // A proof still running now belongs to a request that timed out or whose
    // client left: nobody waits for it, and it ends with the process.
    runtime.block_on(serve(args.listen, App::new(policies, limits, provers), grace, out))
}

/// The number of CPUs, or 1 if it cannot be told.
fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Binds, announces and serves until a signal, then shuts down gracefully: the
/// listener closes at once, idle connections close, and requests in flight
/// finish for at most `grace`.
async fn serve(listen: SocketAddr, app: App, grace: Duration, out: &mut dyn Write) -> Result<(), CliError> {
    // Installed before the startup line: whoever reads it may signal at once.
    let mut signals = Signals::install()?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| CliError::Serve { what: format!("cannot listen on {listen}"), source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| CliError::Serve { what: format!("cannot listen on {listen}"), source })?;
    let app = Arc::new(app);
    writeln!(out, "{}", app.startup_line(addr))?;
    out.flush()?;

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let signal = signals.recv().await;
        observe::log_event("shutdown", &format!("{signal}: not accepting connections, finishing requests in flight"));
        let _ = stop_tx.send(true);
    });
    let stopping = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let graceful = stopping(stop_rx.clone());
    let deadline = async move {
        stopping(stop_rx).await;
        tokio::time::sleep(grace).await;
    };
    // Responses go out at once: no Nagle delay between the headers and the proof.
    let listener = listener.tap_io(|tcp| drop(tcp.set_nodelay(true)));
    let server = axum::serve(listener, api::router(app)).with_graceful_shutdown(graceful);
    tokio::select! {
        result = server => result.map_err(|source| CliError::Serve { what: "the server failed".into(), source })?,
        () = deadline => observe::log_event("shutdown", "grace period over: closing the connections still open"),
    }
    observe::log_event("stopped", "bye");
    Ok(())
}

/// The signals that stop the service.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    /// Installs the handlers (SIGTERM and SIGINT; Ctrl-C elsewhere).
    fn install() -> Result<Self, CliError> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let err = |source| CliError::Serve { what: "cannot install the signal handlers".into(), source };
            Ok(Signals {
                term: signal(SignalKind::terminate()).map_err(err)?,
                int: signal(SignalKind::interrupt()).map_err(err)?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// Waits for the first signal and names it.
    async fn recv(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.term.recv() => "SIGTERM",
                _ = self.int.recv() => "SIGINT",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

/// Whether a key file's stem can name a policy: it appears in URLs and metric labels.
fn valid_name(name: &str) -> bool {
    name.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Loads every NAME.pk in `dir`, in name order, with `ready` precomputations each.
/// A key that does not load, or a directory without keys, is an error naming the
/// file or the directory.
fn load_policies(dir: &Path, ready: usize) -> Result<BTreeMap<String, Policy>, CliError> {
    let io = |source| CliError::Io { path: dir.to_path_buf(), source };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "pk") {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(CliError::FileKind {
            path: dir.to_path_buf(),
            reason: "holds no proving key NAME.pk (`zkpolicy setup MODEL.onnx --out-dir DIR` writes one)".into(),
        });
    }
    paths.sort();
    let mut policies = BTreeMap::new();
    for path in paths {
        let name = match path.file_stem().and_then(|s| s.to_str()) {
            Some(name) if valid_name(name) => name.to_owned(),
            _ => {
                return Err(CliError::FileKind {
                    path,
                    reason: "cannot name a policy: rename it to ASCII letters, digits, '.', '_' or '-' (starting with a letter or digit) before .pk".into(),
                })
            }
        };
        let pk = ProvingKey::from_bytes(&read_file(&path)?).map_err(|source| CliError::Policy { path, source })?;
        policies.insert(name.clone(), Policy::new(name, pk, ready));
    }
    Ok(policies)
}

#[cfg(test)]
mod tests {
    use super::valid_name;

    #[test]
    fn policy_names_fit_urls_and_labels() {
        for ok in ["whitelist", "simple_velocity", "v2.1-beta", "0"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", ".", "..", ".hidden", "-x", "a b", "a/b", "é", "a%2F"] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
