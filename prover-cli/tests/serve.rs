//! `zkpolicy serve` end to end: the binary on 127.0.0.1 (port 0) with keys made
//! from the seed models, driven by a real HTTP client. Proofs it returns verify
//! (under their context only); each bad request gets its status and error code;
//! a full queue answers 503 with Retry-After; the GET endpoints, the metrics and
//! the request log; SIGTERM lets a request in flight finish.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use zkpolicy::{load_onnx, ImportOptions};
use zkpolicy_core::frontend::model::Verdict;
use zkpolicy_core::frontend::visibility::InputVisibility;
use zkpolicy_core::policy::{self, PolicyError, PolicyProof, VerifierKey};

fn model_file(name: &str, file: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "..", "models", name, file].iter().collect()
}

fn sample(name: &str, file: &str) -> String {
    std::fs::read_to_string(model_file(name, file)).unwrap()
}

/// A directory with whitelist.pk (every input private) and simple_velocity.pk
/// (inputs 0-1 public, 2 committed, 3-4 private), made once per test process.
/// Setup is deterministic, so one directory serves every run: each key is
/// written to a temporary file and renamed, and a concurrent run sees either
/// the old file or the new one, both the same bytes.
fn keys_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-keys");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, visibility) in [("whitelist", "all-private"), ("simple_velocity", "public=0..2,committed=2")] {
            let m = load_onnx(model_file(name, &format!("{name}.onnx")), &ImportOptions::default()).unwrap();
            let visibility = InputVisibility::parse(visibility, m.model.input_len).unwrap();
            let (pk, _) = policy::setup(&m.model, &visibility, &m.names).unwrap();
            let tmp = dir.join(format!(".{name}.pk.{}.tmp", std::process::id()));
            std::fs::write(&tmp, pk.to_bytes()).unwrap();
            std::fs::rename(&tmp, dir.join(format!("{name}.pk"))).unwrap();
        }
        dir
    })
}

