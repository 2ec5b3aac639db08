#!/usr/bin/env bash
# The main job on the sample policy: setup, prove an approve and a deny
# request, verify both. Builds the CLI on first use (the dev profile compiles
# the proof system and all dependencies with full optimisation).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZKP_ROOT"
MODEL="${1:-simple_velocity}"
OUT="${ZKP_DEMO_DIR:-$ZKP_ROOT/demo-out}"
cargo build --quiet -p zkpolicy-cli
ZK="$CARGO_TARGET_DIR/debug/zkpolicy"
mkdir -p "$OUT"
"$ZK" setup "models/$MODEL/$MODEL.onnx" --out-dir "$OUT"
for req in approve deny; do
  echo "-- prove $req"
  "$ZK" prove --pk "$OUT/$MODEL.pk" --input "models/$MODEL/$req.json" --out "$OUT/$req.proof" --timings
  echo "-- verify $req"
  "$ZK" verify --vk "$OUT/$MODEL.vk" --proof "$OUT/$req.proof"
done
