"""The built site in a real browser (Debian's Chromium through Playwright): phone and desktop
layouts, Chinese search, links both ways, and no request to any host but our own."""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from sitekit import ROOT, build_site, hostile_dataset, write_data

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
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


def _serve(site):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    server, base = _serve(build_site(tmp_path_factory.mktemp("browser-real"), ROOT / "data"))
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


def test_search_finds_the_clean_plate_campaign(phone, real_site):
    phone.open(real_site)
    phone.page.locator("label.md-header__button[for='__search']").click()
    search = phone.page.locator("input.md-search__input")
    search.fill("光盘")  # inserted as text, as an IME commits it ...
    search.press("End")  # ... then a key: Material searches on keyup
    result = phone.page.locator(".md-search-result__item a[href*='activities/c3-new-ethos/']").first
    result.wait_for(state="visible", timeout=15000)
    result.click()
    phone.page.wait_for_url("**/activities/c3-new-ethos/**")
    assert "光盘" in phone.page.locator("article").inner_text()
    assert phone.foreign_requests() == []


def test_unit_and_campaign_link_to_each_other(desktop, real_site):
    desktop.open(real_site + "activities/c3-new-ethos/")
    desktop.page.locator("article a", has_text="中国农业大学").first.click()
    desktop.page.wait_for_url("**/units/cau/")
    assert desktop.page.locator("h1").inner_text().startswith("中国农业大学")
    desktop.page.locator("article a", has_text="共同践行文明条例").first.click()
    desktop.page.wait_for_url("**/activities/c3-new-ethos/#c3-2-civility-regulation")
    assert desktop.page.locator("#c3-2-civility-regulation").is_visible()
    assert desktop.foreign_requests() == []


def test_hostile_values_run_nothing_in_the_browser(browser, tmp_path_factory):
    units, activities, payloads = hostile_dataset()
    data = write_data(tmp_path_factory.mktemp("browser-hostile-data"), units, activities)
    server, base = _serve(build_site(tmp_path_factory.mktemp("browser-hostile"), data))
    visit = Visit(browser, DESKTOP)
    try:
        for path in ["", "units/", "units/alpha-univ/", "activities/clean-plate/", "honours/", "stats/"]:
            visit.open(base + path)
        visit.page.locator("input.md-search__input").fill("script")
        visit.page.locator("input.md-search__input").press("End")
        visit.page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15000)
        visit.page.wait_for_timeout(500)
        assert visit.dialogs == []
        assert visit.foreign_requests() == []
        visit.open(base + "units/alpha-univ/")
        assert visit.page.title().startswith(units["units"][0]["name"])
        assert units["units"][0]["name"] in visit.page.locator("h1").inner_text()
    finally:
        visit.close()
        server.shutdown()
