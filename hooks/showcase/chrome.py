"""Material's chrome rendered once per build instead of once per page.

Material renders its whole nav, footer, style and script tags into every page. The 20,000 record
pages of a city list are not in the nav, so for them that chrome does not depend on the page,
only on where its relative links start from: the page's folder (`units/`, `activities/`, …).
`Chrome.once` is a Jinja global used as `{% call showcase_once("nav") %}…{% endcall %}` in the
partials of overrides/: the first page of each folder renders the block (the call's body, which
includes Material's own partial under the `material/` prefix) and the others reuse its HTML.
Which pages share it is the caller's to say (`key`, hooks/site.py: the record pages, which are not
in the nav and which the chrome never links to); a page with no key renders the block itself.
No MkDocs import.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from jinja2 import pass_context


class Chrome:
    """One build's cache of chrome blocks: (block name, key of the page) → HTML."""

    def __init__(self, key: Callable[[object], Hashable | None]) -> None:
        self._key = key             # Jinja context → what the block's HTML depends on, or None
        self._html: dict[tuple[str, Hashable], str] = {}
        self.rendered = self.reused = 0

        @pass_context
        def once(context, name: str, caller) -> str:
            key = self._key(context)
            if key is None:
                return caller()
            cached = self._html.get((name, key))
            if cached is None:
                cached = self._html[(name, key)] = caller()
                self.rendered += 1
            else:
                self.reused += 1
            return cached

        self.once = once


def folder_key(url: str, reachable: list[str]) -> str | None:
    """What a page's relative links depend on: its folder (MkDocs resolves `| url` against the
    page's URL), unless a link the chrome prints leads into the page itself, which it would then
    print relative to that page only. "units/pku/" → "units/"; "units/pku.html" → "units/|file"."""
    head, _, last = url.rpartition("/")
    if "." in last:  # a file URL: links resolve against the folder it is in
        return head + "/|file"
    if not url or any((target + "/").startswith(url) for target in reachable):
        return None
    return url.rstrip("/").rpartition("/")[0] + "/"
