#!/usr/bin/env bash
# Writing with a GPT (part of `make bench`; never a timed test), side by side in one run:
# `descent bench generate` (256 symbols, greedy, one sequence, with and without the KV cache,
# gpt-nano and a 4-layer width-128 model) and, when `make bench-peers` installed PyTorch, the
# same weights in PyTorch eager at one thread (Benchmarks/generate_peer.py: minGPT's generate,
# and a KV cache), each checked to write Descent's symbols first.
# Usage: Benchmarks/generate-bench.sh [descent binary] [rounds]
set -euo pipefail
BIN=${1:-.build/release/descent}
ROUNDS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DESCENT_BENCH_MODELS=$T "$BIN" bench generate --reps "$ROUNDS" | tee "$T/descent.txt"
PY="$ROOT/.venv-bench/bin/python"
if [ ! -x "$PY" ] || ! "$PY" -c "import torch, safetensors" 2>/dev/null; then
  echo "PyTorch not installed: run make bench-peers for the peer"
  exit 0
fi
echo
echo "| model | PyTorch eager, minGPT generate | PyTorch eager, KV cache | Descent, KV cache | Descent ÷ the faster peer |"
echo "|---|---:|---:|---:|---:|"
for model in gpt-nano gpt-4x128; do
  "$PY" "$ROOT/Benchmarks/generate_peer.py" "$T/$model.safetensors" "$ROUNDS" > "$T/$model.peer"
  ours=$(grep "model=$model " "$T/descent.txt" | sed 's/.*cached_tokens_per_s=\([0-9]*\).*/\1/')
  python3 - "$T/$model.peer" "$model" "$ours" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
ours = float(sys.argv[3])
cells = [f"{r['tokens_per_s']:,.0f} tokens/s" + ("" if r["same"] else " (other symbols!)") for r in rows]
best = max(r["tokens_per_s"] for r in rows)
print(f"| {sys.argv[2]} | {cells[0]} | {cells[1]} | {ours:,.0f} tokens/s | {ours / best:.1f}x |")
PY
done
