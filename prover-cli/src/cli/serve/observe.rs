//! What `zkpolicy serve` tells its operator: one JSON log line per request on
//! stderr, and Prometheus metrics.
//!
//! Metrics use `prometheus-client` (the Prometheus project's Rust client): it
//! gets the text exposition format right (escaping, cumulative histogram buckets,
//! `+Inf`, `_sum`/`_count`) for a few small dependencies. Label values are bounded:
//! the policy label is a served policy's name or empty (an unknown name in a URL
//! never becomes a series), the error code one of `api::ApiError`'s.

use std::io::Write;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::{prometheus_text, EncodeLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use serde::Serialize;

use super::api::App;

/// What a handler tells the log and the metrics about its response (a response
/// extension, removed before the response is sent).
#[derive(Clone, Debug, Default)]
pub(super) struct Outcome {
    /// The decision of a proof.
    pub(super) decision: Option<String>,
    /// The error code of a failure.
    pub(super) code: Option<&'static str>,
}

/// Labels of the request counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    policy: String,
    decision: String,
    status: u16,
    code: &'static str,
}

/// Labels of the request latency histogram.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LatencyLabels {
    route: &'static str,
    policy: String,
    decision: String,
    status: u16,
}

/// The policy label.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PolicyLabel {
    policy: String,
}

/// Labels of the precomputation counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PrecomputationLabels {
    policy: String,
    /// "ready" (taken from the pool) or "inline" (made for the request).
    source: &'static str,
}

/// The state label of the prove-requests gauge.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: &'static str,
}

/// Latency buckets, in seconds: 1 ms to 10 s.
const BUCKETS: [f64; 13] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// A histogram with [`BUCKETS`].
fn histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

/// The service's metrics.
pub(super) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<LatencyLabels, Histogram, fn() -> Histogram>,
    proving: Family<PolicyLabel, Histogram, fn() -> Histogram>,
    precomputations: Family<PrecomputationLabels, Counter>,
    in_flight: Family<StateLabel, Gauge>,
}

impl Metrics {
    /// Registers the `zkpolicy_*` series.
    pub(super) fn new() -> Self {
        let mut registry = Registry::with_prefix("zkpolicy");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<LatencyLabels, Histogram, fn() -> Histogram>::new_with_constructor(histogram);
        let proving = Family::<PolicyLabel, Histogram, fn() -> Histogram>::new_with_constructor(histogram);
        let precomputations = Family::<PrecomputationLabels, Counter>::default();
        let in_flight = Family::<StateLabel, Gauge>::default();
        registry.register(
            "requests",
            "HTTP requests answered, by route, policy, decision (of a proof), status and error code",
            requests.clone(),
        );
        registry.register(
            "request_duration_seconds",
            "Time from the request to its response, by route, policy, decision and status",
            latency.clone(),
        );
        registry.register(
            "prove_duration_seconds",
            "Time a worker spent on a proof (trace and SNARK), by policy",
            proving.clone(),
        );
        registry.register(
            "precomputations",
            "Proofs by policy and by where their precomputation came from: ready (made while a worker was idle, --precompute) or inline (made for the request)",
            precomputations.clone(),
        );
        registry.register(
            "prove_requests",
            "Prove requests admitted and not finished: queued (waiting for a worker) or proving",
            in_flight.clone(),
        );
        Metrics { registry, requests, latency, proving, precomputations, in_flight }
    }

    /// Records an answered request.
    fn observe_request(&self, route: &'static str, policy: &str, status: u16, outcome: &Outcome, seconds: f64) {
        let decision = outcome.decision.clone().unwrap_or_default();
        let labels = RequestLabels {
            route,
            policy: policy.to_owned(),
            decision: decision.clone(),
            status,
            code: outcome.code.unwrap_or(""),
        };
        self.requests.get_or_create(&labels).inc();
        let labels = LatencyLabels { route, policy: policy.to_owned(), decision, status };
        self.latency.get_or_create(&labels).observe(seconds);
    }

    /// Records the time a worker spent on a proof, and whether its precomputation was ready.
    pub(super) fn observe_proof(&self, policy: &str, ms: f64, ready: bool) {
        self.proving.get_or_create(&PolicyLabel { policy: policy.to_owned() }).observe(ms / 1e3);
        let source = if ready { "ready" } else { "inline" };
        self.precomputations.get_or_create(&PrecomputationLabels { policy: policy.to_owned(), source }).inc();
    }

