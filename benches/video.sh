#!/usr/bin/env bash
# Video throughput and memory (a benchmark, not a test): frames per second of `phi-redact
# redact` on a 640x360 clip, faces only and with text, against deface 1.5.0 (the tool most
# people use) on the same clip in the same run, and peak memory on a 1280x720 clip.
#
# The clips are camera pans across a crowd photo (the dev set's parade photo when
# ../shared is present, otherwise the project's own crowd sample), 275 frames at 25 fps,
# made with ffmpeg into target/bench-video/. deface comes from PyPI into .bench-venv
# (skipped, with a note, when it cannot be installed).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/phi-redact
WORK=target/bench-video
mkdir -p "$WORK"

photo=../shared/eval/dev/images/wider_0_Parade_Parade_0_873.jpg
[ -f "$photo" ] || photo=samples/crowd-of-faces.png
pan_clip() { # width height output
  [ -f "$3" ] && return
  ffmpeg -v error -y -loop 1 -i "$photo" \
    -vf "scale=-2:max($2*1.5\,ih),crop=$1:$2:x='(iw-$1)*n/274':y='(ih-$2)*n/274',format=yuv420p" \
    -frames:v 275 -r 25 -c:v libx264 -crf 18 "$3"
}
pan_clip 640 360 "$WORK/pan-640x360.mp4"
pan_clip 1280 720 "$WORK/pan-1280x720.mp4"
FRAMES=275

# Prints "<seconds> <peak KB>" for a command.
measure() {
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr" >&2; return 1; }
  cat "$WORK/time"
}
fps() { awk -v f="$FRAMES" -v s="$1" 'BEGIN { printf "%.1f", f / s }'; }

rm -rf "$WORK/out"
read -r text_s _ < <(measure "$BIN" redact "$WORK/pan-640x360.mp4" --out "$WORK/out/text" --quiet)
read -r hd_s hd_kb < <(measure "$BIN" redact "$WORK/pan-1280x720.mp4" --out "$WORK/out/hd" --quiet)

if [ ! -x .bench-venv/bin/deface ]; then
  (python3 -m venv .bench-venv && .bench-venv/bin/pip install -q deface==1.5.0 onnxruntime) >/dev/null 2>&1 \
    || echo "bench: could not install deface==1.5.0 from PyPI; no comparison" >&2
fi
# Faces only against deface: two rounds, the two taking turns, and the faster run of each
# counts (this machine's speed drifts by 20% or more over minutes).
shorter() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }
faces_s= deface_s=
for round in 1 2; do
  rm -rf "$WORK/out/faces" "$WORK/out/deface.mp4"
  read -r s _ < <(measure "$BIN" redact "$WORK/pan-640x360.mp4" --out "$WORK/out/faces" --quiet --no-text)
  faces_s=$(shorter "$faces_s" "$s")
  if [ -x .bench-venv/bin/deface ]; then
    read -r s _ < <(measure .bench-venv/bin/deface "$WORK/pan-640x360.mp4" -o "$WORK/out/deface.mp4")
    deface_s=$(shorter "$deface_s" "$s")
  fi
done
deface_fps="not measured"
[ -n "$deface_s" ] && deface_fps="$(fps "$deface_s") frames/s (faces only is $(awk -v a="$deface_s" -v b="$faces_s" 'BEGIN { printf "%.2f", a / b }') times that)"

echo "video (640x360, $FRAMES frames, $(basename "$photo")):"
echo "  phi-redact, faces only:   $(fps "$faces_s") frames/s (faster of two runs)"
echo "  phi-redact, faces + text: $(fps "$text_s") frames/s"
echo "  deface 1.5.0, faces:      $deface_fps"
echo "video (1280x720, $FRAMES frames): phi-redact $(fps "$hd_s") frames/s, peak memory $((hd_kb / 1024)) MiB"
