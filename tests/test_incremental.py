"""The preview reuses record pages an edit cannot have changed: after any edit, the reused
set must equal a full render, page for page."""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path

import pytest
import yaml

from showcase.dataset import load_dataset
from showcase.graph import build_graph
from showcase.incremental import plan_reuse
from showcase.pages import generate_pages

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synth import make_dataset  # noqa: E402

TEMPLATES = str(ROOT / "overrides" / "showcase")


EDIT_KINDS = ("rename", "category", "honour", "person", "person-summary", "person-honour", "person-unit",
              "new-person", "parent", "join", "person-join", "leave", "role", "title", "action-title", "new-unit",
              "summary", "membership", "website", "figure", "roll", "rename-to-roll-name", "snapshot")


def _edit(rng: random.Random, units: dict, activities: dict, kind: str) -> str:
    """One editor's change of `kind` to the raw data, on records picked by `rng` among those
    the change applies to; returns what it did."""
    unit = rng.choice(units["units"])
    actions = [x for a in activities["activities"] for x in a["actions"]]
    action = rng.choice(actions)
    if kind == "rename":
        unit["name"] += "（更名）"
    elif kind == "category":
        unit["category"] = "other"
    elif kind == "honour":
        unit.setdefault("honours", []).append({"type": "h1", "date": 2010, "status": "awarded", "basis": "stated"})
    elif kind == "person":
        rng.choice(units["people"])["name"] += "（改）"
    elif kind == "person-summary":
        rng.choice(units["people"])["summary"] = "新的简介。"
    elif kind == "person-honour":
        rng.choice(units["people"]).setdefault("honours", []).append(
            {"type": "h0", "date": "2010-05", "grade": "monthly", "status": "awarded", "basis": "stated"})
    elif kind == "person-unit":
        person = rng.choice([p for p in units["people"] if p.get("unit")])
        person["unit"] = rng.choice([u["id"] for u in units["units"] if u["id"] != person["unit"]])
    elif kind == "new-person":
        units["people"].append({"id": f"new-p{rng.randrange(10**6)}", "name": f"新人物{rng.randrange(10**6)}",
                                "unit": unit["id"], "basis": "stated"})
    elif kind == "person-join":
        action["participants"].append({"person": rng.choice(units["people"])["id"], "role": "新加入",
                                       "basis": "stated"})
    elif kind == "roll":
        roll = rng.choice(units["rolls"])
        roll["names"] = f"{unit['name']}\n" + roll["names"]  # a unit now on the roll
    elif kind == "rename-to-roll-name":
        # the roll unchanged, but a unit renamed to a name it lists: the name now links to the unit
        taken = {u["name"] for u in units["units"]} | {p["name"] for p in units["people"]}
        entries = [line.split(". ", 1)[-1] for roll in units["rolls"] for line in roll["names"].splitlines()]
        unit["name"] = next(entry for entry in entries if entry not in taken)
    elif kind == "snapshot":
        units["committee"]["snapshots"][-1]["directors"]["count"] += 1
    elif kind == "parent":
        unit["parent"] = rng.choice([u["id"] for u in units["units"] if u["id"] != unit["id"] and "parent" not in u])
    elif kind == "join":
        action["participants"].append({"unit": unit["id"], "role": "新加入", "basis": "stated"})
    elif kind == "leave":
        rng.choice([x for x in actions if len(x["participants"]) > 1])["participants"].pop(0)
    elif kind == "role":
        rng.choice([x for x in actions if x["participants"]])["participants"][0]["role"] = "角色改了"
    elif kind == "title":
        rng.choice(activities["activities"])["title"] += "（修订）"
    elif kind == "action-title":
        action["title"] += "（修订）"
    elif kind == "new-unit":
        units["units"].append({**copy.deepcopy(unit), "id": f"new-{rng.randrange(10**6)}",
                               "name": f"新单位{rng.randrange(10**6)}"})
    elif kind == "membership":
        unit["membership"] = "unknown" if unit["membership"] != "unknown" else "stated"
    elif kind == "website":
        unit["website"] = "https://example.org/"
    elif kind == "figure":
        rng.choice([x for x in actions if x.get("figures")])["figures"][0]["value"] += 1
    else:
        assert kind == "summary", kind
        unit["summary"] = "新的简介。"
    return kind


