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
#   fraud_gbdt.vk                          zkpolicy setup models/trees/fraud_gbdt.onnx --scale 16
#                                          --input-range 16384: the 100-tree fraud policy
#   fraud_gbdt-approve.proof, fraud_gbdt-deny.proof
#                                          zkpolicy prove on models/trees/approve.json and deny.json
#                                          (class "1" approves, "0" denies)
#   payment_rule.vk                        zkpolicy setup models/rules/payment_rule.onnx --input-range
#                                          16384: the rule graph (amount ≤ 0.3·balance, vendor on
#                                          the allowlist, 9 ≤ hour < 17)
#   payment_rule-approve.proof, payment_rule-deny.proof
#                                          zkpolicy prove on models/rules/approve.json and deny.json
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
log "setup fraud_gbdt (tree ensemble), prove approve and deny"
fixtures_setup "$WORK" fraud_gbdt >/dev/null
for r in approve deny; do
  fixtures_prove "$WORK" fraud_gbdt "$r" "fraud_gbdt-$r.proof"
done
log "setup payment_rule (rule graph), prove approve and deny"
fixtures_setup "$WORK" payment_rule >/dev/null
for r in approve deny; do
  fixtures_prove "$WORK" payment_rule "$r" "payment_rule-$r.proof"
done
log "forge an approval from the deny proof"
node scripts/forge-logits.mjs "$WORK/deny.proof" "$WORK/approve.proof" "$WORK/forged-approve.proof"

# Every sample must behave as its name says with the native verifier.
fixtures_check_samples "$WORK" || { echo "make-web-samples: a fresh sample fails its check (above)" >&2; exit 1; }

mkdir -p "$OUT"
for f in whitelist.vk simple_velocity.vk approve.proof approve.proof.json deny.proof deny.proof.json forged-approve.proof \
  approve-bound.proof fraud_gbdt.vk fraud_gbdt-approve.proof fraud_gbdt-deny.proof payment_rule.vk \
  payment_rule-approve.proof payment_rule-deny.proof; do
  cp "$WORK/$f" "$OUT/$f"
done
log "wrote $(ls "$OUT" | wc -l) files to $OUT"
