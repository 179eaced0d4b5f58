#!/usr/bin/env bash
# The BLAS libraries Debian ships for this CPU, side by side on W1's eight products per update
# (Benchmarks/reference/blas-w1.c), one thread each, pinned to one CPU, interleaved round by
# round. Installs what is missing (OpenBLAS is Descent's own; BLIS and ATLAS are for the
# comparison only: Descent links OpenBLAS by name, whatever libblas.so.3 points to).
# Usage: Benchmarks/blas-compare.sh [rounds=5]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-5}"
out="$root/.build-bench/blas"
mkdir -p "$out"
lib=/usr/lib/x86_64-linux-gnu
missing=()
for package in libopenblas-dev libblis-dev libblis4-serial libatlas-base-dev; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]}"
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi
src="$root/Benchmarks/reference/blas-w1.c"
declare -A link=(
    [openblas]="-DOPENBLAS -lopenblas"
    [blis]="$lib/blis-serial/libblis.so.4"
    [atlas]="$lib/libcblas.so.3 $lib/libatlas.so.3"
)
for name in openblas blis atlas; do
    # shellcheck disable=SC2086
    cc -O2 -DLIBRARY="\"$name\"" -o "$out/blas-$name" "$src" ${link[$name]} -lm
done
cpu="$(python3 -c 'import os; print(max(os.sched_getaffinity(0)))')"
echo "W1's products (1,007,104 FLOP a sample), batch 128, one thread on CPU $cpu, $rounds interleaved rounds:"
for round in $(seq "$rounds"); do
    for name in openblas blis atlas; do
        taskset -c "$cpu" "$out/blas-$name" 3 300
    done
done | python3 -c '
import re, statistics, sys
runs = {}
for line in sys.stdin:
    m = re.match(r"bench blas-w1 library=(\S+) gflops=(\S+) updates_per_s=(\S+) samples_per_s=(\S+)", line)
    if m:
        runs.setdefault(m.group(1), []).append((float(m.group(2)), float(m.group(4))))
best = max(statistics.median(g for g, _ in r) for r in runs.values())
print("| library | GFLOP/s (median) | min–max | samples/s of products alone | vs the fastest |")
print("|---|---:|---:|---:|---:|")
for name, r in runs.items():
    g = [x for x, _ in r]
    print("| %s | %.1f | %.1f–%.1f | %.0f | %.2f |" % (name, statistics.median(g), min(g), max(g),
          statistics.median(s for _, s in r), statistics.median(g) / best))
'
