"""The links between records, computed once per build in one pass over the data.

Pages read from here (a unit's campaigns, a person's honours, an honour type's recipients, the
snapshot of a year) instead of scanning all records for each page, which would make the build
quadratic in the number of records. Derived values (orderings, Chinese dates, the match of a
roll's names) are computed here once, so that templates only print prepared values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, wraps

from . import dates
from .dataset import Dataset
from .models import (
    SOURCE_KINDS,
    Action,
    Activity,
    Category,
    Grade,
    Honour,
    HonourType,
    Participant,
    Person,
    Roll,
    Snapshot,
    SourceDoc,
    Unit,
)
from .names import build_name_index, roll_lines
from .photos import photo_view


@dataclass(frozen=True)
class HonourEntry:
    """One honour on the roll: who received it (a unit, or a person or group) and how it is
    recorded: an `Honour` on the recipient's record, or a matched line of a `Roll`."""

    type: HonourType
    grade: Grade | None
    date: str | None
    status: str
    record: Honour | Roll      # carries basis, note and source
    unit: Unit | None          # the recipient when it is a unit
    person: Person | None      # the recipient when it is a person or group
    index: int                 # position in the recipient's honours, or in the roll's entries
    roll: Roll | None = None

    @property
    def anchor(self) -> str:
        if self.roll is not None:
            return f"roll-{self.roll.id}-{self.index + 1}"
        owner = f"person-{self.person.id}" if self.person else self.unit.id
        return f"honour-{owner}-{self.index + 1}"

    @property
    def recipient_name(self) -> str:
        return self.person.name if self.person else self.unit.name

    @property
    def recipient_path(self) -> str:
        return f"people/{self.person.id}/" if self.person else f"units/{self.unit.id}/"

    @property
    def year(self) -> int | None:
        return dates.year_of(self.date) if self.date else None

    @property
    def date_chinese(self) -> str:
        return dates.chinese(self.date)

    @property
    def detail(self) -> str:
        """“年榜人物 · 2024年”: grade and date, those that are known."""
        return " · ".join(p for p in (self.grade.name if self.grade else None, self.date_chinese) if p)

    @property
    def label(self) -> str:
        """“北京榜样 · 年榜人物 · 2024年”: type, grade and date, those that are known."""
        return " · ".join(p for p in (self.type.name, self.detail) if p)


@dataclass(frozen=True)
class RollEntry:
    """One line of a roll: the name as written, and the record it matched (if any)."""

    text: str
    unit: Unit | None
    person: Person | None

    @property
    def path(self) -> str | None:
        if self.person:
            return f"people/{self.person.id}/"
        if self.unit:
            return f"units/{self.unit.id}/"
        return None


@dataclass(frozen=True)
class RollView:
    roll: Roll
    type: HonourType
    grade: Grade | None
    entries: tuple[RollEntry, ...]

    @property
    def label(self) -> str:
        return " · ".join(p for p in (self.type.name, self.grade.name if self.grade else None,
                                      dates.chinese(self.roll.date)) if p)


@dataclass(frozen=True)
class Participation:
    activity: Activity
    action: Action
    participant: Participant

    @property
    def period(self):
        """When: the action's own period, else its activity's."""
        return self.action.period or self.activity.period


@dataclass(frozen=True)
class SnapshotView:
    """A committee snapshot with its counts by group and by category."""

    snapshot: Snapshot
    groups: dict[str, object]          # group id → GroupCount
    category_counts: dict[str, object]  # category id → CategoryCount

    @property
    def year(self) -> int:
        return dates.year_of(self.snapshot.date)

    @property
    def date_chinese(self) -> str:
        return dates.chinese(self.snapshot.date)

    @property
    def total(self) -> int | None:
        return self.snapshot.membership.total if self.snapshot.membership else None


@dataclass(frozen=True)
class YearSource:
    """A source of a year for the “当年动态” list: the document and the activities citing it."""

    doc: SourceDoc
    activities: tuple[Activity, ...]

    @property
    def kind_label(self) -> str:
        return SOURCE_KINDS[self.doc.kind]

    @property
    def date_chinese(self) -> str:
        return dates.chinese(self.doc.date)


def newest_first(activities) -> list[Activity]:
    """Activities by the end of their period, newest first; within one date, the data's own order
    (sorted() is stable, also with reverse=True)."""
    return sorted(activities, key=lambda a: dates.sort_key(a.period.last), reverse=True)




def per_graph(function):
    """A pure function of a graph (and of hashable arguments), computed once per graph. The preview
    keeps the previous build's graph to compare index pages with (incremental.py): what it
    computed of that graph is not computed again, and one build's pages share one list of the
    20,000 units' rows instead of building it for each page that prints or compares it. Callers
    read the result and never change it."""
    @wraps(function)
    def once(graph, *args):
        key = (function, args)  # the function itself: two of one name never share a value
        try:
            return graph.memo[key]
        except KeyError:
            value = graph.memo[key] = function(graph, *args)
            return value
    return once


