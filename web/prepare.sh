#!/usr/bin/env bash
# Puts the npm package @zkpolicy/verifier into web/vendor/verifier/ (gitignored), the
# copy that web/app.js imports, so that web/ is a self-contained static site.
# Builds the package first (verifier-wasm/build.sh) when it is missing or older than
# its sources. The files copied are those the package publishes ("files" in its
# package.json), i.e. what `npm install @zkpolicy/verifier` would give.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$ZKP_ROOT"
PKG=verifier-wasm/pkg
DEST=web/vendor/verifier

log() { echo "[web-prepare] $*" >&2; }

stale() {
  [ -f "$PKG/package.json" ] && [ -f "$PKG/zkpolicy_verifier_bg.wasm" ] || return 0
  [ -n "$(find verifier-wasm/src verifier-wasm/js verifier-wasm/Cargo.toml verifier-wasm/build.sh \
    core/src core/Cargo.toml Cargo.toml Cargo.lock -newer "$PKG/zkpolicy_verifier_bg.wasm" -print -quit)" ]
}
if stale; then
  log "building @zkpolicy/verifier (verifier-wasm/build.sh)"
  bash verifier-wasm/build.sh >/dev/null
fi

rm -rf "$DEST" && mkdir -p "$DEST"
node -e '
  const { readFileSync, copyFileSync } = require("node:fs");
  const [pkg, dest] = process.argv.slice(1);
  const files = JSON.parse(readFileSync(`${pkg}/package.json`, "utf8")).files;
  for (const f of [...files, "package.json"]) copyFileSync(`${pkg}/${f}`, `${dest}/${f}`);
' "$PKG" "$DEST"
log "copied $(node -p 'require("./'"$PKG"'/package.json").name + "@" + require("./'"$PKG"'/package.json").version') to $DEST"
