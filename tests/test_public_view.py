"""The public site states facts; the research apparatus behind them is for the office.

Every public page, and the search index, is scanned for what only editors should see: line
numbers, file and field names, the English words of the data's basis, the 推 marks, doubts
and the notes and reasons written in the data (each of those texts, read from the data itself).
The same scan run over the editorial build finds all of it, so the scan can fail."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from pydantic import BaseModel

from showcase.dataset import load_dataset
from showcase.editorial import editorial_facts
from showcase.models import Sourced
from sitekit import ROOT, build_site, read_site, search_pages

# The editors' own pages are published for them (the guide, the field reference): they talk
# about files and fields by name. They are left out of the public search (test_chrome).
STAFF_PAGES = ("contribute/",)
# The open-data page documents the downloads: their file names and columns are its subject.
DOCUMENTS_FILES = ("data/",)

RULES = {
    "line number": re.compile(r"\bL\d+\b|第\s*\d+\s*行"),
    "file name": re.compile(r"[\w-]+\.(?:ya?ml|txt|py)\b|\bdata/|\bsources/"),
    "field name": re.compile(r"\b(?:basis|inferred|note|loc|quote|membership|declared_count|full_name|"
                             r"participant_count|honour_types|awarded_by)\b"),
    "basis word": re.compile(r"\b(?:stated|inferred|unknown|external)\b", re.I),
    "editorial mark": re.compile(r"推\d+|推断|不明|待核实|未核实|存疑|已列出|来源所述|来源与依据|研究笔记|编者"),
}
# It also says what the exports' basis field means (stated or inferred): its words are exempt
# there, the data's own notes are not.
EXEMPT = {rule: DOCUMENTS_FILES for rule in ("file name", "field name", "basis word", "editorial mark")}


def _walk_sourced(value):
    if isinstance(value, BaseModel):
        if isinstance(value, Sourced):
            yield value
        for name in type(value).model_fields:
            yield from _walk_sourced(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk_sourced(item)


@cache
def editorial_texts() -> tuple[str, ...]:
    """What the data says only to editors: every note, inference reason and place in a source
    (long enough not to be an ordinary word of a page)."""
    dataset, report = load_dataset(str(ROOT / "data"), display_dir="data")
    assert not report, report.format()
    texts = {fact.reason for fact in editorial_facts({"units": dataset.units, "activities": dataset.activities})}
    for record in (*_walk_sourced(dataset.units), *_walk_sourced(dataset.activities)):
        if record.source and record.source.loc:
            texts.add(record.source.loc)
    texts |= {doc.note for doc in dataset.units.sources if doc.note}
    return tuple(sorted(t for t in texts if len(t) >= 6))


def findings(url: str, text: str) -> list[str]:
    found = []
    for rule, pattern in RULES.items():
        if url.startswith(EXEMPT.get(rule, ())):
            continue
        for match in pattern.finditer(text):
            found.append(f"{url or '/'}: {rule}: …{text[max(0, match.start() - 20):match.end() + 20]}…")
    compact = re.sub(r"\s+", "", text)
    found += [f"{url or '/'}: editorial note: {t[:40]}" for t in editorial_texts() if re.sub(r"\s+", "", t) in compact]
    return found


def scan_pages(site: Path) -> list[str]:
    found = []
    for url, page in read_site(site).items():
        if url.startswith(STAFF_PAGES) or url.startswith(("assets/", "javascripts/")):
            continue
        readable = [page.title, page.text, page.meta.get("description", ""),
                    *(value for tag, name, value in page.attributes if name in ("alt", "title", "aria-label"))]
        found += findings(url, "\n".join(readable))
    return found


def scan_search_index(site: Path) -> list[str]:
    found = []
    for url, fragment in search_pages(site).items():
        text = "\n".join([fragment.get("content", ""), *map(str, fragment.get("meta", {}).values())])
        found += findings(url.strip("/") + "/" if url.strip("/") else "", text)
    return found


REPO = "https://github.com/example-org/showcase"


@pytest.fixture(scope="module")
def public_build(tmp_path_factory):
    """The public view of the real data, of a site with a repository (which gives the editorial
    view its edit links)."""
    return build_site(tmp_path_factory.mktemp("public"), ROOT / "data", env={"SHOWCASE_REPO_URL": REPO})


@pytest.fixture(scope="module")
def editorial_build(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("editorial"), ROOT / "data", env={"SHOWCASE_REPO_URL": REPO},
                      config="mkdocs-editorial.yml")


def test_public_pages_show_no_research_apparatus(public_build):
    assert scan_pages(public_build) == []


def test_public_search_index_holds_no_research_apparatus(public_build):
    assert search_pages(public_build), "no page in the search index"
    assert scan_search_index(public_build) == []


def test_public_pages_have_no_edit_links(public_build, editorial_build):
    for site, expected, urls in ((public_build, False, ("units/pku/", "about/", "")),
                                 (editorial_build, True, ("units/pku/", "about/"))):
        for url in urls:
            html = (site / url / "index.html").read_text(encoding="utf-8")
            assert ('rel="edit"' in html) is expected, (site, url)
            assert (REPO in html) is expected, (site, url)


def test_editorial_build_shows_the_apparatus_the_scan_looks_for(editorial_build):
    found = scan_pages(editorial_build)
    for rule in (*RULES, "editorial note"):
        assert any(f": {rule}: " in line for line in found), f"the editorial build shows no {rule}"


def test_public_pages_end_with_their_documents(public_build):
    """A record's page ends with 来源: the documents, with publisher and date, linked or 报送材料."""
    pages = read_site(public_build)
    unit = pages["units/pku/"]
    assert "来源" in unit.text and "《" in unit.text and "报送材料" in unit.text
    assert "sources" in unit.ids
    assert "editorial/" not in pages, "the worklist of inferred facts is published"
    assert "robots" not in pages[""].meta


def test_editorial_build_lists_every_inferred_fact_with_its_line(editorial_build):
    dataset, _ = load_dataset(str(ROOT / "data"), display_dir="data")
    facts = editorial_facts({"units": dataset.units, "activities": dataset.activities})
    pages = read_site(editorial_build)
    worklist = pages["editorial/"]
    assert f"共 {len(facts)} 条" in worklist.text
    assert len(re.findall(r"data/(?:units|activities)\.yaml 第 \d+ 行", worklist.text)) == len(facts)
    first_unverified = next(f for f in facts if f.unverified)
    assert first_unverified.reason in worklist.text and "待核实" in worklist.text
    assert pages[""].meta.get("robots") == "noindex, nofollow"
    assert "推1" in pages["units/pku-third-hospital/"].text
    assert "editorial/" in pages["units/pku/"].links  # the banner's link to the worklist
