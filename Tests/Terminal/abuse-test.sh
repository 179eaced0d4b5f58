#!/usr/bin/env bash
# Terminal abuse test: `descent` run from a real shell inside tmux, then ended or disturbed in
# every way a learner's terminal can be: signals, Ctrl-C, Ctrl-Z and `fg`, a crash forced in the
# debug build, 100 resizes while training, a 20x6 and a 300-column terminal, TERM=dumb, LANG=C,
# NO_COLOR. After each, the shell must answer, `stty -g` must print the modes saved before
# descent started, and the line typed in descent must be in ~/.descent_history.
# Usage: Tests/Terminal/abuse-test.sh [path/to/descent (a debug build)]   (run by `make test`)
# Docs/reliability.md lists the cases with what they showed.
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-.build/debug/descent}")
SOCKET=descent-abuse-$$
DIR=$(mktemp -d)
PASSED=0 FAILED=0 CASE=0
tm() { tmux -L "$SOCKET" "$@"; }
cleanup() { tm kill-server 2>/dev/null; sleep 0.5; rm -rf "$DIR"; }
trap cleanup EXIT

screen() { tm capture-pane -p -t t; }
shows() { screen 2>/dev/null | grep -qF -- "$1"; }
wait_for() {  # wait_for TEXT SECONDS
  local deadline=$((SECONDS + ${2:-20}))
  while [ $SECONDS -lt $deadline ]; do shows "$1" && return 0; sleep 0.2; done
  return 1
}
check() {   # check NAME COMMAND... : one assertion
  local name=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "ok    $name"
  else FAILED=$((FAILED + 1)); echo "FAIL  $name"; echo "---- screen:"; screen; echo "----"; fi
}
type_line() { tm send-keys -t t -l "$1"; tm send-keys -t t Enter; sleep 0.3; }
descent_pid() { pgrep -f "^$BIN" | head -1; }

# A shell in a fresh tmux server, its terminal modes saved.
shell() {   # shell WIDTH HEIGHT
  tm kill-server 2>/dev/null
  for _ in 1 2 3 4 5; do
    sleep 0.3
    tm new-session -d -s t -x "$1" -y "$2" \
      "env -i PATH=$PATH HOME=$DIR TERM=xterm-256color LANG=C.UTF-8 PS1='PROMPT\$ ' bash --norc --noprofile -i" \
      2>/dev/null && break
  done
  wait_for 'PROMPT$' 10 || { echo "the shell did not start"; return 1; }
  type_line "stty -g > $DIR/modes-before"
}

# Starts descent from the shell with ENV, waits for its screen, types a unique line for history.
open_descent() {   # open_descent ENV
  CASE=$((CASE + 1))
  type_line "clear; $1 $BIN"
  wait_for "REPL" 15 || wait_for "descent>" 5
  type_line "seed $((4200 + CASE))"
}

# The shell answers, the modes are the saved ones, and the line typed is in the history.
shell_is_back() {   # shell_is_back NAME
  local marker="back-$CASE"
  type_line "stty -g > $DIR/modes-after; cmp -s $DIR/modes-before $DIR/modes-after && echo $marker-same || echo $marker-differ"
  check "$1: the shell answers" wait_for "$marker-" 10
  check "$1: stty shows the saved modes" shows "$marker-same"
  check "$1: the history was saved" grep -qx "seed $((4200 + CASE))" "$DIR/.descent_history"
}

[ -x "$BIN" ] || { echo "no executable at $BIN (build first)"; exit 1; }
command -v tmux >/dev/null || { echo "tmux is not installed"; exit 1; }

shell 120 40

# Signals, each while a run trains.
for signal in TERM HUP QUIT INT; do
  open_descent ""
  type_line "data spiral"; type_line "model mlp 8"; type_line "train epochs=100000"
  wait_for "▶ training" 10 >/dev/null
  kill -"$signal" "$(descent_pid)"
  wait_for 'PROMPT$' 10 >/dev/null; sleep 0.5
  check "SIG$signal: descent has ended" bash -c "! pgrep -f '^$BIN' >/dev/null"
  shell_is_back "SIG$signal while training"
done

# Ctrl-C stops a run and keeps the workbench; twice on an empty line quits.
open_descent ""
type_line "data spiral"; type_line "model mlp 8"; type_line "train epochs=100000"
wait_for "▶ training" 10 >/dev/null
tm send-keys -t t C-c
check "Ctrl-C stops the run, not the workbench" wait_for "stopping the run" 5
tm send-keys -t t C-c; sleep 0.3; tm send-keys -t t C-c
wait_for 'PROMPT$' 10 >/dev/null
shell_is_back "Ctrl-C twice"

