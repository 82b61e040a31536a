"""Which record pages an edit can have changed: the preview re-renders those and reuses the
rest, so one edit in 5,000 units is not 5,000 pages rendered again.

A record page shows its own record and, of other records, only what `graph.py` links to it:
a unit page shows its parent's and children's names, and the campaigns and actions it takes
part in; a campaign page shows its participants' names and categories, and the recipients of
the honour types its actions produced in its years. So an edited record makes stale its own
page and the pages of the records linked to it, before and after the edit. Anything shared by
all pages (categories, honour types, the committee, sources) makes every page stale.
`make build` never reuses: this is for `mkdocs serve` only, and a test checks that reused
pages equal freshly rendered ones after random edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .graph import Graph


@dataclass
class Reuse:
    """The previous build's pages, and which of them the data edit left valid."""

    previous_pages: dict  # path → Page
    stale: dict[str, set[str]] = field(default_factory=lambda: {"units": set(), "activities": set()})
    index_pages_valid: bool = False  # the edit changed nothing that index pages show

    def page(self, path: str, kind: str, ident: str):
        if ident in self.stale[kind]:
            return None
        return self.previous_pages.get(path)


def plan_reuse(old: Graph, new: Graph, previous_pages: dict) -> Reuse | None:
    """None when everything must be rendered again."""
    old_units, new_units = old.dataset.units, new.dataset.units
    shared = ("sources", "committee", "groups", "categories", "honour_types")
    if any(getattr(old_units, name) != getattr(new_units, name) for name in shared):
        return None
    reuse = Reuse(previous_pages)
    stale_units, stale_activities = reuse.stale["units"], reuse.stale["activities"]
    changed_units = _changed(old.units, new.units)
    changed_activities = _changed({a.id: a for a in old.activities}, {a.id: a for a in new.activities})
    stale_units |= changed_units
    stale_activities |= changed_activities
    # Other pages show only a part of a unit: an edit to its summary or website stays on its page.
    shown_elsewhere = {i for i in changed_units if _shown_elsewhere(old.units.get(i)) != _shown_elsewhere(new.units.get(i))}
    # Index pages (lists, roll, stats, home, annual reports) show units only through what other
    # pages show of them, and show campaigns whole.
    reuse.index_pages_valid = not shown_elsewhere and not changed_activities and \
        [u.id for u in old_units.units] == [u.id for u in new_units.units]
    for graph in (old, new):
        for unit_id in shown_elsewhere:
            unit = graph.units.get(unit_id)
            if unit is None:
                continue
            if unit.parent:
                stale_units.add(unit.parent)
            stale_units.update(child.id for child in graph.children.get(unit_id, []))
            stale_activities.update(p.activity.id for p in graph.participations.get(unit_id, []))
            for honour in unit.honours:
                for activity, _ in graph.actions_by_honour_type.get(honour.type, []):
                    period = activity.period
                    if honour.year is None or period.start <= honour.year <= (period.end or period.start):
                        stale_activities.add(activity.id)
        for activity in graph.activities:
            if activity.id in changed_activities:
                stale_units.update(p.unit for action in activity.actions for p in action.participants)
    return reuse


def _shown_elsewhere(unit) -> tuple | None:
    """What pages other than its own show of a unit: names in links, category, membership (the
    units index), people's names and honours (the roll, campaigns, reports)."""
    if unit is None:
        return None
    return (unit.name, unit.category, unit.membership, unit.parent,
            tuple((p.id, p.name) for p in unit.people), unit.honours)


def _changed(old: dict, new: dict) -> set[str]:
    """Ids added, removed, or whose record differs (frozen models compare by value)."""
    return {i for i in old.keys() | new.keys() if old.get(i) != new.get(i)}
