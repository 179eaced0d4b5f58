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
if "$venv/bin/python" -c "import keras, jax, jaxlib, numpy, fastapi, uvicorn, safetensors" 2>/dev/null; then
    echo "Peers ready: $("$venv/bin/python" -c 'import keras, jax, numpy; print("keras", keras.__version__, "jax", jax.__version__, "numpy", numpy.__version__)')"
    exit 0
fi
echo "Installing keras jax jaxlib numpy, and fastapi uvicorn safetensors (the serving peer), into $venv (large download)"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet keras jax jaxlib numpy fastapi uvicorn safetensors
"$venv/bin/python" -c 'import keras, jax, numpy; print("keras", keras.__version__, "jax", jax.__version__, "numpy", numpy.__version__)'
