"""Move data files from the first model (one work report) to the second (many sources, dates,
committee snapshots, people as their own records), keeping every fact, comment and layout.

    .venv/bin/python tools/migrate_v1_to_v2.py data        # rewrites data/units.yaml, activities.yaml

What changes, and why (docs/contribute/index.md explains the new fields):
- sources: each gets `kind: work-report` (the first model knew only the work report), and
  `year` becomes `date`.
- committee: the leadership, the member total, the groups (top-level `groups`) and the
  categories' declared counts become one dated snapshot (`committee.snapshots`), so that later
  years add a snapshot instead of overwriting 2020's figures.
- categories keep id, name and group; their counts (and the notes about the counts) move to
  the snapshot's `category_counts`.
- people move out of their unit into the top-level `people` list with `unit: <id>`, and the
  honours a unit listed for one of its people (`person:`) move to that person.
- honours: `year` becomes `date`.
- `basis: external` becomes `basis: inferred`: the note already says which outside material the
  fact comes from; a fact from a citable outside document now cites it as a source of its kind.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, order and quoting stay
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def _rename(mapping: CommentedMap, old: str, new: str) -> None:
    if old in mapping:
        position = list(mapping).index(old)
        mapping.insert(position, new, mapping.pop(old))


def _external_to_inferred(value) -> None:
    if isinstance(value, dict):
        if value.get("basis") == "external":
            value["basis"] = "inferred"
        for item in value.values():
            _external_to_inferred(item)
    elif isinstance(value, list):
        for item in value:
            _external_to_inferred(item)


def _first_year(units: CommentedMap) -> int | None:
    years = [s.get("year") for s in units.get("sources", []) if isinstance(s.get("year"), int)]
    return min(years) if years else None


def migrate_units(units: CommentedMap) -> CommentedMap:
    year = _first_year(units)
    for source in units.get("sources", []):
        if "kind" not in source:
            source.insert(1, "kind", "work-report")
        _rename(source, "year", "date")

    committee = units["committee"]
    snapshot = CommentedMap()
    snapshot["date"] = year
    snapshot["basis"] = "stated"
    for key in ("directors", "deputy_directors", "membership"):
        if key in committee:
            snapshot[key] = committee.pop(key)
    snapshot["groups"] = units.pop("groups", CommentedSeq())
    counts = CommentedSeq()
    for category in units.get("categories", []):
        if "declared_count" not in category:
            continue
        count = CommentedMap()
        count["category"] = category["id"]
        count["declared_count"] = category.pop("declared_count")
        count["basis"] = category.get("basis", "stated")
        if "note" in category and category.get("basis") == "stated":
            count["note"] = category.pop("note")  # in the first model, notes on a category were about its count
        if "source" in category:
            count["source"] = copy.deepcopy(category["source"])  # shared, it would dump as an anchor
        counts.append(count)
    snapshot["category_counts"] = counts
    if "figures" in committee:
        snapshot["figures"] = committee.pop("figures")
    membership_source = snapshot.get("membership", {}).get("source")
    if membership_source is not None:
        snapshot.insert(2, "source", copy.deepcopy(membership_source))
    if year is not None:
        snapshot["inferred"] = CommentedMap(
            date="概况的时间取来源文件的年度（见 sources 中该文件的说明）")
    position = list(committee).index("platforms") + 1 if "platforms" in committee else len(committee)
    committee.insert(position, "snapshots", CommentedSeq([snapshot]))

    people = CommentedSeq()
    for unit in units.get("units", []):
        own = unit.pop("people", None) or []
        ids = {person["id"] for person in own}
        kept = CommentedSeq()
        moved: dict[str, list] = {pid: [] for pid in ids}
        for honour in unit.get("honours", []) or []:
            _rename(honour, "year", "date")
            if "inferred" in honour:
                _rename(honour["inferred"], "year", "date")
            person = honour.get("person")
            if person in moved:
                honour.pop("person")
                moved[person].append(honour)
            else:
                kept.append(honour)
        if "honours" in unit:
            if kept:
                unit["honours"] = kept
            else:
                unit.pop("honours")
        for person in own:
            position = list(person).index("name") + 1
            person.insert(position, "unit", unit["id"])
            if moved[person["id"]]:
                for honour in moved[person["id"]]:
                    # "who received it" was a field of the honour; it is now the person's record
                    reason = (honour.get("inferred") or {}).pop("person", None)
                    if reason is not None:
                        person.setdefault("inferred", CommentedMap()).setdefault("name", reason)
                    if "inferred" in honour and not honour["inferred"]:
                        honour.pop("inferred")
                person["honours"] = CommentedSeq(moved[person["id"]])
            people.append(person)
    if people:
        units["people"] = people
    _external_to_inferred(units)
    return units


def migrate_activities(activities: CommentedMap) -> CommentedMap:
    _external_to_inferred(activities)
    return activities


def migrate_folder(folder: Path) -> None:
    yaml = _yaml()
    for name, migrate in (("units.yaml", migrate_units), ("activities.yaml", migrate_activities)):
        path = folder / name
        data = yaml.load(path.read_text(encoding="utf-8"))
        with path.open("w", encoding="utf-8", newline="\n") as f:
            yaml.dump(migrate(data), f)


if __name__ == "__main__":
    migrate_folder(Path(sys.argv[1] if len(sys.argv) > 1 else "data"))
