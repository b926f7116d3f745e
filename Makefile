# Voci's single entry point: README, CI and people run these targets.
#   make run    build everything and start Voci with demo content on the embedded store
#   make test   every test: Go (race detector), store contract, frontend unit, browser end-to-end

SHELL       := bash
.SHELLFLAGS := -euo pipefail -c
GO          ?= go
NPM         ?= npm
BIN         := bin/voci
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
FRONTEND_STAMP := frontend/node_modules/.package-lock.json
CHROMIUM    ?= /usr/bin/chromium
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all run build build-go build-frontend test test-go test-screening test-mongo test-frontend test-e2e chromium bench bench-live bench-phone bench-receipts bench-review bench-public bench-exports bench-national bench-meeting fmt vet clean

all: build

## run: build everything and serve on http://localhost:8080 with demo content and sign-ins
run: build
	VOCI_DEMO=true ./$(BIN) serve

## build: the frontend, then the binary that embeds it
build: build-frontend build-go

build-go:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(BIN) ./cmd/voci

$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	@touch $@

build-frontend: $(FRONTEND_STAMP)
	cd frontend && $(NPM) run build

## test: everything CI checks
test: vet test-go test-screening test-frontend test-e2e

test-go:
	$(GO) test -race -count=1 -timeout 45m ./...

## test-screening: how much of the corpus screening holds, per language (goals in the test)
test-screening:
	@$(GO) test -count=1 -run '^TestCorpus$$' -v ./internal/moderation/ 2>&1 | grep -E 'screening (ro|en|hu):|missed|held for nothing|the goal of|^(ok|FAIL)'

## test-mongo: the store contract suite against MongoDB at VOCI_TEST_MONGODB_URI
test-mongo:
	@if [ -z "$${VOCI_TEST_MONGODB_URI:-}" ]; then echo "Set VOCI_TEST_MONGODB_URI, e.g. mongodb://127.0.0.1:27017" >&2; exit 2; fi
	$(GO) test -race -count=1 ./internal/mongostore/...

test-frontend: $(FRONTEND_STAMP)
	cd frontend && $(NPM) test

test-e2e: build chromium
	cd frontend && CHROMIUM_PATH=$(CHROMIUM) VOCI_BIN=$(CURDIR)/$(BIN) $(NPM) run e2e

## chromium: Debian's Chromium for the browser tests, installed when missing
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

## bench: every benchmark below, the live room first
BENCH_PARTICIPANTS ?= 10000
BENCH_ADDR         ?= 127.0.0.1:8099
BENCH_PASSWORD     ?= bench-demo-password
BENCH_METRICS      ?= bench-metrics-token-0123
# On two cores the server and the load generator each get their own, or the tails measure
# their fight for the CPU. Empty both to run unpinned (where taskset is missing).
BENCH_PIN_SERVER   ?= taskset -c 0
BENCH_PIN_LOAD     ?= taskset -c 1
bench: bench-live
	@$(MAKE) --no-print-directory bench-phone
	@$(MAKE) --no-print-directory bench-receipts
	@$(MAKE) --no-print-directory bench-review
	@$(MAKE) --no-print-directory bench-public
	@$(MAKE) --no-print-directory bench-exports
	@$(MAKE) --no-print-directory bench-national
	@$(MAKE) --no-print-directory bench-meeting

## bench-live: start Voci on a fresh embedded store, drive BENCH_PARTICIPANTS children at it over
## real websockets (cmd/voci-load), print the generator's line of figures and them as a table
bench-live: build-go
	@$(GO) build -o bin/voci-load ./cmd/voci-load
	@dir=$$(mktemp -d); \
	VOCI_DEMO=true VOCI_DEMO_PASSWORD=$(BENCH_PASSWORD) VOCI_DATA_DIR=$$dir VOCI_ADDR=$(BENCH_ADDR) \
		VOCI_METRICS_TOKEN=$(BENCH_METRICS) VOCI_JOINS_PER_CLIENT=1000000 \
		VOCI_BASE_URL=http://$(BENCH_ADDR) VOCI_LOG_LEVEL=warn $(BENCH_PIN_SERVER) ./$(BIN) serve >$$dir/server.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; rm -rf '"$$dir" EXIT; \
	for i in $$(seq 100); do curl -sf http://$(BENCH_ADDR)/readyz >/dev/null && break; sleep 0.2; done; \
	line=$$(VOCI_DEMO_PASSWORD=$(BENCH_PASSWORD) VOCI_METRICS_TOKEN=$(BENCH_METRICS) $(BENCH_PIN_LOAD) ./bin/voci-load -url http://$(BENCH_ADDR) \
		-participants $(BENCH_PARTICIPANTS) 2>$$dir/load.log) || { tail -20 $$dir/load.log >&2; exit 1; }; \
	echo "$$line"; echo; \
	echo "$$line" | tr ' ' '\n' | awk -F= '{ printf "  %-32s %12s\n", $$1, $$2 }'; \
	sed -n 's/.*results fetch with [0-9]* answers: p50 \(.*\) ms, p99 \(.*\) ms/results_fetch_p50_ms=\1 results_fetch_p99_ms=\2/p' $$dir/load.log \
		| tr ' ' '\n' | awk -F= '{ printf "  %-32s %12s\n", $$1, $$2 }'; \
	echo; sed -n 's/^[0-9:]* \(per connected child: .*\)/\1/p' $$dir/load.log

