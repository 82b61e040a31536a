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
from showcase.models import Honour, HonourType, Name, Person, Roll, Snapshot, SourceDoc, Unit, UnitsFile
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


def _kind_of_record(item: dict) -> str:
    """Which top-level list a pasted record of the guide belongs to, by the fields it has."""
    if "actions" in item or "period" in item:
        return "activities"
    if "category" in item:
        return "units"
    if "names" in item:
        return "rolls"
    if "level" in item:
        return "honour_types"
    if "title" in item and "kind" in item:
        return "sources"
    if "date" in item and {"membership", "groups", "category_counts", "directors"} & item.keys():
        return "snapshots"
    if {"unit", "affiliation"} & item.keys() or item.get("kind") in ("person", "group"):
        return "people"
    return "other"


def _examples() -> dict[str, list]:
    """The guide's ```yaml blocks, read with the project's own strict loader, by the list they go in."""
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    found: dict[str, list] = {}
    for block in blocks:
        loaded = load_bytes(block.encode("utf-8"), "guide")
        assert loaded.problems == [], [str(p) for p in loaded.problems]
        if isinstance(loaded.data, list):  # records to paste into a top-level list
            for item in loaded.data:
                found.setdefault(_kind_of_record(item), []).append(item)
        elif isinstance(loaded.data, dict):
            for key, value in loaded.data.items():
                if isinstance(value, list):
                    found.setdefault(key, []).extend(value)
    return found


def test_guide_examples_are_valid_records_of_their_kind():
    examples = _examples()
    for key, model in (("people", Person), ("honours", Honour), ("rolls", Roll), ("sources", SourceDoc),
                       ("snapshots", Snapshot), ("honour_types", HonourType)):
        assert examples.get(key), f"the guide has no `{key}` example"
        for item in examples[key]:
            model.model_validate(item)
    assert "other" not in examples, examples.get("other")


def test_guide_has_an_example_of_each_new_kind_of_fact():
    examples = _examples()
    assert any(s["kind"] == "news" and len(str(s["date"])) == 10 for s in examples["sources"])
    one_day = [a for a in examples["activities"] if "end" not in a["period"] and len(str(a["period"]["start"])) == 10]
    assert one_day and all("section" not in a for a in one_day), "a news item's one-day activity, without section"
    assert any("affiliation" in p and "unit" not in p for p in examples["people"]), "a person without a unit"
    assert any(p.get("kind") == "group" for p in examples["people"]), "a group"
    assert any(h.get("grade") for p in examples["people"] for h in p.get("honours", [])), "an honour with a grade"
    assert any(len(r["names"].strip().split("\n")) > 2 for r in examples["rolls"]), "a roll of names"
    assert any(a.get("participant_count") for act in examples["activities"] for a in act["actions"])
    assert any("website" in u for u in examples["units"])


def test_guide_examples_pass_the_full_check_with_the_real_data(tmp_path):
    """Every record the guide gives, pasted where it says, into the real data: the full check passes."""
    examples = _examples()
    data = {}
    for name in ("units", "activities"):
        data[name] = yaml.safe_load((ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "data", tmp_path, dirs_exist_ok=True)  # the source texts quotes are checked against
    units = data["units"]
    for key in ("sources", "honour_types", "units", "people", "rolls"):
        units.setdefault(key, []).extend(copy.deepcopy(examples[key]))
    units["committee"]["snapshots"].extend(copy.deepcopy(examples["snapshots"]))
    units["people"][-len(examples["people"])].setdefault("honours", []).extend(copy.deepcopy(examples["honours"]))
    data["activities"]["activities"].extend(copy.deepcopy(examples["activities"]))
    for name, content in data.items():
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")
    dataset, report = load_dataset(str(tmp_path), display_dir="data")
    assert not report, report.format()
    new_unit = examples["units"][0]["id"]
    participants = {p.unit for a in dataset.activities.activities[-1].actions for p in a.participants}
    assert new_unit in participants, "the example news activity should link to the example unit"


def test_guide_is_linked_from_the_readme():
    assert "contribute" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("snippet", ["make check", "make serve", "reference.md"])
def test_guide_explains_checking_previewing_and_links_the_reference(snippet):
    assert snippet in GUIDE.read_text(encoding="utf-8")


def test_guide_photo_examples_are_valid_and_its_numbers_are_the_programs():
    from showcase import media
    from showcase.models import ALT_MAX, ALT_MIN, CAPTION_MAX, PHOTO_USES, Activity, Photo

    text = GUIDE.read_text(encoding="utf-8")
    photos = _examples()["photos"]
    assert len(photos) >= 2
    for item in photos:
        Photo.model_validate(item)
    for label, width, refused in PHOTO_USES.values():
        assert f"| {width} 像素（窄了{'会报错' if refused else '只提醒'}） |" in text, label
    assert f"每张不超过 {media.MAX_BYTES // (1024 * 1024)} MB" in text
    assert f"alt {ALT_MIN}–{ALT_MAX} 字" in text and f"图注最多 {CAPTION_MAX} 字" in text
    assert f"组图最多 {Activity.model_fields['photos'].metadata[0].max_length} 张" in text
