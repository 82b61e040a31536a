"""The real 2020 data: it passes every check, and every quote is the report's own words."""

from __future__ import annotations

import os

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
    units = dataset.units
    assert units.committee.membership.total == 137
    assert {g.group: g.declared_count for g in units.groups} == {"district": 79, "resident": 58}
    declared = sorted(c.declared_count for c in units.categories if c.declared_count is not None)
    assert declared == [10, 13, 15, 20, 79]


def test_every_quote_is_verbatim_from_the_report(dataset):
    with open(REPORT, encoding="utf-8") as f:
        report = f.read()
    quotes = [s.quote for root in (dataset.units, dataset.activities) for s in _sources(root)
              if s.quote and s.doc == "report-2020"]
    assert len(quotes) > 40
    missing = [q for q in quotes if q not in report]
    assert missing == []


def test_report_copy_matches_the_seed():
    seed = os.path.join(ROOT, "..", "shared", "seed", "report-2020-simplified.txt")
    if not os.path.exists(seed):
        pytest.skip("shared/seed is not beside this checkout")
    with open(seed, encoding="utf-8") as a, open(REPORT, encoding="utf-8") as b:
        assert a.read() == b.read()


def test_the_people_and_actions_of_the_report_are_there(dataset):
    # At least the report's: editors add records, and that must not fail the tests.
    people = {p.name: u.id for u in dataset.units.units for p in u.people}
    assert {"沈宁": "pku-third-hospital", "陈薇": "ams", "宋婷婷": "kuaishou"}.items() <= people.items()
    report_actions = [a for act in dataset.activities.activities for a in act.actions
                      if a.source and a.source.doc == "report-2020"]
    assert len(report_actions) >= 13
