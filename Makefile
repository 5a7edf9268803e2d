# notifysplit: the two commands of the README, plus helpers.
#   make demo   build, then scan and convert the example tree under Fixtures/
#   make test   build and run every test, real Debian trees included
SWIFT ?= swift
BIN := .build/debug/notifysplit

.PHONY: all deps build demo trees test golden bench test-eras fuzz-build fuzz fuzz-smoke test-asan test-sanitize ci clean

all: build

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

# Scan the example tree, convert it into a series under .build/demo-series
# (outside the tree), and show the cover letter.
demo: build
	$(BIN) scan Fixtures/tree
	@echo
	$(BIN) convert Fixtures/tree -o .build/demo-series --force \
		--from "Demo Author <demo@example.org>" -s
	@echo
	@cat .build/demo-series/0000-cover-letter.patch

# Debian's linux-source-6.1 and -6.12, unpacked once into
# ~/.cache/notifysplit (override with NOTIFYSPLIT_CACHE), and the SARIF
# schema: everything the tests read from outside the checkout, fetched
# before they run (no test downloads anything).
trees: deps
	@scripts/fetch-kernel-tree 6.1 >/dev/null
	@scripts/fetch-kernel-tree 6.12 >/dev/null
	@scripts/fetch-sarif-schema >/dev/null

TEST_ENV = NOTIFYSPLIT_TREE_6_1="$$(scripts/fetch-kernel-tree 6.1)" \
	NOTIFYSPLIT_TREE_6_12="$$(scripts/fetch-kernel-tree 6.12)" \
	NOTIFYSPLIT_SARIF_SCHEMA="$$(scripts/fetch-sarif-schema)"

test: build trees
	$(TEST_ENV) $(SWIFT) test

# Rewrite the golden files under Tests/NotifySplitCoreTests/Golden; review the diff.
golden: build
	NOTIFYSPLIT_UPDATE_GOLDEN=1 $(SWIFT) test --filter ScanGoldenTests

# Speed and memory against rg, grep, git-indexed spatch and clang
# -fsyntax-only on the Debian trees and one older-era tree
# ($NOTIFYSPLIT_ERA_TREES, skipped with a message when there is none);
# prints every ratio and writes bench/results.md. Not part of make test.
bench: deps trees
	@command -v spatch >/dev/null && command -v clang-14 >/dev/null && command -v rg >/dev/null && \
		[ -x /usr/bin/time ] || \
		{ sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; $$sudo apt-get update -qq; \
		  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq coccinelle clang-14 time ripgrep; }
	$(SWIFT) build -c release
	python3 bench/run.py

# Real trees of every era (2.6.2x to 5.x): fetched snapshots of public trees,
# extracted to $NOTIFYSPLIT_ERA_TREES (default ~/eras), one tree per folder.
# Scans, converts and checks each, and asserts scripts/test-eras' invariants.
# Not part of make test: a fresh machine has no such trees.
test-eras: build
	NOTIFYSPLIT=$(BIN) scripts/test-eras

# libFuzzer over scan + convert + the series' consistency + the metamorphic
# oracle, seeded with the fixture tree's functions, Fixtures/tree/mm (copied:
# the repo is not grown). make fuzz runs FUZZ_SECONDS; make fuzz-smoke (CI)
# runs FUZZ_RUNS inputs from FUZZ_SEED: the same inputs every time, about a
# minute on two cores.
FUZZ_SECONDS ?= 120
FUZZ_SEED ?= 1
FUZZ_RUNS ?= 10000
FUZZ_BIN := .build-fuzz/release/notifysplit-fuzz

fuzz-build: deps
	$(SWIFT) build -c release --product notifysplit-fuzz --scratch-path .build-fuzz \
		-Xswiftc -sanitize=fuzzer -Xswiftc -DNOTIFYSPLIT_FUZZ \
		-Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
	rm -rf .build-fuzz/corpus && cp -r Fixtures/tree/mm .build-fuzz/corpus

fuzz: fuzz-build
	SWIFT_BACKTRACE=enable=no $(FUZZ_BIN) .build-fuzz/corpus -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 -artifact_prefix=.build-fuzz/

fuzz-smoke: fuzz-build
	SWIFT_BACKTRACE=enable=no $(FUZZ_BIN) .build-fuzz/corpus -seed=$(FUZZ_SEED) -runs=$(FUZZ_RUNS) \
		-print_final_stats=1 -artifact_prefix=.build-fuzz/

# The core tests under AddressSanitizer (CI runs this), and the whole suite
# with the parallel parsing under ThreadSanitizer too (separate build
# folders; not part of make test).
# Leak checking for the tool's runs (the tests start it as a child), not
# for the test process (XCTest on Linux keeps every test case alive); leaks
# in Foundation itself are suppressed (scripts/lsan.supp).
ASAN_ENV = ASAN_OPTIONS=detect_leaks=0 NOTIFYSPLIT_TOOL_ASAN_OPTIONS=detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp:print_suppressions=0

# The core tests under ASan, on the fixtures: the whole-tree tests (RealTree*)
# read no memory the fixture tests do not, and under ASan they take longer
# than the rest of CI together.
test-asan: build trees
	$(TEST_ENV) $(ASAN_ENV) $(SWIFT) test --sanitize=address --scratch-path .build-asan --filter NotifySplitCoreTests \
		--skip RealTree

test-sanitize: build trees
	$(TEST_ENV) $(ASAN_ENV) $(SWIFT) test --sanitize=address --scratch-path .build-asan
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan \
		--filter 'ScanTests|ConvertTests|CheckTests|ReliabilityTests'

# What CI runs (.ci/run): make test, the fuzz smoke, the ASan core tests.
ci:
	.ci/run

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan
