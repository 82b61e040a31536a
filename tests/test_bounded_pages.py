"""Every list page stays small enough for a phone whatever the size of the data, and still reaches
every record in three clicks: the stress shape of bench/synth.py (2,000 units with 60-character
names and 50 honours each, a campaign of 5,000 participants) rendered without MkDocs."""

from __future__ import annotations

import re
import sys
from collections import deque
from dataclasses import replace
from pathlib import Path

import pytest

from showcase import pages
from showcase.dataset import Dataset
from showcase.graph import build_graph
from showcase.models import ActivitiesFile, UnitsFile
from showcase.pages import PAGE_BUDGET, PAGE_KINDS, Build, Slice, generate_pages, page_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synth import make_dataset, stress_dataset  # noqa: E402

TEMPLATES = str(ROOT / "overrides" / "showcase")
RECORD_KINDS = {"unit": "units", "person": "people", "activity": "activities"}
SAMPLE = 25  # record pages rendered of each kind (all of them would take a minute)


def _graph(units: dict, activities: dict):
    """The graph of synthetic data that `make check` passes (bench/synth.py), validated by the models
    only: the cross-record checks and the YAML round trip would take most of the test's time."""
    dataset = Dataset(UnitsFile.model_validate(units), ActivitiesFile.model_validate(activities),
                      files={"units": "data/units.yaml", "activities": "data/activities.yaml"},
                      lines={"units": {}, "activities": {}})
    return build_graph(dataset)


def _sampled_kinds(graph) -> dict:
    """PAGE_KINDS with the record kinds cut to their largest candidates: the units with the most honours
    and the longest names, the people and campaigns with the most participations."""
    def heaviest(records, weight):
        return lambda g: sorted(records, key=weight, reverse=True)[:SAMPLE]
    p = graph.participations
    chosen = {
        "unit": heaviest(graph.dataset.units.units,
                         lambda u: (len(graph.honours_by_unit[u.id]) + len(p[u.id]), len(u.name))),
        "person": heaviest(graph.dataset.units.people,
                           lambda x: len(graph.honours_by_person[x.id]) + len(graph.person_participations[x.id])),
        "activity": heaviest(graph.dataset.activities.activities,
                             lambda a: sum(len(x.participants) + 10 * len(x.honours) for x in a.actions)),
    }
    return {name: replace(kind, items=chosen[name]) if name in chosen else kind for name, kind in PAGE_KINDS.items()}


@pytest.fixture(scope="module")
def stress():
    graph = _graph(*stress_dataset())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages, "PAGE_KINDS", _sampled_kinds(graph))
        rendered = generate_pages(graph, TEMPLATES, build=Build(downloads={}))
    return graph, rendered


_HREF = re.compile(r'href="([^"#?]*)[^"]*"')


def _links(page) -> set[str]:
    """The site-relative directory URLs a page links to."""
    here = page.url.split("/")[:-1]
    found = set()
    for href in _HREF.findall(page.html):
        if "://" in href or href.startswith(("mailto:", "/")):
            continue
        parts = list(here)
        for part in href.split("/"):
            if part == "..":
                parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        found.add("/".join(parts) + "/" if parts else "")
    return found


def _within(by_url: dict, start: str, clicks: int) -> set[str]:
    """Every URL reached from `start` in at most `clicks` clicks, through generated pages."""
    seen, queue = {start: 0}, deque([start])
    while queue:
        url = queue.popleft()
        if seen[url] == clicks or url not in by_url:
            continue
        for target in _links(by_url[url]):
            if target not in seen:
                seen[target] = seen[url] + 1
                queue.append(target)
    return set(seen)


def test_no_page_body_outgrows_the_budget(stress):
    graph, rendered = stress
    sizes = sorted(((len(p.html.encode()), p.path) for p in rendered), reverse=True)
    assert sizes[0][0] <= PAGE_BUDGET, f"largest bodies: {sizes[:5]}"
    paths = {p.path for p in rendered}
    # the lists are split, not cut: their later pages exist
    for path in ("units/category/university/page/2.md", "honours/type/h0/index.md",
                 "people/kind/person/page/2.md", "activities/page/2.md", "honours/year/2010/page/2.md"):
        assert path in paths, path
    assert any(p.startswith("activities/c0/participants/") and "/page/" in p for p in paths)


def test_every_record_is_three_clicks_from_its_list(stress):
    graph, rendered = stress
    by_url = {p.url: p for p in rendered}
    expected = {"units/": {f"units/{u}/" for u in graph.units},
                "people/": {f"people/{p}/" for p in graph.people},
                "activities/": {f"activities/{a.id}/" for a in graph.activities}}
    for index, records in expected.items():
        missing = records - _within(by_url, index, 3)
        assert not missing, f"{len(missing)} records more than three clicks from {index}: {sorted(missing)[:5]}"


def test_later_pages_are_out_of_the_menu_and_say_their_number(stress):
    _, rendered = stress
    later = [p for p in rendered if "/page/" in p.path]
    assert later
    for page in later:
        number = page.path.rsplit("/", 1)[1].removesuffix(".md")
        assert not page.in_nav and page.title.endswith(f"第 {number} 页"), (page.path, page.title)
        assert 'aria-label="分页"' in page.html and page.html.count('aria-current="page"') == 1


def test_every_list_kind_says_what_it_shows(stress):
    graph, _ = stress
    ids = {"units": set(graph.units), "people": set(graph.people), "activities": set(graph.activities_by_id)}
    for name, kind in PAGE_KINDS.items():
        if kind.record or kind.always or name == "reference":
            continue
        assert kind.shows is not None, name
        for item in list(kind.items(graph))[:3]:
            for record_kind, ident in kind.shows(graph, item):
                assert ident in ids[record_kind], (name, record_kind, ident)


def test_a_list_of_one_page_has_no_pagination():
    """Data that fits (as the real data does) keeps its one index page each, with no pager."""
    graph = _graph(*make_dataset(60, seed=4))
    rendered = generate_pages(graph, TEMPLATES, build=Build(downloads={}))
    assert not [p.path for p in rendered if "/page/" in p.path or "/category/" in p.path or "/kind/" in p.path]
    assert not [p.path for p in rendered if "sc-pager" in p.html]
    assert isinstance(PAGE_KINDS["activities"].items(graph)[0], Slice)
    assert page_url(PAGE_KINDS["activities"].items(graph)[0].path) == "activities/"


def test_what_a_page_carries_in_its_head_stays_small_too(stress):
    """The JSON-LD in a page's <head> is outside the body: a campaign of 5,000 participants named
    them all there (634 KB in the built page). It names the first few; its participants pages list all."""
    from showcase.structured import script_json, structured_data

    graph, rendered = stress
    sizes = sorted(((len(script_json(data).encode()), p.path) for p in rendered
                    if (data := structured_data(graph, p.path, "https://wenming.example/")) is not None), reverse=True)
    assert sizes and sizes[0][0] <= 30_000, sizes[:3]
