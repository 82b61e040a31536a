"""Open data: the records as JSON and CSV for readers and journalists, and the JSON Schemas.

JSON is the models dumped as they were validated (a round trip gives the same records);
the CSV files are the three tables a reader opens in a spreadsheet. Bytes are deterministic:
same data, same files (sorted keys, fixed column order, "\\n" line ends).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .dataset import Dataset
from .graph import Graph
from .models import HONOUR_STATUS, LEVEL_LABELS
from .photos import photo_pages
from .problems import format_path
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


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable  # (graph, row) → the cell's value
    doc: str = ""    # what the header alone does not say, for the open-data page


@dataclass(frozen=True)
class Export:
    """One open-data file, declared once: its path, what it holds, and (for a CSV table) its
    rows and columns. The files, the open-data page's list and its field list come from here."""

    path: str
    description: str
    fields: str = ""                                  # the JSON files' documentation
    each: str = ""                                    # a CSV table: what one row is
    rows: Callable[[Graph], Iterable] | None = None   # a CSV table: its rows
    columns: tuple[Column, ...] = ()

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def column_list(self) -> str:
        return "、".join(c.header + (f"（{c.doc}）" if c.doc else "") for c in self.columns)

    def csv(self, graph: Graph) -> str:
        return _csv([c.header for c in self.columns],
                    [[c.value(graph, row) for c in self.columns] for row in self.rows(graph)])


def _recipient(entry) -> tuple[str, str]:
    return ("person", entry.person.id) if entry.person else ("unit", entry.unit.id)


def _participations(graph: Graph):
    for activity in graph.dataset.activities.activities:
        for action in activity.actions:
            for participant in action.participants:
                yield activity, action, participant


def _participant_name(graph: Graph, participant) -> str:
    return graph.units[participant.unit].name if participant.unit else graph.people[participant.person].name


C = Column
UNITS_CSV = Export(
    "data/units.csv", "单位表（CSV）", each="每个单位一行",
    rows=lambda g: g.dataset.units.units,
    columns=(C("id", lambda g, u: u.id), C("名称", lambda g, u: u.name), C("全称", lambda g, u: u.full_name or ""),
             C("别名", lambda g, u: "；".join(u.aliases)), C("类别", lambda g, u: g.categories[u.category].name),
             C("成员身份", lambda g, u: u.membership, "stated、inferred 或 unknown"),
             C("上级单位", lambda g, u: u.parent or ""),
             C("人物数", lambda g, u: len(g.people_by_unit.get(u.id, [])), "所在单位为本单位的人物与集体"),
             C("荣誉数", lambda g, u: len(g.honours_by_unit.get(u.id, [])), "含获奖名单中的同名条目"),
             C("参与行动数", lambda g, u: len(g.participations.get(u.id, []))),
             C("依据", lambda g, u: u.basis), C("简介", lambda g, u: u.summary or "")),
)
PEOPLE_CSV = Export(
    "data/people.csv", "人物与集体表（CSV）", each="每位人物或每个集体一行",
    rows=lambda g: g.dataset.units.people,
    columns=(C("id", lambda g, p: p.id), C("姓名或名称", lambda g, p: p.name),
             C("类型", lambda g, p: PERSON_KIND_LABELS[p.kind], "个人或集体"),
             C("所在单位id", lambda g, p: p.unit or ""), C("所在单位或身份", lambda g, p: p.affiliation or ""),
             C("职务", lambda g, p: "；".join(p.titles)),
             C("荣誉数", lambda g, p: len(g.honours_by_person.get(p.id, [])), "含获奖名单中的同名条目"),
             C("依据", lambda g, p: p.basis)),
)
HONOURS_CSV = Export(
    "data/honours.csv", "荣誉表（CSV）", each="每条荣誉一行，获奖名单中与本站单位、人物同名的条目也各占一行",
    rows=lambda g: g.honours,
    columns=(C("获得者类型", lambda g, e: _recipient(e)[0], "unit 单位或 person 人物与集体"),
             C("获得者id", lambda g, e: _recipient(e)[1]), C("获得者", lambda g, e: e.recipient_name),
             C("荣誉id", lambda g, e: e.type.id), C("荣誉", lambda g, e: e.type.name),
             C("级别", lambda g, e: LEVEL_LABELS[e.type.level]), C("等级", lambda g, e: e.grade.name if e.grade else ""),
             C("时间", lambda g, e: e.date or "", "2020、2020-03 或 2020-03-02"),
             C("状态", lambda g, e: HONOUR_STATUS[e.status]),
             C("名单id", lambda g, e: e.roll.id if e.roll else "", "出自获奖名单时"),
             C("来源", lambda g, e: e.record.source.doc if e.record.source else "", "来源文件 id"),
             C("依据", lambda g, e: e.record.basis)),
)
PARTICIPATIONS_CSV = Export(
    "data/participations.csv", "参与行动表（CSV）", each="每个“单位或人物参与行动”一行",
    rows=_participations,
    columns=(C("活动id", lambda g, r: r[0].id), C("活动", lambda g, r: r[0].title), C("行动id", lambda g, r: r[1].id),
             C("行动", lambda g, r: r[1].title),
             C("参与者类型", lambda g, r: "unit" if r[2].unit else "person", "unit 单位或 person 人物与集体"),
             C("参与者id", lambda g, r: r[2].unit or r[2].person), C("参与者", lambda g, r: _participant_name(g, r[2])),
             C("角色", lambda g, r: r[2].role or ""),
             C("时间", lambda g, r: (r[1].period or r[0].period).start, "行动开始的时间，行动未写时间的取所属活动的"),
             C("依据", lambda g, r: r[2].basis)),
)
JSON_FIELDS = ("与 data/{name}.yaml 结构相同，省略了未填写的字段；每条记录的 basis "
               "说明它是所注来源明确记载（stated）还是推断（inferred，理由见 note / inferred）")
