"""`make bench`: speed and size of the site at the real size, 1,000 and 5,000 units, with 200
photos; and issue 14's acceptance: a city-wide list (20,000 and 5,000 units) against plain MkDocs
on the same pages without search, the stress shape's largest page, and edit → preview as
`make serve` runs for three edits at the realistic-growth shape and at 20,000 units.

Everything is measured in one run on this machine and reported as ratios where a ratio is what
matters (the machines are shared and noisy): hook-generated build vs. a plain-MkDocs baseline
of the same pages, 5k vs 1k, 20k vs 5k. Writes bench/results.json and the figures block of
README.md. A full run at 20,000 units takes long: `--only city growth stress standard photos`
runs parts alone (the other parts' figures are kept from bench/results.json), `--city-sizes`
and `--city-edits-at` choose the city's sizes. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "bench"), str(ROOT / "tests")]

from photokit import photo_like, photo_record  # noqa: E402

from showcase.dataset import load_dataset  # noqa: E402
from showcase.graph import build_graph  # noqa: E402
from showcase.pages import generate_pages  # noqa: E402
from synth import make_dataset  # noqa: E402

PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "hooks")}
# --lift-caps: the temporary copy's model takes lists of up to 100,000 items (the code of today
# holds units to 5,000, so a 20,000-unit build stops at the check): a "before" figure for code
# that cannot build the city list. Never the repository's hooks/, only the bench's copy.
LIFT_CAPS = False
GOALS = {"build_ratio": 1.03, "rss_ratio": 1.03, "linearity": 5.25, "latency_real": 1.5, "latency_5k": 3.0}


# -- projects -------------------------------------------------------------------------------

def make_project(where: Path, units: dict | None, activities: dict | None) -> Path:
    """A buildable copy of the project; synthetic data when given, else the real data."""
    for name in ("hooks", "overrides", "docs"):
        shutil.copytree(ROOT / name, where / name, ignore=shutil.ignore_patterns("__pycache__"))
    if LIFT_CAPS:
        models = where / "hooks" / "showcase" / "models.py"
        text = models.read_text(encoding="utf-8")
        if not re.search(r"^LIST_MAX = [\d_]+", text, re.M):
            raise RuntimeError("--lift-caps: no LIST_MAX in hooks/showcase/models.py")
        models.write_text(re.sub(r"^LIST_MAX = [\d_]+", "LIST_MAX = 100_000", text, count=1, flags=re.M), encoding="utf-8")
    for config in ("mkdocs.yml", "mkdocs-editorial.yml"):  # `make serve` previews the editorial view
        shutil.copy(ROOT / config, where / config)
    if units is None:
        shutil.copytree(ROOT / "data", where / "data")
    else:
        (where / "data").mkdir()
        for name, content in (("units.yaml", units), ("activities.yaml", activities)):
            text = yaml.dump(content, allow_unicode=True, sort_keys=False, width=1_000_000, Dumper=yaml.CSafeDumper)
            (where / "data" / name).write_text(text, encoding="utf-8")
    return where


def make_baseline(project: Path, where: Path) -> Path:
    """The same pages as plain Markdown files in docs/, built by MkDocs + Material with no
    hooks but the search index: what the site would cost if nothing generated it."""
    shutil.copytree(project / "docs", where / "docs")
    shutil.copytree(project / "overrides", where / "overrides")
    dataset, report = load_dataset(str(project / "data"))
    assert not report, report.format()
    for page in generate_pages(build_graph(dataset), str(project / "overrides" / "showcase")):
        target = where / "docs" / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        meta = {"title": page.title, "description": page.description}
        target.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n{page.html}\n", encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # The same search index as the real build (Pagefind after the build), and nothing else.
    (where / "search_hook.py").write_text(
        "from showcase.search import index_site\n\n\n"
        "def on_post_build(config):\n    index_site(config.site_dir)\n", encoding="utf-8")
    config = re.sub(r"\nhooks:\n(  - .*\n)+", "\nhooks:\n  - search_hook.py\n", config)
    config = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", config)
    (where / "mkdocs.yml").write_text(config, encoding="utf-8")
    return where


# -- measurements ---------------------------------------------------------------------------

def timed(args: list[str], cwd: Path, *, keep_output: bool = False) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of one command, from /usr/bin/time."""
    out = cwd / ".time"
    result = subprocess.run(["/usr/bin/time", "-o", str(out), "-f", "%e %U %S %M", *args],
                            cwd=cwd, env=ENV, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
    wall, user, system, rss = out.read_text().split()[-4:]
    figures = {"wall": float(wall), "cpu": float(user) + float(system), "rss_mb": int(rss) / 1024,
               "ok": result.returncode == 0}
    if keep_output:  # what `make check` said: its first and last lines (a 20k file may list thousands)
        lines = (result.stdout + result.stderr).strip().splitlines()
        figures["output"] = "\n".join(lines if len(lines) <= 16 else [*lines[:8], "…", *lines[-8:]])
    return figures


def build(project: Path) -> dict:
    figures = timed([PY, "-m", "mkdocs", "build", "-q", "-d", "site"], project)
    assert figures["ok"], f"build of {project} failed"
    return figures


def sizes(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    unit_pages = sorted(p.stat().st_size for p in (site / "units").glob("*/index.html"))
    return {
        "site_mb": sum(p.stat().st_size for p in files) / 1e6,
        "pages": sum(1 for p in files if p.suffix == ".html"),
        # Pagefind's bundle as readers may fetch it (its unused UI flavours left out); a reader
        # fetches the few chunks a query needs, not all of it.
        "search_index_mb": sum(p.stat().st_size for p in (site / "pagefind").rglob("*")
                               if p.is_file() and "-ui" not in p.name and "highlight" not in p.name) / 1e6,
        "unit_page_kb": unit_pages[len(unit_pages) // 2] / 1e3 if unit_pages else 0,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def preview_latency(project: Path, unit_id: str, edits: int = 3, dirty: bool = True) -> dict:
    """Seconds from saving one record's change to the preview serving the new page, as
    `make serve` runs (`--dirty`), median of `edits` edits; and the first build's time."""
    port = _free_port()
    args = [PY, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"]
    process = subprocess.Popen(args + (["--dirty"] if dirty else []), cwd=project, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/units/{unit_id}/"
    try:
        start = time.monotonic()
        while "</html>" not in _get(url):
            if time.monotonic() - start > 600 or process.poll() is not None:
                raise RuntimeError("mkdocs serve did not come up")
            time.sleep(0.2)
        first = time.monotonic() - start
        data = project / "data" / "units.yaml"
        text = data.read_text(encoding="utf-8")
        # The edit an editor makes most: a word added to one unit's summary.
        start_of_unit = re.search(rf"^ *- id: {re.escape(unit_id)}\n", text, re.M).end()
        summary = re.compile(r"^ +summary: .*$", re.M).search(text, start_of_unit)
        times = []
        for n in range(edits):
            time.sleep(1.5)  # let the watcher settle between edits
            token = f"基准修改标记{n}"
            edited = text[:summary.end()] + token + text[summary.end():]
            began = time.monotonic()
            data.write_text(edited, encoding="utf-8")
            while token not in _get(url):
                if time.monotonic() - began > 300:
                    raise RuntimeError("the preview never showed the edit")
                time.sleep(0.05)
            times.append(time.monotonic() - began)
        data.write_text(text, encoding="utf-8")
        return {"first_build_s": first, "edit_s": statistics.median(times), "edits_s": times}
    finally:
        process.terminate()
        process.wait(timeout=30)


# -- one size -------------------------------------------------------------------------------

def measure(label: str, tmp: Path, units: dict | None, activities: dict | None, *, latency_dirty_only: bool) -> dict:
    print(f"· {label}: preparing", flush=True)
    project = make_project(tmp / f"{label}-site", units, activities)
    check = timed([PY, "-m", "showcase", "check", "data"], project)
    hooked = build(project)
    site_sizes = sizes(project / "site")
    baseline_project = make_baseline(project, tmp / f"{label}-baseline")
    print(f"· {label}: building", flush=True)
    baseline = build(baseline_project)
    all_units = (units or yaml.safe_load((ROOT / "data" / "units.yaml").read_text(encoding="utf-8")))["units"]
    unit_id = next(u["id"] for u in all_units[1:] if u.get("summary") and "\n" not in u["summary"])
    print(f"· {label}: preview latency", flush=True)
    latency = {"dirty": preview_latency(project, unit_id)}
    if not latency_dirty_only:
        latency["full"] = preview_latency(project, unit_id, edits=1, dirty=False)
    return {
        "check": check, "build": hooked, "baseline": baseline, "sizes": site_sizes, "latency": latency,
        "build_ratio": hooked["wall"] / baseline["wall"], "cpu_ratio": hooked["cpu"] / baseline["cpu"],
        "rss_ratio": hooked["rss_mb"] / baseline["rss_mb"],
    }


# -- issue 14: a city's scale -----------------------------------------------------------------
# The acceptance of issue 14, measured in one run: the city list (20,000 units) against plain
# MkDocs on the same pages without search, its peak memory and its linearity to 5,000 units; the
# largest page at the stress shape; and edit → preview, as `make serve` runs, for three edits at
# the realistic-growth shape and at 20,000 units.

GOALS_14 = {"build_ratio": 1.0, "rss_ratio": 1.5, "linearity": 4.2, "largest_page_kb": 300,
            "growth_edit_s": 1.0, "city_summary_s": 3.0, "city_rename_s": 5.0, "city_campaign_s": 5.0}
EDIT_KINDS = ("summary", "rename", "campaign")
EDIT_NAMES = {"summary": "a unit's summary edited", "rename": "a unit renamed", "campaign": "a campaign added"}
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"[^>]*>')


def html_pages(site: Path) -> list[Path]:
    """The site's pages (an index.html per address; Pagefind's and the 404 page left out)."""
    return [p for p in site.rglob("index.html") if "pagefind" not in p.relative_to(site).parts]


def largest_pages(site: Path, n: int = 5) -> list[tuple[str, float]]:
    """The `n` largest HTML pages: (address, KB)."""
    pages = sorted(((p.stat().st_size, p) for p in site.rglob("*.html")), reverse=True)[:n]
    def address(page: Path) -> str:
        if page.name != "index.html":
            return "/" + page.relative_to(site).as_posix()
        folder = page.parent.relative_to(site).as_posix()
        return "/" if folder == "." else f"/{folder}/"

    return [(address(p), size / 1e3) for size, p in pages]


def make_plain_baseline(project: Path, where: Path) -> Path:
    """Plain MkDocs + Material, no hooks and no search, on the same pages as the hooked build of
    `project` (its site/ must exist): each page's article, as the hooks produced it, written as a
    Markdown file (title and description in front matter), so MkDocs renders every page through
    Markdown and Material's templates as it would hand-written pages. Read from the built site, not
    from the hooks' functions, so it holds whatever pages the code generates (pagination included)."""
    site = project / "site"
    shutil.copytree(project / "docs", where / "docs", ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(project / "overrides", where / "overrides")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    site_name = re.search(r"^site_name: *(.*)$", config, re.M)[1].strip()
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        start = _ARTICLE.search(text)
        if not start:
            continue
        body = text[start.end():text.rindex("</article>")]
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        title = html.unescape(title[1]).strip() if title else site_name
        title = title.removesuffix(f" · {site_name}") or site_name
        description = re.search(r'<meta name="description" content="([^"]*)"', text)
        meta = {"title": title, "description": html.unescape(description[1]) if description else ""}
        relative = page.parent.relative_to(site)
        target = where / "docs" / relative / "index.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n{body}\n", encoding="utf-8")
    # Every page is now <address>/index.md: the nav's `about.md` is `about/index.md`.
    config = re.sub(r"^(\s+- [^:\n]+: )(?!.*index\.md$)([\w/-]+)\.md$", r"\1\2/index.md", config, flags=re.M)
    config = re.sub(r"\nhooks:\n(  - .*\n)+", "\nhooks:\n  - baseline_hook.py\n", config)
    config = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", config)
    (where / "mkdocs.yml").write_text(config, encoding="utf-8")
    (where / "baseline_hook.py").write_text(BASELINE_HOOK, encoding="utf-8")
    return where


# What overrides/ needs of the hooks to render at all, and nothing more: Material's own partials
# under `material/` (the partials of overrides/ include them), and `showcase_once` rendering its
# block on every page, as plain MkDocs renders Material's chrome on every page.
BASELINE_HOOK = '''import os

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader


def on_env(env, config, files):
    material = next(folder for folder in config.theme.dirs if folder != config.theme.custom_dir
                    and os.path.isfile(os.path.join(folder, "partials", "nav.html")))
    env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(material)})])
    env.globals["showcase_once"] = lambda name, caller: caller()
    return env
'''


def try_build(project: Path) -> dict:
    """A build's figures, or what went wrong (the other figures of the run are kept)."""
    figures = timed([PY, "-m", "mkdocs", "build", "-q", "-d", "site"], project, keep_output=True)
    if not figures["ok"]:
        print(f"  ! build of {project.name} failed:\n{figures['output']}", flush=True)
    return figures


def check_data(project: Path) -> dict:
    """`make check` on the project's data; when it fails (the model's list caps, say) the build is
    still measured, and the results say so."""
    figures = timed([PY, "-m", "showcase", "check", "data"], project, keep_output=True)
    if not figures["ok"]:
        print(f"  ! make check failed (the build is measured anyway):\n{figures['output']}", flush=True)
    return figures


# -- edit → preview, as `make serve` runs --------------------------------------------------------

class Preview:
    """`mkdocs serve -f mkdocs-editorial.yml --livereload --dirty` (what `make serve` runs) on a
    project, on a free port."""

    def __init__(self, project: Path, timeout: float):
        self.project, self.timeout = project, timeout
        self.base = f"http://127.0.0.1:{_free_port()}"
        config = "mkdocs-editorial.yml" if (project / "mkdocs-editorial.yml").exists() else "mkdocs.yml"
        self.process = subprocess.Popen(
            [PY, "-m", "mkdocs", "serve", "-f", config, "--dev-addr", self.base.removeprefix("http://"),
             "--livereload", "--dirty"],
            cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = time.monotonic()
        while "</html>" not in self.get("/"):
            if time.monotonic() - start > timeout or self.process.poll() is not None:
                self.close()
                raise RuntimeError("mkdocs serve did not come up")
            time.sleep(0.2)
        self.first_build_s = time.monotonic() - start
        self.first_build_cpu_s = self.cpu_seconds()

    def get(self, path: str) -> str:
        # The server holds a request while it rebuilds (it never serves a half-built site), so a
        # page that answers is from a finished build.
        return _get(self.base + path)

    def epoch(self) -> int:
        found = re.search(r"livereload\((\d+),", self.get("/"))
        return int(found[1]) if found else 0

    def wait_rebuilt(self, epoch: int) -> None:
        """Until a build newer than `epoch` is visible (livereload's long poll)."""
        start = time.monotonic()
        while time.monotonic() - start < self.timeout:
            try:
                with urllib.request.urlopen(f"{self.base}/livereload/{epoch}/1", timeout=70) as response:
                    if int(response.read()) > epoch:
                        return
            except (OSError, ValueError):
                time.sleep(0.2)
        raise RuntimeError("the preview never rebuilt")

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by the preview and the processes it started (Pagefind)."""
        ticks, parents, own = os.sysconf("SC_CLK_TCK"), {}, {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(stat.parent.name)
            # its own time and that of its children that have ended (Pagefind)
            parents[pid], own[pid] = int(fields[1]), sum(int(f) for f in fields[11:15]) / ticks
        family, grew = {self.process.pid}, True
        while grew:
            more = {pid for pid, parent in parents.items() if parent in family} - family
            family |= more
            grew = bool(more)
        return sum(own.get(pid, 0.0) for pid in family)

    def settle(self, limit: float = 300) -> None:
        """Until the preview is idle (under 5 % of a core over a second): the build's background
        work (search index, open data) done, so each edit is measured from a quiet preview."""
        time.sleep(1.5)
        start, before = time.monotonic(), self.cpu_seconds()
        while time.monotonic() - start < limit:
            time.sleep(1)
            now = self.cpu_seconds()
            if now - before < 0.05:
                return
            before = now

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _links(text: str, prefix: str) -> set[str]:
    """The addresses under `prefix` that a page links to (its own relative links resolved)."""
    found = set()
    for href in re.findall(r'href="([^"#?]+)', text):
        if href.startswith(("http:", "https:", "mailto:")):
            continue
        address = urllib.parse.urljoin("http://x" + prefix, href).removeprefix("http://x")
        if address.startswith(prefix) and address.endswith("/"):
            found.add(address)
    return found


def listing_page(preview: Preview, index: str, records: set[str], needle: str, limit: int = 400) -> str | None:
    """The first list page under `index` that contains `needle`: the index itself or, if it
    paginates or splits, a page it leads to (breadth first; record pages, `records`, left out)."""
    seen, queue = {index}, [index]
    while queue and len(seen) <= limit:
        address = queue.pop(0)
        text = preview.get(address)
        if needle in text:
            return address
        for link in sorted(_links(text, index) - seen - records):
            seen.add(link)
            queue.append(link)
    return None


def _yaml_scalar(value: str) -> str:
    return yaml.dump(value, allow_unicode=True, width=1_000_000, Dumper=yaml.CSafeDumper).removesuffix("\n...\n").strip()


def edit_latency(project: Path, units: dict, activities: dict, *, edits: int, timeout: float) -> dict:
    """Seconds from saving an edit to the preview serving it, for the three edits of issue 14,
    median of `edits` saves each; each kind's saves are undone (and that rebuild waited for)
    before the next kind starts.

    - summary: a word added to a unit's summary; the unit's page shows it.
    - rename: a unit's name changed (its first characters kept, so it sorts where it did); its
      page and the list page that listed it show the new name.
    - campaign: a campaign of the latest year appended to activities.yaml; its page and a page of
      the activities list show it."""
    unit = next(u for u in units["units"][1:] if u.get("summary") and "\n" not in u["summary"])
    unit_page = f"/units/{unit['id']}/"
    records = {f"/units/{u['id']}/" for u in units["units"]}
    campaign_records = {f"/activities/{a['id']}/" for a in activities["activities"]}
    units_file, activities_file = project / "data" / "units.yaml", project / "data" / "activities.yaml"
    units_text, activities_text = units_file.read_text(encoding="utf-8"), activities_file.read_text(encoding="utf-8")
    at = re.search(rf"^ *- id: {re.escape(unit['id'])}\n", units_text, re.M).end()
    summary = re.compile(r"^ +summary: .*$", re.M).search(units_text, at)
    name = re.compile(r"^( +name: ).*$", re.M).search(units_text, at)
    template = activities["activities"][0]

    def new_campaign(n: int) -> dict:
        record = copy.deepcopy(template)
        record.update(id=f"bench-new-{n}", title=f"2025年基准新增活动标记{n}", period={"start": "2025-12-30"})
        return record

    print(f"  · edit → preview: starting the preview of {project.name}", flush=True)
    preview = Preview(project, timeout)
    try:
        listed = listing_page(preview, "/units/", records, unit["name"])
        results: dict = {"first_build_s": preview.first_build_s, "first_build_cpu_s": preview.first_build_cpu_s,
                         "unit": unit["id"], "rename_listing": listed}
        for kind in EDIT_KINDS:
            times, cpu = [], []
            for n in range(edits):
                preview.settle()  # the watcher and the last build's background work done
                if kind == "summary":
                    token = f"基准修改标记{n}"
                    file, text = units_file, units_text[:summary.end()] + token + units_text[summary.end():]
                    pages = [unit_page]
                elif kind == "rename":
                    token = f"{unit['name']}改名{n}"
                    file, text = units_file, units_text[:name.start()] + name[1] + _yaml_scalar(token) + units_text[name.end():]
                    pages = [unit_page] + ([listed] if listed else [])
                else:
                    token = new_campaign(n)["title"]
                    added = yaml.dump([new_campaign(k) for k in range(n + 1)], allow_unicode=True, sort_keys=False,
                                      width=1_000_000, Dumper=yaml.CSafeDumper)
                    file, text = activities_file, activities_text.rstrip("\n") + "\n" + added
                    pages = [f"/activities/bench-new-{n}/"]
                began, cpu_before = time.monotonic(), preview.cpu_seconds()
                file.write_text(text, encoding="utf-8")
                while True:
                    shown = all(token in preview.get(page) for page in pages)
                    if shown and kind == "campaign":  # and on the activities list, wherever it is
                        added_pages = {f"/activities/bench-new-{k}/" for k in range(n + 1)}
                        shown = bool(listing_page(preview, "/activities/", campaign_records | added_pages, token,
                                                  limit=60))
                    if shown:
                        break
                    if time.monotonic() - began > timeout:
                        raise RuntimeError(f"the preview never showed the edit ({kind})")
                    time.sleep(0.05)
                times.append(time.monotonic() - began)
                # CPU seconds the preview spent until the edit showed: what the wall time would
                # be on an idle machine, give or take the second core (the machines are shared).
                cpu.append(preview.cpu_seconds() - cpu_before)
                print(f"    {kind} {n + 1}/{edits}: {times[-1]:.2f} s ({cpu[-1]:.2f} s CPU)", flush=True)
            epoch = preview.epoch()
            units_file.write_text(units_text, encoding="utf-8")
            activities_file.write_text(activities_text, encoding="utf-8")
            preview.wait_rebuilt(epoch)  # the undo's rebuild, before the next kind
            results[kind] = {"edit_s": statistics.median(times), "edits_s": times,
                             "cpu_s": statistics.median(cpu), "edits_cpu_s": cpu}
        return results
    finally:
        preview.close()


# -- the shapes ----------------------------------------------------------------------------------

def measure_city(tmp: Path, n: int, *, edits: int, with_edits: bool) -> dict:
    """The city list at `n` units: check, the hooked build (search included) against plain MkDocs
    on the same pages without search, sizes, largest pages; and the three edits if asked."""
    from shapes import city_dataset, describe

    label = f"city-{n // 1000}k" if n % 1000 == 0 else f"city-{n}"
    print(f"· {label}: preparing", flush=True)
    units, activities = city_dataset(n)
    project = make_project(tmp / f"{label}-site", units, activities)
    result: dict = {"shape": describe(units, activities)}
    result["check"] = check_data(project)
    print(f"· {label}: building with the hooks", flush=True)
    result["build"] = try_build(project)
    if not result["build"]["ok"]:
        return result
    result["sizes"] = sizes(project / "site")
    result["largest_pages"] = largest_pages(project / "site")
    print(f"· {label}: building plain MkDocs on the same pages, no search", flush=True)
    baseline = try_build(make_plain_baseline(project, tmp / f"{label}-baseline"))
    result["baseline"] = baseline
    if baseline["ok"]:
        result["baseline_pages"] = len(html_pages(tmp / f"{label}-baseline" / "site"))
        result["build_ratio"] = result["build"]["wall"] / baseline["wall"]
        result["cpu_ratio"] = result["build"]["cpu"] / baseline["cpu"]
        result["rss_ratio"] = result["build"]["rss_mb"] / baseline["rss_mb"]
    shutil.rmtree(tmp / f"{label}-baseline", ignore_errors=True)
    if with_edits:
        shutil.rmtree(project / "site", ignore_errors=True)
        result["latency"] = edit_latency(project, units, activities, edits=edits, timeout=1800)
    shutil.rmtree(project, ignore_errors=True)
    return result


def measure_growth(tmp: Path, *, edits: int) -> dict:
    """The realistic-growth shape: check, build, and the three edits."""
    from shapes import describe, growth_dataset

    print("· growth: preparing", flush=True)
    units, activities = growth_dataset()
    project = make_project(tmp / "growth-site", units, activities)
    result: dict = {"shape": describe(units, activities), "check": check_data(project)}
    result["build"] = try_build(project)
    if result["build"]["ok"]:
        result["sizes"] = sizes(project / "site")
        result["largest_pages"] = largest_pages(project / "site")
        shutil.rmtree(project / "site")
    result["latency"] = edit_latency(project, units, activities, edits=edits, timeout=600)
    return result


def measure_stress(tmp: Path) -> dict:
    """The stress shape (bench/synth.py's `stress_dataset`): the largest HTML page."""
    import synth

    if not hasattr(synth, "stress_dataset"):
        message = "bench/synth.py has no stress_dataset() yet: the stress row is skipped"
        print(f"· stress: {message}", flush=True)
        return {"skipped": message}
    print("· stress: preparing", flush=True)
    from shapes import describe

    units, activities = synth.stress_dataset()
    project = make_project(tmp / "stress-site", units, activities)
    result: dict = {"shape": describe(units, activities), "check": check_data(project)}
    print("· stress: building", flush=True)
    result["build"] = try_build(project)
    if result["build"]["ok"]:
        result["sizes"] = sizes(project / "site")
        result["largest_pages"] = largest_pages(project / "site", 8)
        result["largest_page_kb"] = result["largest_pages"][0][1]
    shutil.rmtree(project, ignore_errors=True)
    return result


def city_linearity(city: dict) -> dict | None:
    big, small = city.get("20000"), city.get("5000")
    if not (big and small and big["build"]["ok"] and small["build"]["ok"]):
        return None
    return {"wall": big["build"]["wall"] / small["build"]["wall"], "cpu": big["build"]["cpu"] / small["build"]["cpu"],
            "pages": big["sizes"]["pages"] / small["sizes"]["pages"]}


def cpu_note(edit: dict) -> str:
    return f" (CPU {edit['cpu_s']:.2f})" if "cpu_s" in edit else ""


def goals_14(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """(goal, measured, bound, met) for each line of issue 14's acceptance."""
    rows: list[tuple[str, str, str, bool | None]] = []
    city = results.get("city", {})
    big = city.get("20000", {})

    def row(goal: str, value: float | None, bound: float, fmt: str, extra: str = "") -> None:
        rows.append((goal, "not measured" if value is None else fmt.format(value) + extra,
                     fmt.format(bound), None if value is None else value <= bound))

    row("build of 20k units with search / plain MkDocs without search (wall)", big.get("build_ratio"),
        GOALS_14["build_ratio"], "{:.2f}×", f" (CPU {big['cpu_ratio']:.2f}×)" if "cpu_ratio" in big else "")
    row("peak RSS, 20k build / plain MkDocs", big.get("rss_ratio"), GOALS_14["rss_ratio"], "{:.2f}×",
        f" ({big['build']['rss_mb']:.0f} / {big['baseline']['rss_mb']:.0f} MB)" if "rss_ratio" in big else "")
    linear = city_linearity(city)
    row("linear: 20k / 5k build (wall)", linear and linear["wall"], GOALS_14["linearity"], "{:.2f}×",
        f" (CPU {linear['cpu']:.2f}×, pages ×{linear['pages']:.2f})" if linear else "")
    stress = results.get("stress", {})
    row("largest HTML page at the stress shape (KB)", stress.get("largest_page_kb"), GOALS_14["largest_page_kb"],
        "{:,.0f}", f" ({stress['largest_pages'][0][0]})" if "largest_pages" in stress else "")
    growth = results.get("growth", {}).get("latency", {})
    for kind in EDIT_KINDS:
        row(f"edit → preview at growth: {EDIT_NAMES[kind]} (s)", growth.get(kind, {}).get("edit_s"),
            GOALS_14["growth_edit_s"], "{:.2f}", cpu_note(growth.get(kind, {})))
    latency = big.get("latency", {})
    for kind, goal in zip(EDIT_KINDS, ("city_summary_s", "city_rename_s", "city_campaign_s"), strict=True):
        row(f"edit → preview at 20k: {EDIT_NAMES[kind]} (s)", latency.get(kind, {}).get("edit_s"), GOALS_14[goal],
            "{:.2f}", cpu_note(latency.get(kind, {})))
    return rows


def table_14(results: dict) -> str:
    lines = ["Issue 14's acceptance (ratios within one run):", "",
             "| goal | measured | bound | met |", "|---|---|---|---|"]
    for goal, value, bound, met in goals_14(results):
        lines.append(f"| {goal} | {value} | ≤ {bound} | {'—' if met is None else '✓' if met else '✗'} |")
    detail = [("", "pages", "make check (s)", "build, hooks (s)", "plain MkDocs, no search (s)", "peak RSS (MB)",
               "largest page", "first preview build (s)", "edit → preview: summary / rename / campaign (s)")]

    def edits(r: dict) -> str:
        latency = r.get("latency", {})
        return " / ".join(f"{latency[k]['edit_s']:.2f}" for k in EDIT_KINDS) if "summary" in latency else "—"

    for key, r in sorted(results.get("city", {}).items(), key=lambda kv: int(kv[0])):
        if not r.get("build", {}).get("ok"):
            b = r.get("build", {})
            detail.append((f"city {int(key):,}", "—", f"{r['check']['wall']:.2f} (CPU {r['check']['cpu']:.1f}, failed)",
                           f"failed after {b.get('wall', 0):.1f} (CPU {b.get('cpu', 0):.1f})", *["—"] * 5))
            continue
        first = r.get("latency", {}).get("first_build_s")
        detail.append((f"city {int(key):,}", f"{r['sizes']['pages']:,}",
                       f"{r['check']['wall']:.2f}" + ("" if r["check"]["ok"] else " (failed)"),
                       f"{r['build']['wall']:.1f} (CPU {r['build']['cpu']:.1f})",
                       f"{r['baseline']['wall']:.1f} (CPU {r['baseline']['cpu']:.1f})" if r["baseline"]["ok"] else "failed",
                       f"{r['build']['rss_mb']:.0f} / {r['baseline']['rss_mb']:.0f}" if r["baseline"]["ok"] else "",
                       f"{r['largest_pages'][0][1]:,.0f} KB {r['largest_pages'][0][0]}",
                       f"{first:.1f}" if first else "—", edits(r)))
    for name in ("growth", "stress"):
        r = results.get(name, {})
        if r.get("build", {}).get("ok"):
            first = r.get("latency", {}).get("first_build_s")
            detail.append((name, f"{r['sizes']['pages']:,}", f"{r['check']['wall']:.2f}"
                           + ("" if r["check"]["ok"] else " (failed)"),
                           f"{r['build']['wall']:.1f} (CPU {r['build']['cpu']:.1f})", "—", f"{r['build']['rss_mb']:.0f}",
                           f"{r['largest_pages'][0][1]:,.0f} KB {r['largest_pages'][0][0]}", f"{first:.1f}" if first else "—",
                           edits(r)))
    if len(detail) > 1:
        lines += ["", "| " + " | ".join(detail[0]) + " |", "|" + "---|" * len(detail[0])]
        lines += ["| " + " | ".join(row) + " |" for row in detail[1:]]
    notes = []
    for key, r in results.get("city", {}).items():
        if r.get("check") and not r["check"]["ok"]:
            said = [line.strip() for line in r["check"].get("output", "").splitlines() if line.strip()]
            notes.append(f"make check failed at city {int(key):,} (the build was measured anyway): "
                         + " ".join(said[:2] + (["…", said[-1]] if len(said) > 2 else [])))
    if results.get("city_caps_lifted"):
        notes.append("The city list was measured with the model's list caps lifted in the bench's copy (--lift-caps).")
    if "skipped" in results.get("stress", {}):
        notes.append(results["stress"]["skipped"])
    shapes = {k: v.get("shape") for k, v in [("growth", results.get("growth", {})), ("stress", results.get("stress", {}))]}
    for key, r in sorted(results.get("city", {}).items(), key=lambda kv: int(kv[0])):
        shapes[f"city {int(key):,}"] = r.get("shape")
    described = [f"{k}: {v['units']:,} units, {v['campaigns']:,} campaigns, {v['honours']:,} honours, "
                 f"{v['participations']:,} participations" for k, v in shapes.items() if v]
    if described:
        notes.append("Shapes: " + "; ".join(described) + ".")
    notes.append("Edits are saves of data/*.yaml while `mkdocs serve -f mkdocs-editorial.yml --livereload --dirty` "
                 "runs (`make serve`), until every page that shows the change serves it (a rename: the unit's page "
                 "and its list page; a new campaign: its page and the activities list); median of "
                 f"{results.get('edits_per_kind', '?')} saves at growth"
                 + (f", of {results['city_edits_per_kind']} at 20k." if "city_edits_per_kind" in results else "."))
    return "\n".join(lines + [""] + [f"- {n}" for n in notes if n])


# -- photos ---------------------------------------------------------------------------------------

def add_photos(project: Path, count: int, size: tuple[int, int] = (4000, 3000)) -> int:
    """`count` phone-sized photos drawn into the project's data/media/ and named by its activities
    (a cover and a gallery each, up to the model's 100 a gallery). Returns the bytes written."""
    from PIL import ImageDraw

    data = project / "data"
    activities = yaml.safe_load((data / "activities.yaml").read_text(encoding="utf-8"))
    bases = [photo_like(*size, seed=s) for s in range(8)]  # drawing is slow: 8 scenes, varied below
    written, rng = 0, random.Random(0)
    for i in range(count):
        image = bases[i % len(bases)].copy()
        pen = ImageDraw.Draw(image)
        for _ in range(6):  # large shapes of each photo's own: no two photos look alike
            x, y = rng.randrange(size[0]), rng.randrange(size[1])
            pen.rectangle([x, y, x + size[0] // 3, y + size[1] // 3], fill=tuple(rng.randrange(256) for _ in range(3)))
        file = f"media/bench/photo-{i:04d}.jpg"
        (data / file).parent.mkdir(parents=True, exist_ok=True)
        image.save(data / file, "JPEG", quality=88)
        written += (data / file).stat().st_size
        activity = activities["activities"][(i // 101) % len(activities["activities"])]
        record = photo_record(file, f"基准测试照片 {i + 1}：活动现场")
        if "cover" not in activity:
            activity["cover"] = record
        else:
            activity.setdefault("photos", []).append(record)
    (data / "activities.yaml").write_text(yaml.safe_dump(activities, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    return written


def measure_photos(tmp: Path, count: int) -> dict:
    """The real data without and with `count` photos of 4000×3000: first build (no cache), a
    rebuild with nothing changed (the cache kept, site/ new), peak memory, the variants' bytes, and
    an edit → preview with the photos in place. Ratios to the build without photos."""
    print(f"· photos: drawing {count} photos", flush=True)
    plain = make_project(tmp / "photos-none", None, None)
    with_photos = make_project(tmp / "photos-200", None, None)
    source_bytes = add_photos(with_photos, count)
    print("· photos: building", flush=True)
    check = timed([PY, "-m", "showcase", "check", "data"], with_photos)
    check_again = timed([PY, "-m", "showcase", "check", "data"], with_photos)  # what was found is kept
    without = build(plain)
    first = build(with_photos)
    shutil.rmtree(with_photos / "site")
    again = build(with_photos)
    media = [p for p in (with_photos / "site" / "media").iterdir() if p.is_file()]
    by_kind: dict[str, int] = {}
    for p in media:
        by_kind[p.suffix] = by_kind.get(p.suffix, 0) + p.stat().st_size
    print("· photos: preview latency", flush=True)
    latency = preview_latency(with_photos, next(
        u["id"] for u in yaml.safe_load((with_photos / "data" / "units.yaml").read_text(encoding="utf-8"))["units"][1:]
        if u.get("summary") and "\n" not in u["summary"]))
    return {
        "count": count, "source_mb": source_bytes / 1e6, "check": check, "check_again": check_again,
        "without": without, "first": first,
        "again": again, "variants": len(media), "variant_mb": {k: v / 1e6 for k, v in by_kind.items()},
        "latency": latency,
        "first_ratio": first["wall"] / without["wall"], "again_ratio": again["wall"] / without["wall"],
        "rss_ratio": first["rss_mb"] / without["rss_mb"], "cores_used": first["cpu"] / first["wall"],
    }


def photo_table(p: dict) -> str:
    rows = [
        ("photos (4000×3000 JPEG)", f"{p['count']} ({p['source_mb']:.0f} MB)"),
        ("make check with photos, first / again (s)", f"{p['check']['wall']:.2f} / {p['check_again']['wall']:.2f}"),
        ("build without photos (s)", f"{p['without']['wall']:.1f}"),
        ("first build with photos (s)", f"{p['first']['wall']:.1f} ({p['first_ratio']:.1f}×; CPU/wall "
                                          f"{p['cores_used']:.2f})"),
        ("rebuild, nothing changed (s)", f"{p['again']['wall']:.1f} ({p['again_ratio']:.2f}×)"),
        ("peak RSS, first build", f"{p['first']['rss_mb']:.0f} MB ({p['rss_ratio']:.2f}×)"),
        ("variants", f"{p['variants']}: " + ", ".join(f"{k} {v:.1f} MB" for k, v in sorted(p["variant_mb"].items()))),
        ("edit → preview with photos, --dirty (s)", f"{p['latency']['edit_s']:.2f}"),
    ]
    width = max(len(r[0]) for r in rows)
    return "\n".join(["| photo case | |", "|---|---|", *(f"| {a.ljust(width)} | {b} |" for a, b in rows)])


def table(results: dict) -> str:
    rows = [("", *results["sizes"].keys())]

    def add(name, fn):
        rows.append((name, *(fn(r) for r in results["sizes"].values())))

    add("pages", lambda r: f"{r['sizes']['pages']:,}")
    add("make check (s)", lambda r: f"{r['check']['wall']:.2f}")
    add("build, hooks (s)", lambda r: f"{r['build']['wall']:.1f}")
    add("build, plain MkDocs (s)", lambda r: f"{r['baseline']['wall']:.1f}")
    add("build ratio (goal ≤ 1.03)", lambda r: f"{r['build_ratio']:.2f}×")
    add("CPU ratio", lambda r: f"{r['cpu_ratio']:.2f}×")
    add("peak RSS ratio (goal ≤ 1.03)", lambda r: f"{r['rss_ratio']:.2f}× ({r['build']['rss_mb']:.0f} MB)")
    add("site size (MB)", lambda r: f"{r['sizes']['site_mb']:.1f}")
    add("search index, all chunks (MB)", lambda r: f"{r['sizes']['search_index_mb']:.2f}")
    add("unit page HTML (KB)", lambda r: f"{r['sizes']['unit_page_kb']:.1f}")
    add("edit → preview, --dirty (s)", lambda r: f"{r['latency']['dirty']['edit_s']:.2f}")
    add("edit → preview, full rebuild (s)",
        lambda r: f"{r['latency']['full']['edit_s']:.2f}" if "full" in r["latency"] else "—")
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    linearity = results.get("linearity")
    if linearity:
        lines.append("")
        lines.append(f"Linearity, 5k vs 1k build time: {linearity:.2f}× (goal ≤ {GOALS['linearity']}×, "
                     f"units ×5, pages ×{results['sizes']['5k']['sizes']['pages'] / results['sizes']['1k']['sizes']['pages']:.2f})")
    return "\n".join(lines)


def update_readme(text: str) -> None:
    readme = ROOT / "README.md"
    content = readme.read_text(encoding="utf-8")
    block = f"<!-- bench:start -->\n{text}\n<!-- bench:end -->"
    if "<!-- bench:start -->" in content:
        content = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _: block, content, flags=re.S)
    else:
        content += f"\n## Benchmark (`make bench`)\n\n{block}\n"
    readme.write_text(content, encoding="utf-8")


SECTIONS = ("standard", "photos", "growth", "stress", "city")


def machine() -> dict:
    model = re.search(r"^model name\s*: (.*)$", Path("/proc/cpuinfo").read_text(), re.M) if Path("/proc/cpuinfo").exists() else None
    memory = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M) if Path("/proc/meminfo").exists() else None
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.machine(), "cpu": model[1].strip() if model else "",
            "memory_gb": round(int(memory[1]) / 1024 ** 2, 1) if memory else None}


def readme_text(results: dict) -> str:
    """The README's figures block from `results` (sections possibly measured on different days)."""
    m = results.get("machine", {})
    where = f"{m.get('cores')} cores ({m.get('cpu') or m.get('processor')}, {m.get('memory_gb')} GB, Python {m.get('python')})"
    runs = results.get("runs", {})
    if runs and (len(set(runs.values())) > 1 or set(results.get("last_run", SECTIONS)) != set(SECTIONS)):
        # sections measured in separate runs: each with its day, and no one run's length
        when = "; ".join(f"{k} {v}" for k, v in runs.items())
        head = f"Measured on {where}, a shared machine (wall times are noisy; ratios are within one run): {when}."
    else:
        head = (f"Measured {results.get('date')} on {where}, a shared machine (wall times are noisy; ratios are within "
                f"one run), in a run of {results.get('bench_seconds', 0) / 60:.1f} min.")
    parts = [head]
    if "sizes" in results:
        parts.append(table(results))
    if "photos" in results:
        parts.append(photo_table(results["photos"]))
    lighthouse = results.get("lighthouse") or {}
    if lighthouse and "error" not in lighthouse:
        scores = lighthouse.get("scores", lighthouse)
        text = "Lighthouse (mobile), performance / accessibility / best practices / SEO:\n"
        for page, sc in scores.items():
            if isinstance(sc, dict) and "performance" in sc:
                text += (f"- `/{page}`: {sc['performance']:.0f} / {sc['accessibility']:.0f} / "
                         f"{sc['best-practices']:.0f} / {sc['seo']:.0f}\n")
        parts.append(text.rstrip("\n"))
    if any(k in results for k in ("city", "growth", "stress")):
        parts.append(table_14(results))
    return "\n\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="+", choices=SECTIONS,
                        help="run these parts alone; the other parts' figures are kept from the results file "
                             "(standard: real, 1k, 5k and Lighthouse; city: the city list of issue 14)")
    parser.add_argument("--sizes", nargs="*", type=int, default=[1000, 5000], help="the standard shape's sizes")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--photos", type=int, default=200, help="photos of the photo case (0: none)")
    parser.add_argument("--only-photos", action="store_true", help="the same as --only photos")
    parser.add_argument("--city-sizes", nargs="+", type=int, default=[20_000, 5_000],
                        help="units of the city list (the goals read 20000 and 5000)")
    parser.add_argument("--city-edits-at", type=int, default=20_000,
                        help="the city size whose edit → preview is measured (0: none)")
    parser.add_argument("--edits", type=int, default=3, help="saves of each edit kind at the growth shape")
    parser.add_argument("--city-edits", type=int, default=1, help="saves of each edit kind at the city list")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json", help="the results file")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md's figures block alone")
    parser.add_argument("--lift-caps", action="store_true",
                        help="the bench's copy of the model takes lists of 100,000 items (a before figure for code "
                             "whose 5,000-unit cap stops the city list); the results say so")
    args = parser.parse_args()
    global LIFT_CAPS
    LIFT_CAPS = args.lift_caps
    only = set(args.only or (["photos"] if args.only_photos else SECTIONS))
    if "photos" in only and not args.photos:
        only.discard("photos")
    started = time.monotonic()
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    partial = only != set(SECTIONS)
    results: dict = json.loads(args.json.read_text(encoding="utf-8")) if partial and args.json.exists() else {}
    results.setdefault("runs", {})
    results["machine"] = machine()
    with tempfile.TemporaryDirectory(prefix="showcase-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if "standard" in only:
            results["sizes"] = {"real": measure("real", tmp, None, None, latency_dirty_only=False)}
            for n in args.sizes:
                label = f"{n // 1000}k"
                units, activities = make_dataset(n)
                results["sizes"][label] = measure(label, tmp, units, activities, latency_dirty_only=n > 1000)
            results.pop("linearity", None)
            if {"1k", "5k"} <= results["sizes"].keys():
                results["linearity"] = results["sizes"]["5k"]["build"]["wall"] / results["sizes"]["1k"]["build"]["wall"]
            if not args.no_lighthouse:
                try:
                    from lighthouse import run_lighthouse

                    results["lighthouse"] = run_lighthouse(str(tmp / "real-site" / "site"),
                                                           ["", "units/pku/", "activities/c3-new-ethos/"],
                                                           str(tmp / "lighthouse"))
                except Exception as error:  # a missing npm or Chromium must not lose the other figures
                    results["lighthouse"] = {"error": str(error)}
            results["runs"]["standard"] = today
            save(results, args.json)  # each part kept as soon as it is done
        if "photos" in only:
            results["photos"] = {**measure_photos(tmp, args.photos), "date": today}
            results["runs"]["photos"] = today
            save(results, args.json)  # each part kept as soon as it is done
        if "growth" in only:
            results["growth"] = measure_growth(tmp, edits=args.edits)
            results["edits_per_kind"] = args.edits
            results["runs"]["growth"] = today
            save(results, args.json)  # each part kept as soon as it is done
        if "stress" in only:
            results["stress"] = measure_stress(tmp)
            results["runs"]["stress"] = today
            save(results, args.json)  # each part kept as soon as it is done
        if "city" in only:
            results["city"] = {}
            for n in sorted(args.city_sizes, reverse=True):
                results["city"][str(n)] = measure_city(tmp, n, edits=args.city_edits,
                                                       with_edits=n == args.city_edits_at)
                save(results, args.json)
            results["city_edits_per_kind"] = args.city_edits
            results["city_caps_lifted"] = args.lift_caps
            results["runs"]["city"] = today
            save(results, args.json)  # each part kept as soon as it is done
    results["date"] = today
    results["bench_seconds"] = time.monotonic() - started
    results["last_run"] = sorted(only)
    save(results, args.json)
    text = readme_text(results)
    print("\n" + text)
    if not args.no_readme:
        update_readme(text)
    return 0


def save(results: dict, where: Path) -> None:
    where.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
