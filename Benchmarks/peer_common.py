"""Shared parts of the Python peers: workload sizes, synthetic data, timing and the report line.

Every peer prints, per workload, the line Descent's `descent bench` prints:
    bench W1 samples_per_s=81234 peak_rss_mb=60 params=235146 threads=1 min=... max=...
(W3 adds steps_per_s=..., which is the figure compared for W3.)
"""
import argparse
import resource
import statistics
import time

import numpy as np

# name: (batch, samples per epoch, epochs per timed repetition, unit). Must match
# Sources/BenchmarkSuite/Workload+Catalog.swift.
WORKLOADS = {
    "W1": (128, 60_000, 1, "samples"),
    "W2": (32, 6_400, 1, "samples"),
    "W3": (10, 500, 20, "steps"),
    "W4": (32, 12_800, 1, "samples"),
    "W5": (32, 6_400, 1, "samples"),
    "W6": (64, 6_400, 1, "samples"),
}


def parse_args(description, available):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("workloads", nargs="*", default=available,
                        help="workload names (default: %s)" % " ".join(available))
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions after a warm-up")
    parser.add_argument("--threads", type=int, default=1, help="threads the peer may use")
    parser.add_argument("--epochs-per-rep", type=int, default=0,
                        help="override the epochs in one timed repetition (0: the workload's)")
    args = parser.parse_args()
    args.workloads = [w.upper() for w in args.workloads]
    for w in args.workloads:
        if w not in available:
            parser.error("unknown or unsupported workload %s (available: %s)" % (w, " ".join(available)))
    return args


def data(name, rng):
    """Synthetic inputs and targets of the workload's shapes (float32)."""
    n = WORKLOADS[name][1]
    if name == "W1":
        return rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n).astype(np.int32)
    if name == "W2":
        return rng.random((n, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, n).astype(np.int32)
    if name == "W3":   # xor: two uniform features, class 1 where they share a sign
        x = rng.uniform(-1, 1, (n, 2)).astype(np.float32)
        return x, (x[:, 0] * x[:, 1] > 0).astype(np.float32).reshape(n, 1)
    if name == "W4":
        return rng.integers(0, 10_000, (n, 100)).astype(np.int32), rng.integers(0, 2, (n, 1)).astype(np.float32)
    if name == "W5":
        return rng.standard_normal((n, 50, 8), dtype=np.float32), rng.standard_normal((n, 1), dtype=np.float32)
    if name == "W6":   # minGPT's sort: 6 digits of 0..2, then sorted; input s[:-1], target s[1:]
        digits = rng.integers(0, 3, (n, 6))
        s = np.concatenate([digits, np.sort(digits, axis=1)], axis=1)
        x, y = s[:, :-1].astype(np.int32), s[:, 1:].astype(np.int32)
        y[:, :5] = -1   # the problem's positions are not scored
        return x, y
    raise KeyError(name)


def rates(name, seconds, epochs_per_rep):
    """Per repetition: (rate in the workload's unit, samples/s)."""
    batch, n, _, unit = WORKLOADS[name]
    steps = -(-n // batch) * epochs_per_rep
    out = []
    for s in seconds:
        samples = n * epochs_per_rep / s
        out.append((steps / s if unit == "steps" else samples, samples))
    return out


def report(peer, name, params, threads, rate_pairs):
    unit = WORKLOADS[name][3]
    main = [r for r, _ in rate_pairs]
    samples = [s for _, s in rate_pairs]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = "bench %s" % name
    if unit == "steps":
        line += " steps_per_s=%d" % round(statistics.median(main))
    line += " samples_per_s=%d peak_rss_mb=%d params=%d threads=%d min=%d max=%d" % (
        round(statistics.median(samples)), round(peak), params, threads, round(min(main)), round(max(main)))
    print("%s %s: %d parameters, %d timed repetitions" % (peer, name, params, len(main)))
    print(line, flush=True)


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
