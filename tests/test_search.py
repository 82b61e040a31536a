"""The search indexer (showcase/search.py) without MkDocs: what Pagefind indexes, and that the
preview's background indexer never makes a rebuild wait, and never serves half an index."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from showcase.search import BUNDLE, BackgroundIndexer, SearchIndexError, index_site
from sitekit import search_pages

PAGE = """<!doctype html><html lang="zh"><head><title>{title} - 站点</title></head><body>
<nav>导航菜单</nav>
<article{body}><h1 id="t">{title}<a class="headerlink" href="#t">¶</a></h1>
<p>{text}<sup class="sc-mark"><a href="#n">推1<span data-search-exclude>（推断）</span></a></sup></p>
</article></body></html>"""


def _site(folder: Path) -> Path:
    pages = {
        "index.html": PAGE.format(title="首页", text="海淀区文明委成员单位", body=" data-pagefind-body"),
        "units/cau/index.html": PAGE.format(title="中国农业大学", text="践行光盘行动", body=" data-pagefind-body"),
        "404.html": PAGE.format(title="页面不存在", text="光盘", body=""),
    }
    for path, html in pages.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(html, encoding="utf-8")
    return folder


def _fake(seconds: float, tag: str = "fake", exit_code: int = 0):
    """A stand-in for Pagefind: waits, writes a marker file into its output folder, exits."""
    code = ("import os, sys, time; time.sleep(float(sys.argv[2])); os.makedirs(sys.argv[1]);"
            "open(os.path.join(sys.argv[1], 'marker'), 'w').write(sys.argv[3]); print('log line');"
            "sys.exit(int(sys.argv[4]))")
    return lambda site, output: [sys.executable, "-c", code, output, str(seconds), tag, str(exit_code)]


def _marker(site: Path) -> str | None:
    marker = site / BUNDLE / "marker"
    return marker.read_text() if marker.exists() else None


def test_pagefind_indexes_the_marked_article_as_chinese(tmp_path):
    site = _site(tmp_path)
    index_site(str(site))
    pages = search_pages(site)
    assert set(pages) == {"/", "/units/cau/"}  # 404.html has no data-pagefind-body
    cau = pages["/units/cau/"]
    assert cau["meta"]["title"] == "中国农业大学"
    assert "光盘\u200b行动" in cau["content"]
    for hidden in ("导航", "推1", "推断", "¶"):
        assert hidden not in cau["content"], hidden
    assert sorted(p.name for p in site.iterdir()) == ["404.html", "index.html", BUNDLE, "units"]


def test_a_failed_index_says_why_and_keeps_the_previous_one(tmp_path):
    site = _site(tmp_path)
    index_site(str(site), command=_fake(0, "first"))
    with pytest.raises(SearchIndexError, match=r"退出码 3[\s\S]*log line"):
        index_site(str(site), command=_fake(0, "second", exit_code=3))
    assert _marker(site) == "first"
    assert not (site / f"{BUNDLE}.new").exists()


def test_background_indexing_returns_at_once_and_lands_later(tmp_path):
    site = _site(tmp_path)
    index_site(str(site), command=_fake(0, "old"))
    indexer = BackgroundIndexer(command=_fake(1.0, "new"))
    started = time.monotonic()
    indexer.start(str(site))
    assert time.monotonic() - started < 0.5, "start() waited for the indexer"
    assert _marker(site) == "old"  # the previous index answers meanwhile
    indexer.wait(timeout=30)
    assert _marker(site) == "new"
    assert sorted(p.name for p in site.iterdir()) == ["404.html", "index.html", BUNDLE, "units"]


def test_a_new_build_cancels_the_run_in_progress(tmp_path):
    site = _site(tmp_path)
    indexer = BackgroundIndexer(command=_fake(30, "slow"))
    indexer.start(str(site))
    slow = indexer._process
    indexer._command = _fake(0, "latest")
    started = time.monotonic()
    indexer.start(str(site))
    assert time.monotonic() - started < 5
    assert slow.poll() is not None, "the cancelled run is still running"
    indexer.wait(timeout=30)
    assert _marker(site) == "latest"


def test_a_failed_background_run_is_reported_and_changes_nothing(tmp_path):
    site = _site(tmp_path)
    index_site(str(site), command=_fake(0, "old"))
    reports: list[str] = []
    indexer = BackgroundIndexer(command=_fake(0, "broken", exit_code=2), report=reports.append)
    indexer.start(str(site))
    indexer.wait(timeout=30)
    assert _marker(site) == "old"
    assert len(reports) == 1 and "退出码 2" in reports[0] and "log line" in reports[0]


def _fragments(bundle: Path) -> set[str]:
    """The page URLs whose excerpts one Pagefind bundle holds (gzip of "pagefind_dcd" + JSON)."""
    import gzip
    import json

    return {json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd"):])["url"]
            for p in (bundle / "fragment").glob("*.pf_fragment")}


def test_a_large_site_is_indexed_in_parts_that_together_hold_every_page(tmp_path):
    import json

    from showcase.search import MANIFEST, PARTS

    site = _site(tmp_path)
    for n in range(4):  # 6 pages with an article (and 404.html without)
        page = site / "units" / f"u{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(PAGE.format(title=f"单位{n}", text=f"第{n}家单位", body=" data-pagefind-body"), encoding="utf-8")
    index_site(str(site), part_pages=3)  # 7 HTML files: the bundle and two parts
    bundle = site / BUNDLE
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    assert [part["path"] for part in manifest["parts"]] == [f"{PARTS}/1/", f"{PARTS}/2/"]
    held = [_fragments(bundle), *(_fragments(bundle / part["path"]) for part in manifest["parts"])]
    every = {"/", "/units/cau/", *(f"/units/u{n}/" for n in range(4))}
    assert set().union(*held) == every and sum(map(len, held)) == len(every)  # each page once
    for part in manifest["parts"]:  # named by its entry's hash, so a new index is a new list
        entry = json.loads((bundle / part["path"] / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert part["languages"] == entry["languages"]
    # the parts' own sources (linked pages) are gone; the site holds its pages and the bundle
    assert sorted(p.name for p in site.iterdir()) == ["404.html", "index.html", BUNDLE, "units"]
    assert not list(site.parent.glob(".pagefind-staging-*"))
    index_site(str(site))  # under the bound again: one index, no list of parts left behind
    assert not (site / BUNDLE / MANIFEST).exists() and _fragments(site / BUNDLE) == every
