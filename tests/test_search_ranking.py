"""Site search puts the expected page FIRST for the queries of bench/queries.yaml's `first` list
(a unit's name, full name or alias, a person, an honour, a campaign, a word of an action), each
typed into the search box of the real site at 360 px and on a desktop."""

import pytest
import yaml

from sitekit import ROOT
from test_browser import _serve

FIRST = yaml.safe_load((ROOT / "bench" / "queries.yaml").read_text(encoding="utf-8"))["first"]
VIEWPORTS = {"phone": {"width": 360, "height": 780}, "desktop": {"width": 1366, "height": 900}}
RESULT_LINKS = ".md-search-result__list > .md-search-result__item > a:first-child"


@pytest.fixture(scope="module")
def real_site(real_build):
    server, base = _serve(real_build[0])
    yield base
    server.shutdown()


def result_paths(browser, base, query, viewport):
    """The paths of the pages the search box lists for `query`, in the order shown."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(base + "units/")
        page.wait_for_load_state("networkidle")
        if viewport["width"] < 960:
            page.locator(".sc-header-button--search").click()  # the phone's search button
        else:
            page.locator("input.md-search__input").click()
        box = page.locator("input.md-search__input")
        box.fill(query)   # inserted as text, as an input method commits it ...
        box.press("End")  # ... then a key
        page.locator(RESULT_LINKS).first.wait_for(state="visible", timeout=15000)
        assert page.locator(".md-search-result__meta").inner_text().startswith("找到 ")
        return page.eval_on_selector_all(RESULT_LINKS, "(links) => links.map((a) => new URL(a.href).pathname)")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("case", FIRST, ids=[case["q"] for case in FIRST])
def test_the_expected_page_is_the_first_result(browser, real_site, case, viewport):
    paths = result_paths(browser, real_site, case["q"], viewport)
    assert paths[0] == "/" + case["expect"], (
        f"{case['q']}: results {paths[:5]}, expected /{case['expect']} first ({case['why']})")
