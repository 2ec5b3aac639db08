# Sourced by the other scripts: one place for paths and tool versions.
# A cargo target dir and tool installs cached under $HOME/.cache make reruns
# fast; a machine without them builds everything from crates.io and npm.
ZKP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ZKP_CACHE="${ZKP_CACHE:-$HOME/.cache/zkpolicy}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ZKP_CACHE/target}"
# The wasm-bindgen CLI must match the wasm-bindgen crate exactly (Cargo.toml pins it).
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' "$ZKP_ROOT/Cargo.toml")"
export PATH="$ZKP_CACHE/bin:$PATH"
