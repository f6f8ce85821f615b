#!/usr/bin/env bash
# Install the Debian/Ubuntu packages that building and testing phi-redact need, only when
# some are missing (so a second run costs a dpkg query, not an apt run).
set -euo pipefail
packages=(
  build-essential pkg-config clang libclang-dev          # C toolchain and bindgen for -sys crates
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
  libavfilter-dev libavdevice-dev libswresample-dev ffmpeg   # video (ffmpeg-next)
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-eng   # OCR (leptess)
  libheif-dev                                            # HEIC/HEIF and AVIF photos (libheif-rs)
  cmake                                                  # JPEG-LS DICOM: CharLS is built from source
  dcmtk                                                  # dcmdump: tests check the DICOM written
  fonts-dejavu-core                                      # text rendered in test images
  fonts-dejavu-extra fonts-liberation2 fonts-dkg-handwriting fonts-humor-sans fonts-comic-neue fonts-ocr-b   # scripts/gen_corpus.py
  python3 python3-pip python3-venv unzip ca-certificates      # wheel fetching, scorer venv
)
# Browser tests of the HTML review page (not needed to build or run; `--no-browser-tests` skips
# them, as deploy/Dockerfile does). Node.js and npm drive them (playwright-core); a machine may
# already have them from elsewhere (NodeSource bundles npm, and Debian's npm package conflicts
# with it): ask for the commands, not the packages.
if [ "${1:-}" != "--no-browser-tests" ]; then
  packages+=(chromium fonts-liberation)
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
