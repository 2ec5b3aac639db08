//! The HTTP API of `zkpolicy serve`: routes, request parsing, admission, proving
//! and the JSON errors. docs/SERVE.md documents it.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Semaphore;
use zkpolicy::bench::Stopwatch;
use zkpolicy::input::{input_from_json, InputError};
use zkpolicy_core::frontend::model::EvalError;
use zkpolicy_core::policy::report::DomainInfo;
use zkpolicy_core::policy::{self, hex_digest, ContextError, PolicyError, ProvingKey};
use zkpolicy_core::snark::encoding::point_hex;

use super::observe::{self, Metrics, Outcome};
use super::provers::Provers;
use super::ready::Ready;
use crate::cli::quantize_input;

/// Seconds a client is told to wait (`Retry-After`) when the prover is full.
const RETRY_AFTER_SECS: u64 = 1;

/// One served policy: its proving key, its ready precomputations and what the GET
/// endpoints return.
pub(in crate::cli) struct Policy {
    pk: Arc<ProvingKey>,
    ready: Arc<Ready>,
    /// The verifier key file.
    vk: Bytes,
    /// Hex of the verifier key digest.
    vk_digest: String,
    /// Its entry in `GET /v1/policies`.
    info: PolicyInfo,
}

/// A policy as `GET /v1/policies` lists it.
#[derive(Serialize)]
struct PolicyInfo {
    name: String,
    vk_digest: String,
    /// The key's profile: "small" or "fast".
    profile: &'static str,
    num_inputs: usize,
    /// Per input: "public", "private" or "committed".
    visibility: Vec<&'static str>,
    /// Per input its name, from the key.
    input_names: Vec<String>,
    /// Per input its unit, null for none.
    input_units: Vec<Option<String>>,
    /// Inputs must lie in [-input_range, input_range].
    input_range: f64,
    /// Per input, the values it may take (within the input range).
    input_domains: Vec<DomainInfo>,
}

/// The body of `GET /v1/policies`.
#[derive(Serialize)]
struct PolicyList<'a> {
    policies: Vec<&'a PolicyInfo>,
}

impl Policy {
    /// Wraps a loaded key served under `name`, with `ready` precomputations made now
    /// and kept up.
    pub(in crate::cli) fn new(name: String, pk: ProvingKey, ready: usize) -> Self {
        let vk = pk.verifier_key();
        let vk_digest = hex_digest(&vk.digest());
        let info = PolicyInfo {
            name,
            vk_digest: vk_digest.clone(),
            profile: vk.profile().name(),
            num_inputs: pk.model().input_len,
            visibility: vk.visibility().as_slice().iter().map(|v| v.name()).collect(),
            input_names: vk.names().inputs.names().to_vec(),
            input_units: vk.names().inputs.units().to_vec(),
            input_range: pk.model().input_range(),
            input_domains: DomainInfo::of_inputs(pk.model()),
        };
        let ready = Arc::new(Ready::filled(&pk, ready));
        Policy { vk: Bytes::from(vk.to_bytes()), vk_digest, info, pk: Arc::new(pk), ready }
    }
}

/// The limits of the service.
#[derive(Clone, Copy, Debug)]
pub(in crate::cli) struct Limits {
    /// Proofs computed at once.
    pub(in crate::cli) workers: usize,
    /// Prove requests that may wait for a worker.
    pub(in crate::cli) queue: usize,
    /// Largest request body, in bytes.
    pub(in crate::cli) max_body: usize,
    /// Time limit of a prove request.
    pub(in crate::cli) timeout: Duration,
    /// Precomputations kept ready per policy.
    pub(in crate::cli) ready: usize,
}

/// The state every request shares.
pub(in crate::cli) struct App {
    policies: BTreeMap<String, Policy>,
    limits: Limits,
    /// Permits for requests admitted to proving (waiting or proving): workers + queue.
    admission: Arc<Semaphore>,
    /// The proving threads, one per worker. A proof holds its worker while it runs,
    /// so there are never more proofs in progress than workers.
    provers: Arc<Provers>,
    /// The body of `GET /v1/policies`, made once.
    policy_list: Bytes,
    pub(super) metrics: Metrics,
}

