# Descent: two commands for a learner, `make run` and `make test`.
# Both first make sure the Debian packages Descent needs are installed.

SWIFT      ?= swift
DEB_PKGS   := libncurses-dev libreadline-dev libopenblas-dev zlib1g-dev libsqlite3-dev tmux wrk curl help2man openssh-server openssh-client
RELEASE    := $(SWIFT) build -c release --product descent
BIN        := .build/release/descent

.PHONY: run test test-kernel deps build bench bench-peers tsan asan fuzz fuzz-build interop deb clean

## deps: install missing Debian packages (as root), or print the command to run.
deps:
	@missing=""; \
	for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "Descent needs these Debian packages:$$missing"; \
	    echo "Run:  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is not on PATH (see https://swift.org/install)"; exit 1; }

build: deps
	$(RELEASE)

## run: build in release mode and open the workbench.
run: build
	$(BIN)

## test: the whole suite (Package.swift's declared imports, one owner for a run's life, unit, property and snapshot tests,
## the fuzzing corpus replayed, notebook replay, real terminal in tmux and the terminal abused
## (signals, Ctrl-Z, a forced crash, resizes), files under stress (full disk, read-only, kill -9, the run store),
## assignments graded by replay (correct, wrong, tampered, over time), a learner's workbench confined to their folder,
## the model server under abuse while a run trains, safetensors read and written by Python (numpy, safetensors) and the
## exported scripts compiled, the standard clients (Triton's, OpenAI's, Prometheus', schemathesis, TensorBoard, onnx
## and onnxruntime), the Debian package installed and replaying every lesson with Swift hidden, snapshots and
## notebooks under a second OpenBLAS kernel, and the concurrency tests again under ThreadSanitizer).
# Every workbench the tests start keeps its runs in a store under .build, never the user's.
test: export XDG_DATA_HOME = $(CURDIR)/.build/test-data
test: deps
	python3 Tests/Tools/package-imports.py
	python3 Tests/Tools/run-ownership.py
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	Tests/Terminal/screen-test.sh .build/debug/descent
	Tests/Terminal/abuse-test.sh .build/debug/descent
	Tests/Files/files-test.sh .build/debug/descent
	Tests/Classroom/grade-test.sh .build/debug/descent
	Tests/Classroom/confine-test.sh .build/debug/descent
	Tests/Classroom/ssh-test.sh .build/debug/descent
	Tests/Serving/server-abuse.py .build/debug/descent
	Tests/Interop/interop-test.sh .build/debug/descent
	Tests/Package/deb-test.sh
	$(MAKE) --no-print-directory test-kernel
	$(MAKE) --no-print-directory tsan

