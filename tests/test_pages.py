"""Page generation without MkDocs: URLs, relative links, footnotes, table of contents."""

from __future__ import annotations

from pathlib import Path

import pytest

from showcase.dataset import load_dataset
from showcase.graph import build_graph
from showcase.models import QUALIFIERS, Figure
from showcase.pages import Build, format_figure, format_number, generate_pages, page_url, relative_url
from sitekit import FIGURE_FORMS, ROLL_SIZE, v2_showcase, write_data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pages():
    """The real data's pages in the editorial view, which shows the marks and reasons."""
    dataset, report = load_dataset(str(ROOT / "data"))
    assert not report
    pages = generate_pages(build_graph(dataset), str(ROOT / "overrides" / "showcase"), build=Build("editorial"))
    return {p.path: p for p in pages}, dataset


@pytest.mark.parametrize("path,url", [("index.md", ""), ("units/index.md", "units/"), ("units/pku.md", "units/pku/")])
def test_page_url(path, url):
    assert page_url(path) == url


@pytest.mark.parametrize("target,origin,expected", [
    ("units/pku/", "activities/x/", "../../units/pku/"),
    ("units/#category-military", "units/pku/", "../../units/#category-military"),
    ("units/pku/", "", "units/pku/"),
    ("", "units/", "../"),
    ("units/pku/#person-a", "units/pku/", "#person-a"),
    ("units/pku/", "units/pku/", "./"),
])
def test_relative_url(target, origin, expected):
    assert relative_url(target, origin) == expected


def test_numbers_read_the_chinese_way():
    assert [format_number(n) for n in (100000, 10000, 300, 1.5, 2.0)] == ["10万", "1万", "300", "1.5", "2"]


def test_one_page_per_record_and_index_pages_in_nav(pages):
    by_path, dataset = pages
    assert {p for p, page in by_path.items() if page.in_nav} == {
        "index.md", "units/index.md", "activities/index.md", "honours/index.md", "people/index.md",
        "stats/index.md", "contribute/reference.md", "report/index.md"}
    records = {path for path in by_path if path.count("/") == 1 and not path.endswith("/index.md")
               and path.split("/")[0] in ("units", "activities", "people")}
    assert records == {f"units/{u.id}.md" for u in dataset.units.units} | {
        f"activities/{a.id}.md" for a in dataset.activities.activities} | {
        f"people/{p.id}.md" for p in dataset.units.people}


def test_inferred_facts_carry_a_mark_that_links_to_the_reason(pages):
    by_path, dataset = pages
    unit = next(u for u in dataset.units.units if "category" in u.inferred)
    html = by_path[f"units/{unit.id}.md"].html
    assert 'href="#basis-1"' in html and 'id="basis-1"' in html
    assert unit.inferred["category"] in html


def test_public_view_states_the_inferred_fact_without_its_mark_or_reason(pages):
    by_path, dataset = pages
    unit = next(u for u in dataset.units.units if "category" in u.inferred)
    public = {p.path: p for p in generate_pages(build_graph(dataset), str(ROOT / "overrides" / "showcase"))}
    html = public[f"units/{unit.id}.md"].html
    assert dataset_category_name(dataset, unit.category) in html
    assert "basis-1" not in html and unit.inferred["category"] not in html and "推" not in html


def test_toc_lists_actions_without_marks(pages):
    by_path, dataset = pages
    activity = dataset.activities.activities[0]
    toc = by_path[f"activities/{activity.id}.md"].toc
    assert [(lvl, anchor) for lvl, anchor, _ in toc if lvl == 2][0] == (2, activity.actions[0].id)
    assert all("推" not in text for _, _, text in toc)


def dataset_category_name(dataset, category_id: str) -> str:
    return next(c.name for c in dataset.units.categories if c.id == category_id)


# -- v2 facts on the pages -------------------------------------------------------------------

@pytest.mark.parametrize("qualifier,value,unit,shown", FIGURE_FORMS)
def test_every_qualifier_stands_where_chinese_puts_it(qualifier, value, unit, shown):
    figure = Figure(label="数字", value=value, unit=unit, qualifier=qualifier, basis="stated")
    assert format_figure(figure) == shown


def test_the_figure_forms_cover_every_qualifier():
    assert {q for q, *_ in FIGURE_FORMS} == set(QUALIFIERS)


