"""The public showcase design (issue 13) in a real browser on the real data: on a 360 px phone
the unit finder is on the first screen, every row and card is a tap target of at least 44 px, the
home page has its banner, a unit page shows its honours as a timeline, newest first; axe finds
nothing on these pages, light and dark."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from test_accessibility import _axe_js

from showcase.pages import first_sentence, honour_timeline
from test_browser import _serve

PHONE = {"width": 360, "height": 780}
UNIT_WITH_HONOURS = "units/party-school-dayou-bookstore/"


def test_the_honours_timeline_is_newest_first_and_undated_last():
    entries = [SimpleNamespace(date=d) for d in ("2019", None, "2024-03", "2021", "2024")]
    assert [e.date for e in honour_timeline(entries)] == ["2024-03", "2024", "2021", "2019", None]


def test_the_committee_in_one_sentence():
    assert first_sentence("甲围绕中心工作，搭建平台；一年来开展活动。") == "甲围绕中心工作，搭建平台。"
    assert first_sentence(None) == "" and first_sentence("") == ""


@pytest.fixture(scope="module")
def site(real_build):
    server, base = _serve(real_build[0])
    yield base
    server.shutdown()


def _open(browser, url, viewport=PHONE, scheme="light"):
    context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.mark.browser
def test_the_home_page_has_its_banner_and_the_finder_on_the_first_phone_screen(browser, site):
    context, page = _open(browser, site)
    try:
        # the drawn banner (tools/make_banner.py) is the hero's background, and it has loaded
        assert "banner-" in page.evaluate("getComputedStyle(document.querySelector('.sc-hero')).backgroundImage")
        assert page.evaluate("""performance.getEntriesByType('resource')
            .some(r => r.name.includes('/assets/banner-') && r.name.endsWith('.webp'))""")
        assert page.locator(".sc-hero h1").inner_text().startswith("文明风采")
        finder = page.locator("form.sc-finder input[name=q]").bounding_box()
        assert finder["y"] + finder["height"] <= PHONE["height"]
        assert page.locator("form.sc-finder .sc-chips a").count() >= 2
        # the latest items show their dates: a 2020 item says 2020
        assert all("年" in d for d in page.locator(".sc-latest .sc-row__date").all_inner_texts())
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "units/", UNIT_WITH_HONOURS, "units/pku-third-hospital/"])
def test_rows_and_cards_are_tap_targets_of_44_px(browser, site, path):
    context, page = _open(browser, site + path)
    try:
        heights = page.evaluate("""[...document.querySelectorAll(
            '.sc-unit-list a, .sc-card, .sc-row, .sc-figure-tile, .sc-chips a, .sc-jump a')]
            .filter(e => e.offsetParent).map(e => [e.textContent.trim().slice(0, 20), e.getBoundingClientRect().height])""")
        assert heights, path
        assert [h for h in heights if h[1] < 44] == []
    finally:
        context.close()


@pytest.mark.browser
def test_the_name_box_filters_the_units_list_and_takes_a_query_from_home(browser, site):
    context, page = _open(browser, site)
    try:
        page.fill("#sc-finder-q", "北京大学")
        page.press("#sc-finder-q", "Enter")
        page.wait_for_url("**/units/?q=*")
        page.wait_for_load_state("networkidle")
        shown = page.locator(".sc-unit-list a:visible").all_inner_texts()
        assert shown and all("北" in s for s in shown)
        assert "北医三院" in " ".join(shown)  # found by its full name, 北京大学第三医院
        assert "找到" in page.locator(".sc-finder__status").inner_text()
        page.fill("#sc-finder-q", "")
        assert page.locator(".sc-unit-list a:visible").count() > len(shown)
    finally:
        context.close()


@pytest.mark.browser
def test_a_unit_page_shows_its_honours_as_a_timeline_newest_first(browser, site):
    context, page = _open(browser, site + UNIT_WITH_HONOURS)
    try:
        items = page.locator(".sc-timeline__item")
        assert items.count() >= 1 and items.first.is_visible()
        years = [int(y) for y in page.locator(".sc-timeline__year").all_inner_texts() if y.strip()]
        assert years and years == sorted(years, reverse=True)
        assert page.locator(".sc-timeline .sc-honour").first.is_visible()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("path", ["", "units/", UNIT_WITH_HONOURS])
def test_no_axe_violation_on_the_showcase_pages(browser, site, path, scheme, width):
    context, page = _open(browser, site + path, {"width": width, "height": 900}, scheme)
    try:
        page.add_script_tag(path=_axe_js())
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        assert found == [], f"/{path} ({scheme}, {width}px): {found}"
    finally:
        context.close()
