#!/usr/bin/env bash
# Writes the media and DICOM seeds of the fuzz corpus (fuzz/seeds/media/, fuzz/seeds/dicom/):
# one tiny picture in each format phi-redact reads, made with Debian's ffmpeg (installed by
# `make setup`), for HEIC and AVIF libheif's heif-enc (Debian's libheif-examples, which only
# this script needs), and for DICOM DCMTK's img2dcm and its compressors (`make setup`).
# Committed; rerun to remake them.
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

# DICOM: one secondary capture from the picture, then the same compressed each way DCMTK can.
mkdir -p ../dicom && cd ../dicom
ffmpeg "${picture[@]}" -pix_fmt gray tiny-grey.bmp
ffmpeg "${picture[@]}" tiny-rgb.bmp
img2dcm -q -i BMP tiny-grey.bmp grey.dcm
img2dcm -q -i BMP tiny-rgb.bmp rgb.dcm
dcmconv -q +ti grey.dcm grey-implicit.dcm
dcmconv -q +tb rgb.dcm rgb-big-endian.dcm
dcmcrle -q rgb.dcm rgb-rle.dcm
dcmcjpeg -q grey.dcm grey-jpeg-lossless.dcm
dcmcjpeg -q +eb rgb.dcm rgb-jpeg-baseline.dcm
dcmcjpls -q grey.dcm grey-jpeg-ls.dcm
# 12-bit samples for the JPEG extended process, and YBR_FULL_422 stored uncompressed (FFmpeg's
# yuyv422 has the size of DICOM's Y Y Cb Cr order, which is all a seed needs).
ffmpeg "${picture[@]}" -pix_fmt gray12le -f rawvideo grey12.raw
ffmpeg "${picture[@]}" -pix_fmt yuyv422 -f rawvideo ybr422.raw
cp grey.dcm grey-12bit.dcm
dcmodify -nb -m "(0028,0100)=16" -m "(0028,0101)=12" -m "(0028,0102)=11" -mf "(7fe0,0010)=grey12.raw" grey-12bit.dcm
dcmcjpeg -q +ee grey-12bit.dcm grey-jpeg-12bit.dcm
cp rgb.dcm ybr-full-422.dcm
dcmodify -nb -m "(0028,0004)=YBR_FULL_422" -mf "(7fe0,0010)=ybr422.raw" ybr-full-422.dcm
rm tiny-grey.bmp tiny-rgb.bmp grey12.raw ybr422.raw grey-12bit.dcm
