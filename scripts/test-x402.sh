#!/usr/bin/env bash
# @zkpolicy/x402 end to end: pack it and @zkpolicy/verifier, install both tarballs into a
# fresh project (the example's locked dependencies, npm registry only), make keys with
# the CLI, and run with Node's test runner, from that project:
#   - tsc over x402/test/types: the package's declarations, imported and required;
#   - the package's tests (x402/test: ESM and CommonJS, Express and Hono, every refusal);
#   - the example's end-to-end test (examples/x402/test): `zkpolicy serve`, the loopback
#     facilitator, the Express merchant and paying agents on 127.0.0.1.
#
#   scripts/test-x402.sh
#
# Needs Rust, Node >= 20 and npm. npm downloads are cached in ~/.cache/zkpolicy/npm, so
# reruns install offline.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/fixtures.sh"
cd "$ZKP_ROOT"
log() { echo "[test-x402] $*" >&2; }

log "build and pack @zkpolicy/verifier and @zkpolicy/x402"
VERIFIER_TGZ="$(verifier-wasm/build.sh)"
fixtures_workdir
X402_TGZ="$WORK/$(cd x402 && npm pack --silent --pack-destination "$WORK" | tail -1)"

log "keys from the CLI"
fixtures_cli
KEYS="$WORK/keys"
# The merchant's policy: simple_velocity with input 0 (amount) public, the others private.
fixtures_setup "$KEYS" simple_velocity public=amount >/dev/null
# Another policy (same model, another visibility: another key) for the wrong-key cases.
fixtures_setup "$WORK/other" simple_velocity public=0..2 >/dev/null
cp "$WORK/other/simple_velocity.pk" "$KEYS/other.pk"
cp "$WORK/other/simple_velocity.vk" "$KEYS/other.vk"

log "a fresh project: the example's lockfile, then the two tarballs"
PROJ="$WORK/consumer"
mkdir -p "$PROJ"
cp examples/x402/package.json examples/x402/package-lock.json "$PROJ/"
(cd "$PROJ" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline --cache "$ZKP_CACHE/npm" >&2)
(cd "$PROJ" && npm install --no-save --no-audit --no-fund --loglevel=error --prefer-offline --cache "$ZKP_CACHE/npm" \
  "$VERIFIER_TGZ" "$X402_TGZ" >&2)
# The tests import the packages by name, so they run from inside the project.
mkdir -p "$PROJ/x402-test" "$PROJ/x402-types" "$PROJ/example/test"
cp x402/test/*.test.mjs x402/test/*.test.cjs x402/test/helpers.cjs "$PROJ/x402-test/"
cp x402/test/types/* "$PROJ/x402-types/"
cp examples/x402/*.mjs "$PROJ/example/"
cp examples/x402/test/*.mjs "$PROJ/example/test/"

log "tsc: the declarations, from ESM and from CommonJS"
(cd "$PROJ" && npx --no-install tsc -p x402-types/tsconfig.json)

log "node --test"
export ZKPOLICY_BIN="$ZK" ZKP_X402_KEYS="$KEYS"
# Bounded: every test has its own timeout, and the run as a whole has one too.
(cd "$PROJ" && timeout 600 node --test --test-timeout=120000 x402-test/ example/test/)
