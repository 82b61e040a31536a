"""The editor guide: its field reference follows the models, its examples are valid data."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import Field

from showcase import pages as pages_module
from showcase.dataset import load_dataset
from showcase.graph import build_graph
from showcase.loader import load_bytes
from showcase.models import Honour, Name, Person, Unit, UnitsFile
from showcase.reference import reference
from showcase.schema import DATA_FILES

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "contribute" / "index.md"


class _UnitWithMotto(Unit):
    motto: Name | None = Field(None, description="单位的座右铭（测试用字段）")


class _UnitsFileWithMotto(UnitsFile):
    units: list[_UnitWithMotto]


def _reference_page(monkeypatch, files) -> str:
    monkeypatch.setattr(pages_module, "DATA_FILES", files)
    dataset, report = load_dataset(str(ROOT / "data"))
    assert not report
    generated = pages_module.generate_pages(build_graph(dataset), str(ROOT / "overrides" / "showcase"))
    return next(p for p in generated if p.path == "contribute/reference.md").html


def test_reference_lists_every_field_of_every_model():
    docs = reference(DATA_FILES)
    unit = next(m for f in docs for m in f.models if m.name == "Unit")
    assert [f.name for f in unit.fields][:4] == ["id", "name", "full_name", "aliases"]
    assert next(f for f in unit.fields if f.name == "id").required
    assert next(f for f in unit.fields if f.name == "membership").type == "以下之一：stated、inferred、unknown"


def test_reference_page_changes_when_a_model_field_is_added(monkeypatch):
    before = _reference_page(monkeypatch, DATA_FILES)
    after = _reference_page(monkeypatch, {**DATA_FILES, "data/units.yaml": _UnitsFileWithMotto})
    assert "motto" not in before
    assert "<code>motto</code>" in after and "单位的座右铭（测试用字段）" in after


def _examples() -> dict[str, list]:
    """The guide's ```yaml blocks, read with the project's own strict loader, by top-level key."""
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    found: dict[str, list] = {}
    for block in blocks:
        loaded = load_bytes(block.encode("utf-8"), "guide")
        assert loaded.problems == [], [str(p) for p in loaded.problems]
        if isinstance(loaded.data, list):  # records to paste into a top-level list
            for item in loaded.data:
                kind = "units" if "category" in item else "activities" if "actions" in item else "other"
                found.setdefault(kind, []).append(item)
        elif isinstance(loaded.data, dict):
            for key, value in loaded.data.items():
                if isinstance(value, list):
                    found.setdefault(key, []).extend(value)
    return found


def test_guide_examples_are_valid_records_of_their_kind():
    examples = _examples()
    for key, model in (("people", Person), ("honours", Honour)):
        assert examples.get(key), f"the guide has no `{key}:` example"
        for item in examples[key]:
            model.model_validate(item)


def test_guide_examples_for_a_new_unit_and_campaign_pass_the_full_check(tmp_path):
    examples = _examples()
    data = {}
    for name in ("units", "activities"):
        data[name] = yaml.safe_load((ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8"))
    new_unit = next(u for u in examples["units"] if isinstance(u, dict) and "category" in u)
    new_activity = examples["activities"][0]
    shutil.copytree(ROOT / "data", tmp_path, dirs_exist_ok=True)  # the source texts quotes are checked against
    data["units"]["units"].append(copy.deepcopy(new_unit))
    data["activities"]["activities"].append(copy.deepcopy(new_activity))
    for name, content in data.items():
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")
    dataset, report = load_dataset(str(tmp_path), display_dir="data")
    assert not report, report.format()
    participants = {p.unit for a in dataset.activities.activities[-1].actions for p in a.participants}
    assert new_unit["id"] in participants, "the example campaign should link to the example unit"


def test_guide_is_linked_from_the_readme():
    assert "contribute" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("snippet", ["make check", "make serve", "reference.md"])
def test_guide_explains_checking_previewing_and_links_the_reference(snippet):
    assert snippet in GUIDE.read_text(encoding="utf-8")