impl App {
    /// The state for these policies and limits, with `provers` of `limits.workers` threads.
    pub(in crate::cli) fn new(policies: BTreeMap<String, Policy>, limits: Limits, provers: Provers) -> Self {
        let list = PolicyList { policies: policies.values().map(|p| &p.info).collect() };
        let policy_list = Bytes::from(json_bytes(&list));
        App {
            policies,
            limits,
            admission: Arc::new(Semaphore::new(limits.workers + limits.queue)),
            policy_list,
            metrics: Metrics::new(),
            provers: Arc::new(provers),
        }
    }

    /// The line printed once the service listens on `addr`.
    pub(in crate::cli) fn startup_line(&self, addr: SocketAddr) -> String {
        let names: Vec<&str> = self.policies.keys().map(String::as_str).collect();
        let l = self.limits;
        format!(
            "zkpolicy serve: listening on http://{addr} (policies: {}; {} workers, queue {}, body limit {} bytes, timeout {} ms, {} precomputations ready per policy)",
            names.join(", "),
            l.workers,
            l.queue,
            l.max_body,
            l.timeout.as_millis(),
            l.ready
        )
    }

    /// Whether `name` is a served policy.
    pub(super) fn serves(&self, name: &str) -> bool {
        self.policies.contains_key(name)
    }

    /// Prove requests admitted and not finished, and of those the ones proving.
    pub(super) fn load(&self) -> (usize, usize) {
        let l = self.limits;
        let admitted = (l.workers + l.queue).saturating_sub(self.admission.available_permits());
        (admitted, self.provers.busy())
    }

    /// Prove requests admitted and waiting for a worker.
    fn queued(&self) -> usize {
        let (admitted, proving) = self.load();
        admitted.saturating_sub(proving)
    }
}

/// The routes, with the request log and metrics around every one of them.
pub(super) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/v1/policies/{name}/prove", post(prove))
        .route("/v1/policies/{name}/vk", get(verifier_key))
        .route("/v1/policies", get(list_policies))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(app.clone(), observe::observe))
        .with_state(app)
}

