# Sourced (not run) by scripts/test-wasm.sh, scripts/test-web.sh and
# scripts/make-web-samples.sh: the one place that builds the CLI and makes keys,
# proofs and request contexts for the Node tests, the browser test and the web
# samples. Sources env.sh; the caller cds to $ZKP_ROOT (model paths are relative).
#
#   fixtures_workdir                 WORK = a new temp dir, removed on exit by
#                                    fixtures_cleanup (a caller with more to clean
#                                    sets its own EXIT trap and calls fixtures_cleanup)
#   fixtures_cli                     build the CLI (dev profile) and copy it to
#                                    $WORK/zkpolicy (the target dir may be shared with
#                                    other worktrees, which overwrite its binary); sets
#                                    ZK to the copy. Call fixtures_workdir first.
#   fixtures_policy MODEL            where a policy's files are and how it is imported:
#                                    sets POLICY_ONNX (models/MODEL/MODEL.onnx, or
#                                    models/trees/MODEL.onnx for the tree exports,
#                                    models/rules/MODEL.onnx for the rule graph,
#                                    models/sklearn/MODEL.onnx for the hidden-tanh MLP and
#                                    models/torch/MODEL.onnx for the PyTorch exports),
#                                    POLICY_REQUESTS (the directory of its approve.json
#                                    and deny.json) and POLICY_IMPORT (setup's import
#                                    options: the trees' and rules' --scale and
#                                    --input-range, as README "Policies" gives them,
#                                    and for the trees and the hidden-activation MLPs
#                                    their test set, so that setup checks and reports
#                                    its fidelity)
#   fixtures_setup DIR MODEL [VIS [OPTION...]]
#                                    zkpolicy setup $POLICY_ONNX into DIR
#                                    (DIR/MODEL.pk, DIR/MODEL.vk), visibility VIS
#                                    (default or empty: the CLI's, all private) and
#                                    setup's other OPTIONs (e.g. --profile fast);
#                                    prints the `--json` report
#   fixtures_prove DIR MODEL REQ OUT [OPTION...]
#                                    zkpolicy prove $POLICY_REQUESTS/REQ.json with DIR/MODEL.pk
#                                    into DIR/OUT (JSON if OUT ends in .json, else binary),
#                                    with the extra prove options
#   fixtures_requests DIR MODEL      for REQ = approve and deny: DIR/REQ.proof (binary, its
#                                    openings saved to DIR/REQ.openings.json) and
#                                    DIR/REQ.proof.json (JSON, the same openings)
#   fixtures_test_context DIR        the Node tests' request context: DIR/context.bin (32
#                                    bytes, as a payment hash would be) and DIR/context.hex;
#                                    sets CONTEXT_HEX
#   SAMPLE_CONTEXT                   the web samples' request context (hex of "x402 sample
#                                    payment #1"; web/app.js shows it too)
#   MIXED_VISIBILITY                 simple_velocity's inputs 0 and 1 public, 3 committed,
#                                    2 and 4 private: a key with every kind of input
#   fixtures_check_samples DIR       checks with `zkpolicy verify` that every web sample in
#                                    DIR behaves as its name says (scripts/make-web-samples.sh
#                                    lists them); returns 1 with a message otherwise
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

SAMPLE_CONTEXT=783430322073616d706c65207061796d656e74202331
MIXED_VISIBILITY=public=0..2,committed=3

fixtures_cli() {
  cargo build --quiet -p zkpolicy-cli
  ZK="$WORK/zkpolicy"
  cp "$CARGO_TARGET_DIR/debug/zkpolicy" "$ZK"
}

fixtures_workdir() {
  WORK="$(mktemp -d)"
  trap fixtures_cleanup EXIT
}

fixtures_cleanup() {
  rm -rf "$WORK"
}

fixtures_policy() {
  case "$1" in
    decision_tree | decision_tree_regressor | random_forest | random_forest_regressor | fraud_gbdt \
      | gradient_boosting_regressor | lightgbm | xgboost)
      POLICY_ONNX="models/trees/$1.onnx" POLICY_REQUESTS=models/trees
      POLICY_IMPORT=(--scale 16 --input-range 16384 --test-set models/trees/test.jsonl) ;;
    payment_rule) POLICY_ONNX="models/rules/$1.onnx" POLICY_REQUESTS=models/rules POLICY_IMPORT=(--input-range 16384) ;;
    mlp_classifier_tanh)
      POLICY_ONNX="models/sklearn/$1.onnx" POLICY_REQUESTS=models/sklearn
      POLICY_IMPORT=(--test-set models/sklearn/classifier_test.jsonl) ;;
    mlp_tanh_* | mlp_sigmoid_*)
      POLICY_ONNX="models/torch/$1.onnx" POLICY_REQUESTS=models/torch POLICY_IMPORT=(--test-set models/torch/test.jsonl) ;;
    *) POLICY_ONNX="models/$1/$1.onnx" POLICY_REQUESTS="models/$1" POLICY_IMPORT=() ;;
  esac
}