@pytest.fixture(scope="module")
def v2(tmp_path_factory):
    units, activities = v2_showcase()
    folder = write_data(tmp_path_factory.mktemp("v2") / "data", units, activities)
    dataset, report = load_dataset(str(folder))
    assert not report, report.format()
    graph = build_graph(dataset)
    return {p.path: p for p in generate_pages(graph, str(ROOT / "overrides" / "showcase"))}, graph


def _text(page) -> str:
    import html
    import re

    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.html)))


def test_people_have_pages_with_honours_unit_and_campaigns(v2):
    pages, _ = v2
    li_si = _text(pages["people/li-si.md"])
    assert "所在单位或身份：国家游泳队运动员" in li_si
    assert "北京榜样 月榜 北京市 · 2021年 · 获得" in li_si  # the timeline: badge, grade; level, date, status
    assert "游泳公益课" in li_si and "2024年3月5日" in li_si
    zhang = pages["people/zhang-san.md"].html
    assert 'href="../../units/alpha-univ/"' in zhang and "年榜人物" in zhang
    unit = pages["units/alpha-univ.md"].html
    assert 'href="../../people/zhang-san/"' in unit and "#person-" not in unit
    index = _text(pages["people/index.md"])
    assert all(name in index for name in ("张三", "李四", "蓝天救援队"))


def test_dates_show_in_chinese_and_activities_newest_first(v2):
    pages, graph = v2
    activity = _text(pages["activities/xueleifeng-2024.md"])
    assert "2024年3月2日—5日" in activity and "工作材料章节" not in activity
    assert [a.id for a in graph.activities] == ["xueleifeng-2024", "clean-plate"]
    index = _text(pages["activities/index.md"])
    assert index.index("按报告章节 二（一） 光盘行动") < index.index("按时间 学雷锋志愿服务日 2024年3月2日—5日")


def test_latest_snapshot_and_history_on_home_and_units_index(v2):
    pages, graph = v2
    assert graph.latest.snapshot.date == "2022-06"
    assert graph.snapshot_for(2021).total == 111 and graph.snapshot_for(2019) is None
    assert graph.snapshot_for(2030).total == 120
    for path in ("index.md", "units/index.md"):
        text = _text(pages[path])
        assert "120" in text and "2020年：137 家；2021年：111 家；2022年6月：120 家" in text
    assert "高校 16 家" in _text(pages["units/index.md"])


def test_honours_group_by_type_grade_date_and_rolls_list_every_name(v2):
    pages, graph = v2
    html = pages["honours/index.md"].html
    text = _text(pages["honours/index.md"])
    assert text.index("北京榜样 · 年榜人物 · 2024年3月") < text.index("北京榜样 · 年度特别奖 · 2024年3月") \
        < text.index("北京榜样 · 月榜 · 2021年")
    assert "2024年度北京榜样月榜" in text and f"共 {ROLL_SIZE} 个名字" in text
    assert "候选人3" in text and f"候选人{ROLL_SIZE}" in text
    assert 'href="../people/rescue-team/">蓝天救援队</a>' in html  # matched: linked
    assert 'href="../units/beta-office/">乙办公室</a>' in html
    assert "<li id=\"roll-role-model-2024-3\">候选人3</li>" in html  # unmatched: plain text
    assert "2024年度北京榜样名单" in text  # the roll's source
    # a matched roll entry is that record's honour
    assert [e.roll.id for e in graph.honours_by_person["rescue-team"]] == ["role-model-2024"]
    assert "北京榜样 月榜 北京市 · 2024年12月" in _text(pages["people/rescue-team.md"])


def test_reports_only_for_work_reports_and_other_sources_as_year_news(v2):
    pages, _ = v2
    assert {p for p in pages if p.startswith("report/")} == {"report/index.md", "report/2020.md", "report/2022.md"}
    report = _text(pages["report/2022.md"])
    assert "区文明办报送的《2022年工作总结》" in report
    assert "共有成员单位 120 家" in report and "主要做法" not in report  # no activities in 2022
    report_2020 = _text(pages["report/2020.md"])
    assert "海淀区委宣传部报送的《2020年工作情况》" in report_2020 and "共有成员单位 137 家" in report_2020
    assert "光盘行动" in report_2020 and "主要做法" in report_2020
    index = _text(pages["report/index.md"])
    assert "当年动态" in index and "学雷锋志愿服务日活动举行 新闻报道 北京青年报，2024年3月2日" in index
    assert "相关活动： 学雷锋志愿服务日" in index
    assert 'href="https://www.example.cn/news/2024-03-02"' in pages["report/index.md"].html
