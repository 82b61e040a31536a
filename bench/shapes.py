"""The shapes of issue 14's acceptance, as the two data files' contents (the model of
`synth.make_dataset`): seeded, synthetic, never written into data/.

- `growth_dataset()`: the committee as the real data declares it (137 member units: 79 区属,
  58 驻区 in the real data's five member categories and their declared counts), 80 campaigns over
  2016–2025, 380 honours, about 9,900 participations: about 237 pages.
- `city_dataset(n)`: a city-wide list: `n` units with a name, a category and one or two honours
  (a short summary on one in a hundred, for the summary edit), and 200 campaigns.

The real data's shape is reused (its categories and their declared counts), never its facts: every
name, summary and figure here is drawn from the word lists of bench/synth.py.
"""

from __future__ import annotations

import copy
import random

from synth import (
    CATEGORY_NAMES,
    CORES,
    GRADES,
    HONOUR_NAMES,
    KINDS,
    PHRASES,
    PLACES,
    THEMES,
    _date,
    _sentence,
)

SOURCE = {"doc": "bench", "loc": "合成数据"}
# The member categories and their declared counts as data/units.yaml declares them (snapshot 2020):
# 区属单位 79; 驻区单位 58 = 13 + 15 + 10 + 20.
DECLARED = {"district-unit": 79, "resident-institution": 13, "university": 15, "military": 10,
            "high-tech-enterprise": 20}
GROUPS = {"district-unit": "district"}  # every other member category is 驻区 (resident)


def _honour_types(rng: random.Random) -> list[dict]:
    return [{"id": f"h{i}", "name": name, "level": level, "kind": "award", "basis": "stated",
             "awarded_by": "评选机构", "summary": f"{name}：" + _sentence(rng, 2),
             **({"grades": copy.deepcopy(GRADES)} if i % 3 == 0 else {})}
            for i, (name, level) in enumerate(HONOUR_NAMES)]


def _honour(rng: random.Random, types: list[dict]) -> dict:
    index = rng.randrange(len(types))
    record = {"type": f"h{index}", "date": _date(rng, rng.randint(2005, 2025)),
              "status": rng.choice(["awarded", "awarded", "awarded", "candidate"]), "basis": "stated"}
    if "grades" in types[index] and rng.random() < 0.5:
        record["grade"] = rng.choice(GRADES)["id"]
    return record


def _unit_names(rng: random.Random, categories: list[str]) -> list[str]:
    """One unique, plausible name per entry of `categories` (a branch number when the words run out)."""
    names: list[str] = []
    seen: set[str] = set()
    for category in categories:
        name = rng.choice(PLACES) + rng.choice(CORES) + rng.choice(KINDS[category])
        branch = 1
        while name in seen:
            branch += 1
            name = f"{rng.choice(PLACES)}{rng.choice(CORES)}{rng.choice(KINDS[category])}第{branch}分部"
        seen.add(name)
        names.append(name)
    return names


def _units_file(rng: random.Random, units: list[dict], declared: dict[str, int], types: list[dict]) -> dict:
    counts = {c: declared[c] for c in declared}
    district = sum(v for c, v in counts.items() if GROUPS.get(c) == "district")
    resident = sum(v for c, v in counts.items() if GROUPS.get(c) != "district")
    return {
        "sources": [{"id": "bench", "kind": "work-report", "title": "基准测试合成数据", "date": 2020,
                     "publisher": "合成数据", "note": "由 bench/shapes.py 生成，不是真实数据"}],
        "committee": {
            "name": "海淀区文明委", "slogan": "同心 合力 互联 共享", "summary": _sentence(rng, 4),
            "basis": "stated",
            "snapshots": [{
                "date": 2020, "basis": "stated", "source": dict(SOURCE),
                "directors": {"count": 2, "held_by": "区委书记、区长", "basis": "stated"},
                "membership": {"total": district + resident, "basis": "stated"},
                "groups": [
                    {"group": "district", "name": "区属单位", "declared_count": district, "basis": "stated"},
                    {"group": "resident", "name": "驻区单位", "declared_count": resident, "basis": "stated"}],
                "category_counts": [{"category": c, "declared_count": v, "basis": "stated"} for c, v in counts.items()],
            }],
        },
        "categories": [{"id": c, "name": CATEGORY_NAMES[c], "group": GROUPS.get(c, "resident"), "basis": "stated"}
                       for c in declared],
        "honour_types": types,
        "units": units,
    }


