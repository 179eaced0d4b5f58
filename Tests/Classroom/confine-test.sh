#!/usr/bin/env bash
# A learner's workbench confined to their folder (`descent --confine`, README, Classroom): every
# way out a command could name is refused with the file and the reason, the learner's own files
# work, the class's lessons can be read but not written, and the kernel's Landlock (where it
# exists) refuses what Descent's own check would let through. Another learner's folder is as
# closed as /etc.
# Usage: Tests/Classroom/confine-test.sh [path/to/descent]   (run by `make test`)
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-.build/debug/descent}")
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
PASSED=0 FAILED=0
check() {   # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "ok    $name"
  else FAILED=$((FAILED + 1)); echo "FAIL  $name"; fi
}
mkdir -p "$D/class/learners/ada" "$D/class/learners/bob" "$D/class/lessons"
printf 'x,y,label\n1,2,a\n2,1,b\n3,3,a\n1,1,b\n2,2,a\n3,1,b\n1,3,a\n2,3,b\n3,2,a\n1,2,b\n' > "$D/class/learners/ada/mine.csv"
cp "$D/class/learners/ada/mine.csv" "$D/class/learners/bob/secret.csv"
ln -s /etc/passwd "$D/class/learners/ada/link.csv"
ln -s ../bob "$D/class/learners/ada/bob"
printf '# A lesson\n\n```descent\nseed 1\ndata xor\n```\n' > "$D/class/lessons/one.md"
# Refused, each with the file it named; allowed, the learner's own.
cat > "$D/commands" <<'CMDS'
data csv /etc/passwd label=x
data csv ../bob/secret.csv label=label
data csv bob/secret.csv label=label
data csv link.csv label=label
data csv ~/mine.csv label=label
data csv mine.csv label=label
model mlp 4
train epochs=2
save ../bob/stolen
save /tmp/escaped
record ../../lessons/notes.md
export plot loss ../bob/plot.svg
log tensorboard /tmp/tb
runs export ../bob/runs.csv
save mine
export metrics history.csv
replay ../../lessons/one.md
replay ../bob/secret.csv
data csv /etc/passwd
CMDS
"$BIN" --headless --confine "$D/class/learners/ada" --read-only "$D/class/lessons" < "$D/commands" > "$D/out.log" 2>&1
cat "$D/out.log" | grep -v '^epoch\|^dense\|^─\|^Layer\|^Total' | head -40
A="$D/class/learners/ada"
refused() { grep -q "^error: stdin:$1:1: .*$2: outside your folder: in this class a workbench uses only files in $A (and reads the lessons)" "$D/out.log"; }
check "it says which confinement is in force" grep -q "^confined to $A (and reading $D/class/lessons and Descent's lessons; .*): files elsewhere are refused; " "$D/out.log"
check "an absolute path out is refused" refused 1 "/etc/passwd"
check "refused before anything reads it (no label= reads a header)" refused 19 "/etc/passwd"
check "another learner's folder is refused" refused 2 "../bob/secret.csv"
check "a symbolic link to another learner's folder is refused" refused 3 "bob/secret.csv"
check "a symbolic link out is refused" refused 4 "link.csv"
check "~ is refused" grep -q "^error: stdin:5:1: .*~/mine.csv: ~ is not your folder here" "$D/out.log"
check "the learner's own data works" grep -q "^run 1 finished" "$D/out.log"
check "save outside is refused" refused 9 "../bob/stolen"
check "save to /tmp is refused" refused 10 "/tmp/escaped"
check "the lessons cannot be written" grep -q "^error: stdin:11:1: ../../lessons/notes.md: read-only here" "$D/out.log"
check "export outside is refused" refused 12 "../bob/plot.svg"
check "log tensorboard outside is refused" refused 13 "/tmp/tb"
check "runs export outside is refused" refused 14 "../bob/runs.csv"
check "nothing was written outside" bash -c "[ ! -e '$D/class/learners/bob/stolen.safetensors' ] && [ ! -e /tmp/escaped.safetensors ] && [ ! -e '$D/class/lessons/notes.md' ] && [ ! -e '$D/class/learners/bob/plot.svg' ]"
check "the learner's own saves and exports work" bash -c "[ -s '$A/mine.safetensors' ] && [ -s '$A/history.csv' ]"
check "the lessons can be read" grep -q "^replaying ../../lessons/one.md" "$D/out.log"
check "a notebook outside cannot be replayed" grep -q "../bob/secret.csv: outside your folder" "$D/out.log"
"$BIN" --headless --confine "$A" --read-only "$D/class/learners" < /dev/null > "$D/wide.log" 2>&1
check "a read-only folder around the learner's own is refused" grep -q "read-only $D/class/learners: it holds the learner's folder" "$D/wide.log"
"$BIN" --headless --confine / < /dev/null > "$D/root.log" 2>&1
check "the whole file system is refused as a learner's folder" grep -q "/: the whole file system is not a learner's folder" "$D/root.log"
# Limits: a folder at its quota refuses writes (and says why); a file past it fails, the session goes on.
mkdir -p "$D/q" && dd if=/dev/zero of="$D/q/big.bin" bs=1k count=2100 2>/dev/null
printf 'seed 1\ndata iris\nmodel softmax\ntrain epochs=2\nsave m\nexport metrics h.csv\n' \
  | "$BIN" --headless --confine "$D/q" --quota 2 > "$D/quota.log" 2>&1
check "a folder at its quota refuses a save" grep -q "m: your folder holds 2 MiB, its whole quota (2 MiB)" "$D/quota.log"
check "the limits are said at the start" grep -q "4096 MiB of memory, a 2 MiB quota, 256 open files, training on one thread" "$D/quota.log"
check "the session goes on at its quota" grep -q "^run 1 finished" "$D/quota.log"
check "the run store is in the learner's folder" bash -c "[ -s '$A/.local/share/descent/runs.sqlite' ]"
# The kernel: where Landlock exists, a file Descent's check never sees is still out of reach.
if grep -q "the kernel refuses the rest too (Landlock ABI" "$D/out.log"; then
  # A debug build's hook opens a file straight after confining, past Descent's own checks (as
  # any code that missed them would): the kernel refuses another learner's file
  # and opens the learner's own.
  probe() { echo help | DESCENT_TEST_OPEN="$1" "$BIN" --headless --confine "$A" --read-only "$D/class/lessons" 2>&1 | grep "^test open"; }
  got=$(probe "$D/class/learners/bob/secret.csv")
  check "the kernel refuses another learner's file" [ "$got" = "test open $D/class/learners/bob/secret.csv: Permission denied" ]
  got=$(probe "$A/mine.csv")
  check "the kernel opens the learner's own" [ "$got" = "test open $A/mine.csv: opened" ]
  got=$(probe "$D/class/lessons/one.md")
  check "the kernel lets the lessons be read" [ "$got" = "test open $D/class/lessons/one.md: opened" ]
else
  echo "note  Landlock is not available on this kernel: Descent's own checks only"
fi
echo "confine test: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
