"""axe-core on one page of every kind the site has, public and editorial, light and dark, at
360 px and on a desktop: no violation of any impact.

The generated kinds come from pages.PAGE_KINDS (a kind added there is checked here without a
change); the hand-written pages and the 404 page are listed."""

from __future__ import annotations

import pytest
from test_accessibility import _axe_js

from showcase.dataset import load_dataset
from showcase.graph import build_graph
from showcase.pages import PAGE_KINDS, Build, page_url
from sitekit import ROOT, build_site
from test_browser import _serve

pytestmark = pytest.mark.browser

HAND_WRITTEN = ["about/", "contribute/", "404.html"]
VIEWS = [(360, 780, "light"), (360, 780, "dark"), (1366, 900, "light"), (1366, 900, "dark")]


def _one_page_per_kind(audience: str) -> list[tuple[str, str]]:
    dataset, report = load_dataset(str(ROOT / "data"))
    assert not report, report.format()
    graph, build = build_graph(dataset), Build(audience, downloads={})
    found = []
    for name, kind in PAGE_KINDS.items():
        items = list(kind.items(graph))
        if kind.when(build) and items:
            found.append((name, page_url(kind.path(items[0]))))
    return found


PUBLIC = _one_page_per_kind("public") + [(url, url) for url in HAND_WRITTEN]
EDITORIAL = [("editorial " + name, url) for name, url in _one_page_per_kind("editorial")
             if name in ("editorial", "unit", "activity", "home")]


@pytest.fixture(scope="module")
def public_site(real_build):
    server, base = _serve(real_build[0])
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def editorial_site(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("editorial-axe"), ROOT / "data", config="mkdocs-editorial.yml")
    server, base = _serve(site)
    yield base
    server.shutdown()


def _violations(browser, url: str) -> list:
    found = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, locale="zh-CN")
        try:
            page = context.new_page()
            for width, height, _ in [view for view in VIEWS if view[2] == scheme]:
                page.set_viewport_size({"width": width, "height": height})
                page.goto(url)  # loaded at this width: what a phone or a desktop gets
                page.wait_for_load_state("networkidle")
                page.add_script_tag(path=_axe_js())
                result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                found += [(width, scheme, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                          for v in result["violations"]]
        finally:
            context.close()
    return found


def test_every_page_kind_is_checked():
    assert {name for name, _ in PUBLIC} >= {"home", "units", "unit", "person", "activity", "honours", "stats",
                                            "report", "report_index", "people", "activities", "reference"}


@pytest.mark.parametrize(("kind", "path"), PUBLIC, ids=[name for name, _ in PUBLIC])
def test_no_axe_violation_on_a_public_page_of_each_kind(browser, public_site, kind, path):
    assert _violations(browser, public_site + path) == []


@pytest.mark.parametrize(("kind", "path"), EDITORIAL, ids=[name for name, _ in EDITORIAL])
def test_no_axe_violation_in_the_editorial_view(browser, editorial_site, kind, path):
    assert _violations(browser, editorial_site + path) == []
