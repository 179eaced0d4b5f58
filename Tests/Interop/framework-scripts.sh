#!/usr/bin/env bash
# `make interop`: the scripts `export keras` and `export pytorch` write, run for real on four
# models (an MLP, the CNN, the text classifier, the RNN): each rebuilds its model, loads
# Descent's weights, checks its predictions against Descent's to 1e-5 (it exits 1 otherwise)
# and trains one epoch. Keras runs on JAX; PyTorch runs when it could be installed, alone and
# under torchrun with two processes (DistributedDataParallel, gloo).
set -euo pipefail
BIN=${1:-.build/release/descent}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV="$ROOT/.venv-interop"
PY="$VENV/bin/python"
[ -x "$PY" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check numpy safetensors keras jax jaxlib
"$PY" -c "import torch" 2>/dev/null || "$VENV/bin/pip" install -q --disable-pip-version-check torch \
  || echo "interop: NOTICE: torch could not be installed; the PyTorch scripts are only compiled"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$ROOT/Tests/Interop/export-models.sh" "$BIN" "$T"
for model in mlp cnn text rnn; do
  echo "── $model, Keras (JAX)"
  KERAS_BACKEND=jax "$PY" "$T/$model-keras.py" --epochs 1 2>&1 | grep -E "difference|loss" | tail -2
  if "$PY" -c "import torch" 2>/dev/null; then
    echo "── $model, PyTorch"
    "$PY" "$T/$model-torch.py" --epochs 1 2>&1 | grep -E "difference|epoch"
    echo "── $model, PyTorch under torchrun, 2 processes"
    "$VENV/bin/torchrun" --nproc_per_node=2 "$T/$model-torch.py" --epochs 1 2>&1 | grep -E "difference|epoch"
  fi
done
echo "interop: every exported script reproduced Descent's predictions"
