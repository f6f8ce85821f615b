#!/usr/bin/env python3
"""Generate a labelled evaluation corpus of rendered documents and photos with PHI text.

    .venv/bin/python scripts/gen_corpus.py OUT_DIR [--count N] [--first I]   (default N = 300, I = 0)

writes OUT_DIR/images/gen_NNNN_<family>.jpg|png and OUT_DIR/labels.json in the
"phi-redact eval v1" format that ../shared/tools/score_redaction.py reads.

Every image comes from one of seventeen template families (wristband, driver licence,
insurance card, pharmacy label, intake form, discharge letter, pay stub, lab requisition,
whiteboard, EHR screen, fax cover, parking notice, handwritten note, clinic schedule screen, and the negative-only price list, stock
bottle and directory sign), each with two or three layouts of its own.  Names come from many
origins (accented Hispanic, Vietnamese, Arabic, West African, Irish, Polish, Korean, Chinese,
Indian, Anglo, hyphenated ...), most of them absent from US census name lists; dates, phone
numbers, SSNs, MRNs and addresses come in many formats, next to hard negatives (money,
quantities, NDC/LOT/EXP, times, room numbers, a hospital's own phone and address).

Labels.  A `Page` draws every string through an ink mask of its own and, for a PHI string,
keeps that mask.  The page is then warped once onto a background (scale, rotation, mild
perspective); each kept mask goes through the same warp, and the label box is the bounding
box of the warped mask's pixels above LABEL_THRESHOLD: the string's ink after all geometric
transforms.  Photometric damage (lighting, blur, noise, JPEG) comes after and does not move
boxes.  One box per string per line; a name split over two lines gives two entries.

Label conventions.  Only the value is labelled, never its caption ("MRN:", "4d DLN").  A
title next to a name ("Dr.", "Ms.") and a credential ("MD", "NP") are inside the name's box.
A date of birth is kind "dob"; other dates tied to the person (admission, fill, collection,
pay period, licence issue and expiry, letter date) are "date"; dates that are not (a menu's
week, LOT/EXP of a product, form revision years) are unlabelled.  "City, ST 12345" gives a
city box and a ZIP box ("location"); the state is not labelled.  Ages over 89 are printed as
"90+".  A table cell too narrow for a name shows it cut with an ellipsis, labelled as shown.
The images of a family take its layouts in turn (Ctx.variant), so every layout gets its share.

Determinism.  Image i (0-based) draws everything from random.Random(BASE_SEED + i) and
numpy.random.default_rng(BASE_SEED + i) and from nothing else: no clock, no hash()-ordered
sets, no global random state.  Two runs with the same --count write byte-identical files
(with the same Pillow/numpy/FreeType), and image i does not depend on --count. `--first`
renders images no rule has been measured on (`make score` renders images 0-299).

Fonts are Debian packages only (scripts/install-system-packages.sh installs them); a missing
font file stops the run with the package to install.  A string is drawn only in a font that
has glyphs for all its characters (FontBook.covering).
"""
import argparse
import json
import math
import os
import random
import sys
import unicodedata
from datetime import date, timedelta

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

BASE_SEED = 7_300_000
LABEL_THRESHOLD = 90          # warped-mask level (of 255) that counts as ink
MIN_SIDE, MAX_SIDE = 600, 1800
INK = (22, 22, 28)

# ----------------------------------------------------------------------------- fonts

FONT_ROOT = "/usr/share/fonts"
FONT_FILES = {  # key: (path under FONT_ROOT, Debian package)
    "sans": ("truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    "sans-b": ("truetype/dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    "sans-i": ("truetype/dejavu/DejaVuSans-Oblique.ttf", "fonts-dejavu-extra"),
    "cond": ("truetype/dejavu/DejaVuSansCondensed.ttf", "fonts-dejavu-extra"),
    "cond-b": ("truetype/dejavu/DejaVuSansCondensed-Bold.ttf", "fonts-dejavu-extra"),
    "serif": ("truetype/dejavu/DejaVuSerif.ttf", "fonts-dejavu-core"),
    "serif-b": ("truetype/dejavu/DejaVuSerif-Bold.ttf", "fonts-dejavu-core"),
    "serif-i": ("truetype/dejavu/DejaVuSerif-Italic.ttf", "fonts-dejavu-extra"),
    "mono": ("truetype/dejavu/DejaVuSansMono.ttf", "fonts-dejavu-core"),
    "mono-b": ("truetype/dejavu/DejaVuSansMono-Bold.ttf", "fonts-dejavu-core"),
    "lsans": ("truetype/liberation2/LiberationSans-Regular.ttf", "fonts-liberation2"),
    "lsans-b": ("truetype/liberation2/LiberationSans-Bold.ttf", "fonts-liberation2"),
    "lsans-i": ("truetype/liberation2/LiberationSans-Italic.ttf", "fonts-liberation2"),
    "lserif": ("truetype/liberation2/LiberationSerif-Regular.ttf", "fonts-liberation2"),
    "lserif-b": ("truetype/liberation2/LiberationSerif-Bold.ttf", "fonts-liberation2"),
    "lserif-i": ("truetype/liberation2/LiberationSerif-Italic.ttf", "fonts-liberation2"),
    "lmono": ("truetype/liberation2/LiberationMono-Regular.ttf", "fonts-liberation2"),
    "lmono-b": ("truetype/liberation2/LiberationMono-Bold.ttf", "fonts-liberation2"),
    "hand": ("truetype/fifthhorseman/dkg.ttf", "fonts-dkg-handwriting"),
    "hand-b": ("truetype/fifthhorseman/dkgBd.ttf", "fonts-dkg-handwriting"),
    "hand-i": ("truetype/fifthhorseman/dkgIt.ttf", "fonts-dkg-handwriting"),
    "humor": ("truetype/humor-sans/Humor-Sans.ttf", "fonts-humor-sans"),
    "comic": ("opentype/comic-neue/ComicNeue-Regular.otf", "fonts-comic-neue"),
    "comic-b": ("opentype/comic-neue/ComicNeue-Bold.otf", "fonts-comic-neue"),
    "ocrb": ("opentype/ocr-b/OCRB.otf", "fonts-ocr-b"),
}
FACES = {  # typeface choices a template draws from: (regular, bold)
    "sans": [("sans", "sans-b"), ("lsans", "lsans-b"), ("cond", "cond-b")],
    "serif": [("serif", "serif-b"), ("lserif", "lserif-b")],
    "mono": [("mono", "mono-b"), ("lmono", "lmono-b"), ("ocrb", "lmono-b")],
    "hand": [("hand", "hand-b"), ("humor", "humor"), ("comic", "comic-b")],
}
SIGNATURE_FONTS = ["hand-i", "hand", "hand-b", "comic", "humor"]
FALLBACK = {  # tried in order when a font lacks a glyph; "lsans" and "sans" cover everything
    "hand": ["comic", "sans-i"], "hand-b": ["comic-b", "sans-b"], "hand-i": ["serif-i"],
    "humor": ["comic", "hand", "sans-i"], "comic": ["hand", "sans-i"], "comic-b": ["sans-b"],
    "ocrb": ["lmono", "mono"], "mono": ["lmono"], "mono-b": ["lmono-b"],
    "sans-b": ["lsans-b"], "cond-b": ["lsans-b"], "serif-b": ["lserif-b"],
}


class FontBook:
    """Loads fonts by key and size; knows which characters each font has glyphs for."""

    def __init__(self):
        missing = [(os.path.join(FONT_ROOT, p), pkg) for p, pkg in FONT_FILES.values()
                   if not os.path.isfile(os.path.join(FONT_ROOT, p))]
        if missing:
            pkgs = sorted({pkg for _, pkg in missing})
            sys.exit("gen_corpus: missing font file(s):\n  " +
                     "\n  ".join(f"{path}  (Debian package {pkg})" for path, pkg in missing) +
                     f"\ninstall them: apt-get install {' '.join(pkgs)}"
                     "  (or run scripts/install-system-packages.sh)")
        self._fonts, self._glyph, self._notdef = {}, {}, {}

    def get(self, key, size):
        k = (key, max(4, int(round(size))))
        f = self._fonts.get(k)
        if f is None:
            path = os.path.join(FONT_ROOT, FONT_FILES[key][0])
            f = ImageFont.truetype(path, k[1], layout_engine=ImageFont.Layout.BASIC)
            f.key = key
            self._fonts[k] = f
        return f

    def has_glyphs(self, key, text):
        probe = self.get(key, 24)
        if key not in self._notdef:
            m = probe.getmask("\uffff")
            self._notdef[key] = (m.size, bytes(m))
        for ch in text:
            if ch.isspace():
                continue
            ok = self._glyph.get((key, ch))
            if ok is None:
                m = probe.getmask(ch)
                ok = (m.size, bytes(m)) != self._notdef[key]
                self._glyph[(key, ch)] = ok
            if not ok:
                return False
        return True

    def covering(self, font, text):
        """`font`, or the first fallback of the same size that has every glyph of `text`."""
        for key in [font.key] + FALLBACK.get(font.key, []) + ["lsans", "sans"]:
            if self.has_glyphs(key, text):
                return font if key == font.key else self.get(key, font.size)
        raise ValueError(f"no font has glyphs for {text!r}")


def asc(font):
    return font.getmetrics()[0]


def lh(font):
    a, d = font.getmetrics()
    return a + d


# ----------------------------------------------------------------------------- the page

_ROTATE = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180,
           270: Image.Transpose.ROTATE_270}


class Page:
    """A flat document. Every string is drawn through an ink mask; PHI masks are kept as labels.

    Positions are the top-left corner of a string's layout box (ascender line, left edge);
    rotate=90 reads bottom-to-top, 270 top-to-bottom, 180 upside down, and (x, y) is then the
    top-left of the rotated box.  `body_px` is the size of the page's main PHI text, from which
    compose() picks the final scale.
    """

    def __init__(self, fonts, w, h, color=(255, 255, 255), radius=0):
        self.fonts, self.w, self.h = fonts, int(w), int(h)
        self.img = Image.new("RGB", (self.w, self.h), color)
        self.draw = ImageDraw.Draw(self.img)
        self.alpha = None
        if radius:
            self.alpha = Image.new("L", (self.w, self.h), 0)
            ImageDraw.Draw(self.alpha).rounded_rectangle([0, 0, self.w - 1, self.h - 1],
                                                         radius, fill=255)
        self.labels = []     # (text, kind, mask crop, x, y)
        self.body_px = 20
        self.notes = []

    def text(self, x, y, s, font, fill=INK, kind=None, rotate=0):
        """Draw one string; return its layout box (x0, y0, x1, y1)."""
        font = self.fonts.covering(font, s)
        x, y = int(round(x)), int(round(y))
        a, d = font.getmetrics()
        w = int(math.ceil(font.getlength(s)))
        lw, lhh = (w, a + d) if rotate in (0, 180) else (a + d, w)
        if not s.strip():
            return (x, y, x + lw, y + lhh)
        pad = font.size // 2 + 2
        m = Image.new("L", (w + 2 * pad, a + d + 2 * pad), 0)
        ImageDraw.Draw(m).text((pad, pad), s, font=font, fill=255)
        if rotate:
            m = m.transpose(_ROTATE[rotate])
        bb = m.getbbox()
        if bb:
            ox, oy = x - pad + bb[0], y - pad + bb[1]
            # clip to the page so a label never covers ink that is not there
            cx0, cy0 = max(ox, 0), max(oy, 0)
            cx1, cy1 = min(ox + bb[2] - bb[0], self.w), min(oy + bb[3] - bb[1], self.h)
            if cx1 > cx0 and cy1 > cy0:
                crop = m.crop((bb[0] + cx0 - ox, bb[1] + cy0 - oy,
                               bb[0] + cx1 - ox, bb[1] + cy1 - oy))
                self.img.paste(fill, (cx0, cy0, cx1, cy1), crop)
                if kind:
                    self.labels.append((s, kind, crop, cx0, cy0))
        return (x, y, x + lw, y + lhh)

    def runs(self, x, y, parts, font, fill=INK, rotate=0, max_w=None):
        """One line made of parts (text, kind[, font[, fill]]) drawn end to end; each labelled
        part gets its own box.  Baselines are aligned.  A line longer than max_w (by default:
        up to the page's right edge, less a margin) is drawn smaller.  Returns the line's
        layout box."""
        if max_w is None and rotate == 0:
            max_w = self.w - x - 16
        items = []
        for p in parts:
            f = self.fonts.covering(p[2] if len(p) > 2 and p[2] else font, p[0])
            items.append((p[0], p[1], f, p[3] if len(p) > 3 and p[3] else fill))
        total = sum(f.getlength(t) for t, _, f, _ in items)
        if max_w and total > max_w:
            k = max_w / total
            items = [(t, kd, self.fonts.get(f.key, f.size * k), col) for t, kd, f, col in items]
        widths = [f.getlength(t) for t, _, f, _ in items]
        total = sum(widths)
        ma = max(asc(f) for _, _, f, _ in items)
        md = max(f.getmetrics()[1] for _, _, f, _ in items)
        adv = 0.0
        for (t, kind, f, col), w in zip(items, widths):
            a, d = f.getmetrics()
            if rotate == 0:
                pos = (x + adv, y + ma - a)
            elif rotate == 180:
                pos = (x + total - adv - w, y + md - d)
            elif rotate == 90:
                pos = (x + ma - a, y + total - adv - w)
            else:
                pos = (x + md - d, y + adv)
            self.text(pos[0], pos[1], t, f, col, kind, rotate)
            adv += w
        tw = int(math.ceil(total))
        return (x, y, x + tw, y + ma + md) if rotate in (0, 180) else (x, y, x + ma + md, y + tw)

    def field(self, x, y, caption, value, cf, vf, mode="beside", gap=10, fill=INK,
              cap_fill=None, line_to=None, max_w=None):
        """A form field: caption plus value lines (each a parts list).  mode 'beside': value
        right of the caption; 'under': caption above the value; 'line': value written on a
        rule, caption printed small under the rule.  A value wider than max_w is drawn
        smaller.  Returns the y below the field."""
        cap_fill = cap_fill or fill
        if max_w:
            if mode == "beside":
                max_w -= self.fonts.covering(cf, caption).getlength(caption) + gap
            widest = max(sum(self.fonts.covering(vf, t).getlength(t) for t, *_ in parts) for parts in value)
            if widest > max_w:
                vf = self.fonts.get(vf.key, vf.size * max_w / widest)
        step = int(lh(vf) * 1.15)
        if mode == "beside":
            self.text(x, y + asc(vf) - asc(cf), caption, cf, cap_fill)
            vx = x + self.fonts.covering(cf, caption).getlength(caption) + gap
            for k, parts in enumerate(value):
                self.runs(vx, y + k * step, parts, vf, fill)
                if line_to:
                    ly = y + k * step + asc(vf) + 4
                    self.draw.line([(vx - 4, ly), (line_to, ly)], fill=(120, 120, 120), width=1)
            return y + max(1, len(value)) * step
        if mode == "under":
            self.text(x, y, caption, cf, cap_fill)
            y += lh(cf) + gap // 2
            for k, parts in enumerate(value):
                self.runs(x, y + k * step, parts, vf, fill)
            return y + max(1, len(value)) * step
        # mode == "line"
        for k, parts in enumerate(value):
            self.runs(x + 6, y + k * step, parts, vf, fill)
        ly = y + max(1, len(value)) * step - step + asc(vf) + max(3, vf.getmetrics()[1])
        self.draw.line([(x, ly), (line_to or x + 400, ly)], fill=(90, 90, 90), width=2)
        self.text(x, ly + 4, caption, cf, cap_fill)
        return ly + 4 + lh(cf)

    def paragraph(self, x, y, width, segments, font, fill=INK, leading=1.35):
        """Running text from segments (text, kind[, nobreak]), word-wrapped to `width`.  Only
        plain text and names break at line ends (each line's piece of a name is its own label);
        other labelled segments, and plain ones marked nobreak, stay whole."""
        chars, attrs, breakable = [], [], []
        for seg, (t, kind, *nobreak) in enumerate(segments):
            chars.extend(t)
            attrs.extend([(kind, seg if kind else -1)] * len(t))
            breakable.extend([kind in (None, "name") and not any(nobreak)] * len(t))
        text = "".join(chars)
        breaks = [i for i, ch in enumerate(text) if ch == " " and breakable[i]]
        words, start = [], 0
        for b in breaks + [len(text)]:
            if b > start:
                words.append((start, b))
            start = b + 1
        step = int(lh(font) * leading)
        lines, cur = [], None
        for ws, we in words:
            if cur and font.getlength(text[cur[0]:we]) > width:
                lines.append(cur)
                cur = None
            cur = (cur[0], we) if cur else (ws, we)
        if cur:
            lines.append(cur)
        for ls, le in lines:
            parts, i = [], ls
            while i < le:
                j = i
                while j < le and attrs[j] == attrs[i]:
                    j += 1
                parts.append((text[i:j], attrs[i][0]))
                i = j
            self.runs(x, y, parts, font, fill)
            y += step
        return y

    # --- graphics (never labelled)
    def barcode(self, rng, x, y, w, h, color=INK):
        cx = x
        while cx < x + w:
            bw = rng.choice([2, 2, 3, 4, 6])
            if cx + bw > x + w:
                break
            self.draw.rectangle([cx, y, cx + bw - 1, y + h], fill=color)
            cx += bw + rng.choice([2, 3, 4, 5])

    def qr(self, rng, x, y, size, color=INK):
        n = 21
        u = size / n
        for r in range(n):
            for c in range(n):
                finder = (r < 7 and c < 7) or (r < 7 and c >= n - 7) or (r >= n - 7 and c < 7)
                if finder:
                    rr, cc = r % (n - 7) if r >= 7 else r, c % (n - 7) if c >= 7 else c
                    on = rr in (0, 6) or cc in (0, 6) or (2 <= rr <= 4 and 2 <= cc <= 4)
                else:
                    on = rng.random() < 0.5
                if on:
                    self.draw.rectangle([x + c * u, y + r * u, x + (c + 1) * u - 1,
                                         y + (r + 1) * u - 1], fill=color)

    def silhouette(self, x, y, w, h, bg=(200, 214, 230)):
        """A grey head-and-shoulders placeholder photo (no face)."""
        tile = Image.new("RGB", (w, h), bg)
        d = ImageDraw.Draw(tile)
        d.ellipse([w * 0.3, h * 0.12, w * 0.7, h * 0.6], fill=(128, 128, 132))
        d.ellipse([w * 0.08, h * 0.62, w * 0.92, h * 1.3], fill=(128, 128, 132))
        self.img.paste(tile, (x, y))

    def box(self, xy, outline=(60, 60, 60), width=2, fill=None):
        self.draw.rectangle(xy, outline=outline, width=width, fill=fill)


