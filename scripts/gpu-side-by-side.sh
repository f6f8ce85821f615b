#!/usr/bin/env bash
# On a GPU machine: the same images redacted on the CPU, on CUDA with few fixed input shapes
# and the face inputs batched across files (its defaults), on CUDA with each engine set's own
# face network, and on CUDA with aligned shapes, one after the other; prints each run's wall
# time and peak memory, the GPU's peak memory, and how many faces, text parts and plates each
# boxed (issue 20's side-by-side figures).
#
#   scripts/gpu-side-by-side.sh IMAGES [OUT]        (OUT defaults to $OUT or /tmp/gpu-side-by-side)
#
# ONNX Runtime's CUDA build is given as $ORT_DYLIB_PATH (../shared/tools/gpu-bundle.sh's
# gpu-env.sh exports it); the CPU run uses the verified library in models/.
set -euo pipefail
images=${1:?usage: scripts/gpu-side-by-side.sh IMAGES [OUT]}
out=${2:-${OUT:-/tmp/gpu-side-by-side}}
binary=target/release/phi-redact
: "${ORT_DYLIB_PATH:?set ORT_DYLIB_PATH to the CUDA build of ONNX Runtime (see ../shared/tools/gpu-bundle.sh)}"
mkdir -p "$out"

gpu_peak() {
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 >"$out/$1.gpu-memory" &
    echo $!
}

run() {
    local name=$1
    shift
    rm -rf "${out:?}/$name"
    local sampler
    sampler=$(gpu_peak "$name")
    /usr/bin/time -f "$name: %e s, peak %M KB" "$binary" redact "$images" --out "$out/$name" --quiet "$@" 2>>"$out/times.txt" || true
    kill "$sampler" 2>/dev/null || true
    local peak
    peak=$(sort -n "$out/$name.gpu-memory" 2>/dev/null | tail -1)
    echo "$name: GPU memory peak ${peak:-unknown (no nvidia-smi)} MiB" >>"$out/times.txt"
}

: >"$out/times.txt"
run cpu --device cpu
run cuda-few-fixed --device cuda --ort-lib "$ORT_DYLIB_PATH"
run cuda-per-engine-set --device cuda --ort-lib "$ORT_DYLIB_PATH" --batching per-engine-set
run cuda-aligned --device cuda --ort-lib "$ORT_DYLIB_PATH" --input-shapes aligned
cat "$out/times.txt"
python3 - "$out" <<'PY'
import json, os, sys
for name in ("cpu", "cuda-few-fixed", "cuda-per-engine-set", "cuda-aligned"):
    path = f"{sys.argv[1]}/{name}/phi-redact-report.json"
    if not os.path.exists(path):
        print(f"{name}: no report (the run did not start: see its error above)")
        continue
    report = json.load(open(path))
    totals, device = report["totals"], report["runtime"]["device"]
    print(f"{name}: {totals['faces']} faces, {totals['text_regions']} text parts, {totals['plates']} plates, "
          f"{totals['failed']} failed, on {device}, shapes {report['settings']['input_shapes']}, "
          f"batching {report['settings'].get('batching', 'per-engine-set')}")
PY
