"""Pictures for the demo newsroom, made offline with Pillow: an illustration for each story in
its section's colours (demo_scenes.py), author portraits and house-ad banners. No downloads,
no photos of real people or places.

Drawing the demo's pictures takes a few seconds, so each is made once: kept in memory (the tests
load the demo newsroom many times in one process) and in var/demo-images/, under a name that
changes with the drawings, so `make run` after `make clean` and every test process reuse them.
"""

import functools
import hashlib
import io
import os
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from . import demo_scenes
from .demo_scenes import SCALE, SCENES, gradient, mix

DESCRIPTIONS = {scene: description for scene, (_, description) in SCENES.items()}

_VERSION = hashlib.sha256(
    Path(__file__).read_bytes() + Path(demo_scenes.__file__).read_bytes()
).hexdigest()[:12]


def _cached(name: str, make: Callable[[], bytes]) -> bytes:
    """The bytes of var/demo-images/<name> for this version of the drawings, made if missing."""
    folder = Path(settings.VAR_DIR) / "demo-images"
    path = folder / f"{_VERSION}-{name}"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*"):  # pictures of earlier versions of the drawings
            if not stale.name.startswith(_VERSION):
                stale.unlink(missing_ok=True)
        # Written aside and renamed: a process reading it at the same time sees all or nothing.
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only checkout draws the pictures every time
    return data


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue()


@functools.lru_cache(maxsize=64)
def _illustration_bytes(scene: str, section: str, seed: str) -> bytes:
    def draw() -> bytes:
        rng = random.Random(f"newsroom-demo-image:{scene}:{section}:{seed}")
        canvas = SCENES[scene][0](rng, section)
        return _jpeg(canvas.finish())

    return _cached(f"{scene}-{section}-{seed}.jpg", draw)


def illustration(scene: str, section: str, seed: str) -> tuple[ContentFile, str]:
    """A 16:9 picture of ``scene`` in the section's colours, and what it shows (for alt text)."""
    data = _illustration_bytes(scene, section, seed)
    return ContentFile(data, name=f"demo-{section}-{scene}.jpg"), DESCRIPTIONS[scene]


@functools.lru_cache(maxsize=16)
def _portrait_bytes(slug: str) -> bytes:
    return _cached(f"author-{slug}.jpg", lambda: _draw_portrait(slug))


def _draw_portrait(slug: str) -> bytes:
    rng = random.Random(f"newsroom-demo-portrait:{slug}")
    size = 600
    background = [tuple(rng.randint(110, 210) for _ in range(3)) for _ in range(2)]
    canvas = gradient((size * SCALE, size * SCALE), *background)
    draw = ImageDraw.Draw(canvas)

    def box(x0, y0, x1, y1):
        return [x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE]

    skin = rng.choice(
        [(241, 204, 176), (224, 172, 135), (198, 134, 96), (141, 85, 56), (96, 60, 40)]
    )
    hair = rng.choice([(40, 30, 25), (90, 60, 35), (160, 120, 70), (20, 20, 20), (130, 130, 130)])
    coat = tuple(rng.randint(30, 120) for _ in range(3))
    shirt = rng.choice([(245, 245, 240), (200, 220, 235), (235, 220, 200)])
    if rng.random() < 0.5:  # long hair falls behind the shoulders
        draw.rounded_rectangle(box(180, 150, 420, 470), 100 * SCALE, fill=hair)
    else:  # short hair shows around the face
        draw.ellipse(box(192, 128, 408, 330), fill=hair)
    draw.ellipse(box(90, 420, 510, 840), fill=coat)  # shoulders
    draw.polygon(
        [(250 * SCALE, 420 * SCALE), (350 * SCALE, 420 * SCALE), (300 * SCALE, 520 * SCALE)],
        fill=shirt,
    )
    draw.rectangle(box(265, 340, 335, 440), fill=mix(skin, (0, 0, 0), 0.12))  # neck
    draw.ellipse(box(205, 150, 395, 390), fill=skin)  # face
    parting = rng.choice([(170, 350), (190, 370), (180, 360)])
    draw.chord(box(200, 136, 400, 296), *parting, fill=hair)  # fringe
    if rng.random() < 0.4:  # glasses
        for x in (245, 315):
            draw.ellipse(box(x, 255, x + 44, 290), outline=(40, 40, 40), width=4 * SCALE)
        draw.line(box(289, 270, 315, 270), fill=(40, 40, 40), width=4 * SCALE)
    for x in (262, 322):  # eyes
        draw.ellipse(box(x, 266, x + 14, 280), fill=(50, 40, 35))
    draw.arc(box(270, 300, 330, 340), 20, 160, fill=mix(skin, (120, 40, 40), 0.5), width=5 * SCALE)
    return _jpeg(canvas.resize((size, size), Image.Resampling.BOX).filter(ImageFilter.SMOOTH))


def portrait(slug: str) -> ContentFile:
    """A square head-and-shoulders drawing on a soft background, different for each author."""
    return ContentFile(_portrait_bytes(slug), name=f"author-{slug}.jpg")


def banner(size: tuple[int, int]) -> ContentFile:
    """A house-ad banner, "Advertise with us", in the newsroom's colours, its text sized to fit."""
    width, height = size
    image = gradient(size, (18, 64, 92), (30, 96, 120))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width - 1, height - 1], outline=(250, 214, 120), width=3)
    title, line = "Advertise with us", "Reach our readers: ads@example.org"
    wide = width > 2.5 * height
    big = ImageFont.load_default(size=max(14, int(height * (0.34 if wide else 0.11))))
    small = ImageFont.load_default(size=max(11, int(height * (0.2 if wide else 0.08))))
    if wide:  # one row: the title, then the address
        x = int(height * 0.4)
        draw.text((x, height / 2), title, font=big, fill=(255, 255, 255), anchor="lm")
        x += int(draw.textlength(title, font=big)) + int(height * 0.5)
        draw.text((x, height / 2), line, font=small, fill=(250, 214, 120), anchor="lm")
    else:  # stacked, centred
        draw.text((width / 2, height * 0.36), title, font=big, fill=(255, 255, 255), anchor="mm")
        for y, text in ((0.56, "Reach our readers:"), (0.66, "ads@example.org")):
            draw.text((width / 2, height * y), text, font=small, fill=(250, 214, 120), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=f"house-ad-{width}x{height}.png")
