"""The built site in a real browser (Debian's Chromium through Playwright): phone and desktop
layouts, Chinese search (with the keyboard, under a sub-path), links both ways, and no request
to any host but our own."""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
import yaml

from conftest import CHROMIUM  # noqa: E402  (test_serve imports them from here)
from sitekit import ROOT

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

pytestmark = pytest.mark.browser
if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _SubPath(_Quiet):
    """The site deployed under /showcase/, as GitHub Pages serves a project repository's."""

    def translate_path(self, path):
        if not path.startswith("/showcase/"):
            return str(self.directory) + "/nonexistent"
        return super().translate_path(path.removeprefix("/showcase"))


def _serve(site, handler=_Quiet, prefix="/"):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


@pytest.fixture(scope="module")
def real_site(real_build):
    server, base = _serve(real_build[0])
    yield base
    server.shutdown()


class Visit:
    """A browser tab that records every request and every dialog the page opens."""

    def __init__(self, browser, viewport):
        self.context = browser.new_context(viewport=viewport, locale="zh-CN")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")

    def foreign_requests(self):
        return [u for u in self.requests if urlparse(u).hostname not in ("127.0.0.1", "localhost")
                and not u.startswith(("data:", "blob:"))]

    def close(self):
        self.context.close()


@pytest.fixture
def phone(browser):
    visit = Visit(browser, PHONE)
    yield visit
    visit.close()


@pytest.fixture
def desktop(browser):
    visit = Visit(browser, DESKTOP)
    yield visit
    visit.close()


