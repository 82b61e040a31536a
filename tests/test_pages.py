"""Page generation without MkDocs: URLs, relative links, footnotes, table of contents."""

from __future__ import annotations

from pathlib import Path

import pytest

from showcase.dataset import load_dataset
from showcase.graph import build_graph
from showcase.pages import format_number, generate_pages, page_url, relative_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pages():
    dataset, report = load_dataset(str(ROOT / "data"))
    assert not report
    return {p.path: p for p in generate_pages(build_graph(dataset), str(ROOT / "overrides" / "showcase"))}, dataset


@pytest.mark.parametrize("path,url", [("index.md", ""), ("units/index.md", "units/"), ("units/pku.md", "units/pku/")])
def test_page_url(path, url):
    assert page_url(path) == url


@pytest.mark.parametrize("target,origin,expected", [
    ("units/pku/", "activities/x/", "../../units/pku/"),
    ("units/#category-military", "units/pku/", "../../units/#category-military"),
    ("units/pku/", "", "units/pku/"),
    ("", "units/", "../"),
    ("units/pku/#person-a", "units/pku/", "#person-a"),
    ("units/pku/", "units/pku/", "./"),
])
def test_relative_url(target, origin, expected):
    assert relative_url(target, origin) == expected


def test_numbers_read_the_chinese_way():
    assert [format_number(n) for n in (100000, 10000, 300, 1.5, 2.0)] == ["10万", "1万", "300", "1.5", "2"]


def test_one_page_per_record_and_index_pages_in_nav(pages):
    by_path, dataset = pages
    assert {p for p, page in by_path.items() if page.in_nav} == {
        "index.md", "units/index.md", "activities/index.md", "honours/index.md", "stats/index.md",
        "contribute/reference.md", "report/index.md"}
    records = {path for path in by_path if path.count("/") == 1 and not path.endswith("/index.md")
               and path.split("/")[0] in ("units", "activities")}
    assert records == {f"units/{u.id}.md" for u in dataset.units.units} | {
        f"activities/{a.id}.md" for a in dataset.activities.activities}


def test_inferred_facts_carry_a_mark_that_links_to_the_reason(pages):
    by_path, dataset = pages
    unit = next(u for u in dataset.units.units if "category" in u.inferred)
    html = by_path[f"units/{unit.id}.md"].html
    assert 'href="#basis-1"' in html and 'id="basis-1"' in html
    assert unit.inferred["category"] in html


def test_toc_lists_actions_without_marks(pages):
    by_path, dataset = pages
    activity = dataset.activities.activities[0]
    toc = by_path[f"activities/{activity.id}.md"].toc
    assert [(lvl, anchor) for lvl, anchor, _ in toc if lvl == 2][0] == (2, activity.actions[0].id)
    assert all("推" not in text for _, _, text in toc)
