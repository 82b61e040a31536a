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
from showcase.pages import AUDIENCES, Build, generate_pages, plan_pages, reusable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synth import make_dataset  # noqa: E402

TEMPLATES = str(ROOT / "overrides" / "showcase")


EDIT_KINDS = ("rename", "category", "honour", "person", "person-summary", "person-honour", "person-unit",
              "new-person", "parent", "join", "person-join", "leave", "role", "title", "action-title", "new-unit",
              "summary", "membership", "website", "figure", "roll", "rename-to-roll-name", "snapshot",
              "new-campaign", "move-campaign", "honour-date", "remove-unit", "news-title")


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
    elif kind == "new-campaign":
        activities["activities"].append({
            "id": f"new-c{rng.randrange(10**6)}", "title": "新的共建活动", "period": {"start": rng.randint(2005, 2025)},
            "basis": "stated", "source": {"doc": "bench", "loc": "合成数据"},
            "actions": [{"id": "new-a", "title": "新行动", "basis": "stated", "honours": ["h1"],
                         "participants": [{"unit": unit["id"], "basis": "stated"}]}]})
    elif kind == "news-title":  # a campaign the 当年动态 lists name after their news
        rng.choice([a for a in activities["activities"] if a["source"]["doc"].startswith("news")])["title"] += "（改）"
    elif kind == "move-campaign":  # the same records in another order (ties keep the data's order)
        moved = activities["activities"].pop(rng.randrange(len(activities["activities"])))
        activities["activities"].insert(0, moved)
    elif kind == "honour-date":
        rng.choice([u for u in units["units"] if u.get("honours")])["honours"][0]["date"] = 2024
    elif kind == "remove-unit":
        referred = {p.get("unit") for p in units["people"]} | {u.get("parent") for u in units["units"]}
        gone = rng.choice([u for u in units["units"] if u["id"] not in referred])
        units["units"].remove(gone)
        for x in actions:  # its campaigns name it no more
            x["participants"] = [p for p in x["participants"] if p.get("unit") != gone["id"]]
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


@pytest.fixture(scope="module", params=AUDIENCES)
def before(tmp_path_factory, request):
    """The synthetic data before the edits, its graph, the build (public or editorial view) and
    its fully rendered pages."""
    units, activities = make_dataset(60, seed=3)
    old = _load(tmp_path_factory.mktemp("before"), units, activities)
    build = Build(audience=request.param, downloads={"units.json": 1})
    return units, activities, old, build, {p.path: p for p in generate_pages(old, TEMPLATES, build=build)}


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
    units, activities, old, build, old_pages = before
    units, activities = copy.deepcopy(units), copy.deepcopy(activities)
    rng = random.Random(seed)
    done = [_edit(rng, units, activities, kind) for kind in edits]
    _declare_counts(units)
    new = _load(tmp_path / "new", units, activities)
    full = generate_pages(new, TEMPLATES, build=build)
    incremental = generate_pages(new, TEMPLATES, build=build, reuse=plan_reuse(old, new, old_pages))
    assert [p.path for p in incremental] == [p.path for p in full]
    stale = [p.path for p, q in zip(incremental, full, strict=True) if p != q]
    assert stale == [], f"edits {done} left stale pages"


@pytest.mark.parametrize("kind", EDIT_KINDS)
def test_reused_pages_equal_a_full_render_after_each_kind_of_edit(before, tmp_path, kind):
    _assert_reuse_equals_full_render(before, tmp_path, [kind], seed=len(kind))


@pytest.mark.parametrize("seed", range(8))
def test_reused_pages_equal_a_full_render_after_several_random_edits(before, tmp_path, seed):
    rng = random.Random(seed)
    _assert_reuse_equals_full_render(before, tmp_path, rng.sample(EDIT_KINDS, rng.randint(2, 4)), seed)


def _rendered(new, reuse, build: Build | None = None) -> list[str]:
    """The paths of the pages an edit renders again (those not reused)."""
    build = build or Build(downloads={"units.json": 1})
    return [spec.path for spec in plan_pages(new, build) if reusable(spec, reuse, build) is None]


def test_editing_one_summary_renders_one_record_page(tmp_path):
    units, activities = make_dataset(80, seed=1)
    old = _load(tmp_path / "old", units, activities)
    old_pages = {p.path: p for p in generate_pages(old, TEMPLATES)}
    units = copy.deepcopy(units)
    units["units"][5]["summary"] = "只改了简介。"
    new = _load(tmp_path / "new", units, activities)
    reuse = plan_reuse(old, new, old_pages)
    assert reuse.stale == {"units": {units["units"][5]["id"]}, "people": set(), "activities": set()}
    assert _rendered(new, reuse) == ["data/index.md", f"units/{units['units'][5]['id']}.md"]


def test_editing_one_persons_summary_renders_one_person_page(tmp_path):
    units, activities = make_dataset(80, seed=1)
    old = _load(tmp_path / "old", units, activities)
    old_pages = {p.path: p for p in generate_pages(old, TEMPLATES)}
    units = copy.deepcopy(units)
    units["people"][2]["summary"] = "只改了简介。"
    new = _load(tmp_path / "new", units, activities)
    reuse = plan_reuse(old, new, old_pages)
    assert reuse.stale == {"units": set(), "people": {units["people"][2]["id"]}, "activities": set()}
    assert _rendered(new, reuse) == ["data/index.md", f"people/{units['people'][2]['id']}.md"]


