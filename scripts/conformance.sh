#!/usr/bin/env bash
# Conformance of the ONNX importer (issue 15 §6): the ONNX backend node tests of every
# supported op, in their batch-1 form, through the zkpolicy CLI (docs/CONFORMANCE.md).
#
#   scripts/conformance.sh [--release] [--keep DIR]
#
# Installs the pinned Python packages of tests/conformance/requirements.txt into a venv
# cached under ~/.cache/zkpolicy (keyed by the file's hash), builds the CLI (the dev
# profile, as scripts/test.sh does, whose dependencies and proof system are optimised;
# --release: the release profile), generates the cases into a temporary directory
# (or DIR with --keep, left in place),
# runs them (tests/conformance/run.py) and prints one line per op. Exits non-zero on
# any case outside its stated bound, any import the importer should accept and refuses,
# or any proof of the subset that does not verify.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZKP_ROOT"

keep="" profile=debug
while [ $# -gt 0 ]; do
  case "$1" in
    --release) profile=release ;;
    --keep) keep="${2:?--keep needs a directory}"; shift ;;
    *) echo "usage: scripts/conformance.sh [--release] [--keep DIR]" >&2; exit 2 ;;
  esac
  shift
done

requirements=tests/conformance/requirements.txt
venv="$ZKP_CACHE/conformance-venv-$(sha256sum "$requirements" | cut -c1-12)"
if [ ! -f "$venv/complete" ]; then
  echo "== conformance: Python venv with $requirements ($venv)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements"
  "$venv/bin/pip" check --disable-pip-version-check >/dev/null
  touch "$venv/complete"
fi

echo "== conformance: the CLI ($profile)"
if [ "$profile" = release ]; then
  cargo build --quiet --release -p zkpolicy-cli
else
  cargo build --quiet -p zkpolicy-cli
fi

if [ -n "$keep" ]; then
  work="$keep"
  rm -rf "$work"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
# The target dir may be shared with other worktrees, which overwrite its binary.
cp "$CARGO_TARGET_DIR/$profile/zkpolicy" "$work/zkpolicy"

echo "== conformance: ONNX backend node tests, batch-1 form"
"$venv/bin/python" tests/conformance/generate.py "$work/cases"
"$venv/bin/python" tests/conformance/run.py "$work/cases" "$work/zkpolicy"
