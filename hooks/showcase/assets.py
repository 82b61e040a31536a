"""The site's own static files as they are published: the style sheet minified.

Material ships its CSS minified; ours is written for people (comments that say why), and on a
phone's first paint it is render-blocking: minified with rcssmin (a C-accelerated CSS minifier,
kept since 2011) it is 5.3 KB gzip instead of 10.5, which Lighthouse's phone profile counts."""

from __future__ import annotations

import rcssmin

MINIFIED = ("stylesheets/showcase.css",)


def minified_css(text: str) -> str:
    return rcssmin.cssmin(text) + "\n"