# ----------------------------------------------------------------------------- fake data

ORIGINS = [  # (origin, given names, family names); most are absent from US census lists
    ("hispanic",
     ["María José", "José Luis", "Juan Carlos", "Ximena", "Itzel", "Guadalupe", "Jesús", "Inés",
      "Begoña", "Ángel", "Dolores", "Iñaki", "Yareli", "Araceli", "Maricruz", "Teodoro"],
     ["García", "López", "Hernández", "Núñez", "Ibáñez", "Peña", "Echeverría", "Zúñiga",
      "Castañeda", "Villaseñor", "Muñoz", "Ordóñez", "Saldaña", "Treviño", "Quiñones", "Báez"]),
    ("vietnamese",
     ["Thị Hương", "Văn Đức", "Minh Khôi", "Thanh Hằng", "Quốc Bảo", "Ngọc Ánh", "Hữu Phước",
      "Thu Trang", "Bảo Ngọc", "Đức Anh", "Thị Mỹ Duyên"],
     ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
      "Dương", "Lý", "Trương"]),
    ("arabic",
     ["Abdulrahman", "Fatimah", "Mohammed", "Nour", "Yousef", "Khadija", "Abdel-Aziz", "Rania",
      "Tariq", "Hamza", "Layla", "Samira", "Zainab", "Mustafa"],
     ["Al-Hashimi", "El-Sayed", "Al-Qahtani", "Abu-Ghazaleh", "El Amrani", "Al Mansour",
      "Haddad", "Bou Khalil", "Abdelrahman", "Al-Farsi", "Bin Saleh", "El-Khoury", "Nasrallah"]),
    ("nigerian",
     ["Oluwaseun", "Chukwuemeka", "Ngozi", "Adaeze", "Babatunde", "Olamide", "Chiamaka",
      "Oluwadamilare", "Ifeoma", "Temitope", "Obinna", "Funmilayo"],
     ["Okonkwo", "Adeyemi", "Nwachukwu", "Eze", "Ogunleye", "Okafor", "Oyelaran", "Adebayo",
      "Onyekachi", "Olaniyan", "Akinwande", "Ikechukwu"]),
    ("ghanaian",
     ["Kwame", "Akosua", "Kofi", "Ama", "Yaw", "Abena", "Kwabena", "Efua", "Kwaku", "Adwoa",
      "Esi", "Kojo"],
     ["Mensah", "Owusu", "Boateng", "Asante", "Agyeman", "Ofori", "Osei-Tutu", "Appiah",
      "Darko", "Amoako", "Frimpong", "Gyamfi"]),
    ("irish",
     ["Siobhán", "Aoife", "Niamh", "Pádraig", "Caoimhe", "Oisín", "Ciarán", "Saoirse", "Éabha",
      "Tadhg", "Róisín", "Cathal", "Donnchadh"],
     ["O'Sullivan", "McCarthy", "Ó Súilleabháin", "Mac Giolla Phádraig", "Ní Bhriain",
      "O'Donoghue", "McGillicuddy", "Ó Ceallaigh", "MacNamara", "O'Shaughnessy", "Breathnach"]),
    ("polish",
     ["Małgorzata", "Grzegorz", "Wojciech", "Zbigniew", "Agnieszka", "Łukasz", "Józef",
      "Krzysztof", "Jadwiga", "Przemysław", "Bożena", "Zdzisław"],
     ["Wiśniewski", "Brzęczyszczykiewicz", "Szczepańska", "Kowalczyk", "Wójcik", "Grabowski",
      "Żółkiewska", "Chrząszcz", "Dąbrowski", "Krawczyk", "Pietrzak", "Ślusarczyk"]),
    ("korean",
     ["Seo-yeon", "Ji-hoon", "Min-jun", "Ha-eun", "Jae-won", "Soo-ah", "Dong-hyun", "Eun-ji",
      "Hyun-woo", "Yeon-seo"],
     ["Kim", "Park", "Choi", "Jeong", "Yoon", "Gwon", "Seo", "Baek", "Hwang", "Ryu", "Jang"]),
    ("chinese",
     ["Xiaoming", "Zhiwei", "Yuxuan", "Meiling", "Jianguo", "Huifang", "Xinyi", "Zihan",
      "Wing-Yan", "Ka-Ho", "Qiang", "Shuang"],
     ["Zhang", "Wang", "Liu", "Xu", "Zhou", "Guo", "Ouyang", "Szeto", "Zheng", "Cheung", "Xiao",
      "Qian"]),
    ("indian",
     ["Venkataraman", "Lakshmi", "Arjun", "Priyanka", "Siddharth", "Meenakshi", "Harpreet",
      "Gurpreet", "Aishwarya", "Raghav", "Deepika", "Sreenivas"],
     ["Subramanian", "Chatterjee", "Raghunathan", "Iyer", "Bhattacharya", "Gill",
      "Krishnamurthy", "Venkatesan", "Sandhu", "Mukhopadhyay", "Reddy", "Nair"]),
    ("anglo",
     ["John", "Mary", "Robert", "Jennifer", "Thaddeus", "Winifred", "Peregrine", "Ebenezer",
      "Tabitha", "Gwendolyn", "Bartholomew", "Ashleigh", "Brayden", "Kaydence"],
     ["Smith", "Johnson", "Fairweather", "Ashdown", "Pennywhistle", "Thistlethwaite",
      "Blackwood", "Winterbottom", "Hargreaves", "Featherstonehaugh", "Cholmondeley", "Brown"]),
    ("ethiopian",
     ["Tigist", "Abebe", "Meseret", "Yohannes", "Selamawit", "Dawit"],
     ["Gebremedhin", "Tesfaye", "Haile-Mariam", "Woldemichael", "Bekele", "Alemayehu"]),
    ("turkish",
     ["Gökhan", "Çağla", "Şükrü", "İlknur", "Ömer", "Büşra"],
     ["Öztürk", "Çelik", "Yıldırım", "Şahin", "Karagöz", "Güneş"]),
    ("lusophone",
     ["João", "Conceição", "Sebastião", "Glória", "Thiago", "Letícia"],
     ["Gonçalves", "Magalhães", "Assunção", "Araújo", "Conceição", "Fernandes"]),
]
STREETS = ["Elmwood", "Martin Luther King Jr", "Old Mill", "Peachtree", "Calle Peñasco",
           "Lakeshore", "Orchard Hill", "Quail Run", "Kettle Creek", "Bay Ridge", "Sycamore",
           "Harborview", "Coyote Canyon", "Magnolia", "Chestnut", "Cedar Bluff", "Foxglove",
           "Whispering Pines", "Saint Anne", "Tamarack", "Juniper Hollow", "Wyandotte"]
SUFFIXES = ["St", "Street", "Ave", "Avenue", "Rd", "Road", "Blvd", "Lane", "Ln", "Ct", "Court",
            "Way", "Dr", "Drive", "Pl", "Terrace", "Cir", "Pkwy"]
UNITS = ["Apt 4B", "Apt 12", "Unit 7", "#305", "Apt. 2F", "Ste 200", "Lot 17", "Apt 1101"]
CITIES = [("Springfield", "IL"), ("Ypsilanti", "MI"), ("Española", "NM"), ("Cañon City", "CO"),
          ("Coeur d'Alene", "ID"), ("Kalamazoo", "MI"), ("Poughkeepsie", "NY"),
          ("Natchitoches", "LA"), ("Hialeah", "FL"), ("Garden Grove", "CA"), ("Dearborn", "MI"),
          ("Paterson", "NJ"), ("Lowell", "MA"), ("Worcester", "MA"), ("Sault Ste. Marie", "MI"),
          ("Winston-Salem", "NC"), ("St. Paul", "MN"), ("El Paso", "TX"), ("Brownsville", "TX"),
          ("Fresno", "CA"), ("Yakima", "WA"), ("Anchorage", "AK"), ("Hilo", "HI"),
          ("Cheektowaga", "NY"), ("Schenectady", "NY"), ("Tuscaloosa", "AL"), ("Oshkosh", "WI"),
          ("Truth or Consequences", "NM"), ("Westminster", "CA"), ("Lewiston", "ME")]
AREA_CODES = ["217", "312", "734", "505", "719", "208", "269", "845", "318", "305", "714",
              "313", "973", "978", "906", "336", "651", "915", "956", "559", "509", "907", "808"]
HOSPITALS = ["St. Brigid Regional Medical Center", "Lakeview Community Hospital",
             "Mercy Valley Health", "Riverside University Health System",
             "Northgate Family Clinic", "Cedar Hollow Pediatrics", "Prairie Heart Institute",
             "Good Shepherd Medical Group", "Harbor Point Health Partners"]
DEPARTMENTS = ["Cardiology", "Radiology", "Oncology", "Emergency", "Pharmacy", "Laboratory",
               "Pediatrics", "Orthopedics", "Neurology", "Admitting", "Gift Shop", "Chapel",
               "Cafeteria", "Physical Therapy", "Labor & Delivery", "Dialysis", "Wound Care"]
DRUGS = [("ATORVASTATIN", "20 MG", "TABLET"), ("METFORMIN HCL", "500 MG", "TABLET"),
         ("LISINOPRIL", "10 MG", "TABLET"), ("AMOXICILLIN", "500 MG", "CAPSULE"),
         ("SERTRALINE", "50 MG", "TABLET"), ("LEVOTHYROXINE", "75 MCG", "TABLET"),
         ("GABAPENTIN", "300 MG", "CAPSULE"), ("METOPROLOL TARTRATE", "25 MG", "TABLET"),
         ("OMEPRAZOLE DR", "20 MG", "CAPSULE"), ("PREDNISONE", "10 MG", "TABLET")]
MAKERS = ["Teva Pharmaceuticals USA, Inc.", "Aurobindo Pharma Ltd", "Lupin Pharmaceuticals",
          "Zydus Lifesciences", "Mylan Institutional", "Sandoz Inc."]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NAME_FORMS = ["First Last", "First M. Last", "LAST, First", "LAST, FIRST M", "FIRST LAST",
              "Last, First", "split"]
_ASCII = {"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "ø": "o", "ß": "ss", "æ": "ae"}


def ascii_fold(s):
    s = "".join(_ASCII.get(ch, ch) for ch in s)
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def letters(rng, n):
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def rand_date(rng, y0, y1):
    d0 = date(y0, 1, 1)
    return d0 + timedelta(days=rng.randrange((date(y1, 12, 31) - d0).days))


DATE_STYLES = ["03/14/1962", "1962-03-14", "14 Mar 1962", "March 14, 1962", "3.14.62",
               "03-14-1962", "MAR 14 1962", "14-MAR-1962", "03/14/62", "3/14/1962"]


def fmt_date(rng, d, style=None):
    style = style or rng.choice(DATE_STYLES)
    mon = MONTHS[d.month - 1]
    return {
        "03/14/1962": f"{d.month:02d}/{d.day:02d}/{d.year}",
        "1962-03-14": f"{d.year}-{d.month:02d}-{d.day:02d}",
        "14 Mar 1962": f"{d.day} {mon[:3]} {d.year}",
        "March 14, 1962": f"{mon} {d.day}, {d.year}",
        "3.14.62": f"{d.month}.{d.day}.{d.year % 100:02d}",
        "03-14-1962": f"{d.month:02d}-{d.day:02d}-{d.year}",
        "MAR 14 1962": f"{mon[:3].upper()} {d.day:02d} {d.year}",
        "14-MAR-1962": f"{d.day:02d}-{mon[:3].upper()}-{d.year}",
        "03/14/62": f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
        "3/14/1962": f"{d.month}/{d.day}/{d.year}",
    }[style]


def fmt_short_date(rng, d):
    """A date as jotted down, without its year ("3/14", "Mar 14"): still PHI."""
    mon = MONTHS[d.month - 1]
    return rng.choice([f"{d.month}/{d.day}", f"{d.month}-{d.day}", f"{mon[:3]} {d.day}",
                       f"{d.day} {mon[:3]}", f"{WEEKDAYS[d.weekday()][:3]} {d.month}/{d.day}"])


def fmt_time(rng):
    h, m = rng.randrange(6, 23), rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50])
    if rng.random() < 0.7:
        return f"{h:02d}:{m:02d}"
    return f"{(h - 1) % 12 + 1}:{m:02d} {'AM' if h < 12 else 'PM'}"


def fmt_phone(rng, area=None, ext=None):
    a = area or rng.choice(AREA_CODES + ["555"])
    n = f"01{rng.randrange(100):02d}"
    s = rng.choice([f"({a}) 555-{n}", f"{a}-555-{n}", f"{a}.555.{n}", f"+1 {a} 555 {n}",
                    f"{a} 555 {n}", f"1-{a}-555-{n}", f"+1 ({a}) 555-{n}", f"({a})555-{n}"])
    if ext or (ext is None and rng.random() < 0.12):
        s += rng.choice([" ext. ", " x", " Ext "]) + digits(rng, rng.choice([3, 4]))
    return s


def fmt_ssn(rng):
    area = rng.choice([f"{rng.randrange(1, 666):03d}", "666", f"9{digits(rng, 2)}", "000",
                       f"{rng.randrange(1, 900):03d}"])
    g, s = digits(rng, 2), digits(rng, 4)
    return rng.choice([f"{area}-{g}-{s}", f"{area}-{g}-{s}", f"{area} {g} {s}", f"{area}{g}{s}"])


def fmt_mrn(rng):
    n = rng.randrange(6, 11)
    return rng.choice([digits(rng, n), "E" + digits(rng, n - 1), letters(rng, 2) + digits(rng, n - 2),
                       f"{digits(rng, 2)}-{digits(rng, n - 2)}", digits(rng, n - 1) + letters(rng, 1),
                       f"MR{digits(rng, n - 2)}"])


def fmt_member_id(rng):
    return rng.choice([letters(rng, 3) + digits(rng, 9), f"W{digits(rng, 4)} {digits(rng, 5)}",
                       f"{digits(rng, 1)}{letters(rng, 2)}{digits(rng, 1)}-{letters(rng, 2)}{digits(rng, 1)}-"
                       f"{letters(rng, 2)}{digits(rng, 2)}",
                       f"{letters(rng, 1)}{digits(rng, 8)}{rng.choice(['01', '02', '00'])}",
                       digits(rng, 11)])


def fmt_dln(rng):
    return rng.choice([f"{letters(rng, 1)}{digits(rng, 3)}-{digits(rng, 4)}-{digits(rng, 4)}",
                       f"{letters(rng, 1)}{digits(rng, 7)}", f"{digits(rng, 3)} {digits(rng, 3)} {digits(rng, 3)}",
                       f"{letters(rng, 1)}{digits(rng, 4)}-{digits(rng, 5)}-{digits(rng, 5)}",
                       f"{letters(rng, 2)}{digits(rng, 6)}"])


def fmt_accession(rng):
    return rng.choice([f"{digits(rng, 2)}-{digits(rng, 3)}-{digits(rng, 5)}",
                       f"S{digits(rng, 2)}-{digits(rng, 5)}", f"A{digits(rng, 10)}",
                       f"CH{digits(rng, 2)}-{digits(rng, 6)}"])


def fmt_plate(rng):
    return rng.choice([f"{digits(rng, 1)}{letters(rng, 3)}{digits(rng, 3)}",
                       f"{letters(rng, 3)} {digits(rng, 4)}", f"{letters(rng, 3)}-{digits(rng, 4)}",
                       f"{digits(rng, 1)} {letters(rng, 3)} {digits(rng, 3)}",
                       f"{letters(rng, 2)}{digits(rng, 1)}-{digits(rng, 4)}"])


def fmt_money(rng, lo, hi, dollar=None):
    s = f"{rng.uniform(lo, hi):,.2f}"
    return ("$" + s) if (dollar if dollar is not None else rng.random() < 0.5) else s


