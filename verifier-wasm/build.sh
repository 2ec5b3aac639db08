#!/usr/bin/env bash
# Builds the npm package @zkpolicy/verifier into verifier-wasm/pkg/ and packs it:
#   cargo (wasm32, profile wasm-release) -> wasm-bindgen CLI -> wasm-opt (npm binaryen)
#   -> pkg/ (+ hand-written entries from js/) -> npm pack -> pkg/../dist/*.tgz
# Installs what it needs (rust target, wasm-bindgen CLI, binaryen) and skips what
# is already there. Prints the tarball path as its last line.
# The size/speed trade is the cargo profile's (wasm-release in the workspace
# Cargo.toml, whose comment has the measurements); wasm-opt's -O4, -Os, -Oz or
# --converge instead of -O3 change the size by less than 1%.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
HERE="$ZKP_ROOT/verifier-wasm"
PKG="$HERE/pkg"
DIST="$HERE/dist"
NAME=zkpolicy_verifier

log() { echo "[build-wasm] $*" >&2; }

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown >&2

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION into $ZKP_CACHE (a few minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$ZKP_CACHE" >&2
fi

# binaryen from npm, pinned by verifier-wasm/package-lock.json (Debian's is broken for this).
if [ ! -x "$HERE/node_modules/.bin/wasm-opt" ]; then
  log "installing npm binaryen (wasm-opt)"
  (cd "$HERE" && npm ci --no-audit --no-fund >&2)
fi

log "cargo build (wasm32-unknown-unknown, wasm-release)"
# CARGO_INCREMENTAL in the environment (CI often sets 0) would override the profile's
# incremental = true, which keeps rustc's MIR inliner off (see Cargo.toml): +150 KB.
# LLVM's inline threshold 50 instead of opt-level 3's 250 ("s"'s 75) for calls without an
# inline hint (#[inline] keeps its own, 325): -7 KB gzip for the same handle.verify (see
# Cargo.toml). Set as CARGO_ENCODED_RUSTFLAGS, which no RUSTFLAGS of the environment can
# replace; with --target, build scripts and proc macros do not get it.
CARGO_INCREMENTAL=1 CARGO_ENCODED_RUSTFLAGS=-Cllvm-args=-inline-threshold=50 \
  cargo build -p zkpolicy-verifier-wasm --target wasm32-unknown-unknown --profile wasm-release >&2
RAW="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/zkpolicy_verifier_wasm.wasm"

rm -rf "$PKG" && mkdir -p "$PKG"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# One .wasm serves every entry: the web glue (ESM, browsers and bundlers, also
# used by the Node ESM entry through initSync) and the Node glue (CommonJS),
# whose import namespace is renamed to the web glue's so it loads the same file.
wasm-bindgen --target web --no-typescript --out-dir "$TMP/web" --out-name "$NAME" "$RAW"
wasm-bindgen --target nodejs --no-typescript --out-dir "$TMP/node" --out-name "$NAME" "$RAW"
WEB_NS=$(grep -c "^    imports\.wbg = {};$" "$TMP/web/$NAME.js" || true)
NODE_NS=$(grep -c "^imports\['__wbindgen_placeholder__'\] = module.exports;$" "$TMP/node/$NAME.js" || true)
if [ "$WEB_NS" != 1 ] || [ "$NODE_NS" != 1 ]; then
  echo "wasm-bindgen $WASM_BINDGEN_VERSION output changed: cannot share one .wasm between the web and Node glue" >&2
  exit 1
fi
sed "s/^imports\['__wbindgen_placeholder__'\] = module.exports;$/imports['wbg'] = module.exports;/" \
  "$TMP/node/$NAME.js" > "$PKG/${NAME}_node.cjs"
cp "$TMP/web/$NAME.js" "$PKG/$NAME.js"

log "wasm-opt -O3"
"$HERE/node_modules/.bin/wasm-opt" -O3 "$TMP/web/${NAME}_bg.wasm" -o "$PKG/${NAME}_bg.wasm"

# reports.d.ts is generated from the Rust report types (tests/typescript.rs checks it).
cp "$HERE/js/package.json" "$HERE/js/README.md" "$HERE/js/index.d.ts" "$HERE/js/reports.d.ts" \
  "$HERE/js/node.mjs" "$HERE/js/node.cjs" "$PKG/"
# The CommonJS view of the types: index.d.cts imports the CommonJS copy of reports.d.ts.
cp "$HERE/js/reports.d.ts" "$PKG/reports.d.cts"
sed "s#'./reports.js'#'./reports.cjs'#" "$HERE/js/index.d.ts" > "$PKG/index.d.cts"
if grep -q "'./reports.js'" "$PKG/index.d.cts" || ! grep -q "'./reports.cjs'" "$PKG/index.d.cts"; then
  echo "index.d.cts: cannot point the import of reports.d.ts at reports.d.cts" >&2
  exit 1
fi

mkdir -p "$DIST"
rm -f "$DIST"/*.tgz
TARBALL="$(cd "$PKG" && npm pack --silent --pack-destination "$DIST" | tail -1)"
log "packed $DIST/$TARBALL"
echo "$DIST/$TARBALL"
