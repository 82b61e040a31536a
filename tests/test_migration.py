"""The migration of the first model's data (tests/migration/v1/, frozen) to the second keeps every
fact: it validates, the counts of the data issue's closing note are kept, and every value of the
first model's files is still in the second's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from showcase.dataset import load_dataset

ROOT = Path(__file__).resolve().parent.parent
V1 = ROOT / "tests" / "migration" / "v1"
TOOL = ROOT / "tools" / "migrate_v1_to_v2.py"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("migrated")
    shutil.copytree(V1, folder, dirs_exist_ok=True)
    shutil.copytree(ROOT / "data" / "sources", folder / "sources")  # the texts its quotes are checked against
    subprocess.run([sys.executable, str(TOOL), str(folder)], check=True, capture_output=True, text=True)
    return folder


@pytest.fixture(scope="module")
def dataset(migrated):
    dataset, report = load_dataset(str(migrated), display_dir="data")
    assert not report, report.format()
    return dataset


def test_migrated_data_passes_every_check(dataset):
    assert dataset is not None


def test_migration_keeps_the_counts_of_the_data_issue(dataset):
    units, activities = dataset.units, dataset.activities
    actions = [action for activity in activities.activities for action in activity.actions]
    snapshot_figures = [f for s in units.committee.snapshots for f in s.figures]
    action_figures = [f for a in actions for f in a.figures]
    participant_counts = [a.participant_count for a in actions if a.participant_count]
    counts = {
        "units": len(units.units),
        "people": len(units.people),
        "honours": sum(len(u.honours) for u in units.units) + sum(len(p.honours) for p in units.people),
        "activities": len(activities.activities),
        "actions": len(actions),
        "snapshot figures": len(snapshot_figures),
        "action figures": len(action_figures),
        "participant counts": len(participant_counts),
        "categories": len(units.categories),
        "honour types": len(units.honour_types),
        "participations": sum(len(a.participants) for a in actions),
    }
    assert counts == {
        "units": 29, "people": 3, "honours": 10, "activities": 4, "actions": 13, "snapshot figures": 1,
        "action figures": 14, "participant counts": 3, "categories": 6, "honour types": 7, "participations": 31,
    }
    assert len(snapshot_figures) + len(action_figures) + len(participant_counts) == 18


def test_the_committee_of_2020_becomes_one_snapshot(dataset):
    (snapshot,) = dataset.units.committee.snapshots
    assert snapshot.date == "2020" and snapshot.membership.total == 137
    assert {g.group: g.declared_count for g in snapshot.groups} == {"district": 79, "resident": 58}


def test_people_keep_their_unit_and_their_honours(dataset):
    v1 = yaml.safe_load((V1 / "units.yaml").read_text(encoding="utf-8"))
    before = {(p["id"], unit["id"]) for unit in v1["units"] for p in unit.get("people", [])}
    assert {(p.id, p.unit) for p in dataset.units.people} == before
    honoured = {h.get("person") for unit in v1["units"] for h in unit.get("honours", []) if h.get("person")}
    assert honoured and all(p.honours for p in dataset.units.people if p.id in honoured)


# Values the migration changes on purpose: `basis: external` is now `inferred` (the note says
# which outside material it is), and an honour's `person` is now the record the honour sits in.
def _changed_on_purpose(key: str, value: object, parents: tuple[str, ...]) -> bool:
    return (key == "basis" and value == "external") or (key == "person" and "honours" in parents)


def _scalars(value, key: str = "", parents: tuple[str, ...] = ()) -> Counter:
    found: Counter = Counter()
    if isinstance(value, dict):
        for k, v in value.items():
            found += _scalars(v, k, (*parents, key))
    elif isinstance(value, list):
        for item in value:
            found += _scalars(item, key, parents)
    elif not _changed_on_purpose(key, value, parents):
        found[(type(value).__name__, value)] += 1
    return found


@pytest.mark.parametrize("name", ["units.yaml", "activities.yaml"])
def test_every_value_of_the_first_model_is_in_the_second(migrated, name):
    """Every string and number of v1 (names, quotes, notes, counts, years) is still written in v2,
    as often as it was: the migration moves and renames fields, it drops no fact."""
    before = _scalars(yaml.safe_load((V1 / name).read_text(encoding="utf-8")))
    after = _scalars(yaml.safe_load((migrated / name).read_text(encoding="utf-8")))
    missing = before - after
    assert not missing, sorted(missing.items(), key=str)[:20]


@pytest.mark.slow
def test_every_record_of_the_first_model_is_rendered(migrated, tmp_path_factory):
    """The facts before and after, as a reader sees them: every unit, person, activity, action,
    figure label and honour type of the v1 files is on its page of the site built from the
    migrated data."""
    from sitekit import build_site, read_site

    pages = read_site(build_site(tmp_path_factory.mktemp("migrated-site"), migrated))
    text = "\n".join(page.text for page in pages.values())
    v1 = yaml.safe_load((V1 / "units.yaml").read_text(encoding="utf-8"))
    for unit in v1["units"]:
        assert unit["name"] in pages[f"units/{unit['id']}/"].text
        for person in unit.get("people", []):
            assert person["name"] in pages[f"people/{person['id']}/"].text
            assert unit["name"] in pages[f"people/{person['id']}/"].text
    for honour_type in v1["honour_types"]:
        assert honour_type["name"] in text, honour_type["id"]
    for figure in v1["committee"].get("figures", []):
        assert figure["label"] in text
    activities = yaml.safe_load((V1 / "activities.yaml").read_text(encoding="utf-8"))
    for activity in activities["activities"]:
        page = pages[f"activities/{activity['id']}/"].text
        assert activity["title"] in page
        for action in activity["actions"]:
            assert action["title"] in page, action["id"]
            for figure in action.get("figures", []):
                assert figure["label"] in page, (action["id"], figure["label"])
            if action.get("participant_count"):
                assert action["participant_count"]["label"] in page, action["id"]
