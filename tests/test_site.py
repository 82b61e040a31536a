"""Build the site (strict) and read its HTML: every record has its page, links resolve both
ways, everything is close to home, and hostile data shows as text, never as markup."""

from __future__ import annotations

import json
import re
from collections import deque
from pathlib import Path

import pytest

from showcase.dataset import load_dataset
from sitekit import HOSTILE_URLS, ROOT, build_site, hostile_dataset, read_site, search_pages


@pytest.fixture(scope="module")
def real(real_build):
    return real_build


def test_every_record_has_its_page(real):
    _, pages, dataset = real
    for url in ("", "units/", "activities/", "honours/", "people/", "stats/"):
        assert url in pages
    for unit in dataset.units.units:
        assert f"units/{unit.id}/" in pages
        assert unit.name in pages[f"units/{unit.id}/"].text
    for person in dataset.units.people:
        assert person.name in pages[f"people/{person.id}/"].text
        assert f"people/{person.id}/" in pages["people/"].links
    for activity in dataset.activities.activities:
        page = pages[f"activities/{activity.id}/"]
        for action in activity.actions:
            assert action.id in page.ids, f"{activity.id} has no anchor for action {action.id}"


def test_every_internal_link_and_anchor_resolves(real):
    site, pages, _ = real
    broken = []
    for url, page in pages.items():
        for link in page.links:
            if "://" in link or link.startswith(("mailto:", "//")):
                continue
            path, _, anchor = link.partition("#")
            target = pages.get(path)
            if target is None:
                if not (site / path).is_file():  # a download (CSV, JSON, feed) must exist too
                    broken.append((url, link))
            elif anchor and anchor not in target.ids:
                broken.append((url, link))
    assert broken == []


def test_links_go_both_ways_between_units_and_activities(real):
    _, pages, dataset = real
    for activity in dataset.activities.activities:
        activity_url = f"activities/{activity.id}/"
        for action in activity.actions:
            for participant in action.participants:
                record_url = f"units/{participant.unit}/" if participant.unit else f"people/{participant.person}/"
                assert record_url in pages[activity_url].links
                assert f"{activity_url}#{action.id}" in pages[record_url].links


def test_honours_link_to_their_recipients_and_back(real):
    _, pages, dataset = real
    roll = pages["honours/"]
    for unit in dataset.units.units:
        for n, honour in enumerate(unit.honours, start=1):
            assert f"honour-{unit.id}-{n}" in roll.ids
            assert f"units/{unit.id}/" in roll.links
            assert f"honours/#type-{honour.type}" in pages[f"units/{unit.id}/"].links
    for person in dataset.units.people:
        page = pages[f"people/{person.id}/"]
        for n, honour in enumerate(person.honours, start=1):
            assert f"honour-person-{person.id}-{n}" in roll.ids and f"honour-person-{person.id}-{n}" in page.ids
            assert f"people/{person.id}/" in roll.links
            assert f"honours/#type-{honour.type}" in page.links
        if person.unit:  # a unit lists its people, linking to their pages (not anchors)
            assert f"people/{person.id}/" in pages[f"units/{person.unit}/"].links
            assert f"units/{person.unit}/" in page.links


def test_everything_is_within_three_clicks_of_home(real):
    _, pages, dataset = real
    depth = {"": 0}
    queue = deque([""])
    while queue:
        url = queue.popleft()
        for link in pages[url].links:
            for target in (link, link.partition("#")[0]):
                if target not in depth and (target in pages or "#" in target):
                    depth[target] = depth[url] + 1
                    if target in pages:
                        queue.append(target)
    far = [u for u in (f"units/{u.id}/" for u in dataset.units.units) if depth.get(u, 99) > 3]
    far += [a for a in (f"activities/{a.id}/" for a in dataset.activities.activities) if depth.get(a, 99) > 3]
    far += [p for p in (f"people/{p.id}/" for p in dataset.units.people) if depth.get(p, 99) > 3]
    for unit in dataset.units.units:
        for n, _ in enumerate(unit.honours, start=1):
            if depth.get(f"honours/#honour-{unit.id}-{n}", depth.get("honours/", 99)) > 3:
                far.append(f"honour-{unit.id}-{n}")
    assert far == []


def test_record_pages_stay_out_of_the_nav(real):
    site, pages, _ = real
    nav_links = set(pages["about/"].links)
    assert "units/" in nav_links
    assert not any(link.startswith("units/") and link != "units/" and "#" not in link
                   for link in pages["stats/"].links if link in nav_links and link not in pages["stats/"].text)
    html = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "units/pku/" not in html  # a record page would show up in every page's nav


