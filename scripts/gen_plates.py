#!/usr/bin/env python3
"""Generate a labelled corpus of licence plates in street and parking scenes.

    .venv/bin/python scripts/gen_plates.py OUT_DIR [--count N] [--first I]   (default N = 200, I = 0)

writes OUT_DIR/images/plate_NNNN_<scene>-<region>.jpg|png and OUT_DIR/labels.json in the
"phi-redact eval v1" format the shared scorer reads, each plate's characters labelled with
kind "plate" (only the registration, never the state name or slogan around it).

Plates are rendered in the layouts of five regions (us: state name, registration, slogan on
a 2:1 plate; eu: blue band and country letter on a 4.7:1 plate, in German, French, Dutch,
Italian, Spanish and Polish formats; uk: white front or yellow rear plates; ca and au),
mounted on drawn cars in five scenes (close-up, a car's rear in the street, a row of parked
cars, an ambulance bay with the fleet's own markings, and signage only), then warped with the
car (a slant, a turn of the plate away from the camera), lit, blurred, noised and saved as
JPEG or PNG. Some plates sit in a dealer's frame that hides their slogan; some cars are cut
by the image's border. Hard negatives stand around them: wall signs ("LEVEL 2", "ROOM 412",
"ICU 12", "P2-B14", "$3.00 PER HOUR"), a fleet number on an ambulance, bumper stickers.

A family, for `make score`'s split, is the scene and the region ("parking_row-eu"): the
validation split holds plate layouts and scenes no rule was tuned on.

Determinism: image i draws from random.Random(BASE_SEED + i) and
numpy.random.default_rng(BASE_SEED + i) only; image i does not depend on --count. `--first`
renders images I to I + N - 1: material no rule has yet been measured on.
"""
import argparse
import math
import os
import random
import string

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from gen_corpus import FontBook, Page, homography, save_image, warp_page, write_labels

BASE_SEED = 9_100_000
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"     # plates avoid I, O and Q
SCENES = ["closeup", "street", "parking_row", "ambulance_bay", "signage"]
REGIONS = ["us", "eu", "uk", "ca", "au"]
PLATE_FONTS = ["cond-b", "lsans-b", "sans-b", "mono-b", "ocrb"]
SIGNS = ["EXIT", "LEVEL 2", "ROOM 412", "ICU 12", "P2-B14", "$3.00 PER HOUR", "AMBULANCE ONLY",
         "ENTRANCE B", "FLU SHOTS", "GATE 7", "LOT C 118", "4 WEST", "NO PARKING", "SPEED LIMIT 5",
         "VISITOR PARKING", "EMERGENCY", "ZONE A3", "OR 3", "DOCK 2", "MAIN LOBBY"]
STICKERS = ["MY CHILD IS AN HONOR STUDENT", "I LOVE NURSES", "26", "BABY ON BOARD", "COEXIST"]
CAR_COLOURS = [(200, 200, 205), (30, 30, 34), (150, 20, 24), (20, 50, 120), (235, 235, 230),
               (90, 95, 100), (160, 130, 90), (30, 90, 60)]
US_STATES = [("CALIFORNIA", "dmv.ca.gov"), ("TEXAS", "The Lone Star State"), ("NEW YORK", "Excelsior"),
             ("ILLINOIS", "Land of Lincoln"), ("OHIO", "Birthplace of Aviation"), ("FLORIDA", "Sunshine State"),
             ("Michigan", "Pure Michigan"), ("WASHINGTON", "Evergreen State"), ("Georgia", "Peach State"),
             ("MASSACHUSETTS", "The Spirit of America"), ("NEW JERSEY", "Garden State"), ("ARIZONA", "Grand Canyon State")]