EXPORTS = (
    Export("data/units.json", "全部来源、文明委概况、单位、人物、荣誉记录与获奖名单，以及类别、荣誉类型（JSON）",
           fields=JSON_FIELDS.format(name="units")),
    Export("data/activities.json", "全部活动及其具体行动、参与单位和人物、数字（JSON）",
           fields=JSON_FIELDS.format(name="activities")),
    Export("data/photos.json", "全部照片：替代文字、图注、署名、所在页面和各个尺寸的图片地址（JSON）",
           fields="每张照片一项：file（数据中的文件名）、alt（替代文字）、caption（图注）、credit（署名）、date（拍摄时间）、"
                  "page（所在页面）、where（在数据中的位置）、width 与 height（原图尺寸），images 列出各个尺寸的 WebP 与 JPEG"
                  "（地址相对于网站根目录）。照片的版权归署名者所有，转载请注明署名"),
    UNITS_CSV, PEOPLE_CSV, HONOURS_CSV, PARTICIPATIONS_CSV,
    *(Export(f"data/{name}", f"{name.removesuffix('.schema.json')}.json / data/{name.removesuffix('.schema.json')}.yaml"
             " 的 JSON Schema") for name in SCHEMAS),
)


def units_csv(graph: Graph) -> str:
    return UNITS_CSV.csv(graph)


def people_csv(graph: Graph) -> str:
    return PEOPLE_CSV.csv(graph)


def honours_csv(graph: Graph) -> str:
    return HONOURS_CSV.csv(graph)


def participations_csv(graph: Graph) -> str:
    return PARTICIPATIONS_CSV.csv(graph)


def photos_json(dataset: Dataset, graph: Graph) -> str:
    """Each photo of the data, where it is shown and the addresses of its processed sizes."""
    listed = []
    for page, where, photo in photo_pages(dataset):
        done = graph.processed.get(photo.file)
        entry = {**photo.model_dump(mode="json", exclude_none=True), "page": page,
                 "where": format_path(where)}
        if done is not None:
            entry.update(width=done.width, height=done.height, images=[
                {"url": v.path, "type": v.mime, "width": v.width, "height": v.height}
                for v in (*done.webp, *done.jpeg)])
        listed.append(entry)
    return json.dumps({"photos": listed}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def open_data_files(dataset: Dataset, graph: Graph) -> dict[str, str]:
    """Site path → text of every open-data file, in the order of EXPORTS."""
    return {path: make() for path, make in open_data_makers(dataset, graph).items()}


def open_data_makers(dataset: Dataset, graph: Graph) -> dict[str, Callable[[], str]]:
    """Site path → what makes the text of each open-data file, in the order of EXPORTS: the
    preview makes them one by one after the pages are served."""
    made = {"data/units.json": lambda: to_json(dataset.units),
            "data/activities.json": lambda: to_json(dataset.activities),
            "data/photos.json": lambda: photos_json(dataset, graph),
            **{f"data/{name}": (lambda model=model: render_schema(model)) for name, model in SCHEMAS.items()}}
    return {export.path: (lambda export=export: export.csv(graph)) if export.rows else made[export.path]
            for export in EXPORTS}
