#!/usr/bin/env python3
"""`make score`: redact every labelled evaluation set and score the outputs from pixels alone,
split into *tune* and *validation*.

The sets: `../shared/eval/dev` (16 images: every rule and threshold before this split was
chosen on them, so all of it is tune), `../shared/eval/dev-extra` (rendered cards, labels,
screens), `../shared/eval/dev-forms` (real scanned letters and forms) and the project's own
generated corpus (`scripts/gen_corpus.py`, rendered into OUT/generated first). The set
*turned* holds the generated images with PHI turned a quarter or upside down
(`scripts/turned_corpus.py`); each is in the split of the image it was made from, and its
figures are printed on their own, outside the two splits' totals.

Split rule: a *family* is a template family (an ID card, a wristband, a pharmacy label...) or,
for real scans, the source document. A family falls in validation when the first byte of
sha256("SET/FAMILY") is odd. The rule names no file, so nobody picks what validation holds,
and a family is never on both sides: validation holds layouts no rule was written against.
Decide a change on the validation figures; the tune figures are what may be looked at freely.

Per split it prints PHI-text recall (overall and by Safe Harbor kind), strings still readable
by Tesseract, text boxes matching no PHI label (the precision figure), face recall and
over-redaction, all computed by the shared scorer (`../shared/tools/score_redaction.py`).
The set *plates* (`scripts/gen_plates.py`, rendered into OUT/plates) holds licence plates in
street and parking scenes; it is split the same way (a family is a scene and a plate region,
"parking_row-eu") and scored on its own: plates boxed (recall), plates still readable by
Tesseract, and plate boxes on no plate (the precision figure), beside over-redaction.

The set *photos* holds photographs with no person and no writing in them, bundled with
scikit-image (a cat, a cup of coffee, a garage, the Moon, coins, a retina...): none may be
touched, as a no-PHI photo must come back as it went in. It prints, per split, the photos
left untouched (no redaction in the report) and what touched the others, beside
over-redaction (there every changed pixel counts).

Then *pans*: camera moves over the dev set's face photos, face-frames redacted
(`scripts/score_pans.py`).

Usage: score.py BINARY OUT_DIR [--no-ocr] [--sets dev,dev-extra,...]
"""
import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict

import score_pans
import turned_corpus

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED_EVAL = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "eval"))
SCORER = os.path.normpath(os.path.join(SHARED_EVAL, "..", "tools", "score_redaction.py"))
GENERATOR = os.path.join(HERE, "gen_corpus.py")
PLATE_GENERATOR = os.path.join(HERE, "gen_plates.py")
SETS = ["dev", "dev-extra", "dev-forms", "generated", "turned", "plates", "photos", "pans"]
# Scored on their own, outside the PHI splits' totals.
SCORED_ALONE = {"turned", "plates", "photos"}
# scikit-image's bundled photographs with no person and no writing (not its astronaut or
# cameraman, who have faces, nor its pages of text).
PHOTOS = ["brick.png", "cell.png", "chelsea.png", "clock_motion.png", "coffee.png", "coins.png", "grass.png",
          "gravel.png", "hubble_deep_field.jpg", "ihc.png", "microaneurysms.png", "moon.png",
          "motorcycle_left.png", "motorcycle_right.png", "retina.jpg", "rocket.jpg"]
# Made from the generated corpus, and split as it is.
DERIVED_FROM = {"turned": "generated"}


def family_of(set_name, item):
    """The template family or source document an image belongs to."""
    stem = os.path.splitext(os.path.basename(item["file"]))[0]
    if set_name in ("generated", "plates"):
        return item["family"]
    if set_name == "dev-extra" and stem.startswith("syn_"):
        return "_".join(stem.split("_")[:2])  # syn_dl_03 -> syn_dl
    return stem  # a real document or photo is its own family


def split_of(set_name, item):
    if set_name == "dev":
        return "tune"  # tuned on for fourteen sessions: it can validate nothing
    source = DERIVED_FROM.get(set_name, set_name)
    digest = hashlib.sha256(f"{source}/{family_of(source, item)}".encode()).digest()
    return "validation" if digest[0] % 2 else "tune"


def set_root(set_name, out_dir):
    if set_name in ("generated", "turned", "plates", "photos"):
        return os.path.join(out_dir, set_name)
    return os.path.join(SHARED_EVAL, set_name)


def generated(generators, root, derived=()):
    """Runs the first of `generators` into `root` when any of them changed since it last did
    (they are deterministic), removing what was `derived` from it."""
    digest = hashlib.sha256()
    for generator in generators:
        with open(generator, "rb") as f:
            digest.update(f.read())
    stamp = digest.hexdigest()
    stamp_file = os.path.join(root, ".generator-sha256")
    if not (os.path.exists(stamp_file) and open(stamp_file).read() == stamp):
        subprocess.run(["rm", "-rf", root, *derived], check=True)
        subprocess.run([sys.executable, generators[0], root], check=True)
        with open(stamp_file, "w") as f:
            f.write(stamp)


