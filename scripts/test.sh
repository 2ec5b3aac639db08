#!/usr/bin/env bash
# Runs every test of the project: Rust (all crates), the wasm package with its
# Node tests, the browser test of the web page, and the quick benchmark.
# Installs what it needs (wasm target, wasm-bindgen CLI, npm packages, Debian
# chromium) on first use; later runs reuse the caches under ~/.cache/zkpolicy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZKP_ROOT"

echo "== cargo test (workspace)"
cargo test --workspace --quiet

if [ -f scripts/test-wasm.sh ]; then
  echo "== wasm verifier: build, pack, node tests"
  bash scripts/test-wasm.sh
fi
if [ -f scripts/test-web.sh ]; then
  echo "== web page: headless chromium"
  bash scripts/test-web.sh
fi
echo "== decoder fuzzing (quick: 20,000 inputs, seed 1; scripts/fuzz.sh runs 10^6)"
bash scripts/fuzz.sh --quick --strict
if [ -f scripts/bench.sh ]; then
  echo "== benchmark (quick)"
  bash scripts/bench.sh --quick
fi
