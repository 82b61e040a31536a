"""Accessibility in a real browser: axe-core (the copy axe-playwright-python ships) on the
pages a reader sees most and on the search with its results shown, light and dark; charts
carry text alternatives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_browser import _serve

pytestmark = pytest.mark.browser

PAGES = ["", "units/", "units/pku-third-hospital/", "activities/c3-new-ethos/", "honours/", "stats/",
         "report/2020/", "contribute/"]


def _axe_js() -> str:
    import axe_playwright_python

    return str(Path(axe_playwright_python.__file__).parent / "axe.min.js")


@pytest.fixture(scope="module")
def site(real_build):
    server, base = _serve(real_build[0])
    yield base
    server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_axe_violation(browser, site, path, scheme):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=_axe_js())
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], f"/{path} ({scheme}): {serious}"
    finally:
        context.close()


@pytest.mark.parametrize(("width", "scheme"), [(390, "light"), (1280, "dark")])
def test_search_with_results_shown_has_no_serious_or_critical_axe_violation(browser, site, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme,
                                  locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(site + "units/")
        page.wait_for_load_state("networkidle")
        page.keyboard.press("/")
        page.keyboard.type("北京大学")
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15000)
        page.wait_for_timeout(500)  # the dialog's fade-in
        page.add_script_tag(path=_axe_js())
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], f"search open ({width}px, {scheme}): {serious}"
    finally:
        context.close()


def test_every_chart_has_a_text_alternative(browser, site):
    """A chart is a figure named by its heading; its bars are a list whose items read as text
    (name, series, number), so it needs no table beside it."""
    page = browser.new_page()
    page.goto(site + "stats/")
    charts = page.locator("figure.sc-chart")
    assert charts.count() >= 4
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert page.locator(f"#{chart.get_attribute('aria-labelledby')}").text_content().strip()
        rows = chart.locator("li.sc-bars__row")
        assert rows.count() >= 2
        for k in range(rows.count()):
            assert re.search(r"\S.*(\d|不详)", rows.nth(k).text_content(), re.S)
    page.close()
