#!/usr/bin/env python3
"""Descent's safetensors files as another program sees them (run by interop-test.sh).

  check_safetensors.py read  MODEL.safetensors DATA.csv
      reads Descent's file with the `safetensors` package, runs the model's forward pass in
      numpy from the architecture in its metadata, and compares with the outputs Descent wrote
      in DATA.csv (columns descent_*), to 1e-5.
  check_safetensors.py write MODEL.safetensors OUT.safetensors OUT-expected.csv DATA.csv
      writes the same model with every weight halved, with Python's `safetensors` writer and
      Descent's metadata, and the outputs numpy expects from it, for Descent to load and match.
"""
import csv
import json
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file


def activation(name, z):
    if name == "linear":
        return z
    if name == "relu":
        return np.maximum(z, 0)
    if name == "leakyrelu":
        return np.where(z > 0, z, 0.01 * z)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise SystemExit(f"this check computes dense models only; activation {name}")


def forward(model, tensors, x):
    """Dense layers as Descent defines them: y = f(x W + b), W stored (in, out)."""
    for k, layer in enumerate(model["architecture"]["layers"], start=1):
        if "dense" not in layer:
            raise SystemExit(f"this check computes dense models only; layer {layer}")
        act = layer["dense"]["activation"]
        x = activation(act, x.astype(np.float64) @ tensors[f"dense{k}.w"] + tensors[f"dense{k}.b"])
    return x


def read_data(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    target = header.index("target")
    outputs = [i for i, h in enumerate(header) if h.startswith("descent_")]
    x = np.array([[float(v) for v in r[1:target]] for r in rows])
    return x, np.array([[float(r[i]) for i in outputs] for r in rows])


def metadata(path):
    with safe_open(path, framework="numpy") as f:
        return f.metadata()


def compare(mine, theirs, what):
    gap = float(np.max(np.abs(mine - theirs)))
    print(f"{what}: largest difference {gap:.2e} over {mine.size} outputs")
    if not gap <= 1e-5:
        raise SystemExit(f"{what}: outputs differ by {gap}")


def main():
    mode = sys.argv[1]
    if mode == "read":
        path, data = sys.argv[2], sys.argv[3]
        tensors = load_file(path)
        model = json.loads(metadata(path)["descent"])
        assert all(t.dtype == np.float32 for t in tensors.values()), "Descent writes F32"
        x, descent = read_data(data)
        compare(forward(model, tensors, x), descent, "numpy forward pass vs Descent")
    elif mode == "write":
        path, out, expected, data = sys.argv[2:6]
        tensors = {name: (t * np.float32(0.5)).astype(np.float32) for name, t in load_file(path).items()}
        meta = metadata(path)
        save_file(tensors, out, metadata=meta)
        model = json.loads(meta["descent"])
        x, _ = read_data(data)
        np.savetxt(expected, forward(model, tensors, x), delimiter=",")
        print(f"wrote {out} with Python's safetensors ({len(tensors)} tensors, weights halved)")
    elif mode == "match":
        expected, data = sys.argv[2], sys.argv[3]
        mine = np.loadtxt(expected, delimiter=",", ndmin=2)
        _, descent = read_data(data)
        compare(mine, descent, "Descent on Python's file vs numpy")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
