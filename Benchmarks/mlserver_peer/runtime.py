"""MLServer (Seldon's reference Python implementation of the Open Inference Protocol) serving
the same iris MLP as Descent, read from Descent's safetensors file with its standardisation, in
numpy (Benchmarks/descent_mlp.py, copied beside this file): the peer for v2 inference in
Benchmarks/serve-bench.sh. model-settings.json names this class; the file is `parameters.uri`.
"""
import numpy as np
from mlserver import MLModel
from mlserver.codecs import NumpyCodec, StringCodec
from mlserver.types import InferenceRequest, InferenceResponse

from descent_mlp import DescentMLP


class DescentMLPRuntime(MLModel):
    async def load(self) -> bool:
        self.model = DescentMLP(self.settings.parameters.uri)
        return True

    async def predict(self, payload: InferenceRequest) -> InferenceResponse:
        p = self.model.probabilities(NumpyCodec.decode_input(payload.inputs[0]))
        classes = [self.model.classes[int(k)] for k in p.argmax(axis=1)]
        return InferenceResponse(model_name=self.name, outputs=[
            StringCodec.encode_output("class", classes),
            NumpyCodec.encode_output("probabilities", p.astype(np.float32)),
        ])
