#!/usr/bin/env bash
# Files under stress: a full disk, a read-only folder, a model file replaced while it loads, a
# notebook recorded to while it replays, and kill -9 between writing and renaming (a hook of
# the debug build pauses there). After each, what the learner had saved is intact and no
# partial file is left where one was. Mounting a small tmpfs needs root and a kernel that
# allows it; where it does not, those cases are skipped with a notice.
# Usage: Tests/Files/files-test.sh [path/to/descent (a debug build)]   (run by `make test`)
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-.build/debug/descent}")
D=$(mktemp -d)
# Every workbench below keeps its runs in a store of this test's own (never the user's).
export XDG_DATA_HOME="$D/xdg"
PASSED=0 FAILED=0 SKIPPED=0
MOUNTS=()
cleanup() {
  for m in "${MOUNTS[@]:-}"; do [ -n "$m" ] && umount "$m" 2>/dev/null; done
  pkill -9 -f "^$BIN --headless" 2>/dev/null
  rm -rf "$D"
}
trap cleanup EXIT
check() {   # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "ok    $name"
  else FAILED=$((FAILED + 1)); echo "FAIL  $name"; fi
}
skip() { SKIPPED=$((SKIPPED + 1)); echo "skip  $1"; }
session() { "$BIN" --headless 2>&1; }   # commands on standard input, results on standard output
no_temporaries() { ! ls -A "$1" | grep -q '\.tmp$'; }
small_tmpfs() {   # small_tmpfs FOLDER KILOBYTES: true if mounted
  mkdir -p "$1"
  mount -t tmpfs -o "size=${2}k" tmpfs "$1" 2>/dev/null || return 1
  MOUNTS+=("$1")
}
TRAIN_SMALL=$'seed 1\ndata iris\nmodel softmax\ntrain epochs=2'
TRAIN_LARGE=$'seed 1\ndata iris\nmodel mlp 128,128\ntrain epochs=1'

[ -x "$BIN" ] || { echo "no executable at $BIN (build first)"; exit 1; }

# 1. A full disk: a 64 KB tmpfs holds a small model; a larger one does not fit.
if small_tmpfs "$D/full" 64; then
  (cd "$D/full" && printf '%s\nsave m\n' "$TRAIN_SMALL" | session) > "$D/full.log"
  cp "$D/full/m.safetensors" "$D/m.before"
  (cd "$D/full" && printf '%s\nsave m\nrecord stop\n' "$TRAIN_LARGE" | session) > "$D/full2.log"
  check "disk full: save says so" grep -q "No space left on device; the old file, if any, is unchanged" "$D/full2.log"
  check "disk full: the old model is intact" cmp -s "$D/m.before" "$D/full/m.safetensors"
  check "disk full: no temporary file left" no_temporaries "$D/full"
  (cd "$D/full" && printf 'load m\n' | session) > "$D/full3.log"
  check "disk full: the old model still loads" grep -q "^loaded m.safetensors" "$D/full3.log"
  # Fill it to the last byte, then record and export.
  dd if=/dev/zero of="$D/full/filler" bs=1k count=64 2>/dev/null
  (cd "$D/full" && printf '%s\nrecord r\nshow data\nrecord stop\nexport metrics h.csv\n' "$TRAIN_SMALL" | session) > "$D/full4.log"
  check "disk full: record stop says so" grep -q "r.md: .*No space left on device" "$D/full4.log"
  check "disk full: export says so" grep -q "h.csv: .*No space left on device" "$D/full4.log"
  check "disk full: neither left a file" bash -c "[ ! -e '$D/full/r.md' ] && [ ! -e '$D/full/h.csv' ]"
  check "disk full: no temporary file left (record, export)" no_temporaries "$D/full"
  # A TensorBoard log that fills its disk while a run trains: one message, logging stops, the run
  # goes on and finishes.
  if small_tmpfs "$D/tb" 24; then
    printf 'seed 1\ndata iris\nmodel mlp 8\nlog tensorboard %s\ntrain epochs=400\nlog\n' "$D/tb" | session > "$D/tb.log"
    check "disk full: the TensorBoard log says so once" \
      bash -c "[ \$(grep -c 'log tensorboard: cannot write .*No space left on device.*logging stopped' '$D/tb.log') = 1 ]"
    check "disk full: the run finishes, and logging has stopped" \
      bash -c "grep -q '^run 1 finished: 400 epochs' '$D/tb.log' && grep -q '^not logging' '$D/tb.log'"
  else
    skip "disk full: the TensorBoard log (cannot mount a tmpfs here)"
  fi
