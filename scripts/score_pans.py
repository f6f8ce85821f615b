"""Camera pans over the dev set's face-labelled photos, scored frame by frame (`make score`).

Each photo is filmed by two 640x360 camera moves, 50 frames at 25 fps:
- *sweep*: left to right across the photo, drifting up and down, so faces enter and leave
  half-cut at both side borders;
- *zoom*: from the bottom-right corner to the top-left one while zooming in to 1.4x, so faces
  move across the frame, grow, and cross the top and left borders.
Photos smaller than 1.25 frames each way are filmed together, side by side (`wall_of_photos`).
Where every labelled face is in every frame follows from the camera move itself.

A *face-frame* is one labelled face in one frame, at least `MIN_FACE_PX` tall as filmed, with at
least `MIN_VISIBLE` of its box inside the frame. It counts as redacted when the part in view
lost its structure: SSIM against the same part of the input frame below 0.6, the shared
scorer's rule (`../shared/tools/score_redaction.py`). Faces whose box is wholly in view and
those cut by the frame border are counted apart.

These photos are dev photos, tuned on: the figure is a tune figure, a regression check for
video tracking and border faces, not a measure of unseen material.
"""
import json
import os
import subprocess
import sys
import time

import numpy as np
from PIL import Image

FRAME_W, FRAME_H, FRAMES, FPS = 640, 360, 50, 25
MIN_FACE_PX = 10
MIN_VISIBLE = 0.5
ZOOM = 1.4
# Near-lossless, so that what changed between input and output is phi-redact's doing.
INPUT_CODEC = ["-c:v", "libx264", "-crf", "10", "-pix_fmt", "yuv420p"]


def camera_path(move, scene_w, scene_h):
    """The scene window `(x, y, w, h)` each frame shows."""
    windows = []
    for i in range(FRAMES):
        t = i / (FRAMES - 1)
        if move == "sweep":
            w, h = FRAME_W, FRAME_H
            x = t * (scene_w - w)
            y = (scene_h - h) * (0.5 + 0.5 * np.sin(2 * np.pi * t))
        else:
            w, h = FRAME_W / (1 + (ZOOM - 1) * t), FRAME_H / (1 + (ZOOM - 1) * t)
            x, y = (1 - t) * (scene_w - w), (1 - t) * (scene_h - h)
        windows.append((x, y, w, h))
    return windows


def film(scene, windows):
    """The frames a camera showing `windows` of `scene` records."""
    return [
        np.asarray(scene.resize((FRAME_W, FRAME_H), Image.BILINEAR, box=(x, y, x + w, y + h)))
        for (x, y, w, h) in windows
    ]


def face_in_frame(face, window):
    """A scene face box `[x, y, w, h]` as it appears in a frame showing `window`."""
    x, y, w, h = window
    sx, sy = FRAME_W / w, FRAME_H / h
    return [(face[0] - x) * sx, (face[1] - y) * sy, face[2] * sx, face[3] * sy]


def visible_part(box):
    """The part of a frame box inside the frame, and the share of the box it is."""
    x0, y0 = max(0.0, box[0]), max(0.0, box[1])
    x1, y1 = min(float(FRAME_W), box[0] + box[2]), min(float(FRAME_H), box[1] + box[3])
    if x1 <= x0 or y1 <= y0:
        return None, 0.0
    return [x0, y0, x1 - x0, y1 - y0], (x1 - x0) * (y1 - y0) / (box[2] * box[3])


def encode(frames, path):
    command = ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{FRAME_W}x{FRAME_H}"]
    command += ["-r", str(FPS), "-i", "-", *INPUT_CODEC, path]
    subprocess.run(command, input=b"".join(f.tobytes() for f in frames), check=True)


