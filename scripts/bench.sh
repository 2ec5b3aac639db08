#!/usr/bin/env bash
# Benchmarks zkpolicy: setup, prove, verify, sizes and prover memory on the seed
# models and on synthetic MLPs of 10^3..10^6 parameters (`zkpolicy bench`).
#
#   scripts/bench.sh           release build, every model, the wasm verifier's Node
#                              benchmark; regenerates BENCHMARKS.md,
#                              docs/bench-results.json and docs/bench-scaling.svg
#   scripts/bench.sh --quick   CI: dev build (the proof system and its dependencies
#                              are optimised there too), few samples, synthetic
#                              models up to 10^4 parameters; writes no files
#
# Run the full benchmark on a quiet machine: BENCHMARKS.md records the load average.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZKP_ROOT"

case "${1:-}" in
  --quick) QUICK=1 ;;
  "") QUICK= ;;
  *) echo "usage: scripts/bench.sh [--quick]" >&2; exit 2 ;;
esac

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# The target dir is shared with other worktrees: run a private copy of the
# binary (the memory-measuring child processes re-execute it).
if [ -n "$QUICK" ]; then
  cargo build --quiet -p zkpolicy-cli
  cp "$CARGO_TARGET_DIR/debug/zkpolicy" "$WORK/zkpolicy"
  "$WORK/zkpolicy" bench --quick
  echo "bench: wasm verifier skipped in --quick mode (scripts/test.sh runs its quick benchmark through scripts/test-wasm.sh)"
  exit 0
fi

cargo build --release -p zkpolicy-cli
cp "$CARGO_TARGET_DIR/release/zkpolicy" "$WORK/zkpolicy"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Cargo.toml Cargo.lock core prover-cli || echo ' plus uncommitted changes')"
mkdir -p docs
BENCH_CMD=(zkpolicy bench --out docs/bench-results.json)
"$WORK/zkpolicy" "${BENCH_CMD[@]:1}"

if [ -f verifier-wasm/bench.mjs ] && [ -f scripts/test-wasm.sh ]; then
  echo "== wasm verifier: scripts/test-wasm.sh --full-bench"
  # Its benchmark exits non-zero when a size target is missed: report the numbers anyway.
  if ! bash scripts/test-wasm.sh --full-bench | tee "$WORK/wasm.txt"; then
    echo "bench: scripts/test-wasm.sh failed; BENCHMARKS.md reports whatever wasm numbers it printed" >&2
  fi
else
  echo "bench: wasm verifier benchmark skipped: verifier-wasm/bench.mjs or scripts/test-wasm.sh is missing"
fi

node scripts/bench-report.mjs \
  --bench docs/bench-results.json \
  --wasm "$WORK/wasm.txt" \
  --criterion "$CARGO_TARGET_DIR/criterion" --criterion target/criterion \
  --out BENCHMARKS.md --svg docs/bench-scaling.svg \
  --meta "date=$(date -u '+%Y-%m-%d %H:%M UTC')" \
  --meta "nproc=$(nproc)" \
  --meta "rustc=$(rustc --version)" \
  --meta "node=$(node --version)" \
  --meta "command=scripts/bench.sh" \
  --meta "commit=$COMMIT" \
  --meta "bench_command=${BENCH_CMD[*]}"
echo "bench: wrote BENCHMARKS.md, docs/bench-results.json and docs/bench-scaling.svg"
