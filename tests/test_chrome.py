"""The site's chrome for the public: the footer (who runs the site, configured in mkdocs.yml
`extra.footer`), the main menu, the page language and titles, no sitemap fetched by pages, and
the editors' pages out of the public search."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from sitekit import ROOT, search_pages
from test_browser import Visit, _serve

SITE = "文明风采 · 海淀区文明委"
MENU = ["首页", "成员单位", "共建活动", "荣誉榜", "数据统计", "年度报告", "开放数据", "关于"]
HOSTILE = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>&amp;'
FULL = {
    "sponsor": "海淀区文明委", "organizer": "承办样例单位", "support": "技术样例公司",
    "phone": "010-12345678", "email": "office@example.cn", "address": "样例路 1 号",
    "icp": "京ICP备12345678号-1", "police": "京公网安备 11010812345678号", "site_code": "1101080001",
}


# -- the footer ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def footer():
    """Renders Material's footer with this project's overrides and a given `extra.footer`."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config = load_config(str(ROOT / "mkdocs.yml"))
    # as in a build: the hooks give the theme's Jinja Material's own partials and the chrome cache
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=Files([]))
    template = env.get_template("partials/footer.html")

    def render(values, copyright_line=None):
        config.extra["footer"] = values
        config.copyright = copyright_line
        return template.render(config=config, page=None, base_url=".", features=[])

    return render


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the visible text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_real_footer_names_the_sponsor_and_not_the_theme(real_build):
    site, pages, _ = real_build
    for url in ("", "units/", "about/", "contribute/"):
        text = _flat(pages[url].text)
        assert "主办单位：海淀区文明委" in text, url
        assert "Made with" not in text and "Material for MkDocs" not in text, url
        assert "推" not in text.split("主办单位")[1], "the footer speaks of the editors' inferences"
        for unset in ("承办单位", "技术支持", "联系电话", "联系邮箱", "联系地址", "ICP", "公网安备", "网站标识码"):
            assert unset not in text, (url, unset)
    home = pages[""]
    assert {"contribute/", "contribute/reference/", "data/"} <= set(home.links)


def test_a_fully_configured_footer_shows_every_line(footer):
    html = footer(FULL, "本站内容依据工作材料整理")
    text = _flat(_Tags(html).text)
    for shown in ("主办单位：海淀区文明委", "承办单位：承办样例单位", "技术支持：技术样例公司",
                  "联系电话：010-12345678", "联系邮箱：office@example.cn", "联系地址：样例路 1 号",
                  "京ICP备12345678号-1", "京公网安备 11010812345678号", "网站标识码：1101080001",
                  "本站内容依据工作材料整理", "编辑指南", "字段参考", "开放数据"):
        assert shown in text, shown
    links = {dict_["href"]: dict_ for tag, dict_ in _Tags(html).tags if tag == "a"}
    assert "https://beian.miit.gov.cn/" in links
    assert "https://beian.mps.gov.cn/#/query/webSearch?code=11010812345678" in links
    assert "mailto:office@example.cn" in links
    assert {"./contribute/", "./contribute/reference/", "./data/"} <= set(links)  # base_url "."
    assert "Made with" not in text


def test_unset_footer_keys_show_nothing(footer):
    for values in ({}, None, {"sponsor": "海淀区文明委", "phone": "", "icp": None}):
        html = footer(values)
        text = _flat(_Tags(html).text)
        for unset in ("承办单位", "技术支持", "联系", "ICP", "公网安备", "网站标识码", "：  "):
            assert unset not in text, (values, unset)
        assert "beian" not in html and "mailto:" not in html
        assert ("主办单位：海淀区文明委" in text) == bool(values and values.get("sponsor"))
        assert "编辑指南" in text  # the editors' links are always there


def test_hostile_footer_values_stay_text(footer):
    html = footer(dict.fromkeys(FULL, HOSTILE), HOSTILE)
    parsed = _Tags(html)
    assert {tag for tag, _ in parsed.tags} <= {"footer", "div", "p", "a"}, parsed.tags
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert set(attrs) <= {"class", "href", "target", "rel"}, (tag, attrs)
    assert _flat(parsed.text).count(HOSTILE) == len(FULL) + 1  # every value shown as typed
    police = [a["href"] for tag, a in parsed.tags if tag == "a" and "mps" in a.get("href", "")]
    assert police == ["https://beian.mps.gov.cn/#/query/webSearch?code=12"]  # the digits only


# -- titles, language, search ----------------------------------------------------------------

def test_html_lang_is_zh_cn_with_chinese_interface_strings(real_build):
    site, pages, _ = real_build
    for url in ("", "units/", "about/"):
        html = (site / url / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<html lang="zh-CN"', html), url
        assert 'aria-label="页脚"' in html and ("下一页" in html or "上一页" in html), url  # still Chinese


def test_titles_say_page_then_site_once(real_build):
    site, pages, dataset = real_build
    assert pages[""].title == SITE
    assert pages["about/"].title == f"关于 · {SITE}"
    assert pages["units/"].title == f"成员单位 · {SITE}"
    unit = dataset.units.units[0]
    assert pages[f"units/{unit.id}/"].title == f"{unit.name} · {SITE}"
    for url, page in pages.items():
        if url == "404.html":
            continue
        assert page.title.count("文明风采") == 1, (url, page.title)
        assert " - " not in page.title, (url, page.title)


def test_the_editors_pages_are_not_in_the_public_search(real_build):
    site, pages, _ = real_build
    indexed = search_pages(site)
    assert "/units/" in indexed and "/about/" in indexed and "/people/" in indexed
    assert [url for url in indexed if url.startswith("/contribute/")] == []
    assert "contribute/" in pages and "contribute/reference/" in pages  # still published


def test_people_are_reached_without_the_menu(real_build):
    site, pages, _ = real_build
    assert "people/" in pages["units/"].links
    assert "contribute/" in pages["about/"].links and "contribute/reference/" in pages["about/"].links
    about = _flat(pages["about/"].text)
    assert "拉取请求" not in about and "pull request" not in about.lower()
    assert "外" not in re.sub(r"外部|之外|以外|另外", "", about)  # no "外" mark left to explain


# -- in a browser ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_site(real_build):
    server, base = _serve(real_build[0])
    yield base
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 360, "height": 780}, {"width": 1366, "height": 900}])
def test_the_menu_has_the_public_pages_and_nothing_fetches_the_sitemap(browser, real_site, viewport, tmp_path):
    visit = Visit(browser, viewport)
    try:
        visit.open(real_site + "units/")
        menu = visit.page.eval_on_selector_all(
            ".md-nav--primary > .md-nav__list > .md-nav__item > a.md-nav__link, "
            ".md-nav--primary > .md-nav__list > .md-nav__item > label.md-nav__link--active + a",
            "links => links.map(a => a.textContent.trim())")
        assert menu == MENU
        assert visit.page.evaluate("document.documentElement.lang") == "zh-CN"
        assert visit.page.title() == f"成员单位 · {SITE}"
        visit.page.locator(".md-footer").scroll_into_view_if_needed()
        visit.page.screenshot(path=str(tmp_path / f"footer-{viewport['width']}.png"), full_page=False)
        fetched = [url for url in visit.requests if "sitemap" in url]
        assert fetched == []
        assert any(url.endswith("/units/") for url in visit.requests)  # the listener saw the page
        # The feeds are still announced, as the one rel token "alternate".
        rels = visit.page.eval_on_selector_all("link[type='application/atom+xml'], link[type='application/feed+json']",
                                               "links => links.map(l => [...l.relList])")
        assert rels == [["alternate"], ["alternate"]]
    finally:
        visit.close()
