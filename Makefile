# phi-redact: `make demo` sets up, builds and redacts samples/ into out/; `make test` tests.
SHELL := /bin/bash
BIN := target/release/phi-redact
DEV_SET := ../shared/eval/dev
SCORE_OUT := out/dev-score

.PHONY: all setup build demo test bench score screenshots clean

all: build

## setup: install missing Debian packages, fetch and verify the runtime, models and samples
setup:
	@scripts/setup.sh

## build: release binary at target/release/phi-redact
build: setup
	cargo build --release --locked

## demo: redact samples/ into out/ and say where everything went
demo: build
	rm -rf out
	$(BIN) redact samples --out out
	@echo
	@echo "Redacted copies: out/   Report: out/phi-redact-report.json   Review page: out/phi-redact-report.html"

## test: unit and end-to-end tests (release build: inference in debug is far slower)
test: build
	cargo test --release --locked

## bench: face detection and whole-analysis throughput (images per second), then video frames
## per second against deface and peak memory on a 720p clip
bench: build
	cargo bench --locked --bench face_detection --bench analysis
	@echo "(thrpt in elem/s is images per second: one image per iteration)"
	benches/video.sh

## screenshots: pictures of the demo's review page (out/phi-redact-report.html) in out/screenshots/
screenshots: demo
	node tests/browser/screenshots.mjs out/phi-redact-report.html out/screenshots

## score: redact the shared dev set and score it with the shared, pixel-based scorer
score: build
	@scripts/scorer-venv.sh
	rm -rf $(SCORE_OUT)
	/usr/bin/time -f "redact: %e s wall, %M KB peak" $(BIN) redact $(DEV_SET)/images --out $(SCORE_OUT)/images --quiet || true
	.venv/bin/python ../shared/tools/score_redaction.py $(DEV_SET)/labels.json $(DEV_SET) $(SCORE_OUT)

clean:
	cargo clean
	rm -rf out