/// Why a request failed: each variant is one error code and status.
#[derive(Debug, thiserror::Error)]
pub(super) enum ApiError {
    /// The body is not JSON.
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(serde_json::Error),
    /// The JSON is not a prove request: no input, an input that is not an array of numbers, ...
    #[error("{0}")]
    InvalidRequest(InputError),
    /// A field the API does not know (a typo of "context" would leave a proof unbound).
    #[error("unknown field \"{0}\"; a prove request has \"input\" (or \"input_data\") and optionally \"context\"")]
    UnknownField(String),
    /// The input has the wrong number of values.
    #[error("\"input\" has {got} values; policy {policy} takes {expected}")]
    InputLength {
        /// The policy.
        policy: String,
        /// Its number of inputs.
        expected: usize,
        /// The number given.
        got: usize,
    },
    /// An input value lies outside the input range (the service never clamps).
    #[error("\"input\": {0}; refused (the service does not clamp)")]
    OutOfRange(EvalError),
    /// Another quantization failure.
    #[error("\"input\": {0}")]
    InvalidInput(EvalError),
    /// "context" is not valid hex.
    #[error("\"context\": {0}")]
    Context(ContextError),
    /// "context" is not a string.
    #[error("\"context\" must be a string of hex digits (or null for no context)")]
    ContextType,
    /// No such policy.
    #[error("no policy named \"{0}\"; GET /v1/policies lists the policies served")]
    UnknownPolicy(String),
    /// The body exceeds the limit.
    #[error("the request body is larger than the limit of {0} bytes")]
    TooLarge(usize),
    /// The body could not be read (the client went away, a bad chunked encoding).
    #[error("the request body could not be read: {0}")]
    BodyRead(String),
    /// No such route.
    #[error("no route for {method} {path}; the routes are POST /v1/policies/NAME/prove, GET /v1/policies, GET /v1/policies/NAME/vk, GET /healthz and GET /metrics")]
    NotFound {
        /// The request method.
        method: Method,
        /// The request path.
        path: String,
    },
    /// The route exists, the method does not.
    #[error("{method} is not allowed on {path}; the Allow header lists the methods it takes")]
    MethodNotAllowed {
        /// The request method.
        method: Method,
        /// The request path.
        path: String,
    },
    /// Every worker is busy and the queue is full.
    #[error("the prover is busy ({0} requests admitted, the limit); retry after {RETRY_AFTER_SECS} s")]
    Overloaded(usize),
    /// The request did not finish within the time limit.
    #[error("the request took longer than the limit of {0} ms (reading, queueing and proving); retry later")]
    Timeout(u128),
    /// Proving failed: a bug (the input was valid).
    #[error("proving failed: {0}")]
    Prove(PolicyError),
    /// The prover thread died, or the proof's JSON did not parse: a bug.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status.
    fn status(&self) -> StatusCode {
        match self {
            ApiError::UnknownPolicy(_) | ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Overloaded(_) | ApiError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Prove(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// The error code: stable, snake_case, listed in docs/SERVE.md.
    fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::InvalidRequest(InputError::Names { .. }) => "input_names",
            ApiError::InvalidRequest(_) => "invalid_request",
            ApiError::UnknownField(_) => "unknown_field",
            ApiError::InputLength { .. } => "input_length",
            ApiError::OutOfRange(_) => "input_out_of_range",
            ApiError::InvalidInput(_) => "invalid_input",
            ApiError::Context(_) | ApiError::ContextType => "invalid_context",
            ApiError::UnknownPolicy(_) => "unknown_policy",
            ApiError::TooLarge(_) => "body_too_large",
            ApiError::BodyRead(_) => "body_unreadable",
            ApiError::NotFound { .. } => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::Overloaded(_) => "overloaded",
            ApiError::Timeout(_) => "timeout",
            ApiError::Prove(_) => "prove_failed",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": { "code": self.code(), "message": self.to_string() } });
        let mut response = json_response(self.status(), &body);
        if self.status() == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
        }
        response.extensions_mut().insert(Outcome { decision: None, code: Some(self.code()) });
        response
    }
}

/// Serializes a value that always serializes (plain data, string keys).
fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize: {e}\"}}").into_bytes())
}

/// A JSON response.
fn json_response(status: StatusCode, value: &impl Serialize) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], json_bytes(value)).into_response()
}

/// `POST /v1/policies/{name}/prove`.
async fn prove(
    State(app): State<Arc<App>>,
    name: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let name = name.map_err(|_| ApiError::UnknownPolicy("(a name that is not UTF-8)".into()))?.0;
    let policy = app.policies.get(&name).ok_or(ApiError::UnknownPolicy(name))?;
    let timeout = app.limits.timeout;
    match tokio::time::timeout(timeout, prove_request(&app, policy, &headers, body, started)).await {
        Ok(result) => result,
        Err(_) => Err(ApiError::Timeout(timeout.as_millis())),
    }
}

/// Milliseconds of a duration.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Milliseconds of each step of a prove request.
#[derive(Serialize)]
struct Timings {
    /// Reading, parsing and quantizing the request.
    input_ms: f64,
    /// Waiting for a free worker.
    queue_ms: f64,
    /// Evaluating the model and building the witness.
    trace_ms: f64,
    /// The proof's witness-independent part (randomness and the commitments to it):
    /// about 0 when a ready one was taken (`--precompute`).
    precompute_ms: f64,
    /// The rest of the SNARK proof.
    prove_ms: f64,
    /// The whole request until the response is built.
    total_ms: f64,
}

