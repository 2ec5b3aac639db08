#!/usr/bin/env bash
# Load test of `zkpolicy serve` on loopback: builds the release binary, makes the
# seed models' keys, starts the service on 127.0.0.1 (a free port) and runs
# scripts/load-serve.mjs (Node 20, no dependencies): C concurrent clients, each
# sending its next prove request when the last is answered (or, with --rate R,
# requests due at R per second, latency counted from when each was due), N
# requests in all after a warm-up. Reports throughput, p50/p90/p99 latency, errors and the
# server's RSS after the warm-up and at the end; then stops the server with
# SIGTERM and checks that it logged one line per request.
#
#   scripts/load-serve.sh                 whitelist, 8 clients, 500 warm-up + 10,000 requests
#   scripts/load-serve.sh --quick         500 requests (50 warm-up)
#   scripts/load-serve.sh --clients 4 --requests 2000 --policy simple_velocity
#   scripts/load-serve.sh --rate 120      8 clients, requests paced at 120/s
#   scripts/load-serve.sh --profile fast  keys of the fast profile (zkpolicy setup --profile)
#   scripts/load-serve.sh --workers 1 --queue 4    passed on to `zkpolicy serve` (also --precompute N)
#
# ZKPOLICY_BIN=path runs that zkpolicy binary instead of building one (comparing two
# builds: the target dir is shared with other worktrees, whose builds of the same
# crates can be taken for this tree's).
# Bounded: the client stops after --max-seconds (default 600) whatever is left.
# Targets on a 2-core machine (whitelist, 8 clients, 10,000 requests): at least
# 120 proofs/s, p99 at most 50 ms, no errors, RSS flat after the warm-up.
# Exit codes: 0 no request failed, 1 some failed (or the time bound was hit), 2 usage.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZKP_ROOT"

CLIENTS=8 REQUESTS=10000 WARMUP=500 POLICY=whitelist MAX_SECONDS=600
SERVE_ARGS=() RATE_ARGS=() PROFILE=small
usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) REQUESTS=500 WARMUP=50 ;;
    --clients) CLIENTS="${2:?}"; shift ;;
    --requests) REQUESTS="${2:?}"; shift ;;
    --warmup) WARMUP="${2:?}"; shift ;;
    --policy) POLICY="${2:?}"; shift ;;
    --max-seconds) MAX_SECONDS="${2:?}"; shift ;;
    --rate) RATE_ARGS=(--rate "${2:?}"); shift ;;
    --profile) PROFILE="${2:?}"; shift ;;
    --workers|--queue|--timeout-ms|--precompute) SERVE_ARGS+=("$1" "${2:?}"); shift ;;
    -h|--help) usage ;;
    *) echo "load-serve: unknown argument $1" >&2; usage ;;
  esac
  shift
done
[ -f "models/$POLICY/$POLICY.onnx" ] || { echo "load-serve: no seed model models/$POLICY" >&2; exit 2; }

WORK="$(mktemp -d)"
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${ZKPOLICY_BIN:-}" ]; then
  cp "$ZKPOLICY_BIN" "$WORK/zkpolicy"
else
  cargo build --release -p zkpolicy-cli --bin zkpolicy
  # The target dir is shared with other worktrees: run a private copy.
  cp "$CARGO_TARGET_DIR/release/zkpolicy" "$WORK/zkpolicy"
fi
for m in whitelist simple_velocity business_hours; do
  "$WORK/zkpolicy" setup "models/$m/$m.onnx" --profile "$PROFILE" --out-dir "$WORK/keys" >/dev/null
done

"$WORK/zkpolicy" serve --keys "$WORK/keys" --listen 127.0.0.1:0 ${SERVE_ARGS[@]+"${SERVE_ARGS[@]}"} \
  >"$WORK/stdout" 2>"$WORK/requests.log" &
SERVER_PID=$!
for _ in $(seq 300); do
  grep -q 'http://' "$WORK/stdout" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/requests.log" >&2; exit 1; }
  sleep 0.1
done
URL="$(grep -o 'http://[0-9.:]*' "$WORK/stdout" | head -1)"
[ -n "$URL" ] || { echo "load-serve: the server did not start" >&2; exit 1; }
cat "$WORK/stdout"
echo "keys: profile $PROFILE"
echo "machine: $(nproc) CPUs; load average at start:$(uptime | sed 's/.*load average://')"

INPUTS=(--input "models/$POLICY/approve.json")
[ -f "models/$POLICY/deny.json" ] && INPUTS+=(--input "models/$POLICY/deny.json")
STATUS=0
node scripts/load-serve.mjs --url "$URL" --policy "$POLICY" "${INPUTS[@]}" \
  --clients "$CLIENTS" --requests "$REQUESTS" --warmup "$WARMUP" --pid "$SERVER_PID" --clk-tck "$(getconf CLK_TCK)" \
  --max-seconds "$MAX_SECONDS" ${RATE_ARGS[@]+"${RATE_ARGS[@]}"} || STATUS=$?
echo "load average at end:$(uptime | sed 's/.*load average://')"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || { echo "load-serve: the server exited with status $?" >&2; STATUS=1; }
SERVER_PID=
LOGGED="$(grep -c '"path":"/v1/policies/' "$WORK/requests.log" || true)"
echo "request log: $LOGGED prove lines (sent $((WARMUP + REQUESTS)))"
exit "$STATUS"
