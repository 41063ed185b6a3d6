"""The demo newsroom's illustrations, drawn with Pillow in a flat style: a ship, a parliament,
a chart... in a section's colours, each varied by the random generator it is given. Each is drawn
at twice its size and scaled down, which smooths its edges (demo_images.py keeps the results).
"""

import math

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 675  # 16:9, wide enough for every rendition and for link previews
SCALE = 2

SECTION_COLOURS = {
    # sky/background top, bottom, and an accent
    "world": ((18, 64, 92), (242, 170, 120), (250, 214, 120)),
    "politics": ((70, 24, 48), (226, 150, 140), (246, 222, 190)),
    "business": ((16, 56, 48), (150, 200, 170), (244, 190, 80)),
    "technology": ((14, 18, 52), (70, 90, 170), (110, 230, 220)),
    "opinion": ((92, 52, 20), (240, 200, 140), (255, 240, 214)),
}


def mix(a, b, t: float) -> tuple:
    """The colour a fraction t of the way from a to b."""
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _rgba(colour, alpha: int) -> tuple:
    return (*colour[:3], alpha)


def gradient(size, top, bottom) -> Image.Image:
    """Top to bottom: one column computed, then stretched across (fast at any size)."""
    height = size[1]
    column = Image.new("RGB", (1, height))
    column.putdata([mix(top, bottom, y / max(height - 1, 1)) for y in range(height)])
    return column.resize(size, Image.Resampling.NEAREST)


class Canvas:
    """Coordinates in the picture's own size (1200 x 675), drawn at SCALE times that."""

    def __init__(self, top, bottom):
        self.image = gradient((WIDTH * SCALE, HEIGHT * SCALE), top, bottom)
        self.draw = ImageDraw.Draw(self.image, "RGBA")

    @staticmethod
    def _xy(points):
        return [(x * SCALE, y * SCALE) for x, y in points]

    def rect(self, x0, y0, x1, y1, fill, radius=0):
        box = self._xy([(x0, y0), (x1, y1)])
        if radius:
            self.draw.rounded_rectangle(box, radius * SCALE, fill=fill)
        else:
            self.draw.rectangle(box, fill=fill)

    def ellipse(self, x0, y0, x1, y1, fill=None, outline=None, width=1):
        box = self._xy([(x0, y0), (x1, y1)])
        self.draw.ellipse(box, fill=fill, outline=outline, width=width * SCALE)

    def circle(self, x, y, r, **kwargs):
        self.ellipse(x - r, y - r, x + r, y + r, **kwargs)

    def polygon(self, points, fill):
        self.draw.polygon(self._xy(points), fill=fill)

    def line(self, points, fill, width=2):
        self.draw.line(self._xy(points), fill=fill, width=width * SCALE, joint="curve")

    def finish(self) -> Image.Image:
        return self.image.resize((WIDTH, HEIGHT), Image.Resampling.BOX)


# -- Backgrounds ----------------------------------------------------------------------------


def _sky(rng, section) -> tuple[Canvas, tuple, tuple, tuple]:
    top, bottom, accent = SECTION_COLOURS[section]
    dusk = rng.random() < 0.5
    if not dusk:  # a paler, daytime version of the section's sky
        top, bottom = mix(top, (255, 255, 255), 0.25), mix(bottom, (255, 255, 255), 0.35)
    canvas = Canvas(top, bottom)
    sx, sy, sr = rng.randint(700, 1050), rng.randint(110, 260), rng.randint(50, 90)
    for glow in range(4, 0, -1):
        canvas.circle(sx, sy, sr + glow * 22, fill=_rgba(accent, 18))
    canvas.circle(sx, sy, sr, fill=_rgba(mix(accent, (255, 255, 255), 0.3), 235))
    for _ in range(rng.randint(2, 4)):  # soft clouds
        cx, cy, w = rng.randint(-50, 1150), rng.randint(60, 260), rng.randint(160, 320)
        for i in range(3):
            canvas.ellipse(
                cx + i * w / 4, cy - 18 * (i % 2), cx + i * w / 4 + w / 2, cy + 40,
                fill=(255, 255, 255, 60),
            )  # fmt: skip
    return canvas, top, bottom, accent


