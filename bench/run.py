"""`make bench`: speed and size of the site at the real size, 1,000 and 5,000 units.

Everything is measured in one run on this machine and reported as ratios where a ratio is what
matters (the machines are shared and noisy): hook-generated build vs. a plain-MkDocs baseline
of the same pages, 5k vs 1k. Writes bench/results.json and the figures block of README.md.
Never part of `make test`.
"""

from __future__ import annotations

import argparse
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
GOALS = {"build_ratio": 1.03, "rss_ratio": 1.03, "linearity": 5.25, "latency_real": 1.5, "latency_5k": 3.0}


# -- projects -------------------------------------------------------------------------------

def make_project(where: Path, units: dict | None, activities: dict | None) -> Path:
    """A buildable copy of the project; synthetic data when given, else the real data."""
    for name in ("hooks", "overrides", "docs"):
        shutil.copytree(ROOT / name, where / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", where / "mkdocs.yml")
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

def timed(args: list[str], cwd: Path) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of one command, from /usr/bin/time."""
    out = cwd / ".time"
    result = subprocess.run(["/usr/bin/time", "-o", str(out), "-f", "%e %U %S %M", *args],
                            cwd=cwd, env=ENV, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
    wall, user, system, rss = out.read_text().split()[-4:]
    return {"wall": float(wall), "cpu": float(user) + float(system), "rss_mb": int(rss) / 1024,
            "ok": result.returncode == 0}


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--photos", type=int, default=200, help="photos of the photo case (0: none)")
    parser.add_argument("--only-photos", action="store_true",
                        help="run the photo case alone; its block of README.md and results.json is updated")
    args = parser.parse_args()
    if args.only_photos:
        return main_photos(args.photos)
    started = time.monotonic()
    results: dict = {"sizes": {}}
    with tempfile.TemporaryDirectory(prefix="showcase-bench-") as tmp_name:
        tmp = Path(tmp_name)
        results["sizes"]["real"] = measure("real", tmp, None, None, latency_dirty_only=False)
        for n in args.sizes:
            label = f"{n // 1000}k"
            units, activities = make_dataset(n)
            results["sizes"][label] = measure(label, tmp, units, activities, latency_dirty_only=n > 1000)
        if args.photos:
            results["photos"] = measure_photos(tmp, args.photos)
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
    results["machine"] = {"cores": os.cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform(), "processor": platform.machine()}
    results["date"] = datetime.now(UTC).strftime("%Y-%m-%d")
    results["bench_seconds"] = time.monotonic() - started
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                                                 encoding="utf-8")
    text = table(results)
    if "photos" in results:
        text += "\n\n" + photo_table(results["photos"])
    lighthouse = results.get("lighthouse") or {}
    if lighthouse and "error" not in lighthouse:
        scores = lighthouse.get("scores", lighthouse)
        text += "\n\nLighthouse (mobile), performance / accessibility / best practices / SEO:\n"
        for page, s in scores.items():
            if isinstance(s, dict) and "performance" in s:
                text += (f"- `/{page}`: {s['performance']:.0f} / {s['accessibility']:.0f} / "
                         f"{s['best-practices']:.0f} / {s['seo']:.0f}\n")
    text = (f"Measured {results['date']} on {results['machine']['cores']} cores "
            f"({results['machine']['processor']}, Python {results['machine']['python']}), "
            f"in one run of {results['bench_seconds'] / 60:.1f} min.\n\n{text}")
    print("\n" + text)
    update_readme(text)
    return 0


def main_photos(count: int) -> int:
    """The photo case alone: its figures replace those of the last full run's photo case."""
    with tempfile.TemporaryDirectory(prefix="showcase-bench-") as tmp_name:
        figures = measure_photos(Path(tmp_name), count)
    stored = ROOT / "bench" / "results.json"
    results = json.loads(stored.read_text(encoding="utf-8")) if stored.exists() else {}
    results["photos"] = {**figures, "date": datetime.now(UTC).strftime("%Y-%m-%d")}
    stored.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    text = photo_table(figures)
    print("\n" + text)
    readme = ROOT / "README.md"
    content = readme.read_text(encoding="utf-8")
    if "| photo case |" in content:
        content = re.sub(r"\| photo case \|.*?(?=\n\n|\n<!-- bench:end -->)", lambda _: text, content, flags=re.S)
    else:
        content = content.replace("\n<!-- bench:end -->", f"\n\n{text}\n<!-- bench:end -->")
    readme.write_text(content, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
