"""Draw the home page's banner, `docs/assets/banner-720.webp` and `banner-1440.webp`: an abstract
design in the site's red and gold (the share card's palette, tools/make_share_image.py), with no
text, emblem or picture that could claim anything. The home page prints the site's title over it
in HTML.

    .venv/bin/python tools/make_banner.py [OUT_DIR]

Run by hand when the design changes, and commit the images. The build only copies them.

A raster image, not an SVG: Chrome draws an SVG image on the page's main thread, and this one
cost the home page 150-300 ms of blocking time in Lighthouse's phone profile (its performance
score 91-97 against 98 without it); a WebP is decoded off the main thread. Drawn at twice the
largest size and scaled down, so the edges are smooth.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 400       # the design's own coordinates (3:1)
SIZES = (720, 1440)             # a 360 px phone at 2×; the 685 px desktop column at 2×
SUPERSAMPLE = 2880              # drawn at this width, then scaled down
DEEP, DARK_RED, RED = (0x8E, 0x16, 0x16), (0xB7, 0x1C, 0x1C), (0xD3, 0x2F, 0x2F)  # the text sits on the deep end
GOLD = (0xFF, 0xD6, 0x66)
STOPS = ((0.0, DEEP), (0.6, DARK_RED), (1.0, RED))


def _gradient(width: int, height: int) -> Image.Image:
    """The diagonal red gradient: a strip of colours along the diagonal, looked up per pixel."""
    steps = 512
    strip = []
    for i in range(steps):
        t = i / (steps - 1)
        (t0, c0), (t1, c1) = next((a, b) for a, b in zip(STOPS, STOPS[1:], strict=False) if t <= b[0])
        k = (t - t0) / (t1 - t0)
        strip.append(tuple(round(c0[j] + (c1[j] - c0[j]) * k) for j in range(3)))
    pixels = [strip[int((x / width + y / height) / 2 * (steps - 1))] for y in range(height) for x in range(width)]
    image = Image.new("RGB", (width, height))
    image.putdata(pixels)
    return image


def _overlay(base: Image.Image, draw_on) -> Image.Image:
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw_on(ImageDraw.Draw(layer), base.width / WIDTH)
    return Image.alpha_composite(base, layer)


def banner(width: int = SUPERSAMPLE) -> Image.Image:
    height = width * HEIGHT // WIDTH
    cx, cy = WIDTH - 170, HEIGHT + 40
    image = _gradient(width, height).convert("RGBA")

    def rays(d: ImageDraw.ImageDraw, s: float) -> None:  # thin wedges fanning out from below the corner
        for i in range(14):
            a1 = math.radians(180 + i * 90 / 14)
            a2 = a1 + math.radians(90 / 14 / 2.6)
            d.polygon([(cx * s, cy * s), ((cx + 1100 * math.cos(a1)) * s, (cy + 1100 * math.sin(a1)) * s),
                       ((cx + 1100 * math.cos(a2)) * s, (cy + 1100 * math.sin(a2)) * s)], fill=(255, 255, 255, 18))

    def arcs(d: ImageDraw.ImageDraw, s: float) -> None:
        for r, w in ((120, 10), (190, 3), (260, 2), (330, 1.5)):
            d.ellipse([(cx - r) * s, (cy - r) * s, (cx + r) * s, (cy + r) * s], outline=(*GOLD, 140),
                      width=max(1, round(w * s)))
        d.ellipse([(cx - 80) * s, (cy - 80) * s, (cx + 80) * s, (cy + 80) * s], fill=(*GOLD, 204))

    def dots_and_rule(d: ImageDraw.ImageDraw, s: float) -> None:
        for row in range(4):
            for col in range(10):
                if (row + col) % 2 == 0:
                    x, y = WIDTH - 470 + col * 22, 40 + row * 22
                    d.ellipse([(x - 2.4) * s, (y - 2.4) * s, (x + 2.4) * s, (y + 2.4) * s], fill=(*GOLD, 90))
        d.rectangle([0, (HEIGHT - 10) * s, WIDTH * s, HEIGHT * s], fill=(*GOLD, 217))

    for step in (rays, arcs, dots_and_rule):
        image = _overlay(image, step)
    return image.convert("RGB")


def main(out_dir: str = "docs/assets") -> None:
    drawn = banner()
    for size in SIZES:
        drawn.resize((size, size * HEIGHT // WIDTH), Image.Resampling.LANCZOS).save(
            Path(out_dir) / f"banner-{size}.webp", "WEBP", quality=80, method=6)


if __name__ == "__main__":
    main(*sys.argv[1:])
