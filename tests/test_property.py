"""Arbitrary Unicode in any text field: it loads unchanged, or is refused with a located
error. It never crashes the loader or the validator."""

from __future__ import annotations

import copy
import os
import shutil

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from showcase.dataset import load_dataset

BASE = os.path.join(os.path.dirname(__file__), "cases", "_base")

with open(os.path.join(BASE, "units.yaml"), encoding="utf-8") as f:
    UNITS = yaml.safe_load(f)
with open(os.path.join(BASE, "activities.yaml"), encoding="utf-8") as f:
    ACTIVITIES = yaml.safe_load(f)

# (file, path) of text fields of every kind of record: names, titles, roles, labels, notes.
TEXT_FIELDS = [
    ("units", ("committee", "name")),
    ("units", ("committee", "snapshots", 0, "directors", "held_by")),
    ("units", ("categories", 1, "name")),
    ("units", ("honour_types", 0, "name")),
    ("units", ("units", 0, "name")),
    ("units", ("units", 0, "source", "loc")),
    ("units", ("people", 0, "name")),
    ("units", ("units", 1, "summary")),
    ("units", ("sources", 0, "title")),
    ("activities", ("activities", 0, "title")),
    ("activities", ("activities", 0, "summary")),
    ("activities", ("activities", 0, "actions", 0, "title")),
    ("activities", ("activities", 0, "actions", 0, "participants", 0, "role")),
    ("activities", ("activities", 0, "actions", 0, "figures", 0, "label")),
    ("activities", ("activities", 0, "actions", 0, "note")),
]


def _set(data: dict, path: tuple, value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _get(model: object, path: tuple) -> object:
    for part in path:
        model = model[part] if isinstance(part, int) else getattr(model, part)
    return model


def _write(tmp_path, units: dict | str, activities: dict | str) -> None:
    shutil.copytree(os.path.join(BASE, "sources"), tmp_path / "sources", dirs_exist_ok=True)
    for name, content in (("units.yaml", units), ("activities.yaml", activities)):
        if isinstance(content, dict):
            content = yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
        (tmp_path / name).write_text(content, encoding="utf-8")


def _assert_located(report) -> None:
    assert report.problems
    for problem in report.problems:
        assert problem.file in ("data/units.yaml", "data/activities.yaml")
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message and "Traceback" not in problem.message


settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("ci")


@settings(max_examples=300)
@given(field=st.sampled_from(TEXT_FIELDS), text=st.text(max_size=80))
def test_any_text_loads_unchanged_or_is_refused_with_a_location(tmp_path, field, text):
    which, path = field
    units, activities = copy.deepcopy(UNITS), copy.deepcopy(ACTIVITIES)
    _set(units if which == "units" else activities, path, text)
    _write(tmp_path, units, activities)
    dataset, report = load_dataset(str(tmp_path), display_dir="data")
    if dataset is None:
        _assert_located(report)
    else:
        root = dataset.units if which == "units" else dataset.activities
        assert _get(root, path) == text


@settings(max_examples=300)
@given(text=st.text(max_size=80))
def test_any_text_pasted_into_the_file_never_crashes(tmp_path, text):
    # Pasted as is, without quoting: may break the YAML, must never break the checker.
    with open(os.path.join(BASE, "units.yaml"), encoding="utf-8") as f:
        units = f.read().replace("name: 甲大学", f"name: {text}", 1)
    _write(tmp_path, units, ACTIVITIES)
    dataset, report = load_dataset(str(tmp_path), display_dir="data")
    if dataset is None:
        _assert_located(report)
