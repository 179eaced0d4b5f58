"""A Descent MLP in numpy, for the Python serving peers (FastAPI, MLServer): the weights and the
standardisation read from Descent's safetensors file, and the forward pass."""
import json

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file


class DescentMLP:
    def __init__(self, path):
        self.tensors = load_file(path)
        with safe_open(path, framework="numpy") as f:
            model = json.loads(f.metadata()["descent"])
        self.activations = [layer["dense"]["activation"] for layer in model["architecture"]["layers"]]
        self.means = np.array(model["preprocessing"]["means"], dtype=np.float32)
        self.deviations = np.array(model["preprocessing"]["deviations"], dtype=np.float32)
        self.classes = model["preprocessing"]["classNames"]

    def probabilities(self, rows):
        """Each row (in the data's units) standardised, then through the layers."""
        x = (np.asarray(rows, dtype=np.float32) - self.means) / self.deviations
        for k, act in enumerate(self.activations, start=1):
            x = x @ self.tensors[f"dense{k}.w"] + self.tensors[f"dense{k}.b"]
            if act == "relu":
                x = np.maximum(x, 0)
            elif act == "tanh":
                x = np.tanh(x)
            elif act == "softmax":
                e = np.exp(x - x.max(axis=1, keepdims=True))
                x = e / e.sum(axis=1, keepdims=True)
        return x
