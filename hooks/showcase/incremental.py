"""Which record pages an edit can have changed: the preview re-renders those and reuses the
rest, so one edit in 5,000 units is not 5,000 pages rendered again.

A record page shows its own record and, of other records, only what `graph.py` links to it:
a unit page shows its parent's and children's names, its people (name, kind, titles, honours,
basis) and the campaigns and actions it takes part in; a person's page shows its unit's name
and the campaigns it takes part in; a campaign page shows its participants' names and kinds,
and the recipients of the honour types its actions produced in its years (a person with their
unit's name or their affiliation). So an edited record makes stale its own page and the pages
of the records linked to it, before and after the edit. Anything shared by all pages
(categories, honour types, the committee and its snapshots, sources) makes every page stale;
so does an edit that changes what an award roll's names match.

The other pages (lists, the roll, home, stats, reports) are decided one by one from what their
kind declares in `pages.PAGE_KINDS` (`shows`, `layout`): a page is stale when a record it lists
changed what pages other than its own show of it (`Reuse.listed`), or when what it prints
besides those records (which ones, their order, counts) differs. `make build` never reuses: this
is for `mkdocs serve` only, and a test checks that reused pages equal freshly rendered ones
after random edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .graph import Graph

KINDS = ("units", "people", "activities")


@dataclass
class Reuse:
    """The previous build's pages, and which of them the data edit left valid."""

    previous_pages: dict  # path → Page
    old: Graph | None = None  # the graphs before and after the edit (index pages compare both)
    new: Graph | None = None
    stale: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    # kind → ids whose record changed what other pages show of it (name, category, honours… for
    # units and people; anything for campaigns), added and removed ones included
    listed: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    reordered: bool = False  # a kind's records are in another order in the data

    @property
    def anything_listed(self) -> bool:
        return self.reordered or any(self.listed.values())

    def page(self, path: str, kind: str, ident: str):
        if ident in self.stale[kind]:
            return None
        return self.previous_pages.get(path)


def _roll_matches(graph: Graph) -> list:
    return [(view.roll.id, [(entry.text, entry.path) for entry in view.entries]) for view in graph.rolls]


def plan_reuse(old: Graph, new: Graph, previous_pages: dict) -> Reuse | None:
    """None when everything must be rendered again."""
    old_units, new_units = old.dataset.units, new.dataset.units
    shared = ("sources", "committee", "categories", "honour_types", "rolls")
    if any(getattr(old_units, name) != getattr(new_units, name) for name in shared):
        return None
    if old.rolls and _roll_matches(old) != _roll_matches(new):
        return None  # a renamed unit or person now matches (or no longer matches) a roll's name
    reuse = Reuse(previous_pages, old, new)
    stale_units, stale_people, stale_activities = (reuse.stale[kind] for kind in KINDS)
    changed_units = _changed(old.units, new.units)
    changed_people = _changed(old.people, new.people)
    changed_activities = _changed(old.activities_by_id, new.activities_by_id)
    stale_units |= changed_units
    stale_people |= changed_people
    stale_activities |= changed_activities
    # Other pages show only a part of a record: an edit to a summary or website stays on its page.
    units_elsewhere = {i for i in changed_units
                       if _unit_shown_elsewhere(old.units.get(i)) != _unit_shown_elsewhere(new.units.get(i))}
    people_elsewhere = {i for i in changed_people
                        if _person_shown_elsewhere(old.people.get(i)) != _person_shown_elsewhere(new.people.get(i))}
    # Index pages (lists, roll, people, stats, home, annual reports) show units and people only
    # through what other pages show of them, and show campaigns whole.
    reuse.listed = {"units": units_elsewhere, "people": people_elsewhere, "activities": changed_activities}
    reuse.reordered = list(old.units) != list(new.units) or list(old.people) != list(new.people) or \
        list(old.activities_by_id) != list(new.activities_by_id)
    # A unit lists its people in the data's order: a person added, moved or gone changes that list.
    for unit_id in old.people_by_unit.keys() | new.people_by_unit.keys():
        if [p.id for p in old.people_by_unit.get(unit_id, [])] != [p.id for p in new.people_by_unit.get(unit_id, [])]:
            stale_units.add(unit_id)
    for graph in (old, new):
        for unit_id in units_elsewhere:
            unit = graph.units.get(unit_id)
            if unit is None:
                continue
            if unit.parent:
                stale_units.add(unit.parent)
            stale_units.update(child.id for child in graph.children.get(unit_id, []))
            stale_activities.update(p.activity.id for p in graph.participations.get(unit_id, []))
            people = graph.people_by_unit.get(unit_id, [])
            stale_people.update(person.id for person in people)  # their pages show the unit's name
            entries = list(graph.honours_by_unit.get(unit_id, []))
            for person in people:  # recipients are shown as “person（unit）”
                entries += graph.honours_by_person.get(person.id, [])
            stale_activities.update(_activities_showing(graph, entries))
        for person_id in people_elsewhere:
            person = graph.people.get(person_id)
            if person is None:
                continue
            if person.unit:
                stale_units.add(person.unit)
            stale_activities.update(p.activity.id for p in graph.person_participations.get(person_id, []))
            stale_activities.update(_activities_showing(graph, graph.honours_by_person.get(person_id, [])))
        for activity in graph.activities:
            if activity.id in changed_activities:
                for action in activity.actions:
                    for p in action.participants:
                        if p.unit:
                            stale_units.add(p.unit)
                        else:
                            stale_people.add(p.person)
    return reuse


def _activities_showing(graph: Graph, entries) -> set[str]:
    """The campaigns whose pages list these honours (their type, in the campaign's years)."""
    shown = set()
    for entry in entries:
        for activity, _ in graph.actions_by_honour_type.get(entry.type.id, []):
            if entry.year is None or entry.year in activity.period.years:
                shown.add(activity.id)
    return shown


def _unit_shown_elsewhere(unit) -> tuple | None:
    """What pages other than its own show of a unit: names in links, category, membership (the
    units index, whose finder also finds it by full name and aliases), honours (the roll,
    campaigns, reports)."""
    if unit is None:
        return None
    return (unit.name, unit.full_name, unit.aliases, unit.category, unit.membership, unit.parent, unit.honours)


def _person_shown_elsewhere(person) -> object:
    """What pages other than its own show of a person: all but the summary (the unit page lists
    name, kind, titles and honours, and marks and cites the record itself)."""
    if person is None:
        return None
    return person.model_copy(update={"summary": None})


def _changed(old: dict, new: dict) -> set[str]:
    """Ids added, removed, or whose record differs (frozen models compare by value)."""
    return {i for i in old.keys() | new.keys() if old.get(i) != new.get(i)}
