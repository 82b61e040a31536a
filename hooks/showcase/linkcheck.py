"""Link integrity of a built site: every internal link and #anchor resolves, and no generated
record page is an orphan (reachable only by typing its address).

`python -m showcase.linkcheck site/` prints the problems and exits 1 if there are any.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

# Generated record pages: each must be linked from some other page.
RECORD_FOLDERS = ("units", "activities", "report")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        if tag in ("a", "link", "area") and values.get("href"):
            self.hrefs.append(values["href"])


def _page_url(site: Path, html_file: Path) -> str:
    rel = html_file.relative_to(site).as_posix()
    return "" if rel == "index.html" else rel.removesuffix("index.html")


def check_site(site_dir: str) -> list[str]:
    site = Path(site_dir)
    pages: dict[str, _Links] = {}
    for html_file in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(html_file.read_text(encoding="utf-8"))
        pages[_page_url(site, html_file)] = parser
    problems: list[str] = []
    linked_from: dict[str, set[str]] = {}
    for url, page in pages.items():
        if url == "404.html":
            continue  # served at any address: its links are absolute by design
        for href in page.hrefs:
            parsed = urlparse(href)
            if parsed.scheme or href.startswith(("//", "mailto:")):
                continue
            target = urlparse(urljoin("http://site/" + url, href))
            path, anchor = unquote(target.path).removeprefix("/"), unquote(target.fragment)
            if path not in pages and path + "index.html" in pages:
                path += "index.html"
            if path in pages:
                if path != url:
                    linked_from.setdefault(path, set()).add(url)
                if anchor and anchor not in pages[path].ids:
                    problems.append(f"/{url}: 链接 {href} 指向的锚点 #{anchor} 不存在")
            elif not (site / path).is_file():
                problems.append(f"/{url}: 链接 {href} 指向的页面或文件不存在")
    for url in pages:
        if url.split("/", 1)[0] in RECORD_FOLDERS and url not in linked_from:
            problems.append(f"/{url}: 没有任何页面链接到这个页面（孤立页面）")
    return problems


def main(argv: list[str]) -> int:
    problems = check_site(argv[0] if argv else "site")
    for problem in problems:
        print(problem)
    print(f"链接检查：{len(problems)} 个问题" if problems else "链接检查：全部链接有效，没有孤立页面")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
