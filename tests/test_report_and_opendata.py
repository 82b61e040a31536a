"""The annual report page, open data, structured data and feeds of the real site."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from showcase.models import ActivitiesFile, UnitsFile
from sitekit import ROOT

REPORT = (ROOT / "data" / "sources" / "report-2020-simplified.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(real_build):
    return real_build


def _report_html(site: Path) -> str:
    return (site / "report" / "2020" / "index.html").read_text(encoding="utf-8")


def test_report_links_every_action_of_the_report(built):
    site, pages, dataset = built
    html = _report_html(site)
    actions = [(a, x) for a in dataset.activities.activities for x in a.actions]
    assert actions, "the real data has campaigns with actions"
    linked = re.findall(r'<a class="sc-report-action" href="([^"]+)">([^<]+)</a>', html)
    assert [title for _, title in linked] == [x.title for _, x in actions]
    assert all(f"activities/{a.id}/#{x.id}" in href for (a, x), (href, _) in zip(actions, linked, strict=True))


def test_report_links_every_figure_of_the_report(built):
    site, _, dataset = built
    html = _report_html(site)
    linked = re.findall(r'<a class="sc-report-figure" href="[^"]+">([^<]+)</a>', html)
    (snapshot,) = [s for s in dataset.units.committee.snapshots if str(s.date).startswith("2020")]
    figures = [x for a in dataset.activities.activities for x in a.actions for x in (*x.figures,)]
    counts = [x.participant_count for a in dataset.activities.activities for x in a.actions if x.participant_count]
    # the 2020 snapshot: directors, deputies, the total, each group, each category count, its figures;
    # then every figure and stated participant count of the actions
    assert len(linked) == 3 + len(snapshot.groups) + len(snapshot.category_counts) + len(snapshot.figures) \
        + len(figures) + len(counts)
    # Every number the report writes in digits is on the page as a link, in the report's form.
    in_report = set(re.findall(r"\d+(?:万)?(?=[家名条所辆天])", REPORT)) - {"2020"}
    shown = {re.sub(r"^[近约]", "", text).rstrip("家名条所辆天个项") for text in linked}
    assert in_report - shown == set(), f"numbers of the report not linked: {in_report - shown}"


def test_report_page_for_every_year_and_an_index(built):
    _, pages, _ = built
    assert "report/2020/" in pages and "report/2020/" in pages["report/"].links
    assert [u for u in pages if u.startswith("report/") and u != "report/"] == ["report/2020/"]
    # whose report it is, from the source, not an invented sentence
    assert "本页依据海淀区委宣传部报送的《海淀区文明委2020年工作情况（经验材料）》整理" in pages["report/2020/"].text


def test_open_data_round_trips_to_the_same_records(built):
    site, _, dataset = built
    units = UnitsFile.model_validate(json.loads((site / "data" / "units.json").read_text(encoding="utf-8")))
    activities = ActivitiesFile.model_validate(
        json.loads((site / "data" / "activities.json").read_text(encoding="utf-8")))
    assert units == dataset.units and activities == dataset.activities


def test_csv_tables_hold_every_record(built):
    site, _, dataset = built

    def rows(name):
        text = (site / "data" / name).read_text(encoding="utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    assert [r["id"] for r in rows("units.csv")] == [u.id for u in dataset.units.units]
    assert [r["id"] for r in rows("people.csv")] == [p.id for p in dataset.units.people]
    people = {r["id"]: r for r in rows("people.csv")}
    assert people["chen-wei"]["所在单位id"] == "ams" and people["chen-wei"]["荣誉数"] == "1"
    honours = rows("honours.csv")
    assert len(honours) == sum(len(u.honours) for u in dataset.units.units) + sum(
        len(p.honours) for p in dataset.units.people)
    assert {(r["获得者类型"], r["获得者id"]) for r in honours if r["获得者类型"] == "person"} == {
        ("person", p.id) for p in dataset.units.people if p.honours}
    assert all(r["时间"] and r["来源"] == "report-2020" for r in honours)
    participations = [(a.id, x.id, p.unit or p.person) for a in dataset.activities.activities for x in a.actions
                      for p in x.participants]
    assert [(r["活动id"], r["行动id"], r["参与者id"]) for r in rows("participations.csv")] == participations


def test_open_data_page_documents_the_files(built):
    _, pages, _ = built
    page = pages["data/"]
    for name in ("units.json", "activities.json", "units.csv", "people.csv", "honours.csv", "participations.csv",
                 "units.schema.json"):
        assert f"data/{name}" in page.links
    assert "许可" in page.text and "更新日期" in page.text
    # the field list is rendered from the one declaration of each export, which the files follow
    from showcase.opendata import EXPORTS

    site = built[0]
    for export in EXPORTS:
        assert export.path in page.links and export.description in page.text
        if export.columns:
            assert export.column_list in page.text
            header = (site / export.path).read_text(encoding="utf-8-sig").splitlines()[0]
            assert header == ",".join(c.header for c in export.columns)


def test_feeds_list_campaigns_newest_first(built):
    site, pages, dataset = built
    atom = ET.parse(site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.find("a:title", ns).text for e in atom.findall("a:entry", ns)]
    assert sorted(titles) == sorted(a.title for a in dataset.activities.activities)
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert [i["title"] for i in feed["items"]] == titles
    # dated at the last day the period can mean, not an invented "year-12-31" string
    assert {i["date_published"] for i in feed["items"]} == {"2020-12-31T00:00:00+08:00"}
    assert any(a == ("link", "type", "application/atom+xml") for a in
               [(t, n, v) for t, n, v in pages[""].attributes if n == "type"])


def _jsonld(page) -> list[dict]:
    return [json.loads(content) for attrs, content in page.scripts if attrs.get("type") == "application/ld+json"]


def test_record_pages_carry_json_ld_and_link_previews(built):
    _, pages, dataset = built
    for unit in dataset.units.units:
        page = pages[f"units/{unit.id}/"]
        (data,) = _jsonld(page)
        assert data["@type"] in ("Organization", "GovernmentOrganization") and data["name"] == unit.name
        assert page.meta["og:title"].startswith(unit.name)
        assert page.meta["description"]
    for activity in dataset.activities.activities:
        (data,) = _jsonld(pages[f"activities/{activity.id}/"])
        assert data["@type"] == "Event" and data["name"] == activity.title
    people = [p for d in (_jsonld(pages["units/ams/"])) for p in d.get("member", [])]
    assert people == [{"@id": "/people/chen-wei/#person", "name": "陈薇"}]
    for person in dataset.units.people:
        (data,) = _jsonld(pages[f"people/{person.id}/"])
        assert data["@type"] == "Person" and data["name"] == person.name
        assert data["url"] == f"/people/{person.id}/"
        awarded = [h for h in person.honours if h.status == "awarded"]
        assert len(data.get("award", [])) == len(awarded)
    assert _jsonld(pages["people/chen-wei/"])[0]["award"] == ["中国好人（2020年）"]
    (event,) = _jsonld(pages["activities/c1-platforms/"])
    assert event["startDate"] == "2020" and event["endDate"] == "2020"  # ISO 8601, of the data's precision


def test_json_ld_stays_json_with_hostile_values(hostile_build):
    site, pages, units, _, _ = hostile_build
    blocks = [b for page in pages.values() for b in _jsonld(page)]
    assert blocks, "no JSON-LD on the hostile site"
    names = {b.get("name") for b in blocks}
    assert units["units"][0]["name"] in names  # the value survives, exactly, as data
    raw = "".join((site / p).read_text(encoding="utf-8") for p in ("units/alpha-univ/index.html",))
    assert raw.count("</script>") == raw.count("<script")  # nothing closed a script early
    ET.parse(site / "feed.xml")  # still well-formed XML


def test_custom_404_page(built):
    site, pages, _ = built
    html = (site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in html
