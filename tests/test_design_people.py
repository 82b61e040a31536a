"""The people and campaign pages in the showcase design (issue 13), in a real browser: the people
and campaigns lists are tap targets of at least 44 px, a person's page is a profile (monogram or
portrait, kind chip, honours as the timeline, campaigns joined as cards), a campaign page has its
period and counts as chips and its participants' names whole at 360 px; axe finds nothing on these
pages, light and dark, phone and desktop, with and without photos."""

from __future__ import annotations

import pytest
from photokit import add_campaign_photos, photo_record, save_photo
from test_accessibility import _axe_js
from test_design import PHONE, _open

from showcase.dataset import load_dataset
from showcase.graph import build_graph
from showcase.pages import people_sections
from sitekit import ROOT, build_site, rich_base, write_data
from test_browser import _serve

PERSON = "people/song-tingting/"
CAMPAIGN = "activities/c3-new-ethos/"


def test_the_people_index_lists_each_kind_by_name_with_its_unit_and_honours():
    dataset, report = load_dataset(str(ROOT / "data"))
    assert not report, report.format()
    sections = people_sections(build_graph(dataset))
    assert [kind for kind, _, _ in sections] == [k for k in ("person", "group") if any(
        p.kind == k for p in dataset.units.people)]
    for _, _, rows in sections:
        assert [r.person.name for r in rows] == sorted(r.person.name for r in rows)
    song = next(r for _, _, rows in sections for r in rows if r.person.id == "song-tingting")
    assert song.meta == "快手科技有限公司 · 1 项荣誉"


@pytest.fixture(scope="module")
def site(real_build):
    server, base = _serve(real_build[0])
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    """The rich test dataset with a cover and a gallery on its first campaign, in which 李四
    (li-si, a person without a unit) takes part, and a portrait of 李四."""
    folder = tmp_path_factory.mktemp("people-photos")
    units, activities = rich_base()
    activity = add_campaign_photos(units, activities, folder / "data", gallery=6)
    save_photo(folder / "data/media/test/li-si.jpg", 900, 1200, seed=3)
    next(p for p in units["people"] if p["id"] == "li-si")["portrait"] = \
        photo_record("media/test/li-si.jpg", "李四的肖像")
    write_data(folder / "data", units, activities)
    server, base = _serve(build_site(folder / "project", folder / "data"))
    yield base, activity["id"]
    server.shutdown()


def _short_targets(page) -> list:
    found = page.evaluate("""[...document.querySelectorAll(
        '.md-content .sc-row, .md-content .sc-card, .md-content a.sc-chip--link')]
        .filter(e => e.offsetParent).map(e => [e.textContent.trim().slice(0, 20), e.getBoundingClientRect().height])""")
    assert found
    return [h for h in found if h[1] < 44]


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("path", ["people/", "activities/", PERSON])
def test_people_and_campaign_lists_are_tap_targets_of_44_px(browser, site, path, width):
    context, page = _open(browser, site + path, {"width": width, "height": 900})
    try:
        assert _short_targets(page) == []
        if path != PERSON:
            rows = page.locator(".md-content .sc-row").count()
            assert rows >= (3 if path == "people/" else 4)
    finally:
        context.close()


@pytest.mark.browser
def test_a_person_page_is_a_profile_with_its_honours_on_the_timeline(browser, site):
    context, page = _open(browser, site + PERSON)
    try:
        head = page.locator(".sc-profile-head")
        assert head.locator("h1").inner_text().strip() == "宋婷婷"
        assert head.locator(".sc-monogram").inner_text() == "宋"
        assert head.locator(".sc-chip").inner_text() == "个人"
        assert page.locator(".sc-meta a", has_text="快手科技有限公司").is_visible()
        items = page.locator(".sc-timeline__item")
        assert items.count() == 1 and items.first.is_visible()
        assert page.locator(".sc-timeline__year").first.inner_text() == "2020"
        assert "候选" in page.locator(".sc-timeline__meta").first.inner_text()
        # nothing recorded, nothing shown: no empty 参与的活动 heading in public
        assert page.locator("h2#activities").count() == 0 and page.locator(".sc-empty").count() == 0
    finally:
        context.close()


@pytest.mark.browser
def test_a_campaign_page_shows_its_period_and_counts_and_keeps_names_whole_on_a_phone(browser, site):
    context, page = _open(browser, site + CAMPAIGN)
    try:
        chips = page.locator(".sc-page-head__chips").inner_text()
        assert "2020年" in chips and "4 项行动" in chips
        assert [t.strip(". \n") for t in page.locator(".sc-action__n").all_inner_texts()] == ["1", "2", "3", "4"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # every participant's name on one line (a name never breaks inside)
        lines = page.evaluate("""[...document.querySelectorAll('.sc-action td:first-child a')].map(a =>
            [a.textContent, a.getClientRects().length])""")
        assert lines and [n for n, count in lines if count != 1] == []
    finally:
        context.close()


@pytest.mark.browser
def test_a_campaign_with_photos_has_its_cover_under_the_title_and_its_gallery(browser, photo_site):
    base, activity = photo_site
    context, page = _open(browser, f"{base}activities/{activity}/")
    try:
        title = page.locator("h1").bounding_box()
        cover = page.locator(".sc-photo--cover img").bounding_box()
        assert cover["y"] > title["y"] and cover["y"] < PHONE["height"]
        assert page.locator(".sc-page-head__chips a[href='#photos']").inner_text() == "活动图片 6"
        assert page.locator("#photos ~ .sc-gallery li").count() == 6
        # one credit for the gallery when all photos share it and its date
        assert page.locator(".sc-gallery__credit").inner_text().startswith("图片：")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1366])
def test_a_person_page_with_a_portrait_and_a_campaign_joined(browser, photo_site, width):
    base, activity = photo_site
    context, page = _open(browser, f"{base}people/li-si/", {"width": width, "height": 900})
    try:
        head = page.locator(".sc-profile-head")
        assert head.locator(".sc-photo--portrait img").is_visible() and head.locator(".sc-monogram").count() == 0
        portrait, title = head.locator("img").bounding_box(), head.locator("h1").bounding_box()
        assert portrait["x"] + portrait["width"] <= title["x"]  # beside the name, not above it
        card = page.locator(f".sc-joined a.sc-card[href$='activities/{activity}/']")
        assert card.is_visible() and card.locator("img").count() == 1
        assert page.locator(".sc-joined__actions .sc-row").count() == 1
        assert page.locator(".sc-timeline__item").count() == 1
        assert _short_targets(page) == []
    finally:
        context.close()


def _axe(page) -> list:
    page.add_script_tag(path=_axe_js())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("path", [PERSON, "people/chen-wei/", "people/", "activities/", CAMPAIGN])
def test_no_axe_violation_on_people_and_campaign_pages(browser, site, path, scheme, width):
    context, page = _open(browser, site + path, {"width": width, "height": 900}, scheme)
    try:
        found = _axe(page)
        assert found == [], f"/{path} ({scheme}, {width}px): {found}"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("path", ["activities/", "campaign", "people/li-si/", "people/"])
def test_no_axe_violation_with_photos(browser, photo_site, path, scheme, width):
    base, activity = photo_site
    url = f"{base}activities/{activity}/" if path == "campaign" else base + path
    context, page = _open(browser, url, {"width": width, "height": 900}, scheme)
    try:
        found = _axe(page)
        assert found == [], f"{url} ({scheme}, {width}px): {found}"
    finally:
        context.close()
