"""numpy by hand: W1 and W3 of Descent's benchmark workloads, forward, backward and Adam written
out the way a learner would (float32, the same formulas as Descent's Dense and Adam).

Usage: .venv-bench/bin/python Benchmarks/numpy_peer.py [W1 W3] [--reps 5] [--threads 1]
One warm-up repetition, then timed ones; prints the same `bench NAME ...` line as descent bench.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import WORKLOADS, data, parse_args, rates, report, timed  # noqa: E402

args = parse_args(__doc__.splitlines()[0], ["W1", "W3"])
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)   # before numpy loads OpenBLAS
import numpy as np  # noqa: E402

SHAPES = {"W1": ([784, 256, 128, 10], "relu", "ce"), "W3": ([2, 8, 8, 1], "tanh", "bce")}


class Net:
    def __init__(self, sizes, hidden, loss, rng):
        self.hidden, self.loss = hidden, loss
        self.params = []
        for fan_in, fan_out in zip(sizes, sizes[1:]):
            limit = np.sqrt(6 / fan_in) if hidden == "relu" else np.sqrt(6 / (fan_in + fan_out))
            self.params += [rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32),
                            np.zeros(fan_out, np.float32)]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def step(self, x, y):
        acts = [x]
        layers = len(self.params) // 2
        for i in range(layers):
            z = acts[-1] @ self.params[2 * i] + self.params[2 * i + 1]
            if i < layers - 1:
                z = np.maximum(z, 0) if self.hidden == "relu" else np.tanh(z)
            acts.append(z)
        z, n = acts[-1], x.shape[0]
        if self.loss == "ce":   # softmax cross-entropy from logits, integer labels
            shifted = z - z.max(axis=1, keepdims=True)
            p = np.exp(shifted)
            p /= p.sum(axis=1, keepdims=True)
            loss = -np.log(p[np.arange(n), y] + 1e-30).mean()
            p[np.arange(n), y] -= 1
            dz = p / n
        else:                   # binary cross-entropy from logits
            loss = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
            dz = (1 / (1 + np.exp(-z)) - y) / z.size
        grads = [None] * len(self.params)
        for i in reversed(range(layers)):
            grads[2 * i] = acts[i].T @ dz
            grads[2 * i + 1] = dz.sum(axis=0)
            if i > 0:
                da = dz @ self.params[2 * i].T
                a = acts[i]
                dz = da * (a > 0) if self.hidden == "relu" else da * (1 - a * a)
        self.adam(grads)
        return loss

    def adam(self, grads, lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
        self.t += 1
        c1, c2 = 1 / (1 - b1 ** self.t), 1 / (1 - b2 ** self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= lr * (m * c1) / (np.sqrt(v * c2) + eps)


def run(name):
    batch, n, epochs_per_rep, _ = WORKLOADS[name]
    epochs_per_rep = args.epochs_per_rep or epochs_per_rep
    rng = np.random.default_rng(1)
    x, y = data(name, rng)
    sizes, hidden, loss = SHAPES[name]
    net = Net(sizes, hidden, loss, rng)

    def epochs():
        for _ in range(epochs_per_rep):
            order = rng.permutation(n)
            for start in range(0, n, batch):
                rows = order[start:start + batch]
                net.step(x[rows], y[rows])

    epochs()   # warm-up
    seconds = [timed(epochs) for _ in range(args.reps)]
    params = sum(p.size for p in net.params)
    report("numpy", name, params, args.threads, rates(name, seconds, epochs_per_rep))


for workload in args.workloads:
    run(workload)
