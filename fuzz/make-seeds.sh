#!/usr/bin/env bash
# Writes the media seeds of the fuzz corpus (fuzz/seeds/media/): one tiny picture in each format
# phi-redact reads, made with Debian's ffmpeg (installed by `make setup`) and, for HEIC and AVIF,
# libheif's heif-enc (Debian's libheif-examples, which only this script needs). Committed;
# rerun to remake them.
set -euo pipefail
cd "$(dirname "$0")/seeds/media"
picture=(-v error -y -f lavfi -i "testsrc=size=24x16" -frames:v 1)
ffmpeg "${picture[@]}" tiny.png
ffmpeg "${picture[@]}" -pix_fmt rgba tiny-alpha.png
ffmpeg "${picture[@]}" tiny.jpg
ffmpeg "${picture[@]}" tiny.webp
ffmpeg "${picture[@]}" tiny.tiff
ffmpeg "${picture[@]}" tiny.bmp
heif-enc -q 50 -t 8 -o tiny.heic tiny.png         # with a thumbnail item
heif-enc -q 50 -o tiny.avif tiny.png
heif-enc -q 50 -o tiny-alpha.avif tiny-alpha.png
heif-enc -q 50 -o burst.heic tiny.png tiny.jpg    # two top-level images
