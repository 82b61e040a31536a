"""The keyboard and the header on a phone (360 px), on the real build: the skip link comes first,
then the header's buttons, then the content; the closed drawer holds no Tab stop; the menu button
is a button that opens the drawer, whose links Tab then reaches, and Escape closes it; every
focused control shows an outline; the header's title fits; the H1 is the strongest heading."""

from __future__ import annotations

import re

import pytest

from test_browser import _serve

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1366, "height": 900}
PAGES = ["", "units/", "units/pku-third-hospital/", "activities/c3-new-ethos/", "about/"]

# What a sighted person sees of the focused control: the element itself, or for Material's
# palette radios (0 × 0 inputs) the one label shown. Where it is, whether it is shown, and its
# focus ring.
FOCUSED = """() => {
  let e = document.activeElement;
  if (!e || e === document.body) return null;
  if (e.matches('input.md-option')) e = e.form.querySelector('label:not([hidden])');
  const r = e.getBoundingClientRect();
  const s = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(), classes: String(e.className), text: (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 40),
    x: r.x, y: r.y, width: r.width, height: r.height,
    shown: e.checkVisibility({opacityProperty: true, visibilityProperty: true}),
    inDrawer: !!e.closest('.md-sidebar--primary'), inHeader: !!e.closest('.md-header'),
    inContent: !!e.closest('.md-content'),
    outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), shadow: s.boxShadow,
  };
}"""


@pytest.fixture(scope="module")
def site(real_build):
    server, base = _serve(real_build[0])
    yield base
    server.shutdown()


@pytest.fixture
def open_page(browser, site):
    contexts = []

    def open_page(path="", viewport=PHONE, scheme="light"):
        context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()


def _settled(page):
    """Transitions (the skip link's fade-in, the drawer's slide) have run their course."""
    page.wait_for_function("!document.getAnimations().some(a => a.playState === 'running')")


def _tab(page, key="Tab"):
    page.keyboard.press(key)
    _settled(page)
    return page.evaluate(FOCUSED)


def _seen(stop, viewport):
    """The focused control is on the screen: shown, with a box, inside the viewport."""
    return (stop is not None and stop["shown"] and stop["width"] > 0 and stop["height"] > 0
            and stop["x"] < viewport["width"] and stop["x"] + stop["width"] > 0
            and stop["y"] < viewport["height"] and stop["y"] + stop["height"] > 0)


def _ringed(stop):
    return (stop["outline"] != "none" and stop["outlineWidth"] >= 2) or stop["shadow"] != "none"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_tab_at_360px_goes_skip_link_header_content_and_never_into_the_closed_drawer(open_page, path, scheme):
    page = open_page(path, scheme=scheme)
    stops = []
    while len(stops) < 15 and (stop := _tab(page)) is not None:  # None: past the page's last link
        stops.append(stop)
    assert len(stops) >= 5, stops
    for n, stop in enumerate(stops, 1):
        assert _seen(stop, PHONE), f"/{path} ({scheme}) Tab {n} is not on the screen: {stop}"
        assert not stop["inDrawer"], f"/{path} ({scheme}) Tab {n} is in the closed drawer: {stop}"
        assert _ringed(stop), f"/{path} ({scheme}) Tab {n} shows no focus outline: {stop}"
    assert "md-skip" in stops[0]["classes"]
    header = [stop["text"] for stop in stops[1:4]]
    assert all(stop["inHeader"] for stop in stops[1:4]), stops[1:4]
    assert header[0] == "打开导航菜单" and header[2] == "查找", header
    assert stops[4]["inContent"], stops[4]


def test_the_skip_link_is_shown_and_leads_to_the_heading(open_page):
    page = open_page("units/pku-third-hospital/")
    skip = _tab(page)
    assert skip["tag"] == "a" and skip["text"] == "跳转至"
    assert _seen(skip, PHONE)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "H1"
    after = _tab(page)
    assert after["inContent"] and not after["inHeader"], after


