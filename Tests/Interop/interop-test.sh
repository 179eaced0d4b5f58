#!/usr/bin/env bash
# Descent's files as other programs read them (part of `make test`):
#  1. numpy + Python's `safetensors` read a model Descent saved and compute its outputs to 1e-5;
#  2. a file written by Python's `safetensors` loads in Descent, whose outputs match numpy's;
#  3. the Keras and PyTorch scripts `export` writes compile (python3 -m py_compile).
#  4. `descent serve NAME` answers over HTTP and stops cleanly on SIGTERM and on SIGINT;
#  5. Triton's Python client (tritonclient[http]) talks the Open Inference Protocol to it;
#  6. OpenAI's Python SDK (openai) completes and chats with a served character-level GPT;
#  7. prometheus_client's parser reads /metrics;
#  8. schemathesis tests four served models (a classifier, a text model, a table with a category,
#     a GPT) against the server's own /openapi.json: every phase, 500 examples per operation, all
#     checks (what the document allows is answered, what it forbids is refused, every answer
#     matches it);
#  9. the `tensorboard` package reads `log tensorboard`'s and `export tensorboard`'s files: every
#     scalar at every step equals the run's history, histograms, set-up text, hparams; and
#     `tensorboard --inspect` finds no error in them;
# 10. onnx's full checker and onnxruntime take `export onnx` of every preset (linear, logistic,
#     SVM, MLP, CNN, text classifier, RNN, GPT): outputs equal Descent's on the validation split
#     within 1e-5.
# The packages live in a git-ignored virtual environment (.venv-interop) this script makes;
# when the package index cannot be reached, steps 1-2 are skipped with a notice.
set -euo pipefail
BIN=${1:-.build/debug/descent}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV="$ROOT/.venv-interop"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

"$ROOT/Tests/Interop/export-models.sh" "$BIN" "$T"

