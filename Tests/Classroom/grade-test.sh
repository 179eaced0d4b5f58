#!/usr/bin/env bash
# Grading by replay (README, Classroom): a class of six learners and one assignment. Each learner
# works in their own folder as on their screen (the handout opened as a lesson, `next`, their own
# commands in the answer cell, `submit`); then `descent grade` replays every submission in a fresh
# process with time and memory limits. A correct answer earns every point, a wrong one none, a
# tampered file only what its answer earns, a file of another shape is refused, an answer that
# trains past the time limit is stopped, and a learner who submitted nothing gets nothing.
# Usage: Tests/Classroom/grade-test.sh [path/to/descent]   (run by `make test`)
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-.build/debug/descent}")
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
export XDG_DATA_HOME="$D/xdg"
PASSED=0 FAILED=0
check() {   # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "ok    $name"
  else FAILED=$((FAILED + 1)); echo "FAIL  $name"; fi
}
C="$D/class"
"$BIN" classroom init "$C" > "$D/init.log" || { cat "$D/init.log"; exit 1; }
LEARNERS="ada bob eve mal tim dan"
for n in $LEARNERS; do
  python3 - "$n" > "$D/$n.pub" <<'PY'
import base64, hashlib, struct, sys
name = sys.argv[1]
kind = b"ssh-ed25519"
blob = struct.pack(">I", len(kind)) + kind + struct.pack(">I", 32) + hashlib.sha256(name.encode()).digest()
print("ssh-ed25519", base64.b64encode(blob).decode(), name + "@school")
PY
  "$BIN" classroom add "$C" "$n" "$D/$n.pub" >> "$D/init.log" || { cat "$D/init.log"; exit 1; }
done
check "the roster lists six learners" bash -c "[ \$(grep -c '^[a-z]* ssh-ed25519 ' '$C/learners.txt') = 6 ]"
"$BIN" classroom add "$C" copycat "$D/ada.pub" > "$D/dup.log" 2>&1
check "a key already in the roster is refused" grep -q "this key is already ada's" "$D/dup.log"

cat > "$D/a1.md" <<'MD'
# Assignment 1: classify iris

```descent
seed 7
data iris
```

Set up a model and train it until it classifies well.

```descent answer
# your commands here
```

```descent
expect val.acc > 0.8 points=2
```

```descent hidden
expect val.acc > 0.85 points=3
expect train.loss < 1 points=1
```
MD
"$BIN" classroom assign "$C" "$D/a1.md" > "$D/assign.log" 2>&1
check "assigning says what it holds" grep -q "assigned a1: 1 answer cell, 3 checks worth 6 points (2 hidden)" "$D/assign.log"
check "the handout has no hidden checks" bash -c "! grep -q 'points=3' '$C/handout/a1.md'"

work() {   # work LEARNER COMMANDS…: the learner opens the handout in their folder and submits
  local who=$1; shift
  (cd "$C/learners/$who" && printf 'lesson ../../handout/a1.md\nnext\nnext\n%b\nnext\nsubmit\n' "$*" | "$BIN" --headless) > "$D/$who.log" 2>&1
}
work ada 'model softmax\noptimizer adam lr=0.05\ntrain epochs=40'
work bob 'model softmax\noptimizer sgd lr=0.0001\ntrain epochs=1'
work eve 'model softmax\noptimizer sgd lr=0.0001\ntrain epochs=1'
work mal 'model softmax\ntrain epochs=40'
# ada opens the assignment again in a new session and submits at once: her answer stays.
(cd "$C/learners/ada" && printf 'lesson ../../handout/a1.md\nsubmit\n' | "$BIN" --headless) > "$D/ada2.log" 2>&1
check "a second submit keeps an answer not given again" grep -q "^submitted submissions/a1.md: 1 of 1 answer cell answered (1 as submitted before)" "$D/ada2.log"
# bob's answer also tries to write into the gradebook's folder and read another learner's file.
sed -i "s|^train epochs=1\$|train epochs=1\nsave $C/grades/forged\ndata csv ../ada/submissions/a1.md label=x|" "$C/learners/bob/submissions/a1.md"
# tim's answer trains a million epochs (minutes; his file, edited from ada's).
mkdir -p "$C/learners/tim/submissions"
sed 's/^train epochs=40$/train epochs=1000000/' "$C/learners/ada/submissions/a1.md" > "$C/learners/tim/submissions/a1.md"
check "submit writes the learner's notebook" grep -q "^submitted submissions/a1.md: 1 of 1 answer cell answered" "$D/ada.log"
check "the submission holds what the learner ran" grep -q "^train epochs=40" "$C/learners/ada/submissions/a1.md"
# eve edits her file: the data, the visible check, a check of her own with 100 points, a ✓.
sed -i 's/^data iris/data linear/; s/expect val.acc > 0.8 points=2/expect val.acc > 0 points=2/; s/^train epochs=1$/train epochs=1\nexpect val.acc > 0 points=100/; s/^Set up/✓ every check passed. Set up/' \
  "$C/learners/eve/submissions/a1.md"
