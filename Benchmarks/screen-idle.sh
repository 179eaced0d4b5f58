#!/usr/bin/env bash
# Idle cost and start-up time of the real screen: runs `descent` in tmux at 120x40 and
#  - measures the time from launch until the first full screen is on the terminal,
#  - reads the process's CPU time over 10 idle seconds (/proc/PID/stat utime+stime).
# Usage: Benchmarks/screen-idle.sh [path/to/descent]   (default: the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/descent}
SOCKET=descent-idle-$$
HOME_DIR=$(mktemp -d)
trap 'tmux -L $SOCKET kill-server 2>/dev/null; rm -rf "$HOME_DIR"' EXIT
TICKS=$(getconf CLK_TCK)

start=$(date +%s.%N)
tmux -L "$SOCKET" new-session -d -s s -x 120 -y 40 "env HOME=$HOME_DIR TERM=xterm-256color LANG=C.UTF-8 $BIN; sleep 60"
until tmux -L "$SOCKET" capture-pane -p -t s | grep -q "┌ REPL"; do sleep 0.005; done
ready=$(date +%s.%N)
echo "first screen after $(echo "($ready - $start) * 1000" | bc | cut -d. -f1) ms (launch to a full screen in tmux)"

pid=$(pgrep -P "$(tmux -L "$SOCKET" list-panes -t s -F '#{pane_pid}')" -f descent | head -1)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sleep 1
a=$(cpu "$pid"); sleep 10; b=$(cpu "$pid")
echo "idle CPU over 10 s: $(echo "scale=2; ($b - $a) * 100 / $TICKS / 10" | bc) % of one core"
echo "bench screen_idle cpu_percent=$(echo "scale=2; ($b - $a) * 100 / $TICKS / 10" | bc)"
