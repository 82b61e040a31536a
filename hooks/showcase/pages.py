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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import charts, dates
from .editorial import editorial_facts
from .graph import Graph, HonourEntry, Participation, newest_first, per_graph
from .incremental import Reuse
from .models import (
    BASIS_LABELS,
    HONOUR_STATUS,
    LEVEL_LABELS,
    QUALIFIERS,
    SOURCE_KINDS,
    Action,
    Activity,
    Figure,
    Period,
    Sourced,
    Unit,
    field_label,
)
from .opendata import EXPORTS
from .photos import DENSE_SCREEN, PhotoView
from .reference import reference
from .schema import DATA_FILES

LEVEL_ORDER = ["national", "municipal", "district"]
# How each view names a unit's membership. The public view claims what the data claims, and
# says nothing where the data says nothing; the editorial view shows the doubt.
MEMBERSHIP_LABELS = {
    "public": {"stated": "成员单位", "inferred": "成员单位", "unknown": ""},
    "editorial": {"stated": "成员单位", "inferred": "成员单位（推断）", "unknown": "成员身份不明"},
}
AUDIENCES = ("public", "editorial")
PERSON_KINDS = {"person": "个人", "group": "集体"}
GROUP_LABELS = {"district": "区属单位", "resident": "驻区单位", "none": "其他"}


@dataclass(frozen=True)
class PageSpec:
    """A generated page as planned, before its body is rendered: what MkDocs needs to register
    it and print its head. The body comes later, when MkDocs builds the page (`Renderer.page`),
    so a build never holds 20,000 bodies at once."""

    path: str                 # docs-relative source path: "units/pku.md"
    title: str                # plain text; escaped by whoever prints it
    description: str          # plain text
    in_nav: bool = False
    record: tuple[str, int] | None = None        # (data file, line) of the record the page shows
    image: PhotoView | None = None               # the page's own photo: its share card (og:image)
    lead: PhotoView | None = None                # the large photo at the top: fetched first (preload)
    searchable: bool = True                      # False: left out of the public search (staff pages)
    hide: tuple[str, ...] = ()                   # Material's page.meta.hide: "toc", "navigation"
    kind: str = ""                               # its PAGE_KINDS key ("" for the error page)
    item: object = field(default=None, compare=False, repr=False)  # the record (or year) it shows

    @property
    def url(self) -> str:
        return page_url(self.path)


@dataclass(frozen=True)
class Page(PageSpec):
    """A generated page with its body."""

    html: str = ""                                # the body, safe HTML
    toc: tuple[tuple[int, str, str], ...] = ()    # (level, anchor, heading as safe HTML)


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
    """The footnotes of one page in the editorial view: each inferred fact gets a numbered mark
    that links to its reason in the page's 来源与依据 section. The public view has no marks."""

    def __init__(self, editorial: bool) -> None:
        self.editorial = editorial
        self.items: list[tuple[int, str, str, str]] = []  # (n, kind, what, reason)

    def mark(self, record: Sourced, field_name: str | None = None, what: str = "") -> Markup:
        if not self.editorial:
            return Markup("")
        if field_name is not None:
            reason, kind = record.inferred.get(field_name), "inferred"
            what = what or field_label(type(record), field_name)
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


def participant_link(p, g: Graph, url) -> Markup:
    """A participant of an action (a models.Participant): the unit's or person's link."""
    if p.unit:
        return Markup(f'<a href="{escape(url(f"units/{p.unit}/"))}">{escape(g.units[p.unit].name)}</a>')
    return Markup(f'<a href="{escape(url(f"people/{p.person}/"))}">{escape(g.people[p.person].name)}</a>')


def participant_row(p, g: Graph, notes: Notes, url) -> Markup:
    """A row of an action's participant table: who (with their marks), their category or kind,
    their role (with its mark). A campaign page prints hundreds of these: as a macro they were
    most of its render time, and a rename re-renders every campaign the unit joined."""
    who = escape(g.categories[g.units[p.unit].category].name if p.unit else PERSON_KINDS[g.people[p.person].kind])
    link, mark = participant_link(p, g, url), notes.mark(p)
    return Markup(f"<tr><td>{link}{mark}</td><td>{who}</td><td>{escape(p.role or '—')}{notes.mark(p, 'role')}</td></tr>\n")


def joined_action_row(p: Participation, notes: Notes, url) -> Markup:
    """An action under a joined campaign's card on a unit's or person's page: the action's link
    with when and the role, then the participation's marks. Python for the same reason as
    participant_row: a new campaign re-renders the pages of all its participants."""
    href = escape(url(f"activities/{p.activity.id}/#{p.action.id}"))
    role = p.participant.role
    meta = escape(period_chinese(p.period) + (f"：{role}" if role else ""))
    marks = notes.mark(p.participant) + notes.mark(p.participant, "role")
    return Markup(f'<li><a class="sc-row" href="{href}"><span class="sc-row__title">{escape(p.action.title)}</span>'
                  f'<span class="sc-row__meta">{meta}</span></a>{marks}</li>\n')


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
    editorial: bool = False
    # the previous build's, under `serve`: its compiled templates are kept (Jinja recompiles a
    # template whose file changed); compiling all of them again cost a third of a small edit
    env: Environment | None = None

    def __post_init__(self) -> None:
        if self.env is not None and self.env.globals.get("EDITORIAL") == self.editorial:
            return
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
        self.env.globals.update(honour_badge=honour_badge, recipient=recipient, participant_link=participant_link,
                                participant_row=participant_row, joined_action_row=joined_action_row)
        self.env.globals.update(
            LEVEL_LABELS=LEVEL_LABELS, BASIS_LABELS=BASIS_LABELS, HONOUR_STATUS=HONOUR_STATUS,
            MEMBERSHIP_LABELS=MEMBERSHIP_LABELS["editorial" if self.editorial else "public"],
            EDITORIAL=self.editorial, GROUP_LABELS=GROUP_LABELS, LEVEL_ORDER=LEVEL_ORDER,
            SOURCE_KINDS=SOURCE_KINDS, PERSON_KINDS=PERSON_KINDS, SHOWN_MAX=SHOWN_MAX,
        )
        self.env.globals["shown_honours"] = lambda type_id, activity, limit=None: \
            shown_honours(self.graph, type_id, activity, limit)
        self.env.globals["honours_split"] = honours_split(self.graph)

    def page(self, spec: PageSpec, build: Build) -> Page:
        """The page of `spec` with its body, rendered from its kind's template and view model."""
        kind = PAGE_KINDS[spec.kind]
        url, notes, cites = spec.url, Notes(self.editorial), kind.cites(self.graph, spec.item)
        body = self.env.get_template(kind.template).render(
            g=self.graph, notes=notes, title=spec.title, sources=self.sources(), cites=cites,
            documents=cited_documents(self.graph, cites), url=lambda target: relative_url(target, url),
            **kind.view(self.graph, spec.item, build),
        )
        return Page(**{f.name: getattr(spec, f.name) for f in fields(PageSpec)}, html=body, toc=tuple(_toc(body)))

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