## bench-meeting: a youth council meeting of 40 members with 300 gallery viewers over real
## websockets on a real SQLite file: vote ack after the durable commit, state fan-out; p50, p99
bench-meeting:
	@VOCI_BENCH_MEETING=1 $(GO) test -count=1 -run '^TestMeetingRoomBench$$' -v ./internal/httpapi/ | grep -o 'meeting room with.*'

## bench-receipts: /r's lookup over HTTP with 100,000 receipts in a real SQLite file: p50, p99
bench-receipts:
	@$(GO) test -run '^$$' -bench '^BenchmarkReceiptLookup$$' -benchtime 3000x ./internal/httpapi/ | grep -o 'receipt lookup with.*'

## bench-phone: the JavaScript the children's pages load (gzip bytes) and their first screen
## in Chromium over slow 3G (400 kbps, 400 ms RTT, CPU 4x); frontend/bench/phone.mjs
bench-phone: build
	@cd frontend && CHROMIUM_PATH=$(CHROMIUM) VOCI_BIN=$(CURDIR)/$(BIN) node bench/phone.mjs

## bench-review: the review workspace over 10,000 approved texts in a real SQLite file, listed
## and filtered through its HTTP route: p50/p99 per kind of request (goal p99 ≤ 100 ms). The
## server runs on core 0, the measuring client on core 1 (benchAddr in internal/httpapi)
bench-review:
	@$(GO) test -c -o bin/httpapi.test ./internal/httpapi/
	@VOCI_BENCH_REVIEW=1 VOCI_BENCH_SERVER_CPUS=0 taskset -c 1 ./bin/httpapi.test -test.count=1 -test.run '^TestReviewWorkspaceSpeed$$' | grep -v '^PASS$$'

## bench-public: the public municipality page's API, 50 consultations with recommendations and
## published feedback in a real SQLite file, through a real listener: p50 and p99 (goal p99 ≤ 50 ms),
## server on core 0, client on core 1
bench-public:
	@$(GO) test -c -o bin/httpapi.test ./internal/httpapi/
	@VOCI_BENCH_PUBLIC=1 VOCI_BENCH_SERVER_CPUS=0 taskset -c 1 ./bin/httpapi.test -test.count=1 -test.run '^TestPublicMunicipalityLatency$$' | grep '^public'

## bench-exports: the XLSX and the PDF of a table of all 3,181 municipalities (16 columns),
## written by the export writers (goals: XLSX ≤ 5 s, PDF ≤ 10 s)
bench-exports:
	@VOCI_BENCH_EXPORTS=1 $(GO) test -count=1 -run '^TestExportSpeed$$' -v ./internal/report/ | grep '^exports'