def generate_corpus(out_dir):
    """The generated corpus and its turned copies."""
    root = os.path.join(out_dir, "generated")
    turned = os.path.join(out_dir, "turned")
    generated([GENERATOR], root, derived=[turned])
    if not os.path.exists(os.path.join(turned, "labels.json")):  # written last
        turned_corpus.make(root, turned)


def generate_plates(out_dir):
    """The plate corpus (its generator draws on the corpus generator's pages and warps)."""
    generated([PLATE_GENERATOR, GENERATOR], os.path.join(out_dir, "plates"))


def gather_photos(out_dir):
    """Copies the `PHOTOS` into OUT/photos, labelled as holding neither a face nor PHI."""
    import skimage.data
    from PIL import Image

    source = os.path.dirname(skimage.data.__file__)
    root = os.path.join(out_dir, "photos")
    os.makedirs(os.path.join(root, "images"), exist_ok=True)
    images = []
    for name in PHOTOS:
        destination = os.path.join(root, "images", name)
        shutil.copyfile(os.path.join(source, name), destination)
        with Image.open(destination) as image:
            width, height = image.size
        images.append({"file": f"images/{name}", "width": width, "height": height, "faces": [], "phi_text": []})
    with open(os.path.join(root, "labels.json"), "w") as f:
        json.dump({"format": "phi-redact eval v1", "set": "photos", "images": images, "videos": []}, f, indent=1)


def touched_photos(report, items):
    """For each of `items` that the report redacts anything in: its name and what was redacted
    (\"chelsea.png: 1 face\")."""
    wanted = {os.path.basename(i["file"]) for i in items}
    touched = []
    for entry in report["files"]:
        name = os.path.basename(entry["input"])
        kinds = defaultdict(int)
        for finding in entry.get("findings") or []:
            if finding.get("redacted"):
                kinds[finding["kind"]] += 1
        if name in wanted and (kinds or entry.get("status") == "failed"):
            what = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "failed"
            touched.append(f"{name}: {what}")
    return touched


def redact(binary, set_name, out_dir):
    """Runs phi-redact over a set's images; returns (report, seconds)."""
    root = set_root(set_name, out_dir)
    dest = os.path.join(out_dir, "outputs", set_name)
    subprocess.run(["rm", "-rf", dest], check=True)
    started = time.monotonic()
    # Exit status 1 (a file failed) is scored as what it is: missing outputs.
    subprocess.run([binary, "redact", os.path.join(root, "images"), "--out", os.path.join(dest, "images"), "--quiet"], check=False)
    seconds = time.monotonic() - started
    with open(os.path.join(dest, "images", "phi-redact-report.json")) as f:
        return json.load(f), seconds


def score_split(set_name, items, out_dir, split, no_ocr):
    """The shared scorer over one set's images of one split: (summary, per-region rows)."""
    labels_path = os.path.join(out_dir, "splits", f"{set_name}.{split}.json")
    os.makedirs(os.path.dirname(labels_path), exist_ok=True)
    with open(labels_path, "w") as f:
        json.dump({"images": items}, f)
    result_path = labels_path.replace(".json", ".scored.json")
    command = [sys.executable, SCORER, labels_path, set_root(set_name, out_dir), os.path.join(out_dir, "outputs", set_name), "--json", result_path]
    if no_ocr:
        command.append("--no-ocr")
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    with open(result_path) as f:
        scored = json.load(f)
    return scored["summary"], scored["regions"]


