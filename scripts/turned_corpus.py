"""The generated corpus's images with PHI, photographed turned: every other one a quarter turn
anticlockwise (its lines read up the image), the rest upside down, with their labels moved
along. Scored as the set *turned*, in the split of the image it was made from: it measures
whether a page held the wrong way round is read as well as an upright one.

Usage: turned_corpus.py GENERATED_DIR TURNED_DIR
"""
import json
import os
import sys

from PIL import Image


def turned_box(box, turn, width, height):
    """Where a box (x, y, w, h) of a `width` x `height` image lies after the turn."""
    x, y, w, h = box
    if turn == 180:
        return [width - x - w, height - y - h, w, h]
    return [y, width - x - w, h, w]  # a quarter turn anticlockwise


def make(generated_dir, turned_dir):
    with open(os.path.join(generated_dir, "labels.json")) as f:
        items = [i for i in json.load(f)["images"] if i.get("phi_text")]
    os.makedirs(os.path.join(turned_dir, "images"), exist_ok=True)
    turned_items = []
    for index, item in enumerate(items):
        turn = 90 if index % 2 == 0 else 180
        image = Image.open(os.path.join(generated_dir, item["file"]))
        width, height = image.size
        stem, suffix = os.path.splitext(item["file"])
        name = f"{stem}-turned-{turn}{suffix}"
        turned = image.rotate(turn, expand=True)
        options = {"quality": 95} if suffix == ".jpg" else {}
        turned.save(os.path.join(turned_dir, name), **options)
        move = lambda box: turned_box(box, turn, width, height)
        turned_items.append(
            dict(
                item,
                file=name,
                width=turned.size[0],
                height=turned.size[1],
                phi_text=[dict(p, box=move(p["box"])) for p in item["phi_text"]],
                faces=[move(b) for b in item.get("faces") or []],
            )
        )
    with open(os.path.join(turned_dir, "labels.json"), "w") as f:
        json.dump({"images": turned_items}, f)


if __name__ == "__main__":
    make(sys.argv[1], sys.argv[2])
