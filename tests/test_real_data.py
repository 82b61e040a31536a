"""The real 2020 data: it passes every check, and every quote is the report's own words."""

from __future__ import annotations

import os
import shutil

import pytest

from showcase.dataset import load_dataset
from showcase.models import BaseModel, Source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPORT = os.path.join(ROOT, "data", "sources", "report-2020-simplified.txt")


@pytest.fixture(scope="module")
def dataset():
    dataset, report = load_dataset(os.path.join(ROOT, "data"), display_dir="data")
    assert not report, report.format()
    return dataset


def _sources(value):
    if isinstance(value, Source):
        yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _sources(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _sources(item)


def test_real_data_is_valid(dataset):
    """In every committee snapshot the declared counts add up: the groups make the total, and
    no group's categories declare more members than the group (the check allows partial lists)."""
    units = dataset.units
    group_of = {c.id: c.group for c in units.categories}
    for snapshot in units.committee.snapshots:
        if snapshot.membership and snapshot.groups:
            assert sum(g.declared_count for g in snapshot.groups) == snapshot.membership.total, snapshot.date
        for group in snapshot.groups:
            declared = [c.declared_count for c in snapshot.category_counts if group_of[c.category] == group.group]
            assert sum(declared) <= group.declared_count, (snapshot.date, group.group)


def test_the_2020_snapshot_is_the_report_s(dataset):
    """The 2020 committee as the report describes it: 137 member units, 79 district and 58 resident."""
    snapshot = next(s for s in dataset.units.committee.snapshots if s.date == "2020")
    assert snapshot.membership.total == 137
    assert {g.group: g.declared_count for g in snapshot.groups} == {"district": 79, "resident": 58}


def test_the_real_quotes_are_checked_against_the_report(dataset, tmp_path):
    """Every source with a text file has its quotes checked word for word: one changed
    character in a real quote is reported at that record."""
    shutil.copytree(os.path.join(ROOT, "data"), tmp_path, dirs_exist_ok=True)
    units_file = tmp_path / "units.yaml"
    text = units_file.read_text(encoding="utf-8")
    quote = next(s.quote for u in dataset.units.units for s in _sources(u) if s.quote and len(s.quote) > 4)
    line = next(n for n, line in enumerate(text.split("\n")) if line.strip() == f"quote: {quote}")
    lines = text.split("\n")
    lines[line] = lines[line].replace(quote, quote[:-1] + "＊")
    units_file.write_text("\n".join(lines), encoding="utf-8")
    changed, report = load_dataset(str(tmp_path), display_dir="data")
    assert changed is None
    assert [p.message for p in report.problems if p.path.endswith(".quote")] == [
        "摘句在原文中找不到：请从原文逐字复制（标点、空格也要一致）"]


def test_report_copy_matches_the_seed():
    seed = os.path.join(ROOT, "..", "shared", "seed", "report-2020-simplified.txt")
    if not os.path.exists(seed):
        pytest.skip("shared/seed is not beside this checkout")
    with open(seed, encoding="utf-8") as a, open(REPORT, encoding="utf-8") as b:
        assert a.read() == b.read()


def test_the_people_and_actions_of_the_report_are_there(dataset):
    # At least the report's: editors add records, and that must not fail the tests.
    people = {p.name: p.unit for p in dataset.units.people}
    assert {"沈宁": "pku-third-hospital", "陈薇": "ams", "宋婷婷": "kuaishou"}.items() <= people.items()
    report_actions = [a for act in dataset.activities.activities for a in act.actions
                      if a.source and a.source.doc == "report-2020"]
    assert len(report_actions) >= 13
