#!/usr/bin/env bash
# The model server under load (part of `make bench`; never a timed test), side by side in one run:
#  1. single-row POST /v1/predict of an iris-sized MLP (4-16-16-3) under wrk, 16 connections,
#     one wrk thread, against FastAPI + uvicorn (one worker) + numpy serving the same weights,
#     and again while a run trains at full pace in the serving session;
#  2. the Open Inference Protocol's POST /v2/models/iris/infer (JSON, one row) against MLServer
#     1.7 (Seldon's reference implementation) with a numpy runtime on the same weights
#     (Benchmarks/mlserver_peer), idle and while the session trains;
#  3. streamed completions: 16 streams at once of 64 tokens each from a gpt-nano trained on
#     `data words`, against FastAPI + PyTorch (eager, one thread) generating from the same weights
#     (Benchmarks/stream_peer.py; both write the same greedy text, checked first): tokens/s and
#     the time to first token (Benchmarks/stream_load.c), on kept connections (as the openai
#     package's client keeps them) and with a new connection per stream.
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
"$BIN" --headless > "$T/words.log" 2>&1 <<COMMANDS
seed 2
data words
model gpt
optimizer adam lr=0.002
batch 64
train epochs=3
save $T/words
COMMANDS
grep -q "saved $T/words" "$T/words.log" || { cat "$T/words.log"; exit 1; }

cat > "$T/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"inputs": [[5.1, 3.5, 1.4, 0.2]]}'
wrk.headers["Content-Type"] = "application/json"
LUA

cat > "$T/v2.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [5.1, 3.5, 1.4, 0.2]}]}'
wrk.headers["Content-Type"] = "application/json"
LUA

# wrk's requests/s, p50 and p99 (ms) against URL (/v1/predict, or the v2 path as $2).
load() {
  if [ -n "${2:-}" ]; then wrk -t1 -c16 -d"${SECONDS_EACH}s" --latency -s "$T/v2.lua" "$1$2" > "$T/wrk.txt"
  else wrk -t1 -c16 -d"${SECONDS_EACH}s" --latency -s "$T/post.lua" "$1/v1/predict" > "$T/wrk.txt"; fi
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
read -r V_RPS V_P50 V_P99 V_BAD < <(load "$URL" /v2/models/iris/infer)
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
  load "$URL" "${2:-}"
  kill "${PIDS[-1]}" 2>/dev/null || true
  exec 3>&-
}
read -r T_RPS T_P50 T_P99 T_BAD < <(during "train epochs=1000000")
read -r VT_RPS VT_P50 VT_P99 VT_BAD < <(during "train epochs=1000000" /v2/models/iris/infer)
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

# 4. MLServer 1.7 with a numpy runtime (its own virtual environment: its pins clash with the
# FastAPI peer's), parallel_workers 0: its worker processes fail to start under Python 3.11
# ("There is no current event loop"), and in-process inference is its fastest path anyway.
MLS="$ROOT/.venv-mlserver"
if [ ! -x "$MLS/bin/mlserver" ]; then
  python3 -m venv "$MLS" && "$MLS/bin/pip" install -q --disable-pip-version-check "mlserver==1.7.*" numpy safetensors >/dev/null 2>&1 \
    || echo "serve-bench: MLServer could not be installed from PyPI"
fi
M_RPS=""
if [ -x "$MLS/bin/mlserver" ]; then
  mkdir -p "$T/mlserver/iris"
  cp "$ROOT/Benchmarks/mlserver_peer/runtime.py" "$ROOT/Benchmarks/descent_mlp.py" "$T/mlserver/"
  echo '{"http_port": 18432, "grpc_port": 18433, "metrics_port": 18434, "parallel_workers": 0}' > "$T/mlserver/settings.json"
  echo "{\"name\": \"iris\", \"implementation\": \"runtime.DescentMLPRuntime\", \"parameters\": {\"uri\": \"$T/iris.safetensors\"}}" \
    > "$T/mlserver/iris/model-settings.json"
  (cd "$T/mlserver" && exec "$MLS/bin/mlserver" start . > "$T/mlserver.out" 2>&1) & PIDS+=($!)
  for _ in $(seq 1 150); do curl -sf http://127.0.0.1:18432/v2/models/iris/ready >/dev/null 2>&1 && break; sleep 0.2; done
  read -r M_RPS M_P50 M_P99 M_BAD < <(load "http://127.0.0.1:18432" /v2/models/iris/infer)
  kill "${PIDS[-1]}" 2>/dev/null || true; wait "${PIDS[-1]}" 2>/dev/null || true
  MLSERVER_VERSION=$("$MLS/bin/pip" show mlserver 2>/dev/null | awk '/^Version/ { print $2 }')
