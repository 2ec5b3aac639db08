#!/usr/bin/env bash
# Browser test of the verification page (web/) in headless Debian Chromium:
#   1. installs chromium (apt, as root) if /usr/bin/chromium is missing, and the test's
#      npm dependencies (playwright-core, no browser download) from tests/web's lockfile;
#   2. vendors @zkpolicy/verifier into web/ (web/prepare.sh builds it if missing or stale);
#   3. makes fresh samples with the current zkpolicy (scripts/make-web-samples.sh) into a
#      temp dir; the committed web/samples/ must still pass the samples' checks with
#      `zkpolicy verify` (fixtures_check_samples in scripts/fixtures.sh), and their keys
#      must equal a fresh setup (else: run scripts/make-web-samples.sh);
#   4. makes a key with public and private inputs and a proof for it (the samples' keys
#      are all private and of the small profile, the defaults; this one is fast);
#   5. serves web/ on 127.0.0.1 (web/serve.mjs), runs tests/web/run.mjs, stops the server.
# Screenshots go to $WEB_ARTIFACT_DIR (default: a new temp dir); their paths are printed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/fixtures.sh"
cd "$ZKP_ROOT"

log() { echo "[test-web] $*" >&2; }

if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian chromium"
  if [ "$(id -u)" != 0 ]; then
    echo "test-web: /usr/bin/chromium is missing; install it as root: apt-get install chromium" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# npm ci unless node_modules already holds the locked playwright-core.
locked="$(node -p 'require("./tests/web/package-lock.json").packages["node_modules/playwright-core"].version')"
installed="$(node -p 'try { require("./tests/web/node_modules/playwright-core/package.json").version } catch { "" }')"
if [ "$locked" != "$installed" ]; then
  log "npm ci (tests/web)"
  (cd tests/web && npm ci --no-audit --no-fund --silent)
fi

bash web/prepare.sh

fixtures_workdir
fixtures_cli
ARTIFACTS="${WEB_ARTIFACT_DIR:-$(mktemp -d /tmp/zkpolicy-web-artifacts.XXXXXX)}"
mkdir -p "$ARTIFACTS"
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  fixtures_cleanup
}
trap cleanup EXIT

bash scripts/make-web-samples.sh "$WORK/samples"

# The committed samples are what the page verifies on load: they must still verify
# with this build, and their key must be the one setup makes today.
for f in whitelist.vk simple_velocity.vk fraud_gbdt.vk payment_rule.vk; do
  if ! cmp -s "web/samples/$f" "$WORK/samples/$f"; then
    echo "test-web: web/samples/$f differs from a fresh zkpolicy setup; run scripts/make-web-samples.sh and commit web/samples/" >&2
    exit 1
  fi
done
if ! fixtures_check_samples web/samples; then
  echo "test-web: the committed web/samples/ fail their checks (above); run scripts/make-web-samples.sh and commit web/samples/" >&2
  exit 1
fi
# approve-bound.proof is bound to SAMPLE_CONTEXT (scripts/fixtures.sh; web/app.js has it too).
"$ZK" verify --vk web/samples/whitelist.vk --proof web/samples/approve.proof --json > "$WORK/cli-report.json"
"$ZK" verify --vk web/samples/whitelist.vk --proof web/samples/approve-bound.proof --context "$SAMPLE_CONTEXT" --json \
  > "$WORK/cli-bound-report.json"
# The tree-ensemble sample (fraud_gbdt, 100 trees), as the CLI verifies it.
"$ZK" verify --vk web/samples/fraud_gbdt.vk --proof web/samples/fraud_gbdt-approve.proof --json > "$WORK/cli-fraud-report.json"
# The rule-graph sample (payment_rule), as the CLI verifies it.
"$ZK" verify --vk web/samples/payment_rule.vk --proof web/samples/payment_rule-approve.proof --json \
  > "$WORK/cli-rule-report.json"

# A key with public, private and committed inputs, of the fast profile (the samples'
# keys are small, the default), and its description as the CLI gives it.
MIXED="$WORK/mixed"
fixtures_setup "$MIXED" simple_velocity "$MIXED_VISIBILITY" --profile fast >/dev/null
"$ZK" inspect "$MIXED/simple_velocity.vk" --json > "$MIXED/cli-key-report.json"
fixtures_prove "$MIXED" simple_velocity approve approve.proof --blinds-out "$MIXED/openings.json"
"$ZK" verify --vk "$MIXED/simple_velocity.vk" --proof "$MIXED/approve.proof" --json > "$MIXED/cli-report.json"

node web/serve.mjs --port 0 > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
URL=
for _ in $(seq 100); do
  URL="$(sed -n 's/^serving .* at \(http:[^ ]*\)$/\1/p' "$WORK/server.log")"
  [ -n "$URL" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "test-web: the server did not start" >&2; exit 1; }
log "serving web/ at $URL (pid $SERVER_PID); artifacts in $ARTIFACTS"

WEB_URL="$URL" SAMPLES_DIR="$WORK/samples" CLI_REPORT="$WORK/cli-report.json" CLI_BOUND_REPORT="$WORK/cli-bound-report.json" \
  CLI_FRAUD_REPORT="$WORK/cli-fraud-report.json" CLI_RULE_REPORT="$WORK/cli-rule-report.json" SAMPLE_CONTEXT="$SAMPLE_CONTEXT" MIXED_DIR="$MIXED" ARTIFACT_DIR="$ARTIFACTS" node tests/web/run.mjs
