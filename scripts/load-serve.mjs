// Load client for `zkpolicy serve` (run by scripts/load-serve.sh): C concurrent
// clients send N prove requests in all (after a warm-up) to a server on
// loopback, each client waiting for its answer before sending the next, and
// report throughput, latency percentiles, errors and the server's RSS.
// Node 20, no dependencies (global fetch). Bounded in count and in time.
//
// Two ways to offer the load:
// - closed loop (the default): each client sends its next request as soon as
//   its last is answered, so the server is saturated and, by Little's law, the
//   mean latency is C divided by the throughput;
// - paced (--rate R): request i is due at i/R seconds and is sent then by a
//   free client (at most C in flight). Its latency counts from when it was due,
//   not from when a client got to send it, so a server that falls behind shows
//   it in the percentiles (no coordinated omission).
//
//   node scripts/load-serve.mjs --url http://127.0.0.1:PORT --policy whitelist \
//     --input models/whitelist/approve.json [--input more.json] \
//     [--clients 8] [--requests 10000] [--warmup 500] [--rate R] [--pid PID] [--clk-tck 100] [--max-seconds 600]
//
// Exit codes: 0 no request failed, 1 some failed or the time bound was hit, 2 usage.

import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";

function parseArgs(argv) {
  const opts = { inputs: [], clients: 8, requests: 10000, warmup: 500, rate: null, maxSeconds: 600, pid: null, clkTck: 100 };
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
      case "--rate": opts.rate = num(); break;
      case "--max-seconds": opts.maxSeconds = num(); break;
      case "--pid": opts.pid = num(); break;
      case "--clk-tck": opts.clkTck = num(); break;
      default: usage(`unknown argument ${flag}`);
    }
  }
  if (!opts.url || !opts.policy || opts.inputs.length === 0) usage("--url, --policy and --input are required");
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(opts.url)) usage("--url must be a loopback address");
  if (opts.clients < 1) usage("--clients must be at least 1");
  if (opts.rate === 0) usage("--rate must be at least 1 request per second");
  return opts;
}

function usage(message) {
  console.error(`error: ${message}\nusage: node scripts/load-serve.mjs --url http://127.0.0.1:PORT --policy NAME --input FILE [--clients N] [--requests N] [--warmup N] [--rate R] [--pid PID] [--max-seconds S]`);
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

/** CPU seconds the process has used (utime + stime of /proc/PID/stat), or null. */
function cpuSeconds(pid, clkTck) {
  if (pid === null) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / clkTck;
  } catch {
    return null;
  }
}

/** The machine's CPU counters (the first line of /proc/stat): total, idle and steal ticks. */
function machineTicks() {
  try {
    const v = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: v.reduce((a, b) => a + b, 0), idle: v[3] + (v[4] ?? 0), steal: v[7] ?? 0 };
  } catch {
    return null;
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Sends `count` requests with `clients` concurrent loops, closed-loop or paced at
 * `opts.rate` per second; returns the results. */
async function phase(opts, bodies, count, deadline) {
  const url = `${opts.url}/v1/policies/${opts.policy}/prove`;
  const latencies = [];
  const errors = new Map();
  const server = { queue: 0, prove: 0 };
  const decisions = new Map();
  let next = 0;
  let timedOut = false;
  let start;
  const client = async () => {
    while (next < count) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      const i = next++;
      // Paced: wait for request i's due time, and count its latency from then.
      const due = opts.rate === null ? null : start + (i * 1e3) / opts.rate;
      if (due !== null && due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
      const t0 = due ?? performance.now();
      let key;
      try {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: bodies[i % bodies.length] });
        const json = await res.json();
        if (res.status === 200 && json.proof) {
          latencies.push(performance.now() - t0);
          server.queue += json.timings.queue_ms;
          server.prove += json.timings.trace_ms + json.timings.precompute_ms + json.timings.prove_ms;
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
  start = performance.now();
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
  const [cpu0, machine0, self0] = [cpuSeconds(opts.pid, opts.clkTck), machineTicks(), process.cpuUsage()];
  const run = await phase(opts, bodies, opts.requests, deadline);
  const [cpu1, machine1, self1] = [cpuSeconds(opts.pid, opts.clkTck), machineTicks(), process.cpuUsage(self0)];
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
    offered: opts.rate === null ? "closed loop" : `paced at ${opts.rate}/s`,
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
  // Where the CPU went during the measured phase: the server, this client, and the
  // whole machine (other processes included), in cores.
  const cores = availableParallelism();
  if (cpu0 !== null && cpu1 !== null) {
    summary.server_cpu_ms_per_proof = Number((((cpu1 - cpu0) * 1e3) / Math.max(ok, 1)).toFixed(2));
    summary.server_cores = Number(((cpu1 - cpu0) / run.seconds).toFixed(2));
  }
  summary.client_cores = Number(((self1.user + self1.system) / 1e6 / run.seconds).toFixed(2));
  if (machine0 && machine1 && machine1.total > machine0.total) {
    const dt = machine1.total - machine0.total;
    summary.machine_busy_cores = Number(((1 - (machine1.idle - machine0.idle) / dt) * cores).toFixed(2));
    summary.machine_steal_cores = Number((((machine1.steal - machine0.steal) / dt) * cores).toFixed(2));
  }
  console.log(`policy ${opts.policy}: ${opts.clients} clients (${summary.offered}), ${opts.warmup} warm-up + ${opts.requests} requests`);
  console.log(`  ok ${ok}, errors ${failed}${failed ? ` (${[...warm.errors, ...run.errors].map(([k, n]) => `${k}: ${n}`).join(", ")})` : ""}`);
  console.log(`  decisions ${[...run.decisions].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`  ${f(summary.throughput_per_s)} proofs/s over ${run.seconds.toFixed(1)} s`);
  console.log(`  latency p50 ${f(summary.p50_ms)} ms, p90 ${f(summary.p90_ms)} ms, p99 ${f(summary.p99_ms)} ms, max ${f(summary.max_ms)} ms`);
  console.log(`  server: prove ${summary.server_prove_ms_mean} ms, queue ${summary.server_queue_ms_mean} ms (means)`);
  if (summary.server_cores !== undefined) {
    console.log(`  CPU (cores of ${cores}): server ${summary.server_cores} (${summary.server_cpu_ms_per_proof} ms per proof), client ${summary.client_cores}, whole machine busy ${summary.machine_busy_cores ?? "n/a"}, steal ${summary.machine_steal_cores ?? "n/a"}`);
  }
  console.log(`  server RSS: start ${mb(rssStart)}, after warm-up ${mb(rssWarm)}, end ${mb(rssEnd)}, max ${mb(rssMax || null)}`);
  console.log(`SUMMARY ${JSON.stringify(summary)}`);
  if (warm.timedOut || run.timedOut) {
    console.error(`error: stopped at the time bound of ${opts.maxSeconds} s`);
    process.exit(1);
  }
  process.exit(failed === 0 ? 0 : 1);
}

await main();