def test_the_skip_link_exists_on_a_page_without_a_table_of_contents(open_page):
    page = open_page("404.html")  # Material prints no skip link where a page has no headings
    assert _tab(page)["text"] == "跳转至"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "H1"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_menu_button_opens_the_drawer_and_escape_closes_it(open_page, scheme):
    page = open_page("units/", scheme=scheme)
    button = page.locator(".md-header [data-sc-toggle='drawer']")
    assert button.evaluate("e => e.tagName") == "BUTTON"
    assert button.get_attribute("aria-expanded") == "false"
    _tab(page)
    assert _tab(page)["text"] == "打开导航菜单"

    page.keyboard.press("Enter")
    assert page.locator("#__drawer").is_checked()
    assert button.get_attribute("aria-expanded") == "true"
    _settled(page)
    first = page.evaluate(FOCUSED)
    links = [first] + [_tab(page) for _ in range(3)]
    for link in links:
        assert link["inDrawer"] and _seen(link, PHONE) and _ringed(link), link
    assert [link["text"] for link in links[:2]] == ["首页", "共建活动"]  # 成员单位 is this page

    page.keyboard.press("Escape")
    assert not page.locator("#__drawer").is_checked()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "打开导航菜单"
    assert button.get_attribute("aria-expanded") == "false"
    page.wait_for_function("getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'hidden'")


def test_the_search_button_on_a_phone_opens_the_box_and_escape_gives_the_focus_back(open_page):
    page = open_page("units/")
    for _ in range(4):
        stop = _tab(page)
    assert stop["tag"] == "button" and stop["text"] == "查找"
    page.keyboard.press("Enter")
    assert page.locator("#__search").is_checked()
    assert page.evaluate("document.activeElement.name") == "query"
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.wait_for_function("document.activeElement.getAttribute('aria-label') === '查找'")


def test_on_a_desktop_the_sidebar_links_are_reached_and_the_phone_buttons_are_gone(open_page):
    page = open_page("units/", viewport=DESKTOP)
    assert not page.locator(".md-header button[aria-label='打开导航菜单']").is_visible()
    assert not page.locator(".md-header button[aria-label='查找']").is_visible()
    stops = [_tab(page) for _ in range(12)]
    in_sidebar = [stop["text"] for stop in stops if stop and stop["inDrawer"]]
    assert "共建活动" in in_sidebar, [stop["text"] for stop in stops if stop]
    for stop in stops:
        assert _seen(stop, DESKTOP) and _ringed(stop), stop


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "units/pku-third-hospital/", "activities/c3-new-ethos/"])
def test_the_header_title_fits_a_phone(open_page, path, scheme):
    page = open_page(path, scheme=scheme)
    name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    assert name.inner_text().strip() == "文明风采"
    fits = name.evaluate("e => e.scrollWidth <= e.clientWidth && e.clientWidth > 0")
    assert fits, name.evaluate("e => [e.scrollWidth, e.clientWidth]")


def test_the_full_name_is_shown_where_there_is_room(open_page):
    page = open_page("", viewport=DESKTOP)
    name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    assert name.inner_text().strip() == "文明风采 · 海淀区文明委"


def _rgba(css: str) -> tuple[float, float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", css)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(text_css: str, ground_css: str) -> float:
    *ground, _ = _rgba(ground_css)
    *text, alpha = _rgba(text_css)
    seen = [alpha * t + (1 - alpha) * g for t, g in zip(text, ground, strict=True)]  # text over its ground
    hi, lo = sorted([_luminance(seen), _luminance(ground)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


HEADING = """() => {
  const h1 = document.querySelector('.md-content .md-typeset h1, .md-content h1');
  const h2 = document.querySelector('.md-content h2');
  let e = h1, ground = 'rgba(0, 0, 0, 0)';
  while (e && /rgba\\(0, 0, 0, 0\\)|transparent/.test(ground)) {
    ground = getComputedStyle(e).backgroundColor; e = e.parentElement;
  }
  const s = getComputedStyle(h1);
  return {weight: +s.fontWeight, size: parseFloat(s.fontSize), color: s.color, ground,
          h2: h2 ? {weight: +getComputedStyle(h2).fontWeight, size: parseFloat(getComputedStyle(h2).fontSize)} : null};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "units/", "units/pku-third-hospital/", "about/", "contribute/"])
def test_the_h1_is_the_strongest_heading(open_page, path, scheme):
    page = open_page(path, scheme=scheme)
    h1 = page.evaluate(HEADING)
    assert h1["weight"] >= 600, h1
    assert 30 <= h1["size"] <= 38, h1  # 1.6rem on a phone
    assert _contrast(h1["color"], h1["ground"]) >= 7, h1
    if h1["h2"]:
        assert h1["size"] > h1["h2"]["size"] and h1["weight"] >= h1["h2"]["weight"], h1