else
  skip "disk full (cannot mount a tmpfs here)"
fi

# 2. A read-only folder (a tmpfs remounted read-only: root ignores permission bits).
if small_tmpfs "$D/ro" 1024; then
  (cd "$D/ro" && printf '%s\nsave m\n' "$TRAIN_SMALL" | session) > /dev/null
  cp "$D/ro/m.safetensors" "$D/ro.before"
  mount -o remount,ro "$D/ro"
  (cd "$D/ro" && printf '%s\nsave m\nrecord r\nexport metrics h.csv\nload m\n' "$TRAIN_LARGE" | session) > "$D/ro.log"
  check "read-only: save says why" grep -q "m.safetensors: cannot write in .*Read-only file system" "$D/ro.log"
  check "read-only: record refuses at once" grep -q "record: cannot write in" "$D/ro.log"
  check "read-only: export says why" grep -q "h.csv: .*Read-only file system" "$D/ro.log"
  check "read-only: the model is intact and loads" bash -c "cmp -s '$D/ro.before' '$D/ro/m.safetensors' && grep -q '^loaded m.safetensors' '$D/ro.log'"
else
  skip "read-only folder (cannot mount a tmpfs here)"
fi

# 3. A model file replaced (renamed over, and rewritten in place, truncated) while it loads:
# every load either loads a whole model or says what is wrong with the file; never a crash.
mkdir -p "$D/swap" && cd "$D/swap"
printf '%s\nsave a\n%s\nsave b\n' "$TRAIN_SMALL" "$TRAIN_LARGE" | session > /dev/null
cp a.safetensors m.safetensors
( for i in $(seq 1 400); do
    case $((i % 4)) in
      0) cp a.safetensors m.tmp && mv m.tmp m.safetensors ;;
      1) cp b.safetensors m.tmp && mv m.tmp m.safetensors ;;
      2) cat a.safetensors > m.safetensors ;;
      3) head -c 700 b.safetensors > m.safetensors ;;
    esac
  done ) &
SWAPPER=$!
for _ in $(seq 1 200); do echo "load m"; done | session > "$D/swap.log"
STATUS=$?
wait $SWAPPER
cd - >/dev/null
LOADED=$(grep -c "^loaded m.safetensors" "$D/swap.log")
REFUSED=$(grep -c "error: .*m.safetensors" "$D/swap.log")
check "file replaced while loading: no crash (status $STATUS)" [ "$STATUS" -lt 128 ]
check "file replaced while loading: 200 loads, each whole or refused ($LOADED loaded, $REFUSED refused)" \
  [ $((LOADED + REFUSED)) -eq 200 ]

# 4. A notebook recorded to while it replays: the replay reads it whole first; the recording
# replaces it whole at the end; it is then a complete notebook that replays.
mkdir -p "$D/nb" && cd "$D/nb"
printf '# Loop\n\n```descent\nseed 1\ndata iris\nmodel softmax\ntrain epochs=2\n```\n' > loop.md
printf 'record loop.md\nreplay loop.md\nrecord stop\n' | session > "$D/nb.log"
"$BIN" run loop.md > "$D/nb2.log" 2>&1
check "a notebook recorded to while it replays: the result replays" bash -c "grep -q '^\`\`\`descent' loop.md && grep -q 'passed\|finished' '$D/nb2.log'"
check "and no temporary file is left" no_temporaries "$D/nb"
cd - >/dev/null

