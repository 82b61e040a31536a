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


def _edit(rng: random.Random, units: dict, activities: dict) -> str:
    """One random editor's change to the raw data; returns what it did."""
    unit = rng.choice(units["units"])
    action = rng.choice(rng.choice(activities["activities"])["actions"])
    kind = rng.choice(["rename", "category", "honour", "person", "parent", "join", "leave", "role",
                       "title", "action-title", "new-unit", "summary", "membership", "website", "figure"])
    if kind == "rename":
        unit["name"] += "（更名）"
    elif kind == "category":
        unit["category"] = "other"
    elif kind == "honour":
        unit.setdefault("honours", []).append({"type": "h1", "year": 2010, "status": "awarded", "basis": "stated"})
    elif kind == "person" and unit.get("people"):
        unit["people"][0]["name"] += "（改）"
    elif kind == "parent":
        unit["parent"] = rng.choice([u["id"] for u in units["units"] if u["id"] != unit["id"] and "parent" not in u])
    elif kind == "join":
        action["participants"].append({"unit": unit["id"], "role": "新加入", "basis": "stated"})
    elif kind == "leave" and len(action["participants"]) > 1:
        action["participants"].pop(0)
    elif kind == "role":
        action["participants"][0]["role"] = "角色改了"
    elif kind == "title":
        rng.choice(activities["activities"])["title"] += "（修订）"
    elif kind == "action-title":
        action["title"] += "（修订）"
    elif kind == "new-unit":
        units["units"].append({**copy.deepcopy(unit), "id": f"new-{rng.randrange(10**6)}",
                               "name": f"新单位{rng.randrange(10**6)}", "people": []})
    elif kind == "membership":
        unit["membership"] = "unknown" if unit["membership"] != "unknown" else "stated"
    elif kind == "website":
        unit["website"] = "https://example.org/"
    elif kind == "figure" and action.get("figures"):
        action["figures"][0]["value"] += 1
    else:
        unit["summary"] = "新的简介。"
    return kind


def _load(folder: Path, units: dict, activities: dict):
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (("units.yaml", units), ("activities.yaml", activities)):
        (folder / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    dataset, report = load_dataset(str(folder))
    assert not report, report.format()
    return build_graph(dataset)


@pytest.mark.parametrize("seed", range(24))
def test_reused_pages_equal_a_full_render(tmp_path, seed):
    rng = random.Random(seed)
    units, activities = make_dataset(80, seed=seed)
    old = _load(tmp_path / "old", units, activities)
    old_pages = {p.path: p for p in generate_pages(old, TEMPLATES)}
    units, activities = copy.deepcopy(units), copy.deepcopy(activities)
    done = [_edit(rng, units, activities) for _ in range(rng.randint(1, 3))]
    for category in units["categories"]:
        if "declared_count" in category:
            category["declared_count"] = sum(1 for u in units["units"] if u["category"] == category["id"])
    units["groups"][0]["declared_count"] = next(c["declared_count"] for c in units["categories"]
                                                if c["id"] == "district-unit")
    units["groups"][1]["declared_count"] = sum(c.get("declared_count", 0) for c in units["categories"]
                                               if c["group"] == "resident")
    units["committee"]["membership"]["total"] = sum(g["declared_count"] for g in units["groups"])
    new = _load(tmp_path / "new", units, activities)
    full = generate_pages(new, TEMPLATES)
    reuse = plan_reuse(old, new, old_pages)
    incremental = generate_pages(new, TEMPLATES, reuse=reuse)
    assert [p.path for p in incremental] == [p.path for p in full]
    stale = [p.path for p, q in zip(incremental, full) if p != q]
    assert stale == [], f"edits {done} left stale pages"


def test_editing_one_summary_renders_one_record_page(tmp_path):
    units, activities = make_dataset(80, seed=1)
    old = _load(tmp_path / "old", units, activities)
    old_pages = {p.path: p for p in generate_pages(old, TEMPLATES)}
    units = copy.deepcopy(units)
    units["units"][5]["summary"] = "只改了简介。"
    new = _load(tmp_path / "new", units, activities)
    reuse = plan_reuse(old, new, old_pages)
    assert reuse.stale == {"units": {units["units"][5]["id"]}, "activities": set()}
    assert reuse.index_pages_valid