## bench-national: national reporting on the generator's data (voci gen, cached in BENCH_DATA and
## made again only when seeds/generate.go, cmd/voci/gen.go or the volumes change), served by
## bin/voci on one core and measured over HTTP from the other (cmd/voci-natbench): a release of
## every month, quarter and year of two years (goal ≤ 5 min, ≤ 1 GB: the live heap peak and the
## server's max RSS), the national table of 3,181 municipalities (p99 ≤ 200 ms), a municipality's
## page (p99 ≤ 100 ms), the national PDF (≤ 10 s) and XLSX (≤ 5 s) through the export queue, and
## the live ack p99 of BENCH_NATIONAL_CHILDREN children without and with exports in a loop, in
## BENCH_NATIONAL_ROUNDS alternating rounds (a shared machine's noise is as large as the effect)
BENCH_DATA               ?= /tmp/voci-bench-national
BENCH_MUNICIPALITIES     ?= 300
BENCH_MONTHS             ?= 24
BENCH_SESSIONS           ?= 20000
BENCH_ANSWERS            ?= 2000000
BENCH_NATIONAL_ADDR      ?= 127.0.0.1:8098
BENCH_NATIONAL_CHILDREN  ?= 2000
BENCH_NATIONAL_ROUNDS    ?= 3
BENCH_GEN_ARGS = -municipalities $(BENCH_MUNICIPALITIES) -months $(BENCH_MONTHS) -sessions $(BENCH_SESSIONS) -answers $(BENCH_ANSWERS)
bench-national: build-go
	@$(GO) build -o bin/voci-load ./cmd/voci-load
	@$(GO) build -o bin/voci-natbench ./cmd/voci-natbench
	@stamp="$$(cat seeds/generate.go cmd/voci/gen.go | sha256sum | cut -c1-16) $(BENCH_GEN_ARGS)"; \
	if [ "$$(cat $(BENCH_DATA)/bench-stamp 2>/dev/null)" != "$$stamp" ]; then \
		echo "Generating the national benchmark's data in $(BENCH_DATA): $(BENCH_GEN_ARGS)"; \
		if [ -n "$$(ls -A $(BENCH_DATA) 2>/dev/null)" ] && [ ! -f $(BENCH_DATA)/bench-stamp ]; then \
			echo "$(BENCH_DATA) holds something else than the benchmark's data: set BENCH_DATA" >&2; exit 2; fi; \
		rm -rf $(BENCH_DATA); mkdir -p $(BENCH_DATA); echo incomplete >$(BENCH_DATA)/bench-stamp; \
		VOCI_DATA_DIR=$(BENCH_DATA) VOCI_LOG_LEVEL=warn ./$(BIN) gen $(BENCH_GEN_ARGS) | tee $(BENCH_DATA)/gen.log; \
		echo "$$stamp" >$(BENCH_DATA)/bench-stamp; \
	fi
	@dir=$$(mktemp -d); cp $(BENCH_DATA)/voci.db* $$dir/; \
	VOCI_DEMO=true VOCI_DEMO_PASSWORD=$(BENCH_PASSWORD) VOCI_DATA_DIR=$$dir VOCI_ADDR=$(BENCH_NATIONAL_ADDR) \
		VOCI_METRICS_TOKEN=$(BENCH_METRICS) VOCI_JOINS_PER_CLIENT=1000000 VOCI_BASE_URL=http://$(BENCH_NATIONAL_ADDR) \
		VOCI_LOG_LEVEL=warn taskset -c 0 ./$(BIN) serve >$$dir/server.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; rm -rf '"$$dir" EXIT; \
	for i in $$(seq 3000); do curl -sf http://$(BENCH_NATIONAL_ADDR)/readyz >/dev/null && break; sleep 0.2; done; \
	export VOCI_DEMO_PASSWORD=$(BENCH_PASSWORD) VOCI_METRICS_TOKEN=$(BENCH_METRICS); \
	line=$$(taskset -c 1 ./bin/voci-natbench -url http://$(BENCH_NATIONAL_ADDR) -pid $$pid -months $(BENCH_MONTHS) 2>$$dir/natbench.log) \
		|| { tail -n 20 $$dir/natbench.log $$dir/server.log >&2; exit 1; }; \
	live() { taskset -c 1 ./bin/voci-load -url http://$(BENCH_NATIONAL_ADDR) -participants $(BENCH_NATIONAL_CHILDREN) 2>>$$dir/load.log \
		| tr ' ' '\n' | sed -n 's/^ack_p99_ms=//p'; }; \
	quiet=; busy=; made=0; for round in $$(seq $(BENCH_NATIONAL_ROUNDS)); do \
		q=$$(live) || { tail -20 $$dir/load.log >&2; exit 1; }; \
		taskset -c 1 ./bin/voci-natbench -url http://$(BENCH_NATIONAL_ADDR) -exports-loop >$$dir/loop.out 2>>$$dir/natbench.log & loop=$$!; \
		b=$$(live) || { kill $$loop; tail -20 $$dir/load.log >&2; exit 1; }; \
		kill $$loop; wait $$loop || true; \
		quiet=$$quiet$${quiet:+,}$$q; busy=$$busy$${busy:+,}$$b; made=$$((made + $$(sed -n 's/exports_made=//p' $$dir/loop.out))); \
	done; \
	line="$$line answers=$$(sed -n 's/.*Generated.* \([0-9]*\) answers\./\1/p' $(BENCH_DATA)/gen.log 2>/dev/null) live_children=$(BENCH_NATIONAL_CHILDREN) live_ack_p99_ms=$$quiet live_ack_p99_with_exports_ms=$$busy exports_made=$$made"; \
	echo "$$line"; echo; echo "$$line" | tr ' ' '\n' | awk -F= '{ printf "  %-32s %12s\n", $$1, $$2 }'

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l cmd internal seeds frontend/*.go); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

fmt:
	gofmt -w cmd internal seeds frontend/*.go

clean:
	rm -rf bin frontend/dist/_app frontend/dist/*.html frontend/.svelte-kit
