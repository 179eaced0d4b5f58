#!/usr/bin/env bash
# The model server under load (part of `make bench`; never a timed test): single-row
# POST /v1/predict of an iris-sized MLP (4-16-16-3) under wrk, 16 connections, 10 s, one wrk
# thread, measured side by side with FastAPI + uvicorn (one worker) + numpy serving the same
# weights, and again while a run trains at full pace in the serving session.
# Prints a Markdown table. Usage: Benchmarks/serve-bench.sh [descent binary] [seconds]
set -euo pipefail
BIN=${1:-.build/release/descent}
SECONDS_EACH=${2:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v wrk >/dev/null || { echo "serve-bench: wrk is not installed (apt-get install wrk)"; exit 1; }
T=$(mktemp -d)
PIDS=()
# Every process started is noted in $T/pids (also from the subshells that measure), and killed
# on any exit: a session left training would spoil every later measurement on the machine.
cleanup() {
  for p in "${PIDS[@]:-}" $(cat "$T/pids" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT

"$BIN" --headless > "$T/train.log" 2>&1 <<COMMANDS
seed 1
data iris
model mlp 16,16
train epochs=200
save $T/iris
COMMANDS
grep -q "saved $T/iris" "$T/train.log" || { cat "$T/train.log"; exit 1; }

cat > "$T/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"inputs": [[5.1, 3.5, 1.4, 0.2]]}'
wrk.headers["Content-Type"] = "application/json"
LUA

# wrk's requests/s, p50 and p99 (ms) against URL.
load() {
  wrk -t1 -c16 -d"${SECONDS_EACH}s" --latency -s "$T/post.lua" "$1/v1/predict" > "$T/wrk.txt"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.2f %.2f %s\n", rps, p50, p99, (bad == "" ? 0 : bad) }' "$T/wrk.txt"
}

wait_for() { for _ in $(seq 1 100); do curl -sf "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# 1. descent serve, idle machine.
"$BIN" serve "$T/iris" --port 0 > "$T/serve.out" 2>&1 & PIDS+=($!)
for _ in $(seq 1 100); do grep -q "http://" "$T/serve.out" && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$T/serve.out")
wait_for "$URL"
read -r D_RPS D_P50 D_P99 D_BAD < <(load "$URL")
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

# 2. The same model served by a session that trains at full pace meanwhile: (a) the served
# model itself (iris: 4 updates an epoch, so the session's thread also takes in ~25,000 epoch
# reports a second), (b) a CNN on digits, a run of the size a learner waits for.
during() {
  rm -f "$T/in"; mkfifo "$T/in"
  "$BIN" --headless < "$T/in" > "$T/session.out" 2>&1 & PIDS+=($!)
  echo "${PIDS[-1]}" >> "$T/pids"
  exec 3> "$T/in"
  printf 'load %s\nserve port=0\n%s\n' "$T/iris" "$1" >&3
  for _ in $(seq 1 100); do grep -q "serving run" "$T/session.out" && break; sleep 0.1; done
  URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$T/session.out" | head -1)
  wait_for "$URL"
  sleep 1
  grep -q "^run " "$T/session.out" || { echo "serve-bench: the run did not start"; cat "$T/session.out"; exit 1; }
  load "$URL"
  kill "${PIDS[-1]}" 2>/dev/null || true
  exec 3>&-
}
read -r T_RPS T_P50 T_P99 T_BAD < <(during "train epochs=1000000")
read -r C_RPS C_P50 C_P99 C_BAD < <(during "$(printf 'data digits\nmodel cnn\ntrain epochs=100000')")

# 3. FastAPI + uvicorn + numpy, when the peers are installed (make bench-peers).
PY="$ROOT/.venv-bench/bin/python"
if [ -x "$PY" ] && "$PY" -c "import fastapi, uvicorn, safetensors" 2>/dev/null; then
  "$PY" "$ROOT/Benchmarks/fastapi_peer.py" "$T/iris.safetensors" 18431 > "$T/fastapi.out" 2>&1 & PIDS+=($!)
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:18431/docs" && break; sleep 0.2; done
  read -r F_RPS F_P50 F_P99 F_BAD < <(load "http://127.0.0.1:18431")
else
  F_RPS=""
fi

echo
echo "| server (single-row POST /v1/predict, 4-16-16-3, wrk -t1 -c16 -d${SECONDS_EACH}s) | requests/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"
echo "| descent serve | $D_RPS | $D_P50 ms | $D_P99 ms | $D_BAD |"
echo "| the session's server while the served model trains on (iris) at full pace | $T_RPS | $T_P50 ms | $T_P99 ms | $T_BAD |"
echo "| the session's server while a CNN trains on digits at full pace | $C_RPS | $C_P50 ms | $C_P99 ms | $C_BAD |"
if [ -n "$F_RPS" ]; then
  echo "| FastAPI + uvicorn (1 worker) + numpy | $F_RPS | $F_P50 ms | $F_P99 ms | $F_BAD |"
  awk -v d="$D_RPS" -v t="$T_RPS" -v c="$C_RPS" -v f="$F_RPS" 'BEGIN { printf "\nratio to FastAPI: %.1fx idle, %.1fx / %.1fx while training (iris / CNN) (goal: 15x; p99 goal 5 ms)\n", d / f, t / f, c / f }'
else
  echo
  echo "FastAPI peer not installed: run make bench-peers to compare"
fi