## test-kernel: the screen snapshots and every notebook again under OpenBLAS's baseline kernel
## (Prescott, which every x86-64 CPU runs), to prove no test depends on the kernel the CPU
## picks: trained numbers differ in their last bits between kernels (README, Decisions).
## The variable is set here only, for these commands.
OTHER_KERNEL := OPENBLAS_CORETYPE=Prescott
test-kernel:
	@$(OTHER_KERNEL) OPENBLAS_VERBOSE=2 .build/debug/descent --version 2>&1 | grep -q "Core: Prescott" \
	  || { echo "test-kernel: OpenBLAS did not switch to the Prescott kernel"; exit 1; }
	$(OTHER_KERNEL) $(SWIFT) test --skip-build --filter WorkbenchUITests
	$(OTHER_KERNEL) .build/debug/descent run Notebooks/*.md > .build/other-kernel-replay.txt \
	  || { tail -20 .build/other-kernel-replay.txt; exit 1; }
	@echo "test-kernel: snapshots and $$(ls Notebooks/*.md | wc -l) notebooks pass under OpenBLAS's Prescott kernel"

## tsan: the concurrency tests again under ThreadSanitizer, in their own build folder, the
## server's included (it answers while a run trains). Two reports inside the HTTP libraries,
## never in Descent's code, are suppressed by name (Tests/Serving/tsan-suppressions.txt says
## which and why; Docs/reliability.md has the measurements).
## Optimised on purpose: in a debug build TSan cannot see the ring's slot copies (generic
## stdlib code is not instrumented) and a broken memory ordering passed unnoticed.
tsan:
	TSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Serving/tsan-suppressions.txt \
	  $(SWIFT) test -c release -Xswiftc -enable-testing --sanitize=thread --scratch-path .build-tsan \
	  --filter "EventRingTests|TrainingTests|SessionCommandTests|WorkSplitTests|RunCoordinatorTests|ModelServerTests"

## fuzz: every reader of outside input (command line, notebook, CSV, IDX, theme, safetensors,
## model description, /v1/predict body, descent's arguments) under libFuzzer and AddressSanitizer,
## built in .build-fuzz; FUZZ_RUNS executions each (default 1,000,000), FUZZ_SECONDS at most
## (default 1,200); `make fuzz TARGETS="csv idx"` for some. Results: .build-fuzz/summary.md.
fuzz: fuzz-build
	Fuzz/run.sh $(TARGETS)

# libFuzzer without its own main: SwiftPM links the program's entry point as `main`, so the
# coverage instrumentation of -sanitize=fuzzer is asked for by name and the driver comes from
# the runtime's no-main archive (shared/NOTES.md).
FUZZ_RUNTIME := $(shell dirname $$(dirname $$(command -v $(SWIFT) 2>/dev/null) 2>/dev/null) 2>/dev/null)/lib/clang
fuzz-build: deps
	$(SWIFT) build -c release --product descent --scratch-path .build-fuzz \
	  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,indirect-calls,inline-8bit-counters,pc-table \
	  -Xswiftc -DDESCENT_FUZZ -Xlinker "$$(ls $(FUZZ_RUNTIME)/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -1)" -Xlinker -lstdc++

## asan: the parser and reader tests (command language, notebooks, CSV and IDX, themes,
## safetensors, model files, the fuzzing corpus) under AddressSanitizer, in their own build folder.
## Leak checking is off: LeakSanitizer reports Swift globals as leaked (their pointers carry
## spare bits it does not recognise: CommandTable's static tables), so its reports mean nothing.
asan:
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 \
	  $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan \
	  --filter "CommandLanguageTests|SafeTensorsFormatTests|DatasetsTests|TerminalUITests.Theme|SaveLoadTests|CSVPropertyTests|FuzzCorpusTests"

## bench: release build, then every benchmark with a results table; with the peers installed
## (make bench-peers), also Keras-JAX, PyTorch and numpy side by side, pair by pair.
bench: build
	$(BIN) bench
	Benchmarks/screen-idle.sh $(BIN)
	Benchmarks/serve-bench.sh $(BIN)
	Benchmarks/generate-bench.sh $(BIN)
	Benchmarks/classroom-scale.py $(BIN)
	@if [ -x .venv-bench/bin/python ]; then python3 Benchmarks/compare.py --descent $(BIN) --markdown .build-bench/table.md; \
	 else echo "Peers not installed: run make bench-peers to compare with Keras-JAX, PyTorch and numpy"; fi

## bench-peers: a virtual environment with keras, jax, torch (CPU) and numpy for the side-by-side comparison.
bench-peers:
	Benchmarks/setup-peers.sh

## interop: the exported Keras and PyTorch scripts run for real (a virtual environment with
## keras, jax and, when it installs, torch): each checks its predictions against Descent's.
interop: build
	Tests/Interop/framework-scripts.sh $(BIN)

## deb: a Debian package of the release binary, Swift's runtime linked in statically, in .build-deb/
## (Packaging/deb.sh): `apt install ./.build-deb/descent_*.deb` on a machine without Swift.
deb: deps
	Packaging/deb.sh

clean:
	rm -rf .build .build-tsan .build-fuzz .build-asan .build-deb
