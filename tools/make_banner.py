"""Draw the home page's banner, `docs/assets/banner.svg`: an abstract design in the site's red
and gold (the share card's palette, tools/make_share_image.py), with no text, emblem or picture
that could claim anything. The home page prints the site's title over it in HTML.

    .venv/bin/python tools/make_banner.py [OUT]

Run by hand when the design changes, and commit the SVG. The build only copies it.
"""

from __future__ import annotations

import math
import sys

WIDTH, HEIGHT = 1200, 400
RED, DARK_RED, DEEP = "#d32f2f", "#b71c1c", "#8e1616"   # the text sits on the deep end
GOLD = "#ffd666"


def _rays(cx: float, cy: float, count: int, length: float) -> str:
    """Thin wedges fanning out from a point below the lower right corner."""
    parts = []
    for i in range(count):
        a1 = math.radians(180 + i * 90 / count)
        a2 = a1 + math.radians(90 / count / 2.6)
        x1, y1 = cx + length * math.cos(a1), cy + length * math.sin(a1)
        x2, y2 = cx + length * math.cos(a2), cy + length * math.sin(a2)
        parts.append(f'<path d="M{cx:.0f} {cy:.0f}L{x1:.0f} {y1:.0f}L{x2:.0f} {y2:.0f}Z"/>')
    return "".join(parts)


def _arcs(cx: float, cy: float) -> str:
    return "".join(f'<circle cx="{cx}" cy="{cy}" r="{r}" stroke-width="{w}"/>'
                   for r, w in ((120, 10), (190, 3), (260, 2), (330, 1.5)))


def _dots(x0: int, y0: int, cols: int, rows: int, step: int) -> str:
    return "".join(f'<circle cx="{x0 + c * step}" cy="{y0 + r * step}" r="2.4"/>'
                   for r in range(rows) for c in range(cols) if (r + c) % 2 == 0)


def banner() -> str:
    cx, cy = WIDTH - 170, HEIGHT + 40
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" preserveAspectRatio="xMaxYMid slice" aria-hidden="true">'
        '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{DEEP}"/><stop offset=".6" stop-color="{DARK_RED}"/>'
        f'<stop offset="1" stop-color="{RED}"/></linearGradient></defs>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="url(#g)"/>'
        f'<g fill="#ffffff" fill-opacity=".07">{_rays(cx, cy, 14, 1100)}</g>'
        f'<g fill="none" stroke="{GOLD}" stroke-opacity=".55">{_arcs(cx, cy)}</g>'
        f'<circle cx="{cx}" cy="{cy}" r="80" fill="{GOLD}" fill-opacity=".8"/>'
        f'<g fill="{GOLD}" fill-opacity=".35">{_dots(WIDTH - 470, 40, 10, 4, 22)}</g>'
        f'<rect x="0" y="{HEIGHT - 10}" width="{WIDTH}" height="10" fill="{GOLD}" fill-opacity=".85"/>'
        '</svg>\n'
    )


def main(out: str = "docs/assets/banner.svg") -> None:
    with open(out, "w", encoding="utf-8") as f:
        f.write(banner())


if __name__ == "__main__":
    main(*sys.argv[1:])