@pytest.mark.parametrize("kind", ["roll", "snapshot", "rename-to-roll-name"])
def test_roll_and_snapshot_edits_render_everything(before, tmp_path, kind):
    units, activities, old, _, old_pages = before
    units, activities = copy.deepcopy(units), copy.deepcopy(activities)
    _edit(random.Random(1), units, activities, kind)
    _declare_counts(units)
    assert plan_reuse(old, _load(tmp_path / "new", units, activities), old_pages) is None


INDEX_PAGES = ["index.md", "units/index.md", "activities/index.md", "honours/index.md", "people/index.md",
               "contribute/reference.md", "stats/index.md", "report/index.md", "report/2022.md", "report/2020.md"]


def _index_pages_rendered(before, tmp_path, edit) -> list[str]:
    units, activities, old, build, old_pages = before
    units, activities = copy.deepcopy(units), copy.deepcopy(activities)
    edit(units, activities)
    _declare_counts(units)
    new = _load(tmp_path / "new", units, activities)
    return [path for path in _rendered(new, plan_reuse(old, new, old_pages), build) if path in INDEX_PAGES]


def test_a_rename_renders_the_lists_that_show_the_unit_and_no_other(before, tmp_path):
    """A unit with honours and no people: its name is on the units list and the roll (and the
    reports of its years); not on the campaigns or people lists, which are not rendered again."""
    units = before[0]
    staffed = {p.get("unit") for p in units["people"]}
    index = next(i for i, u in enumerate(units["units"]) if u.get("honours") and u["id"] not in staffed)

    def rename(units, activities):
        units["units"][index]["name"] += "（更名）"
    rendered = _index_pages_rendered(before, tmp_path, rename)
    assert "units/index.md" in rendered and "honours/index.md" in rendered
    assert not {"activities/index.md", "people/index.md", "contribute/reference.md", "report/index.md"} & set(rendered)


def test_a_new_campaign_renders_what_shows_campaigns(before, tmp_path):
    def add(units, activities):
        activities["activities"].append({"id": "c-new", "title": "新的共建活动", "period": {"start": 2003},
                                         "basis": "stated", "source": {"doc": "bench", "loc": "合成数据"}})
    rendered = _index_pages_rendered(before, tmp_path, add)
    assert "activities/index.md" in rendered
    assert not {"units/index.md", "honours/index.md", "people/index.md", "contribute/reference.md",
                "report/2022.md", "report/2020.md"} & set(rendered)


@pytest.mark.parametrize("seed", range(8))
def test_reused_pages_equal_a_full_render_when_lists_are_split(tmp_path, seed):
    """With lists split over pages (tiny limits), edits that move rows between pages (a unit
    added, removed, renamed or moved to another category) leave no page of a list stale: each
    page is compared with the slice that had its address before."""
    from sitekit import SPLIT_LIMITS, page_limits

    shifting = ["new-unit", "remove-unit", "rename", "category", "new-person", "join", "leave"]
    with page_limits(SPLIT_LIMITS):
        units, activities = make_dataset(60, seed=3)
        old = _load(tmp_path / "old", units, activities)
        build = Build(audience="public", downloads={"units.json": 1})
        old_pages = {p.path: p for p in generate_pages(old, TEMPLATES, build=build)}
        assert any("/page/" in path for path in old_pages)  # the lists are split
        rng = random.Random(seed)
        edits = rng.sample(shifting, rng.randint(1, 3)) + rng.sample(EDIT_KINDS, 1)
        _assert_reuse_equals_full_render((units, activities, old, build, old_pages), tmp_path, edits, seed)


@pytest.mark.parametrize("seed", range(4))
def test_kept_specs_equal_freshly_planned_ones(tmp_path, seed):
    """The preview plans a page again only for a record that is not the very same object as in
    the last build (the loader keeps unchanged records): after random edits of one data folder,
    loaded as the preview loads it, the specs kept and updated equal those planned afresh."""
    rng = random.Random(seed)
    units, activities = make_dataset(60, seed=3)
    folder = tmp_path / "data"
    build = Build(audience="editorial", downloads={"units.json": 1})

    def load():
        for name, content in (("units.yaml", units), ("activities.yaml", activities)):
            (folder / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
        dataset, report = load_dataset(str(folder), remember=True)
        assert not report, report.format()
        return build_graph(dataset)

    folder.mkdir()
    old = load()
    previous = {spec.path: spec for spec in plan_pages(old, build)}
    done = [_edit(rng, units, activities, kind) for kind in rng.sample(EDIT_KINDS, 3)]
    _declare_counts(units)
    new = load()
    if plan_reuse(old, new, {}) is None:
        pytest.skip(f"edits {done} change what every page shares: nothing is kept")
    kept, fresh = plan_pages(new, build, kept=previous), plan_pages(new, build)
    assert kept == fresh, f"edits {done}"
    # most records are the very same objects, so their specs were kept (their lines may move)
    assert sum(spec.path in previous and spec.item is previous[spec.path].item for spec in kept) > 50
