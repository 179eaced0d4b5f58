#!/usr/bin/env bash
# A class served over SSH (`descent classroom CLASS`, README, Classroom), judged by Debian's
# OpenSSH client in tmux, on loopback: three learners log in, each sees their own workbench and
# runs a lesson cell; a fourth key is refused; a command, a session without a terminal, SFTP and
# forwarding to any port but the learner's own `serve` port are refused and logged; forwarding to
# their own port reaches the model they serve; a learner cannot read another's folder; the
# teacher's console lists everyone, sends a message and shows one learner's screen; a dropped
# connection ends its workbench and reconnecting finds its history and runs; too many
# connections from one address are refused; stopping the class ends every session.
# As root it makes an ordinary user to serve the class (a class is never served as root).
# Usage: Tests/Classroom/ssh-test.sh [path/to/descent]   (run by `make test`)
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-.build/debug/descent}")
PASSED=0 FAILED=0
check() {   # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "ok    $name"
  else FAILED=$((FAILED + 1)); echo "FAIL  $name"; fi
}
for tool in sshd ssh tmux curl; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "ssh-test: $tool is missing (make deps installs it)"; exit 1; }
done
# Who serves the class: this user, or (as root) an ordinary one made for it.
if [ "$(id -u)" = 0 ]; then
  CLASSUSER=descent-class-test
  id "$CLASSUSER" >/dev/null 2>&1 || useradd --create-home --shell /bin/sh "$CLASSUSER"
  # Where /dev/pts is mounted without gid=5 (some containers), sshd must give the terminal to
  # group tty itself, which an ordinary user may do only as a member.
  usermod -aG tty "$CLASSUSER"
  AS=(runuser -u "$CLASSUSER" --)
  check "a class is not served as root" bash -c "'$BIN' classroom /nonexistent-class 2>&1 | grep -q 'not a class folder' \
    && mkdir -p /tmp/rootclass.$$ && '$BIN' classroom init /tmp/rootclass.$$/c >/dev/null \
    && '$BIN' classroom /tmp/rootclass.$$/c 2>&1 | grep -q 'a class is not served as root'; rc=\$?; rm -rf /tmp/rootclass.$$; exit \$rc"
else
  CLASSUSER=$(id -un)
  AS=()
