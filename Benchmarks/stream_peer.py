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
from torch import nn

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


def linear(prefix, bias=True):
    w = weights[prefix + ".w"]
    layer = nn.Linear(w.shape[0], w.shape[1], bias=bias)
    layer.weight.data = w.t().contiguous()  # Descent keeps (in, out); PyTorch (out, in)
    if bias:
        layer.bias.data = weights[prefix + ".b"]
    return layer


def norm(prefix):
    layer = nn.LayerNorm(width)
    layer.weight.data, layer.bias.data = weights[prefix + ".g"], weights[prefix + ".b"]
    return layer


class Block(nn.Module):
    def __init__(self, name):
        super().__init__()
        self.ln1, self.ln2 = norm(name + ".ln1"), norm(name + ".ln2")
        self.qkv, self.proj = linear(name + ".attn.qkv"), linear(name + ".attn.proj")
        self.fc, self.out = linear(name + ".mlp.fc"), linear(name + ".mlp.proj")
        self.register_buffer("mask", torch.tril(torch.ones(block, block)).view(1, 1, block, block))

    def forward(self, x):
        n, t, d = x.size()
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (z.view(n, t, heads, d // heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / (k.size(-1) ** 0.5))
        att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf")).softmax(dim=-1)
        x = x + self.proj((att @ v).transpose(1, 2).contiguous().view(n, t, d))
        return x + self.out(nn.functional.gelu(self.fc(self.ln2(x))))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding.from_pretrained(weights["tokens1.w"])
        self.wpe = weights["tokens1.p"]
        self.blocks = nn.Sequential(*[Block(b) for b in blocks])
        self.ln = norm("layernorm1")
        self.head = linear("head1", bias=False)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe[: idx.size(1)]
        return self.head(self.ln(self.blocks(x)))


model = GPT().eval()


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