def ndc(rng):
    return f"NDC {digits(rng, 4)}-{digits(rng, 4)}-{digits(rng, 2)}"


class Person:
    """A fictitious person with every identifier a template might print."""

    def __init__(self, rng):
        origin, givens, families = rng.choice(ORIGINS)
        self.origin = origin
        self.given = rng.choice(givens)
        self.family = rng.choice(families)
        if origin in ("hispanic", "lusophone") and rng.random() < 0.6:
            second = rng.choice([f for f in families if f != self.family] + ["de la Cruz"])
            self.family += (" y " if rng.random() < 0.1 else " ") + second
        elif rng.random() < 0.12:
            other = rng.choice(rng.choice(ORIGINS)[2]).replace(" ", "")
            if other != self.family:
                self.family += "-" + other
        self.middle = rng.choice("ABCDEFGHJKLMNPRSTW") if (
            origin != "vietnamese" and rng.random() < 0.45) else ""
        self.title = rng.choice(["Mr.", "Ms.", "Mrs.", "Mx."])
        self.dob = rand_date(rng, 1925, 2021)
        self.street, self.unit = self._street(rng)
        self.city, self.state = rng.choice(CITIES)
        self.zip = digits(rng, 5) + (f"-{digits(rng, 4)}" if rng.random() < 0.2 else "")
        self.phone = fmt_phone(rng)
        self.phone2 = fmt_phone(rng)
        self.ssn = fmt_ssn(rng)
        self.mrn = fmt_mrn(rng)
        u = ascii_fold(self.given.split()[0]).lower().replace("-", "")
        f = ascii_fold(self.family.split()[0]).lower().replace("'", "").replace("-", "")
        self.email = rng.choice([f"{u}.{f}", f"{u[0]}{f}{rng.randrange(10, 99)}",
                                 f"{f}_{u}{self.dob.year % 100:02d}", f"{u}{f[:4]}"]) + \
            "@" + rng.choice(["example.com", "example.org", "mail.example.com"])
        self.url = rng.choice([f"https://portal.example.org/u/{f}{u[0]}{rng.randrange(10, 99)}",
                               f"www.example.com/~{u}{f}", f"https://{u}-{f}.example.org"])
        self.all_caps_address = rng.random() < 0.25

    def age(self):
        """Age as printed; ages over 89 are themselves identifiers, so they show as '90+'."""
        a = 2024 - self.dob.year
        return str(a) if a <= 89 else "90+"

    @staticmethod
    def _street(rng):
        if rng.random() < 0.12:
            return rng.choice([f"PO Box {rng.randrange(10, 9999)}", f"P.O. Box {rng.randrange(10, 999)}",
                               f"RR 2 Box {rng.randrange(10, 300)}"]), ""
        num = str(rng.choice([rng.randrange(1, 99), rng.randrange(100, 9999), rng.randrange(10000, 99999)]))
        d = rng.choice(["", "", "", "N ", "S ", "E ", "W ", "NE "])
        unit = rng.choice(UNITS) if rng.random() < 0.35 else ""
        return f"{num} {d}{rng.choice(STREETS)} {rng.choice(SUFFIXES)}", unit

    def street_lines(self, rng, one_line=None):
        """The street address as one or two lines (unit on its own line sometimes)."""
        one = one_line if one_line is not None else rng.random() < 0.7
        lines = [self.street + (" " + self.unit if self.unit else "")] if one or not self.unit \
            else [self.street, self.unit]
        return [s.upper() for s in lines] if self.all_caps_address else lines

    def city_parts(self, rng):
        """'City, ST 12345' as parts: city and ZIP labelled, the state not."""
        city = self.city.upper() if self.all_caps_address else self.city
        sep = rng.choice([", ", ", ", " "])
        return [(city, "location"), (f"{sep}{self.state}{rng.choice([' ', '  '])}", None),
                (self.zip, "location")]

    def name_lines(self, rng, forms=NAME_FORMS):
        g, f, m = self.given, self.family, self.middle
        form = rng.choice(forms)
        if form == "First Last":
            return [f"{g} {f}"]
        if form == "First M. Last":
            return [f"{g} {m + '. ' if m else ''}{f}"]
        if form == "LAST, First":
            return [f"{f.upper()}, {g}"]
        if form == "LAST, FIRST M":
            return [f"{f}, {g}{' ' + m if m else ''}".upper()]
        if form == "FIRST LAST":
            return [f"{g} {f}".upper()]
        if form == "Last, First":
            return [f"{f}, {g}"]
        return [f.upper(), g + (f" {m}" if m else "")]      # split over two lines

    def clinician(self, rng):
        g, f = self.given, self.family
        return rng.choice([f"Dr. {g} {f}", f"Dr. {f}", f"{g} {f}, MD", f"{f.upper()}, {g.upper()} MD",
                           f"{g[0]}. {f}, DO", f"{g} {f}, NP", f"Dr. {g[0]}. {f}"])


def clipped(font, text, kind, width):
    """Parts for `text` cut to `width` with an ellipsis, as a table cell shows it; the label
    covers the visible characters only."""
    if font.getlength(text) <= width:
        return [(text, kind)]
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return [(text.rstrip(), kind), ("…", None)]


def name_parts(lines):
    return [[(s, "name")] for s in lines]


def V(text, kind=None):
    """A one-line value."""
    return [[(text, kind)]]


def hospital(rng):
    name = rng.choice(HOSPITALS)
    city, st = rng.choice(CITIES)
    slug = ascii_fold(name.split()[0] + name.split()[1]).lower().replace(".", "")
    return {"name": name, "street": f"{rng.randrange(100, 9999)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}",
            "city": f"{city}, {st} {digits(rng, 5)}", "phone": fmt_phone(rng, area="800", ext=False),
            "fax": fmt_phone(rng, area="800", ext=False), "url": f"www.{slug}.example.org"}


# ----------------------------------------------------------------------------- template context

PAPER = [(255, 255, 255), (252, 251, 246), (248, 248, 250), (255, 253, 240), (246, 244, 238)]
PASTEL = [(232, 240, 250), (240, 248, 236), (252, 240, 232), (244, 236, 250), (250, 250, 226)]
ACCENT = [(24, 62, 130), (150, 28, 36), (20, 110, 80), (90, 40, 120), (200, 90, 20), (0, 100, 140)]


class Ctx:
    """Per-image state handed to a template: seeded rng, fonts and shortcuts."""

    def __init__(self, fonts, rng, turn):
        self.fonts, self.rng, self.turn = fonts, rng, turn

    def variant(self, options):
        """The layout for this image: the family's layouts in turn, so each gets its share."""
        return options[self.turn % len(options)]

    def f(self, key, size):
        return self.fonts.get(key, size)

    def face(self, kind):
        return self.rng.choice(FACES[kind])

    def person(self):
        return Person(self.rng)

    def page(self, w, h, color=None, radius=0):
        return Page(self.fonts, w, h, color or self.rng.choice(PAPER), radius)

    def signature(self, pg, x, baseline, person, size, fill=(20, 30, 90), max_w=520):
        """A handwritten-looking name (kind 'signature') standing on `baseline`; returns the y
        below its descenders."""
        s = self.rng.choice([f"{person.given.split()[0]} {person.family}",
                             f"{person.given[0]}. {person.family}", person.family])
        font = self.fonts.covering(self.f(self.rng.choice(SIGNATURE_FONTS), size), s)
        if font.getlength(s) > max_w:
            font = self.f(font.key, size * max_w / font.getlength(s))
        pg.text(x, baseline - asc(font), s, font, fill, "signature")
        return baseline + font.getmetrics()[1] + 4

    def letterhead(self, pg, h, x, y, width, big, small, color, center=False):
        """A hospital's own name, address, phone and URL: hard negatives."""
        lines = [(h["name"], big), (f"{h['street']} · {h['city']}", small),
                 (f"Tel {h['phone']}  ·  Fax {h['fax']}  ·  {h['url']}", small)]
        for s, f in lines:
            fx = x + (width - f.getlength(s)) / 2 if center else x
            y = pg.text(fx, y, s, f, color if f is big else INK)[3] + 4
        pg.draw.line([(x, y + 6), (x + width, y + 6)], fill=color, width=3)
        return y + 20


# ----------------------------------------------------------------------------- templates
# Each returns a Page; page.notes says which layout it drew.

