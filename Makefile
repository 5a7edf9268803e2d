# notifysplit: the two commands of the README, plus helpers.
#   make demo   build, then scan and convert the example tree under Fixtures/
#   make test   build and run every test, real Debian trees included
SWIFT ?= swift
BIN := .build/debug/notifysplit

.PHONY: all deps build demo trees test golden clean

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
		--signoff "Demo Author <demo@example.org>"
	@echo
	@cat .build/demo-series/0000-cover-letter.patch

# Debian's linux-source-6.1 and -6.12, unpacked once into
# ~/.cache/notifysplit (override with NOTIFYSPLIT_CACHE).
trees: deps
	@scripts/fetch-kernel-tree 6.1 >/dev/null
	@scripts/fetch-kernel-tree 6.12 >/dev/null

test: build trees
	NOTIFYSPLIT_TREE_6_1="$$(scripts/fetch-kernel-tree 6.1)" \
	NOTIFYSPLIT_TREE_6_12="$$(scripts/fetch-kernel-tree 6.12)" \
	$(SWIFT) test

# Rewrite the golden files under Tests/NotifySplitCoreTests/Golden; review the diff.
golden: build
	NOTIFYSPLIT_UPDATE_GOLDEN=1 $(SWIFT) test --filter ScanGoldenTests

clean:
	rm -rf .build
