#!/usr/bin/env bash
# Writes the sample files of the web page (web/samples/, committed) or of its browser
# test (a temp dir) with the current zkpolicy, so they never go stale against the
# format version:
#
#   whitelist.vk                           zkpolicy setup models/whitelist/whitelist.onnx
#   approve.proof, approve.proof.json      zkpolicy prove (binary, JSON) on models/whitelist/approve.json
#   deny.proof, deny.proof.json            the same for deny.json
#   forged-approve.proof                   deny.proof with approve.proof's public logits
#                                          spliced in: a tampered proof claiming "approve"
#                                          (scripts/forge-logits.mjs)
#   approve-bound.proof                    approve.json proved with --context $SAMPLE_CONTEXT
#                                          (scripts/fixtures.sh): valid only with that context
#   simple_velocity.vk                     the key of another policy (a wrong key for the proofs)
#
# Usage: scripts/make-web-samples.sh [OUT_DIR]     (default: web/samples)
# Builds the CLI if needed; checks every file with `zkpolicy verify` before finishing
# (fixtures_check_samples in scripts/fixtures.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/fixtures.sh"
cd "$ZKP_ROOT"
OUT="${1:-web/samples}"

log() { echo "[web-samples] $*" >&2; }

fixtures_workdir
fixtures_cli

log "setup whitelist and simple_velocity"
fixtures_setup "$WORK" whitelist >/dev/null
fixtures_setup "$WORK" simple_velocity >/dev/null
log "prove approve and deny (binary and JSON)"
fixtures_requests "$WORK" whitelist
log "prove approve bound to the sample context"
fixtures_prove "$WORK" whitelist approve approve-bound.proof --context "$SAMPLE_CONTEXT"
log "forge an approval from the deny proof"
node scripts/forge-logits.mjs "$WORK/deny.proof" "$WORK/approve.proof" "$WORK/forged-approve.proof"

# Every sample must behave as its name says with the native verifier.
fixtures_check_samples "$WORK" || { echo "make-web-samples: a fresh sample fails its check (above)" >&2; exit 1; }

mkdir -p "$OUT"
for f in whitelist.vk simple_velocity.vk approve.proof approve.proof.json deny.proof deny.proof.json forged-approve.proof \
  approve-bound.proof; do
  cp "$WORK/$f" "$OUT/$f"
done
log "wrote $(ls "$OUT" | wc -l) files to $OUT"