@per_graph
def honour_highlights(graph: Graph, limit: int = 12) -> list:
    """The home page's few honours: national first, then municipal, district; newest first.
    A fixed number, so the home page stays light whatever the size of the roll."""
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    awarded = [e for e in graph.honours if e.status != "designated"]
    awarded.sort(key=lambda e: (rank[e.type.level], tuple(-k for k in dates.sort_key(e.date))))
    return awarded[:limit]


# -- the home page, the units index and the unit profile: values the templates print -----------

@dataclass(frozen=True)
class LatestItem:
    """A line of the home page's 最新动态: an action (or a campaign without actions) and its date."""

    activity: Activity
    action: Action | None
    period: Period

    @property
    def date_chinese(self) -> str:
        return period_chinese(self.period)


@per_graph
def latest_items(graph: Graph, limit: int = 5) -> list[LatestItem]:
    """The newest actions by the end of their period, whatever their year: each shows its date, so
    a list of 2020 items says 2020 (and does not pass for this month's news)."""
    items = [LatestItem(a, action, action.period or a.period) for a in graph.dataset.activities.activities
             for action in a.actions]
    items += [LatestItem(a, None, a.period) for a in graph.dataset.activities.activities if not a.actions]
    items.sort(key=lambda item: dates.sort_key(item.period.last), reverse=True)
    return items[:limit]


@dataclass(frozen=True)
class HomeFigure:
    """One of the home page's few figures: a number, what it counts, where it links."""

    value: int
    unit: str
    label: str
    path: str
    record: Sourced | None = None   # the record stating it (its mark in the editorial view)


def home_figures(graph: Graph) -> list[HomeFigure]:
    """At most four figures in one row: members (as the latest snapshot states), and what the site
    holds (campaigns, honours, people); a figure that is zero is left out."""
    figures = []
    membership = graph.latest.snapshot.membership
    if membership and membership.total:
        figures.append(HomeFigure(membership.total, "家", "成员单位", "units/", membership))
    honours = [e for e in graph.honours if e.status != "candidate"]
    for value, unit, label, path in ((len(graph.activities), "项", "共建活动", "activities/"),
                                     (len(honours), "项", "荣誉", "honours/"),
                                     (len(graph.people), "位", "人物与集体", "people/")):
        if value:
            figures.append(HomeFigure(value, unit, label, path))
    return figures[:4]


@dataclass(frozen=True)
class CampaignCard:
    activity: Activity
    photo: PhotoView | None     # its cover, else its first photo, else none (a tinted card)


@per_graph
def campaign_cards(graph: Graph, limit: int = 6) -> list[CampaignCard]:
    """The newest campaigns as cards, a fixed number whatever the size of the data."""
    return [CampaignCard(a, graph.photo(a.cover or next(iter(a.photos), None), "cover"))
            for a in graph.activities[:limit]]


@dataclass(frozen=True)
class HonourCard:
    entry: HonourEntry
    photo: PhotoView | None

    @property
    def meta(self) -> str:
        """“全国级 · 年榜人物 · 2024年”, with “候选” for a candidate."""
        status = "候选" if self.entry.status == "candidate" else None
        return " · ".join(p for p in (LEVEL_LABELS[self.entry.type.level], self.entry.detail, status) if p)


@per_graph
def honour_cards(graph: Graph, limit: int = 6) -> list[HonourCard]:
    return [HonourCard(e, None if e.roll else graph.photo(e.record.photo, "photo"))
            for e in honour_highlights(graph, limit)]


def finder_categories(graph: Graph) -> list:
    """The categories that have units on the site: the unit finder's chips."""
    return [c for c in graph.dataset.units.categories if graph.units_by_category[c.id]]


def first_sentence(text: str | None) -> str:
    """The text up to its first 。 or ； (ended with 。): the committee in one sentence."""
    if not text:
        return ""
    head = re.split(r"[。；！？]", text.strip(), maxsplit=1)[0].strip()
    return head + "。" if head else ""


def _home_view(g: Graph, _, build) -> dict:
    committee = _committee(g)
    return {"latest": latest_items(g), "campaigns": campaign_cards(g), "honour_cards": honour_cards(g),
            "figures": home_figures(g), "finder": finder_categories(g), "history": snapshot_history(g),
            "sentence": first_sentence(committee.summary) or committee.slogan or ""}


@dataclass(frozen=True)
class UnitRow:
    """A row of the units index: the unit and what the row says under its name."""

    unit: Unit
    meta: str
    search: str   # the names it is found by (name, full name, aliases), for the finder


@dataclass(frozen=True)
class CategorySection:
    category: object
    count: object            # the snapshot's count for the category, or None
    rows: list[UnitRow]


@dataclass(frozen=True)
class GroupSection:
    id: str
    group: object            # the snapshot's count for the group, or None
    categories: list[CategorySection]


@per_graph
def units_index_sections(graph: Graph, audience: str) -> list[GroupSection]:
    """The units index by group and category, each category's units by name. The public view
    leaves out categories with no unit on the site (the editorial view keeps them, with a note)."""
    labels = MEMBERSHIP_LABELS[audience]
    view = graph.latest
    sections = []
    for group_id in GROUP_LABELS:
        categories = []
        for category in graph.dataset.units.categories:
            if category.group != group_id:
                continue
            units = sorted(graph.units_by_category[category.id], key=lambda u: u.name)
            if not units and audience == "public":
                continue
            rows = [UnitRow(u, _unit_row_meta(graph, u, labels),
                            " ".join([u.name, u.full_name or "", *u.aliases]).strip()) for u in units]
            categories.append(CategorySection(category, view.category_counts.get(category.id), rows))
        if categories:
            sections.append(GroupSection(group_id, view.groups.get(group_id), categories))
    return sections