for script in "$T"/*.py; do python3 -m py_compile "$script"; done
echo "interop: $(ls "$T"/*.py | wc -l) exported scripts compile"

for signal in TERM INT; do
  "$BIN" serve "$T/mlp-keras" --port 0 > "$T/serve.out" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do grep -q "http://" "$T/serve.out" && break; sleep 0.1; done
  URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$T/serve.out")
  REPLY=$(curl -s "$URL/v1/predict" -d '{"inputs": [[5.1, 3.5, 1.4, 0.2]]}')
  case "$REPLY" in *'"class":"setosa"'*) ;; *) echo "descent serve answered: $REPLY"; kill $SERVER; exit 1;; esac
  kill -$signal $SERVER
  wait $SERVER || { echo "descent serve exited with $? on SIG$signal"; cat "$T/serve.out"; exit 1; }
  grep -q "stopped after 1 request$" "$T/serve.out" || { cat "$T/serve.out"; exit 1; }
done
echo "interop: descent serve answers, and stops cleanly on SIGTERM and SIGINT"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import numpy, safetensors" 2>/dev/null; then
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check numpy safetensors >/dev/null 2>&1 \
    || { echo "interop: NOTICE: numpy and safetensors could not be installed from PyPI; the safetensors checks are skipped"; exit 0; }
fi
if ! "$VENV/bin/python" -c "import tritonclient.http, openai, prometheus_client, schemathesis, tensorboard, onnx, onnxruntime" 2>/dev/null; then
  "$VENV/bin/pip" install -q --disable-pip-version-check "tritonclient[http]" openai prometheus_client schemathesis tensorboard \
    onnx onnxruntime >/dev/null 2>&1 \
    || { echo "interop: the Python clients (tritonclient[http], openai, prometheus_client, schemathesis, tensorboard, onnx," \
              "onnxruntime) could not be installed from PyPI"; exit 1; }
fi
PY="$VENV/bin/python"
$PY "$ROOT/Tests/Interop/check_safetensors.py" read "$T/mlp-keras.safetensors" "$T/mlp-keras.csv"
$PY "$ROOT/Tests/Interop/check_safetensors.py" write "$T/mlp-keras.safetensors" "$T/python.safetensors" "$T/expected.csv" "$T/mlp-keras.csv"
"$BIN" --headless > "$T/log2" 2>&1 <<COMMANDS || { cat "$T/log2"; exit 1; }
load $T/python
export keras $T/after.py
COMMANDS
if grep -q "^error" "$T/log2"; then cat "$T/log2"; exit 1; fi
$PY "$ROOT/Tests/Interop/check_safetensors.py" match "$T/expected.csv" "$T/after.csv"
echo "interop: Python reads Descent's safetensors and Descent reads Python's"

"$BIN" serve "$T/mlp-keras" --port 0 > "$T/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do grep -q "http://" "$T/serve.out" && break; sleep 0.1; done
ADDRESS=$(grep -o 'http://[0-9.]*:[0-9]*' "$T/serve.out" | sed 's|http://||')
"$VENV/bin/python" "$ROOT/Tests/Interop/oip_client.py" "$ADDRESS" mlp-keras || { kill $SERVER; cat "$T/serve.out"; exit 1; }
"$VENV/bin/python" "$ROOT/Tests/Interop/metrics_client.py" "$ADDRESS" || { kill $SERVER; cat "$T/serve.out"; exit 1; }
kill -TERM $SERVER
wait $SERVER || true

"$BIN" --headless > "$T/words.log" 2>&1 <<COMMANDS || { cat "$T/words.log"; exit 1; }
seed 2
data words
model gpt layers=1
batch 64
train epochs=1
save $T/words
COMMANDS
"$BIN" serve "$T/words" --port 0 > "$T/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do grep -q "http://" "$T/serve.out" && break; sleep 0.1; done
ADDRESS=$(grep -o 'http://[0-9.]*:[0-9]*' "$T/serve.out" | sed 's|http://||')
"$VENV/bin/python" "$ROOT/Tests/Interop/openai_client.py" "$ADDRESS" words || { kill $SERVER; cat "$T/serve.out"; exit 1; }
kill -TERM $SERVER
wait $SERVER || true

{ echo "size,colour,kind"; for i in $(seq 0 59); do
    echo "$((i % 7)),$(case $((i % 3)) in 0) echo red;; 1) echo blue;; *) echo 7;; esac),$(( (i + i / 3) % 2 == 0 ? 1 : 0 ))"; done; } > "$T/table.csv"
"$BIN" --headless > "$T/table.log" 2>&1 <<COMMANDS || { cat "$T/table.log"; exit 1; }
seed 3
data csv $T/table.csv label=kind
model mlp 4
train epochs=2
save $T/table
COMMANDS
"$BIN" serve "$T/mlp-keras" "$T/text-keras" "$T/table" "$T/words" --port 0 > "$T/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do grep -q "http://" "$T/serve.out" && break; sleep 0.1; done
ADDRESS=$(grep -o 'http://[0-9.]*:[0-9]*' "$T/serve.out" | sed 's|http://||')
"$VENV/bin/schemathesis" run "http://$ADDRESS/openapi.json" --checks all --max-examples 500 --no-color > "$T/schemathesis.txt" 2>&1 \
  || { tail -80 "$T/schemathesis.txt"; kill $SERVER; exit 1; }
kill -TERM $SERVER
wait $SERVER || true
echo "interop: schemathesis: $(grep -o '[0-9]* generated, [0-9]* passed' "$T/schemathesis.txt") against /openapi.json ($(grep -o 'Tested: [0-9]*' "$T/schemathesis.txt" | head -1) operations)"

"$BIN" --headless > "$T/tb.log" 2>&1 <<COMMANDS || { cat "$T/tb.log"; exit 1; }
seed 3
data iris
model mlp 8
optimizer momentum lr=0.05
log tensorboard $T/logs
train epochs=12 name=mom
export metrics $T/mom.csv
export tensorboard $T/exported
data digits
model cnn
train epochs=1
COMMANDS
if grep -q "^error" "$T/tb.log"; then cat "$T/tb.log"; exit 1; fi
$PY "$ROOT/Tests/Interop/tensorboard_check.py" "$T/logs" "$T/logs/run-1-mom" "$T/mom.csv" 0.05
$PY "$ROOT/Tests/Interop/tensorboard_check.py" "$T/exported" "$T/exported/run-1-mom" "$T/mom.csv" 0.05 --exported
"$VENV/bin/tensorboard" --inspect --logdir "$T/logs" > "$T/inspect.txt" 2>&1
if grep -qiE "error|corrupt|outoforder_steps +\[[0-9]" "$T/inspect.txt" || ! grep -q "run-2" "$T/inspect.txt"; then
  cat "$T/inspect.txt"; exit 1
fi
echo "interop: tensorboard --inspect reads both runs' logs (the CNN's too) and finds no error"

# Every preset: data | model | epochs | name.
PRESETS=("linear|linear|5|linear" "circle|logistic|10|logistic" "moons|svm|5|svm" "iris|mlp 16,8 act=tanh|20|mlp"
         "digits|cnn|1|cnn" "reviews n=400|textcls|2|text" "sequence n=200|rnn|2|rnn" "words|gpt|1|gpt"
         "repeat n=2000|gpt attention-only layers=2 heads=2 width=32|1|induction")
{ echo "seed 7"; echo "batch 64"
  for preset in "${PRESETS[@]}"; do
    IFS='|' read -r data model epochs name <<< "$preset"
    printf 'data %s\nmodel %s\ntrain epochs=%s\nexport onnx %s\n' "$data" "$model" "$epochs" "$T/$name"
  done; } | "$BIN" --headless > "$T/onnx.log" 2>&1 || { cat "$T/onnx.log"; exit 1; }
if grep -q "^error" "$T/onnx.log"; then cat "$T/onnx.log"; exit 1; fi
$PY "$ROOT/Tests/Interop/onnx_check.py" $(for preset in "${PRESETS[@]}"; do echo "$T/${preset##*|}"; done)