@dataclass
class Graph:
    dataset: Dataset
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    honour_types: dict[str, HonourType] = field(default_factory=dict)
    grade_rank: dict[tuple[str, str], int] = field(default_factory=dict)  # (type, grade) → declared position
    honours: list[HonourEntry] = field(default_factory=list)
    honours_by_unit: dict[str, list[HonourEntry]] = field(default_factory=lambda: defaultdict(list))
    honours_by_person: dict[str, list[HonourEntry]] = field(default_factory=lambda: defaultdict(list))
    honours_by_type: dict[str, list[HonourEntry]] = field(default_factory=lambda: defaultdict(list))
    honours_by_type_year: dict[tuple[str, int | None], list[HonourEntry]] = field(
        default_factory=lambda: defaultdict(list)
    )
    honours_by_year: dict[int, list[HonourEntry]] = field(default_factory=lambda: defaultdict(list))
    rolls: list[RollView] = field(default_factory=list)
    rolls_by_type: dict[str, list[RollView]] = field(default_factory=lambda: defaultdict(list))
    people_by_unit: dict[str, list[Person]] = field(default_factory=lambda: defaultdict(list))
    participations: dict[str, list[Participation]] = field(default_factory=lambda: defaultdict(list))
    person_participations: dict[str, list[Participation]] = field(default_factory=lambda: defaultdict(list))
    actions_by_honour_type: dict[str, list[tuple[Activity, Action]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    children: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    units_by_category: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    snapshots: list[SnapshotView] = field(default_factory=list)  # oldest first
    sources: dict[str, SourceDoc] = field(default_factory=dict)
    sources_by_kind: dict[str, list[SourceDoc]] = field(default_factory=lambda: defaultdict(list))
    sources_by_year: dict[int, list[SourceDoc]] = field(default_factory=lambda: defaultdict(list))
    activities_citing: dict[str, list[Activity]] = field(default_factory=lambda: defaultdict(list))
    # The processed variants of every photo named, by file ("media/2020/a.jpg" → media.Processed):
    # set by the build after processing (`build_graph(dataset, processed)`).
    processed: dict = field(default_factory=dict)
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # see per_graph

    def photo(self, photo, use: str):
        """The photo as a page prints it (photos.PhotoView), or None for no photo."""
        if photo is None:
            return None
        return photo_view(photo, self.processed[photo.file], use, dates.chinese, self.sources)

    @cached_property
    def activities(self) -> list[Activity]:
        """Newest first: the one ordering of activities on every page and feed."""
        return newest_first(self.dataset.activities.activities)

    @cached_property
    def activities_by_id(self) -> dict[str, Activity]:
        return {a.id: a for a in self.dataset.activities.activities}

    @cached_property
    def activities_by_year(self) -> dict[int, list[Activity]]:
        by_year: dict[int, list[Activity]] = defaultdict(list)
        for activity in self.activities:
            for year in activity.period.years:
                by_year[year].append(activity)
        return by_year

    @property
    def latest(self) -> SnapshotView:
        return self.snapshots[-1]

    def snapshot_for(self, year: int) -> SnapshotView | None:
        """The latest snapshot whose date is in or before `year`."""
        found = None
        for view in self.snapshots:
            if view.year <= year:
                found = view
        return found

    @cached_property
    def report_sources(self) -> dict[int, list[SourceDoc]]:
        """Work reports by the year of their date: each such year has a report page."""
        by_year: dict[int, list[SourceDoc]] = defaultdict(list)
        for doc in self.sources_by_kind.get("work-report", []):
            if doc.date:
                by_year[dates.year_of(doc.date)].append(doc)
        return dict(sorted(by_year.items(), reverse=True))

    @cached_property
    def year_news(self) -> dict[int | None, list[YearSource]]:
        """The other sources of each year (“当年动态”), newest year first, each newest first;
        sources without a date last, under None (a source that gives no date still shows)."""
        by_year: dict[int | None, list[YearSource]] = {}
        for year in sorted(self.sources_by_year, reverse=True):
            docs = [d for d in self.sources_by_year[year] if d.kind != "work-report"]
            docs.sort(key=lambda d: dates.sort_key(d.date), reverse=True)
            if docs:
                by_year[year] = [YearSource(d, tuple(self.activities_citing.get(d.id, []))) for d in docs]
        undated = [d for d in self.sources.values() if not d.date and d.kind != "work-report"]
        if undated:
            by_year[None] = [YearSource(d, tuple(self.activities_citing.get(d.id, []))) for d in undated]
        return by_year

    def honours_in_period(self, type_id: str, activity: Activity) -> list[HonourEntry]:
        """Honours of a type whose year falls in the activity's period (or has no year).
        Read from an index by (type, year): scanning every honour of the type for each
        action made this quadratic."""
        found = list(self.honours_by_type_year.get((type_id, None), []))
        for year in activity.period.years:
            found += self.honours_by_type_year.get((type_id, year), [])
        return found

    @per_graph
    def honours_of_type_ordered(self, type_id: str) -> list[HonourEntry]:
        """A type's honours by grade (declared order, no grade last), then newest first."""
        entries = self.honours_by_type.get(type_id, [])
        return sorted(entries, key=lambda e: (self._grade_position(e), _newest_key(e.date), e.recipient_name))

    def rolls_of_type_ordered(self, type_id: str) -> list[RollView]:
        return sorted(self.rolls_by_type.get(type_id, []),
                      key=lambda r: (self.grade_rank.get((type_id, r.roll.grade), 10**6) if r.roll.grade else 10**6,
                                     _newest_key(r.roll.date)))

    def _grade_position(self, entry: HonourEntry) -> int:
        if entry.grade is None:
            return 10**6
        return self.grade_rank[(entry.type.id, entry.grade.id)]


def _newest_key(date: str | None) -> tuple[int, int, int]:
    year, month, day = dates.sort_key(date)
    return (-year, -month, -day)


def _add_honour(graph: Graph, entry: HonourEntry) -> None:
    graph.honours.append(entry)
    if entry.person is not None:
        graph.honours_by_person[entry.person.id].append(entry)
    else:
        graph.honours_by_unit[entry.unit.id].append(entry)
    graph.honours_by_type[entry.type.id].append(entry)
    graph.honours_by_type_year[(entry.type.id, entry.year)].append(entry)
    if entry.year is not None:
        graph.honours_by_year[entry.year].append(entry)


def _grade(type_: HonourType, grade_id: str | None) -> Grade | None:
    if grade_id is None:
        return None
    return next((g for g in type_.grades if g.id == grade_id), None)


def build_graph(dataset: Dataset, processed: dict | None = None) -> Graph:
    """`processed`: the photos' variants (media.MediaCache.process_all, keyed by file)."""
    graph = Graph(dataset, processed=processed or {})
    units_file = dataset.units
    graph.categories = {c.id: c for c in units_file.categories}
    graph.honour_types = {t.id: t for t in units_file.honour_types}
    for type_ in units_file.honour_types:
        for position, grade in enumerate(type_.grades):
            graph.grade_rank[(type_.id, grade.id)] = position
    for doc in units_file.sources:
        graph.sources[doc.id] = doc
        graph.sources_by_kind[doc.kind].append(doc)
        if doc.date:
            graph.sources_by_year[dates.year_of(doc.date)].append(doc)
    for snapshot in sorted(units_file.committee.snapshots, key=lambda s: dates.sort_key(s.date)):
        graph.snapshots.append(SnapshotView(snapshot, {g.group: g for g in snapshot.groups},
                                            {c.category: c for c in snapshot.category_counts}))
    for unit in units_file.units:
        graph.units[unit.id] = unit
        graph.units_by_category[unit.category].append(unit)
    for person in units_file.people:
        graph.people[person.id] = person
        if person.unit:
            graph.people_by_unit[person.unit].append(person)
    for unit in units_file.units:
        if unit.parent:
            graph.children[unit.parent].append(unit)
        for index, honour in enumerate(unit.honours):
            type_ = graph.honour_types[honour.type]
            _add_honour(graph, HonourEntry(type_, _grade(type_, honour.grade), honour.date, honour.status,
                                           honour, unit, None, index))
    for person in units_file.people:
        for index, honour in enumerate(person.honours):
            type_ = graph.honour_types[honour.type]
            _add_honour(graph, HonourEntry(type_, _grade(type_, honour.grade), honour.date, honour.status,
                                           honour, graph.units.get(person.unit) if person.unit else None,
                                           person, index))
    if units_file.rolls:
        names = build_name_index(units_file.units, units_file.people)
        for roll in units_file.rolls:
            type_ = graph.honour_types[roll.type]
            grade = _grade(type_, roll.grade)
            entries = []
            for _, text in roll_lines(roll.names):
                matches = names.match(text)
                unit = person = None
                if len(matches) == 1:  # more than one is a located error of the checks
                    collection, ident = matches[0]
                    if collection == "people":
                        person = graph.people[ident]
                    else:
                        unit = graph.units[ident]
                entries.append(RollEntry(text, unit, person))
                if unit or person:
                    owner = unit or (graph.units.get(person.unit) if person.unit else None)
                    _add_honour(graph, HonourEntry(type_, grade, roll.date, roll.status, roll, owner, person,
                                                   len(entries) - 1, roll))
            view = RollView(roll, type_, grade, tuple(entries))
            graph.rolls.append(view)
            graph.rolls_by_type[roll.type].append(view)
    for activity in dataset.activities.activities:
        cited = {activity.source.doc} if activity.source else set()
        for action in activity.actions:
            if action.source:
                cited.add(action.source.doc)
            for participant in action.participants:
                participation = Participation(activity, action, participant)
                if participant.unit:
                    graph.participations[participant.unit].append(participation)
                else:
                    graph.person_participations[participant.person].append(participation)
            for type_id in action.honours:
                graph.actions_by_honour_type[type_id].append((activity, action))
        for doc_id in sorted(cited):
            graph.activities_citing[doc_id].append(activity)
    return graph
