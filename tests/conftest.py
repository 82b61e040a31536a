from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "hooks"))


import pytest  # noqa: E402
from filelock import FileLock  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Builds of the real data use a fixed date, so any two of them must be byte-identical.
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/cases/*/expected.txt from today's output; review the diff before committing")


def shared_once(tmp_path_factory, name: str, make):
    """`make(folder)` run once per test session, even with pytest-xdist's workers: the first
    worker to ask builds into a folder that all workers share; the others wait and reuse it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the base folder every worker's own folder lives in
    folder = Path(shared) / f"shared-{name}"
    with FileLock(str(folder) + ".lock"):
        done = folder / ".done"
        if not done.exists():
            folder.mkdir(exist_ok=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def real_build(tmp_path_factory):
    """The real data built once (strict) for every test that only reads the result:
    (site folder, pages read as a browser would, the dataset)."""
    from showcase.dataset import load_dataset
    from sitekit import ROOT, build_site, read_site

    folder = shared_once(tmp_path_factory, "real", lambda f: build_site(f, ROOT / "data", env=EPOCH))
    dataset, report = load_dataset(str(ROOT / "data"))
    assert not report, report.format()
    return folder / "site", read_site(folder / "site"), dataset


@pytest.fixture(scope="session")
def split_build(tmp_path_factory):
    """The real data built with list limits so small that every list splits over pages
    (sitekit.SPLIT_LIMITS): every paginated page kind of pages.PAGE_KINDS, in 5 seconds."""
    from sitekit import ROOT, SPLIT_LIMITS, build_site

    folder = shared_once(tmp_path_factory, "split",
                         lambda f: build_site(f, ROOT / "data", env=EPOCH, limits=SPLIT_LIMITS))
    return folder / "site"


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory):
    """The rich base dataset with a numbered hostile payload in every text field, built once in
    the editorial view, which prints every field (the public one prints a part of them, through
    the same templates): (site folder, pages, the units and activities written, the payloads)."""
    from sitekit import build_site, hostile_dataset, read_site, write_data

    units, activities, payloads = hostile_dataset()

    def make(folder: Path) -> None:
        build_site(folder / "project", write_data(folder / "data", units, activities),
                   config="mkdocs-editorial.yml")

    site = shared_once(tmp_path_factory, "hostile", make) / "project" / "site"
    return site, read_site(site), units, activities, payloads


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (Playwright's sync API allows
    one instance at a time, and test_serve starts its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
