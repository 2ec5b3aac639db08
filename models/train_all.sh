#!/usr/bin/env bash
# Retrain all three seed models deterministically and check the results.
# Usage (from anywhere):  models/train_all.sh [PYTHON]   (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-python3}"
# One BLAS thread: deterministic summation order (and light on shared CPUs).
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
"$PY" models/train.py
"$PY" models/check_onnx.py --no-retrain
sha256sum models/*/*.onnx
