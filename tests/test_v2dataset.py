"""The rich fictional data set of the second model (tests/v2dataset.py): it passes the check,
builds strictly, and its pages show each fact the issue of many sources asks for."""

from __future__ import annotations

import pytest
import v2dataset as ds

from showcase.dataset import load_dataset
from showcase.names import NameIndex, roll_lines
from sitekit import build_site, read_site


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return ds.write(tmp_path_factory.mktemp("v2data"))


@pytest.fixture(scope="module")
def dataset(data_dir):
    dataset, report = load_dataset(str(data_dir), display_dir="data")
    assert not report, report.format()
    return dataset


@pytest.fixture(scope="module")
def pages(data_dir, tmp_path_factory):
    return read_site(build_site(tmp_path_factory.mktemp("v2site"), data_dir))


# -- the data -------------------------------------------------------------------------------

def test_the_data_set_passes_make_check(dataset):
    units = dataset.units
    assert [s.kind for s in units.sources].count("news") == 1
    assert {s.date: s.membership.total for s in units.committee.snapshots} == {
        "2020": 137, "2021": 111, "2024-06": 120}
    assert next(p for p in units.people if p.id == ds.PERSON_WITHOUT_UNIT).unit is None
    assert next(p for p in units.people if p.id == ds.GROUP).kind == "group"


def test_the_roll_has_200_entries_of_which_ten_are_records_of_the_data_set(dataset):
    units = dataset.units
    index = NameIndex()
    for unit in units.units:
        index.add("units", unit.id, [unit.name, *unit.aliases])
    for person in units.people:
        index.add("people", person.id, [person.name])
    (roll,) = units.rolls
    entries = [entry for _, entry in roll_lines(roll.names)]
    assert entries == ds.roll_names()
    matched = {entry: index.match(entry) for entry in entries if index.match(entry)}
    assert len(matched) == len(ds.UNITS_IN_ROLL) + len(ds.PEOPLE_IN_ROLL)
    assert all(len(found) == 1 for found in matched.values())


# -- its pages (the site helper's pages for the second model) ---------------------------------

def _page(pages, url):
    assert url in pages, f"no page /{url}; pages: {sorted(pages)[:40]}"
    return pages[url]


def test_the_site_builds_strictly_with_a_page_per_person(pages):
    for person in ("test-person-1", "test-person-2", ds.PERSON_WITHOUT_UNIT, ds.GROUP):
        _page(pages, f"people/{person}/")
    people = _page(pages, "people/")
    assert "测试运动员甲" in people.text and "测试志愿服务队" in people.text


def test_the_roll_lists_its_200_entries_and_links_the_matched_ones(pages):
    shown = [page for page in pages.values() if "2024年度测试榜样年榜" in page.text]
    assert shown, "no page shows the roll"
    page = next((p for p in shown if p.url == "honours/"), shown[0])
    assert all(name in page.text for name in ds.roll_names())
    for n in ds.UNITS_IN_ROLL:
        assert f"units/test-unit-{n}/" in page.links, n
    assert {"people/test-person-1/", "people/test-person-2/"} <= set(page.links)
    off_the_roll = {f"units/test-unit-{n}/" for n in range(len(ds.UNITS_IN_ROLL) + 1, ds.UNIT_COUNT + 1)}
    assert not off_the_roll & set(page.links)  # a unit is linked because the roll names it, not otherwise


def test_a_person_without_a_member_unit_shows_the_affiliation(pages):
    page = _page(pages, f"people/{ds.PERSON_WITHOUT_UNIT}/")
    assert ds.AFFILIATION in page.text
    assert "测试榜样" in page.text and "年度特别奖" in page.text


def test_a_person_of_a_unit_links_the_unit_and_shows_the_grade_and_campaigns(pages):
    page = _page(pages, "people/test-person-1/")
    assert "units/test-unit-1/" in page.links
    assert "年榜人物" in page.text and "2024年12月" in page.text
    assert f"activities/{ds.CAMPAIGN}/" in page.links


def test_a_group_honour_is_shown_on_the_group_s_page(pages):
    page = _page(pages, f"people/{ds.GROUP}/")
    assert "测试志愿服务队" in page.text and "提名奖" in page.text
    assert f"activities/{ds.NEWS_ACTIVITY}/" in page.links


def test_a_unit_shows_its_website_and_graded_honour(pages):
    page = _page(pages, "units/test-unit-1/")
    assert "https://www.unit1.example.cn/" in page.links
    assert "测试文明单位" in page.text and "第二批" in page.text


def test_the_committee_history_shows_137_in_2020_and_111_in_2021(pages):
    facts = ("2020年", "137", "2021年", "111", "120")  # the history, and the latest (2024-06: 120)
    history = [p for p in pages.values() if not p.url.startswith("contribute/") and all(f in p.text for f in facts)]
    assert history, "no page shows the committee's latest snapshot with its history"
    assert "111" in _page(pages, "report/2021/").text  # a year's report shows that year's snapshot
    assert "137" in _page(pages, "report/2020/").text


def test_the_news_activity_of_one_day_shows_its_date_and_no_section(pages):
    page = _page(pages, f"activities/{ds.NEWS_ACTIVITY}/")
    assert "2024年3月2日" in page.text
    assert "章节" not in page.text and "二（" not in page.text


def test_figures_put_their_qualifier_where_chinese_puts_it(pages):
    news = _page(pages, f"activities/{ds.NEWS_ACTIVITY}/").text
    assert "40余家" in news and "100多个" in news and "近300人" in news
    assert "余40" not in news and "多100" not in news
    campaign = _page(pages, f"activities/{ds.CAMPAIGN}/").text
    assert "90余万人次" in campaign
    assert "2021年3月—5月" in campaign


def test_a_year_of_news_only_has_no_report_page_and_its_news_is_under_the_year_s_news(pages):
    assert "report/2024/" not in pages
    assert "report/2020/" in pages and "report/2021/" in pages
    report = _page(pages, "report/")
    assert "当年动态" in report.text and ds.NEWS_TITLE in report.text
