#!/usr/bin/env bash
# Prepares the x402 example (step 1 of 3, see README.md): builds the CLI (release) and
# the two npm packages, installs the example's locked dependencies and the packages'
# tarballs into examples/x402/node_modules, and makes the policy's keys in .run/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"
cd "$ZKP_ROOT"
HERE="$ZKP_ROOT/examples/x402"
RUN="$HERE/.run"
log() { echo "[x402 example] $*" >&2; }

log "cargo build --release -p zkpolicy-cli"
cargo build --quiet --release -p zkpolicy-cli
mkdir -p "$RUN/keys"
cp "$CARGO_TARGET_DIR/release/zkpolicy" "$RUN/zkpolicy"

log "build and pack @zkpolicy/verifier and @zkpolicy/x402"
VERIFIER_TGZ="$(verifier-wasm/build.sh)"
X402_TGZ="$RUN/$(cd x402 && npm pack --silent --pack-destination "$RUN" | tail -1)"

log "npm ci and the two tarballs (examples/x402/node_modules)"
(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error \
  && npm install --no-save --no-audit --no-fund --loglevel=error "$VERIFIER_TGZ" "$X402_TGZ") >&2

log "keys: simple_velocity with its amount (input 0) public"
"$RUN/zkpolicy" setup models/simple_velocity/simple_velocity.onnx --out-dir "$RUN/keys" --visibility public=amount >/dev/null
log "ready: node examples/x402/start.mjs, then node examples/x402/agent.mjs"
