"""The links between records, computed once per build in one pass over the data.

Pages read from here (a unit's campaigns, an honour type's recipients) instead of scanning
all records for each page, which would make the build quadratic in the number of units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .dataset import Dataset
from .models import (
    Action,
    Activity,
    Category,
    Honour,
    HonourType,
    Participant,
    Person,
    Unit,
)


@dataclass(frozen=True)
class HonourEntry:
    """One honour on the roll: who received it (a unit, or a person of that unit)."""

    honour: Honour
    type: HonourType
    unit: Unit
    person: Person | None
    index: int  # position in unit.honours: stable anchor

    @property
    def anchor(self) -> str:
        return f"honour-{self.unit.id}-{self.index + 1}"


@dataclass(frozen=True)
class Participation:
    activity: Activity
    action: Action
    participant: Participant


@dataclass
class Graph:
    dataset: Dataset
    units: dict[str, Unit] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    honour_types: dict[str, HonourType] = field(default_factory=dict)
    honours: list[HonourEntry] = field(default_factory=list)
    honours_by_unit: dict[str, list[HonourEntry]] = field(default_factory=lambda: defaultdict(list))
    honours_by_person: dict[str, list[HonourEntry]] = field(default_factory=lambda: defaultdict(list))
    honours_by_type: dict[str, list[HonourEntry]] = field(default_factory=lambda: defaultdict(list))
    honours_by_type_year: dict[tuple[str, int | None], list[HonourEntry]] = field(
        default_factory=lambda: defaultdict(list)
    )
    participations: dict[str, list[Participation]] = field(default_factory=lambda: defaultdict(list))
    actions_by_honour_type: dict[str, list[tuple[Activity, Action]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    children: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    units_by_category: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))

    @property
    def activities(self) -> list[Activity]:
        return list(self.dataset.activities.activities)

    @cached_property
    def activities_by_id(self) -> dict[str, Activity]:
        return {a.id: a for a in self.dataset.activities.activities}

    def honours_in_period(self, type_id: str, activity: Activity) -> list[HonourEntry]:
        """Honours of a type whose year falls in the activity's period (or has no year).
        Read from an index by (type, year): scanning every honour of the type for each
        action made this quadratic."""
        start, end = activity.period.start, activity.period.end or activity.period.start
        found = list(self.honours_by_type_year.get((type_id, None), []))
        for year in range(start, end + 1):
            found += self.honours_by_type_year.get((type_id, year), [])
        return found


def build_graph(dataset: Dataset) -> Graph:
    graph = Graph(dataset)
    units_file = dataset.units
    graph.categories = {c.id: c for c in units_file.categories}
    graph.honour_types = {t.id: t for t in units_file.honour_types}
    for unit in units_file.units:
        graph.units[unit.id] = unit
        graph.units_by_category[unit.category].append(unit)
    for unit in units_file.units:
        if unit.parent:
            graph.children[unit.parent].append(unit)
        people = {p.id: p for p in unit.people}
        for index, honour in enumerate(unit.honours):
            entry = HonourEntry(honour, graph.honour_types[honour.type], unit,
                                people.get(honour.person) if honour.person else None, index)
            graph.honours.append(entry)
            graph.honours_by_unit[unit.id].append(entry)
            graph.honours_by_type[honour.type].append(entry)
            graph.honours_by_type_year[(honour.type, honour.year)].append(entry)
            if entry.person:
                graph.honours_by_person[entry.person.id].append(entry)
    for activity in dataset.activities.activities:
        for action in activity.actions:
            for participant in action.participants:
                graph.participations[participant.unit].append(Participation(activity, action, participant))
            for type_id in action.honours:
                graph.actions_by_honour_type[type_id].append((activity, action))
    return graph