def pick(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def registration(rng, region):
    """A registration in one of the region's formats, as printed (spaces and hyphens kept)."""
    L = lambda n: pick(rng, LETTERS, n)
    D = lambda n: pick(rng, string.digits, n)
    formats = {
        "us": [lambda: f"{rng.randrange(1, 10)}{L(3)}{D(3)}", lambda: f"{L(3)}-{D(4)}", lambda: f"{L(3)} {D(4)}",
               lambda: f"{L(2)} {D(5)}", lambda: f"{L(3)} {L(1)}{D(2)}", lambda: f"{L(1)}{D(2)}-{L(3)}",
               lambda: f"{rng.randrange(1, 10)}{L(3)}{D(2)}", lambda: f"{D(3)} {L(3)}", lambda: f"{L(3)}{D(4)}"],
        "eu": [lambda: german(rng),
               lambda: f"{L(2)}-{D(3)}-{L(2)}",  # FR
               lambda: f"{D(2)}-{L(3)}-{D(1)}", lambda: f"{L(2)}-{D(3)}-{L(1)}",  # NL
               lambda: f"{L(2)} {D(3)}{L(2)}",  # IT
               lambda: f"{D(4)} {L(3)}",  # ES
               lambda: f"{L(2)} {D(5)}", lambda: f"{L(3)} {D(2)}{L(2)}"],  # PL
        "uk": [lambda: f"{L(2)}{D(2)} {L(3)}"],
        "ca": [lambda: f"{L(4)} {D(3)}", lambda: f"{L(1)}{D(2)} {L(3)}", lambda: f"{L(3)} {D(3)}"],
        "au": [lambda: f"{L(2)} {D(2)} {L(2)}", lambda: f"{D(1)}{L(2)} {D(1)}{L(2)}", lambda: f"{L(3)}-{D(3)}"],
    }
    return rng.choice(formats[region])()


def german(rng):
    """A district of one to three letters, one or two letters, a number: eight at most."""
    district, letters = pick(rng, LETTERS, rng.randrange(1, 4)), pick(rng, LETTERS, rng.randrange(1, 3))
    return f"{district} {letters} {rng.randrange(1, 10 ** min(4, 8 - len(district) - len(letters)))}"


def plate_page(fonts, rng, region):
    """The plate, flat: (Page, its frame's colour or None)."""
    font = rng.choice(PLATE_FONTS)
    reg = registration(rng, region)
    if region in ("us", "ca"):
        w, h, chars = 600, 300, 0.46
        bg = rng.choice([(250, 250, 250), (245, 240, 225), (235, 242, 250), (252, 236, 190)])
        ink = rng.choice([(20, 30, 110), (20, 20, 20), (140, 20, 20), (10, 80, 40)])
    elif region == "au":
        w, h, chars = 744, 268, 0.55
        bg, ink = rng.choice([((250, 214, 40), (10, 10, 10)), ((250, 250, 250), (10, 40, 110)), ((250, 250, 250), (10, 10, 10))])
    else:
        w, h, chars = 1040, 222, 0.68
        bg = (250, 250, 250) if region == "eu" or rng.random() < 0.5 else (250, 210, 30)
        if region == "eu" and rng.random() < 0.15:
            bg = (250, 210, 30)  # a Dutch plate
        ink = (15, 15, 15)
    pg = Page(fonts, w, h, bg, radius=h // 12)
    pg.draw.rounded_rectangle([4, 4, w - 5, h - 5], h // 12, outline=ink, width=max(3, h // 60))
    left = 0
    if region == "eu" or (region == "uk" and rng.random() < 0.5):
        left = int(h * 0.45)
        pg.draw.rectangle([6, 6, left, h - 7], fill=(0, 51, 153))
        code = rng.choice(["D", "F", "NL", "I", "E", "PL"]) if region == "eu" else "UK"
        cf = fonts.get("sans-b", h * 0.22)
        pg.text(6 + (left - cf.getlength(code)) / 2, h * 0.62, code, cf, (255, 255, 255))
        for k in range(12):  # the ring of stars
            a = 2 * math.pi * k / 12
            cx, cy = 6 + left / 2 + h * 0.12 * math.cos(a), h * 0.3 + h * 0.12 * math.sin(a)
            pg.draw.ellipse([cx - 3, cy - 3, cx + 3, cy + 3], fill=(255, 204, 0))
    size = h * chars / 0.72  # cap height is about 0.72 of the font's size
    f = fonts.get(font, size)
    room = (w - left) * 0.9
    squeeze = min(1.0, room / f.getlength(reg))
    f = fonts.get(font, size * squeeze) if squeeze < 1 else f
    top = (h - h * chars * min(1.0, squeeze * 1.1)) / 2 - f.getmetrics()[0] * 0.2
    pg.text(left + (w - left - f.getlength(reg)) / 2, top, reg, f, ink, "plate")
    if region in ("us", "ca", "au"):
        state, slogan = rng.choice(US_STATES) if region == "us" else \
            rng.choice([("ONTARIO", "Yours to discover"), ("QUÉBEC", "Je me souviens"), ("ALBERTA", "Wild Rose Country")]) \
            if region == "ca" else rng.choice([("NSW", "NEW SOUTH WALES"), ("VICTORIA", "Stay Safe"), ("QLD", "Sunshine State")])
        sf = fonts.get(rng.choice(["serif-b", "sans-b", "lserif-b"]), h * 0.13)
        pg.text((w - sf.getlength(state)) / 2, h * 0.05, state, sf, rng.choice([(150, 20, 20), (20, 40, 120), ink]))
        lf = fonts.get(rng.choice(["serif-i", "lsans-i"]), h * 0.09)
        pg.text((w - lf.getlength(slogan)) / 2, h * 0.83, slogan, lf, ink)
    frame = rng.choice([(20, 20, 20), (180, 180, 185)]) if rng.random() < 0.3 else None
    if frame:  # a dealer's frame over the plate's edge, hiding the slogan
        bar = int(h * 0.16)
        pg.draw.rectangle([0, h - bar, w, h], fill=frame)
        pg.draw.rectangle([0, 0, w, int(h * 0.05)], fill=frame)
        dealer = rng.choice(["SUNSET HONDA", "RIVERSIDE FORD", "METRO KIA"])
        df = fonts.get("sans-b", bar * 0.6)
        pg.text((w - df.getlength(dealer)) / 2, h - bar + bar * 0.1, dealer, df, (230, 230, 230) if frame[0] < 100 else (20, 20, 20))
    return pg


def street(rng, nrng, W, H):
    """A wall or building front over asphalt, as float32 H x W x 3."""
    horizon = int(H * rng.uniform(0.35, 0.6))
    wall = np.array([rng.randrange(90, 220) for _ in range(3)], np.float32)
    road = np.array([rng.randrange(50, 110)] * 3, np.float32)
    img = np.empty((H, W, 3), np.float32)
    img[:horizon] = wall
    img[horizon:] = road
    img += nrng.normal(0, 5, (H, W, 1)).astype(np.float32)
    im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(im)
    for _ in range(rng.randrange(0, 6)):  # windows, doors, pillars
        x, y = rng.randrange(0, W), rng.randrange(0, max(1, horizon - 40))
        shade = tuple(int(v * rng.uniform(0.4, 1.3)) % 256 for v in wall)
        d.rectangle([x, y, x + rng.randrange(30, 200), y + rng.randrange(30, 200)], fill=shade)
    for k in range(rng.randrange(0, 4)):  # parking bay lines
        x = rng.randrange(0, W)
        d.line([(x, H), (x + rng.randrange(-200, 200), horizon)], fill=(230, 230, 220), width=rng.randrange(3, 9))
    return im, horizon


def sign(fonts, rng, d, im, x, y, height, text):
    """A wall sign: a plate-shaped board with a short text (a hard negative)."""
    f = fonts.get(rng.choice(["sans-b", "cond-b", "lsans-b"]), height * 0.55)
    w = f.getlength(text) + height * 0.8
    bg, ink = rng.choice([((30, 90, 40), (255, 255, 255)), ((250, 250, 250), (20, 20, 20)), ((20, 50, 130), (255, 255, 255)),
                          ((250, 210, 30), (10, 10, 10)), ((200, 30, 30), (255, 255, 255))])
    d.rectangle([x, y, x + w, y + height], fill=bg, outline=(40, 40, 40), width=2)
    d.text((x + height * 0.4, y + height * 0.18), text, font=f, fill=ink)


def car(fonts, rng, im, cx, bottom, width, region, ambulance):
    """A car's rear drawn on `im` with its plate warped in place; returns the plate's labels."""
    d = ImageDraw.Draw(im)
    height = width * rng.uniform(0.55, 0.75)
    x0, y0, x1, y1 = cx - width / 2, bottom - height, cx + width / 2, bottom
    body = (240, 240, 238) if ambulance else rng.choice(CAR_COLOURS)
    d.rectangle([x0 + width * 0.08, y1 - height * 0.08, x0 + width * 0.22, y1 + height * 0.06], fill=(15, 15, 15))
    d.rectangle([x1 - width * 0.22, y1 - height * 0.08, x1 - width * 0.08, y1 + height * 0.06], fill=(15, 15, 15))
    d.rounded_rectangle([x0, y0, x1, y1 - height * 0.04], int(width * 0.06), fill=body)
    d.polygon([(x0 + width * 0.12, y0 + height * 0.05), (x1 - width * 0.12, y0 + height * 0.05),
               (x1 - width * 0.05, y0 + height * 0.38), (x0 + width * 0.05, y0 + height * 0.38)], fill=(40, 50, 60))
    for lx in (x0 + width * 0.03, x1 - width * 0.15):
        d.rectangle([lx, y0 + height * 0.45, lx + width * 0.12, y0 + height * 0.58], fill=(190, 20, 20))
    d.rectangle([x0, y1 - height * 0.22, x1, y1 - height * 0.05], fill=tuple(int(v * 0.6) for v in body))
    if ambulance:
        af = fonts.get("sans-b", height * 0.1)
        d.text((cx - af.getlength("AMBULANCE") / 2, y0 + height * 0.4), "AMBULANCE", font=af, fill=(200, 20, 20))
        unit = f"MEDIC {rng.randrange(1, 40)}"
        d.text((x0 + width * 0.05, y0 + height * 0.62), unit, font=fonts.get("sans-b", height * 0.07), fill=(20, 40, 140))
    elif rng.random() < 0.3:
        text = rng.choice(STICKERS)
        sf = fonts.get("sans-b", height * 0.045)
        sx, sy = x0 + width * 0.2, y0 + height * 0.4  # under the rear window
        d.rectangle([sx, sy, sx + sf.getlength(text) + 8, sy + height * 0.06], fill=(250, 250, 250))
        d.text((sx + 4, sy), text, font=sf, fill=(20, 20, 20))
    pg = plate_page(fonts, rng, region)
    share = {"us": 0.17, "ca": 0.17, "au": 0.21}.get(region, 0.29)
    pw = width * share
    ph = pw * pg.h / pg.w
    px, py = cx - pw / 2, y0 + height * 0.6
    turn = rng.uniform(-0.12, 0.12)  # the plate turned away: one side taller than the other
    slant = math.radians(rng.uniform(-5, 5))
    corners = [(-pw / 2, -ph / 2 * (1 - turn)), (pw / 2, -ph / 2 * (1 + turn)), (pw / 2, ph / 2 * (1 + turn)), (-pw / 2, ph / 2 * (1 - turn))]
    dst = [(px + pw / 2 + u * math.cos(slant) - v * math.sin(slant), py + ph / 2 + u * math.sin(slant) + v * math.cos(slant)) for u, v in corners]
    if rng.random() < 0.7:  # most cars hold the plate in a recess of dark plastic
        rim = ph * rng.uniform(0.08, 0.2)
        d.polygon([(dst[0][0] - rim, dst[0][1] - rim), (dst[1][0] + rim, dst[1][1] - rim),
                   (dst[2][0] + rim, dst[2][1] + rim), (dst[3][0] - rim, dst[3][1] + rim)], fill=(35, 35, 38))
    hm = homography([(0, 0), (pg.w, 0), (pg.w, pg.h), (0, pg.h)], dst)
    warped, labels = warp_page(pg, pw / pg.w, hm, im.width, im.height)
    im.paste(warped, (0, 0), warped)
    return labels


def scene_image(fonts, rng, nrng, scene, region):
    """(image, plate labels, notes) for one scene."""
    W, H = rng.choice([(1280, 720), (1600, 1000), (1024, 768), (1200, 900), (960, 640)])
    im, horizon = street(rng, nrng, W, H)
    d = ImageDraw.Draw(im)
    for _ in range(rng.randrange(1 if scene == "signage" else 0, 5 if scene == "signage" else 3)):
        height = rng.uniform(24, 90)
        sign(fonts, rng, d, im, rng.uniform(0, W * 0.8), rng.uniform(10, max(11, horizon - height - 10)), height, rng.choice(SIGNS))
    labels, notes = [], []
    if scene == "closeup":
        width = rng.uniform(0.9, 2.2) * W
        cut = rng.uniform(-0.25, 0.25) * W if rng.random() < 0.3 else 0.0
        labels += car(fonts, rng, im, W / 2 + cut, H * rng.uniform(0.85, 1.3), width, region, False)
        notes.append(f"close-up, car {width:.0f} px wide, offset {cut:.0f}")
    elif scene in ("street", "ambulance_bay"):
        width = rng.uniform(0.3, 0.8) * W
        cx = rng.uniform(width * 0.3, W - width * 0.3)  # may be cut by the border
        labels += car(fonts, rng, im, cx, min(H - 5, horizon + rng.uniform(0.6, 1.0) * (H - horizon)), width, region, scene == "ambulance_bay")
        notes.append(f"one car {width:.0f} px wide at x {cx:.0f}")
    elif scene == "parking_row":
        n = rng.randrange(2, 5)
        width = rng.uniform(0.9, 1.0) * W / n
        for k in range(n):
            labels += car(fonts, rng, im, width * (k + 0.5), min(H - 5, horizon + rng.uniform(0.4, 0.9) * (H - horizon)), width * 0.92, region, False)
        notes.append(f"{n} cars {width:.0f} px wide")
    img = np.asarray(im, np.float32)
    light = rng.choice(["day", "day", "dusk", "garage"])
    img = img * {"day": rng.uniform(0.9, 1.1), "dusk": rng.uniform(0.45, 0.7), "garage": rng.uniform(0.6, 0.85)}[light]
    sigma = rng.uniform(0, 7)
    img = img + nrng.standard_normal((H, W, 1), dtype=np.float32) * sigma
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    blur = rng.uniform(0, 1.3) if rng.random() < 0.6 else 0.0
    if blur > 0.2:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    notes.append(f"{W}x{H}, light {light}, noise {sigma:.1f}, blur {blur:.2f}")
    return out, [l for l in labels if readable(l)], "; ".join(notes)


def readable(label):
    """A plate whose characters stand at least 8 px tall and 24 px wide in the image: smaller
    ones cannot be read back, and are no breach."""
    return label["box"][3] >= 8 and label["box"][2] >= 24


def make_image(i, fonts, out_dir):
    seed = BASE_SEED + i
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    scene = SCENES[i % len(SCENES)]
    region = REGIONS[(i // len(SCENES)) % len(REGIONS)]
    family = f"{scene}-{region}"
    img, labels, notes = scene_image(fonts, rng, nrng, scene, region)
    name, enc = save_image(img, out_dir, f"plate_{i + 1:04d}_{family}", rng, 55)
    return {"file": f"images/{name}", "width": img.width, "height": img.height, "faces": [],
            "phi_text": labels, "family": family, "seed": seed, "notes": f"{notes}; {enc}"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--first", type=int, default=0, help="index of the first image rendered")
    a = ap.parse_args()
    fonts = FontBook()
    os.makedirs(os.path.join(a.out_dir, "images"), exist_ok=True)
    images = [make_image(i, fonts, a.out_dir) for i in range(a.first, a.first + a.count)]
    plates = sum(len(im["phi_text"]) for im in images)
    write_labels(a.out_dir, "plates", {"images": len(images), "plates": plates}, images)
    print(f"wrote {len(images)} images, {plates} plates to {a.out_dir}")


if __name__ == "__main__":
    main()
