#!/usr/bin/env bash
# Real-terminal test: runs the assembled `descent` inside tmux, types a short session as a
# learner would, and checks what the screen shows with `tmux capture-pane`.
# Usage: Tests/Terminal/screen-test.sh [path/to/descent]     (run by `make test`)
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/descent}
SOCKET=descent-test-$$
HOME_DIR=$(mktemp -d)
PASSED=0 FAILED=0
tm() { tmux -L "$SOCKET" "$@"; }
cleanup() { tm kill-server 2>/dev/null; rm -rf "$HOME_DIR"; }
trap cleanup EXIT

screen() { tm capture-pane -p -t t; }
check() {   # check NAME COMMAND... : one assertion
  local name=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "ok    $name"
  else FAILED=$((FAILED + 1)); echo "FAIL  $name"; echo "---- screen:"; screen; echo "----"; fi
}
shows() { screen 2>/dev/null | grep -qF -- "$1"; }
wait_for() {  # wait_for TEXT SECONDS
  local deadline=$((SECONDS + ${2:-20}))
  while [ $SECONDS -lt $deadline ]; do shows "$1" && return 0; sleep 0.2; done
  return 1
}
type_line() { tm send-keys -t t -l "$1"; tm send-keys -t t Enter; sleep 0.3; }
start() {   # start ARGS WIDTH HEIGHT: a fresh tmux server running descent (retried: a server
            # that was just killed can still be going away)
  tm kill-server 2>/dev/null
  for _ in 1 2 3 4 5; do
    sleep 0.3
    tm new-session -d -s t -x "${2:-120}" -y "${3:-40}" \
      "env HOME=$HOME_DIR TERM=xterm-256color LANG=C.UTF-8 $BIN $1; echo EXIT=\$?; sleep 60" 2>/dev/null && return 0
  done
  echo "tmux would not start"; return 1
}

[ -x "$BIN" ] || { echo "no executable at $BIN (build first)"; exit 1; }
command -v tmux >/dev/null || { echo "tmux is not installed"; exit 1; }

# 1. Start at 120x40 on the welcome lesson.
start "" 120 40
check "screen starts with the lesson open" wait_for "Lesson Welcome to Descent" 15
check "all panes are drawn" bash -c "$(declare -f screen tm shows); SOCKET=$SOCKET; shows '┌ Data' && shows '┌ Loss' && shows '┌ Model' && shows '┌ Evaluate' && shows '▶ REPL'"

# 2. A short session: data, model, train, change lr while it trains, step, confusion.
type_line "data spiral"
type_line "model mlp 8,8 act=tanh"
check "data pane shows the spiral" wait_for "Data: spiral  400 pts" 5
check "model pane lists the layers" wait_for "Dense 8→1 sigmoid" 5
type_line "train epochs=40"
check "status says training" wait_for "▶ training" 10
sleep 1
type_line "set lr 0.005"
check "the lr change is echoed" wait_for "lr 0.01 → 0.005 (applied at update" 10
check "the loss chart marks the change" wait_for "▲lr=0.005" 10
check "the run finishes" wait_for "✓ finished" 30
check "the loss chart is not empty" bash -c "$(declare -f screen tm); SOCKET=$SOCKET; screen | sed -n '2,12p' | cut -c 61-120 | LC_ALL=C.UTF-8 grep -qP '[\\x{2801}-\\x{28FF}]'"
type_line "step 2"
check "step explains the watched weight" wait_for "update 402 · dense1.w[1,1]:" 10
type_line "show confusion"
check "the evaluation pane shows the confusion matrix" wait_for "Evaluate: confusion (val)" 5
check "with precision, recall and F1" wait_for "macro" 5

# 3. Tab completion and the keymap.
tm send-keys -t t -l "optim"; tm send-keys -t t Tab; sleep 0.4
check "Tab completes a command" wait_for "descent> optimizer" 5
tm send-keys -t t C-a C-k; sleep 0.2
tm send-keys -t t F1; sleep 0.4
check "F1 shows the keymap" wait_for "Keys (F1 closes)" 5
tm send-keys -t t F1; sleep 0.3