# 5. kill -9 between writing and renaming (DESCENT_TEST_PAUSE_BEFORE_RENAME, debug builds
# only): the old file stays; the next write clears the dead process's temporary file.
mkdir -p "$D/kill" && cd "$D/kill"
printf '%s\nsave m\nrecord r\nshow data\nrecord stop\nexport metrics h.csv\n' "$TRAIN_SMALL" | session > /dev/null
for f in m.safetensors r.md h.csv; do cp "$f" "$D/$f.before"; done
kill_during() {   # kill_during NAME COMMANDS FILE
  rm -f "$D/fifo"; mkfifo "$D/fifo"
  DESCENT_TEST_PAUSE_BEFORE_RENAME=1 "$BIN" --headless < "$D/fifo" > "$D/kill.log" 2>&1 &
  local pid=$!
  exec 3> "$D/fifo"
  printf '%s\n' "$2" >&3
  for _ in $(seq 1 300); do grep -q "paused before renaming" "$D/kill.log" && break; sleep 0.1; done
  check "kill -9 before rename ($1): the write had reached the pause" grep -q "paused before renaming" "$D/kill.log"
  kill -9 $pid; wait $pid 2>/dev/null
  exec 3>&-
  check "kill -9 before rename ($1): $3 is the old one" cmp -s "$D/$3.before" "$3"
}
kill_during "save" "$TRAIN_LARGE"$'\nsave m' m.safetensors
kill_during "record" "$TRAIN_LARGE"$'\nrecord r\nshow data\nrecord stop' r.md
kill_during "export" "$TRAIN_LARGE"$'\nexport metrics h.csv' h.csv
check "a killed write leaves only its hidden temporary file" bash -c "ls -A | grep -q '\.tmp$'"
printf '%s\nsave m\nexport metrics h.csv\n' "$TRAIN_SMALL" | session > /dev/null
printf 'record r\nshow data\nrecord stop\n' | session > /dev/null
check "the next write of each clears the dead process's temporary files" no_temporaries "$D/kill"
cd - >/dev/null

# 6. The run store (README, Runs that last).
S="$D/store"; mkdir -p "$S"
sql() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(*c.execute(sys.argv[2]).fetchone())' "$@"; }
# kill -9 while a run trains: the store keeps every epoch but the one in flight, and opens again.
rm -f "$D/fifo"; mkfifo "$D/fifo"
"$BIN" --headless --store "$S/killed.sqlite" < "$D/fifo" > "$D/store-kill.log" 2>&1 &
pid=$!
exec 3> "$D/fifo"
printf 'seed 1\ndata iris\nmodel mlp 8\nset pace 40\ntrain epochs=100\n' >&3
for _ in $(seq 1 300); do grep -q "^epoch 30/100" "$D/store-kill.log" && break; sleep 0.1; done
sleep 0.3
kill -9 $pid; wait $pid 2>/dev/null
exec 3>&-
printed=$(grep -o "^epoch [0-9]*/100" "$D/store-kill.log" | tail -1 | sed 's|epoch \([0-9]*\)/100|\1|')
kept=$(sql "$S/killed.sqlite" "SELECT max(epoch) FROM epoch WHERE run = 1")
check "store, kill -9 mid-run: the epochs printed are kept (printed $printed, kept $kept)" bash -c "[ -n '$printed' ] && [ '$kept' -ge '$printed' ]"
check "store, kill -9 mid-run: the database is intact" bash -c "[ \"\$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"PRAGMA integrity_check\").fetchone()[0])' '$S/killed.sqlite')\" = ok ]"
printf 'runs show @1\nruns\n' | "$BIN" --headless --store "$S/killed.sqlite" > "$D/store-after.log" 2>&1
check "store, kill -9 mid-run: the next session lists the cut-short run" grep -q "^@1: run 1 of session 1, .* · training · " "$D/store-after.log"
# Two workbenches on one store at once.
two() { printf 'seed %s\ndata iris\nmodel mlp 8\ntrain epochs=30\ntrain epochs=30\nmodel softmax\ntrain epochs=30\n' "$1" \
        | "$BIN" --headless --store "$S/shared.sqlite" > "$D/store-two-$1.log" 2>&1; }
