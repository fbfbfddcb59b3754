# Appliance: live-streaming CDN node. `make run` and `make test` do all set-up on a fresh Debian box with the .NET SDK.
SHELL := /bin/bash
RID ?= linux-x64
CONFIG ?= Release
BIN := $(CURDIR)/artifacts/bin
# The player page's scripts; applianced finds them as ../share/appliance/player beside its bin.
PLAYER := $(CURDIR)/artifacts/share/appliance/player
EXECUTABLES := applianced appliancectl appliance-load
DOTNET := DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet

.PHONY: all build player run test test-deps unit e2e bench perf perf-tiers perf-reliability perf-ladder perf-llhls perf-segments perf-memory perf-scale perf-latency perf-tls perf-uring perf-srt soak clean packages deb rpm

all: build

# Native AOT binaries of every executable, into artifacts/bin, and the player page's scripts.
build: player
	@mkdir -p $(BIN)
	@for exe in $(EXECUTABLES); do \
	  $(DOTNET) publish src/$$exe/$$exe.csproj -c $(CONFIG) -r $(RID) -o $(BIN) -p:PublishAot=true --nologo -v quiet || exit 1; \
	done
	@cd $(BIN) && ls -la $(EXECUTABLES)

# hls.js, dash.js, mpegts.js (npm, pinned by src/player/package-lock.json) and player.js, with
# their licences, into artifacts/share/appliance/player.
player:
	@PLAYER=$(PLAYER) bash src/player/build.sh

# The daemon in the foreground on its embedded default config (RTMP 1935, HTTP 8080, app "live").
run: build
	$(BIN)/applianced

# Every test suite: unit tests, then end-to-end tests against the AOT daemon with real ffmpeg clients
# and against the packages (lintian, rpm contents, install and removal).
test: test-deps build packages
	@bash scripts/run-tests.sh

# Debian and RPM packages of the binaries in artifacts/bin, into artifacts/packages: the daemon run
# by systemd as appliance.service, its config in /etc/appliance (packaging/README.md).
packages: deb rpm

deb: build
	@RID=$(RID) BIN=$(BIN) bash packaging/deb/build.sh

rpm: build
	@RID=$(RID) BIN=$(BIN) bash packaging/rpm/build.sh

# Debian packages the tests use; installed when running as root, otherwise named.
test-deps:
	@bash scripts/test-deps.sh

# Fuzzing (tests/Appliance.Fuzz.Tests, see its fuzz.sh): every parser target for FUZZ_SECONDS (default 60)
# each with a new seed; coverage-guided AFL++ with SharpFuzz when afl++ is (or can be) installed, else the
# project's own mutational fuzzer (FUZZ_ENGINE=afl|own forces one; FUZZ_TARGETS=amf0,http picks targets).
# New findings are minimized into tests/Appliance.Fuzz.Tests/Regressions/{target}/ and fail the run.
# `make test` runs only its short fixed-seed pass.
.PHONY: fuzz
FUZZ_SECONDS ?= 60
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/Appliance.Fuzz.Tests/fuzz.sh

bench:
	$(DOTNET) run -c Release --project bench/Appliance.Benchmarks -- --filter '$(or $(FILTER),*)' $(BENCH_ARGS)

# The macro scenario (perf/run.sh), then nginx-rtmp under the same RTMP load: CPU-s per GB and the ratio (perf/README.md).
perf: build
	@bash perf/run.sh

# Tiers: first keyframe through origin <- upper <- edge, and the failover gap (perf/README.md).
perf-tiers: build
	@bash perf/tiers.sh

# Ladder: CPU of one 720p30 source stepped down to 480p + 360p, and how many fit in real time (perf/README.md).
perf-ladder: build
	@bash perf/ladder.sh

# Reliability: config reloads under 1,000 viewers, then 1,000 hostile connections during playback (perf/README.md).
perf-reliability: build
	@bash perf/reliability.sh

# LL-HLS and LL-DASH: 1,000 players of each on one stream, daemon and load on separate CPUs: CPU per GB,
# part to last held response p50/p99, failures (perf/README.md).
perf-llhls: build
	@bash perf/llhls.sh

# Segment serving: one HLS segment fetched by wrk at 100 and 1,000 keep-alive connections from the daemon
# and from nginx (sendfile), each pinned to one CPU: requests/s, CPU, requests per CPU-second, ratio (perf/README.md).
perf-segments: build
	@bash perf/segments.sh

# Resident memory per viewer: one 600 kbit/s stream, N RTMP and N HTTP-FLV viewers (MEMORY_VIEWERS,
# default 1000; a list such as 1000,10000 runs each), a fresh daemon on the embedded defaults for each;
# MEMORY_WARM=20 reads the baseline with 20 viewers already playing (the cost of each further viewer).
perf-memory: build
	@bash perf/memory.sh

# Scale: 20,000 HTTP-FLV, then 20,000 RTMP viewers of a 600 kbit/s stream, daemon pinned to one CPU on the default
# settings, the load tool on the other: made/failed/stalled, per-viewer rate, CPU over the hold, CPU-s/GB (perf/README.md).
perf-scale: build
	@bash perf/scale.sh

# Glass-to-glass latency: appliance-load publishes with SEI stamps, 1/100/1,000 viewers per protocol read them,
# one tier and two (origin <- edge): p50/p99 per protocol and tier (perf/README.md).
perf-latency: build
	@bash perf/latency.sh

# Soak (not in `make test`): 30 minutes of 2,000 viewers with churn on an edge of origin <- two parents,
# publisher reconnects and parent failovers; slopes of RSS, fds, threads, native buffers (perf/README.md).
# SOAK_MINUTES=4 SOAK_RECONNECT_EVERY=60 SOAK_FAILOVER_EVERY=120 SOAK_WARMUP=60 make soak: the short form.
soak: build
	@bash perf/soak.sh

# io_uring against epoll (transport.send) at 1,000 and 10,000 viewers, adaptive and 100 ms batching, and one zero-copy arm (perf/uring.sh).
perf-uring: build
	@bash perf/uring.sh

# TLS cost: HTTPS-FLV and RTMPS against HTTP-FLV and RTMP, arms interleaved in one run (perf/tls-cost.sh).
perf-tls: build
	@bash perf/tls-cost.sh

# SRT ingest: daemon CPU per media-hour of one 2.5 Mbit/s publisher over SRT beside RTMP, then 20 SRT
# publishers at once (failures, each stream's ingest fps); about 5 minutes (perf/README.md).
perf-srt: build
	@bash perf/srt-ingest.sh

clean:
	rm -rf artifacts
	$(DOTNET) clean appliance.sln -v quiet