def _campaigns(rng: random.Random, n: int, unit_ids: list[str], actions: tuple[int, int],
               participants: tuple[int, int], types: list[dict]) -> list[dict]:
    """`n` campaigns spread evenly over 2016–2025, each of `actions` actions naming `participants` units."""
    out = []
    for a in range(n):
        year = 2016 + a % 10
        acts = []
        for b in range(rng.randint(*actions)):
            members = rng.sample(unit_ids, min(rng.randint(*participants), len(unit_ids)))
            acts.append({
                "id": f"a{b}", "title": f"{rng.choice(THEMES)}行动{b + 1}", "summary": _sentence(rng, 3),
                "keywords": rng.sample(THEMES, 3), "basis": "stated", "source": dict(SOURCE),
                "participants": [{"unit": m, "role": rng.choice(PHRASES), "basis": "stated"} for m in members],
                "figures": [{"label": rng.choice(["志愿者", "服务时长", "参与群众"]), "value": rng.randint(10, 100000),
                             "unit": "人", "basis": "stated"}],
                "honours": [f"h{rng.randrange(len(types))}"],
            })
        out.append({
            "id": f"c{a}", "title": f"{year}年{rng.choice(THEMES)}共建活动（{a + 1}）", "short_title": rng.choice(THEMES),
            "section": "二（一）",
            "period": {"start": year} if a % 3 else {"start": f"{year}-03-02", "end": f"{year}-03-05"},
            "summary": _sentence(rng, 4), "basis": "stated", "source": dict(SOURCE), "actions": acts,
        })
    return out


def growth_dataset(seed: int = 2016, honours: int = 380, campaigns: int = 80) -> tuple[dict, dict]:
    """The committee at its declared size: 137 units, 80 campaigns (2016–2025), 380 honours,
    about 9,900 participations (4 actions of 20–42 named units each per campaign)."""
    rng = random.Random(seed)
    types = _honour_types(rng)
    categories = [c for c, n in DECLARED.items() for _ in range(n)]
    names = _unit_names(rng, categories)
    units = [{"id": f"u{i}", "name": name, "category": category, "membership": "stated",
              "summary": name + _sentence(rng, rng.randint(2, 5)), "honours": [],
              "basis": "stated", "source": dict(SOURCE)}
             for i, (name, category) in enumerate(zip(names, categories, strict=True))]
    for _ in range(honours):
        rng.choice(units)["honours"].append(_honour(rng, types))
    units_file = _units_file(rng, units, DECLARED, types)
    activities = _campaigns(rng, campaigns, [u["id"] for u in units], (4, 4), (20, 42), types)
    return units_file, {"activities": activities}


def city_dataset(n_units: int = 20_000, campaigns: int = 200, seed: int = 2025) -> tuple[dict, dict]:
    """A city-wide list: `n_units` units with a name, a category and 1–2 honours (one in a hundred
    with a one-sentence summary), and `campaigns` campaigns of 2–4 actions naming 5–30 units."""
    rng = random.Random(seed)
    types = _honour_types(rng)
    member = list(DECLARED)
    categories = [member[i % len(member)] for i in range(n_units)]
    names = _unit_names(rng, categories)
    units = []
    for i, (name, category) in enumerate(zip(names, categories, strict=True)):
        units.append({"id": f"u{i}", "name": name, "category": category, "membership": "stated",
                      **({"summary": name + _sentence(rng, 2)} if i % 100 == 1 else {}),
                      "honours": [_honour(rng, types) for _ in range(rng.randint(1, 2))],
                      "basis": "stated", "source": dict(SOURCE)})
    listed = {c: categories.count(c) for c in member}
    units_file = _units_file(rng, units, listed, types)
    activities = _campaigns(rng, campaigns, [u["id"] for u in units], (2, 4), (5, 30), types)
    return units_file, {"activities": activities}


def describe(units_file: dict, activities_file: dict) -> dict:
    """The counts a shape is stated in."""
    units = units_file["units"]
    acts = activities_file["activities"]
    return {
        "units": len(units), "campaigns": len(acts),
        "honours": sum(len(u.get("honours", [])) for u in units)
        + sum(len(p.get("honours", [])) for p in units_file.get("people", [])),
        "participations": sum(len(x.get("participants", [])) for a in acts for x in a["actions"]),
    }
