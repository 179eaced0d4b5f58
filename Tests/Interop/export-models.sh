#!/usr/bin/env bash
# Trains the four model kinds briefly and exports each as Keras and PyTorch scripts into DIR
# (each with its .safetensors, .json and .csv): mlp (iris), cnn (digits), text (reviews),
# rnn (sequence). Used by interop-test.sh (make test) and framework-scripts.sh (make interop).
set -euo pipefail
BIN=$1
T=$2
"$BIN" --headless > "$T/export.log" 2>&1 <<COMMANDS || { cat "$T/export.log"; exit 1; }
seed 7
data iris
model mlp 16,8 act=tanh
train epochs=30
export keras $T/mlp-keras.py
export pytorch $T/mlp-torch.py
data digits
model cnn
train epochs=3
export keras $T/cnn-keras.py
export pytorch $T/cnn-torch.py
data reviews n=400
model textcls
train epochs=3
export keras $T/text-keras.py
export pytorch $T/text-torch.py
data sequence n=200
model rnn
train epochs=3
export keras $T/rnn-keras.py
export pytorch $T/rnn-torch.py
COMMANDS
if grep -q "^error" "$T/export.log"; then cat "$T/export.log"; exit 1; fi
