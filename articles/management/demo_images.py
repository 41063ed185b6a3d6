"""Pictures for the demo newsroom, drawn offline with Pillow: article illustrations in each
section's colours (five motifs, varied by a seed), author portraits and house-ad banners. No
photos of real people or places."""

import io
import math
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFilter

SECTION_COLOURS = {
    "world": ((22, 78, 99), (70, 160, 170)),
    "politics": ((90, 24, 40), (200, 90, 90)),
    "business": ((20, 60, 30), (130, 180, 90)),
    "technology": ((30, 30, 80), (110, 120, 220)),
    "opinion": ((80, 60, 20), (220, 170, 80)),
}
MOTIFS = ["circles", "harbour skyline", "waves", "bands", "dots"]


def _mix(a, b, t):
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(size, top, bottom) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_mix(top, bottom, y / height))
    return image


def _jpeg(image: Image.Image, name: str) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name=name)


def illustration(section: str, seed: int) -> tuple[ContentFile, str]:
    """A 16:9 picture in the section's colours, and its motif for the alt text."""
    rng = random.Random(f"newsroom-demo-image:{section}:{seed}")
    width, height = 1600, 900
    dark, light = SECTION_COLOURS[section]
    motif = MOTIFS[seed % len(MOTIFS)]
    image = _gradient((width, height), dark, light)
    draw = ImageDraw.Draw(image, "RGBA")
    pale = (*_mix(light, (255, 255, 255), 0.5), 150)
    deep = (*_mix(dark, (0, 0, 0), 0.3), 200)
    if motif == "circles":
        for _ in range(14):
            r = rng.randint(40, 240)
            x, y = rng.randint(0, width), rng.randint(0, height)
            draw.ellipse([x - r, y - r, x + r, y + r], outline=pale, width=rng.randint(3, 14))
    elif motif == "harbour skyline":
        draw.ellipse([1150, 120, 1350, 320], fill=(*_mix(light, (255, 240, 200), 0.6), 220))
        x = 0
        while x < width:
            w, h = rng.randint(60, 160), rng.randint(120, 480)
            draw.rectangle([x, height - 180 - h, x + w, height - 180], fill=deep)
            for wy in range(height - 160 - h, height - 200, 40):
                for wx in range(x + 12, x + w - 16, 28):
                    if rng.random() < 0.4:
                        draw.rectangle([wx, wy, wx + 10, wy + 16], fill=pale)
            x += w + rng.randint(4, 20)
        draw.rectangle([0, height - 180, width, height], fill=(*dark, 230))
    elif motif == "waves":
        for i in range(12):
            amplitude, phase = rng.randint(20, 70), rng.random() * math.tau
            base, period = 120 + i * 65, rng.randint(120, 260)
            points = [
                (x, base + amplitude * math.sin(x / period + phase))
                for x in range(0, width + 20, 20)
            ]
            draw.line(points, fill=pale if i % 2 else deep, width=rng.randint(4, 12))
    elif motif == "bands":
        for _ in range(9):
            x, w = rng.randint(-400, width), rng.randint(80, 260)
            draw.polygon(
                [(x, 0), (x + w, 0), (x + w - 500, height), (x - 500, height)],
                fill=pale if rng.random() < 0.5 else deep,
            )
    else:  # dots
        step = rng.choice([40, 50, 60])
        for y in range(step // 2, height, step):
            for x in range(step // 2, width, step):
                r = int(step * 0.4 * (0.3 + 0.7 * abs(math.sin(x / 300 + y / 200 + seed))))
                draw.ellipse([x - r, y - r, x + r, y + r], fill=pale)
    image = image.filter(ImageFilter.SMOOTH)
    return _jpeg(image, f"demo-{section}-{seed}.jpg"), motif


def portrait(slug: str) -> ContentFile:
    """A square head-and-shoulders silhouette on a soft background, different per author."""
    rng = random.Random(f"newsroom-demo-portrait:{slug}")
    size = 600
    background = [tuple(rng.randint(90, 200) for _ in range(3)) for _ in range(2)]
    image = _gradient((size, size), *background)
    draw = ImageDraw.Draw(image)
    skin = rng.choice(
        [(241, 204, 176), (224, 172, 135), (198, 134, 96), (141, 85, 56), (96, 60, 40)]
    )
    hair = rng.choice([(40, 30, 25), (90, 60, 35), (160, 120, 70), (20, 20, 20), (120, 120, 120)])
    coat = tuple(rng.randint(30, 120) for _ in range(3))
    draw.ellipse([90, 400, 510, 820], fill=coat)  # shoulders
    draw.rectangle([260, 330, 340, 430], fill=skin)  # neck
    draw.ellipse([190, 130, 410, 380], fill=hair)
    draw.ellipse([205, 160, 395, 390], fill=skin)  # face
    if rng.random() < 0.5:
        draw.chord([190, 120, 410, 300], 180, 360, fill=hair)  # fringe
    return _jpeg(image.filter(ImageFilter.SMOOTH_MORE), f"author-{slug}.jpg")


def banner(size: tuple[int, int]) -> ContentFile:
    """A plain house-ad banner: "Advertise with us" on the newsroom's colours."""
    width, height = size
    image = Image.new("RGB", size, (22, 78, 99))
    draw = ImageDraw.Draw(image)
    draw.rectangle([4, 4, width - 5, height - 5], outline=(70, 160, 170), width=3)
    draw.text((20, height // 2 - 12), "Advertise with us", fill=(255, 255, 255))
    draw.text((20, height // 2 + 4), "Reach our readers: ads@example.org", fill=(200, 230, 230))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=f"house-ad-{width}x{height}.png")
