#!/usr/bin/env bash
# The wasm verifier end to end: build and pack @zkpolicy/verifier, make fresh
# keys (one input visibility per model) and proofs with the CLI for the three seed
# models, install the tarball into a temporary project and run the Node tests and
# the benchmark against it.
#
#   scripts/test-wasm.sh            (benchmark in quick mode)
#   scripts/test-wasm.sh --full-bench
#
# Needs Rust, Node >= 18 and npm; installs the wasm target, the wasm-bindgen CLI
# and npm binaryen on first use (cached under ~/.cache/zkpolicy and
# verifier-wasm/node_modules).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZKP_ROOT"
BENCH_MODE=--quick
[ "${1:-}" = "--full-bench" ] && BENCH_MODE=

echo "-- build and pack @zkpolicy/verifier"
TARBALL="$(verifier-wasm/build.sh)"

echo "-- keys and proofs from the CLI"
cargo build --quiet -p zkpolicy-cli
ZK="$CARGO_TARGET_DIR/debug/zkpolicy"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FIX="$WORK/fixtures"
# One input visibility per model, so that every test over the models meets a key with
# public, private and committed inputs, the default all-private key (as in web/samples)
# and an all-public one. Each binary proof's openings (commitments) are saved.
declare -A VISIBILITY=([simple_velocity]=public=0..2,committed=3 [whitelist]=all-private [business_hours]=all-public)
# A request context for the bound proofs: 32 bytes, as a payment hash would be; the
# binary proofs take it from a file (--context @FILE), the JSON ones as hex.
mkdir -p "$FIX"
node -e 'process.stdout.write(require("node:crypto").createHash("sha256").update("zkpolicy test payment #1").digest())' \
  > "$FIX/context.bin"
CONTEXT_HEX="$(od -An -v -tx1 "$FIX/context.bin" | tr -d ' \n')"
echo "$CONTEXT_HEX" > "$FIX/context.hex"
for m in simple_velocity whitelist business_hours; do
  mkdir -p "$FIX/$m"
  "$ZK" setup "models/$m/$m.onnx" --out-dir "$FIX/$m" --visibility "${VISIBILITY[$m]}" --json > "$FIX/$m/setup.json"
  for r in approve deny; do
    cp "models/$m/$r.json" "$FIX/$m/$r.input.json"
    "$ZK" prove --pk "$FIX/$m/$m.pk" --input "models/$m/$r.json" --out "$FIX/$m/$r.proof" \
      --blinds-out "$FIX/$m/$r.openings.json" >/dev/null
    "$ZK" prove --pk "$FIX/$m/$m.pk" --input "models/$m/$r.json" --out "$FIX/$m/$r.proof.json" --format json \
      --blinds "$FIX/$m/$r.openings.json" >/dev/null
  done
  # The approve request bound to the context, with the same openings as approve.proof.
  "$ZK" prove --pk "$FIX/$m/$m.pk" --input "models/$m/approve.json" --out "$FIX/$m/approve-bound.proof" \
    --blinds "$FIX/$m/approve.openings.json" --context "@$FIX/context.bin" >/dev/null
  "$ZK" prove --pk "$FIX/$m/$m.pk" --input "models/$m/approve.json" --out "$FIX/$m/approve-bound.proof.json" \
    --format json --blinds "$FIX/$m/approve.openings.json" --context "$CONTEXT_HEX" >/dev/null
done
# The same model with another visibility: another key, which must refuse the proofs.
"$ZK" setup models/simple_velocity/simple_velocity.onnx --out-dir "$FIX/simple_velocity/all-private" \
  --visibility all-private >/dev/null

# Forged proofs of a malicious prover (core/src/policy/adversary_fixtures.rs), checked
# natively as they are written; test/adversarial.test.mjs checks them in wasm.
export ZKP_ADVERSARIAL_DIR="$FIX/adversarial"
cargo test --quiet -p zkpolicy-core --lib -- --ignored --exact policy::adversary_fixtures::write_adversarial_fixtures

echo "-- install the tarball into a fresh project"
PROJ="$WORK/consumer"
mkdir -p "$PROJ/test"
cp verifier-wasm/test/*.mjs "$PROJ/test/"
cp verifier-wasm/bench.mjs "$PROJ/"
echo '{ "name": "zkpolicy-verifier-consumer", "private": true, "type": "module" }' > "$PROJ/package.json"
(cd "$PROJ" && npm install --no-audit --no-fund --loglevel=error "$TARBALL")

echo "-- node --test"
export ZKP_FIXTURES="$FIX" ZKPOLICY_BIN="$ZK"
(cd "$PROJ" && node --test test/*.test.mjs)

echo "-- benchmark"
(cd "$PROJ" && node bench.mjs $BENCH_MODE --tarball "$TARBALL")
