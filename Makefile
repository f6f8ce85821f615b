# phi-redact: `make demo` sets up, builds and redacts samples/ into out/; `make test` tests.
SHELL := /bin/bash
BIN := target/release/phi-redact
SCORE_OUT := out/score

.PHONY: fuzz all setup setup-gpu build demo test lint bench score screenshots clean

all: build

## setup: install missing Debian packages, fetch and verify the runtime, models and samples
setup:
	@scripts/setup.sh

## setup-gpu: on a machine with an NVIDIA driver, also ONNX Runtime's CUDA build and the CUDA
## and cuDNN libraries it needs, from pinned wheels, sha256-verified, into models/gpu/
setup-gpu: setup
	@scripts/setup-gpu.sh

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

## lint: formatting and clippy, every warning an error (CI runs it after the tests)
lint: setup
	cargo fmt --check
	cargo clippy --all-targets --locked -- -D warnings

## fuzz: each fuzz target (fuzz/fuzz_targets/) for FUZZ_SECONDS (default 600) with cargo fuzz
## and libFuzzer on the nightly toolchain, from fuzz/seeds/ and its own growing corpus
## (fuzz/corpus/, where new inputs go). A crash stops it with the input in
## fuzz/artifacts/TARGET/: copy that into fuzz/regressions/TARGET/, where `make test` runs
## it, and mend the code. A DICOM object may decode to 2 GiB of frames, held twice while they
## are boxed, so the dicom target may take about 4.5 GB (docs/guide.md: DICOM).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= media dicom recognizers site_config review_files
fuzz: setup
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	@for target in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/corpus/$$target && echo "fuzz: $$target for $(FUZZ_SECONDS) s" && \
	  memory="-rss_limit_mb=2048"; \
	  [ $$target = dicom ] && memory="-rss_limit_mb=5120 -malloc_limit_mb=4400"; \
	  cargo +nightly fuzz run $$target fuzz/corpus/$$target fuzz/seeds/$$target -- \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 $$memory -print_final_stats=1 || exit 1; \
	done

## bench: face detection and whole-analysis throughput (images per second), CenterFace alone on
## 720p frames one and eight per call (frames per second; on the GPU with
## PHI_REDACT_ORT_LIB=models/gpu/libonnxruntime.so.1.31.1 after `make setup-gpu`), then
## video frames per second against deface and peak memory on a 720p clip
bench: build
	cargo bench --locked --bench face_detection --bench analysis --bench centerface_batches
	@echo "(thrpt in elem/s is images per second: one image per iteration)"
	benches/video.sh

## screenshots: pictures of the demo's review page (out/phi-redact-report.html) and of
## `phi-redact serve` with some samples dropped in, in out/screenshots/
screenshots: demo
	node tests/browser/screenshots.mjs out/phi-redact-report.html out/screenshots
	node tests/browser/serve-screenshots.mjs target/release/phi-redact out/screenshots samples/wristband.png samples/astronaut.png samples/whiteboard.png

## score: redact every labelled set (shared dev, dev-extra, dev-forms and the generated corpus)
## and score it with the shared, pixel-based scorer, split into tune and validation
## (scripts/score.py says how); SCORE_FLAGS=--no-ocr skips the slow readability check
score: build
	@scripts/scorer-venv.sh
	.venv/bin/python scripts/score.py $(BIN) $(SCORE_OUT) $(SCORE_FLAGS)

clean:
	cargo clean
	rm -rf out
