"""The model server a learner of the source documents would write: FastAPI + uvicorn (one
worker) + numpy, serving the same weights as Descent (read from Descent's safetensors file,
with its standardisation), answering the same JSON. Used by Benchmarks/serve-bench.sh.

    python fastapi_peer.py MODEL.safetensors PORT
"""
import sys

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

from descent_mlp import DescentMLP

path, port = sys.argv[1], int(sys.argv[2])
model = DescentMLP(path)
app = FastAPI()


class PredictRequest(BaseModel):
    inputs: list[list[float]]


@app.post("/v1/predict")
def predict(request: PredictRequest):
    p = model.probabilities(request.inputs)
    return {"predictions": [{"class": model.classes[int(row.argmax())],
                             "probabilities": dict(zip(model.classes, map(float, row)))} for row in p]}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=port, workers=1, log_level="warning")
