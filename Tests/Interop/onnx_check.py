"""ONNX's own checker and onnxruntime against Descent's `export onnx`: the model passes
`onnx.checker.check_model(full_check=True)`, and onnxruntime's outputs on the validation split
(inputs in the data's own units, from NAME.validation.csv) equal Descent's within 1e-5.

Usage: onnx_check.py NAME...   (each NAME.onnx with NAME.validation.csv beside it)
"""
import csv
import json
import sys
from importlib.metadata import version

import numpy as np
import onnx
import onnxruntime

for name in sys.argv[1:]:
    model = onnx.load(name + ".onnx")
    onnx.checker.check_model(model, full_check=True)
    assert model.opset_import[0].version == 17, model.opset_import
    session = onnxruntime.InferenceSession(name + ".onnx", providers=["CPUExecutionProvider"])
    (source,) = session.get_inputs()
    (target,) = session.get_outputs()
    rows = list(csv.reader(open(name + ".validation.csv")))
    header, rows = rows[0], rows[1:]
    k = sum(h.startswith("descent_") for h in header)
    dtype = np.int64 if source.type == "tensor(int64)" else np.float32
    x = np.array([[float(v) for v in r[: len(header) - k]] for r in rows]).astype(dtype).reshape([len(rows)] + source.shape[1:])
    expected = np.array([[float(v) for v in r[len(header) - k:]] for r in rows], dtype=np.float32)
    got = session.run(None, {source.name: x})[0].reshape(len(rows), -1)
    worst = float(np.max(np.abs(got - expected) / np.maximum(1, np.abs(expected))))
    assert worst <= 1e-5, (name, worst)
    metadata = {p.key: p.value for p in model.metadata_props}
    classes = json.loads(metadata["class_names"]) if "class_names" in metadata else None
    ops = sorted({n.op_type for n in model.graph.node})
    print(f"onnx: {name.split('/')[-1]}.onnx passes onnx {version('onnx')}'s full check; onnxruntime {version('onnxruntime')} "
          f"gives Descent's {target.name} on {len(rows)} validation rows (largest difference {worst:.1e})"
          + (f"; classes {classes[:3]}{'…' if len(classes) > 3 else ''}" if classes else "") + f"; ops: {', '.join(ops)}")
