"""Derives models/world-names.txt from the Faker wheel: the first names and surnames its person
providers list for some ninety countries and languages (Irish, Yoruba, Igbo, Twi, Vietnamese,
Polish, Turkish, Indian and many more; Faker is MIT-licensed), so that names the 1990 US
Census never counted are known too.

    derive-world-names.py MODELS_DIR WHEEL      # what `make setup` runs (scripts/derive-models.sh)

Each provider is read as Python source (never imported or run): every string in an assignment
to `first_names...`, `last_names...` or their `..._romanized_...` forms is split into words,
and the words written in the Latin alphabet are kept. Output: one `first WORD` or `last WORD`
per line, sorted, so that set-up writes the same bytes on every machine
(models/manifest.txt pins them). Case, accents and common English words are left for
phi-redact to judge when it loads the list.
"""

import ast
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

PROVIDER = re.compile(r"faker/providers/person/[A-Za-z_]+/__init__\.py")
NAME_LIST = re.compile(r"(first|last)_(?:romanized_)?names\w*")


def is_latin_word(word):
    """At least two letters, all of the Latin alphabet, with apostrophes and hyphens between."""
    letters = [c for c in word if c not in "'’-"]
    return (len(letters) >= 2 and word[0].isalpha() and word[-1].isalpha()
            and all(c.isalpha() and unicodedata.name(c, "").startswith("LATIN") for c in letters))


def names_in(source):
    """(kind, word) for every word of every name listed in one provider's source."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            listed = isinstance(target, ast.Name) and NAME_LIST.fullmatch(target.id)
            if not listed:
                continue
            for constant in ast.walk(value):
                if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                    for word in constant.value.split():
                        if is_latin_word(word):
                            yield listed.group(1), word


def main():
    models_dir, wheel = Path(sys.argv[1]), sys.argv[2]
    found = set()
    with zipfile.ZipFile(models_dir / wheel) as archive:
        for name in archive.namelist():
            if PROVIDER.fullmatch(name):
                found.update(names_in(archive.read(name).decode("utf-8")))
    lines = sorted(f"{kind} {word}" for kind, word in found)
    (models_dir / "world-names.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