def test_no_request_leaves_the_site(real):
    site, pages, _ = real
    for url, page in pages.items():
        for tag, name, value in page.attributes:
            if name in ("src", "href") and tag in ("script", "link", "img", "iframe", "source"):
                assert "://" not in value and not value.startswith("//"), (url, tag, value)
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_every_page_has_its_own_description_and_a_named_search_dialog(real):
    """Two of the fixes the Lighthouse budget (bench/lighthouse.py, not part of the tests) found:
    SEO wants a description per page, axe an accessible name on Material's search dialog."""
    site, pages, _ = real
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    site_wide = re.search(r"^site_description: (.+)$", config, re.M).group(1).strip()
    for url, page in pages.items():
        if url == "404.html":
            continue
        description = page.meta.get("description", "")
        assert description and description != site_wide, f"/{url} has no description of its own"
        html = (site / url / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<div class="md-search"[^>]*role="dialog"[^>]*aria-label="[^"]+"', html), url


def test_search_index_covers_every_page_but_the_404(real):
    """Pagefind's index (the query side is tested in the browser, test_browser.py): every page
    but 404.html and the editors' pages (contribute/), titled by its heading, indexed as Chinese words, without the screen-reader
    hints or the headings' "¶"."""
    site, pages, dataset = real
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh"]
    indexed = search_pages(site)
    assert set(indexed) == {"/" + url for url in pages if url != "404.html" and not url.startswith("contribute/")}
    for unit in dataset.units.units:
        assert indexed[f"/units/{unit.id}/"]["meta"]["title"] == unit.name
    for activity in dataset.activities.activities:
        assert indexed[f"/activities/{activity.id}/"]["meta"]["title"] == activity.title
    campaign = indexed["/activities/c3-new-ethos/"]["content"]
    assert "\u200b光盘\u200b行动\u200b" in campaign, "光盘行动 is not indexed as words"
    assert "c3-2-civility-regulation" in {a["id"] for a in indexed["/activities/c3-new-ethos/"]["anchors"]}
    everything = "".join(page["content"] + page["meta"]["title"] for page in indexed.values())
    assert "返回正文" not in everything and "¶" not in everything


def test_every_page_has_the_search_box_and_none_of_materials_search(real):
    """Material's script fetches search/search_index.json for a form named "search": the box is
    Material's, the form is not."""
    site, pages, _ = real
    assert not (site / "search").exists()
    for url in pages:
        html = (site / (url if url.endswith(".html") else url + "index.html")).read_text(encoding="utf-8")
        assert '<form class="md-search__form" name="site-search">' in html, url
        assert 'name="search"' not in html and 'data-md-component="search' not in html, url
        assert re.search(r'<script src="(/|(\.\./)*)javascripts/search\.js"></script>', html), url
        assert ("data-pagefind-body" in html) == (url != "404.html" and not url.startswith("contribute/")), url


# -- hostile values ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(hostile_build):
    site, pages, _, _, payloads = hostile_build
    return site, pages, payloads


def test_hostile_values_never_become_markup(hostile):
    site, pages, _ = hostile
    for url, page in pages.items():
        for tag, name, value in page.attributes:
            assert not name.startswith("on"), (url, tag, name, value)
            assert not value.strip().lower().startswith("javascript:"), (url, tag, name, value)
        for attrs, content in page.scripts:
            if attrs.get("type") == "application/ld+json":
                json.loads(content)  # data, escaped: no "<" can end the script early
                assert "<" not in content and ">" not in content, (url, content[:200])
                continue
            assert "alert(" not in content, (url, content[:200])
            assert "src" not in attrs or "://" not in attrs["src"]
        assert "img" not in page.tags or all(
            v != "x" for t, n, v in page.attributes if t == "img" and n == "src"), url


def test_hostile_values_show_as_literal_text(hostile):
    _, pages, payloads = hostile
    # what a reader gets: the text, and a photo's alt text (read out, or shown when it cannot load)
    text = "".join(page.text + "".join(v for t, n, v in page.attributes if t == "img" and n == "alt")
                   for page in pages.values())
    shown = [p for p in payloads if p in text]
    # Every value reaches some page, letter for letter (sources' doc titles, notes, roles ...).
    missing = [p[:40] for p in payloads if p not in shown]
    assert missing == []
    # Nothing is left of a payload that some page turned into markup or ran as a template:
    # with every literal occurrence removed, no trace of one may remain.
    for p in (*payloads, *HOSTILE_URLS):
        text = text.replace(p, "")
    for trace in ("alert(", "javascript:", "onclick", "onerror", "*7 }}", "{% if"):
        assert trace not in text


