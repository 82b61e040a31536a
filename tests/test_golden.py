"""Golden cases: one folder per editor mistake under tests/cases/.

A case folder holds the file(s) the editor wrote (`units.yaml` and/or `activities.yaml`; the
other comes from `_base/`) and `expected.txt`: the exact report `make check` prints, with the
case folder shown as `data/`. Regenerate nothing automatically: a changed message is a
reviewed change.
"""

from __future__ import annotations

import os
import shutil

import pytest

from showcase.dataset import load_dataset

CASES = os.path.join(os.path.dirname(__file__), "cases")
BASE = os.path.join(CASES, "_base")
NAMES = sorted(n for n in os.listdir(CASES) if not n.startswith("_"))


def run_case(name: str, tmp_path) -> str:
    """The base data with the case's files laid over it (data files and `sources/`)."""
    shutil.copytree(BASE, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    shutil.copytree(os.path.join(CASES, name), tmp_path, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("expected.txt"))
    dataset, report = load_dataset(str(tmp_path), display_dir="data")
    assert (dataset is None) == bool(report)
    return report.format()


def test_base_is_valid(tmp_path):
    assert run_case("_base", tmp_path) == ""


@pytest.mark.parametrize("name", NAMES)
def test_case(name, tmp_path):
    with open(os.path.join(CASES, name, "expected.txt"), encoding="utf-8") as f:
        expected = f.read().rstrip("\n")
    assert run_case(name, tmp_path) == expected


def test_enough_kinds_of_mistake():
    assert len(NAMES) >= 20
