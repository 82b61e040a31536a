"""axe-core on one page of every kind the site has, public and editorial, light and dark, at
360 px and on a desktop: no violation of any impact.

The generated kinds come from pages.PAGE_KINDS (a kind added there is checked here without a
change); the hand-written pages and the 404 page are listed. The real data is small, so its lists
print whole: the kinds of a list split over pages (a category's units, an honour type's, a kind of
people, an action's participants, the campaigns in pages) are checked on a second site, the real
data built with tiny list limits (sitekit.SPLIT_LIMITS), and so is every kind whose page there
differs from the real site's (the indexes that link to the pages, a campaign linking to its
participants). A kind that neither site has fails the test: it would go unchecked."""

from __future__ import annotations

import pytest
from test_accessibility import _axe_js

from showcase.dataset import load_dataset
from showcase.graph import build_graph
from showcase.pages import PAGE_KINDS, Build, Renderer, Slice, plan_pages
from sitekit import ROOT, SPLIT_LIMITS, build_site, page_limits
from test_browser import _serve

pytestmark = pytest.mark.browser

HAND_WRITTEN = ["about/", "contribute/", "404.html"]
VIEWS = [(360, 780, "light"), (360, 780, "dark"), (1366, 900, "light"), (1366, 900, "dark")]
TEMPLATES = str(ROOT / "overrides" / "showcase")


def _chosen(items: list):
    """The page of a kind to check: of a list split over pages, the second page of the first list
    split (a title “第 2 页”, a pager), in the kind's order (an honour type's before a year's); else
    the first page."""
    return next((i for i in items if isinstance(i, Slice) and i.number == 2), items[0])


def _one_page_per_kind(audience: str, limits: dict | None = None) -> dict[str, tuple[str, str]]:
    """Kind → (its chosen page's URL, that page's body as rendered without MkDocs), for each kind
    this build has a page of."""
    dataset, report = load_dataset(str(ROOT / "data"))
    assert not report, report.format()
    build = Build(audience, downloads={})
    with page_limits(limits):
        graph = build_graph(dataset)
        specs = {spec.path: spec for spec in plan_pages(graph, build)}
        renderer = Renderer(graph, TEMPLATES, editorial=audience == "editorial")
        found = {}
        for name, kind in PAGE_KINDS.items():
            items = list(kind.items(graph)) if kind.when(build) else []
            if items:
                spec = specs[kind.path(_chosen(items))]
                found[name] = (spec.url, renderer.page(spec, build).html)
    return found


def _public_cases() -> list[tuple[str, str, str | None]]:
    """(kind, site, URL) to check: every public kind on the real site, or on the split one if the
    real data has no page of it (URL None if neither has: that case fails), and on the split site
    every kind whose page there is another or differs."""
    real, split = _one_page_per_kind("public"), _one_page_per_kind("public", SPLIT_LIMITS)
    cases = []
    for name, kind in PAGE_KINDS.items():
        if not kind.when(Build("public", downloads={})):
            continue
        if name in real:
            cases.append((name, "real", real[name][0]))
            if name in split and split[name] != real[name]:
                cases.append((name, "split", split[name][0]))
        else:
            cases.append((name, "split", split[name][0] if name in split else None))
    return cases + [(url, "real", url) for url in HAND_WRITTEN]


PUBLIC = _public_cases()
EDITORIAL = [("editorial " + name, url) for name, (url, _) in _one_page_per_kind("editorial").items()
             if name in ("editorial", "unit", "activity", "home")]


@pytest.fixture(scope="module")
def sites(real_build, split_build):
    servers = {"real": _serve(real_build[0]), "split": _serve(split_build)}
    yield {name: base for name, (_, base) in servers.items()}
    for server, _ in servers.values():
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
    public = {name for name, kind in PAGE_KINDS.items() if kind.when(Build("public", downloads={}))}
    assert {name for name, _, _ in PUBLIC} >= public
    # the kinds of a split list are checked where they exist (the split site)
    assert {name for name, site, _ in PUBLIC if site == "split"} >= \
        {"units_category", "honours_list", "people_kind", "participants", "activities"}


@pytest.mark.parametrize(("kind", "site", "path"), PUBLIC, ids=[f"{name}-{site}" for name, site, _ in PUBLIC])
def test_no_axe_violation_on_a_public_page_of_each_kind(browser, sites, kind, site, path):
    assert path is not None, f"no page of kind {kind!r} in the real site nor in the split one: axe cannot check it"
    assert _violations(browser, sites[site] + path) == []


@pytest.mark.parametrize(("kind", "path"), EDITORIAL, ids=[name for name, _ in EDITORIAL])
def test_no_axe_violation_in_the_editorial_view(browser, editorial_site, kind, path):
    assert _violations(browser, editorial_site + path) == []
