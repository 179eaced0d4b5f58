"""Triton's own Python client (tritonclient[http]) against `descent serve`: the Open Inference
Protocol v2 as a client nobody here wrote speaks it. Binary tensors (the client's default) and
JSON give the same answers as Descent's own /v1/predict.

Usage: oip_client.py HOST:PORT MODEL_NAME
"""
import json
import sys
import urllib.request

import numpy as np
import tritonclient.http as http

address, name = sys.argv[1], sys.argv[2]
client = http.InferenceServerClient(address)
assert client.is_server_live(), "not live"
assert client.is_server_ready(), "not ready"
assert client.is_model_ready(name), "model not ready"
meta = client.get_model_metadata(name)
assert meta["inputs"] == [{"name": "input", "datatype": "FP32", "shape": [-1, 4]}], meta
assert [o["name"] for o in meta["outputs"]] == ["class", "probabilities"], meta

rows = np.array([[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]], dtype=np.float32)
request = urllib.request.Request(f"http://{address}/v1/predict", data=json.dumps({"inputs": rows.tolist()}).encode())
own = json.loads(urllib.request.urlopen(request).read())["predictions"]
classes = list(own[0]["probabilities"].keys())

for binary in (True, False):
    tensor = http.InferInput("input", list(rows.shape), "FP32")
    tensor.set_data_from_numpy(rows, binary_data=binary)
    outputs = [http.InferRequestedOutput("class", binary_data=binary), http.InferRequestedOutput("probabilities", binary_data=binary)]
    result = client.infer(name, [tensor], outputs=outputs)
    labels = [x.decode() if isinstance(x, bytes) else x for x in result.as_numpy("class").reshape(-1)]
    probabilities = result.as_numpy("probabilities")
    assert probabilities.dtype == np.float32 and probabilities.shape == (3, 3), probabilities
    for row, mine in enumerate(own):
        assert labels[row] == mine["class"], (labels, own)
        expected = np.array([mine["probabilities"][c] for c in classes], dtype=np.float32)
        assert np.array_equal(probabilities[row], expected), (probabilities[row], expected)
    # The client's defaults: binary input, outputs unnamed (binary_data_output: true).
    if binary:
        plain = http.InferInput("input", list(rows.shape), "FP32")
        plain.set_data_from_numpy(rows)
        default = client.infer(name, [plain])
        assert np.array_equal(default.as_numpy("probabilities"), probabilities)

try:
    client.infer("nosuch", [tensor])
    raise AssertionError("an unknown model was answered")
except http.InferenceServerException as error:
    assert "no model named nosuch" in str(error), error
from importlib.metadata import version
print("oip: tritonclient", version("tritonclient"), "reads metadata and infers in binary and JSON; answers equal /v1/predict")
