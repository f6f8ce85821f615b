#!/usr/bin/env bash
# `make setup-gpu`: on a machine with an NVIDIA driver, ONNX Runtime's CUDA build and the CUDA
# 13 / cuDNN 9 runtime libraries it loads, from the pinned PyPI wheels of models/gpu-manifest.txt,
# each file verified by sha256, into models/gpu/ (about 2.3 GB unpacked; the wheels, 1.5 GB,
# stay in the wheel cache). Idempotent like `make setup`, which it runs first.
#
#   PHI_REDACT_GPU_ANYWAY=1 make setup-gpu    prepares the files on a machine without a driver
#                                             (to copy them to one that has it)
#
# Then: phi-redact redact ... --ort-lib models/gpu/libonnxruntime.so.1.31.1 (or set
# PHI_REDACT_ORT_LIB); `--device auto` uses the GPU when the CUDA provider registers.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -e /proc/driver/nvidia/version ] && [ "${PHI_REDACT_GPU_ANYWAY:-}" != 1 ]; then
  echo "setup-gpu: no NVIDIA driver on this machine (/proc/driver/nvidia/version is missing): nothing" >&2
  echo "  to run the CUDA libraries on. Install the driver (CUDA 13 needs 580 or newer), or set" >&2
  echo "  PHI_REDACT_GPU_ANYWAY=1 to fetch them for another machine." >&2
  exit 1
fi
scripts/fetch-from-wheels.sh models/gpu-manifest.txt models/gpu
echo "setup-gpu: done. Run with --ort-lib models/gpu/libonnxruntime.so.1.31.1 (or PHI_REDACT_ORT_LIB)."