def test_hostile_titles_and_descriptions_are_literal(hostile):
    _, pages, payloads = hostile
    unit_page = pages["units/alpha-univ/"]
    name = next(p for p in payloads if p in unit_page.title)
    assert unit_page.title == f"{name} · 文明风采 · 海淀区文明委"
    summary = hostile_dataset()[0]["units"][0]["summary"]
    assert unit_page.meta["description"] == " ".join(summary.split())[:149] + "…"
    # A URL that tries to leave its attribute stays one whole attribute value.
    hrefs = [v for t, n, v in unit_page.attributes if t == "a" and n == "href"]
    assert HOSTILE_URLS[0] in hrefs


def test_hostile_search_index_holds_the_values_as_text(hostile):
    """Pagefind stores text: the values as they are in the data, never cut at a "<"; the
    browser test makes sure search.js shows them as text."""
    site, _, payloads = hostile
    indexed = search_pages(site)
    units, _, _ = hostile_dataset()
    assert indexed["/units/alpha-univ/"]["meta"]["title"] == units["units"][0]["name"]
    assert any(payloads[0].replace(" ", "") in page["content"].replace("\u200b", "").replace(" ", "")
               for page in indexed.values())


# -- links to the repository ----------------------------------------------------------------

REPO = "https://github.com/example-org/showcase"


@pytest.fixture(scope="module")
def with_repo(tmp_path_factory):
    """The editorial view of a site with a repository: its pages have edit links."""
    site = build_site(tmp_path_factory.mktemp("repo"), ROOT / "data", env={"SHOWCASE_REPO_URL": REPO},
                      config="mkdocs-editorial.yml")
    return site, read_site(site)


def _edit_links(site: Path, url: str) -> list[str]:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<a href="([^"]+)"[^>]*class="md-content__button[^"]*"[^>]*rel="edit"', html)


def test_every_generated_record_page_links_to_its_line_in_the_data(with_repo):
    site, pages = with_repo
    dataset, _ = load_dataset(str(ROOT / "data"))
    for kind, records in (("units", dataset.units.units), ("activities", dataset.activities.activities)):
        lines = (ROOT / "data" / f"{kind}.yaml").read_text(encoding="utf-8").splitlines()
        for record in records:
            (link,) = _edit_links(site, f"{kind}/{record.id}/")
            match = re.fullmatch(rf"{REPO}/blob/main/data/{kind}\.yaml#L(\d+)", link)
            assert match, link
            assert lines[int(match.group(1)) - 1].strip() == f"- id: {record.id}"
            assert "编辑此条目" in pages[f"{kind}/{record.id}/"].text


def test_hand_written_pages_keep_the_usual_edit_button_and_fetch_nothing(with_repo):
    site, _ = with_repo
    assert _edit_links(site, "about/") == [f"{REPO}/edit/main/docs/about.md"]
    html = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="source"' not in html  # would fetch stars from the host's API


def test_the_v2_showcase_builds_strictly_and_shows_its_facts(tmp_path):
    """News, award roll of 200 names, three snapshots, a person without a unit, dated activities:
    a strict build, every internal link resolving, and each fact on its page."""
    from sitekit import v2_showcase, write_data

    site = build_site(tmp_path / "project", write_data(tmp_path / "data", *v2_showcase()))
    pages = read_site(site)
    assert "people/li-si/" in pages["people/"].links and "people/" in pages["units/"].links  # not in the menu
    assert "所在单位或身份：国家游泳队运动员" in pages["people/li-si/"].text
    assert "2020年：137 家；2021年：111 家；2022年6月：120 家" in pages[""].text
    assert "90余万人" in pages["activities/clean-plate/"].text and "近300条" in pages["report/2020/"].text
    assert "2024年3月2日—5日" in pages["activities/xueleifeng-2024/"].text
    assert "report/2024/" not in pages and "学雷锋志愿服务日活动举行" in pages["report/"].text
    assert "people/rescue-team/" in pages["honours/"].links and "候选人200" in pages["honours/"].text
    (person,) = [json.loads(c) for a, c in pages["people/li-si/"].scripts if a.get("type") == "application/ld+json"]
    assert person["@type"] == "Person" and person["affiliation"]["name"] == "国家游泳队运动员"
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert [i["date_published"] for i in feed["items"]] == ["2024-03-05T00:00:00+08:00", "2020-12-31T00:00:00+08:00"]
    broken = [(url, link) for url, page in pages.items() for link in page.links
              if "://" not in link and (link.partition("#")[0] not in pages
                                        and not (site / link.partition("#")[0]).is_file()
                                        or "#" in link and link.partition("#")[0] in pages
                                        and link.partition("#")[2] not in pages[link.partition("#")[0]].ids)]
    assert broken == []