fi
D=$(mktemp -d)
chmod 755 "$D"
SOCKET="descent-ssh-test-$$"
T=(tmux -L "$SOCKET")
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && stop_class
  "${T[@]}" kill-server 2>/dev/null
  pkill -u "$CLASSUSER" -f "classroom session $D/" 2>/dev/null
  rm -rf "$D"
}
trap cleanup EXIT
mkdir -p "$D/keys"
for name in ada bob cy eve; do ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$D/keys/$name"; done
chmod 755 "$D/keys"; chmod 644 "$D"/keys/*.pub
CLASS="$D/class"
chown "$CLASSUSER" "$D"
"${AS[@]}" "$BIN" classroom init "$CLASS" >/dev/null
for name in ada bob cy; do "${AS[@]}" "$BIN" classroom add "$CLASS" "$name" "$D/keys/$name.pub" >/dev/null; done
BASE=$((20000 + RANDOM % 20000))
stop_class() {   # the class's own process, whoever started it (runuser passes no signal on)
  pkill -TERM -u "$CLASSUSER" -f "classroom $CLASS --listen" 2>/dev/null
  wait "$SERVER" 2>/dev/null; SERVER=""
}
start_class() {   # start_class [options…]: serves the class, waits for its address
  rm -f "$CLASS/.classroom/listening"
  "${AS[@]}" "$BIN" classroom "$CLASS" --listen 127.0.0.1:0 --serve-ports "$BASE" "$@" > "$D/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do [ -s "$CLASS/.classroom/listening" ] && break; sleep 0.1; done
  PORT=$(sed 's/.*://' "$CLASS/.classroom/listening")
}
start_class --per-address 1000
check "the class says how learners connect" grep -q "learners connect with: ssh -p $PORT $CLASSUSER@localhost" "$D/serve.log"
SSH=(ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes -p "$PORT")
screen() { "${T[@]}" capture-pane -p -t "$1"; }
wait_screen() {   # wait_screen SESSION PATTERN [SECONDS]
  for _ in $(seq $((${3:-15} * 10))); do screen "$1" | grep -q -- "$2" && return 0; sleep 0.1; done
  echo "--- $1's screen, waiting for: $2"; screen "$1"; return 1
}
login() { "${T[@]}" new-session -d -s "$1" -x 120 -y 40 "${SSH[*]} -i $D/keys/$1 $CLASSUSER@127.0.0.1; sleep 30"; }

# Three learners, each on their own workbench, each running a lesson cell.
for name in ada bob cy; do login "$name"; done
for name in ada bob cy; do
  check "$name logs in and gets their own workbench" wait_screen "$name" "$name, welcome to the class. Your folder is"
done
for name in ada bob cy; do "${T[@]}" send-keys -t "$name" "next" Enter; done
for name in ada bob cy; do
  check "$name runs a lesson cell over SSH" wait_screen "$name" "cell 2/"
done
check "each learner's presence is in their own folder" bash -c "grep -q '\"learner\":\"bob\"' '$CLASS/learners/bob/.descent/status.json'"

# A resize reaches the workbench through ssh and sshd: it lays itself out for 80x24.
"${T[@]}" resize-window -t cy -x 80 -y 24
check "a resized terminal gets the small layout" wait_screen cy "Evaluate.*Lesson Welcome"
"${T[@]}" resize-window -t cy -x 120 -y 40

# A key not in the roster.
check "an unknown key is refused" bash -c "! ${SSH[*]} -i $D/keys/eve $CLASSUSER@127.0.0.1 true 2>&1 | grep -v 'Permission denied' | grep -q . \
  && ! ${SSH[*]} -i $D/keys/eve $CLASSUSER@127.0.0.1 true 2>/dev/null"
# What a learner's key may not do.
out=$("${SSH[@]}" -i "$D/keys/bob" "$CLASSUSER@127.0.0.1" cat /etc/passwd 2>&1)
check "a command is refused" bash -c "[[ '$out' == *'runs no command'* && '$out' != *root:* ]]"
out=$("${SSH[@]}" -T -i "$D/keys/bob" "$CLASSUSER@127.0.0.1" < /dev/null 2>&1)
check "a session without a terminal is refused" bash -c "[[ '$out' == *'needs a terminal'* ]]"
check "sftp is refused" bash -c "! sftp -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes \
  -P $PORT -i $D/keys/bob $CLASSUSER@127.0.0.1 < /dev/null > /dev/null 2>&1"
check "refusals are logged" bash -c "grep -q 'refused bob from 127.0.0.1:[0-9]*: a command (cat /etc/passwd)' '$CLASS/.classroom/class.log' \
  && grep -q 'refused bob from .*: no terminal' '$CLASS/.classroom/class.log' \
  && grep -q 'subsystem request for sftp .* failed' '$CLASS/.classroom/sshd.log'"

# Port forwarding: to the learner's own serve port only.
"${T[@]}" send-keys -t ada "data xor" Enter "model mlp 4" Enter "pace max" Enter "train epochs=3" Enter
wait_screen ada "run 1 finished" 60 >/dev/null
"${T[@]}" send-keys -t ada "serve" Enter
check "a learner's serve uses their own port" wait_screen ada "serving run 1 at http://127.0.0.1:$BASE"
LOCAL=$((BASE + 5000))
"${SSH[@]}" -i "$D/keys/ada" -N -o ExitOnForwardFailure=yes -L "$LOCAL:127.0.0.1:$BASE" "$CLASSUSER@127.0.0.1" & FORWARD=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$LOCAL/healthz" && break; sleep 0.1; done
check "ssh -L to their own serve port reaches the model they serve" bash -c "curl -s -m 5 http://127.0.0.1:$LOCAL/v1/predict \
  -d '{\"inputs\": [[0.5, -0.5]]}' | grep -q predictions"
kill $FORWARD 2>/dev/null
"${SSH[@]}" -i "$D/keys/bob" -N -L "$((LOCAL + 1)):127.0.0.1:$BASE" "$CLASSUSER@127.0.0.1" & FORWARD=$!
sleep 1.5
check "forwarding to another learner's port is refused" bash -c "! curl -s -m 3 http://127.0.0.1:$((LOCAL + 1))/healthz >/dev/null"
kill $FORWARD 2>/dev/null
check "the refused forward is logged" grep -q "to connect to host 127.0.0.1 port $BASE, but the request was denied" "$CLASS/.classroom/sshd.log"
"${T[@]}" send-keys -t bob "serve port=$((BASE + 7))" Enter
check "serving on another port is refused, with the learner's own named" wait_screen bob "in this class your port is $((BASE + 1))"
# Another learner's folder.
"${T[@]}" send-keys -t bob "data csv ../ada/.descent_history" Enter
check "another learner's folder is refused" wait_screen bob "outside your folder"
# Ctrl-Z: no shell here to bring it back.
"${T[@]}" send-keys -t cy C-z
check "Ctrl-Z says what it would do instead of stopping the workbench" wait_screen cy "Ctrl-Z would stop the workbench"

# The teacher's console.
"${T[@]}" new-session -d -s teacher -x 120 -y 40 "${AS[*]} $BIN classroom $CLASS --teacher"
check "the console lists the three learners, connected" wait_screen teacher "3 learners, 3 connected"
check "the console shows where each is and their run" wait_screen teacher "ada .*Welcome to Descent · cell 2/5 .*1 finished · 30 updates"
"${T[@]}" send-keys -t teacher "say look at the validation loss" Enter
for name in ada bob cy; do
  check "$name gets the teacher's message" wait_screen "$name" "message from the teacher: look at the validation loss"
done
screen teacher > "$D/console.txt"
"${T[@]}" send-keys -t teacher "look cy" Enter
check "the console shows one learner's screen" wait_screen teacher "cy's screen, read-only"

# A dropped connection ends its workbench; reconnecting finds history and runs.
"${T[@]}" kill-session -t ada
gone() { for _ in $(seq 100); do pgrep -u "$CLASSUSER" -f "classroom session $CLASS ada" >/dev/null || return 0; sleep 0.1; done; return 1; }
check "a dropped connection ends the learner's workbench" gone
login ada
wait_screen ada "ada, welcome to the class" >/dev/null
"${T[@]}" send-keys -t ada "runs" Enter
check "reconnecting finds the learner's kept runs" wait_screen ada "xor"
check "and their history" grep -q "train epochs=3" "$CLASS/learners/ada/.descent_history"

# A second connection of the same learner takes over from the first.
first=$(pgrep -u "$CLASSUSER" -f "classroom session $CLASS ada")
"${T[@]}" new-session -d -s ada2 -x 120 -y 40 "${SSH[*]} -i $D/keys/ada $CLASSUSER@127.0.0.1; sleep 30"
check "a learner's second connection takes over, and says so" wait_screen ada2 "this one takes over"
check "and the earlier workbench ended" bash -c "! kill -0 $first 2>/dev/null"

# Stopping the class ends every session.
stop_class
ended() { for _ in $(seq 100); do pgrep -u "$CLASSUSER" -f "classroom session $CLASS" >/dev/null || return 0; sleep 0.1; done; return 1; }
check "stopping the class ends every learner's workbench" ended

# Too many connections from one address.
start_class --per-address 3
SSH=(ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes -p "$PORT")
for _ in 1 2 3 4 5; do "${SSH[@]}" -i "$D/keys/eve" "$CLASSUSER@127.0.0.1" true >/dev/null 2>&1; done
check "connections over the limit from one address are refused" grep -q "refused 127.0.0.1:[0-9]*: more than 3 connections from 127.0.0.1 in 60 s" "$CLASS/.classroom/class.log"
stop_class

echo "--- the teacher's console"; head -14 "$D/console.txt"
echo "ssh-test: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