two 1 & two 2 & wait
check "store, two workbenches at once: all six runs kept" bash -c "[ \"\$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM run WHERE status = \x27finished\x27\").fetchone()[0])' '$S/shared.sqlite')\" = 6 ]"
check "store, two workbenches at once: neither complained" bash -c "! grep -q 'run store' '$D/store-two-1.log' '$D/store-two-2.log'"
# A damaged store and a newer Descent's store: refused with their path, never written, the session goes on.
head -c 8192 /dev/urandom > "$S/damaged.sqlite"; cp "$S/damaged.sqlite" "$D/damaged.before"
printf 'seed 1\ndata iris\nmodel softmax\ntrain epochs=2\n' | "$BIN" --headless --store "$S/damaged.sqlite" > "$D/store-damaged.log" 2>&1
check "store, damaged: refused with its path" grep -q "the run store cannot be used: $S/damaged.sqlite: not a run store Descent can read" "$D/store-damaged.log"
check "store, damaged: the file is unchanged" cmp -s "$D/damaged.before" "$S/damaged.sqlite"
check "store, damaged: the session goes on" grep -q "^run 1 finished" "$D/store-damaged.log"
printf 'seed 1\ndata iris\nmodel softmax\ntrain epochs=2\n' | "$BIN" --headless --store "$S/newer.sqlite" > /dev/null 2>&1
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO grdb_migrations VALUES (\"v2 from a newer Descent\")"); c.commit()' "$S/newer.sqlite"
sum_before=$(md5sum < "$S/newer.sqlite")
printf 'runs\n' | "$BIN" --headless --store "$S/newer.sqlite" > "$D/store-newer.log" 2>&1
check "store, newer: refused with its path and schema" grep -q "$S/newer.sqlite: written by a newer Descent (schema v2 from a newer Descent" "$D/store-newer.log"
check "store, newer: the file is unchanged" bash -c "[ \"\$(md5sum < '$S/newer.sqlite')\" = '$sum_before' ]"
# A full disk: one message, the session goes on without the store.
if small_tmpfs "$D/sfull" 512; then
  printf 'seed 1\ndata iris\nmodel mlp 8\ntrain epochs=2\n' | "$BIN" --headless --store "$D/sfull/runs.sqlite" > /dev/null 2>&1
  # 100 KB of room: the session and its epochs fit, the final model of an MLP of 17,539 parameters (70 KB) does not.
  dd if=/dev/zero of="$D/sfull/filler" bs=1k count=$(( $(df --output=avail -k "$D/sfull" | tail -1) - 100 )) 2>/dev/null
  printf 'seed 1\ndata iris\nmodel mlp 128,128\ntrain epochs=3\ntrain epochs=3\nmodel softmax\ntrain epochs=3\nruns\n' \
    | "$BIN" --headless --store "$D/sfull/runs.sqlite" > "$D/store-full.log" 2>&1
  check "store, disk full: one message naming the store" \
    bash -c "[ \$(grep -c 'runs are no longer kept this session: $D/sfull/runs.sqlite: the disk is full' '$D/store-full.log') = 1 ]"
  check "store, disk full: the session goes on" grep -q "^run 3 finished" "$D/store-full.log"
  check "store, disk full: runs lists this session's runs" grep -q "^3  *finished" "$D/store-full.log"
  rm -f "$D/sfull/filler"
  printf 'runs\n' | "$BIN" --headless --store "$D/sfull/runs.sqlite" > "$D/store-full2.log" 2>&1
  check "store, disk full: the store opens again once there is room" grep -q "^@1 " "$D/store-full2.log"
else
  skip "store, disk full (cannot mount a tmpfs here)"
fi

echo "files test: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
