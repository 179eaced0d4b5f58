"""The peer for `descent bench generate` (Benchmarks/generate-bench.sh): PyTorch (eager, one
thread) writing 256 symbols greedily from the same GPT weights Descent wrote with, two ways:
minGPT's `generate` (the whole prefix again for every symbol, as the curriculum's model does it)
and the same model keeping each block's keys and values (a KV cache, as Hugging Face's
`past_key_values` does). Checks that both write Descent's symbols, then prints tokens/s.

    python generate_peer.py MODEL.safetensors [ROUNDS]
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
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
weights = load_file(path)
with safe_open(path, framework="pt") as f:
    meta = f.metadata()
layers, heads, width = int(meta["layers"]), int(meta["heads"]), int(meta["width"])
block, tokens = int(meta["block"]), int(meta["tokens"])
expected = [int(x) for x in meta["written"].split()]


model = build(weights, layers, heads)


@torch.no_grad()
def generate_mingpt():
    idx = torch.zeros(1, 1, dtype=torch.long)
    for _ in range(tokens):
        cond = idx if idx.size(1) <= block else idx[:, -block:]
        logits = model(cond)[:, -1, :]
        idx = torch.cat((idx, logits.argmax(dim=-1, keepdim=True)), dim=1)
    return idx[0, 1:].tolist()


@torch.no_grad()
def generate_cached():
    caches = [[] for _ in range(layers)]
    last, written = torch.zeros(1, 1, dtype=torch.long), []
    for t in range(tokens):
        logits = model(last, start=t, caches=caches)[:, -1, :]
        last = logits.argmax(dim=-1, keepdim=True)
        written.append(int(last))
    return written


for name, fn in (("minGPT generate (whole prefix)", generate_mingpt), ("KV cache", generate_cached)):
    written = fn()
    same = written == expected
    best = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best.append(tokens / (time.perf_counter() - start))
    best.sort()
    print(json.dumps({"peer": name, "tokens_per_s": best[len(best) // 2], "same": same}))
