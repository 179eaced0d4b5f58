#!/usr/bin/env bash
# Creates .venv-bench/ (git-ignored) with the Python peers' packages, when missing.
# Usage: Benchmarks/setup-peers.sh   (from anywhere; idempotent)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-bench"
python="${PYTHON:-python3}"
export KERAS_BACKEND=jax   # Keras 3 otherwise imports TensorFlow, which is not installed

if [ ! -x "$venv/bin/python" ]; then
    echo "Creating $venv"
    "$python" -m venv "$venv"
fi
versions='import keras, jax, numpy, torch; print("keras", keras.__version__, "jax", jax.__version__, "numpy", numpy.__version__, "torch", torch.__version__)'
if "$venv/bin/python" -c "import keras, jax, jaxlib, numpy, torch, fastapi, uvicorn, safetensors" 2>/dev/null; then
    echo "Peers ready: $("$venv/bin/python" -c "$versions")"
    exit 0
fi
# PyTorch's CPU-only build: a local wheel where one is offered (PIP_FIND_LINKS; these machines
# have /opt/wheels), else the CPU index's. PyPI's own torch pulls in the CUDA libraries (GBs).
torch="torch"
if ls ${PIP_FIND_LINKS:-/nonexistent}/torch-*+cpu-*.whl >/dev/null 2>&1; then
    torch="$(basename "$(ls ${PIP_FIND_LINKS}/torch-*+cpu-*.whl | sort | tail -1)" | sed -E 's/^torch-([^-]+)-.*/torch==\1/')"
else
    torch="torch --extra-index-url https://download.pytorch.org/whl/cpu"
fi
echo "Installing keras jax jaxlib numpy $torch, and fastapi uvicorn safetensors (the serving peer), into $venv (large download)"
"$venv/bin/python" -m pip install --quiet --upgrade pip
# shellcheck disable=SC2086
"$venv/bin/python" -m pip install --quiet keras jax jaxlib numpy $torch fastapi uvicorn safetensors
"$venv/bin/python" -c "$versions"