fi

# 5. Streams: descent serve against FastAPI + PyTorch on the same gpt-nano weights, measured by
# a client in C (a Python asyncio client took a third of a core and measured its own turns).
S_TPS=""
"${CC:-cc}" -O2 -o "$T/stream_load" "$ROOT/Benchmarks/stream_load.c" 2>/dev/null || clang -O2 -o "$T/stream_load" "$ROOT/Benchmarks/stream_load.c"
"$BIN" serve "$T/words" --port 0 > "$T/serve.out" 2>&1 & PIDS+=($!)
for _ in $(seq 1 100); do grep -q "http://" "$T/serve.out" && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$T/serve.out")
wait_for "$URL"
GREEDY=$(curl -s "$URL/v1/completions" -d '{"model": "words", "prompt": "th", "max_tokens": 40, "temperature": 0}' \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["choices"][0]["text"])')
read -r S_TPS S_P50 S_P99 S_BAD < <("$T/stream_load" "${URL#http://}" words 16 64 "$SECONDS_EACH" keep-alive)
read -r SC_TPS SC_P50 SC_P99 SC_BAD < <("$T/stream_load" "${URL#http://}" words 16 64 "$SECONDS_EACH")
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
P_TPS=""
if [ -x "$PY" ] && "$PY" -c "import fastapi, uvicorn, safetensors, torch" 2>/dev/null; then
  PEER_GREEDY=$("$PY" "$ROOT/Benchmarks/stream_peer.py" "$T/words.safetensors" --check th 40)
  [ "$PEER_GREEDY" = "$GREEDY" ] && SAME="both write the same greedy text after \"th\" (\"$GREEDY\")" \
    || SAME="WARNING: the greedy texts differ: descent \"$GREEDY\", the peer \"$PEER_GREEDY\""
  "$PY" "$ROOT/Benchmarks/stream_peer.py" "$T/words.safetensors" 18435 > "$T/stream-peer.out" 2>&1 & PIDS+=($!)
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:18435/docs" && break; sleep 0.2; done
  read -r P_TPS P_P50 P_P99 P_BAD < <("$T/stream_load" 127.0.0.1:18435 words 16 64 "$SECONDS_EACH" keep-alive)
  read -r PC_TPS PC_P50 PC_P99 PC_BAD < <("$T/stream_load" 127.0.0.1:18435 words 16 64 "$SECONDS_EACH")
  kill "${PIDS[-1]}" 2>/dev/null || true
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

echo
echo "| server (single-row POST /v2/models/iris/infer, JSON, wrk -t1 -c16 -d${SECONDS_EACH}s) | requests/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"
echo "| descent serve | $V_RPS | $V_P50 ms | $V_P99 ms | $V_BAD |"
echo "| the session's server while the served model trains on (iris) at full pace | $VT_RPS | $VT_P50 ms | $VT_P99 ms | $VT_BAD |"
if [ -n "$M_RPS" ]; then
  echo "| MLServer $MLSERVER_VERSION (numpy runtime, parallel_workers 0) | $M_RPS | $M_P50 ms | $M_P99 ms | $M_BAD |"
  awk -v d="$V_RPS" -v t="$VT_RPS" -v m="$M_RPS" 'BEGIN { printf "\nratio to MLServer: %.1fx idle, %.1fx while training (goal: 20x; p99 goal 2 ms)\n", d / m, t / m }'
fi

echo
echo "| server (16 streams at once, 64 tokens each, gpt-nano on words, ${SECONDS_EACH}s) | connections | tokens/s | first token p50 | p99 | failed streams |"
echo "|---|---|---:|---:|---:|---:|"
echo "| descent serve (/v1/completions, stream: true) | kept | $S_TPS | $S_P50 ms | $S_P99 ms | $S_BAD |"
echo "| the same | one per stream | $SC_TPS | $SC_P50 ms | $SC_P99 ms | $SC_BAD |"
if [ -n "$P_TPS" ]; then
  echo "| FastAPI + uvicorn (1 worker) + PyTorch eager (1 thread) | kept | $P_TPS | $P_P50 ms | $P_P99 ms | $P_BAD |"
  echo "| the same | one per stream | $PC_TPS | $PC_P50 ms | $PC_P99 ms | $PC_BAD |"
  awk -v d="$S_TPS" -v p="$P_TPS" -v dc="$SC_TPS" -v pc="$PC_TPS" \
    'BEGIN { printf "\nratio to FastAPI + PyTorch: %.1fx tokens/s kept, %.1fx one connection per stream (goal: 10x; first token p99 goal 5 ms)\n", d / p, dc / pc }'
  echo "$SAME"
fi
