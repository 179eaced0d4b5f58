#!/usr/bin/env bash
# make fuzz: every reader of outside input under libFuzzer with AddressSanitizer, each for
# FUZZ_RUNS executions (default 1,000,000) or FUZZ_SECONDS (default 1,200), whichever ends first;
# the results table goes to FUZZ_SUMMARY (default .build-fuzz/summary.md).
# Usage: Fuzz/run.sh [TARGET...]    (the binary: `make fuzz` builds it in .build-fuzz)
# New inputs go to .build-fuzz/corpus/<target>/ (not committed); a crash, a hang (an input
# slower than 10 s) or more than 2 GB of memory stops the target and leaves the input in
# .build-fuzz/findings/: commit it to Fuzz/corpus/<target>/ with the fix, and `make test`
# replays it from then on (Tests/DescentTests/FuzzCorpusTests.swift).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.build-fuzz/release/descent
RUNS=${FUZZ_RUNS:-1000000}
SECONDS_EACH=${FUZZ_SECONDS:-1200}
[ -x "$BIN" ] || { echo "no fuzzing build at $BIN: run make fuzz"; exit 1; }
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(command notebook csv idx theme safetensors architecture predict arguments)
mkdir -p .build-fuzz/findings .build-fuzz/logs
SUMMARY=${FUZZ_SUMMARY:-.build-fuzz/summary.md}
echo "| target | executions | seconds | executions/s | corpus | peak RSS MB | result |" > "$SUMMARY"
echo "|---|---:|---:|---:|---:|---:|---|" >> "$SUMMARY"
failed=0
for t in "${targets[@]}"; do
  mkdir -p ".build-fuzz/corpus/$t"
  log=".build-fuzz/logs/$t.log"
  # A command line is short: with inputs up to 64 KiB swift-argument-parser fell from about 1,700
  # to 74 executions/s as the corpus grew long arguments. Every other reader takes up to 64 KiB.
  max_len=65536; [ "$t" = arguments ] && max_len=4096
  echo "fuzzing $t (log: $log)"
  FUZZ_TARGET=$t SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:malloc_context_size=0 \
    "$BIN" -runs="$RUNS" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$max_len" -len_control=100 -dict="Fuzz/$t.dict" -artifact_prefix=".build-fuzz/findings/$t-" \
    -print_final_stats=1 ".build-fuzz/corpus/$t" "Fuzz/corpus/$t" > "$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1)
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  corpus=$(ls ".build-fuzz/corpus/$t" | wc -l)
  result="no crash, no hang, no memory limit"
  if [ $status -ne 0 ]; then
    result="FAILED: $(grep -m1 -E 'ERROR|Fatal error|deadly signal|timeout|out-of-memory' "$log" | cut -c1-100)"
    failed=1
  fi
  rate=$([ -n "$secs" ] && [ "$secs" -gt 0 ] && echo $(( ${runs:-0} / secs )) || echo "-")
  echo "| $t | ${runs:-?} | ${secs:-?} | $rate | $corpus | ${rss:-?} | $result |" | tee -a "$SUMMARY"
done
echo "summary: $SUMMARY"
exit $failed
