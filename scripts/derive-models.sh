#!/usr/bin/env bash
# Models the project derives from fetched ones, listed in models/manifest.txt with the source
# `derived:SCRIPT` and SCRIPT's input in the last column: centerface-int8.onnx, quantized
# from centerface.onnx by scripts/quantize-centerface.py with the committed activation ranges,
# and world-names.txt, the names in Faker's wheel, read by scripts/derive-world-names.py.
# The result is checked against the manifest's sha256 like any fetched file.
# Idempotent: a file already present with the right hash is left alone, and the Python
# environment (.venv-models, pinned by scripts/model-tools-requirements.txt) is made only
# when something must be derived.
set -euo pipefail
cd "$(dirname "$0")/.."
manifest=models/manifest.txt

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

while read -r file sha source input; do
  case "$source" in derived:*) ;; *) continue ;; esac
  target="models/$file"
  if [ -f "$target" ] && [ "$(sha_of "$target")" = "$sha" ]; then
    continue
  fi
  if ! .venv-models/bin/python -c "import onnx, onnxruntime" >/dev/null 2>&1; then
    echo "setup: creating .venv-models (pinned onnx and onnxruntime, from PyPI)"
    python3 -m venv .venv-models
    .venv-models/bin/pip install --quiet --require-virtualenv -r scripts/model-tools-requirements.txt
  fi
  script=${source#derived:}
  echo "setup: deriving $target with $script"
  rm -f "$target"
  .venv-models/bin/python "$script" models "$input"
  got=$(sha_of "$target")
  if [ "$got" != "$sha" ]; then
    rm -f "$target"
    echo "setup: sha256 mismatch for derived $file" >&2
    echo "  expected $sha" >&2
    echo "  got      $got" >&2
    exit 1
  fi
  echo "setup: $target verified ($sha)"
done < "$manifest"