def _load(folder: Path, units: dict, activities: dict):
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (("units.yaml", units), ("activities.yaml", activities)):
        (folder / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    dataset, report = load_dataset(str(folder))
    assert not report, report.format()
    return build_graph(dataset)


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    """The synthetic data before the edits, its graph and its fully rendered pages."""
    units, activities = make_dataset(60, seed=3)
    old = _load(tmp_path_factory.mktemp("before"), units, activities)
    return units, activities, old, {p.path: p for p in generate_pages(old, TEMPLATES)}


def _declare_counts(units: dict) -> None:
    """Declared counts that fit the edited list (an added unit must not fail the check)."""
    listed = {c["id"]: sum(1 for u in units["units"] if u["category"] == c["id"]) for c in units["categories"]}
    for snapshot in units["committee"]["snapshots"]:
        for count in snapshot["category_counts"]:
            count["declared_count"] = max(count["declared_count"], listed[count["category"]])
        by_group = {"district": 0, "resident": 0}
        for count in snapshot["category_counts"]:
            group = next(c["group"] for c in units["categories"] if c["id"] == count["category"])
            if group in by_group:
                by_group[group] += count["declared_count"]
        for group in snapshot["groups"]:
            group["declared_count"] = by_group[group["group"]]
        snapshot["membership"]["total"] = sum(by_group.values())


def _assert_reuse_equals_full_render(before, tmp_path, edits: list[str], seed: int) -> None:
    units, activities, old, old_pages = before
    units, activities = copy.deepcopy(units), copy.deepcopy(activities)
    rng = random.Random(seed)
    done = [_edit(rng, units, activities, kind) for kind in edits]
    _declare_counts(units)
    new = _load(tmp_path / "new", units, activities)
    full = generate_pages(new, TEMPLATES)
    incremental = generate_pages(new, TEMPLATES, reuse=plan_reuse(old, new, old_pages))
    assert [p.path for p in incremental] == [p.path for p in full]
    stale = [p.path for p, q in zip(incremental, full, strict=True) if p != q]
    assert stale == [], f"edits {done} left stale pages"


@pytest.mark.parametrize("kind", EDIT_KINDS)
def test_reused_pages_equal_a_full_render_after_each_kind_of_edit(before, tmp_path, kind):
    _assert_reuse_equals_full_render(before, tmp_path, [kind], seed=len(kind))


@pytest.mark.parametrize("seed", range(4))
def test_reused_pages_equal_a_full_render_after_several_random_edits(before, tmp_path, seed):
    rng = random.Random(seed)
    _assert_reuse_equals_full_render(before, tmp_path, rng.sample(EDIT_KINDS, rng.randint(2, 4)), seed)


def test_editing_one_summary_renders_one_record_page(tmp_path):
    units, activities = make_dataset(80, seed=1)
    old = _load(tmp_path / "old", units, activities)
    old_pages = {p.path: p for p in generate_pages(old, TEMPLATES)}
    units = copy.deepcopy(units)
    units["units"][5]["summary"] = "只改了简介。"
    new = _load(tmp_path / "new", units, activities)
    reuse = plan_reuse(old, new, old_pages)
    assert reuse.stale == {"units": {units["units"][5]["id"]}, "people": set(), "activities": set()}
    assert reuse.index_pages_valid


def test_editing_one_persons_summary_renders_one_person_page(tmp_path):
    units, activities = make_dataset(80, seed=1)
    old = _load(tmp_path / "old", units, activities)
    old_pages = {p.path: p for p in generate_pages(old, TEMPLATES)}
    units = copy.deepcopy(units)
    units["people"][2]["summary"] = "只改了简介。"
    new = _load(tmp_path / "new", units, activities)
    reuse = plan_reuse(old, new, old_pages)
    assert reuse.stale == {"units": set(), "people": {units["people"][2]["id"]}, "activities": set()}
    assert reuse.index_pages_valid


@pytest.mark.parametrize("kind", ["roll", "snapshot", "rename-to-roll-name"])
def test_roll_and_snapshot_edits_render_everything(before, tmp_path, kind):
    units, activities, old, old_pages = before
    units, activities = copy.deepcopy(units), copy.deepcopy(activities)
    _edit(random.Random(1), units, activities, kind)
    _declare_counts(units)
    assert plan_reuse(old, _load(tmp_path / "new", units, activities), old_pages) is None
