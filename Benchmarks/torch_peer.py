"""PyTorch (CPU) running Descent's benchmark workloads W1-W6, eagerly or under torch.compile.

Usage: .venv-bench/bin/python Benchmarks/torch_peer.py [W1 ...] [--reps 5] [--threads 1] [--compile]
Same shapes, parameter counts (but W5's: PyTorch's RNN keeps two bias vectors, b_ih and b_hh,
where Keras and Descent keep one, so 1,377 against 1,345 for the same function), batch sizes,
float32 and Adam (PyTorch defaults but the rate: 1e-3, and 5e-4 for the GPT as minGPT's demo) as
`descent bench`; a final sigmoid/softmax is
folded into the loss (BCEWithLogitsLoss, CrossEntropyLoss), as Descent does. Images are NCHW, as
PyTorch's Conv2d wants (the data are the same). W6 is minGPT's gpt-nano written as minGPT writes
it (c_attn, c_proj, a 4x GELU MLP, pre-norm blocks, a head without bias; 85,728 parameters),
without dropout, the unscored targets ignored (ignore_index=-1). Each epoch shuffles with
torch.randperm and slices batches from tensors already in memory (no DataLoader: a learner's
loop, at its fastest). The first epoch is the warm-up (with --compile: tracing and Inductor's C++
compilation); later epochs are timed. With --compile the model is torch.compile'd (Inductor,
default mode: its forward and backward graphs compiled to C++; Adam stays PyTorch's own, as the
tutorials do it); a workload it cannot compile is reported as skipped.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import WORKLOADS, data, parse_args, rates, report  # noqa: E402

COMPILE = "--compile" in sys.argv
if COMPILE:
    sys.argv.remove("--compile")
args = parse_args(__doc__.splitlines()[0], list(WORKLOADS))
os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(args.threads)
torch.set_num_interop_threads(1)


class CausalSelfAttention(nn.Module):
    """minGPT's: one projection to queries, keys and values, heads, a causal mask, a projection."""

    def __init__(self, width, heads, block):
        super().__init__()
        self.c_attn = nn.Linear(width, 3 * width)
        self.c_proj = nn.Linear(width, width)
        self.heads = heads
        self.register_buffer("mask", torch.tril(torch.ones(block, block)).view(1, 1, block, block))

    def forward(self, x):
        n, t, d = x.size()
        q, k, v = self.c_attn(x).split(d, dim=2)
        q, k, v = (z.view(n, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / (k.size(-1) ** 0.5))
        att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf")).softmax(dim=-1)
        return self.c_proj((att @ v).transpose(1, 2).contiguous().view(n, t, d))


class Block(nn.Module):
    def __init__(self, width, heads, block):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = CausalSelfAttention(width, heads, block)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """gpt-nano: 3 blocks, 3 heads, width 48, on minGPT's sort task (vocabulary 3, block 11)."""

    def __init__(self, vocabulary=3, block=11, blocks=3, heads=3, width=48):
        super().__init__()
        self.wte = nn.Embedding(vocabulary, width)
        self.wpe = nn.Embedding(block, width)
        self.h = nn.Sequential(*[Block(width, heads, block) for _ in range(blocks)])
        self.ln_f = nn.LayerNorm(width)
        self.lm_head = nn.Linear(width, vocabulary, bias=False)
        self.register_buffer("positions", torch.arange(block).unsqueeze(0))

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(self.positions[:, :idx.size(1)])
        return self.lm_head(self.ln_f(self.h(x)))


class LastStep(nn.Module):
    """SimpleRNN(32) → Dense(1): the RNN's last hidden state through a linear layer."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(8, 32, nonlinearity="tanh", batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.rnn(x)[0][:, -1])


class MeanOfEmbeddings(nn.Module):
    """Embedding(10000, 16) → GlobalAveragePooling1D → Dense(16, relu) → Dense(1)."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(10_000, 16)
        self.head = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        return self.head(self.embedding(x).mean(dim=1))


def model_for(name):
    """The model, its loss and Adam's rate."""
    if name == "W1":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                             nn.Linear(128, 10)), nn.CrossEntropyLoss(), 1e-3
    if name == "W2":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(13 * 13 * 32, 10)), nn.CrossEntropyLoss(), 1e-3
    if name == "W3":
        return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(),
                             nn.Linear(8, 1)), nn.BCEWithLogitsLoss(), 1e-3
    if name == "W4":
        return MeanOfEmbeddings(), nn.BCEWithLogitsLoss(), 1e-3
    if name == "W5":
        return LastStep(), nn.MSELoss(), 1e-3
    return GPT(), nn.CrossEntropyLoss(ignore_index=-1), 5e-4


def tensors(name):
    x, y = data(name, np.random.default_rng(1))
    if name == "W2":
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))   # NHWC → NCHW
    x = torch.from_numpy(x).long() if name in ("W4", "W6") else torch.from_numpy(x)
    y = torch.from_numpy(y).long() if name in ("W1", "W2", "W6") else torch.from_numpy(y)
    return x, y


def run(name):
    batch, n, epochs_per_rep, _ = WORKLOADS[name]
    epochs_per_rep = args.epochs_per_rep or epochs_per_rep
    torch.manual_seed(1)
    x, y = tensors(name)
    model, loss_fn, rate = model_for(name)
    params = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.Adam(model.parameters(), lr=rate)
    sequence = name == "W6"
    if COMPILE:
        try:
            model = torch.compile(model)
        except Exception as e:   # noqa: BLE001 (any failure to set up compilation: skipped)
            print("bench %s skipped=%s" % (name, type(e).__name__))
            return

    def step(xb, yb):
        optimizer.zero_grad(set_to_none=True)
        out = model(xb)
        loss = loss_fn(out.reshape(-1, out.size(-1)), yb.reshape(-1)) if sequence else loss_fn(out, yb)
        loss.backward()
        optimizer.step()
        return loss

    def epoch():
        order = torch.randperm(n)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            step(x[idx], y[idx])

    try:
        epoch()   # warm-up (and compilation)
    except Exception as e:   # noqa: BLE001
        print("bench %s skipped=%s" % (name, type(e).__name__))
        return
    seconds = []
    for _ in range(args.reps):
        start = time.perf_counter()
        for _ in range(epochs_per_rep):
            epoch()
        seconds.append(time.perf_counter() - start)
    peer = "pytorch-compile" if COMPILE else "pytorch"
    report("%s %s" % (peer, torch.__version__), name, params, args.threads, rates(name, seconds, epochs_per_rep))


for workload in args.workloads:
    run(workload)
