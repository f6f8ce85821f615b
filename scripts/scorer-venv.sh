#!/usr/bin/env bash
# A private Python environment for ../shared/tools/score_redaction.py (numpy, pillow,
# scikit-image), created once in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! .venv/bin/python -c "import numpy, PIL, skimage" >/dev/null 2>&1; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet numpy pillow scikit-image
fi
