"""Two runtimes, one site (README, "Runtimes"): ProperDocs, the default, and MkDocs 1.6.1. The
suite builds with one of them (sitekit.RUNTIME, `make test MKDOCS=...`); the tests here build the
same sources with the other one and compare every file of the two sites, byte for byte. The one
difference expected is the generator tag in each page's <head>, which names the runtime."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import EPOCH
from sitekit import (
    BASE,
    DEFAULT_RUNTIME,
    MKDOCS_ENV,
    OTHER_RUNTIME,
    ROOT,
    RUNTIME,
    RUNTIMES,
    build_site,
    copy_project,
)


def generator(runtime: str) -> str:
    """The tag Material prints from the runtime's `mkdocs_version` (ProperDocs sets it to
    "ProperDocs 1.6.x", so a page says which runtime built it)."""
    name = f"mkdocs-{version('mkdocs')}" if runtime == "mkdocs" else f"mkdocs-ProperDocs {version('properdocs')}"
    return f'<meta name="generator" content="{name}, mkdocs-material-{version("mkdocs-material")}">'


@dataclass
class Comparison:
    files: int = 0
    html: int = 0                                          # pages whose generator tag was set aside
    only_in_first: list[str] = field(default_factory=list)
    only_in_second: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)     # differ beyond the generator tag

    def summary(self, first: str, second: str) -> str:
        return (f"{first} vs {second}: {self.files} files each side, {self.html} HTML pages differ only in "
                f"<meta name=\"generator\"> ({generator(first)} / {generator(second)}); "
                f"other differences: {self.only_in_first + self.only_in_second + self.different or 'none'}")


def compare_sites(first: Path, first_runtime: str, second: Path, second_runtime: str) -> Comparison:
    """Every file of two builds compared: HTML with each runtime's generator tag set aside (each page
    must hold exactly that one tag), every other file (search index, open data, photos) as bytes."""
    files = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
    others = {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()}
    result = Comparison(files=len(files), only_in_first=sorted(files - others), only_in_second=sorted(others - files))
    for path in sorted(files & others):
        a, b = (first / path).read_bytes(), (second / path).read_bytes()
        if a == b and not path.endswith(".html"):
            continue
        if path.endswith(".html"):
            tags = [generator(first_runtime).encode(), generator(second_runtime).encode()]
            if a.count(tags[0]) == 1 and b.count(tags[1]) == 1:
                result.html += 1
                a, b = a.replace(tags[0], b"<generator>"), b.replace(tags[1], b"<generator>")
        if a != b:
            result.different.append(path)
    return result


def _explain(first: Path, second: Path, comparison: Comparison) -> str:
    lines = []
    for path in comparison.different[:5]:
        a = (first / path).read_text(encoding="utf-8", errors="replace").splitlines()
        b = (second / path).read_text(encoding="utf-8", errors="replace").splitlines()
        n = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        lines.append(f"{path}:{n + 1}\n  - {a[n] if n < len(a) else '(end)'}\n  + {b[n] if n < len(b) else '(end)'}")
    return "\n".join(lines)


def _assert_same(first: Path, second: Path) -> Comparison:
    comparison = compare_sites(first, RUNTIME, second, OTHER_RUNTIME)
    print("\n" + comparison.summary(RUNTIME, OTHER_RUNTIME))
    assert comparison.files > 100
    assert comparison.only_in_first == comparison.only_in_second == []
    assert comparison.different == [], _explain(first, second, comparison)
    # every page names its runtime: the other build really ran on the other runtime
    assert comparison.html == len(list(first.rglob("*.html"))) > 10
    return comparison


@pytest.mark.slow
def test_the_public_site_is_the_same_on_both_runtimes(real_build, tmp_path):
    site = build_site(tmp_path, ROOT / "data", env=EPOCH, runtime=OTHER_RUNTIME)
    _assert_same(real_build[0], site)


@pytest.mark.slow
def test_the_editorial_view_with_photos_and_hostile_text_is_the_same_on_both_runtimes(hostile_build, tmp_path):
    """The editorial view (`INHERIT: mkdocs.yml`, which each runtime merges with code of its own),
    the photo variants (files the hooks add from the media cache) and a payload in every field."""
    site = hostile_build[0]
    project = site.parent
    # the same photos: the variants are found in the first build's cache instead of being made again
    env = {"SHOWCASE_MEDIA_CACHE": str(project / ".cache" / "media")}
    other = build_site(tmp_path, project / "data", env=env, config="mkdocs-editorial.yml", runtime=OTHER_RUNTIME)
    assert any(p.suffix == ".webp" for p in (other / "media").rglob("*")), "no photo variants were built"
    _assert_same(site, other)


@pytest.mark.slow
@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_strict_build_that_warns_leaves_the_site_folder_as_it_was(runtime, tmp_path):
    """The hooks build into a folder of their own and move it into place only when the runtime
    counted no warning (site._strict_warnings): ProperDocs counts on its own logger, not MkDocs'."""
    project = copy_project(tmp_path / "project", BASE)
    (project / "docs" / "about.md").write_text("# 关于\n\n[不存在的页面](missing.md)\n", encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "previous.txt").write_text("the last good build", encoding="utf-8")
    # no -q: it would drop the warning before the runtime counts it, and the build would pass
    result = subprocess.run([sys.executable, "-m", runtime, "build", "--strict", "-f", "mkdocs.yml"],
                            cwd=project, env={**os.environ, **MKDOCS_ENV}, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "missing.md" in output and "Aborted with 1 warnings in strict mode" in output, output
    assert sorted(p.name for p in (project / "site").iterdir()) == ["previous.txt"]
    assert not list(project.glob(".site-build-*")), "the private build folder was left behind"


def test_make_and_the_suite_default_to_the_same_runtime_and_both_are_pinned():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^MKDOCS \?= (\S+)$", makefile, re.M).group(1) == DEFAULT_RUNTIME
    pins = dict(re.findall(r"^([\w.-]+)==(\S+)", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M))
    assert {runtime: pins.get(runtime) for runtime in RUNTIMES} == {runtime: version(runtime) for runtime in RUNTIMES}
