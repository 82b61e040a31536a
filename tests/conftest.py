from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "hooks"))


import pytest  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def real_build(tmp_path_factory):
    """The real data built once (strict) for every test that only reads the result:
    (site folder, pages read as a browser would, the dataset)."""
    from showcase.dataset import load_dataset
    from sitekit import ROOT, build_site, read_site

    site = build_site(tmp_path_factory.mktemp("real"), ROOT / "data")
    dataset, report = load_dataset(str(ROOT / "data"))
    assert not report, report.format()
    return site, read_site(site), dataset


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (Playwright's sync API allows
    one instance at a time, and test_serve starts its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
