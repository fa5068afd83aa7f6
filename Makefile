# forecast — build, test and demo targets. Only Go and gcc are needed
# (github.com/mattn/go-sqlite3 compiles SQLite with cgo).

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GO      ?= go
DB      ?= demo.db
export CGO_ENABLED = 1

.PHONY: build test test-full demo bench fuzz lint fmt clean

## build: the forecast binary in bin/
build:
	$(GO) build -ldflags "-X 'main.version=$(VERSION)'" -o bin/forecast ./app/forecast

## test: go vet and every test (long checks skipped by -short)
test:
	$(GO) vet ./...
	$(GO) test -short -count=1 ./...

## test-full: every test, including the slow ones
test-full:
	$(GO) test -count=1 ./...

## demo: fit on the bundled Melbourne temperatures and list what was stored
demo: build
	rm -f $(DB) $(DB)-wal $(DB)-shm
	./bin/forecast fit testdata/daily-min-temperatures.csv --target Temp --db $(DB) \
		--lookback 28 --horizon 7 --season 365 --hidden 32 --epochs 40 --patience 6 --name melbourne
	./bin/forecast forecasts --model melbourne --db $(DB)

## bench: benchmarks of the GRU and the CSV reader
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./gru/ ./ingest/

## fuzz: fuzz the CSV reader for a while
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime 60s ./ingest/

## lint: vet and formatting
lint:
	$(GO) vet ./...
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## fmt: format the code
fmt:
	gofmt -w .

clean:
	rm -rf bin/ $(DB) $(DB)-wal $(DB)-shm
