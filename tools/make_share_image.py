"""Draw the site's default share card, `docs/assets/share.png` (1200×630, what WeChat and other
link previews show for a page with no photo of its own, and what `committee.share_image` in the
data replaces). A drawn graphic, not a photo: the site's red, its name and the committee's.

    .venv/bin/python tools/make_share_image.py [OUT]

Needs a CJK font (Debian: fonts-noto-cjk); run by hand when the design changes, and commit the
PNG. The build only copies it.
"""

from __future__ import annotations

import sys

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630   # the 1.91:1 card that link previews crop to
RED, DARK_RED, GOLD = (211, 47, 47), (150, 24, 24), (255, 214, 102)
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_INDEX = 2  # the SC (simplified Chinese) face of the collection


def draw(out: str) -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), RED)
    pen = ImageDraw.Draw(image)
    for y in range(HEIGHT):  # a vertical gradient, red to dark red
        t = y / HEIGHT
        pen.line([(0, y), (WIDTH, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(RED, DARK_RED, strict=True)))
    for i in range(9):  # rays from the lower right: a quiet motif behind the text
        pen.polygon([(WIDTH + 80, HEIGHT + 80), (WIDTH - 900 + i * 110, -40), (WIDTH - 860 + i * 110, -40)],
                    fill=(225, 70, 60))
    pen.rectangle([96, 150, 112, 420], fill=GOLD)
    title = ImageFont.truetype(FONT, 136, index=FONT_INDEX)
    subtitle = ImageFont.truetype(FONT, 56, index=FONT_INDEX)
    pen.text((150, 140), "文明风采", font=title, fill="white")
    pen.text((154, 330), "海淀区文明委", font=subtitle, fill=GOLD)
    pen.text((154, 420), "成员单位 · 荣誉 · 共建活动", font=ImageFont.truetype(FONT, 40, index=FONT_INDEX),
             fill=(255, 235, 235))
    image.save(out, optimize=True)


if __name__ == "__main__":
    draw(sys.argv[1] if len(sys.argv) > 1 else "docs/assets/share.png")