def decode_grey(path):
    command = ["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "gray", "-"]
    raw = subprocess.run(command, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, FRAME_H, FRAME_W).astype(np.float64)


def wall_of_photos(photos):
    """The photos side by side at their own size, centred in height, on grey: one scene wide
    enough to pan across, with no photo enlarged (an enlarged face is smoother than any a
    camera films, and keeps its structure under any blur)."""
    height = max(im.height for im, _ in photos)
    wall = Image.new("RGB", (sum(im.width for im, _ in photos), height), (128, 128, 128))
    faces, x = [], 0
    for im, photo_faces in photos:
        y = (height - im.height) // 2
        wall.paste(im, (x, y))
        faces += [[fx + x, fy + y, fw, fh] for fx, fy, fw, fh in photo_faces]
        x += im.width
    return wall, faces


def scenes(dev_root):
    """`(name, image, faces)` of every scene to film: each face-labelled dev photo large
    enough for a pan across it, and one wall of the smaller ones."""
    with open(os.path.join(dev_root, "labels.json")) as f:
        photos = [p for p in json.load(f)["images"] if p.get("faces")]
    small = []
    for photo in photos:
        image = Image.open(os.path.join(dev_root, photo["file"])).convert("RGB")
        if image.width >= 1.25 * FRAME_W and image.height >= 1.25 * FRAME_H:
            yield os.path.splitext(os.path.basename(photo["file"]))[0], image, photo["faces"]
        else:
            small.append((image, photo["faces"]))
    if small:
        yield ("wall-of-photos", *wall_of_photos(small))


def make_pans(dev_root, out_dir):
    """Films every scene; returns `{video name: (windows, scene faces)}`."""
    pans = {}
    # Anew each time: a video left from an earlier run would be redacted for nothing.
    subprocess.run(["rm", "-rf", os.path.join(out_dir, "input")], check=True)
    os.makedirs(os.path.join(out_dir, "input"))
    for stem, scene, faces in scenes(dev_root):
        for move in ("sweep", "zoom"):
            windows = camera_path(move, scene.width, scene.height)
            name = f"{stem}-{move}.mp4"
            encode(film(scene, windows), os.path.join(out_dir, "input", name))
            pans[name] = (windows, faces)
    return pans


def score_pan(before, after, windows, faces, box_ssim, ssim_max):
    """Face-frames `{"whole"|"cut": [redacted, total]}` of one pan, and the leaks."""
    counts = {"whole": [0, 0], "cut": [0, 0]}
    leaks = []
    for index, window in enumerate(windows):
        for face in faces:
            box = face_in_frame(face, window)
            part, share = visible_part(box)
            if part is None or share < MIN_VISIBLE or box[3] < MIN_FACE_PX:
                continue
            ssim = box_ssim(before[index], after[index], part)
            redacted = ssim is not None and ssim < ssim_max
            kind = "whole" if share >= 0.999 else "cut"
            counts[kind][0] += redacted
            counts[kind][1] += 1
            if not redacted:
                leaks.append((index, [round(v) for v in part], share))
    return counts, leaks


def run(binary, dev_root, out_dir, scorer_dir):
    """Films, redacts and scores the pans; prints and returns the totals."""
    sys.path.insert(0, scorer_dir)
    from score_redaction import SSIM_MAX, box_ssim  # the shared scorer's own rule

    pans = make_pans(dev_root, out_dir)
    started = time.monotonic()
    redacted_dir = os.path.join(out_dir, "redacted")
    subprocess.run(["rm", "-rf", redacted_dir], check=True)
    # Exit status 1 (a file failed) is scored as what it is: a missing output.
    subprocess.run([binary, "redact", os.path.join(out_dir, "input"), "--out", redacted_dir, "--quiet"], check=False)
    seconds = time.monotonic() - started
    frames = len(pans) * FRAMES
    print(f"pans: {len(pans)} camera moves, {frames} frames redacted in {seconds:.1f} s ({frames / seconds:.1f} fps)")
    totals = {"whole": [0, 0], "cut": [0, 0]}
    leaking_frames = 0
    for name, (windows, faces) in sorted(pans.items()):
        output = os.path.join(redacted_dir, name)
        before = decode_grey(os.path.join(out_dir, "input", name))
        after = decode_grey(output) if os.path.exists(output) else None
        if after is None or after.shape != before.shape:
            print(f"  {name}: no output, or not frame for frame (every face-frame counts as kept)")
            after = before
        counts, leaks = score_pan(before, after, windows, faces, box_ssim, SSIM_MAX)
        leaking_frames += len({index for index, _, _ in leaks})
        for kind in totals:
            totals[kind] = [a + b for a, b in zip(totals[kind], counts[kind])]
        if leaks:
            shown = ", ".join(f"frame {i} {box} ({share:.0%} in view)" for i, box, share in leaks[:4])
            print(f"  {name}: {len(leaks)} face-frames kept: {shown}{' ...' if len(leaks) > 4 else ''}")
    for kind, label in (("whole", "wholly in view"), ("cut", "cut by the border")):
        done, total = totals[kind]
        print(f"  faces {label}: {done}/{total} face-frames redacted ({100.0 * done / max(total, 1):.2f}%)")
    done = totals["whole"][0] + totals["cut"][0]
    total = totals["whole"][1] + totals["cut"][1]
    print(f"  all: {done}/{total} ({100.0 * done / max(total, 1):.2f}%); frames showing a face: {leaking_frames}/{frames}")
    return totals
