# forecast — build, test and demo targets. Only Go and gcc are needed
# (github.com/mattn/go-sqlite3 compiles SQLite with cgo).

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GO      ?= go
DB      ?= demo.db
export CGO_ENABLED = 1
# The public datasets of testdata/README.md.
DATA    ?= testdata/data
# The folder of the peers' benchmark scripts (torch_gru_bench.py,
# torch_forecaster.py), which bench-peers needs; not part of the repository.
PEERS   ?=
# make install: /usr/local when run as root and writable, else ~/.local.
PREFIX  ?= $(shell if [ "$$(id -u)" = 0 ] && [ -w /usr/local ]; then echo /usr/local; else echo "$$HOME/.local"; fi)
IMAGE   ?= forecast:$(VERSION)
PYTHON  ?= /usr/bin/python3
BENCH_COUNT ?= 3

.PHONY: build install docker docker-check test test-full demo bench bench-peers eval fuzz lint fmt clean

## build: the forecast binary in bin/
build:
	$(GO) build -ldflags "-X 'main.version=$(VERSION)'" -o bin/forecast ./app/forecast

## install: bin/forecast to $(PREFIX)/bin (PREFIX=/usr/local as root, else ~/.local)
install: build
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 bin/forecast "$(DESTDIR)$(PREFIX)/bin/forecast"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/forecast"

## docker: the container image $(IMAGE) from app/forecast/Dockerfile
docker:
	docker build -f app/forecast/Dockerfile --build-arg VERSION=$(VERSION) -t $(IMAGE) .

## docker-check: build the image when a Docker engine is running, else lint
## the Dockerfile (TestDockerfile in app/forecast)
docker-check:
	@if docker info >/dev/null 2>&1; then \
		echo "docker engine found: building the image"; \
		docker build -q -f app/forecast/Dockerfile --build-arg VERSION=$(VERSION) -t $(IMAGE) .; \
	else \
		echo "no docker engine running: linting app/forecast/Dockerfile instead of building it"; \
		$(GO) test -count=1 -run '^TestDockerfile$$' ./app/forecast/; \
	fi

## test: go vet and every test
test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

## test-full: every test under the race detector
test-full:
	$(GO) test -race -count=1 ./...

## demo: fit on the bundled Melbourne temperatures with the defaults and
## list what was stored
demo: build
	rm -f $(DB) $(DB)-wal $(DB)-shm
	./bin/forecast fit testdata/data/daily-min-temperatures.csv --target Temp --horizon 7 --name melbourne --db $(DB)
	./bin/forecast forecasts --model melbourne --db $(DB)

## bench: GRU training and inference throughput (2 x H GRU, batch 32, lookback 48
## and 96), allocations per step and share of the FMA peak; then the CSV reader
bench:
	@set -e; out=$$(mktemp -d); trap 'rm -rf '$$out EXIT; \
	$(GO) test -run '^$$' -bench '^Benchmark(Train|Predict)$$' -count $(BENCH_COUNT) -benchtime 0.5s ./gru/ | tee $$out/go.txt; \
	ghz=$$($(CC) -O2 -o $$out/clock testdata/bench/clock.c 2>/dev/null && $$out/clock || echo 0); \
	echo; echo "clock $$ghz GHz (testdata/bench/clock.c), $$(nproc) cores, kernels: $$($(GO) test -count=1 -run '^TestBackend$$' -v ./gru/internal/kernel/ | grep -o 'go[+a-z0-9]* float64')"; \
	$(GO) run testdata/bench/report.go -ghz $$ghz -cores $$(nproc) < $$out/go.txt
	$(GO) test -run '^$$' -bench . -benchmem ./ingest/
	$(GO) test -run '^$$' -bench '^BenchmarkBatchPredict10k$$' -benchtime 1x -benchmem ./app/
	$(GO) test -run '^$$' -bench '^BenchmarkServeForecastReads$$' -benchtime 10000x ./app/web/

## bench-peers: the GRU benchmark (run before and after PyTorch's, against load
## drifting on the machine) beside PyTorch's (torch_gru_bench.py in $(PEERS), set-ups
## 1 torch + 2 BLAS threads and 1 + 1) and the ratio table; then an ETTh1 training
## epoch of forecast fit beside torch_forecaster.py. Needs PEERS=DIR and PyTorch.
bench-peers:
	@if [ -z "$(PEERS)" ] || [ ! -f "$(PEERS)/torch_gru_bench.py" ]; then \
		echo "bench-peers: set PEERS to the folder holding torch_gru_bench.py and torch_forecaster.py (make bench-peers PEERS=DIR)" >&2; exit 2; fi
	@set -e; out=$$(mktemp -d); trap 'rm -rf '$$out EXIT; \
	$(GO) test -run '^$$' -bench '^Benchmark(Train|Predict)$$/L48/' -count 2 -benchtime 0.5s ./gru/ | tee $$out/go.txt; \
	$(PYTHON) $(PEERS)/torch_gru_bench.py --threads 1,1 --blas-threads 2,1 --json $$out/torch.json; \
	$(GO) test -run '^$$' -bench '^Benchmark(Train|Predict)$$/L48/' -count 2 -benchtime 0.5s ./gru/ | tee -a $$out/go.txt; \
	ghz=$$($(CC) -O2 -o $$out/clock testdata/bench/clock.c 2>/dev/null && $$out/clock || echo 0); \
	echo; echo "clock $$ghz GHz (testdata/bench/clock.c), $$(nproc) cores, kernels: $$($(GO) test -count=1 -run '^TestBackend$$' -v ./gru/internal/kernel/ | grep -o 'go[+a-z0-9]* float64')"; \
	$(GO) run testdata/bench/report.go -ghz $$ghz -cores $$(nproc) -torch $$out/torch.json < $$out/go.txt; \
	echo; echo "ETTh1 (OT, lookback 96, horizon 24, 2 x 64, batch 32, protocol v1), seconds per training epoch, median of 2:"; \
	$(GO) build -o $$out/forecast ./app/forecast; \
	$$out/forecast fit $(DATA)/ETTh1.csv --target OT --lookback 96 --horizon 24 --layers 2 --hidden 64 \
		--batch 32 --epochs 2 --patience 2 --db $$out/etth1.db 2>&1 | grep '^epoch' | tee $$out/fit.txt; \
	ours=$$(awk '{sub("s$$", "", $$NF); print $$NF}' $$out/fit.txt | sort -n | awk '{v[NR]=$$1} END {print (v[1]+v[NR])/2}'); \
	theirs=$$($(PYTHON) $(PEERS)/torch_forecaster.py --csv $(DATA)/ETTh1.csv --target OT --lookback 96 --horizon 24 \
		--layers 2 --hidden 64 --batch 32 --epochs 2 --threads 1 --blas-threads 2 --quiet | \
		$(PYTHON) -c 'import json, sys; print("%.2f" % json.load(sys.stdin)["sec_per_epoch_median"])'); \
	echo "forecast fit: $$ours s, torch_forecaster.py (float32, 1 + 2 threads): $$theirs s, ratio $$(echo "$$ours $$theirs" | awk '{printf "%.2f", $$1/$$2}')"

## eval: the published evaluations (ETT, M4 Hourly) on $(DATA): the defaults
## beside naive, seasonal naive and the published figures; then the defaults
## against R's forecast package on the series of $(DATA), on 21 held-out
## series of R's own and on a development set of 32 (where R is installed)
eval:
	$(GO) run ./app/eval -data $(DATA)

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
