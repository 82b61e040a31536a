"""Generated pages: data in, (path, title, description, HTML) out. No MkDocs import.

The HTML comes from Jinja templates in `overrides/showcase/` rendered with autoescape on:
that is the one escaping path for every string from the data. The page body never goes
through Markdown (Python-Markdown sanitises nothing and would turn `[x](javascript:…)` or
`{: onclick=… }` typed by an editor into markup); the MkDocs glue swaps it in after
Markdown has run on an empty stub.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import charts, dates
from .graph import Graph, HonourEntry
from .incremental import Reuse
from .models import (
    BASIS_LABELS,
    HONOUR_STATUS,
    LEVEL_LABELS,
    QUALIFIERS,
    SOURCE_KINDS,
    Figure,
    Period,
    Sourced,
)
from .opendata import EXPORTS
from .photos import DENSE_SCREEN, PhotoView
from .reference import reference
from .schema import DATA_FILES

LEVEL_ORDER = ["national", "municipal", "district"]
MEMBERSHIP_LABELS = {"stated": "成员单位", "inferred": "成员单位（推断）", "unknown": "成员身份不明"}
PERSON_KINDS = {"person": "个人", "group": "集体"}
GROUP_LABELS = {"district": "区属单位", "resident": "驻区单位", "none": "其他"}
FIELD_LABELS = {
    "category": "类别", "membership": "成员身份", "full_name": "全称", "aliases": "别名",
    "parent": "上级单位", "titles": "职务", "date": "时间", "grade": "等级", "affiliation": "所在单位或身份", "level": "级别",
    "awarded_by": "评选机构", "period": "时间", "label": "说明", "value": "数值", "name": "名称",
    "held_by": "担任者", "count": "人数", "role": "角色", "summary": "简介", "status": "状态",
    "unit": "所在单位", "kind": "类型", "grades": "等级", "names": "名单",
}


@dataclass(frozen=True)
class Page:
    path: str                 # docs-relative source path: "units/pku.md"
    title: str                # plain text; escaped by whoever prints it
    description: str          # plain text
    html: str                 # the body, safe HTML
    in_nav: bool = False
    toc: tuple[tuple[int, str, str], ...] = ()  # (level, anchor, heading as safe HTML)
    record: tuple[str, int] | None = None        # (data file, line) of the record the page shows
    image: PhotoView | None = None               # the page's own photo: its share card (og:image)
    lead: PhotoView | None = None                # the large photo at the top: fetched first (preload)
    searchable: bool = True                      # False: left out of the public search (staff pages)

    @property
    def url(self) -> str:
        return page_url(self.path)


def page_url(path: str) -> str:
    """"units/pku.md" → "units/pku/"; "index.md" → "" (directory URLs, as MkDocs makes them)."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def relative_url(target: str, from_url: str) -> str:
    """Link from the page at `from_url` to `target` (both site-relative, "units/pku/#x").

    Up to the site root, then down: not always the shortest path, but correct for every pair
    of directory URLs and cheap (posixpath.relpath cost seconds across 5,000 pages)."""
    target_path, hash_, anchor = target.partition("#")
    if target_path == from_url:
        return f"#{anchor}" if hash_ else "./"
    up = "../" * from_url.count("/")
    return (up + target_path or "./") + hash_ + anchor


