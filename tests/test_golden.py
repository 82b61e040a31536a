"""Golden cases: one folder per editor mistake under tests/cases/.

A case folder holds the file(s) the editor wrote (`units.yaml` and/or `activities.yaml`; the
other comes from `_base/`) and `expected.txt`: the exact report `make check` prints, with the
case folder shown as `data/`. A changed message is a reviewed change: after changing one on
purpose, `pytest tests/test_golden.py --update-goldens` rewrites the expectations from today's
output, and the diff of `tests/cases/*/expected.txt` is what the reviewer reads.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from showcase.dataset import load_dataset

CASES = os.path.join(os.path.dirname(__file__), "cases")
BASE = os.path.join(CASES, "_base")
NAMES = sorted(n for n in os.listdir(CASES) if not n.startswith("_"))
LOCATION = re.compile(r"^  data/([\w.-]+\.yaml):(\d+):(\d+)  ", re.M)


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
def test_case(name, tmp_path, request):
    expected_file = os.path.join(CASES, name, "expected.txt")
    actual = run_case(name, tmp_path)
    if request.config.getoption("--update-goldens"):
        with open(expected_file, "w", encoding="utf-8", newline="\n") as f:
            f.write(actual + "\n" if actual else "")
        return
    with open(expected_file, encoding="utf-8") as f:
        expected = f.read().rstrip("\n")
    assert actual == expected


@pytest.mark.parametrize("name", NAMES)
def test_every_location_points_into_the_file(name, tmp_path):
    """A message is only as good as its location: every line:column of a case's report lies
    inside the file it names (an editor's editor jumps there)."""
    report = run_case(name, tmp_path)
    for file, line, column in LOCATION.findall(report):
        with open(tmp_path / file, "rb") as f:
            lines = f.read().decode("utf-8", "replace").split("\n")
        assert 1 <= int(line) <= max(len(lines), 1), (file, line)
        assert 1 <= int(column) <= len(lines[int(line) - 1]) + 1, (file, line, column)