# mal's file loses its answer cell's fence: not the notebook handed out.
sed -i 's/^```descent answer/```descent/' "$C/learners/mal/submissions/a1.md"

"$BIN" grade "$C" --seconds 8 > "$D/grade.log" 2>&1
cat "$D/grade.log"
points() { python3 -c 'import json,sys; rows=json.load(open(sys.argv[1])); print(float(sum(r["points"] for r in rows if r["learner"]==sys.argv[2])))' "$C/grades/gradebook.json" "$1"; }
check "a correct answer earns every point (6)" [ "$(points ada)" = "6.0" ]
check "a wrong answer earns none" [ "$(points bob)" = "0.0" ]
check "a tampered file earns only what its answer earns" [ "$(points eve)" = "0.0" ]
check "a tampered file's own check is not counted" bash -c "! grep -q 'points=100' '$C/grades/gradebook.csv'"
check "a file of another shape is refused" grep -q "mal,a1,.*refused: .*0 answer cells; the assignment has 1" "$C/grades/gradebook.csv"
check "an answer past the time limit is stopped" grep -q "tim,a1,.*not reached: the replay .*8 s\|tim,a1,.*not reached: the replay ran out of time" "$C/grades/gradebook.csv"
check "no submission, no points" grep -q "dan,a1,.*no submission" "$C/grades/gradebook.csv"
check "each learner gets a report" bash -c "grep -q '^## a1: 6 of 6 points' '$C/grades/ada.md' && grep -q 'hidden' '$C/grades/ada.md'"
check "a learner's report lists the errors the replay hit" grep -q "outside your folder" "$C/grades/bob.md"
check "an answer cannot write outside the learner's folder" bash -c "[ ! -e '$C/grades/forged.safetensors' ]"
check "the figures seen are in the gradebook" grep -q "^ada,a1,val.acc > 0.85 points=3,true,true,3,3,val.acc = " "$C/grades/gradebook.csv"

# Root grading a class an ordinary user owns grades as that user: answers replay with no more
# rights than the learner's own workbench, and the grades belong to the class, not to root.
if [ "$(id -u)" = 0 ]; then
  OWNER=descent-grade-test
  id "$OWNER" >/dev/null 2>&1 || useradd --no-create-home --shell /usr/sbin/nologin "$OWNER"
  chmod 755 "$D" && chown -R "$OWNER:" "$C"
  "$BIN" grade "$C" --seconds 8 > "$D/grade-owner.log" 2>&1
  check "root grades as the class folder's owner" grep -q "^grading as $OWNER, who owns" "$D/grade-owner.log"
  check "the grades it writes are the owner's" bash -c "[ \"\$(stat -c %U '$C/grades/gradebook.csv' '$C/grades/ada.md' '$C/grades/replayed/ada/a1.md' | sort -u)\" = '$OWNER' ]"
  check "graded as the owner, a correct answer still earns every point" [ "$(points ada)" = "6.0" ]
fi

echo "grade test: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
