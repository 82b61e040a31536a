"""Bar charts as data, drawn by overrides/showcase/stats.html as HTML at build time: no chart
library and no JavaScript on the reader's phone, labels are real text that wraps instead of being
cut, and the numbers are printed on the bars (so no table repeats them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .graph import Graph, per_graph
from .models import LEVEL_LABELS

MAX_ROWS = 30  # a longer chart keeps its largest rows; the rest is told in a sentence
SERIES_CLASSES = ("sc-bar--a", "sc-bar--b")


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int | None, ...]  # None: not known (no bar, "不详")
    href: str | None = None  # site-relative URL of the record the row is about


@dataclass(frozen=True)
class Chart:
    """The one source of a chart: stats.html draws it as a list of HTML bars (real text at the
    body size, as wide as its column), or as a sentence when it would have a single row."""

    id: str
    title: str
    series: tuple[str, ...]  # names of the values in each row
    rows: tuple[Row, ...]
    note: str = ""
    unit: str = ""  # counted thing, printed after a number in a sentence ("10 条")
    total_rows: int = 0  # rows before the cut to MAX_ROWS (0: none were cut)
    row_noun: str = "项"  # what a row is, for the sentence about a cut ("共 4959 家单位")

    @property
    def is_chart(self) -> bool:
        """A single row is a fact, not a comparison: it is printed as a sentence."""
        return len(self.rows) >= 2

    @property
    def top(self) -> int:
        return max((v for r in self.rows for v in r.values if v is not None), default=0) or 1

    def share(self, value: int) -> str:
        """The bar's length as a fraction of the longest bar, for the CSS variable --sc-f."""
        return f"{value / self.top:.4f}"

    def bar_class(self, k: int) -> str:
        return SERIES_CLASSES[k % len(SERIES_CLASSES)]

    def sentence(self, row: Row) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return "，".join(f"{name} {'不详' if value is None else f'{value}{unit}'}"
                        for name, value in zip(self.series, row.values, strict=True))


def _largest(rows: list[Row]) -> tuple[tuple[Row, ...], int]:
    """At most MAX_ROWS rows, the largest first when some must go (a 5,000-unit site would draw
    thousands of bars); the number before the cut, or 0 when nothing was cut."""
    if len(rows) <= MAX_ROWS:
        return tuple(rows), 0
    kept = sorted(rows, key=lambda r: -max((v or 0 for v in r.values), default=0))[:MAX_ROWS]
    return tuple(kept), len(rows)


@per_graph  # the stats page prints them, and the preview compares them with the previous build's
def site_charts(graph: Graph, editorial: bool = False) -> list[Chart]:
    """The stats page's charts. The public view counts members as the sources state them; the
    editorial view sets beside them how many of each category the data names, and says what the
    counts leave out."""
    units_file = graph.dataset.units
    latest = graph.latest
    declared = {c: count.declared_count for c, count in latest.category_counts.items()}
    total = f" {latest.total} 家" if latest.total is not None else ""
    if editorial:
        categories = Chart(
            "chart-categories", f"各类别单位：来源所述成员数（{latest.date_chinese}）与本站已列出的单位数",
            ("来源所述", "已列出"),
            tuple(Row(c.name, (declared.get(c.id), len(graph.units_by_category.get(c.id, []))),
                      f"units/#category-{c.id}") for c in units_file.categories),
            f"来源只给出各类别的成员总数，并未逐一列出{total}成员单位；本站收录的是来源点名的单位。",
            unit="家",
        )
    else:
        categories = Chart(
            "chart-categories", f"各类别成员单位数（{latest.date_chinese}）", ("成员单位",),
            tuple(Row(c.name, (declared[c.id],), f"units/#category-{c.id}")
                  for c in units_file.categories if declared.get(c.id) is not None),
            unit="家",
        )
    by_level = Counter(e.type.level for e in graph.honours)
    levels = Chart(
        "chart-honour-levels", "荣誉记录：按级别", ("荣誉记录",),
        tuple(Row(LEVEL_LABELS[level], (by_level.get(level, 0),), f"honours/#level-{level}")
              for level in ("national", "municipal", "district")
              if any(t.level == level for t in graph.honour_types.values())),  # the honours page has its heading
        "只计来源点名的获得者；来源中只有总数的（如“感动海淀”36家驻区单位）见各活动页面。" if editorial else
        "只公布获奖总数的评选，见各活动页面。",
        unit="条",
    )
    by_year = Counter({year: len(entries) for year, entries in graph.honours_by_year.items()})
    years = Chart(
        "chart-honour-years", "荣誉记录：按年度", ("荣誉记录",),
        tuple(Row(f"{year}年", (count,), f"honours/#year-{year}") for year, count in sorted(by_year.items())),
        unit="条",
    )
    participation = sorted(
        ((unit, len({p.action.id for p in graph.participations.get(unit.id, [])})) for unit in graph.units.values()),
        key=lambda pair: (-pair[1], pair[0].id),
    )
    participation_rows, participation_total = _largest(
        [Row(unit.name, (count,), f"units/{unit.id}/") for unit, count in participation if count])
    participation_chart = Chart(
        "chart-participation", "单位参与的行动数", ("行动数",), participation_rows,
        "只计来源中点名参与的行动。" if editorial else "", unit="项", total_rows=participation_total,
        row_noun="家单位",
    )
    section_rows, section_total = _largest(
        [Row(" ".join(p for p in (a.section, a.short_title or a.title) if p), (len(a.actions),),
             f"activities/{a.id}/") for a in graph.activities])
    sections = Chart(
        "chart-sections", "各项工作的具体行动数", ("行动数",), section_rows, unit="项",
        total_rows=section_total, row_noun="项工作",
    )
    return [categories, levels, years, participation_chart, sections]