def overlaps(a, b):
    """The shared text_precision.py rule: a redaction counts as on a label when they share a
    fifth of the smaller box."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    return ix * iy > 0.2 * min(aw * ah, bw * bh)


TEXT_KINDS = ("text", "barcode", "plate")


def stray_text_boxes(report, items, kinds=TEXT_KINDS):
    """(redactions of `kinds`, those overlapping no PHI label) over `items`."""
    labels = {os.path.basename(i["file"]): i for i in items}
    total = stray = 0
    for entry in report["files"]:
        item = labels.get(os.path.basename(entry["input"]))
        if item is None:
            continue
        phi_boxes = [p["box"] for p in item.get("phi_text") or []]
        for finding in entry.get("findings") or []:
            if finding["kind"] not in kinds:
                continue
            total += 1
            stray += not any(overlaps(finding["box"], box) for box in phi_boxes)
    return total, stray


class Tally:
    """One split's figures, summed over sets."""

    def __init__(self):
        self.images = self.faces = self.faces_redacted = 0
        self.phi = self.phi_redacted = self.readable = self.ocr_checked = 0
        self.text_boxes = self.stray = 0
        self.over_sum = 0.0
        self.by_kind = defaultdict(lambda: [0, 0])
        self.sets = []

    def add(self, set_name, summary, regions, text_boxes, stray):
        self.sets.append(f"{set_name} {summary['images']}")
        self.images += summary["images"]
        self.faces += summary["faces"]
        self.faces_redacted += summary["faces_redacted"]
        self.phi += summary["phi_regions"]
        self.phi_redacted += summary["phi_redacted"]
        self.readable += summary["phi_still_readable"]
        self.ocr_checked += summary["phi_ocr_checked"]
        self.over_sum += (summary["over_redaction_mean"] or 0.0) * summary["images"]
        self.text_boxes += text_boxes
        self.stray += stray
        for row in regions:
            if "phi" in row:
                self.by_kind[row["phi"]][0] += bool(row["redacted"])
                self.by_kind[row["phi"]][1] += 1

    def plate_lines(self, name):
        pct = lambda n, d: f"{100.0 * n / d:.1f}% ({n}/{d})" if d else "n/a"
        yield f"{name}: {self.images} images"
        yield f"  plates boxed       {pct(self.phi_redacted, self.phi)}; still OCR-readable {self.readable}/{self.ocr_checked}"
        yield f"  plate boxes on no plate  {pct(self.stray, self.text_boxes)}"
        yield f"  over-redaction     {100.0 * self.over_sum / self.images:.2f}%" if self.images else "  over-redaction n/a"

    def lines(self, name):
        pct = lambda n, d: f"{100.0 * n / d:.1f}% ({n}/{d})" if d else "n/a"
        yield f"{name}: {self.images} images ({', '.join(self.sets)})"
        yield f"  PHI-text recall    {pct(self.phi_redacted, self.phi)}; still OCR-readable {self.readable}/{self.ocr_checked}"
        yield f"  text boxes matching no PHI label  {pct(self.stray, self.text_boxes)}"
        yield f"  face recall        {pct(self.faces_redacted, self.faces)}"
        yield f"  over-redaction     {100.0 * self.over_sum / self.images:.2f}%" if self.images else "  over-redaction n/a"
        kinds = ", ".join(f"{kind} {pct(*self.by_kind[kind])}" for kind in sorted(self.by_kind))
        yield f"  by kind: {kinds}"


def summary_line(summary):
    over = summary["over_redaction_mean"]
    return (
        f"PHI {summary['phi_redacted']}/{summary['phi_regions']}, readable {summary['phi_still_readable']}, "
        f"faces {summary['faces_redacted']}/{summary['faces']}, over-redaction {100.0 * (over or 0.0):.2f}%"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("out_dir")
    parser.add_argument("--no-ocr", action="store_true", help="skip the scorer's Tesseract readability check (faster)")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated, from: " + ", ".join(SETS))
    args = parser.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    unknown = [s for s in sets if s not in SETS]
    if unknown:
        parser.error(f"unknown set(s): {', '.join(unknown)}")

    if "generated" in sets or "turned" in sets:
        generate_corpus(args.out_dir)
    if "plates" in sets:
        generate_plates(args.out_dir)
    if "photos" in sets:
        gather_photos(args.out_dir)
    tallies = {"tune": Tally(), "validation": Tally()}
    plate_tallies = {"tune": Tally(), "validation": Tally()}
    for set_name in (s for s in sets if s != "pans"):
        with open(os.path.join(set_root(set_name, args.out_dir), "labels.json")) as f:
            items = json.load(f)["images"]
        report, seconds = redact(args.binary, set_name, args.out_dir)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{set_name}: {len(items)} images redacted in {seconds:.1f} s (peak of any run so far {peak_mb:.0f} MB)")
        for split, tally in tallies.items():
            chosen = [i for i in items if split_of(set_name, i) == split]
            if chosen:
                summary, regions = score_split(set_name, chosen, args.out_dir, split, args.no_ocr)
                if set_name == "photos":
                    touched = touched_photos(report, chosen)
                    over = 100.0 * (summary["over_redaction_mean"] or 0.0)
                    print(f"  {split}: untouched {len(chosen) - len(touched)}/{len(chosen)}, over-redaction {over:.2f}%")
                    print("".join(f"    touched: {line}\n" for line in touched), end="")
                    continue
                text_boxes, stray = stray_text_boxes(report, chosen, ("plate",) if set_name == "plates" else TEXT_KINDS)
                print(f"  {split}: {summary_line(summary)}, boxes matching no label {stray}/{text_boxes}")
                if set_name == "plates":
                    plate_tallies[split].add(set_name, summary, regions, text_boxes, stray)
                elif set_name not in SCORED_ALONE:
                    tally.add(set_name, summary, regions, text_boxes, stray)
    for split, tally in tallies.items():
        if tally.images:
            print()
            print("\n".join(tally.lines(split)))
    for split, tally in plate_tallies.items():
        if tally.images:
            print()
            print("\n".join(tally.plate_lines(f"plates, {split}")))
    if "pans" in sets:
        print()
        score_pans.run(args.binary, os.path.join(SHARED_EVAL, "dev"), os.path.join(args.out_dir, "pans"), os.path.dirname(SCORER))


if __name__ == "__main__":
    sys.exit(main())