def _hills(canvas, rng, base, colour, layers=3, top=380):
    for layer in range(layers):
        shade = mix(colour, base, 0.45 - layer * 0.15)
        y0 = top + layer * 60
        phase, amplitude = rng.random() * math.tau, rng.randint(20, 50)
        points = [(0, HEIGHT)] + [
            (x, y0 + amplitude * math.sin(x / rng.randint(140, 260) + phase))
            for x in range(0, WIDTH + 40, 40)
        ] + [(WIDTH, HEIGHT)]  # fmt: skip
        canvas.polygon(points, fill=_rgba(shade, 255))


def _sea(canvas, rng, top_colour, y=470):
    canvas.rect(0, y, WIDTH, HEIGHT, fill=_rgba(top_colour, 255))
    for row in range(14):
        yy = y + 12 + row * 15
        for _ in range(6):
            x = rng.randint(0, WIDTH)
            canvas.line([(x, yy), (x + rng.randint(30, 120), yy)], (255, 255, 255, 50), 2)


def _studio(rng, section) -> tuple[Canvas, tuple, tuple, tuple]:
    top, bottom, accent = SECTION_COLOURS[section]
    canvas = Canvas(mix(top, bottom, 0.1), mix(top, bottom, 0.7))
    for _ in range(7):
        canvas.circle(
            rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.randint(60, 220),
            fill=_rgba(mix(bottom, (255, 255, 255), 0.4), 28),
        )  # fmt: skip
    return canvas, top, bottom, accent


# -- Scenes: each draws one picture -------------------------------------------------------