def t_wristband(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    h = rng.choice([200, 230, 260])
    pg = c.page(1500, h, rng.choice(PAPER + PASTEL), radius=h // 6)
    reg, bold = c.face(rng.choice(["sans", "sans", "mono", "serif"]))
    fs = h // 7
    f, fb, fsm = c.f(reg, fs), c.f(bold, fs * 1.25), c.f(reg, fs * 0.75)
    pg.body_px = fs
    band = rng.choice(ACCENT)
    pg.draw.rectangle([0, 0, 150, h], fill=band)
    for k in range(2):
        pg.draw.ellipse([45, 30 + k * (h - 120), 105, 90 + k * (h - 120)], fill=(235, 235, 235))
    x, y = 185, int(h * 0.08)
    clin = c.person().clinician(rng)
    age = f"{p.age()}Y {rng.choice('MF')}"
    if v == "a":
        pg.notes.append("block: name, DOB, MRN, admit date, attending; barcode")
        y = pg.runs(x, y, [(p.name_lines(rng, NAME_FORMS[:-1])[0], "name")], fb, max_w=880)[3] + 4
        y = pg.runs(x, y, [("DOB: ", None), (fmt_date(rng, p.dob), "dob"), (f"   {age}", None)], f)[3]
        y = pg.runs(x, y, [(rng.choice(["MRN: ", "MR#: ", "ID: "]), None), (p.mrn, "id_number")], f)[3]
        pg.runs(x, y, [("Adm: ", None), (fmt_date(rng, rand_date(rng, 2019, 2025)), "date"),
                       ("  ", None), (clin, "name")], fsm)
        pg.barcode(rng, 1100, int(h * 0.15), 340, int(h * 0.6))
    elif v == "b":
        pg.notes.append("two-line name, DOB/MRN column, vertical MRN, QR")
        for line in p.name_lines(rng, ["split"]):
            y = pg.runs(x, y, [(line, "name")], fb, max_w=540)[3]
        cx = x + 560
        yy = int(h * 0.08)
        yy = pg.runs(cx, yy, [("DOB ", None, fsm), (fmt_date(rng, p.dob), "dob")], f)[3] + 2
        yy = pg.runs(cx, yy, [("MRN ", None, fsm), (p.mrn, "id_number")], f)[3] + 2
        pg.runs(cx, yy, [(rng.choice(DEPARTMENTS) + "  Rm " + str(rng.randrange(100, 999)), None)], fsm)
        pg.text(x, h - lh(fsm) - 8, f"Bed {rng.randrange(1, 40)}{rng.choice('AB')}  {age}", fsm)
        side = c.f(reg, fs * 0.7)
        pg.runs(1160, 10, [(p.mrn, "id_number")], side, rotate=90)
        pg.qr(rng, 1230, int(h * 0.12), int(h * 0.75))
    else:
        pg.notes.append("alert tags, account number, upside-down repeat of name and DOB")
        name = p.name_lines(rng, NAME_FORMS[:-1])[0]
        dob = fmt_date(rng, p.dob)
        y = pg.runs(x, y, [(name, "name")], fb, max_w=690)[3]
        y = pg.runs(x, y, [("DOB ", None), (dob, "dob"), ("  ", None), ("Acct ", None),
                           (digits(rng, rng.randrange(8, 12)), "account_number")], fsm)[3] + 4
        for k, (tag, col) in enumerate([("ALLERGY", (200, 30, 30)), ("FALL RISK", (230, 190, 20)),
                                        ("DNR", (120, 40, 140))][:rng.randrange(1, 4)]):
            tx = x + k * 200
            pg.draw.rectangle([tx, y, tx + 185, y + lh(fsm) + 6], fill=col)
            pg.text(tx + 8, y + 3, tag, c.f(bold, fs * 0.7), (255, 255, 255))
        pg.runs(900, h - lh(fsm) - 10, [(name, "name"), ("   ", None), (dob, "dob")], fsm, rotate=180)
        pg.barcode(rng, 900, 12, 420, int(h * 0.35))
    return pg


def t_id_card(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    portrait = v == "b"
    w, h = (638, 1012) if portrait else (1012, 638)
    pg = c.page(w, h, rng.choice(PASTEL), radius=32)
    for k in range(0, w + h, 18):        # guilloche-like security lines
        pg.draw.line([(k, 0), (k - h, h)], fill=(222, 226, 236), width=1)
    reg, bold = c.face("sans")
    col = rng.choice(ACCENT)
    fs = 26
    f, fb, cap = c.f(reg, fs), c.f(bold, fs * 1.1), c.f(bold, fs * 0.6)
    pg.body_px = fs
    state = rng.choice(["ILLINOIS", "NEW MEXICO", "MICHIGAN", "NEW YORK", "TEXAS", "WASHINGTON"])
    pg.draw.rectangle([0, 0, w, 90], fill=col)
    pg.text(30, 14, state, c.f(bold, 40), (255, 255, 255))
    pg.text(32, 60, rng.choice(["DRIVER'S LICENSE", "DRIVER LICENSE", "IDENTIFICATION CARD"]) + "  USA",
            c.f(reg, 20), (240, 240, 240))
    red = (170, 30, 30)
    iss, exp = rand_date(rng, 2018, 2024), rand_date(rng, 2025, 2031)
    fam = p.family.upper()
    giv = (p.given + (" " + p.middle if p.middle else "")).upper()

    def num_field(x, y, num, parts, font=f):
        """An AAMVA field: small red field number, value beside it."""
        return pg.runs(x, y, [(num + " ", None, cap, red)] + parts, font, max_w=w - x - 60)[3] + 4

    if v in "ab":
        if portrait:
            pg.silhouette(170, 120, 300, 330)
            x, y = 40, 480
            pg.draw.rectangle([0, 455, w, 470], fill=(230, 60, 60))
            pg.text(40, 110, "UNDER 21", c.f(bold, 30), red)
            until = date(p.dob.year + 21, p.dob.month, min(p.dob.day, 28))
            pg.runs(w - 50, 120, [("UNTIL ", None), (fmt_date(rng, until, "03/14/1962"), "date")],
                    c.f(bold, 22), red, rotate=270)
        else:
            pg.silhouette(36, 120, 270, 330)
            x, y = 340, 110
            if rng.random() < 0.6:   # vertical DOB along the right edge
                pg.runs(w - 46, 110, [("DOB ", None), (fmt_date(rng, p.dob, "03/14/1962"), "dob")],
                        c.f(bold, 22), red, rotate=90)
        pg.notes.append("portrait under-21 card" if portrait else "landscape AAMVA card")
        y = num_field(x, y, "4d DLN", [(fmt_dln(rng), "id_number")], fb)
        y = num_field(x, y, "1", [(fam, "name")], fb)
        y = num_field(x, y, "2", [(giv, "name")], f)
        y = num_field(x, y, "8", [(s, "address") for s in p.street_lines(rng, True)])
        y = pg.runs(x + 30, y, p.city_parts(rng), f)[3] + 6
        y = num_field(x, y, "3 DOB", [(fmt_date(rng, p.dob, "03/14/1962"), "dob")], fb)
        y = pg.runs(x, y, [("4a ISS ", None, cap, red), (fmt_date(rng, iss, "03/14/1962"), "date"),
                           ("   4b EXP ", None, cap, red), (fmt_date(rng, exp, "03/14/1962"), "date")], f)[3] + 4
        pg.runs(x, y, [("15 SEX ", None, cap, red), (rng.choice("MF") + "  ", None),
                       ("16 HGT ", None, cap, red), (f"{rng.randrange(4, 7)}'-{rng.randrange(0, 12):02d}\"  ", None),
                       ("18 EYES ", None, cap, red), (rng.choice(["BRN", "BLU", "HAZ", "GRN"]), None)], f)
        sy = 790 if portrait else 470
        pg.runs(40 if portrait else 340, h - 50, [("9 CLASS D   12 REST NONE   5 DD ", None),
                                                   (digits(rng, rng.randrange(10, 16)), "id_number")], cap)
        c.signature(pg, 60 if portrait else 40, sy + 50, p, 40, max_w=260)
    else:
        pg.notes.append("captions above values, vertical DLN reading downwards")
        pg.silhouette(w - 300, 120, 250, 300)
        x, y = 40, 110
        under = lambda y, caption, parts, font=f: pg.field(x, y, caption, [parts], cap, font, "under", 2, max_w=w - 360,
                                                            cap_fill=red) + 4
        y = under(y, "DLN", [(fmt_dln(rng), "id_number")], fb)
        y = under(y, "LN  FAMILY NAME", [(fam, "name")], fb)
        y = under(y, "FN  GIVEN NAMES", [(giv, "name")])
        y = under(y, "DOB", [(fmt_date(rng, p.dob), "dob")], fb)
        y = under(y, "ADDRESS", [(p.street_lines(rng, True)[0], "address")])
        pg.runs(x, y, p.city_parts(rng), f)
        pg.runs(w - 40, 100, [(fmt_dln(rng), "id_number")], c.f(reg, 18), rotate=270)
        pg.text(w - 300, 440, f"SEX {rng.choice('MF')}  HGT 5-0{rng.randrange(9)}  EYES BRN", cap)
        c.signature(pg, w - 320, 540, p, 38, max_w=280)
    return pg


def t_insurance_card(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    pg = c.page(1012, 638, rng.choice(PAPER + PASTEL), radius=30)
    reg, bold = c.face(rng.choice(["sans", "sans", "serif"]))
    col = rng.choice(ACCENT)
    fs = 26
    f, fb, fsm, cap = c.f(reg, fs), c.f(bold, fs), c.f(reg, fs * 0.75), c.f(bold, fs * 0.65)
    pg.body_px = fs
    plan = rng.choice(["Acme Health Plan", "BlueRiver PPO", "Summit Care HMO", "Unity Health Choice",
                       "Pioneer Medicare Advantage"])
    pg.draw.rectangle([0, 0, 1012, 100], fill=col)
    pg.text(36, 24, plan, c.f(bold, 40), (255, 255, 255))
    pg.text(760, 36, rng.choice(["PPO", "HMO", "EPO", "POS"]) + " " + rng.choice(["Gold", "Silver", "Bronze"]),
            c.f(bold, 26), (255, 255, 255))
    rx = [("RxBIN ", None), (digits(rng, 6), None), ("   RxPCN ", None),
          (rng.choice(["ADV", "CN", "9999", "MEDDPRIME"]), None),
          ("   RxGRP ", None), ("RX" + digits(rng, 4), None)]
    group = f"Group No: {digits(rng, rng.randrange(5, 8))}"
    copays = (f"Office ${rng.choice([15, 20, 25, 30])}  Spec ${rng.choice([40, 50, 60])}  "
              f"ER ${rng.choice([150, 250, 300])}  UC ${rng.choice([50, 75])}")
    x, y = 40, 130
    if v == "a":
        pg.notes.append("front, captions beside values")
        y = pg.field(x, y, rng.choice(["Member:", "Name:", "Subscriber:"]),
                     V(p.name_lines(rng, NAME_FORMS[:-1])[0], "name"), fb, fb)
        y = pg.field(x, y, rng.choice(["Member ID:", "ID#", "ID No."]), V(fmt_member_id(rng), "id_number"), fb, f)
        y = pg.text(x, y, group, f)[3] + 8
        y = pg.runs(x, y, rx, fsm)[3] + 10
        if rng.random() < 0.6:
            y = pg.field(x, y, "PCP:", V(c.person().clinician(rng), "name"), fb, f)
        if rng.random() < 0.5:
            dep = c.person().name_lines(rng, ["First Last", "LAST, First"])[0]
            y = pg.runs(x, y + 4, [("Dependent 01: ", None), (dep, "name")], fsm)[3]
        pg.draw.rectangle([x, 520, 972, 600], outline=col, width=2)
        pg.text(x + 14, 545, copays, fsm)
    elif v == "b":
        pg.notes.append("front, captions above values, dependents list")
        under = lambda x, y, caption, parts: pg.field(x, y, caption, parts, cap, f, "under", 4, cap_fill=col,
                                                      max_w=500 if x < 500 else 400)
        y1 = under(x, y, rng.choice(["Subscriber Name", "MEMBER NAME", "Nombre del miembro"]),
                   name_parts(p.name_lines(rng)))
        y1 = under(x, y1 + 6, rng.choice(["Member ID", "ID Number", "Identification #"]),
                   V(fmt_member_id(rng), "id_number"))
        under(560, y, "Group", V(digits(rng, 6)))
        under(560, y + 80, "Plan code", V(f"{digits(rng, 3)} / {digits(rng, 3)}"))
        deps = [[(f"0{k + 1} ", None), (c.person().name_lines(rng, ["FIRST LAST", "First Last"])[0], "name")]
                for k in range(rng.randrange(1, 4))]
        y = under(x, y1 + 6, "Dependents", deps)
        pg.runs(x, 580, rx, fsm)
        half = copays.split("  Spec")
        pg.text(560, 330, half[0], fsm)
        pg.text(560, 330 + lh(fsm) + 6, "Spec" + half[1], fsm)
    else:
        pg.notes.append("back of card: plan phones/URL/claims address (negatives), subscriber line")
        pg.draw.rectangle([0, 100, 1012, 170], fill=(30, 30, 30))   # magnetic strip
        y = 200
        for s in [f"Member Services: {fmt_phone(rng, '800', False)}", f"Provider line: {fmt_phone(rng, '888', False)}",
                  f"Nurse line 24/7: {fmt_phone(rng, '877', False)}",
                  f"Claims: PO Box {rng.randrange(1000, 99999)}, Lexington, KY 40512",
                  f"www.{rng.choice(['acmehealth', 'blueriver', 'summitcare'])}.example.org",
                  "Pharmacists: " + "".join(t for t, _ in rx)]:
            y = pg.text(x, y, s, fsm)[3] + 8
        pg.runs(x, y + 16, [("Subscriber: ", None), (p.name_lines(rng, ["FIRST LAST", "LAST, FIRST M"])[0], "name"),
                            ("   ID ", None), (fmt_member_id(rng), "id_number")], f)
    return pg


def t_pharmacy_label(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    pg = c.page(1200, 600, rng.choice(PAPER))
    reg, bold = c.face(rng.choice(["sans", "mono", "sans"]))
    fs = 28
    f, fb, fsm = c.f(reg, fs), c.f(bold, fs), c.f(reg, fs * 0.72)
    pg.body_px = fs
    drug, strength, form = rng.choice(DRUGS)
    qty = rng.choice([30, 60, 90, 14, 21])
    store = f"{rng.choice(['RiteWay', 'CareMart', 'Walgrove', 'Corner Apothecary'])} Pharmacy " \
            f"#{rng.randrange(1000, 9999)}"
    h = hospital(rng)
    x = 40 if v != "b" else 110
    y = 24
    y = pg.text(x, y, store, c.f(bold, 30), rng.choice(ACCENT))[3]
    y = pg.text(x, y, f"{h['street']}, {h['city']}   {fmt_phone(rng, ext=False)}", fsm)[3] + 6
    pg.draw.line([(x, y), (1160, y)], fill=INK, width=2)
    y += 12
    rxn = rng.choice([digits(rng, 7), f"{digits(rng, 7)}-{digits(rng, 5)}", f"{digits(rng, 1)}{digits(rng, 6)}"])
    filled = fmt_date(rng, rand_date(rng, 2020, 2025))
    name = p.name_lines(rng, NAME_FORMS[:-1])[0]
    presc = c.person().clinician(rng)
    neg_lines = [f"{drug} {strength} {form}", f"Take {rng.choice(['one', '1', 'two'])} {form.lower()} by mouth "
                 f"{rng.choice(['once daily', 'twice daily', 'every 8 hours', 'at bedtime'])}",
                 f"QTY: {qty} {form}S   Refills: {rng.randrange(0, 6)}",
                 f"{ndc(rng)}   MFG: {rng.choice(MAKERS).split()[0].upper()}",
                 f"LOT {letters(rng, 1)}{digits(rng, 4)}{letters(rng, 1)}   "
                 f"EXP {rng.randrange(1, 13):02d}/{rng.randrange(2025, 2029)}"]
    if v in "ab":
        pg.notes.append("classic label" + (", vertical Rx number on the left edge" if v == "b" else ""))
        y = pg.runs(x, y, [("Rx# ", None, fb), (rxn, "id_number", fb), ("     Filled: ", None),
                           (filled, "date")], f)[3] + 6
        y = pg.runs(x, y, [(name, "name")], c.f(bold, fs * 1.2))[3] + 2
        if rng.random() < 0.5:
            for s in p.street_lines(rng):
                y = pg.runs(x, y, [(s, "address")], fsm)[3]
            y = pg.runs(x, y, p.city_parts(rng), fsm)[3]
        y += 8
        for s in neg_lines[:2]:
            y = pg.text(x, y, s, fb if s is neg_lines[0] else f)[3] + 4
        y = pg.runs(x, y, [(rng.choice(["Prescriber: ", "Dr: ", "Prescribed by "]), None), (presc, "name")], f)[3] + 6
        for s in neg_lines[2:]:
            y = pg.text(x, y, s, fsm)[3] + 2
        pg.barcode(rng, 860, 480, 300, 90)
        if v == "b":
            pg.draw.rectangle([0, 0, 80, 600], fill=(225, 225, 225))
            pg.runs(24, 120, [("Rx ", None), (rxn, "id_number")], c.f(bold, 28), rotate=90)
    else:
        pg.notes.append("label with warning stickers and price stub, upside-down patient line on stub")
        y = pg.runs(x, y, [(name, "name")], c.f(bold, fs * 1.15))[3] + 4
        y = pg.runs(x, y, [("RX ", None), (rxn, "id_number"), ("   DATE ", None), (filled, "date")], f)[3] + 8
        for s in neg_lines:
            y = pg.text(x, y, s, fsm if s is not neg_lines[0] else fb)[3] + 4
        y = pg.runs(x, y + 4, [("DR. ", None), (presc.replace("Dr. ", "").upper(), "name")], fsm)[3]
        for k, (warn, colr) in enumerate([("MAY CAUSE DROWSINESS", (250, 220, 60)), ("TAKE WITH FOOD", (120, 200, 250)),
                                          ("DO NOT DRINK ALCOHOL", (250, 150, 170))][:rng.randrange(1, 4)]):
            pg.draw.rectangle([800, 90 + k * 110, 1160, 180 + k * 110], fill=colr)
            pg.text(815, 118 + k * 110, warn, c.f(bold, 21))
        pg.draw.line([(40, 545), (1160, 545)], fill=(150, 150, 150), width=1)
        pg.runs(60, 555, [(name, "name"), ("   Copay ", None), (fmt_money(rng, 0, 40, True), None),
                          ("   Ins paid ", None), (fmt_money(rng, 5, 300, True), None)], fsm, rotate=180)
    return pg


FORM_FIELDS = [  # (captions to choose from, how the value is made)
    (["Name:", "Pt Name:", "Patient:", "NAME", "Nombre:", "Patient Name", "Full name"], "name"),
    (["DOB:", "Date of Birth:", "D.O.B.", "Birth Date", "Fecha de nacimiento:"], "dob"),
    (["Address:", "Street Address", "Home address:", "Dirección:", "ADDR"], "address"),
    (["City/State/ZIP:", "City, State, Zip", "CITY / ST / ZIP", "Ciudad/Estado/CP:"], "city"),
    (["Phone:", "Home Phone", "Cell:", "Tel:", "Teléfono:", "Ph#"], "phone"),
    (["Email:", "E-mail", "Correo:"], "email"),
    (["SSN:", "Social Security #", "SS#", "Soc. Sec. No."], "ssn"),
    (["Emergency contact:", "In case of emergency:", "Contacto de emergencia:"], "contact"),
    (["Emergency phone:", "Contact phone", "Tel. (emergencia)"], "phone2"),
    (["Insurance ID:", "Member ID", "Policy #"], "member"),
    (["Primary care physician:", "PCP", "Referring doctor:"], "pcp"),
    (["Patient portal:", "Website"], "url"),
]


def form_value(c, p, what):
    """The value lines (parts lists) for a FORM_FIELDS entry."""
    rng = c.rng
    if what == "name":
        return name_parts(p.name_lines(rng))
    if what == "dob":
        return V(fmt_date(rng, p.dob), "dob")
    if what == "address":
        return [[(s, "address")] for s in p.street_lines(rng)]
    if what == "city":
        return [p.city_parts(rng)]
    if what == "phone":
        return V(p.phone, "phone")
    if what == "phone2":
        return V(p.phone2, "phone")
    if what == "email":
        return V(p.email, "email")
    if what == "ssn":
        return V(p.ssn, "ssn")
    if what == "contact":
        q = c.person()
        return [[(q.name_lines(rng, ["First Last", "FIRST LAST", "Last, First"])[0], "name"),
                 (" (" + rng.choice(["spouse", "daughter", "son", "mother", "friend", "hermana"]) + ")", None)]]
    if what == "member":
        return V(fmt_member_id(rng), "id_number")
    if what == "pcp":
        return V(c.person().clinician(rng), "name")
    return V(p.url, "url")


def t_intake_form(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    pg = c.page(1275, 1650)
    reg, bold = c.face(rng.choice(["sans", "serif"]))
    hand = rng.random() < 0.55
    vreg = c.face("hand")[0] if hand else reg
    fs = 26
    f, fb, fv, fsm = c.f(reg, fs), c.f(bold, fs), c.f(vreg, fs * (1.25 if hand else 1.0)), c.f(reg, fs * 0.7)
    ink = rng.choice([(20, 30, 110), (25, 25, 25)]) if hand else INK
    pg.body_px = fs * (1.25 if hand else 1.0)
    h = hospital(rng)
    y = c.letterhead(pg, h, 60, 50, 1155, c.f(bold, 36), fsm, rng.choice(ACCENT), center=rng.random() < 0.5)
    y = pg.text(60, y, rng.choice(["PATIENT REGISTRATION FORM", "New Patient Intake", "Registro de paciente",
                                   "Patient Information Sheet"]), c.f(bold, 34))[3] + 24
    fields = [fd for fd in FORM_FIELDS if fd[1] in ("name", "dob", "address", "city", "phone") or rng.random() < 0.6]
    x = 60
    if v == "a":
        pg.notes.append("captions beside values on rules" + (", handwritten values" if hand else ""))
        for caps, what in fields:
            y = pg.field(x, y, rng.choice(caps), form_value(c, p, what), fb, fv, "beside", 16, ink, INK,
                         line_to=1200, max_w=1200 - x) + 16
            if what == "dob":
                y = pg.runs(x, y, [("Sex: ", None, fb), ("[ ] M  [x] F  [ ] X", None),
                                   ("    Marital status: [ ] Single [x] Married", None)], f)[3] + 16
    elif v == "b":
        pg.notes.append("values written on rules, captions printed under the rule" + (", handwritten" if hand else ""))
        col = 0
        row_y = y
        for caps, what in fields:
            val = form_value(c, p, what)
            wide = what in ("address", "city", "email", "contact", "url", "pcp") or len(val) > 1
            if wide and col == 1:
                col, row_y = 0, y
            cx = x + col * 590
            right = cx + (1140 if wide else 540)
            end = pg.field(cx, row_y, rng.choice(caps).rstrip(":"), val, fsm, fv, "line", fill=ink, cap_fill=INK,
                           line_to=right, max_w=right - cx - 10)
            y = max(y, end + 22)
            if wide or col == 1:
                col, row_y = 0, y
            else:
                col = 1
    else:
        pg.notes.append("boxed grid, caption at the top of each cell" + (", handwritten" if hand else ""))
        cell_h = int(lh(fsm) + 2.4 * lh(fv)) + 10
        for k, (caps, what) in enumerate(fields):
            cx = x + (k % 2) * 578
            cy = y + (k // 2) * cell_h
            pg.box([cx, cy, cx + 578, cy + cell_h], width=2)
            pg.field(cx + 8, cy + 4, rng.choice(caps).upper().rstrip(":"), form_value(c, p, what), fsm, fv, "under", 2,
                     ink, INK, max_w=560)
        y += ((len(fields) + 1) // 2) * cell_h + 24
    y += 20
    if y < 1050:   # medical history checklist: negatives only
        y = pg.text(x, y, rng.choice(["Medical history (check all that apply)", "Past medical history"]), fb)[3] + 12
        conds = ["Diabetes", "High blood pressure", "Asthma", "Heart disease", "Stroke", "Cancer", "Kidney disease",
                 "Thyroid", "Depression", "Seizures", "Hepatitis", "Arthritis", "Glaucoma", "Sleep apnea"]
        rows = min(len(conds) // 3, max(2, (1120 - y) // (lh(f) + 12)))
        for k, cond in enumerate(conds[:rows * 3]):
            cx, cy = x + (k % 3) * 385, y + (k // 3) * (lh(f) + 12)
            pg.box([cx, cy + 4, cx + lh(f) - 8, cy + lh(f) - 4], width=2)
            if rng.random() < 0.25:
                pg.text(cx + 2, cy - 2, "x", c.f(vreg, fs), ink)
            pg.text(cx + lh(f) + 4, cy, cond, f)
        y += rows * (lh(f) + 12) + 20
    y = pg.paragraph(x, y, 1150, [("I authorize the release of information needed to process claims. "
                                   "Allergies: penicillin, latex. Current medications: lisinopril 10 mg daily, "
                                   "30 tablets. Copay due today: ", None),
                                  (fmt_money(rng, 10, 60, True), None), (".", None)], fsm)
    y = max(y + 30, 1380)
    pg.text(x, y + 68, "Patient signature", fsm)
    pg.draw.line([(x, y + 56), (x + 560, y + 56)], fill=INK, width=2)
    c.signature(pg, x + 20, y + 48, p, 42, ink)
    pg.text(x + 640, y + 68, "Date", fsm)
    pg.draw.line([(x + 640, y + 56), (x + 1100, y + 56)], fill=INK, width=2)
    pg.runs(x + 660, y + 12, [(fmt_date(rng, rand_date(rng, 2020, 2025)), "date")], fv, ink)
    pg.text(x, 1590, f"Page 1 of {rng.choice([2, 3])}      Form REG-{digits(rng, 3)} "
            f"rev. {rng.randrange(2015, 2024)}", fsm)
    return pg


def t_discharge_letter(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    pg = c.page(1275, 1650)
    reg, bold = c.face("serif" if v == "c" else rng.choice(["sans", "serif"]))
    fs = 24
    f, fb, fsm = c.f(reg, fs), c.f(bold, fs), c.f(reg, fs * 0.75)
    pg.body_px = fs
    h = hospital(rng)
    doc = c.person()
    clin = doc.clinician(rng)
    x, wid = 100, 1075
    y = c.letterhead(pg, h, x, 60, wid, c.f(bold, 38), fsm, rng.choice(ACCENT), center=v == "c")
    letter_date = rand_date(rng, 2020, 2025)
    ds = fmt_date(rng, letter_date, rng.choice(["March 14, 1962", "03/14/1962", "14 Mar 1962"]))
    if v == "c":
        pg.runs(x + wid - f.getlength(ds), y, [(ds, "date")], f)
    else:
        y = pg.runs(x, y, [(ds, "date")], f)[3] + 30
    y += 40 if v == "c" else 0
    full = p.name_lines(rng, ["First Last", "First M. Last", "FIRST LAST"])[0]
    for parts in [[(full, "name")]] + [[(s, "address")] for s in p.street_lines(rng)] + [p.city_parts(rng)]:
        y = pg.runs(x, y, parts, f)[3] + 2
    y += 36
    if v == "b":
        y = pg.runs(x, y, [("RE: ", None, fb), (p.name_lines(rng, ["LAST, First", "LAST, FIRST M"])[0], "name", fb),
                           ("   DOB: ", None), (fmt_date(rng, p.dob), "dob"), ("   MRN: ", None),
                           (p.mrn, "id_number")], f)[3] + 30
    adm = rand_date(rng, 2020, 2025)
    dis = adm + timedelta(days=rng.randrange(1, 12))
    ds2 = lambda d: fmt_date(rng, d, rng.choice(["March 14, 1962", "03/14/1962", "3/14/1962"]))
    drug, strength, _ = rng.choice(DRUGS)
    salute = p.title + " " + p.family
    paras = [
        [("Dear ", None), (salute, "name"), (",", None)],
        [("This letter summarizes the hospital stay of ", None), (full, "name"), (", who was admitted to the ", None),
         (rng.choice(DEPARTMENTS), None), (" service on ", None), (ds2(adm), "date"),
         (" and discharged home on ", None),
         (ds2(dis), "date"), (". The stay on Unit 4 West, bed 12, was uncomplicated, and the final bill of ", None),
         (fmt_money(rng, 800, 9000, True), None), (" has been sent to the insurer.", None)],
        [(f"Please continue {drug.lower()} {strength.lower()} once daily (30 tablets were dispensed) and take "
          f"500 mg acetaminophen every 6 hours as needed. Check your blood pressure at 08:00 and 20:00 "
          f"each day.", None)],
        [("Please see ", None), (clin, "name"), (" in clinic within 2 weeks; the appointment is on ", None),
         (ds2(dis + timedelta(days=rng.randrange(7, 20))), "date"), (" at ", None), (fmt_time(rng), None),
         (". To reschedule, call our main number ", None), (h["phone"], None, True), (" or visit ", None),
         (h["url"], None, True), (".", None)],
    ]
    for para in paras:
        y = pg.paragraph(x, y, wid, para, f) + 18
    if rng.random() < 0.7:   # a medication table: quantities and doses are negatives
        y = pg.text(x, y, "Discharge medications", fb)[3] + 8
        for _ in range(rng.randrange(2, 5)):
            drug, strength, form = rng.choice(DRUGS)
            pg.text(x + 20, y, f"{drug.title()} {strength.lower()}", f)
            pg.text(x + 500, y, f"{rng.choice(['1 tab daily', '1 cap BID', '2 tabs at bedtime', 'as needed'])}", f)
            y = pg.text(x + 820, y, f"#{rng.choice([14, 30, 60, 90])}  RF {rng.randrange(0, 4)}", f)[3] + 6
        y += 18
    y = pg.paragraph(x, y, wid, [("Sincerely,", None)], f) + 18
    y = c.signature(pg, x + 10, y + 50, doc, 52) + 6
    y = pg.runs(x, y, [(clin if "Dr." not in clin else clin.replace("Dr. ", "") + ", MD", "name")], f)[3]
    dept = rng.choice(["Department of Internal Medicine", "Hospitalist Service", "Division of Cardiology"])
    y = pg.text(x, y, dept, f)[3] + 30
    if rng.random() < 0.6:
        pg.runs(x, y, [("cc: ", None), (c.person().clinician(rng), "name")], fsm)
    pg.text(x, 1590, f"Page 1 of {rng.choice([1, 2])}", fsm)
    pg.notes.append({"a": "letter, address block, name in running text",
                     "b": "letter with RE: line (name, DOB, MRN)",
                     "c": "serif letter, centred letterhead, right-aligned date"}[v])
    return pg


def t_pay_stub(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    pg = c.page(1600, 800 if v != "b" else 1100)
    reg, bold = c.face("mono" if v == "c" else "sans")
    fs = 24
    f, fb, fsm = c.f(reg, fs), c.f(bold, fs), c.f(reg, fs * 0.8)
    pg.body_px = fs
    emp = rng.choice(["Prairie Logistics LLC", "Harbor Point Health Partners", "Sunrise Bakery Co.",
                      "Tri-County School District", "Northwind Staffing Inc."])
    h = hospital(rng)
    x = 50
    y = pg.text(x, 30, emp, c.f(bold, 34))[3]
    y = pg.text(x, y, f"{h['street']}, {h['city']}", fsm)[3]
    pg.text(1100, 36, "EARNINGS STATEMENT", c.f(bold, 30))
    y += 24
    start = rand_date(rng, 2019, 2025)
    end = start + timedelta(days=rng.choice([6, 13, 14]))
    style = rng.choice(DATE_STYLES[:2] + ["03/14/62"])
    y0 = y
    name = p.name_lines(rng, NAME_FORMS[:-1])[0]
    y = pg.runs(x, y, [(name, "name")], fb, max_w=720)[3]
    for s in p.street_lines(rng):
        y = pg.runs(x, y, [(s, "address")], f, max_w=720)[3]
    y = pg.runs(x, y, p.city_parts(rng), f, max_w=720)[3]
    ssn = p.ssn if rng.random() < 0.4 else rng.choice(["XXX-XX-", "***-**-", "xxx-xx-"]) + digits(rng, 4)
    yy = y0
    for cap, val, kind in [("Employee ID:", digits(rng, rng.randrange(5, 8)), "id_number"), ("SSN:", ssn, "ssn"),
                           ("Pay period:", None, None),
                           ("Pay date:", fmt_date(rng, end + timedelta(days=4), style), "date")]:
        if val is None:
            yy = pg.runs(800, yy, [(cap + " ", None, fb), (fmt_date(rng, start, style), "date"), (" - ", None),
                                   (fmt_date(rng, end, style), "date")], f)[3] + 2
        else:
            yy = pg.runs(800, yy, [(cap + " ", None, fb), (val, kind)], f)[3] + 2
    y = max(y, yy) + 30
    # earnings table: all hard negatives
    hours, rate = rng.choice([40, 80, 72, 86.5]), rng.uniform(14, 60)
    rows = [("Regular", f"{hours:.2f}", f"{rate:.2f}", f"{hours * rate:,.2f}"),
            ("Overtime", f"{rng.randrange(0, 12):.2f}", f"{rate * 1.5:.2f}", fmt_money(rng, 0, 600, False)),
            ("Federal Income Tax", "", "", fmt_money(rng, 80, 400, False)),
            ("Social Security", "", "", fmt_money(rng, 50, 200, False)),
            ("Medicare", "", "", fmt_money(rng, 10, 60, False)), ("401(k)", "", "", fmt_money(rng, 0, 300, False)),
            ("Health Ins", "", "", fmt_money(rng, 20, 250, False))]
    cols = [x, 560, 760, 980, 1220]
    for k, head in enumerate(["Description", "Hours", "Rate", "Current", "YTD"]):
        pg.text(cols[k], y, head, fb)
    y += lh(fb) + 6
    pg.draw.line([(x, y), (1550, y)], fill=INK, width=2)
    y += 8
    for r in rows:
        for k, s in enumerate(list(r) + [fmt_money(rng, 1000, 40000, False)]):
            pg.text(cols[k], y, s, f)
        y += lh(f) + 4
    y += 12
    pg.text(x, y, f"NET PAY  ${rng.uniform(600, 4000):,.2f}", c.f(bold, 30))
    acct = rng.choice([digits(rng, rng.randrange(8, 13)), f"{digits(rng, 4)}-{digits(rng, 6)}"])
    pg.runs(700, y + 6, [("Direct deposit  Acct ", None), (acct, "account_number"), ("   Routing ", None),
                         (digits(rng, 9), None)], fsm)
    if v == "b":
        pg.notes.append("stub with cheque: PAY TO THE ORDER OF, amount in words")
        y = 780
        pg.draw.line([(0, y), (1600, y)], fill=(120, 120, 120), width=2)
        pg.text(1250, y + 20, f"No. {digits(rng, 6)}", f)
        pg.runs(1200, y + 60, [("Date ", None), (fmt_date(rng, end + timedelta(days=4)), "date")], f)
        payee = p.name_lines(rng, ["FIRST LAST", "First Last"])[0]
        pg.runs(x, y + 130, [("PAY TO THE ORDER OF  ", None, fsm), (payee, "name", fb)], f)
        pg.text(x, y + 190, "One thousand two hundred thirty-four and 56/100 DOLLARS", f)
        pg.text(1250, y + 130, "$**1,234.56", fb)
        pg.text(x, y + 260, f"|:{digits(rng, 9)}|: {digits(rng, 10)}||' {digits(rng, 4)}", c.f("mono", 26))
    else:
        pg.notes.append("earnings statement table" + (" in monospace" if v == "c" else ""))
    return pg


def t_lab_requisition(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    acc = fmt_accession(rng)
    coll = fmt_date(rng, rand_date(rng, 2020, 2025), rng.choice(["03/14/1962", "1962-03-14", "03/14/62"]))
    if v in "ac":
        vertical = v == "c"
        pg = c.page(360, 900, (255, 255, 255)) if vertical else c.page(900, 360, (255, 255, 255))
        reg, bold = c.face(rng.choice(["sans", "mono"]))
        fs = 30
        f, fb, fsm = c.f(reg, fs), c.f(bold, fs), c.f(reg, fs * 0.75)
        pg.body_px = fs
        tube = rng.choice([("LAV 4.0 mL EDTA", (150, 60, 190)), ("SST 5.0 mL", (200, 150, 30)),
                           ("LT BLUE 2.7 mL CIT", (90, 170, 230)), ("GRN LI HEP 4.5 mL", (40, 160, 80))])
        lines = [([(p.name_lines(rng, ["LAST, FIRST M", "LAST, First"])[0], "name")], fb),
                 ([("DOB ", None), (fmt_date(rng, p.dob), "dob"), (f"  {rng.choice('MF')}", None)], f),
                 ([("Acc# ", None), (acc, "id_number")], f),
                 ([("Coll ", None), (coll, "date"), (" " + fmt_time(rng), None)], fsm),
                 ([(tube[0] + "   " + rng.choice(["CBC w/ DIFF", "CMP", "HbA1c", "LIPID PNL", "PT/INR"]), None)], fsm)]
        if rng.random() < 0.5:
            lines.insert(2, ([("MRN ", None), (p.mrn, "id_number")], fsm))
        pos = 20
        for parts, font in lines:
            if vertical:   # the label is wrapped round a tube: lines read bottom-to-top, in columns
                pos = pg.runs(pos, 40, parts, font, rotate=90)[2] + 4
            else:
                pos = pg.runs(24, pos, parts, font)[3] + 4
        if vertical:
            pg.draw.rectangle([300, 0, 360, 900], fill=tube[1])
        else:
            pg.draw.rectangle([0, 320, 900, 360], fill=tube[1])
            pg.barcode(rng, 620, 40, 250, 150)
        pg.notes.append("specimen tube label" + (", vertical" if vertical else ""))
        return pg
    pg = c.page(1275, 1650)
    reg, bold = c.face("sans")
    fs = 24
    f, fb, fsm, cap = c.f(reg, fs), c.f(bold, fs), c.f(reg, fs * 0.75), c.f(bold, fs * 0.7)
    pg.body_px = fs
    pg.notes.append("requisition form: patient, physician, insurance, tests")
    h = hospital(rng)
    col = rng.choice(ACCENT)
    y = c.letterhead(pg, h, 60, 40, 1155, c.f(bold, 34), fsm, col)
    pg.text(60, y, "LABORATORY REQUISITION", c.f(bold, 32))
    pg.barcode(rng, 850, y - 10, 330, 60)
    pg.runs(850, y + 56, [("Accession ", None), (acc, "id_number")], fsm)
    y += 110

    def section(y, title):
        pg.draw.rectangle([60, y, 1215, y + lh(fb) + 8], fill=col)
        pg.text(70, y + 4, title, fb, (255, 255, 255))
        return y + lh(fb) + 20

    y = section(y, "PATIENT INFORMATION")
    mode = rng.choice(["beside", "under"])
    y1 = pg.field(60, y, "Patient name", name_parts(p.name_lines(rng)), cap, f, mode, 12, max_w=600) + 10
    addr = [[(s, "address")] for s in p.street_lines(rng)] + [p.city_parts(rng)]
    y1 = pg.field(60, y1, "Address", addr, cap, f, mode, 12, max_w=600) + 10
    y2 = pg.field(700, y, "DOB", V(fmt_date(rng, p.dob), "dob"), cap, f, mode, 12, max_w=600) + 10
    y2 = pg.field(700, y2, "MRN", V(p.mrn, "id_number"), cap, f, mode, 12, max_w=600) + 10
    y2 = pg.field(700, y2, "Phone", V(p.phone, "phone"), cap, f, mode, 12) + 10
    y = section(max(y1, y2) + 10, "ORDERING PHYSICIAN / INSURANCE")
    y1 = pg.field(60, y, "Physician", V(c.person().clinician(rng), "name"), cap, f, mode, 12, max_w=600) + 10
    pg.field(700, y, "Member ID", V(fmt_member_id(rng), "id_number"), cap, f, mode, 12)
    pg.text(60, y1, f"Clinic phone {h['phone']}   ICD-10: {rng.choice(['E11.9', 'I10', 'E78.5', 'R53.83'])}, "
            f"{rng.choice(['Z00.00', 'N18.3', 'D64.9'])}", fsm)
    y = section(y1 + 60, "TESTS ORDERED")
    tests = ["80053 Comprehensive Metabolic Panel", "85025 CBC w/ Differential", "83036 Hemoglobin A1c",
             "80061 Lipid Panel", "84443 TSH", "81001 Urinalysis", "85610 PT/INR", "82306 Vitamin D 25-OH"]
    for k, t in enumerate(tests):
        pg.text(60 + (k % 2) * 580, y + (k // 2) * (lh(f) + 10), ("[x] " if rng.random() < 0.4 else "[ ] ") + t, f)
    y += 4 * (lh(f) + 10) + 30
    pg.runs(60, y, [("Collected: ", None, fb), (coll, "date"),
                    ("  " + fmt_time(rng) + "   Fasting: Y   Volume 4.0 mL", None)], f)
    pg.text(60, 1590, "Page 1 of 1", fsm)
    return pg


def t_whiteboard(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    pg = c.page(1600, 1100, (238, 240, 238))
    pg.draw.rectangle([0, 0, 1599, 1099], outline=(150, 150, 155), width=26)
    for _ in range(6):   # smudges
        x0, y0 = rng.randrange(40, 1400), rng.randrange(40, 900)
        pg.draw.ellipse([x0, y0, x0 + rng.randrange(80, 300), y0 + rng.randrange(30, 120)], fill=(226, 229, 228))
    markers = [(25, 50, 160), (20, 20, 20), (180, 30, 30), (20, 120, 60)]
    hand = lambda size: c.f(rng.choice(["hand", "humor", "comic", "comic-b", "hand-b"]), size)
    fs = 52
    pg.body_px = fs
    nurse = c.person().given.split()[0]
    dc = rand_date(rng, 2020, 2025)
    dc_s = rng.choice([f"{dc.month}/{dc.day:02d}", f"{dc.month:02d}/{dc.day:02d}", fmt_date(rng, dc, "3/14/1962")])
    doc = c.person()
    doc_s = rng.choice([f"Dr. {doc.family}", f"Dr {doc.family.split()[0]}",
                        f"Dr. {doc.given.split()[0][0]}. {doc.family}"])
    pt_s = rng.choice([f"{p.title} {p.family}", f"{p.given.split()[0]} {p.family[0]}.",
                       p.name_lines(rng, ["First Last", "FIRST LAST"])[0]])
    room = f"Rm {rng.randrange(100, 999)}"
    if v == "a":
        pg.notes.append("printed room board captions, marker values")
        col = rng.choice(ACCENT)
        pg.draw.rectangle([26, 26, 1574, 130], fill=col)
        pg.text(60, 48, rng.choice(HOSPITALS), c.f("sans-b", 44), (255, 255, 255))
        rows = [("ROOM", [(room, None)]), ("YOUR NURSE", [(nurse, "name")]),
                ("RN phone", [("ext " + digits(rng, 4), None)]), ("DOCTOR", [(doc_s, "name")]),
                ("PATIENT", [(pt_s, "name")]), ("TODAY IS", [(rng.choice(WEEKDAYS), None)]),
                ("PAIN GOAL", [(f"{rng.randrange(1, 6)}/10", None)]), ("EXPECTED DISCHARGE", [(dc_s, "date")])]
        y = 160
        cf = c.f("sans-b", 30)
        for k, (capt, parts) in enumerate(rows):
            x = 60 if k < 4 else 820
            yy = y + (k % 4) * 210
            pg.text(x, yy, capt, cf, col)
            pg.draw.line([(x, yy + 140), (x + 700, yy + 140)], fill=(170, 170, 170), width=2)
            pg.runs(x + 20, yy + 50, [(t, kd, hand(fs * rng.uniform(0.9, 1.3)), rng.choice(markers))
                                      for t, kd in parts], hand(fs))
    elif v == "b":
        pg.notes.append("free-form marker notes")
        items = [[(room, None)], [("RN: ", None), (nurse, "name"), ("  x" + digits(rng, 4), None)],
                 [("Pt: ", None), (pt_s, "name")], [(doc_s, "name")], [("D/C ", None), (dc_s, "date")],
                 [(rng.choice(["NPO after midnight", "Diet: cardiac", "Fall risk!", "Walk 3x today", "I&O q4h",
                               "Bed alarm ON"]), None)],
                 [("Pain " + str(rng.randrange(0, 10)) + "/10   " + fmt_time(rng) + " meds", None)]]
        y = 90
        for parts in items:
            font = hand(fs * rng.uniform(0.85, 1.35))
            x = rng.randrange(70, 300)
            y = pg.runs(x, y, [(t, kd, font, None) for t, kd in parts], font, rng.choice(markers))[3]
            y += rng.randrange(20, 60)
            if y > 1000:
                break
    else:
        pg.notes.append("unit census board: rows of room, patient, nurse, discharge date")
        hdr = c.f("sans-b", 30)
        cols = [60, 260, 800, 1150]
        for x, t in zip(cols, ["ROOM", "PATIENT", "RN", "D/C"]):
            pg.text(x, 60, t, hdr)
        y = 120
        for _ in range(rng.randrange(4, 7)):
            q = c.person()
            pg.draw.line([(40, y - 10), (1560, y - 10)], fill=(120, 120, 120), width=2)
            mk = rng.choice(markers)
            font = hand(fs * 0.9)
            pg.text(cols[0], y, str(rng.randrange(100, 999)) + rng.choice(["", "A", "B"]), font, mk)
            pt = rng.choice([f"{q.family} {q.given[0]}.", q.family.upper(), f"{q.given.split()[0]} {q.family[0]}."])
            pg.runs(cols[1], y, [(pt, "name")], font, mk, max_w=cols[2] - cols[1] - 30)
            pg.runs(cols[2], y, [(c.person().given.split()[0], "name")], font, mk, max_w=cols[3] - cols[2] - 30)
            d = rand_date(rng, 2020, 2025)
            if rng.random() < 0.7:
                pg.runs(cols[3], y, [(f"{d.month}/{d.day}", "date")], font, mk)
            else:
                pg.text(cols[3], y, rng.choice(["TBD", "?", "—"]), font, mk)
            y += int(lh(font) * 1.5)
    return pg


def t_ehr_screen(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    dark = v == "b" or (v == "c" and rng.random() < 0.4)
    bg, fg, panel, acc = ((30, 33, 40), (225, 228, 232), (44, 48, 58), (90, 160, 230)) if dark else \
        ((246, 247, 250), (25, 25, 30), (255, 255, 255), rng.choice(ACCENT))
    pg = c.page(1400, 880, bg)
    reg, bold = c.face("sans")
    fs = rng.choice([12, 13, 14])
    f, fb, ft = c.f(reg, fs), c.f(bold, fs), c.f(bold, fs + 4)
    pg.body_px = fs
    step = lh(f) + 5
    pg.draw.rectangle([0, 0, 1400, 30], fill=acc)
    pg.text(10, 7, rng.choice(["MedChart 2024.1", "CareView EHR", "Hyperspace - PROD"]) +
            "   File  Edit  View  Patient  Orders  Help", f, (255, 255, 255))
    for k, t in enumerate(["Summary", "Chart Review", "Results", "Notes", "Orders", "Meds", "Vitals", "Billing",
                           "Media"]):
        pg.text(12, 60 + k * (step + 8), t, f, fg)
    pg.draw.line([(150, 30), (150, 880)], fill=(120, 120, 120), width=1)
    x0 = 170
    if v in "ab":
        pg.notes.append(("dark" if dark else "light") + " single-patient chart")
        pg.draw.rectangle([x0, 40, 1390, 110], fill=panel)
        pg.runs(x0 + 12, 48, [(p.name_lines(rng, ["LAST, First", "LAST, FIRST M", "First Last"])[0], "name")], ft, fg)
        pg.runs(x0 + 12, 78, [("DOB: ", None), (fmt_date(rng, p.dob, rng.choice(["03/14/1962", "1962-03-14"])), "dob"),
                              (f" ({p.age()} y.o.)   Sex: {rng.choice('MF')}   MRN: ", None), (p.mrn, "id_number"),
                              ("   PCP: ", None), (c.person().clinician(rng), "name"),
                              ("   Allergies: NKDA", None)], f, fg)
        y = 130
        pg.text(x0, y, "Demographics", fb, acc)
        y += step + 4
        demo = [("Address", [(p.street_lines(rng, True)[0], "address")]), ("City", p.city_parts(rng)),
                ("Home", [(p.phone, "phone")]), ("Mobile", [(p.phone2, "phone")]), ("Email", [(p.email, "email")]),
                ("SSN", [(p.ssn, "ssn")]), ("Guarantor acct", [(digits(rng, rng.randrange(7, 11)), "account_number")]),
                ("Portal", [(p.url, "url")]),
                ("Emerg. contact", [(c.person().name_lines(rng, ["First Last"])[0], "name"), (" / ", None),
                                    (fmt_phone(rng), "phone")]),
                ("Admitted", [(fmt_date(rng, rand_date(rng, 2020, 2025)), "date"),
                              ("  " + fmt_time(rng) + "  Unit 5E Bed 14", None)]),
                ("Implant", [(rng.choice(["Pacemaker", "ICD", "Insulin pump"]) + " SN ", None),
                             (letters(rng, 3) + digits(rng, 6) + letters(rng, 1), "id_number")])]
        for capt, parts in demo:
            if rng.random() < 0.85:
                pg.text(x0, y, capt + ":", fb, fg)
                pg.runs(x0 + 130, y, parts, f, fg, max_w=760 - x0 - 140)
                y += step
        # vitals and labs: negatives
        y2 = 130
        pg.text(760, y2, "Vitals", fb, acc)
        y2 += step + 4
        for _ in range(6):
            pg.text(760, y2, f"{fmt_time(rng)}   BP {rng.randrange(100, 170)}/{rng.randrange(60, 100)}   "
                    f"HR {rng.randrange(50, 120)}   "
                    f"T {rng.uniform(36, 39):.1f} °C   SpO2 {rng.randrange(88, 100)}%", f, fg)
            y2 += step
        y2 += 10
        pg.text(760, y2, "Results", fb, acc)
        y2 += step + 4
        for name, unit, lo, hi in [("Sodium", "mmol/L", 130, 148), ("Potassium", "mmol/L", 3, 6),
                                   ("Glucose", "mg/dL", 60, 300), ("Creatinine", "mg/dL", 0.5, 3),
                                   ("Hemoglobin", "g/dL", 8, 17), ("WBC", "K/uL", 3, 15)]:
            pg.text(760, y2, f"{name:<12} {rng.uniform(lo, hi):6.1f} {unit}   ref {lo}-{hi}", f, fg)
            y2 += step
        y = max(y, y2) + 20
        pg.text(x0, y, "Notes", fb, acc)
        note = [(f"{fmt_time(rng)} Progress note: patient seen on rounds with ", None),
                (c.person().clinician(rng), "name"),
                (". Plan: continue 500 mg cefazolin q8h, recheck labs 06:00, PT consult. "
                 "Discussed with daughter ", None),
                (c.person().given.split()[0], "name"), (" at bedside.", None)]
        y = pg.paragraph(x0, y + step + 4, 1200, note, f, fg)
        y += 16
        pg.text(x0, y, "Encounters", fb, acc)
        pg.text(760, y, "Medications", fb, acc)
        y += step + 4
        for k in range(rng.randrange(4, 9)):
            if y + k * step > 860:
                break
            when = fmt_date(rng, rand_date(rng, 2015, 2025), "03/14/1962")
            visit = rng.choice(["Office visit", "ED visit", "Telehealth", "Lab only", "Admission"])
            pg.runs(x0, y + k * step, [(when, "date"), (f"  {visit} - {rng.choice(DEPARTMENTS)} - ", None),
                                       (c.person().clinician(rng), "name")], f, fg, max_w=760 - x0 - 12)
            drug, strength, form = rng.choice(DRUGS)
            pg.text(760, y + k * step, f"{drug.title()} {strength.lower()} {form.lower()}  "
                    f"#{rng.choice([30, 60, 90])}  "
                    f"refills {rng.randrange(0, 5)}  {fmt_money(rng, 4, 90, True)}", f, fg)
    else:
        pg.notes.append(("dark" if dark else "light") + " unit census list, one row per patient")
        pg.text(x0, 44, f"Unit census — {rng.choice(DEPARTMENTS)} — {rng.randrange(8, 24)} patients", ft, fg)
        cols = [x0, x0 + 70, x0 + 330, x0 + 420, x0 + 540, x0 + 660, x0 + 900]
        y = 80
        for cx, t in zip(cols, ["Room", "Patient", "Age/Sex", "MRN", "DOB", "Attending", "Admit"]):
            pg.text(cx, y, t, fb, acc)
        y += step + 4
        for k in range(rng.randrange(14, 30)):
            q = c.person()
            if k % 2:
                pg.draw.rectangle([x0 - 4, y - 2, 1390, y + step - 3], fill=panel)
            pg.text(cols[0], y, f"{rng.randrange(3, 9)}{rng.randrange(1, 40):02d}-{rng.choice('AB')}", f, fg)
            pg.runs(cols[1], y, clipped(f, q.name_lines(rng, ["LAST, First", "LAST, FIRST M"])[0], "name", 250), f, fg)
            pg.text(cols[2], y, f"{q.age()} {rng.choice('MF')}", f, fg)
            pg.runs(cols[3], y, [(q.mrn, "id_number")], f, fg)
            pg.runs(cols[4], y, [(fmt_date(rng, q.dob, "03/14/1962"), "dob")], f, fg)
            pg.runs(cols[5], y, clipped(f, c.person().clinician(rng), "name", 230), f, fg)
            pg.runs(cols[6], y, [(fmt_date(rng, rand_date(rng, 2023, 2025), "03/14/62"), "date")], f, fg)
            y += step
            if y > 850:
                break
    return pg


def t_fax_cover(c):
    rng = c.rng
    v = c.variant("abc")
    pg = c.page(1275, 1650)
    reg, bold = c.face(rng.choice(["sans", "serif"]))
    fs = 26
    f, fb, fsm = c.f(reg, fs), c.f(bold, fs), c.f(reg, fs * 0.72)
    pg.body_px = fs
    h = hospital(rng)
    y = c.letterhead(pg, h, 80, 60, 1115, c.f(bold, 38), fsm, rng.choice(ACCENT), center=rng.random() < 0.4)
    y = pg.text(80, y + 10, rng.choice(["FAX", "Facsimile Transmittal", "FAX COVER SHEET"]), c.f(bold, 60))[3] + 40
    to, frm, pt = c.person(), c.person(), c.person()
    d = fmt_date(rng, rand_date(rng, 2020, 2025))
    fields = [("To:", V(to.clinician(rng), "name")), ("Fax:", V(fmt_phone(rng, ext=False), "phone")),
              ("Phone:", V(fmt_phone(rng), "phone")),
              ("From:", V(frm.name_lines(rng, ["First Last", "First M. Last"])[0] + rng.choice(["", ", RN", ", MD"]),
                          "name")),
              ("Date:", V(d, "date")), ("Pages:", V(f"{rng.randrange(2, 12)} (including cover)")),
              ("Re:", [[("Patient ", None), (pt.name_lines(rng, NAME_FORMS[:-1])[0], "name"), (", DOB ", None),
                        (fmt_date(rng, pt.dob), "dob")]])]
    if v == "a":
        pg.notes.append("boxed table of To/From/Fax/Phone/Date")
        rowh = int(lh(f) * 1.9)
        for k, (capt, val) in enumerate(fields):
            pg.box([80, y + k * rowh, 1195, y + (k + 1) * rowh], width=2)
            pg.draw.line([(300, y + k * rowh), (300, y + (k + 1) * rowh)], fill=(60, 60, 60), width=2)
            pg.text(96, y + k * rowh + rowh // 4, capt.rstrip(":").upper(), fb)
            pg.runs(316, y + k * rowh + rowh // 4, val[0], f)
        y += len(fields) * rowh + 40
    elif v == "b":
        pg.notes.append("caption-colon lines")
        for capt, val in fields:
            y = pg.field(80, y, capt, val, fb, f, "beside", 24, line_to=1195) + 22
        y += 20
    else:
        pg.notes.append("To / From blocks side by side")
        for x, who, lab in [(80, to, "TO"), (660, frm, "FROM")]:
            yy = pg.text(x, y, lab, c.f(bold, 32))[3] + 10
            who_s = who.clinician(rng) if lab == "TO" else who.name_lines(rng, ["First Last"])[0]
            yy = pg.runs(x, yy, [(who_s, "name")], f, max_w=540)[3] + 4
            office = rng.choice(["Lakeside Cardiology", "Medical Records", "Utilization Review", "Billing Office"])
            yy = pg.text(x, yy, office, f)[3] + 4
            yy = pg.runs(x, yy, [("Fax ", None), (fmt_phone(rng, ext=False), "phone")], f)[3] + 4
            pg.runs(x, yy, [("Tel ", None), (fmt_phone(rng), "phone")], f)
        y += 280
        for capt, val in fields[4:]:
            y = pg.field(80, y, capt, val, fb, f, "beside", 18) + 16
    pg.text(80, y, "[ ] Urgent   [x] For review   [ ] Please reply   [ ] Please comment", f)
    y += 70
    if rng.random() < 0.6:   # a handwritten comment naming the patient and a call-back number
        y = pg.text(80, y, "Comments:", fb)[3] + 10
        hf = c.f(c.face("hand")[0], fs * 1.3)
        y = pg.paragraph(100, y, 1000, [(rng.choice(["Pls review labs for ", "Records requested for ", "Re: "]), None),
                                        (pt.name_lines(rng, ["First Last", "Last, First"])[0], "name"),
                                        (rng.choice([" - call me at ", " - questions? ", ". Thx! "]), None),
                                        (fmt_phone(rng), "phone"),
                                        (" " + rng.choice(["- K.", "thanks", "ASAP"]), None)],
                         hf, rng.choice([(20, 30, 110), (25, 25, 25)])) + 40
    pg.paragraph(80, y, 1115, [("CONFIDENTIALITY NOTICE: The documents accompanying this facsimile contain "
                                "confidential health information that is legally privileged. If you have received "
                                f"this fax in error, please notify the sender at {h['phone']} and destroy the "
                                "documents. Main office hours "
                                "08:00-17:00, Monday through Friday.", None)], fsm)
    return pg


def t_parking_notice(c):
    rng, p = c.rng, c.person()
    v = c.variant("abc")
    plate = fmt_plate(rng)
    state = rng.choice(["IL", "MI", "NM", "TX", "CA", "NY", "WA"])
    car = f"{rng.choice(['Toyota', 'Honda', 'Ford', 'Subaru', 'Kia', 'Chevrolet'])} " \
          f"{rng.choice(['Camry', 'Civic', 'F-150', 'Outback', 'Soul', 'Malibu'])}"
    if v == "c":
        pg = c.page(1200, 600, rng.choice([(250, 250, 250), (255, 246, 214), (226, 236, 250)]), radius=40)
        pg.body_px = 45     # the plate is a close-up: its 170 px characters end up 4x the body size
        pg.notes.append("licence plate close-up")
        pg.draw.rounded_rectangle([10, 10, 1189, 589], 36, outline=(40, 40, 40), width=8)
        st, slog = {"IL": ("ILLINOIS", "Land of Lincoln"), "MI": ("MICHIGAN", "Great Lakes Splendor"),
                    "NM": ("NEW MEXICO", "Land of Enchantment"), "TX": ("TEXAS", "The Lone Star State"),
                    "CA": ("California", "dmv.ca.gov"), "NY": ("NEW YORK", "Excelsior"),
                    "WA": ("Washington", "Evergreen State")}[state]
        top = c.f("serif-b", 64)
        pg.text((1200 - top.getlength(st)) / 2, 40, st, top, rng.choice(ACCENT))
        big = c.f(rng.choice(["lsans-b", "cond-b", "sans-b"]), 170)
        pg.runs((1200 - big.getlength(plate)) / 2, 170, [(plate, "plate")], big, (30, 30, 60))
        sf = c.f("serif-i", 44)
        pg.text((1200 - sf.getlength(slog)) / 2, 470, slog, sf)
        pg.draw.rectangle([980, 40, 1140, 110], fill=(240, 200, 40))
        pg.text(995, 55, f"{rng.randrange(1, 13):02d}  {rng.randrange(24, 27)}", c.f("sans-b", 36))
        return pg
    pg = c.page(800, 1150, rng.choice([(255, 255, 255), (255, 250, 205), (255, 230, 230)]))
    reg, bold = c.face("sans")
    fs = 30
    f, fb, fsm = c.f(reg, fs), c.f(bold, fs), c.f(reg, fs * 0.75)
    pg.body_px = fs
    h = hospital(rng)
    x = 50
    y = pg.text(x, 40, h["name"], c.f(bold, 28))[3]
    y = pg.text(x, y, f"Security {h['phone']}", fsm)[3] + 20
    when = fmt_date(rng, rand_date(rng, 2020, 2025))
    if v == "a":
        pg.notes.append("parking violation ticket")
        y = pg.text(x, y, "PARKING VIOLATION", c.f(bold, 50), (180, 20, 20))[3] + 30
        rows = [("Date", [(when, "date")]), ("Time", [(fmt_time(rng), None)]), ("Plate", [(plate, "plate")]),
                ("State", [(state, None)]),
                ("Vehicle", [(car + ", " + rng.choice(["silver", "black", "red", "white"]), None)]),
                ("Location", [(f"Lot {rng.choice('ABCDE')}, space {rng.randrange(1, 400)}", None)]),
                ("Violation", [(rng.choice(["Reserved space", "No permit displayed", "Fire lane",
                                            "Expired meter"]), None)]),
                ("Fine", [(fmt_money(rng, 15, 120, True), None)]), ("Officer", [("#" + digits(rng, 4), None)])]
        for capt, parts in rows:
            y = pg.field(x, y, capt + ":", [parts], fb, f, "beside", 20, line_to=750) + 18
        pg.paragraph(x, y + 20, 700, [("Pay within 14 days at the security office, Room B-104, or call ", None),
                                      (h["phone"], None, True), (". Fines double after 30 days.", None)], fsm)
    else:
        pg.notes.append("visitor parking permit hang tag")
        pg.draw.ellipse([330, 20, 470, 160], outline=(80, 80, 80), width=6)
        y = max(y, 170)
        y = pg.text(x, y, "VISITOR PERMIT", c.f(bold, 60), rng.choice(ACCENT))[3] + 20
        y = pg.field(x, y, "Plate", V(plate, "plate"), fsm, c.f(bold, 64), "under", 4) + 20
        holder = name_parts(p.name_lines(rng, ["First Last", "LAST, First", "split"]))
        y = pg.field(x, y, "Issued to", holder, fsm, f, "under", 4) + 20
        y = pg.field(x, y, "Valid through", V(when, "date"), fsm, f, "under", 4) + 20
        visiting = V(f"Rm {rng.randrange(100, 999)}, {rng.choice(DEPARTMENTS)}")
        y = pg.field(x, y, "Visiting", visiting, fsm, f, "under", 4) + 20
        pg.text(x, y, f"Lot {rng.choice('ABC')}  ·  Hang from mirror  ·  {car}", fsm)
    return pg


def t_sticky_note(c):
    """Handwriting on a sticky note, a phone-message slip or a room card: every value written
    by hand in marker or pen, with jotted dates, callers and the clinical chatter beside them."""
    rng, p, caller = c.rng, c.person(), c.person()
    v = c.variant("abc")
    reg, bold = c.face("hand")
    pen = rng.choice([(20, 30, 110), (25, 25, 25), (150, 20, 30), (10, 70, 40)])
    fs = 40
    f, fb = c.f(reg, fs), c.f(bold, fs)
    fp = c.f("sans-b", 22)
    when = rand_date(rng, 2020, 2025)
    chatter = ["NPO after midnight", "2 tabs BID x 5 days", "pick up forms", "fall risk!", "rm 4 clean",
               "shift change 7pm", "needs wheelchair", "Allergy: PCN", "order more gauze", "x4417 pharm"]
    rng.shuffle(chatter)
    if v == "a":
        pg = c.page(700, 700, rng.choice([(255, 240, 120), (255, 200, 220), (200, 240, 255), (210, 250, 190)]))
        pg.notes.append("sticky note, all handwritten")
        pg.body_px = fs
        lines = [[(p.name_lines(rng, ["First Last", "LAST, First", "Last, First", "FIRST LAST"])[0], "name"),
                  (f"  rm {rng.randrange(100, 999)}", None)],
                 [(rng.choice(["dob ", "DOB ", "b. "]), None), (fmt_date(rng, p.dob, rng.choice(DATE_STYLES[:1] + DATE_STYLES[4:])), "dob")],
                 [(rng.choice(["call ", "daughter ", "son ", "wife: "]), None),
                  (caller.name_lines(rng, ["First Last"])[0].split()[0], "name"), (" ", None), (fmt_phone(rng, ext=False), "phone")],
                 [(rng.choice(["f/u ", "appt ", "seen ", "d/c "]), None), (fmt_short_date(rng, when), "date")],
                 [(chatter[0], None)]]
        if rng.random() < 0.5:
            lines.insert(2, [("MRN ", None), (p.mrn, "id_number")])
        rng.shuffle(lines)
        y = 40
        for parts in lines:
            y = pg.runs(40, y, parts, rng.choice([f, fb]), pen, max_w=620)[3] + rng.randrange(14, 40)
        return pg
    if v == "b":
        pg = c.page(900, 1050, rng.choice([(255, 236, 236), (240, 244, 255), (255, 255, 255)]))
        pg.notes.append("phone-message slip: printed captions, handwritten values")
        pg.body_px = fs
        pg.text(40, 30, rng.choice(["WHILE YOU WERE OUT", "PHONE MESSAGE", "Telephone Message"]), c.f("sans-b", 40), (150, 20, 30))
        rows = [("For", [(rng.choice(["Dr. ", ""]) + c.person().family, "name")]),
                ("Date", [(fmt_short_date(rng, when), "date")]),
                ("Time", [(fmt_time(rng), None)]),
                ("From", [(caller.name_lines(rng, ["First Last", "First M. Last"])[0], "name")]),
                ("Phone", [(fmt_phone(rng), "phone")]),
                ("Re", [(rng.choice(["her mother ", "pt ", "labs for ", ""]), None),
                        (p.name_lines(rng, ["First Last", "Last, First"])[0], "name")])]
        y = 110
        for capt, parts in rows:
            y = pg.field(40, y, capt, [parts], fp, rng.choice([f, fb]), "beside", 20, pen, INK, line_to=860) + 14
        pg.runs(40, y + 10, [(rng.choice(["Please call back", "Will call again", "Returned your call"]) + " - "
                              + chatter[0], None)], f, pen, max_w=820)
        return pg
    pg = c.page(760, 900, rng.choice([(255, 255, 255), (232, 240, 250)]))
    pg.notes.append("room door card: printed room, handwritten entries")
    pg.body_px = fs
    y = pg.text(40, 30, f"Room {rng.randrange(100, 999)}{rng.choice(['', 'A', 'B'])}", c.f("sans-b", 64), rng.choice(ACCENT))[3] + 30
    rows = [("Patient", [(p.name_lines(rng, ["First Last", "LAST, First", "FIRST LAST", "First M. Last"])[0], "name")]),
            ("Doctor", [(c.person().clinician(rng), "name")]),
            ("Nurse", [(c.person().given.split()[0], "name")]),
            ("Admitted", [(fmt_short_date(rng, when) if rng.random() < 0.5 else fmt_date(rng, when), "date")]),
            ("Diet", [(rng.choice(["Regular", "NPO", "Clear liquids", "Cardiac", "Diabetic"]), None)]),
            ("Goal", [(chatter[0], None)])]
    for capt, parts in rows:
        y = pg.field(40, y, capt, [parts], fp, rng.choice([f, fb]), "under", 6, pen, INK, max_w=680) + 18
    return pg


def t_calendar(c):
    """A clinic's day schedule on screen: one row per appointment with the patient's name, date
    of birth, record number and phone beside times, rooms, reasons and statuses that are not
    PHI.  A table, coloured appointment blocks, or the table in a dark theme."""
    rng = c.rng
    v = c.variant("abc")
    dark = v == "c"
    bg, fg, grid, head = ((28, 30, 36), (222, 226, 230), (70, 74, 84), (48, 52, 62)) if dark else \
        ((255, 255, 255), INK, (205, 208, 214), rng.choice([(226, 234, 246), (236, 240, 236), (240, 236, 246)]))
    pg = c.page(1400, 960 if v == "b" else 700, bg)
    reg, bold = c.face("sans")
    fs = 20
    f, fb, fsm = c.f(reg, fs), c.f(bold, fs), c.f(reg, fs * 0.8)
    pg.body_px = fs
    day = rand_date(rng, 2021, 2025)
    provider = c.person().clinician(rng)
    pg.draw.rectangle([0, 0, 1400, 50], fill=rng.choice(ACCENT))
    pg.text(20, 12, f"Scheduler  ·  {rng.choice(HOSPITALS)}", c.f(bold, 22), (255, 255, 255))
    pg.runs(20, 66, [(f"{WEEKDAYS[day.weekday()]}, ", None), (fmt_date(rng, day, rng.choice(["March 14, 1962", "03/14/1962", "14 Mar 1962"])), "date"),
                     ("   ·   ", None), (provider, "name"), (f"   ·   {rng.choice(DEPARTMENTS[:8])} clinic", None)], fb, fg)
    reasons = ["Follow-up", "New patient", "Annual physical", "Lab review", "Post-op check", "Med refill",
               "Telehealth", "Wound check", "Consult", "BP check"]
    statuses = ["Checked in", "Arrived", "Confirmed", "No show", "In room", "Scheduled", "Cancelled"]
    rows = []
    t = rng.choice([7 * 60 + 30, 8 * 60, 8 * 60 + 30])
    for _ in range(rng.randrange(7, 11)):
        p = c.person()
        rows.append((f"{t // 60:02d}:{t % 60:02d}", p, f"{rng.choice(['Exam', 'Rm'])} {rng.randrange(1, 12)}",
                     rng.choice(reasons), rng.choice(statuses)))
        t += rng.choice([15, 20, 30, 30, 45])
    if v == "b":
        pg.notes.append("appointment blocks")
        y = 110
        for time, p, room, reason, status in rows:
            colour = rng.choice(PASTEL)
            pg.draw.rounded_rectangle([90, y, 1370, y + 66], 8, fill=colour, outline=grid)
            pg.text(20, y + 4, time, fsm, fg if dark else INK)
            name = p.name_lines(rng, ["LAST, First", "Last, First", "First Last"])[0]
            pg.runs(104, y + 6, [(name, "name"), ("  (DOB ", None), (fmt_date(rng, p.dob), "dob"), (")", None)], fb)
            pg.runs(104, y + 36, [(f"{reason} · {room} · {status} · ", None), (p.phone, "phone")], fsm)
            y += 76
        return pg
    pg.notes.append("dark-theme table" if dark else "schedule table")
    cols = [("Time", 20), ("Patient", 110), ("DOB", 470), ("MRN", 640), ("Phone", 820), ("Reason", 1020), ("Status", 1220)]
    y = 110
    pg.draw.rectangle([10, y, 1390, y + 36], fill=head)
    for name, x in cols:
        pg.text(x, y + 7, name, fb, fg)
    y += 40
    for time, p, room, reason, status in rows:
        name = p.name_lines(rng, ["LAST, First", "LAST, FIRST M", "Last, First"])[0]
        cells = [[(time, None)], clipped(f, name, "name", 350), [(fmt_date(rng, p.dob, rng.choice(DATE_STYLES[:2] + DATE_STYLES[8:])), "dob")],
                 [(p.mrn, "id_number")], [(p.phone.split(" ext")[0].split(" x")[0], "phone")], [(reason, None)], [(status, None)]]
        for (_, x), parts in zip(cols, cells):
            pg.runs(x, y + 8, parts, f, fg, max_w=1400)
        y += 44
        pg.draw.line([(10, y), (1390, y)], fill=grid, width=1)
    pg.text(20, y + 20, f"{len(rows)} appointments  ·  {room}  ·  Last refreshed {fmt_time(rng)}", fsm, fg)
    return pg


# --- negative-only families: no PHI at all

def t_price_list(c):
    rng = c.rng
    v = c.variant("ab")
    chalk = v == "b"
    pg = c.page(1100, 1450, (40, 48, 44) if chalk else rng.choice(PAPER))
    fg = (235, 235, 225) if chalk else INK
    reg, bold = c.face("hand") if chalk else c.face(rng.choice(["sans", "serif"]))
    fs = 32
    f, fb, fsm = c.f(reg, fs), c.f(bold, fs * 1.5), c.f(reg, fs * 0.7)
    pg.body_px = fs
    d = rand_date(rng, 2020, 2025)
    pg.notes.append("chalkboard menu" if chalk else "cafeteria price list")
    y = pg.text(60, 50, rng.choice(["Café Menu", "Cafeteria", "Grab & Go", "Garden Café"]), fb, fg)[3] + 10
    week = f"Week of {MONTHS[d.month - 1]} {d.day}, {d.year}  ·  Open 06:30-19:00 Mon-Fri"
    y = pg.text(60, y, week, fsm, fg)[3] + 30
    items = ["Grilled Chicken Wrap", "Soup of the Day 12 oz", "Caesar Salad", "Veggie Burger", "Turkey Club",
             "Pho Bowl", "Bean & Cheese Burrito", "Fruit Cup", "Coffee 16 oz", "Iced Tea", "Blueberry Muffin",
             "Pizza Slice", "Chicken Tikka Masala", "Greek Yogurt Parfait"]
    rng.shuffle(items)
    for it in items[:rng.randrange(8, 13)]:
        if y > 1240:
            break
        price = f"${rng.uniform(1, 11):.2f}"
        pg.text(60, y, it, f, fg)
        pg.text(1040 - f.getlength(price), y, price, f, fg)
        pg.text(60, y + lh(f), f"{rng.randrange(90, 900)} cal", fsm, fg)
        y += lh(f) + lh(fsm) + 14
    pg.text(60, y + 20, f"Catering: ext. {digits(rng, 4)}  ·  Prices include 8.25% tax  ·  Updated {d.year}", fsm, fg)
    return pg


def t_stock_bottle(c):
    rng = c.rng
    v = c.variant("ab")
    pg = c.page(1200, 700, (255, 255, 255))
    reg, bold = c.face("sans")
    fs = 26
    f, fb, fsm = c.f(reg, fs), c.f(bold, fs * 1.5), c.f(reg, fs * 0.7)
    pg.body_px = fs
    drug, strength, form = rng.choice(DRUGS)
    maker = rng.choice(MAKERS)
    col = rng.choice(ACCENT)
    pg.draw.rectangle([0, 0, 1200, 70], fill=col)
    pg.text(40, 18, ndc(rng), c.f(bold, 30), (255, 255, 255))
    pg.text(820, 18, f"{rng.choice([30, 90, 100, 500, 1000])} {form.title()}s", c.f(bold, 30), (255, 255, 255))
    y = pg.text(40, 100, drug.title(), fb)[3]
    y = pg.text(40, y, f"{form.title()}s USP  {strength}", f)[3] + 10
    y = pg.text(40, y, "Rx only", c.f(bold, 28))[3] + 20
    for s in [f"LOT {letters(rng, 1)}{digits(rng, 5)}   EXP {rng.randrange(1, 13):02d}/{rng.randrange(2025, 2029)}",
              "Store at 20° to 25°C (68° to 77°F). Dispense in a tight, light-resistant container.",
              f"Each {form.lower()} contains {strength.lower()} of {drug.lower()}. Usual dosage: see package insert.",
              f"Manufactured by {maker}",
              f"{rng.choice(CITIES)[0]}, {rng.choice(['NJ', 'PA', 'NC'])} {digits(rng, 5)}   "
              f"{fmt_phone(rng, '800', False)}   Made in India   "
              f"Rev. {rng.randrange(1, 13):02d}/{rng.randrange(2019, 2024)}"]:
        y = pg.text(40, y, s, fsm)[3] + 8
    pg.barcode(rng, 820, 520, 330, 120)
    pg.notes.append("stock bottle label" + (", vertical side panel" if v == "b" else ""))
    if v == "b":
        pg.draw.rectangle([1120, 70, 1200, 700], fill=(235, 235, 235))
        pg.text(1140, 100, f"{ndc(rng)}  LOT {letters(rng, 2)}{digits(rng, 4)}", fsm, INK, rotate=270)
    return pg


def t_directory_sign(c):
    rng = c.rng
    h = hospital(rng)
    bg = rng.choice([(20, 50, 90), (30, 80, 60), (60, 60, 66), (240, 240, 236)])
    fg = (245, 245, 245) if sum(bg) < 400 else INK
    pg = c.page(1400, 1000, bg, radius=rng.choice([0, 20]))
    reg, bold = c.face("sans")
    fs = 40
    f, fb, fsm = c.f(reg, fs), c.f(bold, fs * 1.4), c.f(reg, fs * 0.6)
    pg.body_px = fs
    deps = list(DEPARTMENTS)
    rng.shuffle(deps)
    if c.variant("ab") == "a":
        pg.notes.append("one floor's departments with room ranges and arrows")
        y = pg.text(60, 40, f"Floor {rng.randrange(1, 9)}", fb, fg)[3] + 20
        for d in deps[:rng.randrange(5, 9)]:
            rm = f"{rng.randrange(1, 9)}{rng.randrange(0, 99):02d}-{rng.randrange(100, 999)}" if rng.random() < 0.5 \
                else f"Rm {rng.randrange(100, 999)}"
            pg.text(60, y, d, f, fg)
            pg.text(760, y, rm, f, fg)
            pg.text(1240, y, rng.choice(["→", "←", "↑", "↗"]), f, fg)
            y += lh(f) + 18
    else:
        pg.notes.append("lobby directory: floors and their departments")
        y = pg.text(60, 40, rng.choice(["Building Directory", "Welcome", "Hospital Directory"]), fb, fg)[3] + 20
        for floor in range(rng.randrange(4, 7), 0, -1):
            names = "  ·  ".join(deps[floor * 2:floor * 2 + rng.randrange(1, 4)])
            pg.text(60, y, str(floor), fb, fg)
            pg.text(160, y + 8, names, f, fg)
            y += lh(fb) + 12
    pg.draw.line([(60, y + 10), (1340, y + 10)], fill=fg, width=3)
    pg.text(60, y + 30, f"{h['name']}  ·  {h['street']}, {h['city']}", fsm, fg)
    pg.text(60, y + 30 + lh(fsm) + 6, f"Main {h['phone']}  ·  {h['url']}  ·  Visiting hours 09:00-20:00", fsm, fg)
    return pg


# family -> (template, degradation spec).  text_px: final size of the page's body text.
FAMILIES = {
    "wristband": (t_wristband, dict(text_px=(9, 26), rot=12, persp=0.04)),
    "id_card": (t_id_card, dict(text_px=(9, 24), rot=12, persp=0.05)),
    "insurance_card": (t_insurance_card, dict(text_px=(9, 24), rot=12, persp=0.05)),
    "pharmacy_label": (t_pharmacy_label, dict(text_px=(9, 24), rot=12, persp=0.04)),
    "intake_form": (t_intake_form, dict(text_px=(9, 16), rot=8, persp=0.03)),
    "discharge_letter": (t_discharge_letter, dict(text_px=(9, 16), rot=6, persp=0.03)),
    "pay_stub": (t_pay_stub, dict(text_px=(8, 18), rot=8, persp=0.03)),
    "lab_requisition": (t_lab_requisition, dict(text_px=(9, 22), rot=10, persp=0.04)),
    "whiteboard": (t_whiteboard, dict(text_px=(18, 44), rot=6, persp=0.06)),
    "ehr_screen": (t_ehr_screen, dict(text_px=(10, 13), rot=4, persp=0.03)),
    "fax_cover": (t_fax_cover, dict(text_px=(9, 16), rot=6, persp=0.03)),
    "parking_notice": (t_parking_notice, dict(text_px=(10, 30), rot=10, persp=0.05)),
    "sticky_note": (t_sticky_note, dict(text_px=(12, 34), rot=12, persp=0.05)),
    "calendar": (t_calendar, dict(text_px=(9, 14), rot=5, persp=0.04)),
    "price_list": (t_price_list, dict(text_px=(10, 28), rot=8, persp=0.04)),
    "stock_bottle": (t_stock_bottle, dict(text_px=(9, 24), rot=12, persp=0.04)),
    "directory_sign": (t_directory_sign, dict(text_px=(12, 36), rot=6, persp=0.06)),
}
NEGATIVE_FAMILIES = ["price_list", "stock_bottle", "directory_sign"]
_PHI_FAMILIES = [k for k in FAMILIES if k not in NEGATIVE_FAMILIES]
# 31-slot cycle: every PHI family twice, each negative family once (~10% pure negatives)
SCHEDULE = _PHI_FAMILIES + ["price_list"] + _PHI_FAMILIES + ["stock_bottle", "directory_sign"]
KINDS = ["name", "dob", "date", "phone", "email", "ssn", "address", "location", "id_number",
         "account_number", "url", "signature", "plate"]


# ----------------------------------------------------------------------------- warp and damage

def homography(src, dst):
    a, b = [], []
    for (x, y), (u, v) in zip(src, dst):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        b.append(u)
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.append(v)
    hv = np.linalg.solve(np.array(a, float), np.array(b, float))
    return np.append(hv, 1.0).reshape(3, 3)


def translate(tx, ty):
    return np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]], float)


def scale(sx, sy):
    return np.array([[sx, 0, 0], [0, sy, 0], [0, 0, 1]], float)


def coeffs(m):
    m = m / m[2, 2]
    return tuple(float(v) for v in m.flatten()[:8])


def project(hm, pts):
    pts = np.asarray(pts, float)
    q = np.c_[pts, np.ones(len(pts))] @ hm.T
    return q[:, :2] / q[:, 2:3]


def background(rng, nrng, w, h):
    """float32 HxWx3 background: solid, gradient, mottled desk, wood or cluttered."""
    kind = rng.choice(["solid", "gradient", "mottled", "wood", "clutter"])
    c1 = np.array([rng.randrange(40, 230) for _ in range(3)], np.float32)
    c2 = np.array([rng.randrange(20, 250) for _ in range(3)], np.float32)
    if kind == "gradient":
        t = np.linspace(0, 1, w, dtype=np.float32)[None, :, None] * rng.uniform(0.3, 1) + \
            np.linspace(0, 1, h, dtype=np.float32)[:, None, None] * rng.uniform(0, 0.7)
        img = c1 + (c2 - c1) * np.clip(t, 0, 1)
    elif kind == "mottled":
        low = (nrng.random((h // 40 + 3, w // 40 + 3)) * 255).astype(np.uint8)
        t = np.asarray(Image.fromarray(low).resize((w, h), Image.Resampling.BICUBIC), np.float32)[:, :, None] / 255
        img = c1 + (c2 - c1) * 0.35 * t + nrng.normal(0, 6, (h, w, 1)).astype(np.float32)
    elif kind == "wood":
        c1 = np.array([rng.randrange(120, 180), rng.randrange(70, 110), rng.randrange(30, 60)], np.float32)
        low = (nrng.random((h // 60 + 3, 4)) * 255).astype(np.uint8)
        warp = np.asarray(Image.fromarray(low).resize((w, h), Image.Resampling.BICUBIC), np.float32) / 255
        rows = np.arange(h, dtype=np.float32)[:, None]
        t = 0.5 + 0.5 * np.sin(rows * rng.uniform(0.05, 0.2) + warp * 6)
        img = c1[None, None, :] * (0.75 + 0.25 * t[:, :, None])
    else:
        img = np.broadcast_to(c1, (h, w, 3)).astype(np.float32)
    if kind == "clutter":    # other papers lying around
        im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(im)
        for _ in range(rng.randrange(2, 6)):
            x0, y0 = rng.randrange(-200, w), rng.randrange(-200, h)
            shade = rng.randrange(200, 250)
            d.rectangle([x0, y0, x0 + rng.randrange(150, 600), y0 + rng.randrange(150, 600)],
                        fill=(shade, shade, shade - 6))
            for k in range(rng.randrange(3, 10)):
                ly = y0 + 30 + 18 * k
                d.line([(x0 + 20, ly), (x0 + rng.randrange(60, 300), ly)], fill=(150, 150, 150), width=3)
        img = np.asarray(im, np.float32)
    return np.ascontiguousarray(img, np.float32), kind


def warp_page(page, s, hm, W, H):
    """The page warped by `hm` (page pixels -> image pixels) into a W x H RGBA image, after a
    pre-scale by `s` with a proper filter so the warp itself works near 1:1; and its labels,
    each the box of its ink mask's pixels after the same warp, restricted to where it lands."""
    w, h = page.w, page.h
    hinv = np.linalg.inv(hm)
    sw, sh = max(1, round(w * s)), max(1, round(h * s))
    filt = Image.Resampling.LANCZOS
    rgba = page.img.convert("RGBA")
    if page.alpha is not None:
        rgba.putalpha(page.alpha)
    small = rgba.resize((sw, sh), filt)
    warped = small.transform((W, H), Image.Transform.PERSPECTIVE, coeffs(scale(sw / w, sh / h) @ hinv),
                             Image.Resampling.BILINEAR)
    labels = []
    for text, kind, mask, ox, oy in page.labels:
        mw, mh = mask.size
        padded = Image.new("L", (mw + 8, mh + 8), 0)
        padded.paste(mask, (4, 4))
        ox, oy, mw, mh = ox - 4, oy - 4, mw + 8, mh + 8
        kw, kh = max(1, round(mw * s)), max(1, round(mh * s))
        msmall = padded.resize((kw, kh), filt)
        corners = project(hm, [(ox, oy), (ox + mw, oy), (ox + mw, oy + mh), (ox, oy + mh)])
        rx0, ry0 = [max(0, int(math.floor(v)) - 2) for v in corners.min(0)]
        rx1, ry1 = [int(math.ceil(v)) + 2 for v in corners.max(0)]
        rx1, ry1 = min(rx1, W), min(ry1, H)
        if rx1 <= rx0 or ry1 <= ry0:
            continue
        mm = scale(kw / mw, kh / mh) @ translate(-ox, -oy) @ hinv @ translate(rx0, ry0)
        wm = np.asarray(msmall.transform((rx1 - rx0, ry1 - ry0), Image.Transform.PERSPECTIVE, coeffs(mm),
                                         Image.Resampling.BILINEAR))
        ys, xs = np.nonzero(wm > LABEL_THRESHOLD)
        if len(xs) == 0:
            ys, xs = np.nonzero(wm > LABEL_THRESHOLD // 3)
        if len(xs) == 0:
            continue
        labels.append({"text": text, "box": [int(rx0 + xs.min()), int(ry0 + ys.min()),
                                             int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)], "kind": kind})
    return warped, labels


def compose(page, rng, nrng, spec):
    """Warp the page onto a background and damage it.  Returns (RGB image, labels, notes)."""
    w, h = page.w, page.h
    s = rng.uniform(*spec["text_px"]) / page.body_px
    rot = math.radians(rng.uniform(-spec["rot"], spec["rot"])) if rng.random() < 0.85 else 0.0
    persp = rng.uniform(0, spec["persp"]) if rng.random() < 0.6 else 0.0
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    dst = []
    for x, y in src:
        dx, dy = (x - w / 2) * s, (y - h / 2) * s
        j = persp * s * max(w, h)
        dst.append((dx * math.cos(rot) - dy * math.sin(rot) + rng.uniform(-j, j),
                    dx * math.sin(rot) + dy * math.cos(rot) + rng.uniform(-j, j)))
    dst = np.array(dst)
    margin = rng.uniform(0.02, 0.25)
    ext = dst.max(0) - dst.min(0)
    need = max(ext) * (1 + 2 * margin)
    if need > MAX_SIDE:
        dst *= MAX_SIDE / need
        s *= MAX_SIDE / need
        ext = dst.max(0) - dst.min(0)
    m = margin * max(ext)
    W, H = int(math.ceil(ext[0] + 2 * m)) + 4, int(math.ceil(ext[1] + 2 * m)) + 4
    if max(W, H) < MIN_SIDE:
        g = MIN_SIDE / max(W, H)
        W, H = int(math.ceil(W * g)), int(math.ceil(H * g))
    W, H = min(W, MAX_SIDE), min(H, MAX_SIDE)
    dst += np.array([rng.uniform(2, W - ext[0] - 2), rng.uniform(2, H - ext[1] - 2)]) - dst.min(0)
    hm = homography(src, dst)
    warped, labels = warp_page(page, s, hm, W, H)

    # composite on the background, with a soft shadow
    bg, bg_kind = background(rng, nrng, W, H)
    wa = np.asarray(warped, np.float32)
    alpha = wa[:, :, 3:4] / 255
    if rng.random() < 0.6:
        sh_img = Image.new("L", (W, H), 0)
        sh_img.paste(warped.getchannel("A"), (rng.randrange(2, 10), rng.randrange(2, 12)))
        shadow = np.asarray(sh_img.filter(ImageFilter.BoxBlur(rng.randrange(3, 10))), np.float32)[:, :, None] / 255
        bg = bg * (1 - rng.uniform(0.2, 0.5) * shadow)
    img = bg * (1 - alpha) + wa[:, :, :3] * alpha
    # lighting: dark gradient or vignette, overall exposure, colour cast
    light = rng.choice(["even", "gradient", "gradient", "vignette", "dim"])
    if light == "gradient":
        ang = rng.uniform(0, 2 * math.pi)
        xx = np.linspace(-0.5, 0.5, W, dtype=np.float32)[None, :]
        yy = np.linspace(-0.5, 0.5, H, dtype=np.float32)[:, None]
        t = np.clip(xx * math.cos(ang) + yy * math.sin(ang) + 0.5, 0, 1)
        lo = rng.uniform(0.3, 0.8)
        img *= (lo + (1 - lo) * t)[:, :, None]
    elif light == "vignette":
        xx = np.linspace(-1, 1, W, dtype=np.float32)[None, :]
        yy = np.linspace(-1, 1, H, dtype=np.float32)[:, None]
        img *= np.clip(1 - rng.uniform(0.2, 0.5) * (xx * xx + yy * yy), 0.2, 1)[:, :, None]
    exposure = rng.uniform(0.45, 0.8) if light == "dim" else rng.uniform(0.85, 1.08)
    cast = np.array([1.0, rng.uniform(0.93, 1.02), rng.uniform(0.8, 1.03)], np.float32)
    img *= exposure * cast
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    blur = rng.uniform(0, 1.5) if rng.random() < 0.7 else 0.0
    if blur > 0.2:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    sigma = rng.uniform(0, 8) * (1.5 if light == "dim" else 1.0)
    if sigma > 0.5:
        arr = np.asarray(out, np.float32) + nrng.standard_normal((H, W, 1), dtype=np.float32) * sigma
        out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    notes = (f"rot {math.degrees(rot):.1f} deg, persp {persp:.3f}, body text {page.body_px * s:.1f} px, "
             f"bg {bg_kind}, light {light} x{exposure:.2f}, blur {blur:.2f}, noise {sigma:.1f}")
    return out, labels, notes


# ----------------------------------------------------------------------------- main

def make_image(i, fonts, out_dir):
    seed = BASE_SEED + i
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    family = SCHEDULE[i % len(SCHEDULE)]
    template, spec = FAMILIES[family]
    turn = sum(1 for j in range(i) if SCHEDULE[j % len(SCHEDULE)] == family)   # earlier images of this family
    page = template(Ctx(fonts, rng, turn))
    img, labels, notes = compose(page, rng, nrng, spec)
    name, enc = save_image(img, out_dir, f"gen_{i + 1:04d}_{family}", rng, 50)
    return {"file": f"images/{name}", "width": img.width, "height": img.height, "faces": [],
            "phi_text": labels, "family": family, "seed": seed,
            "notes": f"layout: {'; '.join(page.notes)}; {notes}; {enc}"}


def save_image(img, out_dir, stem, rng, lowest_quality):
    """Saves `img` under OUT_DIR/images as a JPEG seven times in ten (quality drawn from
    `lowest_quality` to 92), else as a PNG; returns its file name and how it was encoded."""
    if rng.random() < 0.7:
        q = rng.randrange(lowest_quality, 93)
        name, kw, enc = f"{stem}.jpg", dict(quality=q), f"JPEG q{q}"
    else:
        name, kw, enc = f"{stem}.png", {}, "PNG"
    img.save(os.path.join(out_dir, "images", name), **kw)
    return name, enc


def write_labels(out_dir, set_name, summary, images):
    """Writes OUT_DIR/labels.json in the shared scorer's format."""
    doc = {"format": "phi-redact eval v1", "set": set_name, "summary": summary,
           "images": images, "videos": []}
    with open(os.path.join(out_dir, "labels.json"), "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--first", type=int, default=0, help="index of the first image rendered")
    a = ap.parse_args()
    fonts = FontBook()
    os.makedirs(os.path.join(a.out_dir, "images"), exist_ok=True)
    images = [make_image(i, fonts, a.out_dir) for i in range(a.first, a.first + a.count)]
    by_kind = {k: 0 for k in KINDS}
    by_family = {k: 0 for k in FAMILIES}
    for im in images:
        by_family[im["family"]] += 1
        for p in im["phi_text"]:
            by_kind[p["kind"]] += 1
    summary = {"images": len(images), "phi_strings": sum(by_kind.values()),
               "phi_by_kind": {k: n for k, n in by_kind.items() if n},
               "by_family": {k: n for k, n in by_family.items() if n}}
    write_labels(a.out_dir, "generated", summary, images)
    print(f"wrote {len(images)} images, {summary['phi_strings']} PHI strings to {a.out_dir}")


if __name__ == "__main__":
    main()