/// The answer to a prove request.
#[derive(Serialize)]
struct ProveResponse<'a> {
    policy: &'a str,
    decision: String,
    outputs: Vec<f64>,
    vk_digest: &'a str,
    /// Digest of the request context the proof is bound to, or null.
    context_digest: Option<String>,
    /// Per input: the commitment (hex) if the key marks it committed, else null.
    /// Committed inputs use fresh blinds, which are not returned.
    commitments: Vec<Option<String>>,
    /// The proof as `zkpolicy prove --format json` writes it.
    proof: Value,
    timings: Timings,
}

/// What a worker returns.
struct Proved {
    decision: String,
    outputs: Vec<f64>,
    context_digest: Option<String>,
    commitments: Vec<Option<String>>,
    /// [`policy::PolicyProof::to_json`], parsed.
    proof: Value,
    trace_ms: f64,
    /// Whether the precomputation was a ready one.
    ready: bool,
    precompute_ms: f64,
    prove_ms: f64,
}

/// The prove request after the policy lookup, under the time limit.
async fn prove_request(
    app: &Arc<App>,
    policy: &Policy,
    headers: &HeaderMap,
    body: Body,
    started: Instant,
) -> Result<Response, ApiError> {
    let bytes = read_body(headers, body, app.limits.max_body).await?;
    let (input, context) = parse_request(policy, &bytes)?;
    let input_ms = ms(started.elapsed());
    let capacity = app.limits.workers + app.limits.queue;
    let admitted = app.admission.clone().try_acquire_owned().map_err(|_| ApiError::Overloaded(capacity))?;
    let queued = Instant::now();
    let worker = app.provers.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let queue_ms = ms(queued.elapsed());
    let (pk, ready, app_ref, name) = (policy.pk.clone(), policy.ready.clone(), app.clone(), policy.info.name.clone());
    let (tx, rx) = tokio::sync::oneshot::channel();
    // The permits go with the proof: a request that times out still holds its
    // worker until the proof it started ends (and the proof is still timed).
    worker.spawn(move |worker| {
        let proved = prove_blocking(&pk, &ready, &input, context.as_deref());
        if let Ok(p) = &proved {
            app_ref.metrics.observe_proof(&name, p.trace_ms + p.precompute_ms + p.prove_ms, p.ready);
        }
        // The request may be gone (timed out, client closed): nobody to tell.
        let _ = tx.send(proved);
        // Answered: while no request waits for a worker, top up this policy's ready
        // precomputations (one that arrives meanwhile waits for at most one). This
        // request's own permits count both as admitted and as proving.
        while ready.wants_more() && app_ref.queued() == 0 {
            ready.put(pk.precompute());
        }
        drop((admitted, worker));
    });
    // A closed channel: the proof panicked (the pool's panic handler logged it).
    let proved = rx.await.map_err(|_| ApiError::Internal("the prover thread panicked".into()))??;
    let response = ProveResponse {
        policy: &policy.info.name,
        decision: proved.decision.clone(),
        outputs: proved.outputs,
        vk_digest: &policy.vk_digest,
        context_digest: proved.context_digest,
        commitments: proved.commitments,
        proof: proved.proof,
        timings: Timings {
            input_ms,
            queue_ms,
            trace_ms: proved.trace_ms,
            precompute_ms: proved.precompute_ms,
            prove_ms: proved.prove_ms,
            total_ms: ms(started.elapsed()),
        },
    };
    let mut response = json_response(StatusCode::OK, &response);
    response.extensions_mut().insert(Outcome { decision: Some(proved.decision), code: None });
    Ok(response)
}

/// Reads the body, refusing more than `limit` bytes (also when the declared length says so).
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(ApiError::TooLarge(limit));
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(ApiError::TooLarge(limit)),
        Err(e) => Err(ApiError::BodyRead(e.to_string())),
    }
}

