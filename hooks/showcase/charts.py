"""Bar charts drawn as inline SVG at build time: readable without JavaScript, no chart
library on the reader's phone. Each chart also has a plain table (the template prints it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from .graph import Graph
from .models import LEVEL_LABELS

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 20, 10, 120, 400  # drawn 1:1 at about 400 px
SERIES_CLASSES = ("sc-bar--a", "sc-bar--b")


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int | None, ...]  # None: not known (no bar, "—" in the table)
    href: str | None = None  # site-relative URL of the record the row is about


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    series: tuple[str, ...]  # names of the values in each row
    rows: tuple[Row, ...]
    note: str = ""

    @property
    def svg(self) -> Markup:
        return render_svg(self)


def render_svg(chart: Chart) -> Markup:
    n_series = len(chart.series)
    row_height = BAR_HEIGHT * n_series + GAP
    height = max(row_height * len(chart.rows) + GAP, 40)
    top = max((v for r in chart.rows for v in r.values if v is not None), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - 40) / top
    parts = [
        Markup('<svg class="sc-chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" '
               'xmlns="http://www.w3.org/2000/svg">').format(w=WIDTH, h=height, id=chart.id),
        Markup('<title id="{id}-title">{t}</title>').format(id=chart.id, t=chart.title),
        Markup('<desc id="{id}-desc">{d}</desc>').format(id=chart.id, d=_describe(chart)),
    ]
    for i, row in enumerate(chart.rows):
        y = GAP + i * row_height
        label = row.label if len(row.label) <= 8 else row.label[:7] + "…"
        parts.append(Markup('<text class="sc-chart__label" x="{x}" y="{y}" text-anchor="end">{t}</text>').format(
            x=LABEL_WIDTH - 8, y=y + BAR_HEIGHT * n_series / 2 + 5, t=label))
        for k, value in enumerate(row.values):
            if value is None:
                continue
            by = y + k * BAR_HEIGHT
            width = max(value * scale, 1 if value else 0)
            parts.append(Markup(
                '<rect class="sc-bar {cls}" x="{x}" y="{y}" width="{w:.1f}" height="{h}" rx="2"></rect>'
                '<text class="sc-chart__value" x="{tx:.1f}" y="{ty}">{v}</text>'
            ).format(cls=SERIES_CLASSES[k % 2], x=LABEL_WIDTH, y=by + 2, w=width, h=BAR_HEIGHT - 4,
                     tx=LABEL_WIDTH + width + 6, ty=by + BAR_HEIGHT / 2 + 5, v=value))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _describe(chart: Chart) -> str:
    rows = "；".join(
        f"{row.label}：" + "，".join(f"{name} {'不详' if value is None else value}"
                                    for name, value in zip(chart.series, row.values, strict=True))
        for row in chart.rows
    )
    return f"{chart.title}。{rows}" if rows else f"{chart.title}：暂无数据"


def site_charts(graph: Graph) -> list[Chart]:
    units_file = graph.dataset.units
    latest = graph.latest
    declared = {c: count.declared_count for c, count in latest.category_counts.items()}
    total = f" {latest.total} 家" if latest.total is not None else ""
    categories = Chart(
        "chart-categories", f"各类别单位：来源所述成员数（{latest.date_chinese}）与本站已列出的单位数",
        ("来源所述", "已列出"),
        tuple(Row(c.name, (declared.get(c.id), len(graph.units_by_category.get(c.id, []))),
                  f"units/#category-{c.id}") for c in units_file.categories),
        f"来源只给出各类别的成员总数，并未逐一列出{total}成员单位；本站收录的是来源点名的单位。",
    )
    by_level = Counter(e.type.level for e in graph.honours)
    levels = Chart(
        "chart-honour-levels", "荣誉记录：按级别", ("荣誉记录",),
        tuple(Row(LEVEL_LABELS[level], (by_level.get(level, 0),), f"honours/#level-{level}")
              for level in ("national", "municipal", "district")
              if any(t.level == level for t in graph.honour_types.values())),  # the honours page has its heading
        "只计来源点名的获得者；来源中只有总数的（如“感动海淀”36家驻区单位）见各活动页面。",
    )
    by_year = Counter({year: len(entries) for year, entries in graph.honours_by_year.items()})
    years = Chart(
        "chart-honour-years", "荣誉记录：按年度", ("荣誉记录",),
        tuple(Row(f"{year}年", (count,), f"honours/#year-{year}") for year, count in sorted(by_year.items())),
    )
    participation = sorted(
        ((unit, len({p.action.id for p in graph.participations.get(unit.id, [])})) for unit in graph.units.values()),
        key=lambda pair: (-pair[1], pair[0].id),
    )
    participation_chart = Chart(
        "chart-participation", "单位参与的行动数", ("行动数",),
        tuple(Row(unit.name, (count,), f"units/{unit.id}/") for unit, count in participation if count),
        "只计来源中点名参与的行动。",
    )
    sections = Chart(
        "chart-sections", "各项工作的具体行动数", ("行动数",),
        tuple(Row(" ".join(p for p in (a.section, a.short_title or a.title) if p), (len(a.actions),),
                  f"activities/{a.id}/") for a in graph.activities),
    )
    return [categories, levels, years, participation_chart, sections]