def _ship(rng, section):
    canvas, top, bottom, accent = _sky(rng, section)
    _hills(canvas, rng, bottom, top, layers=1, top=420)
    _sea(canvas, rng, mix(top, bottom, 0.35))
    x, w = rng.randint(150, 450), rng.randint(520, 640)
    hull = _rgba(mix(top, (0, 0, 0), 0.4), 255)
    canvas.polygon([(x, 470), (x + w, 470), (x + w - 40, 540), (x + 30, 540)], fill=hull)
    canvas.rect(x + w - 110, 380, x + w - 40, 470, fill=(240, 240, 235, 255))
    canvas.rect(x + w - 100, 392, x + w - 50, 404, fill=_rgba(top, 255))
    colours = [accent, mix(accent, (200, 60, 60), 0.6), mix(bottom, top, 0.3), (235, 235, 230)]
    for column in range((w - 160) // 42):
        for level in range(rng.randint(1, 3)):
            cx, cy = x + 40 + column * 42, 470 - (level + 1) * 26
            canvas.rect(cx, cy, cx + 40, cy + 24, fill=_rgba(rng.choice(colours), 255))
    return canvas


def _lighthouse(rng, section):
    canvas, top, bottom, accent = _sky(rng, section)
    _sea(canvas, rng, mix(top, bottom, 0.3), y=440)
    x = rng.randint(250, 850)
    rock = _rgba(mix(top, (0, 0, 0), 0.35), 255)
    canvas.polygon([(x - 260, HEIGHT), (x - 120, 470), (x + 90, 450), (x + 280, HEIGHT)], rock)
    canvas.polygon([(x - 60, 180), (x + 60, 180), (x + 80, 470), (x - 80, 470)], (245,) * 3)
    for band in (240, 340, 420):
        canvas.polygon(
            [(x - 63 - (band - 180) / 14, band), (x + 63 + (band - 180) / 14, band),
             (x + 66 + (band - 180) / 14, band + 36), (x - 66 - (band - 180) / 14, band + 36)],
            fill=(200, 60, 60, 255),
        )  # fmt: skip
    canvas.rect(x - 45, 130, x + 45, 180, fill=_rgba(accent, 255))
    canvas.polygon([(x - 60, 130), (x + 60, 130), (x, 90)], fill=rock)
    side = rng.choice([-1, 1])
    canvas.polygon([(x, 155), (x + side * 700, 60), (x + side * 700, 250)], fill=_rgba(accent, 70))
    return canvas


def _globe(rng, section):
    canvas, top, bottom, accent = _studio(rng, section)
    cx, cy, r = rng.randint(480, 720), 337, rng.randint(220, 260)
    canvas.circle(cx + 18, cy + 22, r, fill=(0, 0, 0, 60))
    canvas.circle(cx, cy, r, fill=_rgba(mix(top, bottom, 0.45), 255))
    land = _rgba(mix(accent, bottom, 0.3), 255)
    for _ in range(6):
        a, d = rng.random() * math.tau, rng.random() * r * 0.6
        lx, ly = cx + math.cos(a) * d, cy + math.sin(a) * d
        s = rng.randint(40, 110)
        canvas.ellipse(lx - s, ly - s * 0.6, lx + s, ly + s * 0.6, fill=land)
    line = _rgba(mix(accent, (255, 255, 255), 0.5), 150)
    for k in range(1, 6):  # longitudes
        w = r * abs(math.cos(k * math.pi / 6))
        canvas.ellipse(cx - w, cy - r, cx + w, cy + r, outline=line, width=2)
    for k in range(-2, 3):  # latitudes
        y = cy + k * r / 3
        half = math.sqrt(max(r * r - (y - cy) ** 2, 0))
        canvas.line([(cx - half, y), (cx + half, y)], line, 2)
    canvas.circle(cx, cy, r, outline=_rgba(accent, 255), width=4)
    return canvas


def _fields(rng, section):
    canvas, top, bottom, accent = _sky(rng, section)
    horizon = rng.randint(360, 420)
    golds = [mix(accent, bottom, t) for t in (0.0, 0.3, 0.55)]
    for band in range(7):
        y0 = horizon + band * band * 6 + band * 14
        canvas.polygon(
            [(0, y0), (WIDTH, y0 - rng.randint(-20, 20)), (WIDTH, HEIGHT), (0, HEIGHT)],
            fill=_rgba(golds[band % 3], 255),
        )
    for _ in range(40):  # stalks in the foreground
        x = rng.randint(0, WIDTH)
        canvas.line([(x, HEIGHT), (x + rng.randint(-12, 12), 560)], _rgba(top, 120), 2)
    tx = rng.randint(100, 1000)
    canvas.rect(tx - 6, horizon - 90, tx + 6, horizon + 10, fill=_rgba(top, 255))
    canvas.circle(tx, horizon - 110, 55, fill=_rgba(mix(top, bottom, 0.2), 255))
    return canvas


def _parliament(rng, section):
    canvas, top, _bottom, accent = _sky(rng, section)
    stone = _rgba(mix(accent, (255, 255, 255), 0.25), 255)
    shadow = _rgba(mix(accent, top, 0.35), 255)
    cx, w = 600, rng.randint(520, 640)
    left, right = cx - w // 2, cx + w // 2
    if rng.random() < 0.5:
        canvas.ellipse(cx - 110, 120, cx + 110, 330, fill=stone)
        canvas.rect(cx - 4, 80, cx + 4, 125, fill=shadow)
    canvas.rect(left - 40, 530, right + 40, 560, fill=shadow)
    canvas.rect(left - 20, 505, right + 20, 532, fill=stone)
    canvas.polygon([(left - 30, 250), (right + 30, 250), (cx, 170)], fill=stone)
    canvas.rect(left - 30, 250, right + 30, 282, fill=shadow)
    columns = rng.choice([6, 8, 10])
    for i in range(columns):
        x = left + 20 + i * (w - 40) / (columns - 1)
        canvas.rect(x - 16, 282, x + 16, 505, fill=stone)
        canvas.rect(x - 16, 282, x - 8, 505, fill=(255, 255, 255, 40))
    canvas.rect(0, 560, WIDTH, HEIGHT, fill=_rgba(mix(top, (0, 0, 0), 0.2), 255))
    pole = rng.choice([left - 10, right + 10])
    canvas.line([(pole, 250), (pole, 120)], shadow, 4)
    canvas.polygon([(pole, 122), (pole + 70, 135), (pole, 150)], fill=(210, 70, 70, 255))
    return canvas


def _ballot(rng, section):
    canvas, top, _bottom, accent = _studio(rng, section)
    box = _rgba(mix(accent, (255, 255, 255), 0.2), 255)
    x0, x1 = 400, 800
    canvas.rect(x0 + 20, 330 + 20, x1 + 20, 600 + 20, fill=(0, 0, 0, 60), radius=18)
    canvas.rect(x0, 330, x1, 600, fill=box, radius=18)
    canvas.rect(x0, 330, x1, 370, fill=_rgba(mix(accent, top, 0.25), 255), radius=18)
    canvas.rect(520, 344, 680, 356, fill=_rgba(top, 255), radius=6)
    tilt = rng.randint(-8, 8)
    paper = [(540 + tilt, 120), (680 + tilt, 130), (660, 352), (520, 344)]
    canvas.polygon(paper, fill=(250, 250, 245, 255))
    for row in range(4):
        y = 160 + row * 44
        canvas.draw.rectangle(
            canvas._xy([(560 + tilt, y), (584 + tilt, y + 24)]), outline=_rgba(top, 255), width=4
        )
        canvas.line([(598 + tilt, y + 12), (650 + tilt, y + 14)], _rgba(top, 140), 3)
    chosen = 160 + rng.randint(0, 3) * 44
    canvas.line(
        [(563 + tilt, chosen + 12), (572 + tilt, chosen + 22), (590 + tilt, chosen - 4)],
        (200, 50, 60, 255), 5,
    )  # fmt: skip
    return canvas


def _tram(rng, section):
    canvas, top, bottom, accent = _sky(rng, section)
    for i in range(9):  # buildings
        x = i * 140 + rng.randint(-20, 20)
        h = rng.randint(180, 330)
        canvas.rect(x, 470 - h, x + 130, 470, fill=_rgba(mix(top, bottom, 0.2 + i % 3 * 0.1), 255))
        for wy in range(470 - h + 20, 450, 38):
            for wx in range(x + 14, x + 110, 34):
                if rng.random() < 0.5:
                    canvas.rect(wx, wy, wx + 18, wy + 22, fill=_rgba(accent, 140))
    canvas.rect(0, 470, WIDTH, HEIGHT, fill=_rgba(mix(top, (0, 0, 0), 0.3), 255))
    canvas.line([(0, 300), (WIDTH, 300)], _rgba(top, 200), 2)
    x = rng.randint(120, 420)
    body = _rgba(mix(accent, (230, 60, 60), 0.5), 255)
    canvas.rect(x, 360, x + 620, 520, fill=body, radius=30)
    for wx in range(x + 30, x + 590, 80):
        canvas.rect(wx, 385, wx + 60, 440, fill=(220, 235, 240, 255), radius=6)
    canvas.line([(x + 300, 360), (x + 260, 300), (x + 340, 300)], _rgba(top, 255), 3)
    for rx in (x + 80, x + 540):
        canvas.circle(rx, 525, 18, fill=_rgba(top, 255))
    canvas.line([(0, 548), (WIDTH, 548)], (200, 200, 200, 200), 3)
    return canvas


def _cranes(rng, section):
    canvas, top, bottom, accent = _sky(rng, section)
    _sea(canvas, rng, mix(top, bottom, 0.4), y=520)
    steel = _rgba(mix(top, (0, 0, 0), 0.2), 255)
    for i in range(rng.randint(2, 3)):
        x = 150 + i * 330 + rng.randint(-30, 30)
        canvas.line([(x, 520), (x, 160)], steel, 10)
        canvas.line([(x + 110, 520), (x + 110, 160)], steel, 10)
        canvas.line([(x - 150, 170), (x + 330, 170)], steel, 12)
        canvas.line([(x, 330), (x + 110, 220)], steel, 5)
        canvas.line([(x + 55, 170), (x + 55, 120)], steel, 6)
        hook = x + rng.randint(140, 300)
        canvas.line([(hook, 172), (hook, 300)], steel, 2)
        canvas.rect(hook - 40, 300, hook + 40, 326, fill=_rgba(accent, 255))
    colours = [accent, mix(accent, (190, 60, 60), 0.6), mix(bottom, top, 0.3), (60, 110, 160)]
    for column in range(24):
        for level in range(rng.randint(1, 4)):
            x, y = column * 52, 520 - (level + 1) * 30
            canvas.rect(x + 2, y, x + 50, y + 28, fill=_rgba(rng.choice(colours), 255))
    return canvas


def _chart(rng, section):
    canvas, _top, bottom, accent = _studio(rng, section)
    grid = (255, 255, 255, 45)
    for y in range(150, 600, 75):
        canvas.line([(140, y), (1080, y)], grid, 2)
    values, value = [], rng.randint(120, 180)
    for _ in range(8):
        value = max(60, min(420, value + rng.randint(-30, 70)))
        values.append(value)
    points = []
    for i, v in enumerate(values):
        x = 180 + i * 112
        canvas.rect(x, 600 - v, x + 70, 600, fill=_rgba(mix(accent, bottom, 0.35), 230), radius=6)
        points.append((x + 35, 600 - v - 40))
    canvas.line(points, _rgba(accent, 255), 6)
    for x, y in points:
        canvas.circle(x, y, 10, fill=(255, 255, 255, 255))
    canvas.line([(140, 600), (1080, 600)], (255, 255, 255, 160), 3)
    return canvas


def _shops(rng, section):
    canvas, top, bottom, accent = _sky(rng, section)
    canvas.rect(0, 560, WIDTH, HEIGHT, fill=_rgba(mix(top, (0, 0, 0), 0.2), 255))
    x = -40
    while x < WIDTH:
        w = rng.randint(180, 260)
        wall = mix(rng.choice([accent, bottom, (230, 220, 200)]), (255, 255, 255), 0.15)
        roof = rng.randint(170, 260)
        canvas.rect(x, roof, x + w, 560, fill=_rgba(wall, 255))
        canvas.polygon([(x - 6, roof), (x + w + 6, roof), (x + w / 2, roof - 60)], _rgba(top, 255))
        for wx in (x + 30, x + w - 80):
            canvas.rect(wx, roof + 40, wx + 50, roof + 100, fill=(225, 235, 240, 255))
        awning = mix(rng.choice([(200, 70, 70), (60, 120, 90), (60, 90, 150)]), accent, 0.2)
        for stripe in range(0, w - 20, 28):
            colour = awning if stripe // 28 % 2 == 0 else (245, 240, 230)
            canvas.polygon(
                [(x + 10 + stripe, 400), (x + 38 + stripe, 400),
                 (x + 44 + stripe, 450), (x + 4 + stripe, 450)],
                fill=_rgba(colour, 255),
            )  # fmt: skip
        canvas.rect(x + 20, 455, x + w - 90, 545, fill=(220, 232, 238, 255))
        canvas.rect(x + w - 70, 470, x + w - 25, 560, fill=_rgba(mix(top, wall, 0.3), 255))
        x += w + 8
    return canvas


def _train(rng, section):
    canvas, top, bottom, accent = _sky(rng, section)
    _hills(canvas, rng, bottom, top, layers=2, top=360)
    canvas.rect(0, 520, WIDTH, HEIGHT, fill=_rgba(mix(top, bottom, 0.3), 255))
    canvas.line([(0, 520), (WIDTH, 520)], (90, 90, 90, 255), 6)
    x = rng.randint(-200, 150)
    body = _rgba(mix(accent, (255, 255, 255), 0.2), 255)
    stripe = _rgba(mix(top, (200, 60, 60), 0.5), 255)
    for car in range(3):
        cx = x + car * 330
        canvas.rect(cx, 400, cx + 320, 512, fill=body, radius=16)
        canvas.rect(cx, 470, cx + 320, 486, fill=stripe)
        for wx in range(cx + 24, cx + 300, 58):
            canvas.rect(wx, 418, wx + 40, 452, fill=_rgba(top, 220), radius=6)
    nose = x + 990
    canvas.polygon([(nose - 10, 400), (nose + 90, 470), (nose + 90, 512), (nose - 10, 512)], body)
    canvas.rect(nose - 10, 470, nose + 90, 486, fill=stripe)
    return canvas


def _network(rng, section):
    canvas, _top, _bottom, accent = _studio(rng, section)
    nodes = [(rng.randint(80, 1120), rng.randint(70, 610)) for _ in range(26)]
    for x, y in nodes:
        near = sorted(nodes, key=lambda n: (n[0] - x) ** 2 + (n[1] - y) ** 2)[1:4]
        for nx, ny in near:
            canvas.line([(x, y), (nx, ny)], _rgba(accent, 110), 2)
    for i, (x, y) in enumerate(nodes):
        r = 10 if i % 4 else 22
        canvas.circle(x, y, r + 10, fill=_rgba(accent, 40))
        canvas.circle(x, y, r, fill=_rgba(mix(accent, (255, 255, 255), 0.4), 255))
    return canvas


def _circuit(rng, section):
    canvas, top, _bottom, accent = _studio(rng, section)
    trace = _rgba(accent, 170)
    for _ in range(30):
        x, y = rng.randint(0, 60) * 20, rng.randint(0, 34) * 20
        points = [(x, y)]
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.5:
                x += rng.choice([-1, 1]) * rng.randint(3, 12) * 20
            else:
                y += rng.choice([-1, 1]) * rng.randint(2, 8) * 20
            points.append((x, y))
        canvas.line(points, trace, 4)
        canvas.circle(*points[-1], 9, fill=_rgba(mix(accent, (255, 255, 255), 0.5), 255))
    cx, cy = rng.randint(420, 780), rng.randint(240, 430)
    canvas.rect(cx - 120, cy - 120, cx + 120, cy + 120, fill=_rgba(top, 255), radius=14)
    canvas.rect(cx - 90, cy - 90, cx + 90, cy + 90, fill=_rgba(mix(top, accent, 0.25), 255))
    for k in range(-100, 101, 40):
        for dx, dy in ((k, -140), (k, 140), (-140, k), (140, k)):
            canvas.circle(cx + dx, cy + dy, 7, fill=_rgba(accent, 255))
    return canvas


def _phone(rng, section):
    canvas, _top, _bottom, accent = _studio(rng, section)
    x, y = rng.randint(360, 560), 70
    canvas.rect(x + 16, y + 16, x + 296, y + 556, fill=(0, 0, 0, 70), radius=40)
    canvas.rect(x, y, x + 280, y + 540, fill=(25, 25, 30, 255), radius=40)
    canvas.rect(x + 16, y + 40, x + 264, y + 500, fill=(240, 242, 245, 255), radius=10)
    bubble_y = y + 70
    for i in range(5):
        mine = i % 2 == 1
        w = rng.randint(110, 200)
        bx = x + 250 - w if mine else x + 30
        colour = _rgba(accent, 255) if mine else (210, 214, 222, 255)
        canvas.rect(bx, bubble_y, bx + w, bubble_y + 58, fill=colour, radius=18)
        bubble_y += 82
    for k in range(3):
        canvas.circle(x + 420 + k * 40, 330, 12, fill=_rgba(accent, 200))
    return canvas


def _bicycle(rng, section):
    canvas, top, bottom, accent = _sky(rng, section)
    canvas.rect(0, 520, WIDTH, HEIGHT, fill=_rgba(mix(top, bottom, 0.3), 255))
    canvas.line([(0, 560), (WIDTH, 560)], (255, 255, 255, 200), 4)
    for k in range(0, WIDTH, 90):
        canvas.line([(k, 610), (k + 50, 610)], (255, 255, 255, 160), 6)
    x = rng.randint(300, 520)
    frame = _rgba(mix(accent, (220, 60, 60), 0.5), 255)
    dark = _rgba(mix(top, (0, 0, 0), 0.4), 255)
    back, front = (x, 440), (x + 340, 440)
    for cx, cy in (back, front):
        canvas.circle(cx, cy, 110, outline=dark, width=10)
        for a in range(0, 180, 30):
            dx, dy = 100 * math.cos(math.radians(a)), 100 * math.sin(math.radians(a))
            canvas.line([(cx - dx, cy - dy), (cx + dx, cy + dy)], _rgba(dark, 120), 2)
    pedal, seat, head = (x + 150, 440), (x + 120, 300), (x + 300, 290)
    canvas.line([back, pedal, seat, back], frame, 12)
    canvas.line([seat, head, pedal], frame, 12)
    canvas.line([head, front], frame, 12)
    canvas.line([(seat[0] - 40, seat[1] - 10), (seat[0] + 30, seat[1] - 10)], dark, 14)
    canvas.line([head, (head[0] + 20, head[1] - 50), (head[0] + 70, head[1] - 55)], dark, 10)
    return canvas


def _books(rng, section):
    canvas, top, bottom, accent = _studio(rng, section)
    wood = _rgba(mix(top, (120, 80, 40), 0.5), 255)
    for shelf_y in (300, 560):
        x = 120
        while x < 1060:
            w, h = rng.randint(28, 60), rng.randint(150, 220)
            colour = mix(rng.choice([accent, bottom, (180, 70, 60), (60, 100, 140)]), top, 0.15)
            if rng.random() < 0.08:  # a book leaning on its neighbour
                canvas.polygon(
                    [(x, shelf_y), (x + w, shelf_y), (x + w + 50, shelf_y - h + 10),
                     (x + 50, shelf_y - h)],
                    fill=_rgba(colour, 255),
                )  # fmt: skip
                x += w + 60
                continue
            canvas.rect(x, shelf_y - h, x + w, shelf_y, fill=_rgba(colour, 255))
            canvas.rect(x + 6, shelf_y - h + 20, x + w - 6, shelf_y - h + 28, fill=(255,) * 3)
            x += w + 3
        canvas.rect(90, shelf_y, 1110, shelf_y + 24, fill=wood)
    return canvas


def _houses(rng, section):
    canvas, top, bottom, accent = _sky(rng, section)
    canvas.rect(0, 560, WIDTH, HEIGHT, fill=_rgba(mix(top, bottom, 0.25), 255))
    x = -30
    while x < WIDTH:
        w, h = rng.randint(150, 210), rng.randint(200, 300)
        wall = mix(rng.choice([accent, bottom, (225, 210, 190), (190, 120, 100)]), top, 0.1)
        canvas.rect(x, 560 - h, x + w, 560, fill=_rgba(wall, 255))
        canvas.polygon(
            [(x - 10, 560 - h), (x + w + 10, 560 - h), (x + w / 2, 560 - h - 90)],
            fill=_rgba(mix(top, (0, 0, 0), 0.2), 255),
        )
        for row in range(2):
            for col in range(2):
                wx, wy = x + 24 + col * (w - 84), 560 - h + 30 + row * 90
                lit = rng.random() < 0.5
                canvas.rect(wx, wy, wx + 36, wy + 48, fill=_rgba(accent if lit else top, 255))
        canvas.rect(x + w / 2 - 20, 490, x + w / 2 + 20, 560, fill=_rgba(top, 255))
        x += w + 6
    return canvas


def _bubbles(rng, section):
    canvas, top, bottom, accent = _studio(rng, section)
    colours = [accent, mix(accent, bottom, 0.5), (250, 250, 248), mix(accent, (200, 70, 70), 0.5)]
    for i in range(rng.randint(4, 6)):
        w, h = rng.randint(260, 420), rng.randint(140, 220)
        x, y = rng.randint(60, WIDTH - w - 60), rng.randint(60, HEIGHT - h - 80)
        colour = _rgba(colours[i % len(colours)], 235)
        canvas.rect(x + 12, y + 14, x + w + 12, y + h + 14, fill=(0, 0, 0, 40), radius=50)
        canvas.rect(x, y, x + w, y + h, fill=colour, radius=50)
        tail = x + (60 if i % 2 else w - 100)
        canvas.polygon([(tail, y + h - 2), (tail + 46, y + h - 2), (tail + 8, y + h + 50)], colour)
        for line in range(3):
            ly = y + 40 + line * 34
            if ly < y + h - 30:
                length = (w - 90) * (0.6 if line == 2 else 1)
                canvas.line([(x + 45, ly), (x + 45 + length, ly)], _rgba(top, 90), 8)
    return canvas


# Each scene, and what it shows (the start of its alt text).
SCENES = {
    "ship": (_ship, "a container ship at sea"),
    "lighthouse": (_lighthouse, "a lighthouse on a rocky shore"),
    "globe": (_globe, "a globe with lines of latitude and longitude"),
    "fields": (_fields, "wheat fields under a wide sky"),
    "parliament": (_parliament, "a parliament building with columns"),
    "ballot": (_ballot, "a ballot paper going into a ballot box"),
    "tram": (_tram, "a tram on a city street"),
    "cranes": (_cranes, "cranes and stacked containers in a harbour"),
    "chart": (_chart, "a bar chart with a line rising to the right"),
    "shops": (_shops, "a row of small shops with striped awnings"),
    "train": (_train, "a train on a line by the coast"),
    "network": (_network, "a network of connected points"),
    "circuit": (_circuit, "the lines and a chip of a circuit board"),
    "phone": (_phone, "a phone with a conversation on its screen"),
    "bicycle": (_bicycle, "a bicycle in a cycle lane"),
    "books": (_books, "books on the shelves of a library"),
    "houses": (_houses, "a row of terraced houses"),
    "bubbles": (_bubbles, "speech bubbles in conversation"),
}
