#!/usr/bin/env bash
# Fuzzes every decoder (issue 12 §6): binary and JSON proofs, verifier and proving
# keys, Spartan keys and proofs, the R1CS and model encodings, visibility encodings
# and specs, hex scalars, request inputs and openings files.
#
#   bash scripts/fuzz.sh                # 10^6 inputs, release build, random seed (printed)
#   bash scripts/fuzz.sh --quick        # CI: 20 000 inputs, seed 1, test profile (shares
#                                       # the `cargo test` cache; < 60 s when it is warm)
#   bash scripts/fuzz.sh --cases 200000 --seed 7 --only policy_proof,seed_verifier_key
#   bash scripts/fuzz.sh --wasm32       # also replay inputs through the decoders built
#                                       # for wasm32 (the npm verifier's target) and
#                                       # compare with native; needs node
#
# Options: --cases N, --seed S, --only T1,T2 (target names as in the report),
# --case I (rerun one case and print its input), --release / --debug (override the
# profile), --wasm32.
#
# The fuzz tests are core/tests/fuzz_decoders.rs (seeds: small hand-made models)
# and prover-cli/tests/fuzz_inputs.rs (seeds: the models in models/, request inputs,
# openings files); the engine is core/tests/fuzz/. Overflow checks and debug
# assertions are on for the workspace crates in every profile. Prints inputs, time
# and peak allocation per decoder and exits non-zero on any failure (a panic, an
# allocation over its bound, a mutated proof that verifies, a non-canonical
# encoding accepted, a wasm32/native disagreement).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh   # the shared cargo target dir (and tools) under ~/.cache/zkpolicy

CASES=1000000
SEED=""
ONLY=""
CASE=""
RELEASE=1
WASM32=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) CASES=20000; SEED=${SEED:-1}; RELEASE=0 ;;
        --cases) CASES="$2"; shift ;;
        --seed) SEED="$2"; shift ;;
        --only) ONLY="$2"; shift ;;
        --case) CASE="$2"; shift ;;
        --release) RELEASE=1 ;;
        --debug) RELEASE=0 ;;
        --wasm32) WASM32=1 ;;
        -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "fuzz.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$SEED" ] || SEED=$(( ($(date +%s%N) ^ $$) & 0xffffffffffff ))

# The synthetic-model binary is cheaper per input: it gets 60% of the inputs.
CASES_CORE=$(( CASES * 6 / 10 ))
CASES_CLI=$(( CASES - CASES_CORE ))

PROFILE=()
if [ "$RELEASE" = 1 ]; then
    PROFILE=(--release
        --config 'profile.release.package.zkpolicy-core.overflow-checks=true'
        --config 'profile.release.package.zkpolicy-core.debug-assertions=true'
        --config 'profile.release.package.zkpolicy-cli.overflow-checks=true'
        --config 'profile.release.package.zkpolicy-cli.debug-assertions=true')
fi

echo "fuzz.sh: seed $SEED, $CASES inputs requested, $([ "$RELEASE" = 1 ] && echo release || echo test) profile${ONLY:+, only $ONLY}${CASE:+, case $CASE}" >&2
start=$(date +%s)
# One build of both test binaries (one feature resolution), then run each directly.
BINS=$(cargo test "${PROFILE[@]}" -p zkpolicy-core -p zkpolicy-cli --test fuzz_decoders --test fuzz_inputs \
    --no-run --message-format=json-render-diagnostics 2>/dev/null | grep -o '"executable":"[^"]*"' | cut -d'"' -f4)
BIN_CORE=$(echo "$BINS" | grep '/fuzz_decoders-')
BIN_CLI=$(echo "$BINS" | grep '/fuzz_inputs-')
built=$(date +%s)
echo "fuzz.sh: build $((built - start)) s" >&2

LOG=$(mktemp -t zkpolicy-fuzz.XXXXXX)
DUMP=""
if [ "$WASM32" = 1 ]; then
    DUMP=$(mktemp -t zkpolicy-fuzz-dump.XXXXXX)
fi
status=0
export ZKPOLICY_FUZZ_SEED="$SEED" ZKPOLICY_FUZZ_ONLY="$ONLY" ZKPOLICY_FUZZ_CASE="$CASE"
export ZKPOLICY_FUZZ_DUMP="$DUMP"
(cd core && ZKPOLICY_FUZZ_CASES=$CASES_CORE "$BIN_CORE" --nocapture --test-threads 1) 2>&1 | tee -a "$LOG" \
    || status=1
(cd prover-cli && ZKPOLICY_FUZZ_CASES=$CASES_CLI "$BIN_CLI" --nocapture --test-threads 1) 2>&1 | tee -a "$LOG" \
    || status=1

if [ "$WASM32" = 1 ]; then
    # The decoders for wasm32-unknown-unknown (standalone crate, release), then the replay.
    WASM_DIR=core/tests/fuzz/wasm32
    cargo build --release --quiet --target wasm32-unknown-unknown --manifest-path "$WASM_DIR/Cargo.toml"
    WASM="${CARGO_TARGET_DIR:-$WASM_DIR/target}/wasm32-unknown-unknown/release/zkpolicy_fuzz_wasm32.wasm"
    node "$WASM_DIR/run.mjs" "$WASM" "$DUMP" 2>&1 | tee -a "$LOG" || status=1
    rm -f "$DUMP"
fi
end=$(date +%s)

echo
echo "=== fuzz.sh summary (seed $SEED) ==="
awk '
    /^FUZZ-STAT / {
        printf "%-28s %10d inputs  %8.1f s  ok %8d  err %9d  fail %d  peak %10.1f KiB\n", $2, $3, $7, $4, $5, $6, $8 / 1024
        n += $3; f += $6; if ($8 > peak) { peak = $8; where = $2 }
    }
    /^WASM32-STAT / { w += $3; wf += $5 + $6 }
    END {
        printf "total: %d inputs, %d failing; largest peak %.1f MiB (%s)\n", n, f, peak / 1048576, where
        if (w) printf "wasm32 replay: %d inputs, %d traps or disagreements\n", w, wf
    }' "$LOG"
echo "wall time: $((end - start)) s (build $((built - start)) s); full log: $LOG"
if [ "$status" -ne 0 ]; then
    echo "fuzz.sh: FAILED (see the findings above; failing inputs are written as hex to \${TMPDIR:-/tmp}/zkpolicy-fuzz-findings)" >&2
fi
exit "$status"
