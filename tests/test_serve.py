"""`make serve` for editors: an invalid edit keeps the server up, shows the problems on the
page in the browser, and a fix recovers without a restart; search catches up in the background
and never delays a rebuild."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from sitekit import MKDOCS_ENV, ROOT, RUNTIME, RUNTIMES, copy_project

pytestmark = pytest.mark.serve

BANNER = 'class="sc-build-error"'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(predicate, what: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def _serving(tmp_path: Path, env: dict | None = None, first_build_timeout: float = 60.0, runtime: str = RUNTIME):
    project = copy_project(tmp_path / "project", ROOT / "data")
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    process = subprocess.Popen(
        # As `make serve` runs it: --dirty, with generated pages that report changes honestly.
        [sys.executable, "-m", runtime, "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload", "--dirty",
         "-f", str(project / "mkdocs.yml")],
        cwd=project, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **MKDOCS_ENV, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: _get(base + "units/pku/"), "the first build", first_build_timeout)
        yield project, base, process, Path(log.name)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def server(tmp_path, request):
    """The preview of the real data, on the suite's runtime or on the one a test names."""
    with _serving(tmp_path, runtime=getattr(request, "param", RUNTIME)) as served:
        yield served


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# On both runtimes: the hooks' --dirty reports, the rebuild on a save, the error banner and the
# recovery all lean on the runtime's serve loop (README, "Runtimes").
@pytest.mark.parametrize("server", RUNTIMES, indirect=True)
def test_invalid_edit_shows_problems_and_a_fix_recovers(server):
    project, base, process, log = server
    units = project / "data" / "units.yaml"
    original = units.read_text(encoding="utf-8")

    _edit(units, "  - id: pku\n", "  - id: pku\n    honors: []\n")
    page = _wait_for(lambda: (p := _get(base + "units/pku/")) and BANNER in p and p, "the error banner")
    assert "未知字段 “honors”（是否指 “honours”？）" in page
    assert process.poll() is None, "the server stopped on invalid data"
    assert "data/units.yaml:" in _wait_for(lambda: log.read_text(encoding="utf-8"), "the log")

    # Broken YAML, not just wrong data: still up, still told.
    units.write_text(original.replace("units:\n", "units:\n\t- broken\n", 1), encoding="utf-8")
    page = _wait_for(lambda: (p := _get(base)) and "Tab" in p and p, "the syntax error banner")
    assert process.poll() is None

    units.write_text(original.replace("name: 北京大学\n", "name: 北京大学（已更新）\n", 1), encoding="utf-8")
    page = _wait_for(lambda: (p := _get(base + "units/pku/")) and "北京大学（已更新）" in p and p, "the fixed page")
    assert BANNER not in page
    assert process.poll() is None


def test_a_rename_reaches_every_page_that_shows_the_name(server):
    project, base, process, _ = server
    units = project / "data" / "units.yaml"
    _edit(units, "name: 中国农业大学\n", "name: 中国农业大学（新名）\n")
    _wait_for(lambda: "中国农业大学（新名）" in (_get(base + "units/cau/") or ""), "the unit page")
    for page in ("activities/c3-new-ethos/", "units/"):
        assert "中国农业大学（新名）" in (_get(base + page) or ""), page
    assert "中国航天科工" in (_get(base + "units/") or "")  # untouched records still listed


def test_an_edited_template_shows_after_rebuilds_that_reused_the_compiled_ones(server):
    """The preview keeps the theme's compiled templates between rebuilds (showcase/templating.py):
    a template edited after a few data saves is compiled again, on every page that uses it."""
    project, base, process, _ = server
    units = project / "data" / "units.yaml"
    _edit(units, "name: 中国农业大学\n", "name: 中国农业大学（一）\n")
    _wait_for(lambda: "中国农业大学（一）" in (_get(base + "units/cau/") or ""), "the first rebuild")
    _edit(project / "overrides" / "partials" / "copyright.html", "{%", "<p>模板已修改</p>{%")
    _wait_for(lambda: "模板已修改" in (_get(base + "units/cau/") or ""), "the edited template on a record page")
    assert "模板已修改" in (_get(base) or "")
    assert process.poll() is None