class Notes:
    """The footnotes of one page: each inferred fact gets a numbered mark that
    links to its reason in the page's 来源与依据 section."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str, str, str]] = []  # (n, kind, what, reason)

    def mark(self, record: Sourced, field_name: str | None = None, what: str = "") -> Markup:
        if field_name is not None:
            reason, kind = record.inferred.get(field_name), "inferred"
            what = what or FIELD_LABELS.get(field_name, field_name)
        elif record.basis != "stated":
            reason, kind = record.note, record.basis
            what = what or "本条记录"
        else:
            return Markup("")
        if not reason:
            return Markup("")
        n = len(self.items) + 1
        self.items.append((n, kind, what, reason))
        label = "推"
        tip, aria = escape(f"{BASIS_LABELS[kind]}：{reason}"), escape(f"{BASIS_LABELS[kind]}，见注 {n}")
        # The visible "推1" starts the link's accessible name (WCAG 2.5.3, label in name: a
        # voice-control user says what they see); the rest is read out but not shown.
        return Markup(
            f'<sup class="sc-mark sc-mark--{kind}" id="mark-{n}"><a href="#basis-{n}" title="{tip}">{label}{n}'
            f'<span class="sc-sr-only" data-search-exclude>（{aria}）</span></a></sup>'
        )


# Small pieces every page repeats, as Python. Every value goes through `escape` (markupsafe's,
# in C; Markup.format runs string.Formatter in Python and cost a third of the render time).

def paragraphs(text: str) -> Markup:
    return Markup("".join(f"<p>{escape(p.strip())}</p>\n" for p in text.split("\n\n") if p.strip()))


def honour_badge(type_, url) -> Markup:
    href = escape(url(f"honours/#type-{type_.id}"))
    return Markup(f'<a class="sc-honour sc-honour--{escape(type_.level)}" href="{href}">{escape(type_.name)}</a>')


def recipient(entry: HonourEntry, url) -> Markup:
    """The recipient's link; for a person, their unit's link (or affiliation) after it."""
    link = f'<a href="{escape(url(entry.recipient_path))}">{escape(entry.recipient_name)}</a>'
    if entry.person is None:
        return Markup(link)
    if entry.unit is not None:
        return Markup(f'{link}（<a href="{escape(url(f"units/{entry.unit.id}/"))}">{escape(entry.unit.name)}</a>）')
    if entry.person.affiliation:
        return Markup(f"{link}（{escape(entry.person.affiliation)}）")
    return Markup(link)


def format_number(value: int | float) -> str:
    if isinstance(value, int) and value >= 10000 and value % 10000 == 0:
        return f"{value // 10000}万"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def format_figure(figure: Figure) -> str:
    """近300条, 约1万人, 超过1000小时 — 40余家, 90余万人, 100多个: the qualifier stands where
    `QUALIFIERS` says, one that follows the number between its digits and 万."""
    number, unit = format_number(figure.value), figure.unit or ""
    qualifier = figure.qualifier or ""
    if qualifier and QUALIFIERS[qualifier] == "after":
        digits, wan = (number[:-1], "万") if number.endswith("万") else (number, "")
        return f"{digits}{qualifier}{wan}{unit}"
    return f"{qualifier}{number}{unit}"


def period_chinese(period: Period | None) -> str:
    return dates.span_chinese(period.start, period.end) if period else ""


@dataclass
class Renderer:
    """Renders every generated page of one build."""

    graph: Graph
    templates_dir: str
    env: Environment = field(init=False)

    def __post_init__(self) -> None:
        self.env = Environment(
            loader=FileSystemLoader(self.templates_dir),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            extensions=["jinja2.ext.do"],
        )
        self.env.filters["number"] = format_number
        self.env.filters["figure"] = format_figure
        self.env.filters["paragraphs"] = paragraphs
        self.env.filters["filesize"] = filesize
        self.env.filters["cn_date"] = dates.chinese
        self.env.filters["cn_period"] = period_chinese
        self.env.filters["photo_view"] = lambda photo, graph, use: graph.photo(photo, use)
        self.env.filters["srcset_entry"] = lambda variant, url: f"{url(variant[0])} {variant[1]}w"
        self.env.globals["DENSE_SCREEN"] = DENSE_SCREEN
        self.env.globals.update(honour_badge=honour_badge, recipient=recipient)
        self.env.globals.update(
            LEVEL_LABELS=LEVEL_LABELS, BASIS_LABELS=BASIS_LABELS, HONOUR_STATUS=HONOUR_STATUS,
            MEMBERSHIP_LABELS=MEMBERSHIP_LABELS, GROUP_LABELS=GROUP_LABELS, LEVEL_ORDER=LEVEL_ORDER,
            SOURCE_KINDS=SOURCE_KINDS, PERSON_KINDS=PERSON_KINDS,
        )

    def render(self, template: str, path: str, title: str, description: str, *,
               in_nav: bool = False, record: tuple[str, int] | None = None,
               image: PhotoView | None = None, lead: PhotoView | None = None,
               searchable: bool = True, **context) -> Page:
        url = page_url(path)
        notes = Notes()
        body = self.env.get_template(template).render(
            g=self.graph, notes=notes, title=title, sources=self.sources(),
            url=lambda target: relative_url(target, url), **context,
        )
        return Page(path, title, description, body, in_nav, tuple(_toc(body)), record, image, lead,
                    searchable)

    def sources(self) -> dict:
        return self.graph.sources


_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
_ASIDE = re.compile(r'<sup class="sc-mark.*?</sup>|<span class="sc-count-note">.*?</span>', re.S)


def _toc(body: str):
    for level, anchor, inner in _HEADING.findall(body):
        text = _TAG.sub("", _ASIDE.sub("", inner))  # the heading's text, still escaped
        yield int(level), html.unescape(anchor), text.strip()


def _summary(*parts: str | None, limit: int = 150) -> str:
    text = " ".join(p.strip() for p in parts if p)
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def honour_highlights(graph: Graph, limit: int = 12) -> list:
    """The home page's few honours: national first, then municipal, district; newest first.
    A fixed number, so the home page stays light whatever the size of the roll."""
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    awarded = [e for e in graph.honours if e.status != "designated"]
    awarded.sort(key=lambda e: (rank[e.type.level], tuple(-k for k in dates.sort_key(e.date))))
    return awarded[:limit]


def report_years(graph: Graph) -> list[int]:
    """Years with a work report (a source of kind work-report dated in that year), newest first:
    only these get a report page; a year of news has its 当年动态 on the report index."""
    return list(graph.report_sources)


def snapshot_history(graph: Graph) -> list[str]:
    """“2020年：137 家” for each snapshot with a member total, oldest first."""
    return [f"{view.date_chinese}：{view.total} 家" for view in graph.snapshots if view.total is not None]


def error_page() -> Page:
    """The home page of a preview started on invalid data: the problems show in the banner
    every page carries (overrides/main.html); this page says what to do."""
    body = ("<h1>数据文件有问题</h1><p>预览尚未生成：请按页面顶部列出的问题修改 "
            "<code>data/units.yaml</code> 或 <code>data/activities.yaml</code>，保存后本页会自动刷新。</p>")
    return Page("index.md", "数据文件有问题", "数据文件有问题，预览尚未生成。", body, in_nav=True)


LICENCE = ("本站整理的结构化数据可自由使用、转载和再加工，请注明出处“海淀区文明委 · 文明风采”；"
           "数据所依据的原始材料的权利归原作者所有。")


def filesize(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def generate_pages(graph: Graph, templates_dir: str, *, reuse: Reuse | None = None,
                   downloads: dict[str, int] | None = None, updated: str | None = None) -> list[Page]:
    """Every generated page of the site, index pages first.

    With `reuse` (the preview, after an edit), pages that the edit cannot have changed are taken
    from the previous build instead of being rendered again."""
    r = Renderer(graph, templates_dir)
    committee = graph.dataset.units.committee
    history = snapshot_history(graph)

    def index(path: str, render: Callable[[], Page]) -> Page:
        """An index page: kept from the previous build when the edit touched nothing any index
        page shows (a unit's summary, say), else rendered. At 5,000 units these pages are
        most of the render time of an edit."""
        if reuse and reuse.index_pages_valid and path in reuse.previous_pages:
            return reuse.previous_pages[path]
        return render()

    sectioned = [a for a in graph.activities if a.section]
    undated_sections = {a.id for a in sectioned}
    pages = [
        index("index.md", lambda: r.render(
            "home.html", "index.md", committee.name, _summary(committee.slogan, committee.summary),
            in_nav=True, latest=graph.activities[:4], highlights=honour_highlights(graph), history=history)),
        index("units/index.md", lambda: r.render(
            "units_index.html", "units/index.md", "成员单位",
            f"{committee.name}成员单位：按类别列出，含来源所述的成员数。", in_nav=True, history=history)),
        index("activities/index.md", lambda: r.render(
            "activities_index.html", "activities/index.md", "共建活动",
            f"{committee.name}成员单位共同开展的活动，按工作材料章节和时间排列。", in_nav=True,
            sectioned=sectioned, by_date=[a for a in graph.activities if a.id not in undated_sections],
            years=sorted(graph.activities_by_year, reverse=True))),
        index("honours/index.md", lambda: r.render(
            "honours.html", "honours/index.md", "荣誉榜",
            f"{committee.name}成员单位、人物与集体获得的荣誉，按级别、类型、等级和时间排列。", in_nav=True)),
        index("people/index.md", lambda: r.render(
            "people_index.html", "people/index.md", "人物与集体",
            f"{committee.name}收录的人物与集体：所在单位、荣誉与参与的活动。", in_nav=True,
            people=sorted(graph.people.values(), key=lambda p: (p.kind, p.name)))),
        index("contribute/reference.md", lambda: r.render(
            "reference.html", "contribute/reference.md", "字段参考",
            "data/units.yaml 与 data/activities.yaml 的全部字段：写法、是否必填、说明。", in_nav=True,
            searchable=False, files=reference(DATA_FILES))),
        index("stats/index.md", lambda: r.render(
            "stats.html", "stats/index.md", "数据统计", "单位类别、荣誉级别与年度、活动参与情况的统计图表。",
            in_nav=True, charts=charts.site_charts(graph))),
    ]
    if downloads is not None:  # file sizes change with any edit: always rendered
        pages.append(r.render("opendata.html", "data/index.md", "开放数据",
                              "下载本站全部数据：JSON、CSV 与 JSON Schema。", in_nav=True,
                              exports=[e for e in EXPORTS if e.path in downloads], sizes=downloads,
                              licence=LICENCE, updated=updated))
    years = report_years(graph)
    pages.append(index("report/index.md", lambda: r.render(
        "report_index.html", "report/index.md", "年度报告",
        f"{committee.name}各年度的工作材料与当年动态。", in_nav=True, years=years, news=graph.year_news)))
    for year in years:
        pages.append(index(f"report/{year}.md", lambda year=year: r.render(
            "report.html", f"report/{year}.md", f"{committee.name}{year}年工作情况",
            f"{committee.name}{year}年工作情况：所依据的工作材料、当年概况、主要做法与荣誉。",
            year=year, reports=graph.report_sources[year], snapshot=graph.snapshot_for(year),
            activities=graph.activities_by_year.get(year, []), honours=graph.honours_by_year.get(year, []),
            news=graph.year_news.get(year, []))))
    dataset = graph.dataset
    # One page per record, each kind declared once: (folder, data file, list, records, template,
    # description, extra context, its share photo, the large photo at its top). A page the edit left
    # valid is reused with its record's line.
    record_kinds = (
        ("units", "units", dataset.units.units, "unit.html",
         lambda u: _summary(u.summary) or f"{u.name}：{graph.categories[u.category].name}",
         lambda u: {"unit": u}, lambda u: graph.photo(u.photo, "photo") or graph.photo(u.logo, "logo"),
         lambda u: graph.photo(u.photo, "photo")),
        ("people", "units", dataset.units.people, "person.html",
         lambda p: _summary(p.summary) or f"{p.name}：{PERSON_KINDS[p.kind]}",
         lambda p: {"person": p, "unit": graph.units.get(p.unit) if p.unit else None},
         lambda p: graph.photo(p.portrait, "portrait"), lambda p: graph.photo(p.portrait, "portrait")),
        ("activities", "activities", dataset.activities.activities, "activity.html",
         lambda a: _summary(a.summary) or a.title, lambda a: {"activity": a},
         lambda a: graph.photo(a.cover or next(iter(a.photos), None), "cover"),
         lambda a: graph.photo(a.cover, "cover")),
    )
    for folder, file, records, template, describe, context, image, lead in record_kinds:
        for i, item in enumerate(records):
            path, record = f"{folder}/{item.id}.md", dataset.where(file, (folder, i))
            if reuse and (kept := reuse.page(path, folder, item.id)):
                pages.append(replace(kept, record=record))  # lines move when records above change
                continue
            title = getattr(item, "name", None) or item.title
            pages.append(r.render(template, path, title, describe(item), record=record, image=image(item),
                                  lead=lead(item), **context(item)))
    return pages