def units_split(graph: Graph) -> bool:
    """Whether the units index lists its categories only, each category's units on its own pages."""
    return len(graph.units) > INLINE_MAX["units"]


@per_graph
def category_slices(graph: Graph, audience: str) -> list[Slice]:
    """Each category's units as pages (`units/category/<id>/`), when the index cannot list them."""
    if not units_split(graph):
        return []
    return [s for group in units_index_sections(graph, audience) for cs in group.categories
            for s in split(f"units/category/{cs.category.id}", cs, list(cs.rows), PER_PAGE["units"], cs.category.id)]


def _unit_row_meta(graph: Graph, unit, labels) -> str:
    actions, honours = len(graph.participations[unit.id]), len(graph.honours_by_unit[unit.id])
    return " · ".join(p for p in (labels[unit.membership], f"参与 {actions} 项行动" if actions else "",
                                  f"{honours} 项荣誉" if honours else "") if p)


def honour_timeline(entries) -> list[HonourEntry]:
    """A recipient's honours newest first; those without a date last, in the data's order."""
    return sorted(entries, key=lambda e: dates.sort_key(e.date), reverse=True)


@dataclass(frozen=True)
class JoinedCampaign:
    """A campaign a unit took part in: its actions the unit is named in, and its picture."""

    activity: Activity
    participations: list[Participation]
    photo: PhotoView | None


def joined_campaigns(graph: Graph, participations) -> list[JoinedCampaign]:
    """The campaigns of a record's participations, newest first, each with its actions."""
    by_activity: dict[str, list[Participation]] = {}
    for p in participations:
        by_activity.setdefault(p.activity.id, []).append(p)
    activities = newest_first(graph.activities_by_id[i] for i in by_activity)
    return [JoinedCampaign(a, by_activity[a.id], graph.photo(a.cover or next(iter(a.photos), None), "cover"))
            for a in activities]


def _unit_view(g: Graph, unit, build) -> dict:
    return {"unit": unit, "category": g.categories[unit.category],
            "timeline": honour_timeline(g.honours_by_unit[unit.id]),
            "campaigns": joined_campaigns(g, g.participations[unit.id]),
            "people": g.people_by_unit[unit.id], "children": g.children[unit.id],
            "logo": g.photo(unit.logo, "logo"), "photo": g.photo(unit.photo, "photo")}


def _person_view(g: Graph, person, build) -> dict:
    """A person's or group's profile, as a unit's: portrait (else a monogram), honours as the
    timeline, the campaigns joined as cards."""
    return {"person": person, "unit": g.units.get(person.unit) if person.unit else None,
            "timeline": honour_timeline(g.honours_by_person[person.id]),
            "campaigns": joined_campaigns(g, g.person_participations[person.id]),
            "portrait": g.photo(person.portrait, "portrait")}


@dataclass(frozen=True)
class PersonRow:
    person: object
    meta: str        # “所在单位 · 2 项荣誉 · 参与 1 项行动”


@per_graph
def people_sections(graph: Graph) -> list[tuple[str, str, list[PersonRow]]]:
    """The people index: (kind, its label, its rows) for each kind that has records, people first,
    each by name; under each name its unit (or stated affiliation) and what the site holds of it."""
    sections = []
    for kind, label in PERSON_KINDS.items():
        rows = []
        for p in sorted((p for p in graph.people.values() if p.kind == kind), key=lambda p: p.name):
            where = graph.units[p.unit].name if p.unit else (p.affiliation or "")
            honours, actions = len(graph.honours_by_person[p.id]), len(graph.person_participations[p.id])
            rows.append(PersonRow(p, " · ".join(x for x in (where, f"{honours} 项荣誉" if honours else "",
                                                             f"参与 {actions} 项行动" if actions else "") if x)))
        if rows:
            sections.append((kind, label, rows))
    return sections


def people_split(graph: Graph) -> bool:
    return len(graph.people) > INLINE_MAX["people"]


@per_graph
def people_slices(graph: Graph) -> list[Slice]:
    """Each kind's people as pages (`people/kind/<kind>/`), when the index cannot list them."""
    if not people_split(graph):
        return []
    return [s for kind, label, rows in people_sections(graph)
            for s in split(f"people/kind/{kind}", (kind, label), rows, PER_PAGE["people"], kind)]


@per_graph
def activities_slices(graph: Graph) -> list[Slice]:
    """The activities index: one page as it always was, or the campaigns newest first in pages."""
    per = PER_PAGE["activities"] if len(graph.activities) > INLINE_MAX["activities"] else max(1, len(graph.activities))
    return split("activities", None, graph.activities, per)


def honours_split(graph: Graph) -> bool:
    """Whether the roll lists its honour types only, each type's honours (and each award roll's names,
    each year's honours) on pages of their own."""
    return len(graph.honours) > INLINE_MAX["honours"] or \
        sum(len(view.entries) for view in graph.rolls) > INLINE_MAX["honours"]


@per_graph
def honour_slices(graph: Graph) -> list[Slice]:
    """`honours/type/<id>/`, `honours/roll/<id>/` and `honours/year/<year>/` in pages."""
    if not honours_split(graph):
        return []
    pages = []
    for t in graph.dataset.units.honour_types:
        entries = [e for e in graph.honours_of_type_ordered(t.id) if not e.roll]
        if entries:
            pages += split(f"honours/type/{t.id}", ("type", t), entries, PER_PAGE["honours"], f"type-{t.id}")
        for view in graph.rolls_of_type_ordered(t.id):
            pages += split(f"honours/roll/{view.roll.id}", ("roll", view), list(view.entries), 2 * PER_PAGE["honours"],
                           f"roll-{view.roll.id}")
    for year in sorted(graph.honours_by_year, reverse=True):
        pages += split(f"honours/year/{year}", ("year", year), graph.honours_by_year[year], PER_PAGE["honours"],
                           f"year-{year}")
    return pages


