// Load client for `zkpolicy serve` (run by scripts/load-serve.sh): C concurrent
// clients send N prove requests in all (after a warm-up) to a server on
// loopback, each client waiting for its answer before sending the next, and
// report throughput, latency percentiles, errors and the server's RSS.
// Node 20, no dependencies (global fetch). Bounded in count and in time.
//
//   node scripts/load-serve.mjs --url http://127.0.0.1:PORT --policy whitelist \
//     --input models/whitelist/approve.json [--input more.json] \
//     [--clients 8] [--requests 10000] [--warmup 500] [--pid PID] [--max-seconds 600]
//
// Exit codes: 0 no request failed, 1 some failed or the time bound was hit, 2 usage.

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

function parseArgs(argv) {
  const opts = { inputs: [], clients: 8, requests: 10000, warmup: 500, maxSeconds: 600, pid: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const num = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) usage(`${flag} needs a non-negative integer`);
      i++;
      return n;
    };
    switch (flag) {
      case "--url": opts.url = value; i++; break;
      case "--policy": opts.policy = value; i++; break;
      case "--input": opts.inputs.push(value); i++; break;
      case "--clients": opts.clients = num(); break;
      case "--requests": opts.requests = num(); break;
      case "--warmup": opts.warmup = num(); break;
      case "--max-seconds": opts.maxSeconds = num(); break;
      case "--pid": opts.pid = num(); break;
      default: usage(`unknown argument ${flag}`);
    }
  }
  if (!opts.url || !opts.policy || opts.inputs.length === 0) usage("--url, --policy and --input are required");
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(opts.url)) usage("--url must be a loopback address");
  if (opts.clients < 1) usage("--clients must be at least 1");
  return opts;
}

function usage(message) {
  console.error(`error: ${message}\nusage: node scripts/load-serve.mjs --url http://127.0.0.1:PORT --policy NAME --input FILE [--clients N] [--requests N] [--warmup N] [--pid PID] [--max-seconds S]`);
  process.exit(2);
}

/** The server's resident set size in MB (VmRSS of /proc/PID/status), or null. */
function rssMb(pid) {
  if (pid === null) return null;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Sends `count` requests with `clients` concurrent loops; returns the results. */
async function phase(opts, bodies, count, deadline) {
  const url = `${opts.url}/v1/policies/${opts.policy}/prove`;
  const latencies = [];
  const errors = new Map();
  const server = { queue: 0, prove: 0 };
  const decisions = new Map();
  let next = 0;
  let timedOut = false;
  const client = async () => {
    while (next < count) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      const i = next++;
      const t0 = performance.now();
      let key;
      try {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: bodies[i % bodies.length] });
        const json = await res.json();
        if (res.status === 200 && json.proof) {
          latencies.push(performance.now() - t0);
          server.queue += json.timings.queue_ms;
          server.prove += json.timings.trace_ms + json.timings.prove_ms;
          decisions.set(json.decision, (decisions.get(json.decision) ?? 0) + 1);
          continue;
        }
        key = `${res.status} ${json.error?.code ?? "?"}`;
      } catch (e) {
        key = `network ${e.cause?.code ?? e.message}`;
      }
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: opts.clients }, client));
  return { seconds: (performance.now() - start) / 1e3, latencies, errors, server, decisions, timedOut };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const bodies = opts.inputs.map((f) => readFileSync(f, "utf8"));
  const deadline = performance.now() + opts.maxSeconds * 1e3;
  const rssStart = rssMb(opts.pid);
  const warm = await phase(opts, bodies, opts.warmup, deadline);
  const rssWarm = rssMb(opts.pid);
  let rssMax = rssWarm ?? 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssMb(opts.pid) ?? 0)), 250);
  const run = await phase(opts, bodies, opts.requests, deadline);
  clearInterval(sampler);
  const rssEnd = rssMb(opts.pid);
  rssMax = Math.max(rssMax, rssEnd ?? 0);

  const sorted = Float64Array.from(run.latencies).sort();
  const ok = sorted.length;
  const failed = [...run.errors.values()].reduce((a, b) => a + b, 0) + [...warm.errors.values()].reduce((a, b) => a + b, 0);
  const mb = (v) => (v === null ? "n/a" : `${v.toFixed(1)} MB`);
  const f = (v) => v.toFixed(1);
  const summary = {
    policy: opts.policy,
    clients: opts.clients,
    warmup: opts.warmup,
    requests: opts.requests,
    ok,
    errors: failed,
    seconds: Number(run.seconds.toFixed(2)),
    throughput_per_s: Number((ok / run.seconds).toFixed(1)),
    p50_ms: Number(percentile(sorted, 50).toFixed(2)),
    p90_ms: Number(percentile(sorted, 90).toFixed(2)),
    p99_ms: Number(percentile(sorted, 99).toFixed(2)),
    max_ms: Number((sorted[ok - 1] ?? NaN).toFixed(2)),
    server_prove_ms_mean: Number((run.server.prove / Math.max(ok, 1)).toFixed(2)),
    server_queue_ms_mean: Number((run.server.queue / Math.max(ok, 1)).toFixed(2)),
    rss_mb: { start: rssStart, after_warmup: rssWarm, end: rssEnd, max: rssMax || null },
  };
  console.log(`policy ${opts.policy}: ${opts.clients} clients, ${opts.warmup} warm-up + ${opts.requests} requests`);
  console.log(`  ok ${ok}, errors ${failed}${failed ? ` (${[...warm.errors, ...run.errors].map(([k, n]) => `${k}: ${n}`).join(", ")})` : ""}`);
  console.log(`  decisions ${[...run.decisions].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`  ${f(summary.throughput_per_s)} proofs/s over ${run.seconds.toFixed(1)} s`);
  console.log(`  latency p50 ${f(summary.p50_ms)} ms, p90 ${f(summary.p90_ms)} ms, p99 ${f(summary.p99_ms)} ms, max ${f(summary.max_ms)} ms`);
  console.log(`  server: prove ${summary.server_prove_ms_mean} ms, queue ${summary.server_queue_ms_mean} ms (means)`);
  console.log(`  server RSS: start ${mb(rssStart)}, after warm-up ${mb(rssWarm)}, end ${mb(rssEnd)}, max ${mb(rssMax || null)}`);
  console.log(`SUMMARY ${JSON.stringify(summary)}`);
  if (warm.timedOut || run.timedOut) {
    console.error(`error: stopped at the time bound of ${opts.maxSeconds} s`);
    process.exit(1);
  }
  process.exit(failed === 0 ? 0 : 1);
}

await main();