PAGES = ["", "units/", "units/pku-third-hospital/", "activities/c3-new-ethos/", "honours/", "stats/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_pages_fit_the_screen_and_stay_on_our_host(request, real_site, device, path, tmp_path):
    visit = request.getfixturevalue(device)
    visit.open(real_site + path)
    overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a {device} screen"
    assert visit.page.locator("h1").first.is_visible()
    assert visit.foreign_requests() == []
    visit.page.screenshot(path=str(tmp_path / f"{device}.png"))


# -- search (Pagefind, docs/javascripts/search.js) -------------------------------------------------

RESULT = ".md-search-result__item a[href*='activities/c3-new-ethos/']"


def test_search_finds_the_clean_plate_campaign(phone, real_site):
    phone.open(real_site)
    phone.page.locator(".md-header button[data-sc-toggle='search']").click()  # the phone's search button
    search = phone.page.locator("input.md-search__input")
    assert search.evaluate("el => el === document.activeElement")
    search.fill("光盘")  # inserted as text, as an IME commits it ...
    search.press("End")  # ... then a key
    result = phone.page.locator(RESULT).first
    result.wait_for(state="visible", timeout=15000)
    assert phone.page.locator(".md-search-result__meta").inner_text().startswith("找到 ")
    result.click()
    phone.page.wait_for_url("**/activities/c3-new-ethos/**")
    assert "光盘" in phone.page.locator("article").inner_text()
    assert phone.foreign_requests() == []
    assert not [u for u in phone.requests if "search_index.json" in u], "Material's search index was fetched"


def test_nothing_of_the_search_loads_before_the_box_is_used(desktop, real_site):
    desktop.open(real_site + "units/")
    assert [u for u in desktop.requests if "/pagefind/" in u] == []
    assert desktop.page.locator(".md-search-result__meta").inner_text() == "键入以开始搜索"


def test_search_with_the_keyboard_only(desktop, real_site):
    page = desktop.page
    desktop.open(real_site + "units/")
    page.keyboard.press("/")  # Material's shortcut
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    page.keyboard.type("光盘")
    page.locator(RESULT).first.wait_for(state="visible", timeout=15000)
    for _ in range(30):  # down the results to the campaign
        page.keyboard.press("ArrowDown")
        if "activities/c3-new-ethos/" in page.evaluate("document.activeElement.getAttribute('href') || ''"):
            break
    else:
        raise AssertionError("the arrow keys never reached the campaign")
    page.keyboard.press("Enter")
    page.wait_for_url("**/activities/c3-new-ethos/**")

    # Tab from the top of the page to the box, type, Tab to the first result, Enter.
    desktop.open(real_site + "units/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('input.md-search__input')"):
            break
    else:
        raise AssertionError("Tab never reached the search box")
    page.keyboard.type("中国农业大学")
    cau = page.locator(".md-search-result__item a[href$='units/cau/']").first
    cau.wait_for(state="visible", timeout=15000)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.md-search-result__link')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/units/cau/")

    # Esc closes the search and takes the results out of the tab order.
    page.keyboard.press("s")
    page.keyboard.type("滴滴")
    didi = page.locator(".md-search-result__item a[href$='units/didi/']").first
    didi.wait_for(state="visible", timeout=15000)
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    assert page.locator(".md-search-result__list").is_hidden()
    assert desktop.foreign_requests() == []


def test_search_waits_for_the_input_method(desktop, real_site):
    """Pinyin being composed is not searched; the text the input method commits is."""
    page = desktop.page
    desktop.open(real_site)
    box = page.locator("input.md-search__input")
    box.focus()
    box.evaluate("""el => {
        el.dispatchEvent(new CompositionEvent("compositionstart"));
        el.value = "guang";
        el.dispatchEvent(new InputEvent("input", {isComposing: true, data: "guang"}));
    }""")
    page.wait_for_timeout(800)
    assert page.locator(".md-search-result__item").count() == 0
    assert page.locator(".md-search-result__meta").inner_text() == "键入以开始搜索"
    box.evaluate("""el => {
        el.value = "光盘";
        el.dispatchEvent(new InputEvent("input", {isComposing: true, data: "光盘"}));
        el.dispatchEvent(new CompositionEvent("compositionend", {data: "光盘"}));
    }""")
    page.locator(RESULT).first.wait_for(state="visible", timeout=15000)


QUERIES = yaml.safe_load((ROOT / "bench" / "queries.yaml").read_text(encoding="utf-8"))["queries"]


def test_every_benchmark_query_finds_its_page_in_the_first_five(desktop, real_site):
    """The ten queries of bench/queries.yaml, straight through Pagefind's API: Chinese words
    found inside longer text (陈薇, 文明暖心) need the index to be segmented."""
    desktop.open(real_site)
    found = desktop.page.evaluate("""async queries => {
        const pagefind = await import("./pagefind/pagefind.js");
        const out = {};
        for (const q of queries) {
            const search = await pagefind.search(q);
            out[q] = await Promise.all(search.results.slice(0, 5).map(async r => (await r.data()).url));
        }
        return out;
    }""", [q["q"] for q in QUERIES])
    missed = {q["q"]: found[q["q"]] for q in QUERIES if "/" + q["expect"] not in found[q["q"]]}
    assert missed == {}


def test_search_works_under_a_sub_path(browser, real_build):
    server, base = _serve(real_build[0], _SubPath, "/showcase/")
    visit = Visit(browser, DESKTOP)
    try:
        visit.open(base + "units/pku/")
        visit.page.locator("input.md-search__input").fill("光盘")
        result = visit.page.locator(RESULT).first
        result.wait_for(state="visible", timeout=15000)
        assert result.get_attribute("href").startswith(base)
        assert all(urlparse(u).path.startswith("/showcase/") for u in visit.requests)
    finally:
        visit.close()
        server.shutdown()


def test_an_index_made_in_parts_answers_as_one(browser, real_build, tmp_path):
    """The real site indexed in parts of 15 pages (as a site of over search.PART_PAGES pages is):
    search.js merges them, so the box finds pages of the first part and of the others, and every
    benchmark query still finds its page in the first five."""
    import json
    import shutil

    from showcase.search import BUNDLE, MANIFEST, index_site

    site = tmp_path / "site"
    shutil.copytree(real_build[0], site)
    index_site(str(site), part_pages=15)
    parts = json.loads((site / BUNDLE / MANIFEST).read_text(encoding="utf-8"))["parts"]
    assert len(parts) >= 3
    server, base = _serve(site)
    visit = Visit(browser, DESKTOP)
    try:
        visit.open(base + "units/")
        box = visit.page.locator("input.md-search__input")
        for query, address in (("光盘", "activities/c3-new-ethos/"), ("中国农业大学", "units/cau/"), ("滴滴", "units/didi/")):
            box.fill(query)
            visit.page.locator(f".md-search-result__item a[href$='{address}']").first.wait_for(state="visible", timeout=15000)
        fetched = {u.split(f"/{BUNDLE}/", 1)[1].rsplit("/", 1)[0] for u in visit.requests if "/parts/" in u}
        assert {part["path"].rstrip("/") for part in parts} <= fetched  # every part was asked
        found = visit.page.evaluate("""async ([queries, parts]) => {
            const pagefind = await import("/pagefind/pagefind.js");
            for (const part of parts) await pagefind.mergeIndex(`/pagefind/${part}`);
            const out = {};
            for (const q of queries) {
                const search = await pagefind.search(q);
                out[q] = await Promise.all(search.results.slice(0, 5).map(async r => (await r.data()).url));
            }
            return out;
        }""", [[q["q"] for q in QUERIES], [part["path"] for part in parts]])
        missed = {q["q"]: found[q["q"]] for q in QUERIES if "/" + q["expect"] not in found[q["q"]]}
        assert missed == {}
        assert visit.foreign_requests() == []
    finally:
        visit.close()
        server.shutdown()


def test_unit_and_campaign_link_to_each_other(desktop, real_site):
    desktop.open(real_site + "activities/c3-new-ethos/")
    desktop.page.locator("article a", has_text="中国农业大学").first.click()
    desktop.page.wait_for_url("**/units/cau/")
    assert desktop.page.locator("h1").inner_text().startswith("中国农业大学")
    desktop.page.locator("article a", has_text="共同践行文明条例").first.click()
    desktop.page.wait_for_url("**/activities/c3-new-ethos/#c3-2-civility-regulation")
    assert desktop.page.locator("#c3-2-civility-regulation").is_visible()
    assert desktop.foreign_requests() == []


def test_hostile_values_run_nothing_in_the_browser(browser, hostile_build):
    site, _, units, _, _ = hostile_build
    server, base = _serve(site)
    visit = Visit(browser, DESKTOP)
    try:
        for path in ["", "units/", "units/alpha-univ/", "activities/clean-plate/", "honours/", "stats/"]:
            visit.open(base + path)
        for query in ("script", "alert", "onerror", units["units"][0]["name"][:20]):
            visit.page.locator("input.md-search__input").fill(query)
            visit.page.locator("input.md-search__input").press("End")
            visit.page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15000)
            visit.page.wait_for_timeout(500)
            results = visit.page.locator(".md-search-result__list")
            assert results.locator("script, img, [onclick], [onerror]").count() == 0
            assert results.locator("mark").count() > 0  # Pagefind's own markup survives
        titles = visit.page.locator(".md-search-result__list h1").all_inner_texts()
        assert units["units"][0]["name"] in titles  # shown as the text it is
        assert visit.dialogs == []
        assert visit.foreign_requests() == []
        visit.open(base + "units/alpha-univ/")
        assert visit.page.title().startswith(units["units"][0]["name"])
        assert units["units"][0]["name"] in visit.page.locator("h1").inner_text()
    finally:
        visit.close()
        server.shutdown()
