"""Material's built-in search (+jieba) against Pagefind on a built copy of the site.

The measurements behind the switch to Pagefind. They need the tree from before it (commit
b2c41e4: Material's search plugin and its search partial): since then the site has no Material
search to compare with, and `build` fails looking for search/search_index.json.

Three steps, each a subcommand; nothing here touches the project's own site, code or config:

  build    lay out a copy of the project (real data, or `synth:N` units from bench/synth.py) under
           --out, build it with the search plugin and again without it (plugins: [] in a copy of
           mkdocs.yml), then run Pagefind on the built site. CPU seconds (user+sys of the child
           processes) go to <out>/build.json.
  measure  serve <out>/site on 127.0.0.1 and drive both engines in headless Chromium:
           bytes a reader downloads to get results for one query (raw, and gzip -6 of each file,
           which is what a compressing server sends; Pagefind's *.pagefind files are gzip already),
           time to first results, and, with --ranks, the rank of each query's expected page
           (bench/queries.yaml). Writes <out>/measure.json.
  table    a Markdown table from one or more <out> folders.

Example:
  .venv/bin/python bench/search_compare.py build --data real --out bench/out/real
  .venv/bin/python bench/search_compare.py measure --out bench/out/real --ranks
  .venv/bin/python bench/search_compare.py table bench/out/real bench/out/synth5000
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

MARKER = ".search-compare"          # only folders carrying it are ever deleted by `build`
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
# Indexing only the article is what an integration would do (data-pagefind-body on the article
# in an override template); without it Pagefind also indexes header, footer and "上一页/下一页".
PAGEFIND_ARGS = ["--root-selector", "article.md-content__inner"]
# Material's search UI, Chinese strings (material/templates/partials/languages/zh.html)
MD_INITIALIZING = "正在初始化"
MD_PLACEHOLDER = "键入以开始搜索"


# -- build ------------------------------------------------------------------------------------

def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(cmd: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run `cmd`; its CPU seconds (user+sys, including its own children) and wall seconds."""
    cpu0, wall0 = _cpu_children(), time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    cpu, wall = _cpu_children() - cpu0, time.perf_counter() - wall0
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return {"cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "stdout": result.stdout[-2000:]}


def _without_search(config_text: str) -> str:
    """mkdocs.yml with its top-level `plugins:` block replaced by `plugins: []`."""
    out, skipping = [], False
    for line in config_text.splitlines(keepends=True):
        if re.match(r"plugins:", line):
            out.append("plugins: []\n")
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t", "\n")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    assert "plugins: []" in "".join(out), "mkdocs.yml has no top-level plugins: block"
    return "".join(out)


def _prepare_data(spec: str, into: Path) -> Path:
    if spec == "real":
        return ROOT / "data"   # includes data/sources, which the quote checks read
    m = re.fullmatch(r"synth:(\d+)", spec)
    if not m:
        sys.exit("--data is 'real' or 'synth:N'")
    from synth import make_dataset
    units, activities = make_dataset(int(m.group(1)), 2020)
    into.mkdir(parents=True, exist_ok=True)
    for name, data in (("units.yaml", units), ("activities.yaml", activities)):
        (into / name).write_text(yaml.dump(data, allow_unicode=True, sort_keys=False, Dumper=yaml.CSafeDumper),
                                 encoding="utf-8")
    return into


def _du(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def cmd_build(args) -> None:
    from sitekit import copy_project
    out = Path(args.out).resolve()
    if out.exists():
        if not (out / MARKER).exists():
            sys.exit(f"{out} exists and was not made by this script: not touching it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("made by bench/search_compare.py; safe to delete\n")
    with tempfile.TemporaryDirectory() as tmp:
        copy_project(out, _prepare_data(args.data, Path(tmp) / "data"))
    (out / "mkdocs.nosearch.yml").write_text(_without_search((out / "mkdocs.yml").read_text(encoding="utf-8")),
                                             encoding="utf-8")
    py = sys.executable
    record: dict = {"data": args.data, "repeat": args.repeat, "pagefind_args": args.pagefind_arg}
    # Alternate the two builds so that drift in the machine's load hits both alike.
    runs: dict[str, list[dict]] = {"with_search": [], "without_search": []}
    for _ in range(args.repeat):
        for label, config, site in (("with_search", "mkdocs.yml", "site"),
                                    ("without_search", "mkdocs.nosearch.yml", "site-nosearch")):
            shutil.rmtree(out / site, ignore_errors=True)
            run = _timed([py, "-m", "mkdocs", "build", "-q", "-f", str(out / config), "-d", str(out / site)],
                         cwd=out, env=MKDOCS_ENV)
            run.pop("stdout")
            runs[label].append(run)
            print(f"  mkdocs {label}: {run['cpu_s']} s CPU, {run['wall_s']} s wall", flush=True)
    shutil.rmtree(out / "site-nosearch")   # only its CPU was wanted
    site = out / "site"
    pages = sum(1 for _ in site.rglob("index.html"))
    best = {k: min(r["cpu_s"] for r in v) for k, v in runs.items()}
    record["material"] = {
        "runs": runs,
        "build_cpu_s": best["with_search"],
        "build_cpu_nosearch_s": best["without_search"],
        "search_cpu_s": round(best["with_search"] - best["without_search"], 2),
        "index_bytes": (site / "search" / "search_index.json").stat().st_size,
    }
    pf_runs = []
    for _ in range(args.repeat):
        shutil.rmtree(site / args.subdir, ignore_errors=True)
        run = _timed([py, "-m", "pagefind", "--site", str(site), "--output-subdir", args.subdir, *args.pagefind_arg],
                     cwd=out)
        print(f"  pagefind: {run['cpu_s']} s CPU, {run['wall_s']} s wall", flush=True)
        pf_runs.append(run)
    log = pf_runs[-1].pop("stdout")
    for r in pf_runs[:-1]:
        r.pop("stdout")
    total, nfiles = _du(site / args.subdir)
    ui = sum(p.stat().st_size for p in (site / args.subdir).glob("pagefind-*ui*"))
    record["pagefind"] = {
        "version": subprocess.run([py, "-m", "pagefind", "--version"], capture_output=True, text=True).stdout.strip(),
        "subdir": args.subdir,
        "runs": pf_runs,
        "build_cpu_s": min(r["cpu_s"] for r in pf_runs),
        "index_bytes": total - ui,   # index, fragments, meta, wasm, pagefind.js: what search needs
        "bundle_bytes": total,       # everything Pagefind wrote, its three UI flavours included
        "files": nfiles,
        "log_tail": log,
    }
    record["pages"] = pages
    record["site_bytes"] = _du(site)[0] - total
    (out / "build.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{out}: {pages} pages; Material search plugin {record['material']['search_cpu_s']} s CPU "
          f"(build {best['with_search']} vs {best['without_search']}), Pagefind {record['pagefind']['build_cpu_s']} s CPU")


# -- serving and the browser ----------------------------------------------------------------------

BENCH_PAGE = "/__search_compare__/pagefind.html"


def _pagefind_page(subdir: str) -> bytes:
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>pagefind bench</title></head><body>
<script>
window.pfQuery = async (q, n) => {{
  const t0 = performance.now();
  if (!window.pagefind) window.pagefind = await import("/{subdir}/pagefind.js");
  const s = await window.pagefind.search(q);
  const data = await Promise.all(s.results.slice(0, n).map(r => r.data()));
  return {{total: s.results.length, urls: data.map(d => d.url), titles: data.map(d => d.meta && d.meta.title),
          ms: Math.round(performance.now() - t0)}};
}};
</script></body></html>""".encode()


class _Handler(http.server.SimpleHTTPRequestHandler):
    subdir = "pagefind"

    def log_message(self, *a):  # quiet
        pass

    def do_GET(self):
        if self.path.split("?")[0] == BENCH_PAGE:
            body = _pagefind_page(self.subdir)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def _serve(site: Path, subdir: str):
    handler = type("H", (_Handler,), {"subdir": subdir})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _file_for(site: Path, url: str) -> Path | None:
    path = unquote(urlparse(url).path).lstrip("/")
    f = site / path
    if path == "" or path.endswith("/"):
        f = f / "index.html"
    return f if f.is_file() else None


_gzip_cache: dict[Path, int] = {}


def _sizes(site: Path, urls: list[str]) -> dict:
    """Bytes of the files behind `urls` (each counted once): as stored, and gzip -6 of each
    (never more than stored: a server does not compress what would grow)."""
    files, seen = [], set()
    for url in urls:
        f = _file_for(site, url)
        if f and f not in seen:
            seen.add(f)
            files.append(f)
    raw = gz = 0
    detail = []
    for f in files:
        data_len = f.stat().st_size
        if f not in _gzip_cache:
            _gzip_cache[f] = min(data_len, len(gzip.compress(f.read_bytes(), 6)))
        raw += data_len
        gz += _gzip_cache[f]
        detail.append((f.relative_to(site).as_posix(), data_len, _gzip_cache[f]))
    return {"raw": raw, "gzip": gz, "files": len(files),
            "largest": sorted(detail, key=lambda d: -d[1])[:8]}


def _norm(url: str) -> str:
    return unquote(urlparse(url).path).lstrip("/")


def _rank(urls: list[str], expect: str) -> int | None:
    for i, u in enumerate(urls, 1):
        if _norm(u) == expect:
            return i
    return None


def _is_material_search_file(url: str) -> bool:
    p = urlparse(url).path
    return p.startswith(("/search/", "/assets/javascripts/workers/", "/assets/javascripts/lunr/"))


class Browser:
    def __init__(self):
        from playwright.sync_api import sync_playwright
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def context(self):
        ctx = self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        urls: list[str] = []
        ctx.on("response", lambda r: urls.append(r.url))
        return ctx, urls

    def close(self):
        self.browser.close()
        self._pw.stop()


def _material_search(page, base: str, q: str, timeout_ms: int) -> dict:
    """Load the home page, wait for Material's search to be ready, type `q`, read the results."""
    t0 = time.perf_counter()
    page.goto(base + "/", wait_until="load")
    box = "input.md-search__input"
    page.click(box)
    ready = ("() => { const m = document.querySelector('.md-search-result__meta');"
             f" return m && m.textContent.trim() !== '' && !m.textContent.includes('{MD_INITIALIZING}'); }}")
    page.wait_for_function(ready, timeout=timeout_ms)
    t_ready = time.perf_counter()
    page.fill(box, q)
    page.press(box, "End")
    done = ("() => { const m = document.querySelector('.md-search-result__meta'); const t = m ? m.textContent : '';"
            f" return t && !t.includes('{MD_INITIALIZING}') && !t.includes('{MD_PLACEHOLDER}'); }}")
    page.wait_for_function(done, timeout=timeout_ms)
    t_done = time.perf_counter()
    page.wait_for_timeout(200)  # let the list finish rendering
    items = page.eval_on_selector_all(
        ".md-search-result__list > .md-search-result__item",
        "els => els.map(li => { const a = li.querySelector('a'); return a ? a.href : null; })")
    meta = page.inner_text(".md-search-result__meta")
    return {"urls": [u for u in items if u], "meta": meta.strip(),
            "ms_ready": round((t_ready - t0) * 1000), "ms_query": round((t_done - t_ready) * 1000)}


def _pagefind_search(page, q: str, n: int, timeout_ms: int) -> dict:
    page.set_default_timeout(timeout_ms)
    return page.evaluate("([q, n]) => window.pfQuery(q, n)", [q, n])


def cmd_measure(args) -> None:
    out = Path(args.out).resolve()
    site = out / "site"
    build = json.loads((out / "build.json").read_text(encoding="utf-8")) if (out / "build.json").exists() else {}
    subdir = build.get("pagefind", {}).get("subdir", args.subdir)
    queries = yaml.safe_load(Path(args.queries).read_text(encoding="utf-8"))["queries"]
    first = args.bytes_query or queries[0]["q"]
    second = next(q["q"] for q in queries if q["q"] != first)
    server, base = _serve(site, subdir)
    browser = Browser()
    result: dict = {"bytes_query": first, "second_query": second}
    timeout = args.timeout * 1000
    try:
        # Material: a fresh browser (empty cache) opens the home page and searches once.
        ctx, urls = browser.context()
        page = ctx.new_page()
        page.goto(base + "/", wait_until="networkidle", timeout=timeout)
        on_load = [u for u in urls if _is_material_search_file(u)]
        r = _material_search(page, base, first, timeout)
        n_first = len(urls)
        # The next page the reader opens (no instant navigation here): the index comes from the
        # browser's cache, but the worker builds the lunr index again before search is ready.
        r2 = _material_search(page, base, second, timeout)
        ctx.close()
        result["material"] = {
            "first_query": {**_sizes(site, [u for u in urls[:n_first] if _is_material_search_file(u)]),
                            "ms_ready": r["ms_ready"], "ms_query": r["ms_query"], "meta": r["meta"]},
            # fetched by merely opening a page, before any typing: every visitor pays this
            "on_page_load": _sizes(site, on_load),
            "next_page": {"ms_ready": r2["ms_ready"], "ms_query": r2["ms_query"]},
        }
        print(f"  material: {result['material']['first_query']['raw']:,} B raw, "
              f"{result['material']['first_query']['gzip']:,} B gzip; ready after {r['ms_ready']} ms", flush=True)
        # Pagefind: a fresh browser opens a blank page and runs one search, fetching data for the top 5.
        ctx, urls = browser.context()
        page = ctx.new_page()
        page.goto(base + BENCH_PAGE, wait_until="load")
        r = _pagefind_search(page, first, 5, timeout)
        fetched = [u for u in urls if urlparse(u).path != BENCH_PAGE]
        result["pagefind"] = {"first_query": {**_sizes(site, fetched), "ms": r["ms"], "total": r["total"]}}
        # A second query by the same reader: only what it adds (index chunks, fragments).
        n_first = len(urls)
        r2 = _pagefind_search(page, second, 5, timeout)
        added = [u for u in urls[n_first:] if u not in fetched and urlparse(u).path != BENCH_PAGE]
        result["pagefind"]["second_query"] = {**_sizes(site, added), "ms": r2["ms"], "total": r2["total"]}
        print(f"  pagefind: {result['pagefind']['first_query']['raw']:,} B raw, "
              f"{result['pagefind']['first_query']['gzip']:,} B gzip; {r['ms']} ms", flush=True)
        if args.ranks:
            # Same browser for every query, as one reader: Pagefind's bytes add up, Material's do not.
            for q in queries:
                q.pop("why", None)
                r = _pagefind_search(page, q["q"], 5, timeout)
                q["pagefind"] = {"rank": _rank(r["urls"], q["expect"]), "total": r["total"],
                                 "top": [_norm(u) for u in r["urls"]], "ms": r["ms"]}
            fetched = [u for u in urls if urlparse(u).path != BENCH_PAGE]
            result["pagefind"]["all_queries"] = {k: v for k, v in _sizes(site, fetched).items() if k != "largest"}
            ctx.close()
            ctx, urls = browser.context()
            page = ctx.new_page()
            for q in queries:
                r = _material_search(page, base, q["q"], timeout)
                q["material"] = {"rank": _rank(r["urls"], q["expect"]), "meta": r["meta"],
                                 "top": [_norm(u) for u in r["urls"][:5]]}
                print(f"  {q['q']}: material {q['material']['rank']}, pagefind {q['pagefind']['rank']}", flush=True)
            result["queries"] = queries
        ctx.close()
    finally:
        browser.close()
        server.shutdown()
    (out / "measure.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out / 'measure.json'}")


# -- table -----------------------------------------------------------------------------------

def _kb(n: int | None) -> str:
    return "—" if n is None else (f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB")


def cmd_table(args) -> None:
    rows = []
    for d in args.outs:
        d = Path(d)
        b = json.loads((d / "build.json").read_text(encoding="utf-8"))
        m = json.loads((d / "measure.json").read_text(encoding="utf-8")) if (d / "measure.json").exists() else {}
        rows.append((d.name, b, m))
    print("| site | pages | engine | build CPU s | bytes/query raw | gzip | first results | index on disk | top-5 hits (ranks) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---|")
    for name, b, m in rows:
        for eng in ("material", "pagefind"):
            be, me = b[eng], m.get(eng, {})
            fq = me.get("first_query", {})
            if eng == "material":
                cpu = f"{be['search_cpu_s']} (of {be['build_cpu_s']})"
                ms = f"{fq.get('ms_ready', 0) + fq.get('ms_query', 0)} ms" if fq else "—"
                disk = _kb(be["index_bytes"])
            else:
                cpu = f"{be['build_cpu_s']}"
                ms = f"{fq['ms']} ms" if fq else "—"
                disk = f"{_kb(be['index_bytes'])} ({be['files']} files)"
            hits = "—"
            if "queries" in m:
                ranks = [q[eng]["rank"] for q in m["queries"]]
                hits = f"{sum(1 for r in ranks if r and r <= 5)}/10 ({' '.join(str(r) if r else '–' for r in ranks)})"
            print(f"| {name} | {b['pages']} | {eng} | {cpu} | {_kb(fq.get('raw'))} | {_kb(fq.get('gzip'))} | {ms} "
                  f"| {disk} | {hits} |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--data", required=True, help="'real' or 'synth:N'")
    b.add_argument("--out", required=True)
    b.add_argument("--repeat", type=int, default=1, help="builds of each kind; the least CPU is kept")
    b.add_argument("--subdir", default="pagefind")
    b.add_argument("--pagefind-args", default=None,
                   help=f"extra pagefind arguments, one string ('' for none); default: {shlex.join(PAGEFIND_ARGS)}")
    m = sub.add_parser("measure")
    m.add_argument("--out", required=True)
    m.add_argument("--queries", default=str(ROOT / "bench" / "queries.yaml"))
    m.add_argument("--bytes-query", default=None, help="query for the byte count (default: the first)")
    m.add_argument("--ranks", action="store_true", help="rank every query's expected page (real data)")
    m.add_argument("--subdir", default="pagefind")
    m.add_argument("--timeout", type=int, default=300, help="seconds per browser wait")
    t = sub.add_parser("table")
    t.add_argument("outs", nargs="+")
    args = p.parse_args()
    if args.cmd == "build":
        args.pagefind_arg = list(PAGEFIND_ARGS) if args.pagefind_args is None else shlex.split(args.pagefind_args)
    {"build": cmd_build, "measure": cmd_measure, "table": cmd_table}[args.cmd](args)


if __name__ == "__main__":
    main()
