"""Trust: link integrity, reproducible builds, and limits that keep hostile files harmless."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from showcase import loader
from showcase.dataset import load_dataset
from showcase.linkcheck import check_site
from showcase.models import NAME_MAX, TEXT_MAX
from sitekit import BASE, ROOT, build_site, rich_base, write_data

# What `make build` sets from the last commit (and the deploy workflow the address).
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000", "SHOWCASE_SITE_URL": "https://example.org/showcase/"}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    first = build_site(tmp_path_factory.mktemp("repro-a"), ROOT / "data", env=EPOCH)
    second = build_site(tmp_path_factory.mktemp("repro-b"), ROOT / "data", env=EPOCH)
    return first, second


def _digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_builds_of_the_same_commit_are_byte_identical(two_builds):
    first, second = map(_digests, two_builds)
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []
    assert "sitemap.xml" in first and "sitemap.xml.gz" in first


@pytest.mark.slow
def test_dates_come_from_source_date_epoch(two_builds):
    sitemap = (two_builds[0] / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2023-11-14</lastmod>" in sitemap


def test_built_site_has_no_broken_link_and_no_orphan(real_build):
    assert check_site(str(real_build[0])) == []


def test_link_checker_finds_broken_links_anchors_and_orphans(tmp_path):
    (tmp_path / "units" / "a").mkdir(parents=True)
    (tmp_path / "units" / "b").mkdir(parents=True)
    (tmp_path / "index.html").write_text('<a href="units/a/">a</a><a href="units/a/#nope">x</a>'
                                         '<a href="gone/">g</a><a href="data.csv">d</a>', encoding="utf-8")
    (tmp_path / "units" / "a" / "index.html").write_text('<h1 id="top">a</h1><a href="../../">home</a>',
                                                         encoding="utf-8")
    (tmp_path / "units" / "b" / "index.html").write_text("<h1>b</h1>", encoding="utf-8")
    problems = check_site(str(tmp_path))
    assert len(problems) == 4
    assert any("#nope" in p for p in problems) and any("gone/" in p for p in problems)
    assert any("data.csv" in p for p in problems) and any("/units/b/" in p and "孤立" in p for p in problems)


# -- limits -----------------------------------------------------------------------------------

def _load(tmp_path, units, activities=None):
    base_units, base_activities = rich_base()
    write_data(tmp_path, units or base_units, activities or base_activities)
    return load_dataset(str(tmp_path), display_dir="data")


def test_a_too_long_text_is_a_located_error(tmp_path):
    units, _ = rich_base()
    units["units"][0]["name"] = "长" * (NAME_MAX + 1)
    units["units"][0]["summary"] = "文" * (TEXT_MAX + 1)
    dataset, report = _load(tmp_path, units)
    messages = [str(p) for p in report.problems]
    assert any("units[0].name：太长：最多 200 个字符" in m for m in messages)
    assert any("units[0].summary：太长：最多 5000 个字符" in m for m in messages)


def test_too_many_records_is_a_located_error(tmp_path):
    units, _ = rich_base()
    units["units"][0]["aliases"] = [f"别名{i}" for i in range(51)]
    dataset, report = _load(tmp_path, units)
    assert any("units[0].aliases：项数太多：最多 50 项，实际 51 项" in str(p) for p in report.problems)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    (tmp_path / "units.yaml").write_bytes(b"units:\n" + b"  - x\n" * (loader.MAX_FILE_BYTES // 6 + 1))
    (tmp_path / "activities.yaml").write_text((BASE / "activities.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    dataset, report = load_dataset(str(tmp_path), display_dir="data")
    assert dataset is None
    assert any(p.file == "data/units.yaml" and "上限" in p.message for p in report.problems)
