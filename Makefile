# monoid-gen's own tasks. `make test` is what CI runs.

GO ?= go
BIN := bin/monoid-gen

.PHONY: all build test test-short lint bench golden speed clean

all: lint test

## build: build the monoid-gen binary into bin/
build:
	$(GO) build -o $(BIN) ./cmd/monoid-gen

## test: run every test, fuzz seeds included
test:
	$(GO) test ./...

## test-short: the tests that build no generated project (seconds, not minutes)
test-short:
	$(GO) test -short ./...

## lint: gofmt, go vet and staticcheck, on monoid-gen and on the golden projects
lint:
	@out=$$(gofmt -l .); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@staticcheck=honnef.co/go/tools/cmd/staticcheck@$$($(GO) list -m -f '{{.Version}}' honnef.co/go/tools); \
	for d in testdata/golden/*/; do \
		echo "vet and staticcheck $$d"; \
		(cd $$d && $(GO) vet ./... && $(GO) run $$staticcheck ./...) || exit 1; \
	done

## golden: rewrite the golden projects in testdata/golden from the templates
golden:
	$(GO) test ./internal/scaffold -run '^TestGolden$$' -update
	@# Again: an example's go.sum.txt that the first pass refreshed is
	@# embedded only when the test is built anew.
	$(GO) test ./internal/scaffold -run '^TestGolden$$' -update

## bench: run the benchmarks and print their figures
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## speed: measure the speed goals end to end (new, spec start-up, scan of 1M records)
speed:
	$(GO) run ./scripts/speed

clean:
	rm -rf bin