def honours_list_title(item: Slice) -> str:
    what, key = item.key
    name = {"type": lambda: key.name, "roll": lambda: key.roll.title or key.label, "year": lambda: f"{key}年"}[what]()
    return paged_title(f"荣誉榜 · {name}", item)


@per_graph
def participant_slices(graph: Graph) -> list[Slice]:
    """An action's participants on pages of their own (`activities/<id>/participants/<action>/`)
    when its campaign's page cannot list them all."""
    return [s for a in graph.activities for s in participant_slices_of(a)]


def shown_honours(graph: Graph, type_id: str, activity, limit: int | None = None) -> tuple[list[HonourEntry], int]:
    """The recipients a campaign (or a report) prints for an honour type its action produced: at most
    `limit`, and how many there are in all."""
    entries = graph.honours_in_period(type_id, activity)
    return entries[:limit or SHOWN_MAX], len(entries)


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
    return Page("index.md", "数据文件有问题", "数据文件有问题，预览尚未生成。", in_nav=True, html=body)


LICENCE = ("本站整理的结构化数据可自由使用、转载和再加工，请注明出处“海淀区文明委 · 文明风采”；"
           "数据所依据的原始材料的权利归原作者所有。")


def filesize(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


# -- what each page cites ------------------------------------------------------------------------
# (what, record) pairs: the records a page states facts from, in the order it shows them. The
# public view lists their documents under 来源; the editorial view each record's place and the
# reasons behind its inferred facts.

Cited = list  # of (str, Sourced | None)


def _snapshot_cites(graph: Graph, view) -> Cited:
    if view is None:
        return []
    snap = view.snapshot
    cites = [("概况", snap), ("主任", snap.directors), ("副主任", snap.deputy_directors),
             ("成员单位", snap.membership)]
    cites += [(group.name, group) for group in snap.groups]
    cites += [(graph.categories[count.category].name, count) for count in snap.category_counts]
    cites += [(f.label, f) for f in snap.figures]
    return cites


def _action_cites(graph: Graph, activity) -> Cited:
    cites: Cited = [(activity.title, activity)]
    for action in activity.actions:
        cites.append((action.title, action))
        cites.append(("参与单位数", action.participant_count))
        # participants on pages of their own are cited there
        shown = action.participants if len(action.participants) <= PER_PAGE["participants"] else \
            action.participants[:SHOWN_MAX]
        cites += [((graph.units[p.unit] if p.unit else graph.people[p.person]).name, p) for p in shown]
        cites += [(f.label, f) for f in action.figures]
    return cites


def _participation_cites(participations) -> Cited:
    return [(p.action.title, p.participant) for p in participations]


def home_cites(graph: Graph) -> Cited:
    committee = graph.dataset.units.committee
    return [("文明委", committee), *_snapshot_cites(graph, graph.latest), *[(p.name, p) for p in committee.platforms]]


def units_index_cites(graph: Graph) -> Cited:
    view = graph.latest
    cites: Cited = [("成员单位总数", view.snapshot.membership)]
    cites += [(group.name, group) for group in view.groups.values()]
    for category in graph.dataset.units.categories:
        cites += [(category.name, category), (category.name + "成员数", view.category_counts.get(category.id))]
    return cites


def honours_cites(graph: Graph) -> Cited:
    cites: Cited = []
    split = honours_split(graph)  # then the honours are cited by the pages that list them
    for t in graph.dataset.units.honour_types:
        cites.append((t.name, t))
        if not split:
            cites += [(f"{e.recipient_name} · {t.name}", e.record) for e in graph.honours_by_type[t.id] if not e.roll]
        cites += [(view.roll.title or view.label, view.roll) for view in graph.rolls_by_type[t.id]]
    return cites


def report_cites(graph: Graph, year: int) -> Cited:
    cites: Cited = [("文明委", graph.dataset.units.committee), *_snapshot_cites(graph, graph.snapshot_for(year))]
    for activity in graph.activities_by_year.get(year, []):
        cites += _action_cites(graph, activity)
    return cites


def unit_cites(graph: Graph, unit) -> Cited:
    cites: Cited = [("本单位", unit)]
    cites += [(person.name, person) for person in graph.people_by_unit[unit.id]]
    cites += [(entry.type.name, entry.record) for entry in graph.honours_by_unit[unit.id]]
    return cites + _participation_cites(graph.participations[unit.id])


def person_cites(graph: Graph, person) -> Cited:
    cites: Cited = [("本条记录", person)]
    cites += [(entry.type.name, entry.record) for entry in graph.honours_by_person[person.id]]
    return cites + _participation_cites(graph.person_participations[person.id])


@dataclass(frozen=True)
class CitedDocument:
    """A line of a public page's 来源 list: a document, with its link if it has one."""

    title: str
    publisher: str | None
    date: str | None
    url: str | None


def cited_documents(graph: Graph, cites: Cited) -> list[CitedDocument]:
    """The documents the page's records come from, each once, in the order the page cites them.
    The link is the document's, else the first link a record gives for it (a web page)."""
    found: dict[str, CitedDocument] = {}
    for _, record in cites:
        source = getattr(record, "source", None) if record is not None else None
        if source is None:
            continue
        doc = graph.sources[source.doc]
        seen = found.get(doc.id)
        if seen is None:
            found[doc.id] = CitedDocument(doc.title, doc.publisher, doc.date, doc.url or source.url)
        elif seen.url is None and source.url:
            found[doc.id] = replace(seen, url=source.url)
    return list(found.values())



# -- lists split over pages ------------------------------------------------------------------------
# No generated page may outgrow what a phone opens (~300 KB with Material's chrome): a long list is
# cut into pages of a fixed number of rows, whatever the size of the data. The first page of a list
# has the list's own address (and its place in the menu); page n is at <list>/page/<n>/, out of the
# menu, titled “第 n 页”. A record id cannot be “page/…”, so no page of a list falls on a record's.

PAGE_BUDGET = 200_000   # bytes of a page body at most: what the tests hold every page to
PER_PAGE = {"units": 200, "honours": 250, "people": 250, "activities": 30, "participants": 250}
# A list whose whole fits one page is printed whole, on its index, as before lists were split:
INLINE_MAX = {"units": 300, "honours": 400, "people": 400, "activities": 40}
YEAR_HONOURS = 50       # honours a report page lists of its year (the rest: the roll's page of the year)
REPORT_SHOWN = 5        # names a report prints of one action's participants or one honour type
REPORT_ACTIONS = 10     # actions a report details of one campaign (the rest: the campaign's page)
SHOWN_MAX = 20          # names a campaign or a report prints of one honour type or one action


@dataclass(frozen=True)
class Slice:
    """One page of a list split over several (the item of a paginated page kind)."""

    base: str            # the list's folder: "units/category/pku"; page 1 is its index.md
    key: object          # what the list is of (a category, an honour type, an action) or None
    number: int          # 1 for the first page
    count: int           # pages in the list
    rows: tuple          # this page's rows
    total: int           # rows in the whole list
    first_row: int = 0   # the position of this page's first row in the whole list
    name: str = ""       # what the list is of, as an index links to it: "pku", "type-h1", "year-2020"

    @property
    def path(self) -> str:
        return f"{self.base}/index.md" if self.number == 1 else f"{self.base}/page/{self.number}.md"

    @property
    def url(self) -> str:
        return page_url(self.path)

    @property
    def pager(self) -> Pager:
        return Pager(self.number, self.count, tuple(page_url(slice_path(self.base, n))
                                                    for n in range(1, self.count + 1)))


def slice_path(base: str, number: int) -> str:
    return f"{base}/index.md" if number == 1 else f"{base}/page/{number}.md"


@dataclass(frozen=True)
class Pager:
    """The pagination of one page: 上一页, every page's number, 下一页 (pagination macro)."""

    number: int
    count: int
    urls: tuple[str, ...]   # site-relative, page 1 first

    @property
    def previous(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


def split(base: str, key, rows: list, per_page: int, name: str = "") -> list[Slice]:
    """`rows` as pages of `per_page`: one page (maybe empty) at least."""
    count = max(1, -(-len(rows) // per_page))
    return [Slice(base, key, n + 1, count, tuple(rows[n * per_page:(n + 1) * per_page]), len(rows), n * per_page,
                  name) for n in range(count)]


def paged_title(title: str, item) -> str:
    """A list's title; on its pages after the first, “… · 第 n 页”."""
    number = getattr(item, "number", 1)
    return title if number == 1 else f"{title} · 第 {number} 页"


# -- page kinds -----------------------------------------------------------------------------------
# One declaration per kind of page: where it goes, its template, title and description, the view
# model its template prints, what it cites, its photos. `generate_pages` only walks this table.

One = (None,)  # the items of a kind that has a single page


@dataclass(frozen=True)
class PageKind:
    template: str
    path: Callable                       # (item) → docs-relative path
    title: Callable                      # (graph, item) → plain text
    description: Callable                # (graph, item) → plain text
    view: Callable = lambda g, item, build: {}   # (graph, item, build) → the template's context
    cites: Callable = lambda g, item: []         # (graph, item) → Cited
    items: Callable = lambda g: One              # (graph) → the records (or years) with a page each
    record: tuple[str, str] | None = None        # (data file, list) of a record page: its edit link
    image: Callable = lambda g, item: None       # its share photo (og:image)
    lead: Callable = lambda g, item: None        # the large photo at its top (preloaded)
    in_nav: bool = True
    searchable: bool = True
    hide: tuple[str, ...] = ()                   # Material's page.meta.hide
    when: Callable = lambda build: True          # whether this build has the page at all
    always: bool = False                         # rendered after every edit (it shows every record)
    # What a preview needs to decide whether an edit changed a page that is not a record's (see
    # `reusable`): the (kind, id) records it lists, in the order it prints them (kind in units,
    # people, activities; None: it depends on everything), and what it prints besides the shown
    # values of those records (counts, aggregates, a selection among records), as a comparable value.
    shows: Callable[[Graph, object], Iterable[tuple[str, str]]] | None = None
    layout: Callable = lambda g, item, build: None   # (graph, item, build) → comparable value


# -- what a list page shows of the records (PageKind.shows) ----------------------------------------
# The (kind, id) of each unit, person and campaign whose name, or other part shown outside its own
# page, a page prints or counts: the preview re-renders a page when one of these changed. Which
# pages a list has (its slices) changes when records are added, removed or change category.

Shown = Iterable[tuple[str, str]]


def _recipients_shown(entries) -> Shown:
    for e in entries:
        if e.person is not None:
            yield "people", e.person.id
        if e.unit is not None:
            yield "units", e.unit.id


def _units_shown(graph: Graph, units) -> Shown:
    """A unit's row: its name and membership, its honours and the actions it joined (counted)."""
    for u in units:
        yield "units", u.id
        yield from (("activities", p.activity.id) for p in graph.participations[u.id])


def _people_shown(graph: Graph, people) -> Shown:
    for p in people:
        yield "people", p.id
        if p.unit:
            yield "units", p.unit
        yield from (("activities", x.activity.id) for x in graph.person_participations[p.id])


def _participants_shown(participants) -> Shown:
    return (("units", p.unit) if p.unit else ("people", p.person) for p in participants)


def _honours_list_shows(g: Graph, item: Slice) -> Shown:
    what, key = item.key
    if what == "roll":
        return _recipients_shown(e for e in g.honours if e.roll is key.roll)
    return _recipients_shown(item.rows)


def _activities_shows(g: Graph, item: Slice) -> Shown:
    return (("activities", a.id) for a in g.activities)  # this page's, and where the others fall


@dataclass(frozen=True)
class Build:
    """What a page kind may need beyond the data: set by the MkDocs glue."""

    audience: str = "public"                # "public" or "editorial" (see AUDIENCES)
    downloads: dict[str, int] | None = None  # open-data file → size, when the build writes them
    updated: str | None = None               # the data's date, for the open-data page
    edit_url: Callable = lambda file, line: None  # (data file, line) → its edit link, if the site has a repository


def _committee(g: Graph):
    return g.dataset.units.committee


def _describe_unit(g: Graph, u) -> str:
    return _summary(u.summary) or f"{u.name}：{g.categories[u.category].name}"


def _activities_view(g: Graph, s: Slice, build) -> dict:
    """One page as it always was (by section, by date, by year), or, when the campaigns are too many
    for one page, this page's campaigns newest first with the pagination."""
    def card(a):
        return CampaignCard(a, g.photo(a.cover or next(iter(a.photos), None), "cover"))
    if s.count > 1:
        return {"sectioned": [], "by_date": [card(a) for a in s.rows], "years": [], "pager": s.pager,
                "slice": s, "shown_actions": SHOWN_MAX}
    sectioned = [a for a in g.activities if a.section]
    in_sections = {a.id for a in sectioned}
    return {"sectioned": [card(a) for a in sectioned],
            "by_date": [card(a) for a in g.activities if a.id not in in_sections],
            "years": sorted(g.activities_by_year, reverse=True), "pager": None, "slice": s,
            "shown_actions": SHOWN_MAX}


def _pages_by_key(slices: list[Slice]) -> dict:
    """The first page of each split list, by what it lists (its key's id): where an index links."""
    return {s.name: s for s in slices if s.number == 1}


def _participant_pages(g: Graph, activity) -> dict:
    """Action id → the first page of its participants, for actions too long for the campaign's page."""
    return _pages_by_key(participant_slices_of(activity))


def participant_slices_of(activity) -> list[Slice]:
    return [s for action in activity.actions if len(action.participants) > PER_PAGE["participants"]
            for s in split(f"activities/{activity.id}/participants/{action.id}", (activity, action),
                           list(action.participants), PER_PAGE["participants"], action.id)]


def _report_view(g: Graph, year: int, build) -> dict:
    return {"year": year, "reports": g.report_sources[year], "snapshot": g.snapshot_for(year),
            "activities": g.activities_by_year.get(year, []), "honours": g.honours_by_year.get(year, [])[:YEAR_HONOURS],
            "honours_total": len(g.honours_by_year.get(year, [])), "honours_split": honours_split(g),
            "names": REPORT_SHOWN, "actions_shown": REPORT_ACTIONS,
            "news": g.year_news.get(year, [])}


# What index pages list and print besides (PageKind.shows, .layout): each follows its template.

def _recipients(entries) -> Iterable[tuple[str, str]]:
    """The records an honour line shows: its recipient and, for a person, their unit's name."""
    for e in entries:
        if e.person is not None:
            yield "people", e.person.id
        if e.unit is not None:
            yield "units", e.unit.id


def _participants(activities) -> Iterable[tuple[str, str]]:
    for a in activities:
        yield "activities", a.id
        for action in a.actions:
            for p in action.participants:
                yield ("units", p.unit) if p.unit else ("people", p.person)


def _home_shows(g: Graph, _) -> Iterable[tuple[str, str]]:
    for item in latest_items(g):
        yield "activities", item.activity.id
    for card in campaign_cards(g):
        yield "activities", card.activity.id
    yield from _recipients(card.entry for card in honour_cards(g))


def _home_layout(g: Graph, _, build) -> tuple:
    return (tuple((i.action.id if i.action else None, i.period) for i in latest_items(g)),
            tuple(c.entry.anchor for c in honour_cards(g)), tuple(home_figures(g)),
            tuple(c.id for c in finder_categories(g)), len(g.activities))


def _units_index_shows(g: Graph, _) -> Iterable[tuple[str, str]]:
    for group in units_index_sections(g, "public"):  # by category, each category's units by name
        for section in group.categories:
            yield from (("units", row.unit.id) for row in section.rows)


def _units_index_layout(g: Graph, _, build) -> tuple:
    # a row counts its unit's actions (a campaign's edit) and honours (the unit's own)
    return tuple(len(g.participations[u.id]) for u in g.dataset.units.units), bool(g.people)


def _honours_shows(g: Graph, _) -> Iterable[tuple[str, str]]:
    for t in g.dataset.units.honour_types:
        yield from _recipients(e for e in g.honours_of_type_ordered(t.id) if not e.roll)
        yield from (("activities", a.id) for a, _action in g.actions_by_honour_type[t.id])  # “所涉行动”


def _honours_layout(g: Graph, _, build) -> tuple:
    by_type = tuple(e.anchor for t in g.dataset.units.honour_types
                    for e in g.honours_of_type_ordered(t.id) if not e.roll)
    by_year = tuple((year, tuple(e.anchor for e in entries)) for year, entries in g.honours_by_year.items())
    return len(g.honours), by_type, by_year


def _people_shows(g: Graph, _) -> Iterable[tuple[str, str]]:
    for _kind, _label, rows in people_sections(g):
        for row in rows:
            yield "people", row.person.id
            if row.person.unit:
                yield "units", row.person.unit


def _people_layout(g: Graph, _, build) -> tuple:
    return tuple(row.meta for _kind, _label, rows in people_sections(g) for row in rows)


def _report_honours(g: Graph, year: int) -> list[HonourEntry]:
    """The honours a year's report prints: the year's, and those its campaigns' actions led to."""
    entries = list(g.honours_by_year.get(year, []))
    for a in g.activities_by_year.get(year, []):
        for action in a.actions:
            for type_id in action.honours:
                entries += g.honours_in_period(type_id, a)
    return entries


def _news_shows(news) -> Iterable[tuple[str, str]]:
    """The campaigns a 当年动态 list names after each document (those citing it)."""
    for item in news:
        yield from (("activities", a.id) for a in item.activities)


def _report_shows(g: Graph, year: int) -> Iterable[tuple[str, str]]:
    yield from _participants(g.activities_by_year.get(year, []))
    yield from _recipients(_report_honours(g, year))
    yield from _news_shows(g.year_news.get(year, []))


def _report_layout(g: Graph, year: int, build) -> tuple:
    return tuple(e.anchor for e in _report_honours(g, year))


PAGE_KINDS: dict[str, PageKind] = {
    "home": PageKind(
        "home.html", lambda _: "index.md", lambda g, _: _committee(g).name,
        lambda g, _: _summary(_committee(g).slogan, _committee(g).summary),
        view=_home_view,
        cites=lambda g, _: home_cites(g),
        hide=("toc",),  # a front page, not a document: its sections are its cards
        shows=_home_shows, layout=_home_layout),
    "units": PageKind(
        "units_index.html", lambda _: "units/index.md", lambda g, _: "成员单位",
        lambda g, _: f"{_committee(g).name}成员单位：按类别列出。",
        view=lambda g, _, build: {"history": snapshot_history(g), "finder": finder_categories(g),
                                  "sections": units_index_sections(g, build.audience), "split": units_split(g),
                                  "pages": _pages_by_key(category_slices(g, build.audience))},
        cites=lambda g, _: units_index_cites(g),
        shows=_units_index_shows, layout=_units_index_layout),
    "units_category": PageKind(
        "units_category.html", lambda s: s.path,
        lambda g, s: paged_title(f"成员单位 · {s.key.category.name}", s),
        lambda g, s: f"{_committee(g).name}成员单位中的{s.key.category.name}，共 {s.total} 家。",
        view=lambda g, s, build: {"slice": s, "pager": s.pager, "cs": s.key},
        items=lambda g: category_slices(g, "public"), in_nav=False,
        shows=lambda g, s: _units_shown(g, (row.unit for row in s.rows))),
    "activities": PageKind(
        "activities_index.html", lambda s: s.path, lambda g, s: paged_title("共建活动", s),
        lambda g, _: f"{_committee(g).name}成员单位共同开展的活动，按工作材料章节和时间排列。",
        view=_activities_view, items=activities_slices, shows=_activities_shows),
    "honours": PageKind(
        "honours.html", lambda _: "honours/index.md", lambda g, _: "荣誉榜",
        lambda g, _: f"{_committee(g).name}成员单位、人物与集体获得的荣誉，按级别、类型、等级和时间排列。",
        view=lambda g, _, build: {"split": honours_split(g), "pages": _pages_by_key(honour_slices(g))},
        cites=lambda g, _: honours_cites(g), shows=_honours_shows, layout=_honours_layout),
    "honours_list": PageKind(
        "honours_list.html", lambda s: s.path, lambda g, s: honours_list_title(s),
        lambda g, s: f"{honours_list_title(s)}：共 {s.total} 条。",
        view=lambda g, s, build: {"slice": s, "pager": s.pager, "what": s.key[0], "key": s.key[1]},
        cites=lambda g, s: [(e.label, e.record) for e in s.rows if not getattr(e, "roll", None)]
        if s.key[0] != "roll" else [(s.key[1].label, s.key[1].roll)],
        items=honour_slices, in_nav=False, shows=_honours_list_shows),
    "people": PageKind(
        "people_index.html", lambda _: "people/index.md", lambda g, _: "人物与集体",
        lambda g, _: f"{_committee(g).name}收录的人物与集体：所在单位、荣誉与参与的活动。",
        view=lambda g, _, build: {"sections": people_sections(g), "split": people_split(g),
                                  "pages": _pages_by_key(people_slices(g))},
        shows=_people_shows, layout=_people_layout),
    "people_kind": PageKind(
        "people_kind.html", lambda s: s.path, lambda g, s: paged_title(f"人物与集体 · {s.key[1]}", s),
        lambda g, s: f"{_committee(g).name}收录的{s.key[1]}，共 {s.total} 个。",
        view=lambda g, s, build: {"slice": s, "pager": s.pager, "kind": s.key[0], "label": s.key[1]},
        items=people_slices, in_nav=False, shows=lambda g, s: _people_shown(g, (row.person for row in s.rows))),
    "reference": PageKind(
        "reference.html", lambda _: "contribute/reference.md", lambda g, _: "字段参考",
        lambda g, _: "data/units.yaml 与 data/activities.yaml 的全部字段：写法、是否必填、说明。",
        view=lambda g, _, build: {"files": reference(DATA_FILES)}, searchable=False,
        shows=lambda g, _: ()),
    "stats": PageKind(
        "stats.html", lambda _: "stats/index.md", lambda g, _: "数据统计",
        lambda g, _: "单位类别、荣誉级别与年度、活动参与情况的统计图表。",
        view=lambda g, _, build: {"charts": charts.site_charts(g, build.audience == "editorial")},
        shows=lambda g, _: (),  # its charts are plain values: they are their own layout
        layout=lambda g, _, build: charts.site_charts(g, build.audience == "editorial")),
    "opendata": PageKind(
        "opendata.html", lambda _: "data/index.md", lambda g, _: "开放数据",
        lambda g, _: "下载本站全部数据：JSON、CSV 与 JSON Schema。",
        view=lambda g, _, build: {"exports": [e for e in EXPORTS if e.path in build.downloads],
                                  "sizes": build.downloads, "licence": LICENCE, "updated": build.updated},
        when=lambda build: build.downloads is not None, always=True),
    "report_index": PageKind(
        "report_index.html", lambda _: "report/index.md", lambda g, _: "年度报告",
        lambda g, _: f"{_committee(g).name}各年度的工作材料与当年动态。",
        view=lambda g, _, build: {"years": report_years(g), "news": g.year_news},
        shows=lambda g, _: _news_shows(item for news in g.year_news.values() for item in news)),
    "report": PageKind(
        "report.html", lambda year: f"report/{year}.md", lambda g, year: f"{_committee(g).name}{year}年工作情况",
        lambda g, year: f"{_committee(g).name}{year}年工作情况：所依据的工作材料、当年概况、主要做法与荣誉。",
        view=_report_view, cites=report_cites, items=report_years, in_nav=False,
        shows=_report_shows, layout=_report_layout),
    "editorial": PageKind(
        "editorial.html", lambda _: "editorial.md", lambda g, _: "待核实与推断",
        lambda g, _: "编辑版：数据中所有推断、存疑和带说明的事实，附各条记录的编辑链接。",
        view=lambda g, _, build: {"facts": editorial_facts({"units": g.dataset.units, "activities": g.dataset.activities}), "where": g.dataset.where, "edit_url": build.edit_url}, in_nav=False, searchable=False,
        when=lambda build: build.audience == "editorial", always=True),
    "unit": PageKind(
        "unit.html", lambda u: f"units/{u.id}.md", lambda g, u: u.name, _describe_unit,
        view=_unit_view, cites=unit_cites,
        items=lambda g: g.dataset.units.units, record=("units", "units"),
        image=lambda g, u: g.photo(u.photo, "photo") or g.photo(u.logo, "logo"),
        lead=lambda g, u: g.photo(u.photo, "photo"), in_nav=False),
    "person": PageKind(
        "person.html", lambda p: f"people/{p.id}.md", lambda g, p: p.name,
        lambda g, p: _summary(p.summary) or f"{p.name}：{PERSON_KINDS[p.kind]}",
        view=_person_view,
        cites=person_cites, items=lambda g: g.dataset.units.people, record=("units", "people"),
        image=lambda g, p: g.photo(p.portrait, "portrait"), lead=lambda g, p: g.photo(p.portrait, "portrait"),
        in_nav=False),
    "activity": PageKind(
        "activity.html", lambda a: f"activities/{a.id}.md", lambda g, a: a.title,
        lambda g, a: _summary(a.summary) or a.title,
        view=lambda g, a, build: {"activity": a, "participant_pages": _participant_pages(g, a)},
        cites=_action_cites,
        items=lambda g: g.dataset.activities.activities, record=("activities", "activities"),
        image=lambda g, a: g.photo(a.cover or next(iter(a.photos), None), "cover"),
        lead=lambda g, a: g.photo(a.cover, "cover"), in_nav=False),
    "participants": PageKind(
        "participants.html", lambda s: s.path,
        lambda g, s: paged_title(f"{s.key[1].title} · 参与单位与人物", s),
        lambda g, s: f"{s.key[0].title}：{s.key[1].title}的参与单位与人物，共 {s.total} 个。",
        view=lambda g, s, build: {"slice": s, "pager": s.pager, "activity": s.key[0], "action": s.key[1]},
        cites=lambda g, s: [((g.units[p.unit] if p.unit else g.people[p.person]).name, p) for p in s.rows],
        items=participant_slices, in_nav=False,  # the campaign's and the action's titles, then the rows
        shows=lambda g, s: (("activities", s.key[0].id), *_participants_shown(s.rows))),
}


def plan_pages(graph: Graph, build: Build, kept: dict[str, PageSpec] | None = None) -> list[PageSpec]:
    """Every generated page of the site, index pages first, in PAGE_KINDS order, without bodies.
    `kept` (the preview): the previous build's, when the edit left what every page shares as it
    was (`incremental.plan_reuse`: categories, sources, photos): a record's page whose record is
    the very same object (dataset.py keeps unchanged records) keeps its spec, its line updated."""
    dataset = graph.dataset
    specs = []
    for name, kind in PAGE_KINDS.items():
        if not kind.when(build):
            continue
        for i, item in enumerate(kind.items(graph)):
            if kind.record and kept and (old := kept.get(kind.path(item))) is not None and old.item is item:
                record = dataset.where(kind.record[0], (kind.record[1], i))
                specs.append(old if old.record == record else replace(old, record=record))
                continue
            specs.append(PageSpec(
                kind.path(item), kind.title(graph, item), kind.description(graph, item),
                # a list's later pages (Slice.number > 1) are reached from its first, not from the menu
                in_nav=kind.in_nav and getattr(item, "number", 1) == 1,
                record=dataset.where(kind.record[0], (kind.record[1], i)) if kind.record else None,
                image=kind.image(graph, item), lead=kind.lead(graph, item), searchable=kind.searchable,
                hide=kind.hide, kind=name, item=item))
    return specs


def reusable(spec: PageSpec, reuse: Reuse | None, build: Build | None = None) -> Page | None:
    """The previous build's page for `spec`, when the edit cannot have changed it (see
    incremental.py): a record's page unless its record (or what it shows of others) changed;
    another page unless a record it lists changed what it shows of it, or the page lists other
    records, in another order, or other counts (its kind's `shows` and `layout`). A unit's
    summary changes its page only; a rename, its page, its neighbours' and the lists showing it.
    Pages marked `always` (the open-data page's file sizes) are rendered after every edit."""
    if reuse is None:
        return None
    kind = PAGE_KINDS[spec.kind]
    if kind.record:
        kept = reuse.page(spec.path, kind.record[1], spec.item.id)
    elif kind.always or not _index_page_unchanged(kind, spec, reuse, build or Build()):
        kept = None
    else:
        kept = reuse.previous_pages.get(spec.path)
    if kept is None or (kept.record == spec.record and kept.item is spec.item):
        return kept  # the same object: the change detection then need not compare its body
    # the record's line moves when records above it change; the rest of the page does not
    return replace(kept, record=spec.record, item=spec.item)


def _index_page_unchanged(kind: PageKind, spec: PageSpec, reuse: Reuse, build: Build) -> bool:
    """Whether the page at `spec.path` shows the same as the previous build's page there. A page of
    a split list is compared with the slice that had its address (its rows move when records are
    added or removed above them), and its place in the list (the pager) is part of what it shows."""
    previous = reuse.previous_pages.get(spec.path)
    if previous is None:
        return False
    old_item, new_item = previous.item, spec.item
    if isinstance(new_item, Slice) and (not isinstance(old_item, Slice) or
                                        (old_item.number, old_item.count, old_item.total) !=
                                        (new_item.number, new_item.count, new_item.total)):
        return False
    if not reuse.anything_listed:
        # What an index page prints of the data (`shows`, `layout`, its cites and marks) comes from
        # what pages other than a record's own show of it, and from campaigns whole: when no record
        # changed that, nor the records' order, the page is what it was. Comparing its layout
        # anyway cost a summary edit 5 s at 20,000 units (the roll's and home page's, twice).
        return True
    if kind.shows is None:
        return False
    listed = reuse.listed
    shown = [tuple(kind.shows(reuse.old, old_item)), tuple(kind.shows(reuse.new, new_item))]
    if shown[0] != shown[1] or any(ident in listed[k] for k, ident in shown[1]):
        return False  # other records, in another order, or one of them shows differently
    return kind.layout(reuse.old, old_item, build) == kind.layout(reuse.new, new_item, build)


def generate_pages(graph: Graph, templates_dir: str, *, reuse: Reuse | None = None,
                   build: Build | None = None, downloads: dict[str, int] | None = None,
                   updated: str | None = None) -> list[Page]:
    """Every generated page of the site with its body (tests, the benchmark's baseline); with
    `reuse`, the pages an edit cannot have changed are taken from the previous build."""
    build = build or Build(downloads=downloads, updated=updated)
    renderer = Renderer(graph, templates_dir, editorial=build.audience == "editorial")
    return [reusable(spec, reuse, build) or renderer.page(spec, build) for spec in plan_pages(graph, build)]
