"""Open data: the records as JSON and CSV for readers and journalists, and the JSON Schemas.

JSON is the models dumped as they were validated (a round trip gives the same records);
the CSV files are the three tables a reader opens in a spreadsheet. Bytes are deterministic:
same data, same files (sorted keys, fixed column order, "\\n" line ends).
"""

from __future__ import annotations

import csv
import io
import json

from .dataset import Dataset
from .graph import Graph
from .models import HONOUR_STATUS, LEVEL_LABELS
from .schema import SCHEMAS, render_schema

PERSON_KIND_LABELS = {"person": "个人", "group": "集体"}


def to_json(model) -> str:
    data = model.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# Excel and WPS run a cell that starts with one of these as a formula (=HYPERLINK(...) sends the
# sheet's other cells away; +cmd|... starts a program). OWASP's advice: prefix such text with "'",
# which spreadsheets show as text. Numbers are written as numbers; JSON keeps the exact value.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value as it is written into a CSV cell: text that a spreadsheet would run is neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(header: list[str], rows: list[list]) -> str:
    """Every CSV file of the site is written here, so every cell goes through `csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # With "\n" line ends the writer does not quote a field holding a CR, which spreadsheets
    # then take as a line end: such a row is written with every field quoted (the same values).
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in [header, *rows]:
        cells = [csv_cell(value) for value in row]
        (quoted if any(isinstance(c, str) and "\r" in c for c in cells) else writer).writerow(cells)
    # A BOM: Excel on Windows (what most readers here open a CSV with) reads UTF-8 only with it.
    return "\ufeff" + out.getvalue()


def units_csv(graph: Graph) -> str:
    rows = []
    for unit in graph.dataset.units.units:
        category = graph.categories[unit.category]
        rows.append([unit.id, unit.name, unit.full_name or "", "；".join(unit.aliases), category.name,
                     unit.membership, unit.parent or "", len(graph.people_by_unit.get(unit.id, [])),
                     len(graph.honours_by_unit.get(unit.id, [])), len(graph.participations.get(unit.id, [])),
                     unit.basis, unit.summary or ""])
    return _csv(["id", "名称", "全称", "别名", "类别", "成员身份", "上级单位", "人物数", "荣誉数", "参与行动数",
                 "依据", "简介"], rows)


def people_csv(graph: Graph) -> str:
    rows = [[p.id, p.name, PERSON_KIND_LABELS[p.kind], p.unit or "", p.affiliation or "", "；".join(p.titles),
             len(graph.honours_by_person.get(p.id, [])), p.basis]
            for p in graph.dataset.units.people]
    return _csv(["id", "姓名或名称", "类型", "所在单位id", "所在单位或身份", "职务", "荣誉数", "依据"], rows)


def honours_csv(graph: Graph) -> str:
    rows = []
    for e in graph.honours:
        kind, ident = ("person", e.person.id) if e.person else ("unit", e.unit.id)
        source = e.record.source.doc if e.record.source else ""
        rows.append([kind, ident, e.recipient_name, e.type.id, e.type.name, LEVEL_LABELS[e.type.level],
                     e.grade.name if e.grade else "", e.date or "", HONOUR_STATUS[e.status],
                     e.roll.id if e.roll else "", source, e.record.basis])
    return _csv(["获得者类型", "获得者id", "获得者", "荣誉id", "荣誉", "级别", "等级", "时间", "状态", "名单id",
                 "来源", "依据"], rows)


def participations_csv(graph: Graph) -> str:
    rows = []
    for activity in graph.dataset.activities.activities:
        for action in activity.actions:
            for p in action.participants:
                kind, ident = ("unit", p.unit) if p.unit else ("person", p.person)
                name = graph.units[p.unit].name if p.unit else graph.people[p.person].name
                rows.append([activity.id, activity.title, action.id, action.title, kind, ident, name, p.role or "",
                             (action.period or activity.period).start, p.basis])
    return _csv(["活动id", "活动", "行动id", "行动", "参与者类型", "参与者id", "参与者", "角色", "时间", "依据"], rows)


def open_data_files(dataset: Dataset, graph: Graph) -> dict[str, str]:
    """Site path → text of every open-data file."""
    files = {
        "data/units.json": to_json(dataset.units),
        "data/activities.json": to_json(dataset.activities),
        "data/units.csv": units_csv(graph),
        "data/people.csv": people_csv(graph),
        "data/honours.csv": honours_csv(graph),
        "data/participations.csv": participations_csv(graph),
    }
    for name, model in SCHEMAS.items():
        files[f"data/{name}"] = render_schema(model)
    return files