# 4. Resize to 80x24 and back: everything redraws.
tm resize-window -t t -x 80 -y 24; sleep 0.6
check "80x24 still shows the panes" bash -c "$(declare -f screen tm shows); SOCKET=$SOCKET; shows '▶ REPL' && shows '┌ Loss' && [ \$(screen | wc -l) -eq 24 ]"
tm resize-window -t t -x 60 -y 15; sleep 0.6
check "too small asks for a bigger terminal" wait_for "70" 5
tm resize-window -t t -x 120 -y 40; sleep 0.6
check "back at 120x40" wait_for "┌ Evaluate" 5

# 4b. Serving from the workbench: a prediction over HTTP while the screen runs, counted on the
# status line; nothing the server does reaches the screen.
type_line "serve port=0"
check "serve prints its address" wait_for "serving run 1 at http://127.0.0.1:" 5
check "it answers a prediction over HTTP" bash -c "$(declare -f screen tm); SOCKET=$SOCKET; url=\$(screen | grep -o 'http://127.0.0.1:[0-9]*' | head -1); curl -s \$url/v1/predict -d '{\"inputs\": [[0.5, -0.5]]}' | grep -q '\"class\"'"
check "the status line counts it" wait_for "· 1 req" 5

# 5. Quit: the terminal is restored and history saved.
type_line "quit"
check "quit exits with status 0" wait_for "EXIT=0" 10
check "the screen is gone after exit" bash -c "$(declare -f screen tm); SOCKET=$SOCKET; ! screen | grep -q '▶ REPL'"
check "history was saved" grep -q "set lr 0.005" "$HOME_DIR/.descent_history"
tm kill-server

# 6. History across restarts; Ctrl-C twice on an empty line quits.
start "" 100 30
wait_for "▶ REPL" 15 >/dev/null
tm send-keys -t t Up; sleep 0.4
check "Up recalls the last command of the previous session" wait_for "descent> quit" 5
tm send-keys -t t C-a C-k; sleep 0.2
tm send-keys -t t C-c; sleep 0.3; tm send-keys -t t C-c
check "Ctrl-C twice quits cleanly" wait_for "EXIT=0" 10

tm kill-server

# 7. SIGTERM during training: the loop quits, the terminal comes back, status 0.
start "" 100 30
wait_for "▶ REPL" 15 >/dev/null
type_line "data moons"; type_line "model mlp 8"; type_line "train epochs=1000"
wait_for "▶ training" 10 >/dev/null
PID=$(tm list-panes -t t -F '#{pane_pid}' | head -1)
kill -TERM "$(pgrep -P "$PID" | head -1)"
check "SIGTERM while training exits cleanly" wait_for "EXIT=0" 10
check "and restores the terminal" bash -c "$(declare -f screen tm); SOCKET=$SOCKET; ! screen | grep -q '▶ REPL'"

# 8. A lesson cell by cell with F8: the learning-rate lesson, the contour mid-descent. F8 first
# pages through text the lesson pane has not shown yet, then runs the cell (`f8_cell`).
f8_cell() {
  for _ in $(seq 1 20); do
    screen | grep -q "more: F8 (then it runs the cell)" || break
    tm send-keys -t t F8
    sleep 0.3
  done
  tm send-keys -t t F8
}
start "Notebooks/02-learning-rate.md" 120 40
check "the lesson opens" wait_for "Lesson The learning rate" 15
check "a long part says F8 pages it first" wait_for "more: F8 (then it runs the cell)" 5
f8_cell
check "F8 runs the set-up cell" wait_for "data linear  200 pts" 10
sleep 0.5
f8_cell
check "F8 runs the too-small cell" wait_for "✓ val.r2 < 0.95" 20
check "the evaluation pane shows the contour" wait_for "Evaluate: loss J(w, b)" 5
check "with the current point and the minimum" bash -c "$(declare -f screen tm); SOCKET=$SOCKET; screen | sed -n '15,28p' | cut -c 61-120 | grep -q '●' && screen | grep -qE '● w 0\.[5-9][0-9]* b'"
check "mid-descent: the point is not at the minimum" bash -c "$(declare -f screen tm); SOCKET=$SOCKET; screen | grep -q '× w 0.9842 b'"
f8_cell
check "F8 runs the next cell" wait_for "✓ val.r2 > 0.97" 20
check "the lesson pane moves on" wait_for "Too large: overshoot" 5
type_line "quit"
check "quit from a lesson" wait_for "EXIT=0" 10
tm kill-server

echo "screen test: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
