# The two commands: `make run` checks the bundled example packs; `make test` runs every test.
.PHONY: run test deps build release bench-check fuzz

deps:
	@scripts/install-deps.sh

build: deps
	swift build

release: deps
	swift build -c release

run: build
	.build/debug/rulec check rules/

test: deps
	swift test --parallel

bench-check: release
	scripts/bench-check.sh
