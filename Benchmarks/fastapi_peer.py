"""The model server a learner of the source documents would write: FastAPI + uvicorn (one
worker) + numpy, serving the same weights as Descent (read from Descent's safetensors file,
with its standardisation), answering the same JSON. Used by Benchmarks/serve-bench.sh.

    python fastapi_peer.py MODEL.safetensors PORT
"""
import json
import sys

import numpy as np
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel
from safetensors import safe_open
from safetensors.numpy import load_file

path, port = sys.argv[1], int(sys.argv[2])
tensors = load_file(path)
with safe_open(path, framework="numpy") as f:
    model = json.loads(f.metadata()["descent"])
layers = [layer["dense"]["activation"] for layer in model["architecture"]["layers"]]
means = np.array(model["preprocessing"]["means"], dtype=np.float32)
deviations = np.array(model["preprocessing"]["deviations"], dtype=np.float32)
classes = model["preprocessing"]["classNames"]

app = FastAPI()


class PredictRequest(BaseModel):
    inputs: list[list[float]]


def forward(x):
    for k, act in enumerate(layers, start=1):
        x = x @ tensors[f"dense{k}.w"] + tensors[f"dense{k}.b"]
        if act == "relu":
            x = np.maximum(x, 0)
        elif act == "tanh":
            x = np.tanh(x)
        elif act == "softmax":
            e = np.exp(x - x.max(axis=1, keepdims=True))
            x = e / e.sum(axis=1, keepdims=True)
    return x


@app.post("/v1/predict")
def predict(request: PredictRequest):
    x = (np.array(request.inputs, dtype=np.float32) - means) / deviations
    p = forward(x)
    return {"predictions": [{"class": classes[int(row.argmax())],
                             "probabilities": dict(zip(classes, map(float, row)))} for row in p]}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=port, workers=1, log_level="warning")
