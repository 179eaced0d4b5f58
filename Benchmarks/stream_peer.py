"""The GPT server a learner would write next: FastAPI + uvicorn (one worker) + PyTorch (eager,
one thread) generating from the same gpt-nano weights as Descent (read from Descent's
safetensors file), streaming OpenAI-style server-sent events from POST /v1/completions. The peer
for streaming in Benchmarks/serve-bench.sh; `--check PROMPT N` prints N greedy characters instead
of serving, so the bench can confirm both servers write the same text.

    python stream_peer.py MODEL.safetensors PORT
    python stream_peer.py MODEL.safetensors --check th 40
"""
import json
import sys
import time

import torch
from safetensors import safe_open
from safetensors.torch import load_file

from gpt_torch import build

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
path = sys.argv[1]
weights = load_file(path)
with safe_open(path, framework="pt") as f:
    card = json.loads(f.metadata()["descent"])
vocabulary = card["preprocessing"]["schema"]["form"]["symbols"]["vocabulary"]
block, width = weights["tokens1.p"].shape
blocks = sorted({k.split(".")[0] for k in weights if k.startswith("block")}, key=lambda b: int(b[5:]))
heads = next(layer["transformerBlock"]["heads"] for layer in card["architecture"]["layers"] if "transformerBlock" in layer)


model = build(weights, len(blocks), heads)


@torch.no_grad()
def next_id(ids, temperature, generator):
    logits = model(torch.tensor([ids[-block:]]))[0, -1]
    if temperature == 0:
        return int(logits.argmax())
    p = torch.softmax(logits / temperature, dim=-1)
    return int(torch.multinomial(p, 1, generator=generator))


if len(sys.argv) > 2 and sys.argv[2] == "--check":
    ids = [vocabulary.index(c) for c in sys.argv[3]]
    for _ in range(int(sys.argv[4])):
        ids.append(next_id(ids, 0, None))
    print("".join(vocabulary[i] for i in ids[len(sys.argv[3]):]))
    sys.exit(0)

import uvicorn  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.responses import StreamingResponse  # noqa: E402
from pydantic import BaseModel  # noqa: E402

app = FastAPI()


class Completion(BaseModel):
    model: str
    prompt: str
    max_tokens: int = 16
    temperature: float = 1.0
    stream: bool = False
    seed: int | None = None


@app.post("/v1/completions")
def complete(request: Completion):
    generator = torch.Generator().manual_seed(request.seed if request.seed is not None else int(time.time_ns()))
    ids = [vocabulary.index(c) for c in request.prompt]

    def events():
        for _ in range(request.max_tokens):
            ids.append(next_id(ids, request.temperature, generator))
            chunk = {"id": "cmpl-peer", "object": "text_completion", "model": request.model,
                     "choices": [{"index": 0, "text": vocabulary[ids[-1]], "logprobs": None, "finish_reason": None}]}
            yield f"data: {json.dumps(chunk)}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