/// A running `zkpolicy serve`, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
    http: reqwest::blocking::Client,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zkpolicy"))
            .args(["serve", "--keys", keys_dir().to_str().unwrap(), "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = err.read(&mut buf) {
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(&mut out).read_line(&mut line);
            let _ = tx.send(line);
            let _ = std::io::copy(&mut out, &mut std::io::sink());
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).expect("no startup line");
        let addr = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}; stderr: {}", stderr.lock().unwrap()))
            .parse()
            .unwrap();
        assert!(line.contains("simple_velocity, whitelist"), "{line}");
        Server { child, addr, stderr, http: reqwest::blocking::Client::new() }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn get(&self, path: &str) -> reqwest::blocking::Response {
        self.http.get(self.url(path)).send().unwrap()
    }

    /// POSTs a body; returns the status, the Retry-After header and the body as JSON.
    fn post(&self, path: &str, body: impl Into<reqwest::blocking::Body>) -> (u16, Option<String>, Value) {
        let r = self.http.post(self.url(path)).body(body).send().unwrap();
        let status = r.status().as_u16();
        let retry = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
        (status, retry, serde_json::from_slice(&r.bytes().unwrap()).unwrap())
    }

    fn prove(&self, policy: &str, body: &str) -> (u16, Value) {
        let (status, _, json) = self.post(&format!("/v1/policies/{policy}/prove"), body.to_owned());
        (status, json)
    }

    fn vk(&self, policy: &str) -> VerifierKey {
        let r = self.get(&format!("/v1/policies/{policy}/vk"));
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/octet-stream");
        VerifierKey::from_bytes(&r.bytes().unwrap()).unwrap()
    }

    fn sigterm(&self) {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit; returns its code.
    fn wait_exit(&mut self, limit: Duration) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(start.elapsed() < limit, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The request log lines so far.
    fn log_lines(&self) -> Vec<Value> {
        let text = self.stderr.lock().unwrap().clone();
        text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}"))).collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn proof_of(response: &Value) -> PolicyProof {
    PolicyProof::from_json(&response["proof"].to_string()).unwrap()
}

#[test]
fn proofs_verify_under_their_context_only() {
    let server = Server::start(&[]);
    let vk = server.vk("whitelist");
    let approve = sample("whitelist", "approve.json");
    let (status, r) = server.prove("whitelist", &approve);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["decision"], "approve");
    assert_eq!(r["vk_digest"], policy::hex_digest(&vk.digest()));
    assert!(r["context_digest"].is_null());
    assert_eq!(r["proof"]["format"], "zkpolicy-proof");
    assert!(r["timings"]["prove_ms"].as_f64().unwrap() > 0.0, "{}", r["timings"]);
    let v = policy::verify(&vk, &proof_of(&r), None).unwrap();
    assert_eq!(v.verdict, Verdict::Approve);
    assert_eq!(json!(v.outputs.iter().map(|y| vk.model().dequantize_output(*y)).collect::<Vec<_>>()), r["outputs"]);

    // The EZKL shape and a context: the proof verifies under that context only.
    let real: Value = serde_json::from_str(&sample("whitelist", "deny.json")).unwrap();
    let body = json!({ "input_data": [real["input"]], "context": "0x9f86d081884c7d65" }).to_string();
    let (status, r) = server.prove("whitelist", &body);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["decision"], "deny");
    let proof = proof_of(&r);
    let context = policy::context_from_hex("9f86d081884c7d65").unwrap();
    assert_eq!(r["context_digest"], policy::hex_digest(&policy::context_digest(&context)));
    assert_eq!(policy::verify(&vk, &proof, Some(&context)).unwrap().verdict, Verdict::Deny);
    assert!(matches!(policy::verify(&vk, &proof, Some(b"another request")), Err(PolicyError::WrongContext { .. })));
    assert!(matches!(policy::verify(&vk, &proof, None), Err(PolicyError::WrongContext { .. })));

    // A key with public and committed inputs: the commitments are in the response.
    let (status, r) = server.prove("simple_velocity", &sample("simple_velocity", "approve.json"));
    assert_eq!(status, 200, "{r}");
    let v = policy::verify(&server.vk("simple_velocity"), &proof_of(&r), None).unwrap();
    assert_eq!(v.verdict, Verdict::Approve);
    let commitments = r["commitments"].as_array().unwrap();
    assert_eq!(commitments.len(), 5);
    assert!(commitments[2].is_string() && commitments.iter().filter(|c| c.is_null()).count() == 4, "{commitments:?}");

    // The same request with the input given by the key's input names, in another order.
    let values: Value = serde_json::from_str(&sample("simple_velocity", "approve.json")).unwrap();
    let names = ["amount", "balance", "velocity_1h", "velocity_24h", "vendor_trust"];
    let named: serde_json::Map<String, Value> =
        names.iter().zip(values["input"].as_array().unwrap()).rev().map(|(n, v)| (n.to_string(), v.clone())).collect();
    let (status, r) = server.prove("simple_velocity", &json!({ "input": named }).to_string());
    assert_eq!(status, 200, "{r}");
    let by_name = policy::verify(&server.vk("simple_velocity"), &proof_of(&r), None).unwrap();
    // The public inputs (amount, balance) are the array form's.
    assert_eq!((&by_name.input[..2], by_name.verdict), (&v.input[..2], Verdict::Approve));
}

