#!/usr/bin/env bash
# Writes the sample files of the web page (web/samples/, committed) or of its browser
# test (a temp dir) with the current zkpolicy, so they never go stale against the
# format version:
#
#   whitelist.vk                           zkpolicy setup models/whitelist/whitelist.onnx
#   approve.proof, approve.proof.json      zkpolicy prove (binary, JSON) on models/whitelist/approve.json
#   deny.proof, deny.proof.json            the same for deny.json
#   forged-approve.proof                   deny.proof with approve.proof's public outputs
#                                          spliced in: a tampered proof claiming "approve"
#   approve-bound.proof                    approve.json proved with --context $SAMPLE_CONTEXT:
#                                          valid only with that context
#   simple_velocity.vk                     the key of another policy (a wrong key for the proofs)
#
# Usage: scripts/make-web-samples.sh [OUT_DIR]     (default: web/samples)
# Builds the CLI if needed; checks every file with `zkpolicy verify` before finishing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZKP_ROOT"
OUT="${1:-web/samples}"
# The request context of approve-bound.proof: hex of "x402 sample payment #1".
SAMPLE_CONTEXT=783430322073616d706c65207061796d656e74202331
ZK="$CARGO_TARGET_DIR/debug/zkpolicy"

log() { echo "[web-samples] $*" >&2; }

cargo build --quiet -p zkpolicy-cli
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

log "setup whitelist and simple_velocity"
"$ZK" setup models/whitelist/whitelist.onnx --out-dir "$WORK" >/dev/null
"$ZK" setup models/simple_velocity/simple_velocity.onnx --out-dir "$WORK" >/dev/null
for req in approve deny; do
  log "prove $req (binary and JSON)"
  "$ZK" prove --pk "$WORK/whitelist.pk" --input "models/whitelist/$req.json" --out "$WORK/$req.proof" >/dev/null
  "$ZK" prove --pk "$WORK/whitelist.pk" --input "models/whitelist/$req.json" --format json \
    --out "$WORK/$req.proof.json" >/dev/null
done
log "prove approve bound to the sample context"
"$ZK" prove --pk "$WORK/whitelist.pk" --input models/whitelist/approve.json --context "$SAMPLE_CONTEXT" \
  --out "$WORK/approve-bound.proof" >/dev/null

# The forgery: keep deny.proof's header, key digest, public input and SNARK, replace
# its public logits with approve.proof's. Layout (core/src/policy/files.rs):
#   "ZKPP" | u16 version | key digest (32) | u8 0 | u8 1, context digest (32)
#   | uvar n | n x svar input | uvar k | k x svar logit | SNARK
log "forge an approval from the deny proof"
node --input-type=module - "$WORK/deny.proof" "$WORK/approve.proof" "$WORK/forged-approve.proof" <<'EOF'
import { readFileSync, writeFileSync } from 'node:fs';
const [denyPath, approvePath, outPath] = process.argv.slice(2);
// Byte offsets of the public logits section [start, end) of a binary proof.
function logitsSection(bytes) {
  let at = 4 + 2 + 32;
  at += bytes[at] === 1 ? 33 : 1; // the context flag, and the digest if bound
  const uvar = () => {
    let value = 0n, shift = 0n, byte;
    do {
      if (at >= bytes.length) throw new Error('truncated proof');
      byte = bytes[at++];
      value |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    return value;
  };
  for (let n = uvar(); n > 0n; n--) uvar(); // the public input (zigzag values are uvars)
  const start = at;
  for (let k = uvar(); k > 0n; k--) uvar();
  return [start, at];
}
const deny = readFileSync(denyPath), approve = readFileSync(approvePath);
const [ds, de] = logitsSection(deny), [as, ae] = logitsSection(approve);
if (Buffer.compare(deny.subarray(ds, de), approve.subarray(as, ae)) === 0) throw new Error('approve and deny have the same logits');
writeFileSync(outPath, Buffer.concat([deny.subarray(0, ds), approve.subarray(as, ae), deny.subarray(de)]));
EOF

# Every sample must behave as its name says with the native verifier.
expect() { # expect EXIT_CODE VK PROOF [DECISION [VERIFY OPTIONS...]]
  local want="$1" vk="$2" proof="$3" decision="${4:-}" got=0 report
  shift 4 2>/dev/null || shift $#
  report="$("$ZK" verify --vk "$WORK/$vk" --proof "$WORK/$proof" --json "$@" 2>"$WORK/verify.err")" || got=$?
  if [ "$got" != "$want" ]; then
    echo "make-web-samples: zkpolicy verify --vk $vk --proof $proof exited $got, expected $want: $report $(cat "$WORK/verify.err")" >&2
    exit 1
  fi
  if [ -n "$decision" ] && ! grep -q "\"decision\": *\"$decision\"" <<<"$report"; then
    echo "make-web-samples: $proof does not decide $decision: $report" >&2
    exit 1
  fi
}
expect 0 whitelist.vk approve.proof approve
expect 0 whitelist.vk approve.proof.json approve
expect 0 whitelist.vk deny.proof deny
expect 0 whitelist.vk deny.proof.json deny
expect 1 whitelist.vk forged-approve.proof
expect 1 simple_velocity.vk approve.proof
expect 0 whitelist.vk approve-bound.proof approve --context "$SAMPLE_CONTEXT"
expect 1 whitelist.vk approve-bound.proof "" --context 00
expect 1 whitelist.vk approve-bound.proof ""
expect 1 whitelist.vk approve.proof "" --context "$SAMPLE_CONTEXT"

mkdir -p "$OUT"
for f in whitelist.vk simple_velocity.vk approve.proof approve.proof.json deny.proof deny.proof.json forged-approve.proof \
  approve-bound.proof; do
  cp "$WORK/$f" "$OUT/$f"
done
log "wrote $(ls "$OUT" | wc -l) files to $OUT"
