#!/usr/bin/env bash
# The wasm verifier end to end: build and pack @zkpolicy/verifier, make fresh
# keys (one input visibility per model) and proofs with the CLI for the three seed
# models, for tree-ensemble and rule-graph policies and for networks with hidden tanh or
# sigmoid layers, install the tarball into a temporary project and run the Node tests
# and the benchmark against it.
#
#   scripts/test-wasm.sh            (benchmark in quick mode)
#   scripts/test-wasm.sh --full-bench
#
# Needs Rust, Node >= 18 and npm; installs the wasm target, the wasm-bindgen CLI
# and npm binaryen on first use (cached under ~/.cache/zkpolicy and
# verifier-wasm/node_modules).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/fixtures.sh"
cd "$ZKP_ROOT"
BENCH_MODE=--quick
[ "${1:-}" = "--full-bench" ] && BENCH_MODE=

echo "-- build and pack @zkpolicy/verifier"
TARBALL="$(verifier-wasm/build.sh)"

echo "-- keys and proofs from the CLI"
fixtures_workdir
fixtures_cli
FIX="$WORK/fixtures"
# One input visibility per model, so that every test over the models meets a key with
# public, private and committed inputs, the default all-private key (as in web/samples)
# and an all-public one. Each binary proof's openings (commitments) are saved.
declare -A VISIBILITY=([simple_velocity]=$MIXED_VISIBILITY [whitelist]=all-private [business_hours]=all-public)
# The request context of the bound proofs; the binary proofs take it from the file
# (--context @FILE), the JSON ones as hex.
fixtures_test_context "$FIX"
for m in simple_velocity whitelist business_hours; do
  mkdir -p "$FIX/$m"
  fixtures_setup "$FIX/$m" "$m" "${VISIBILITY[$m]}" > "$FIX/$m/setup.json"
  cp "models/$m/approve.json" "$FIX/$m/approve.input.json"
  cp "models/$m/deny.json" "$FIX/$m/deny.input.json"
  fixtures_requests "$FIX/$m" "$m"
  # The approve request bound to the context, with the same openings as approve.proof.
  fixtures_prove "$FIX/$m" "$m" approve approve-bound.proof --blinds "$FIX/$m/approve.openings.json" \
    --context "@$FIX/context.bin"
  fixtures_prove "$FIX/$m" "$m" approve approve-bound.proof.json --blinds "$FIX/$m/approve.openings.json" \
    --context "$CONTEXT_HEX"
done
# The same model with another visibility: another key, which must refuse the proofs.
fixtures_setup "$FIX/simple_velocity/all-private" simple_velocity all-private >/dev/null
# Tree ensembles and a rule graph (issue 16), set up as README "Policies" says (default
# visibility): issue 16's "done when" exports (the 100-tree fraud policy is the gradient
# boosting classifier) and payment_rule. Their approve and deny proofs are checked by
# test/policies.test.mjs and test/native.test.mjs. Then networks with hidden tanh or sigmoid
# layers (issue 15): scikit-learn's (models/sklearn) and PyTorch's (models/torch: two networks,
# each from both exporters, with and without a batch axis), checked by
# test/hidden_activations.test.mjs.
TORCH_EXPORTS=(torchscript torchscript_batch dynamo dynamo_batch)
for m in decision_tree decision_tree_regressor random_forest random_forest_regressor fraud_gbdt \
  gradient_boosting_regressor lightgbm xgboost payment_rule mlp_classifier_tanh \
  "${TORCH_EXPORTS[@]/#/mlp_tanh_}" "${TORCH_EXPORTS[@]/#/mlp_sigmoid_}"; do
  mkdir -p "$FIX/$m"
  fixtures_setup "$FIX/$m" "$m" > "$FIX/$m/setup.json"
  fixtures_requests "$FIX/$m" "$m"
done

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
