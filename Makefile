# The two commands: `make run` checks the bundled example packs and serves them (`rulec serve`
# on 127.0.0.1:9099, store and development keys under data/); `make test` runs every test.
.PHONY: run test deps build release install dist bench-check bench-index bench-hostile bench-anomaly fuzz fuzz-hostile soak

# make install PREFIX=… DESTDIR=…: the release rulec (static Swift standard library) in $(PREFIX)/bin.
PREFIX ?= /usr/local
DESTDIR ?=

deps:
	@scripts/install-deps.sh

build: deps
	swift build

release: deps
	swift build -c release

run: build
	.build/debug/rulec check rules/
	@scripts/dev-keys.sh
	.build/debug/rulec serve --allow-unset-secrets

test: build
	.build/debug/rulec check rules/ --format sarif > .build/rules.sarif || true
	scripts/validate-sarif.py Tests/RuleLangTests/Golden/formats.sarif .build/rules.sarif
	.build/debug/rulec test rules/
	# The service's suites answer HTTP on Swift's cooperative pool (as wide as the cores): beside the
	# long CPU-bound suites they starve, so they run on their own after them.
	swift test --parallel --skip AlertServiceTests
	swift test --skip-build --filter AlertServiceTests
	scripts/test-dist.sh

# The crash soak: twenty `kill -9`s of a real `rulec serve` mid-ingest (CI runs three).
soak: build
	RULELANG_SOAK_KILLS=20 swift test --filter CrashTests

install: deps
	scripts/dist.sh --build
	install -Dm755 .build-dist/release/rulec $(DESTDIR)$(PREFIX)/bin/rulec

# dist/rulec-VERSION-linux-ARCH.tar.gz and dist/rulec_VERSION_ARCH.deb (see the README's Install section).
dist: deps
	scripts/dist.sh

bench-check: release
	scripts/bench-check.sh

# rulec eval of 100,000 alerts on 10 and on 10,000 routes keyed on three labels, and check of the
# 10,000 (release; docs/performance.md).
bench-index: release
	scripts/bench-index.sh

# Seconds and peak memory of check, test and simulate on each reported hostile pack (release).
bench-hostile: deps
	Benchmarks/hostile-check.sh

# The anomaly benchmark (docs/anomalies.md): labelled streams through the engine, the baselines and
# STL (statsmodels, when installed), scored into a Markdown table (release).
bench-anomaly: deps
	swift build -c release --product rulelang-bench
	.build/release/rulelang-bench anomaly .build/anomaly-bench $(SENSITIVITY)
	Benchmarks/anomaly-score.py .build/anomaly-bench

# libFuzzer, deeper than the CI robustness test (see docs/fuzzing.md). FUZZ_SECONDS=60 by default.
fuzz: deps
	cd Fuzz && swift build -c release --sanitize=fuzzer --sanitize=address --product FuzzCheck
	mkdir -p Fuzz/corpus-out && cp -n Fuzz/corpus/* Fuzz/corpus-out/
	cd Fuzz && SWIFT_BACKTRACE=enable=no .build/release/FuzzCheck -dict=rulelang.dict -max_len=4096 -timeout=5 \
	    -max_total_time=$${FUZZ_SECONDS:-60} corpus-out

# libFuzzer steering the hostile-pack generators (Tests/HostileInputs): deep nesting, wide lists,
# extreme durations, folding growth. FUZZ_SECONDS=60 by default.
fuzz-hostile: deps
	cd Fuzz && swift build -c release --sanitize=fuzzer --sanitize=address --product FuzzHostile
	mkdir -p Fuzz/corpus-hostile
	cd Fuzz && SWIFT_BACKTRACE=enable=no .build/release/FuzzHostile -max_len=512 -timeout=10 -rss_limit_mb=2048 \
	    -max_total_time=$${FUZZ_SECONDS:-60} corpus-hostile