# Ctrl-Z suspends like any full-screen program; fg brings the screen back whole.
open_descent ""
tm send-keys -t t C-z
check "Ctrl-Z: the shell reports the job stopped" wait_for "Stopped" 5
type_line "stty -g > $DIR/modes-suspended; cmp -s $DIR/modes-before $DIR/modes-suspended && echo suspended-same"
check "Ctrl-Z: the shell has its own modes back" wait_for "suspended-same" 5
type_line "fg"
check "fg: the screen is back" wait_for "┌ Loss" 10
type_line "data iris"
check "fg: the workbench still takes commands" wait_for "Data: iris" 10
type_line "quit"
wait_for 'PROMPT$' 10 >/dev/null
shell_is_back "Ctrl-Z then fg"

# A crash (a trap forced in the debug build) while training: the handler restores the terminal
# with async-signal-safe calls only and says what happened.
open_descent "DESCENT_TEST_CRASH_AFTER=4"
type_line "data spiral"; type_line "model mlp 8"; type_line "train epochs=100000"
check "a crash: the message says the terminal is restored" wait_for "The terminal is restored" 15
shell_is_back "forced crash"

# 100 resizes while training; the workbench keeps drawing and answering.
open_descent ""
type_line "data spiral"; type_line "model mlp 8"; type_line "train epochs=100000"
wait_for "▶ training" 10 >/dev/null
for i in $(seq 1 50); do
  tm resize-window -t t -x $((40 + i % 9 * 30)) -y $((10 + i % 6 * 8)); sleep 0.02
  tm resize-window -t t -x 120 -y 40; sleep 0.02
done
sleep 1
check "100 resizes: still training" wait_for "▶ training" 5
check "100 resizes: the screen is whole at 120x40" bash -c "$(declare -f screen tm shows); SOCKET=$SOCKET; shows '┌ Loss' && shows 'REPL' && [ \$(screen | wc -l) -eq 40 ]"
tm send-keys -t t C-c; sleep 0.3
type_line "quit"
wait_for 'PROMPT$' 10 >/dev/null
shell_is_back "100 resizes"

# A 20x6 terminal: a message, no crash; a 300-column one: every pane drawn.
tm resize-window -t t -x 20 -y 6
open_descent ""
check "20x6: asks for a bigger terminal" wait_for "least 70" 10
type_line "quit"
wait_for 'PROMPT$' 10 >/dev/null
tm resize-window -t t -x 120 -y 40; sleep 0.3
shell_is_back "20x6"
tm resize-window -t t -x 300 -y 60; sleep 0.3
open_descent ""
check "300 columns: every pane is drawn" bash -c "$(declare -f screen tm shows); SOCKET=$SOCKET; shows '┌ Data' && shows '┌ Evaluate' && shows 'REPL'"
type_line "quit"
wait_for 'PROMPT$' 10 >/dev/null
shell_is_back "300 columns"
tm resize-window -t t -x 120 -y 40; sleep 0.3

# LANG=C and NO_COLOR: ASCII borders, no colours.
open_descent "LANG=C LC_ALL=C NO_COLOR=1"
check "LANG=C: ASCII borders" wait_for "+ Data" 10
check "NO_COLOR: no colour in the screen's escapes" bash -c "! tmux -L $SOCKET capture-pane -p -e -t t | grep -qE $'\e\\\\[(3[0-7]|4[0-7]|38;5|48;5)[;m]'"
type_line "quit"
wait_for 'PROMPT$' 10 >/dev/null
shell_is_back "LANG=C NO_COLOR"

# TERM=dumb: no screen; commands from the keyboard, results printed; Ctrl-D ends it.
CASE=$((CASE + 1))
type_line "clear; TERM=dumb $BIN"
check "TERM=dumb: says it runs headless" wait_for "running headless" 10
type_line "data iris"
check "TERM=dumb: commands still work" wait_for "150 pts" 10
tm send-keys -t t C-d
wait_for 'PROMPT$' 10 >/dev/null
type_line "stty -g > $DIR/modes-after; cmp -s $DIR/modes-before $DIR/modes-after && echo dumb-same"
check "TERM=dumb: stty shows the saved modes" wait_for "dumb-same" 10

echo "terminal abuse test: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
