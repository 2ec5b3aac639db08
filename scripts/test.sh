#!/usr/bin/env bash
# Runs every test of the project, in this order: lints, Rust (all crates), the ONNX
# conformance run (the backend node tests of every supported op), the wasm package
# with its Node tests, the browser test of the web page, the x402 package with its
# end-to-end example, quick decoder fuzzing and the quick benchmark. Fails at once if
# one of their scripts is missing.
# Installs what it needs (wasm target, wasm-bindgen CLI, npm packages, Debian
# chromium, the conformance run's pinned Python packages) on first use; later runs
# reuse the caches under ~/.cache/zkpolicy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZKP_ROOT"

# Every suite's script must be there: a missing one fails the run here, before the
# long steps, instead of being skipped.
for suite in conformance.sh test-wasm.sh test-web.sh test-x402.sh fuzz.sh bench.sh; do
  if [ ! -f "scripts/$suite" ]; then
    echo "test.sh: scripts/$suite is missing; its suite cannot run (restore the script)" >&2
    exit 1
  fi
done

echo "== lints: rustfmt, clippy (every target, the wasm verifier's no-default-features core) and rustdoc, warnings denied"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p zkpolicy-core --no-default-features --quiet -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

echo "== cargo test (workspace)"
cargo test --workspace --quiet

echo "== ONNX conformance: the backend node tests of every supported op, batch-1 form (docs/CONFORMANCE.md)"
bash scripts/conformance.sh

echo "== wasm verifier: build, pack, node tests"
bash scripts/test-wasm.sh
echo "== web page: headless chromium"
bash scripts/test-web.sh
echo "== @zkpolicy/x402: the package's tests (ESM, CommonJS, Express, Hono) and the x402 example end to end"
bash scripts/test-x402.sh
echo "== decoder fuzzing (quick: 20,000 inputs, seed 1; scripts/fuzz.sh runs 10^6)"
# Every finding fails the run.
bash scripts/fuzz.sh --quick
echo "== benchmark (quick)"
bash scripts/bench.sh --quick