def _entry(base: str) -> dict | None:
    text = _get(base + "pagefind/pagefind-entry.json")
    return json.loads(text) if text else None


def test_rebuilds_never_wait_for_the_search_index(tmp_path):
    """With an indexer that does not finish until the test lets it, the preview still serves
    the first build and every edit at once; the index lands when the indexer is done."""
    from pagefind_bin_extended import get_executable

    release = tmp_path / "release"
    slow = tmp_path / "slow-pagefind"
    slow.write_text(f'#!/bin/sh\nwhile [ ! -e "{release}" ]; do sleep 0.1; done\n'
                    f'exec "{get_executable()}" "$@"\n')
    slow.chmod(0o755)
    try:
        with _serving(tmp_path, env={"PAGEFIND_BINARY_PATH": str(slow)}, first_build_timeout=30) as served:
            project, base, process, _ = served
            assert _entry(base) is None  # the first build was served before its index
            _edit(project / "data" / "units.yaml", "name: 中国农业大学\n", "name: 中国农业大学（新名）\n")
            _wait_for(lambda: "中国农业大学（新名）" in (_get(base + "units/cau/") or ""), "the edit", 15)
            assert _entry(base) is None
            release.touch()
            entry = _wait_for(lambda: _entry(base), "the search index", 30)
            assert entry["languages"]["zh"]["page_count"] > 40
            assert process.poll() is None
    finally:
        release.touch()  # a waiting indexer must not outlive the test


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium") and not os.environ.get("CI"),
                    reason="/usr/bin/chromium is not installed")
def test_open_page_refreshes_itself_to_show_the_problems(server):
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS

    project, base, process, _ = server
    units = project / "data" / "units.yaml"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "units/pku/")
        _edit(units, "  - id: pku\n", "  - id: pku\n    honors: []\n")
        # No reload by the test: MkDocs' live reload must bring the banner to the open page.
        page.locator(".sc-build-error").wait_for(state="visible", timeout=60000)
        assert "honors" in page.locator(".sc-build-error").inner_text()
        _edit(units, "    honors: []\n", "")
        page.locator(".sc-build-error").wait_for(state="detached", timeout=60000)

        # Search catches up with an edit (indexed in the background after each rebuild).
        _edit(units, "name: 中国农业大学\n", "name: 中国农业大学（新名）\n")
        page.wait_for_url("**/units/pku/")
        _wait_for(lambda: "中国农业大学（新名）" in (_get(base + "units/cau/") or ""), "the edit")
        box = page.locator("input.md-search__input")

        def found() -> bool:  # the reader closes the search and opens it again
            page.keyboard.press("Escape")
            box.fill("新名")
            page.wait_for_timeout(1000)
            return page.locator(".md-search-result__item a[href$='/units/cau/']").count() > 0

        _wait_for(found, "the renamed unit in the preview's search", 60)
        browser.close()


def test_the_server_survives_a_storm_of_edits(server):
    """Forty saves in a few seconds, valid and broken (bad YAML, wrong data, an empty file,
    GBK bytes, a half-written file): the server lives on and serves the last good save."""
    project, base, process, _ = server
    units = project / "data" / "units.yaml"
    original = units.read_text(encoding="utf-8")
    variants = [
        original.replace("name: 北京大学\n", "name: 北京大学（第一次）\n", 1).encode("utf-8"),
        b"units: [\n",
        original.replace("  - id: pku\n", "  - id: PKU\n", 1).encode("utf-8"),
        b"",
        original.encode("gbk", errors="replace"),
        original.encode("utf-8")[: len(original) // 2],
        original.replace("units:\n", "units:\n\t- x\n", 1).encode("utf-8"),
    ]
    for n in range(40):
        units.write_bytes(variants[n % len(variants)])
        time.sleep(0.05 + (n % 4) * 0.05)
        assert process.poll() is None, f"the server died after save {n}"
    units.write_text(original.replace("name: 北京大学\n", "name: 北京大学（风暴之后）\n", 1), encoding="utf-8")
    page = _wait_for(lambda: (p := _get(base + "units/pku/")) and "北京大学（风暴之后）" in p and p,
                     "the page after the storm", timeout=120)
    assert BANNER not in page
    assert process.poll() is None
