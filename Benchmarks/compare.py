#!/usr/bin/env python3
"""Descent against its peers, pair by pair: the tables of issues 6 and 23.

For each workload and each of --pairs rounds, runs `descent bench W` (the bare loop), then
`descent bench learner-W` (the same workload through `train`, as a learner runs it), then
Keras-JAX, PyTorch eager, PyTorch under torch.compile, numpy (W1, W3) and the plain C + OpenBLAS
reference (W1) right after it, so machine noise hits neighbours alike; each ratio is Descent/peer
within one round, and the tables show medians of rates and of the round ratios. With --threads 1
every tool but the learner's path runs pinned to the same single CPU; the learner's path runs as
`train` does, its updates on one thread (`ThreadBudget`: one on fewer than 4 CPUs) and the
interpreter and screen on the other CPU. Needs no packages itself (standard library only); the
peers run in .venv-bench (Benchmarks/setup-peers.sh) and are skipped when it is missing.

Usage: python3 Benchmarks/compare.py [W1 W3 ...] [--pairs 5] [--reps 3] [--threads 1]
                                     [--descent .build/release/descent] [--markdown FILE]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = os.path.join(ROOT, ".venv-bench", "bin", "python")
# Peers may drop these (set on some processors for old OpenBLAS builds) in their own command only.
PEER_ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
NUMPY_WORKLOADS = {"W1", "W3"}
PEERS = ["keras-jax", "pytorch", "pytorch-compile", "numpy", "c-openblas"]
TITLES = {"keras-jax": "Keras-JAX", "pytorch": "PyTorch", "pytorch-compile": "torch.compile",
          "numpy": "numpy", "c-openblas": "C + OpenBLAS"}


def parse(output, name):
    """The key=value pairs of the `bench NAME ...` line for `name` (None when absent)."""
    for line in output.splitlines():
        m = re.match(r"^bench (\S+) (.*)$", line)
        if m and m.group(1) == name:
            return dict(kv.split("=", 1) for kv in m.group(2).split() if "=" in kv)
    return None


def cpu_set(threads):
    """The CPUs every tool may use: one fixed CPU at 1 thread. XLA's CPU client starts worker
    threads whatever its flags say (Keras "1 thread" used 153 % CPU here), so only an affinity
    mask makes the 1-thread comparison like for like; the same mask applies to every tool."""
    cpus = sorted(os.sched_getaffinity(0))
    return set(cpus[-threads:]) if threads < len(cpus) else set(cpus)


def run(cmd, env=None, cpus=None):
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, preexec_fn=pin)
    if proc.returncode != 0:
        sys.stderr.write("failed (%d): %s\n%s\n" % (proc.returncode, " ".join(cmd), proc.stderr[-2000:]))
    return proc.stdout


def build_reference():
    out = os.path.join(ROOT, ".build-bench", "w1")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    src = os.path.join(ROOT, "Benchmarks", "reference", "w1.c")
    cmd = ["cc", "-O3", "-fno-math-errno", "-o", out, src, "-lopenblas", "-lm"]
    if subprocess.run(cmd).returncode != 0:
        sys.stderr.write("could not build the C reference: %s\n" % " ".join(cmd))
        return None
    return out


def commands(workload, args, reference):
    """(peer, command, env, bench name) for each peer that runs `workload`."""
    common = ["--reps", str(args.reps), "--threads", str(args.threads)]
    out = []
    if os.path.exists(PY):
        out.append(("keras-jax", [PY, "Benchmarks/keras_peer.py", workload] + common, PEER_ENV, workload))
        out.append(("pytorch", [PY, "Benchmarks/torch_peer.py", workload] + common, PEER_ENV, workload))
        out.append(("pytorch-compile", [PY, "Benchmarks/torch_peer.py", workload, "--compile"] + common, PEER_ENV, workload))
        if workload in NUMPY_WORKLOADS:
            out.append(("numpy", [PY, "Benchmarks/numpy_peer.py", workload] + common, PEER_ENV, workload))
    if workload == "W1" and reference:
        out.append(("c-openblas", [reference, str(args.threads), str(args.reps)], None, "W1_c"))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workloads", nargs="*", default=["W1", "W2", "W3", "W4", "W5", "W6"])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--reps", type=int, default=3, help="timed repetitions inside each run")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--descent", default=os.path.join(ROOT, ".build", "release", "descent"))
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()
    if not os.path.exists(PY):
        print("Peers not installed (run Benchmarks/setup-peers.sh): comparing with C only.")
    reference = build_reference() if shutil.which("cc") else None
    cpus = cpu_set(args.threads)
    rows = []
    for w in [w.upper() for w in args.workloads]:
        key = "steps_per_s" if w == "W3" else "samples_per_s"
        rates = {"descent": [], "train": [], "train-screen": []}
        ratios = {(side, p): [] for side in ("descent", "train") for p in PEERS}
        params = {}
        for round_ in range(args.pairs):
            ours = parse(run([args.descent, "bench", w, "--reps", str(args.reps),
                              "--threads", str(args.threads)], cpus=cpus), w)
            if ours is None or "skipped" in ours:
                print("%s: Descent skipped it (see `descent bench %s`)" % (w, w))
                break
            rates["descent"].append(float(ours[key]))
            params["descent"] = ours.get("params", "?")
            learner = parse(run([args.descent, "bench", "learner-" + w, "--reps", "1"]), "learner")
            if learner is not None:
                rates["train"].append(float(learner["headless"]))
                rates["train-screen"].append(float(learner["screen"]))
            for peer, cmd, env, name in commands(w, args, reference):
                theirs = parse(run(cmd, env, cpus), name)
                if theirs is None or "skipped" in theirs or key not in theirs:
                    continue
                rates.setdefault(peer, []).append(float(theirs[key]))
                ratios[("descent", peer)].append(float(ours[key]) / float(theirs[key]))
                if learner is not None:
                    ratios[("train", peer)].append(float(learner["headless"]) / float(theirs[key]))
                params[peer] = theirs.get("params", "?")
            print("%s round %d: %s" % (w, round_ + 1, "  ".join(
                "%s %.0f" % (p, r[-1]) for p, r in rates.items() if r)), flush=True)
        rows.append((w, key, rates, ratios, params))
    table = render(rows, args)
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)


def render(rows, args):
    def cell(xs):
        return "%.0f" % statistics.median(xs) if xs else "—"

    def ratio(xs):
        return "%.2fx" % statistics.median(xs) if xs else "—"

    lines = ["| workload | unit | Descent (bare loop) | Descent `train` | `train` on the screen | "
             + " | ".join(TITLES[p] for p in PEERS) + " | parameters (Descent / peers) |",
             "|---|---|---:|---:|---:|" + "---:|" * len(PEERS) + "---|"]
    for w, key, rates, ratios, params in rows:
        unit = "steps/s" if key == "steps_per_s" else "samples/s"
        peers_params = ", ".join("%s %s" % (p, params[p]) for p in PEERS if p in params)
        lines.append("| %s | %s | %s | %s | %s | %s | %s / %s |" % (
            w, unit, cell(rates["descent"]), cell(rates["train"]), cell(rates["train-screen"]),
            " | ".join(cell(rates.get(p, [])) for p in PEERS), params.get("descent", "—"), peers_params or "—"))
    lines += ["", "| workload | " + " | ".join("bare/%s | `train`/%s" % (TITLES[p], TITLES[p]) for p in PEERS) + " |",
              "|---|" + "---:|" * (2 * len(PEERS))]
    for w, key, rates, ratios, params in rows:
        lines.append("| %s | %s |" % (w, " | ".join("%s | %s" % (ratio(ratios[("descent", p)]), ratio(ratios[("train", p)]))
                                                   for p in PEERS)))
    note = ("\nMedians of %d interleaved rounds, %d OpenBLAS/XLA/PyTorch thread(s) on CPUs %s (the learner's path: "
            "its updates on one thread, unpinned), %d timed repetitions per run; ratios are medians of the per-round "
            "ratios; — where a peer does not run the workload.\n"
            % (args.pairs, args.threads, ",".join(map(str, sorted(cpu_set(args.threads)))), args.reps))
    return "\n".join(lines) + "\n" + note


if __name__ == "__main__":
    main()