/// Parses a prove request: the quantized input (the shared parser of `--input`
/// files, then the quantization of `zkpolicy prove`) and the context.
fn parse_request(policy: &Policy, bytes: &[u8]) -> Result<(Vec<i64>, Option<Vec<u8>>), ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(ApiError::MalformedJson)?;
    let model = policy.pk.model();
    if let Value::Object(fields) = &value {
        if let Some(field) = fields.keys().find(|k| !matches!(k.as_str(), "input" | "input_data" | "context")) {
            return Err(ApiError::UnknownField(field.clone()));
        }
    }
    let real =
        input_from_json(&value, policy.pk.verifier_key().names().inputs.names()).map_err(ApiError::InvalidRequest)?;
    let input = match quantize_input(model, &real, false) {
        Ok((input, _)) => input,
        Err(EvalError::InputLength { expected, got }) => {
            return Err(ApiError::InputLength { policy: policy.info.name.clone(), expected, got })
        }
        Err(e @ EvalError::OutOfRange { .. }) => return Err(ApiError::OutOfRange(e)),
        Err(e) => return Err(ApiError::InvalidInput(e)),
    };
    let context = match value.get("context") {
        None | Some(Value::Null) => None,
        Some(Value::String(hex)) => Some(policy::context_from_hex(hex).map_err(ApiError::Context)?),
        Some(_) => return Err(ApiError::ContextType),
    };
    Ok((input, context))
}

/// Proves on a worker thread: trace, a ready precomputation (or one made now),
/// fresh blinds for committed inputs, SNARK, and the JSON proof (parsed here, off
/// the async threads).
fn prove_blocking(pk: &ProvingKey, ready: &Ready, input: &[i64], context: Option<&[u8]>) -> Result<Proved, ApiError> {
    let mut clock = Stopwatch::start();
    let assignment = pk.assign(input).map_err(ApiError::Prove)?;
    let trace_ms = clock.lap();
    let taken = ready.take();
    let was_ready = taken.is_some();
    let precomputed = taken.unwrap_or_else(|| pk.precompute());
    let precompute_ms = clock.lap();
    let blinds = policy::fresh_blinds(pk.num_committed());
    let proof =
        pk.prove_precomputed(precomputed, &assignment, &blinds, context, &mut |_| {}).map_err(ApiError::Prove)?;
    let prove_ms = clock.lap();
    let model = pk.model();
    let commitments = pk.verifier_key().input_commitments(&proof).iter().map(|c| c.as_ref().map(point_hex)).collect();
    let outputs = assignment.trace.output();
    Ok(Proved {
        decision: model.decide(outputs).to_string(),
        outputs: outputs.iter().map(|y| model.dequantize_output(*y)).collect(),
        context_digest: proof.context_digest.as_ref().map(hex_digest),
        commitments,
        proof: serde_json::from_str(&proof.to_json()).map_err(|e| ApiError::Internal(e.to_string()))?,
        trace_ms,
        ready: was_ready,
        precompute_ms,
        prove_ms,
    })
}

/// `GET /v1/policies`.
async fn list_policies(State(app): State<Arc<App>>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], app.policy_list.clone()).into_response()
}

/// `GET /v1/policies/{name}/vk`.
async fn verifier_key(
    State(app): State<Arc<App>>,
    name: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let name = name.map_err(|_| ApiError::UnknownPolicy("(a name that is not UTF-8)".into()))?.0;
    let policy = app.policies.get(&name).ok_or(ApiError::UnknownPolicy(name))?;
    let disposition = format!("attachment; filename=\"{}.vk\"", policy.info.name);
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        policy.vk.clone(),
    )
        .into_response())
}

/// `GET /healthz`.
async fn healthz() -> Response {
    json_response(StatusCode::OK, &serde_json::json!({ "status": "ok" }))
}

/// `GET /metrics`.
async fn metrics(State(app): State<Arc<App>>) -> Response {
    let (text, content_type) = app.metrics.render(app.load());
    ([(header::CONTENT_TYPE, content_type)], text).into_response()
}

/// Any path without a route.
async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::NotFound { method, path: uri.path().to_owned() }
}

/// A route with another method (axum adds the Allow header).
async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed { method, path: uri.path().to_owned() }
}
