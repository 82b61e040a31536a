"""The preview's load (`remember=True`) re-reads, re-validates and re-walks only the records whose
text changed: after any edit, what it returns must be what a fresh load returns (the same
models, line maps and problems, with the same locations and messages, in the same order)."""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path

import pytest
import yaml

from showcase import records
from showcase.dataset import load_dataset
from showcase.loader import load_bytes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synth import make_dataset  # noqa: E402


class _Indented(yaml.SafeDumper):
    """Lists indented under their key, as data/units.yaml writes them (PyYAML's default is not)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _dump(value: dict, indented: bool) -> str:
    dumper = _Indented if indented else yaml.SafeDumper
    return yaml.dump(value, Dumper=dumper, allow_unicode=True, sort_keys=False, width=200)


# Text edits that make a record wrong in each way the loader and the models tell apart.
BREAKS = (
    ("membership: ", "membership: yes\n    x: "),     # a YAML 1.1 boolean, a stray key
    ("name: ", "name: \"unclosed "),                    # broken YAML
    ("name: ", "name: &anchor "),                       # an anchor
    ("basis: stated", "basis: told"),                   # a wrong choice
    ("category: ", "category: no-such-"),               # a reference that does not resolve
    ("\n", "\n\t"),                                     # a tab
)


def _edit(rng: random.Random, units: dict, kind: str) -> str:
    listed = units["units"]
    unit = rng.choice(listed)
    if kind == "field":
        unit["summary"] = unit.get("summary", "") + "（补充）"
    elif kind == "rename":
        unit["name"] += "（更名）"
    elif kind == "reid":
        unit["id"] += "-x"  # references to it now fail: problems, then fixed by a later edit or not
    elif kind == "add":
        new = copy.deepcopy(unit)
        new["id"], new["name"] = f"new-{rng.randrange(10**6)}", f"新单位{rng.randrange(10**6)}"
        new.pop("parent", None)
        listed.insert(rng.randrange(len(listed) + 1), new)
    elif kind == "delete" and len(listed) > 2:
        listed.remove(unit)
    elif kind == "move":
        listed.remove(unit)
        listed.insert(rng.randrange(len(listed) + 1), unit)
    elif kind == "duplicate-name":
        unit["name"] = rng.choice(listed)["name"]
    elif kind == "person":
        person = rng.choice(units["people"])
        person["name"] += "甲"
    # What the cross-record checks keep from run to run must not outlive the records it came from:
    # a parent, then the unit it names deleted; an award roll naming a unit (then renamed, deleted,
    # or given a namesake); a person with a unit's name (one roll entry, two records).
    elif kind == "parent":
        unit["parent"] = rng.choice(listed)["id"]  # now and then a cycle
    elif kind == "roll-entry" and units.get("rolls"):
        roll = rng.choice(units["rolls"])
        roll["names"] = roll.get("names", "") + f"{rng.choice(listed)['name']}\n"
    elif kind == "namesake" and units.get("people"):
        rng.choice(units["people"])["name"] = unit["name"]
    elif kind == "alias":
        unit["aliases"] = [*unit.get("aliases", []), rng.choice(listed)["name"]]
    return kind


KINDS = ("field", "rename", "reid", "add", "delete", "move", "duplicate-name", "person",
         "parent", "roll-entry", "namesake", "alias", "undo")


def _write(folder: Path, units_text: str, activities_text: str) -> None:
    (folder / "units.yaml").write_text(units_text, encoding="utf-8")
    (folder / "activities.yaml").write_text(activities_text, encoding="utf-8")


def _same_as_fresh(folder: Path, what: str) -> None:
    kept, kept_report = load_dataset(str(folder), display_dir="data", remember=True)
    fresh, fresh_report = load_dataset(str(folder), display_dir="data", remember=False)
    assert [str(p) for p in kept_report.problems] == [str(p) for p in fresh_report.problems], what
    assert kept_report.problems == fresh_report.problems, what
    if fresh is not None:
        differ = {(f, k, kept.lines[f].get(k), fresh.lines[f].get(k)) for f in fresh.lines
                  for k in kept.lines[f].keys() | fresh.lines[f].keys() if kept.lines[f].get(k) != fresh.lines[f].get(k)}
        assert not differ, what
    assert kept == fresh, what


@pytest.mark.parametrize("indented", [False, True], ids=["indentless", "indented"])
@pytest.mark.parametrize("seed", range(2))
def test_preview_load_after_random_edits_equals_a_fresh_load(tmp_path, monkeypatch, seed, indented):
    monkeypatch.setenv("SHOWCASE_MEDIA_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "data"
    folder.mkdir()
    rng = random.Random(seed)
    units, activities = make_dataset(40, seed=seed)
    activities_text = _dump(activities, indented)
    text = _dump(units, indented)
    _write(folder, text, activities_text)
    _same_as_fresh(folder, "first load")
    history: list[dict] = []
    for step in range(24):
        roll = rng.random()
        if roll < 0.2:  # break one record's text, then (next step, usually) put it back
            before, after = rng.choice(BREAKS)
            spots = [k for k in range(len(text)) if text.startswith(before, k)]
            at = rng.choice(spots)
            broken = text[:at] + after + text[at + len(before):]
            _write(folder, broken, activities_text)
            _same_as_fresh(folder, f"step {step}: broken with {after!r}")
            if rng.random() < 0.8:
                _write(folder, text, activities_text)
                _same_as_fresh(folder, f"step {step}: fixed")
            else:
                text = broken
                units = None
            continue
        if units is None:  # the file was left broken: start again from its last good data
            units = yaml.safe_load(_write_back(folder, step, rng))
            history.clear()
        kind = rng.choice(KINDS)
        if kind == "undo" and history:  # the problem an edit made (a duplicate name …) taken back
            units = history.pop()
        else:
            history.append(copy.deepcopy(units))
            kind = _edit(rng, units, kind)
        text = _dump(units, indented)
        _write(folder, text, activities_text)
        _same_as_fresh(folder, f"step {step}: {kind}")


def _write_back(folder: Path, step: int, rng: random.Random) -> str:
    """A good file again (the editor fixed it): the synthetic data of another seed."""
    units, _ = make_dataset(40, seed=step)
    return yaml.dump(units, allow_unicode=True, sort_keys=False)


def test_an_edit_reparses_only_the_records_it_touched():
    units, _ = make_dataset(60, seed=1)
    text = _dump(units, indented=True)
    cache = records.RecordCache()
    records.load_records(text.encode(), "data/units.yaml", cache)
    name = units["units"][7]["name"]
    edited = text.replace(f"name: {name}\n", f"name: {name}甲\n", 1)
    loaded = records.load_records(edited.encode(), "data/units.yaml", cache)
    assert cache.parsed == 1
    fresh = load_bytes(edited.encode(), "data/units.yaml")
    assert (loaded.data, loaded.value_marks, loaded.key_marks) == (fresh.data, fresh.value_marks, fresh.key_marks)


@pytest.mark.parametrize("text", [
    "---\nunits:\n  - id: a\n",                      # a document marker
    "units:\n  - id: a\n - id: b\n",                 # an item less indented than the first
    "units:\n  - id: a\n  x: 1\n",                   # at the items' indentation, and no item
    "units:\n  - id: a\nunits:\n  - id: b\n",        # a repeated top-level key
    "units: [{id: a},\n  {id: b}]\n",                # a flow list: one piece, not split
    "\"units\":\n  - id: a\n",                       # a quoted key
])
def test_a_file_the_split_is_not_sure_of_reads_as_a_whole(text):
    cache = records.RecordCache()
    for _ in range(2):
        loaded = records.load_records(text.encode(), "t.yaml", cache)
        fresh = load_bytes(text.encode(), "t.yaml")
        assert (loaded.data, loaded.problems, loaded.value_marks) == (fresh.data, fresh.problems, fresh.value_marks)