    /// The exposition and its content type; `load` is (admitted, proving).
    pub(super) fn render(&self, (admitted, proving): (usize, usize)) -> (String, &'static str) {
        let gauge = |state| self.in_flight.get_or_create(&StateLabel { state }).clone();
        gauge("queued").set(i64::try_from(admitted.saturating_sub(proving)).unwrap_or(i64::MAX));
        gauge("proving").set(i64::try_from(proving).unwrap_or(i64::MAX));
        let mut text = String::new();
        if let Err(e) = prometheus_text::encode(&mut text, &self.registry) {
            text = format!("# cannot encode the metrics: {e}\n");
        }
        (text, prometheus_text::CONTENT_TYPE)
    }
}

/// The route of a path, and the policy it names (served or not).
fn classify(path: &str) -> (&'static str, Option<&str>) {
    match path {
        "/healthz" => ("healthz", None),
        "/metrics" => ("metrics", None),
        "/v1/policies" => ("policies", None),
        _ => {
            let rest = path.strip_prefix("/v1/policies/").unwrap_or("");
            match rest.split_once('/') {
                Some((name, "prove")) if !name.is_empty() => ("prove", Some(name)),
                Some((name, "vk")) if !name.is_empty() => ("vk", Some(name)),
                _ => ("other", None),
            }
        }
    }
}

/// A request being answered: logged and counted exactly once, when its response
/// is ready or, if the connection closes first, when it is dropped.
struct InFlight {
    app: Arc<App>,
    method: Method,
    path: String,
    route: &'static str,
    policy: Option<String>,
    started: Instant,
    done: bool,
}

impl InFlight {
    /// Logs and counts the request.
    fn finish(&mut self, status: u16, outcome: &Outcome) {
        self.done = true;
        let seconds = self.started.elapsed().as_secs_f64();
        let served = self.policy.as_deref().filter(|p| self.app.serves(p)).unwrap_or("");
        self.app.metrics.observe_request(self.route, served, status, outcome, seconds);
        let line = LogLine {
            ts: unix_seconds(),
            method: self.method.as_str(),
            path: &self.path,
            policy: self.policy.as_deref(),
            status,
            decision: outcome.decision.as_deref(),
            duration_ms: (seconds * 1e6).round() / 1e3,
            error_code: outcome.code,
        };
        write_log(&line);
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if !self.done {
            // 499 (nginx's "client closed request"): no response was sent.
            self.finish(499, &Outcome { decision: None, code: Some("aborted") });
        }
    }
}

/// The log line of a request.
#[derive(Serialize)]
struct LogLine<'a> {
    /// Unix time in seconds (millisecond precision).
    ts: f64,
    method: &'a str,
    path: &'a str,
    policy: Option<&'a str>,
    status: u16,
    decision: Option<&'a str>,
    duration_ms: f64,
    error_code: Option<&'static str>,
}

/// Unix time in seconds, to the millisecond.
fn unix_seconds() -> f64 {
    let t = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
    (t * 1e3).round() / 1e3
}

/// Writes one JSON line on stderr (ignoring a closed stderr).
fn write_log(line: &impl Serialize) {
    if let Ok(mut text) = serde_json::to_string(line) {
        text.push('\n');
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// Logs a service event (shutdown) as a JSON line like the requests'.
pub(super) fn log_event(event: &str, message: &str) {
    write_log(&serde_json::json!({ "ts": unix_seconds(), "event": event, "message": message }));
}

/// The middleware around every route: one log line and the metrics per request.
pub(super) async fn observe(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let (route, policy) = classify(&path);
    let policy = policy.map(str::to_owned);
    let mut in_flight =
        InFlight { app, method: request.method().clone(), path, route, policy, started: Instant::now(), done: false };
    let mut response = next.run(request).await;
    let outcome = response.extensions_mut().remove::<Outcome>().unwrap_or_default();
    in_flight.finish(response.status().as_u16(), &outcome);
    response
}

#[cfg(test)]
mod tests {
    use super::classify;

    #[test]
    fn routes_and_policies_of_paths() {
        assert_eq!(classify("/v1/policies/whitelist/prove"), ("prove", Some("whitelist")));
        assert_eq!(classify("/v1/policies/a.b-c_d/vk"), ("vk", Some("a.b-c_d")));
        assert_eq!(classify("/v1/policies"), ("policies", None));
        assert_eq!(classify("/healthz"), ("healthz", None));
        assert_eq!(classify("/metrics"), ("metrics", None));
        for other in ["/", "/v1/policies/", "/v1/policies//prove", "/v1/policies/x/prove/more", "/v1/policies/x", "/x"]
        {
            assert_eq!(classify(other), ("other", None), "{other}");
        }
    }
}
