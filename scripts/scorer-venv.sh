#!/usr/bin/env bash
# A private Python environment for ../shared/tools/score_redaction.py and the generated corpus
# (scripts/gen_corpus.py), created once in .venv. Pinned: the corpus is the same, pixel for
# pixel, only with the same numpy and Pillow.
set -euo pipefail
cd "$(dirname "$0")/.."
wanted=(numpy==2.4.6 pillow==13.0.0 scikit-image==0.26.0)
if ! .venv/bin/python -c "import numpy, PIL, skimage; assert (numpy.__version__, PIL.__version__, skimage.__version__) == ('2.4.6', '13.0.0', '0.26.0')" >/dev/null 2>&1; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet "${wanted[@]}"
fi