fixtures_setup() {
  local dir="$1" model="$2" visibility=()
  [ -n "${3:-}" ] && visibility=(--visibility "$3")
  shift "$(($# < 3 ? $# : 3))"
  fixtures_policy "$model"
  "$ZK" setup "$POLICY_ONNX" "${POLICY_IMPORT[@]}" --out-dir "$dir" "${visibility[@]}" "$@" --json
}

fixtures_prove() {
  local dir="$1" model="$2" request="$3" out="$4"
  shift 4
  case "$out" in *.json) set -- --format json "$@" ;; esac
  fixtures_policy "$model"
  "$ZK" prove --pk "$dir/$model.pk" --input "$POLICY_REQUESTS/$request.json" --out "$dir/$out" "$@" >/dev/null
}

fixtures_requests() {
  local dir="$1" model="$2" r
  for r in approve deny; do
    fixtures_prove "$dir" "$model" "$r" "$r.proof" --blinds-out "$dir/$r.openings.json"
    fixtures_prove "$dir" "$model" "$r" "$r.proof.json" --blinds "$dir/$r.openings.json"
  done
}

fixtures_test_context() {
  mkdir -p "$1"
  node -e 'process.stdout.write(require("node:crypto").createHash("sha256").update("zkpolicy test payment #1").digest())' \
    > "$1/context.bin"
  CONTEXT_HEX="$(od -An -v -tx1 "$1/context.bin" | tr -d ' \n')"
  echo "$CONTEXT_HEX" > "$1/context.hex"
}

fixtures_check_samples() {
  local dir="$1" want vk proof decision context got report summary err
  err="$(mktemp)"
  # Per line: the exit code `zkpolicy verify` must give, the key, the proof, the
  # decision it must report ("-": not checked) and the context to verify with ("-": none).
  while read -r want vk proof decision context; do
    local args=(verify --vk "$dir/$vk" --proof "$dir/$proof" --json)
    [ "$context" = - ] || args+=(--context "$context")
    got=0
    report="$("$ZK" "${args[@]}" 2>"$err" </dev/null)" || got=$?
    summary="$(grep -oE '"(valid|decision)": *[^,]*' <<<"$report" | tr '\n' ' ' || true)"
    if [ "$got" != "$want" ]; then
      echo "zkpolicy ${args[*]} exited $got, expected $want: $summary$(cat "$err")" >&2
      rm -f "$err"
      return 1
    fi
    if [ "$decision" != - ] && ! grep -q "\"decision\": *\"$decision\"" <<<"$report"; then
      echo "$dir/$proof does not decide $decision: $summary" >&2
      rm -f "$err"
      return 1
    fi
  done <<EOF
0 whitelist.vk       approve.proof            approve -
0 whitelist.vk       approve.proof.json       approve -
0 whitelist.vk       deny.proof               deny    -
0 whitelist.vk       deny.proof.json          deny    -
1 whitelist.vk       forged-approve.proof     -       -
1 simple_velocity.vk approve.proof            -       -
0 whitelist.vk       approve-bound.proof      approve $SAMPLE_CONTEXT
1 whitelist.vk       approve-bound.proof      -       00
1 whitelist.vk       approve-bound.proof      -       -
1 whitelist.vk       approve.proof            -       $SAMPLE_CONTEXT
0 fraud_gbdt.vk      fraud_gbdt-approve.proof 1       -
0 fraud_gbdt.vk      fraud_gbdt-deny.proof    0       -
1 whitelist.vk       fraud_gbdt-approve.proof -       -
0 payment_rule.vk    payment_rule-approve.proof approve -
0 payment_rule.vk    payment_rule-deny.proof  deny    -
1 fraud_gbdt.vk      payment_rule-approve.proof -     -
EOF
  rm -f "$err"
}