#[test]
fn bad_requests_get_their_status_and_code() {
    let server = Server::start(&["--max-body", "4096"]);
    let short = json!({ "input": [0.05, 0.8, 0.02] }).to_string();
    let prove = "/v1/policies/simple_velocity/prove";
    let cases: Vec<(&str, &str, String, u16, &str, &str)> = vec![
        ("POST", prove, "{\"input\": [1, 2".into(), 400, "malformed_json", "not valid JSON"),
        ("POST", prove, "".into(), 400, "malformed_json", "not valid JSON"),
        ("POST", prove, "[1, 2]".into(), 400, "invalid_request", "not an object"),
        ("POST", prove, "{}".into(), 400, "invalid_request", "no \"input\""),
        ("POST", prove, r#"{"input": "0.1"}"#.into(), 400, "invalid_request", "\"input\" is a string"),
        ("POST", prove, r#"{"input": [0.05, "x", 0, 0, 0]}"#.into(), 400, "invalid_request", "input value 1"),
        ("POST", prove, r#"{"input": [0, 0, 0, 0, 0], "contxt": "00"}"#.into(), 400, "unknown_field", "\"contxt\""),
        ("POST", prove, r#"{"input": {"amount": 1}}"#.into(), 400, "input_names", "\"input\" names no \"balance\""),
        (
            "POST",
            prove,
            r#"{"input": {"amount": 0, "balance": 0, "velocity_1h": 0, "velocity_24h": 0, "vendor_trust": 0, "x": 1}}"#
                .into(),
            400,
            "input_names",
            "\"x\", which is not an input",
        ),
        ("POST", prove, short, 400, "input_length", "\"input\" has 3 values; policy simple_velocity takes 5"),
        ("POST", prove, r#"{"input": [0, 300, 0, 0, 0]}"#.into(), 400, "input_out_of_range", "input 1 is 300"),
        (
            "POST",
            prove,
            r#"{"input": [0, 0, 0, 0, 0], "context": "0xabc"}"#.into(),
            400,
            "invalid_context",
            "\"context\"",
        ),
        ("POST", prove, r#"{"input": [0, 0, 0, 0, 0], "context": "zz"}"#.into(), 400, "invalid_context", "hex"),
        ("POST", prove, r#"{"input": [0, 0, 0, 0, 0], "context": 7}"#.into(), 400, "invalid_context", "\"context\""),
        ("POST", "/v1/policies/nope/prove", "{}".into(), 404, "unknown_policy", "\"nope\""),
        ("GET", "/v1/policies/nope/vk", "".into(), 404, "unknown_policy", "\"nope\""),
        ("GET", "/v2/anything", "".into(), 404, "not_found", "GET /v2/anything"),
        ("GET", prove, "".into(), 405, "method_not_allowed", "GET is not allowed"),
        ("DELETE", "/v1/policies", "".into(), 405, "method_not_allowed", "DELETE"),
        ("POST", prove, format!("{{\"input\": [{}0]}}", "0,".repeat(3000)), 413, "body_too_large", "4096 bytes"),
    ];
    for (method, path, body, status, code, message) in cases {
        let r = server.http.request(method.parse().unwrap(), server.url(path)).body(body.clone()).send().unwrap();
        assert_eq!(r.status().as_u16(), status, "{method} {path} {body}");
        if status == 405 {
            assert!(r.headers().contains_key("allow"), "{method} {path}");
        }
        assert_eq!(r.headers()["content-type"], "application/json");
        let json: Value = serde_json::from_slice(&r.bytes().unwrap()).unwrap();
        assert_eq!(json["error"]["code"], code, "{method} {path} {body}: {json}");
        let text = json["error"]["message"].as_str().unwrap();
        assert!(text.contains(message), "{method} {path} {body}: {text}");
    }
    // A declared length over the limit is refused before the body is read.
    let mut tcp = TcpStream::connect(server.addr).unwrap();
    write!(tcp, "POST {prove} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n{{").unwrap();
    let mut reply = String::new();
    let _ = tcp.read_to_string(&mut reply);
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    // The service still proves.
    assert_eq!(server.prove("simple_velocity", &sample("simple_velocity", "approve.json")).0, 200);
}

#[test]
fn a_full_queue_answers_503_with_retry_after() {
    let server = Arc::new(Server::start(&["--workers", "1", "--queue", "0"]));
    let body = sample("whitelist", "approve.json");
    let mut statuses = Vec::new();
    // One request at a time may be admitted: a burst of 8 sees 503s (a few bursts
    // make it certain even on a machine that serializes the clients).
    for _ in 0..10 {
        let burst: Vec<_> = (0..8)
            .map(|_| {
                let (server, body) = (server.clone(), body.clone());
                std::thread::spawn(move || server.post("/v1/policies/whitelist/prove", body))
            })
            .collect();
        statuses.extend(burst.into_iter().map(|t| t.join().unwrap()));
        if statuses.iter().any(|(s, ..)| *s == 503) {
            break;
        }
    }
    let busy: Vec<_> = statuses.iter().filter(|(s, ..)| *s == 503).collect();
    assert!(!busy.is_empty(), "no 503 in {} requests", statuses.len());
    for (_, retry, json) in &busy {
        assert_eq!(retry.as_deref(), Some("1"));
        assert_eq!(json["error"]["code"], "overloaded");
    }
    assert!(statuses.iter().all(|(s, ..)| *s == 200 || *s == 503));
    assert!(statuses.iter().any(|(s, ..)| *s == 200));
}

#[test]
fn a_request_over_the_time_limit_answers_503() {
    let server = Server::start(&["--timeout-ms", "1"]);
    let (status, retry, json) = server.post("/v1/policies/whitelist/prove", sample("whitelist", "approve.json"));
    assert_eq!((status, retry.as_deref()), (503, Some("1")), "{json}");
    assert_eq!(json["error"]["code"], "timeout");
}

#[test]
fn get_endpoints_list_policies_keys_and_health() {
    let server = Server::start(&[]);
    let r = server.get("/healthz");
    assert_eq!(r.status(), 200);
    assert_eq!(serde_json::from_slice::<Value>(&r.bytes().unwrap()).unwrap(), json!({ "status": "ok" }));
    let r = server.get("/v1/policies");
    assert_eq!(r.status(), 200);
    let list: Value = serde_json::from_slice(&r.bytes().unwrap()).unwrap();
    let policies = list["policies"].as_array().unwrap();
    let names: Vec<&str> = policies.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["simple_velocity", "whitelist"]);
    let velocity = &policies[0];
    assert_eq!(velocity["vk_digest"], policy::hex_digest(&server.vk("simple_velocity").digest()));
    assert_eq!(velocity["num_inputs"], 5);
    assert_eq!(velocity["visibility"], json!(["public", "public", "committed", "private", "private"]));
    assert_eq!(velocity["input_names"], json!(["amount", "balance", "velocity_1h", "velocity_24h", "vendor_trust"]));
    assert_eq!(velocity["input_units"], json!([null, null, null, null, null]));
    // The seed model's inputs are fractions (its metadata's domains).
    assert_eq!(velocity["input_domains"][4], json!({"kind": "interval", "min": 0.0, "max": 1.0}));
    assert_eq!(policies[1]["num_inputs"], 102);
    // The verifier key file is the proving key file under another magic.
    let pk = std::fs::read(keys_dir().join("whitelist.pk")).unwrap();
    assert_eq!(server.vk("whitelist").to_bytes()[4..], pk[4..]);
}

/// The value of a sample line of the metrics text, 0 if absent.
fn sample_value(metrics: &str, series: &str) -> f64 {
    metrics.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok()).unwrap_or(0.0)
}

#[test]
fn metrics_and_the_request_log_count_every_request() {
    let mut server = Server::start(&[]);
    let scrape = || server.get("/metrics").text().unwrap();
    let ok = r#"zkpolicy_requests_total{route="prove",policy="whitelist",decision="approve",status="200",code=""}"#;
    let bad =
        r#"zkpolicy_requests_total{route="prove",policy="whitelist",decision="",status="400",code="input_length"}"#;
    let hist =
        r#"zkpolicy_request_duration_seconds_count{route="prove",policy="whitelist",decision="approve",status="200"}"#;
    let before = scrape();
    let approve = sample("whitelist", "approve.json");
    for _ in 0..2 {
        assert_eq!(server.prove("whitelist", &approve).0, 200);
    }
    assert_eq!(server.prove("whitelist", r#"{"input": [1]}"#).0, 400);
    assert_eq!(server.prove("nope", r#"{"input": [1]}"#).0, 404);
    let after = scrape();
    assert!(after.contains("# TYPE zkpolicy_requests_total counter"), "{after}");
    assert!(after.contains("# TYPE zkpolicy_request_duration_seconds histogram"), "{after}");
    assert_eq!(sample_value(&after, ok) - sample_value(&before, ok), 2.0, "{after}");
    assert_eq!(sample_value(&after, bad) - sample_value(&before, bad), 1.0, "{after}");
    assert_eq!(sample_value(&after, hist) - sample_value(&before, hist), 2.0, "{after}");
    // An unknown policy name is no label value.
    assert!(!after.contains("nope"));
    assert!(after.contains(r#"zkpolicy_prove_duration_seconds_bucket{policy="whitelist",le="+Inf"} 2"#), "{after}");

    // The client's idle keep-alive connection is closed at once: the exit does
    // not wait for the grace period (the 10 s time limit plus 1 s).
    let start = Instant::now();
    server.sigterm();
    assert_eq!(server.wait_exit(Duration::from_secs(20)), 0);
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    // One JSON line per request (the events of the shutdown aside).
    let lines = server.log_lines();
    let requests: Vec<&Value> = lines.iter().filter(|l| l.get("path").is_some()).collect();
    assert_eq!(requests.len(), 6, "{lines:?}");
    let proved = requests.iter().filter(|l| l["decision"] == "approve").count();
    assert_eq!(proved, 2);
    let unknown = requests.iter().find(|l| l["status"] == 404).unwrap();
    assert_eq!(unknown["error_code"], "unknown_policy");
    assert_eq!(unknown["policy"], "nope");
    assert_eq!(unknown["method"], "POST");
    assert!(unknown["duration_ms"].as_f64().unwrap() >= 0.0);
}

/// Ready precomputations: each serves one proof (two proofs of the same request differ,
/// and every one verifies), a worker tops the pool up after answering, and with
/// `--precompute 0` every proof makes its own.
#[test]
fn ready_precomputations_serve_one_proof_each() {
    let approve = sample("simple_velocity", "approve.json");
    let series = |source| format!(r#"zkpolicy_precomputations_total{{policy="simple_velocity",source="{source}"}}"#);
    for (ready, requests) in [("2", 5), ("0", 2)] {
        let server = Server::start(&["--workers", "1", "--precompute", ready]);
        let vk = server.vk("simple_velocity");
        let mut proofs = Vec::new();
        // One request at a time: the worker is idle between them and refills the pool.
        for _ in 0..requests {
            let (status, r) = server.prove("simple_velocity", &approve);
            assert_eq!(status, 200, "{r}");
            assert!(r["timings"]["precompute_ms"].as_f64().unwrap() >= 0.0, "{}", r["timings"]);
            let proof = proof_of(&r);
            assert_eq!(policy::verify(&vk, &proof, None).unwrap().verdict, Verdict::Approve);
            proofs.push(proof.to_bytes());
        }
        proofs.sort();
        proofs.dedup();
        assert_eq!(proofs.len(), requests, "a precomputation served two proofs");
        let metrics = server.get("/metrics").text().unwrap();
        let (from_pool, inline) = if ready == "0" { (0, requests) } else { (requests, 0) };
        assert_eq!(sample_value(&metrics, &series("ready")), from_pool as f64, "{metrics}");
        assert_eq!(sample_value(&metrics, &series("inline")), inline as f64, "{metrics}");
    }
}

#[test]
fn sigterm_lets_a_request_in_flight_finish() {
    let mut server = Server::start(&[]);
    let body = sample("whitelist", "approve.json");
    let (head, tail) = body.split_at(body.len() / 2);
    let mut tcp = TcpStream::connect(server.addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // A first request on the connection: the server has accepted it.
    write!(tcp, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut seen = Vec::new();
    while !seen.ends_with(br#"{"status":"ok"}"#) {
        let mut byte = [0u8];
        tcp.read_exact(&mut byte).unwrap();
        seen.push(byte[0]);
    }
    write!(
        tcp,
        "POST /v1/policies/whitelist/prove HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{head}",
        body.len()
    )
    .unwrap();
    tcp.flush().unwrap();
    // Time for the server to read the head of the request: it is then in flight.
    std::thread::sleep(Duration::from_millis(300));
    server.sigterm();
    // The listener closes: new connections are refused.
    let start = Instant::now();
    while TcpStream::connect(server.addr).is_ok() {
        assert!(start.elapsed() < Duration::from_secs(10), "still accepting connections");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(server.child.try_wait().unwrap().is_none(), "exited with a request in flight");
    tcp.write_all(tail.as_bytes()).unwrap();
    let mut reply = String::new();
    tcp.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let json: Value = serde_json::from_str(reply.split_once("\r\n\r\n").unwrap().1).unwrap();
    let v = policy::verify(&server.vk_from_file("whitelist"), &proof_of(&json), None).unwrap();
    assert_eq!(v.verdict, Verdict::Approve);
    assert_eq!(server.wait_exit(Duration::from_secs(20)), 0);
    let lines = server.log_lines();
    assert!(lines.iter().any(|l| l["event"] == "shutdown"), "{lines:?}");
    assert_eq!(lines.iter().filter(|l| l["status"] == 200).count(), 2, "{lines:?}");
    assert!(lines.iter().any(|l| l["status"] == 200 && l["decision"] == "approve"), "{lines:?}");
}

impl Server {
    /// The verifier key from the key file (the server may be gone).
    fn vk_from_file(&self, policy: &str) -> VerifierKey {
        let pk = policy::ProvingKey::from_bytes(&std::fs::read(keys_dir().join(format!("{policy}.pk"))).unwrap());
        pk.unwrap().verifier_key().clone()
    }
}

#[test]
fn a_key_that_does_not_load_stops_the_start_naming_the_file() {
    let run = |dir: &Path| {
        let (code, _, err) = common::zkpolicy(&["serve", "--keys", common::s(dir), "--listen", "127.0.0.1:0"]);
        (code, err)
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-bad-keys-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (code, err) = run(&dir);
    assert_eq!(code, 2);
    assert!(err.contains("holds no proving key"), "{err}");
    std::fs::write(dir.join("broken.pk"), b"ZKPK not a key").unwrap();
    let (code, err) = run(&dir);
    assert_eq!(code, 2);
    assert!(err.contains("broken.pk"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();

    // An address in use.
    let server = Server::start(&[]);
    let addr = server.addr.to_string();
    let (code, _, err) = common::zkpolicy(&["serve", "--keys", common::s(keys_dir()), "--listen", &addr]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
}

/// `--precompute` is bounded: more than 1024 ready precomputations per policy is a
/// usage error naming the bound, before any key is loaded.
#[test]
fn too_many_ready_precomputations_are_refused() {
    let args = ["serve", "--keys", common::s(keys_dir()), "--listen", "127.0.0.1:0", "--precompute", "1025"];
    let (code, _, err) = common::zkpolicy(&args);
    assert_eq!(code, 2);
    assert!(err.contains("--precompute") && err.contains("0..=1024"), "{err}");
}

#[test]
fn help_teaches_the_endpoints_with_an_example() {
    let (code, text, _) = common::zkpolicy(&["serve", "--help"]);
    assert_eq!(code, 0);
    for needle in [
        "POST /v1/policies/NAME/prove",
        "GET  /metrics",
        "Example:",
        "curl",
        "Exit codes:",
        "[default: 127.0.0.1:8787]",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}
