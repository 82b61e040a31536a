"""Reader-side budget: Lighthouse (mobile profile) on a built site. Part of the benchmark, never of
`make test`.

    .venv/bin/python bench/lighthouse.py site            # after `make build`
    .venv/bin/python bench/lighthouse.py site --min-score 95 --page "" --page units/pku/

Builds nothing: it takes a built site folder, serves it on 127.0.0.1 (an `http.server` thread on a
free port) and runs Lighthouse 12.2.3 (pinned, installed with npm into `bench/.lighthouse/` the
first time) against Debian's /usr/bin/chromium, one page after the other (the machine has 2 cores;
parallel runs would make the performance scores noisy).

The test server gzips text responses when asked to, as GitHub Pages (where the site is deployed)
does: without it Lighthouse measures a transfer size that no reader gets.

Each page's full Lighthouse report is written to OUT/<page>.json and a summary to OUT/summary.json.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = HERE / ".lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
DEFAULT_PAGES = ["", "units/pku/", "activities/c3-new-ethos/", "honours/", "stats/"]
PAGE_TIMEOUT_S = 300

# Audits that count as passed or that carry no pass/fail verdict.
_NO_VERDICT = {"notApplicable", "manual", "informative"}
_COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml|manifest\+json)|image/svg\+xml)")


def ensure_lighthouse() -> Path:
    """The pinned Lighthouse CLI, installed with npm into bench/.lighthouse/ when missing."""
    if not LIGHTHOUSE_BIN.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm not found: Lighthouse needs Node 20 and npm "
                               "(Debian: apt-get install nodejs npm)")
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    if not LIGHTHOUSE_BIN.exists():
        raise RuntimeError(f"npm ran but {LIGHTHOUSE_BIN} is missing")
    return LIGHTHOUSE_BIN


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped like the production host when the client accepts it; no log lines."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            # Directory requests: let the base class redirect (…/x → …/x/) or pick index.html.
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not _COMPRESSIBLE.match(ctype) \
                or not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def serve(site_dir: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `site_dir` on 127.0.0.1 (a free port) from a daemon thread; return the server and its
    base URL."""
    handler = partial(_Handler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, name="lighthouse-site", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _report_name(page: str) -> str:
    return (page.strip("/").replace("/", "__") or "home") + ".json"


def _summarise(report: dict) -> dict:
    """One report as {category: score 0–100, ..., "failing": [...], "errors": [...]}.

    "failing": the audits scoring below 1 in each category that scored under 100, as {"id",
    "title", "category", "score" (0–1), "weight", "display"}; weight 0 means a diagnostic that does
    not count towards the score. "errors": audits Lighthouse could not compute, as {"id", "title",
    "message"} (with Lighthouse 12.2.3 and Debian's Chromium 156 a few trace-based diagnostics fail
    on the trace format, "reading 'frame_sequence'"; none of them is weighted)."""
    if report.get("runtimeError"):
        err = report["runtimeError"]
        raise RuntimeError(f"Lighthouse failed on {report.get('requestedUrl')}: "
                           f"{err.get('code')} {err.get('message')}")
    audits = report["audits"]
    result: dict = {}
    failing: list[dict] = []
    errors: dict[str, dict] = {}
    for cat_id in CATEGORIES:
        cat = report["categories"][cat_id]
        score = None if cat["score"] is None else round(cat["score"] * 100)
        result[cat_id] = score
        for ref in cat["auditRefs"]:
            audit = audits[ref["id"]]
            mode = audit.get("scoreDisplayMode")
            if mode == "error":
                errors[audit["id"]] = {"id": audit["id"], "title": audit["title"],
                                       "message": audit.get("errorMessage", "")}
            elif score != 100 and mode not in _NO_VERDICT and audit.get("score") is not None \
                    and audit["score"] < 1:
                failing.append({"id": audit["id"], "title": audit["title"], "category": cat_id,
                                "score": audit["score"], "weight": ref.get("weight", 0),
                                "display": audit.get("displayValue", "")})
    failing.sort(key=lambda a: -a["weight"])
    result["failing"] = failing
    result["errors"] = list(errors.values())
    return result


def run_lighthouse(site_dir: str, pages: list[str], out_dir: str) -> dict:
    """Run Lighthouse (mobile profile) on each of `pages` (paths relative to the site root, "" is
    the home page) of the built site in `site_dir`. Full reports go to `out_dir`.

    Returns {page: {"performance": 0–100, "accessibility": …, "best-practices": …, "seo": …,
    "failing": [{"id", "title", "category", "score", "weight", "display"}, …],
    "errors": [{"id", "title", "message"}, …]}, …}: see `_summarise`."""
    site = Path(site_dir)
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site}/index.html missing: build the site first (make build)")
    lighthouse = ensure_lighthouse()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CHROME_PATH=CHROME_PATH)
    server, base = serve(str(site))
    results: dict = {}
    try:
        for page in pages:
            report_path = out / _report_name(page)
            cmd = [str(lighthouse), base + page.lstrip("/"), "--output=json", f"--output-path={report_path}",
                   "--only-categories=" + ",".join(CATEGORIES), f"--chrome-flags={CHROME_FLAGS}", "--quiet"]
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=PAGE_TIMEOUT_S)
            if proc.returncode != 0 or not report_path.exists():
                raise RuntimeError(f"lighthouse exited {proc.returncode} on /{page}:\n{proc.stderr[-3000:]}")
            results[page] = _summarise(json.loads(report_path.read_text(encoding="utf-8")))
    finally:
        server.shutdown()
        server.server_close()
    return results


def _print_table(results: dict) -> None:
    width = max(len("/" + p) for p in results)
    print(f"{'page':<{width}}  " + "  ".join(f"{c:>14}" for c in CATEGORIES))
    for page, r in results.items():
        print(f"{'/' + page:<{width}}  " + "  ".join(f"{str(r[c]):>14}" for c in CATEGORIES))
    for page, r in results.items():
        weighted = [a for a in r["failing"] if a["weight"]]
        for a in weighted:
            extra = f" ({a['display']})" if a.get("display") else ""
            print(f"  /{page}  {a['category']}  {a['id']} [weight {a['weight']}, score {a['score']}]: "
                  f"{a['title']}{extra}")
        diagnostics = [a["id"] for a in r["failing"] if not a["weight"]]
        if diagnostics:
            print(f"  /{page}  diagnostics (weight 0): {', '.join(diagnostics)}")
    errored = sorted({a["id"] for r in results.values() for a in r["errors"]})
    if errored:
        print(f"  audits Lighthouse could not compute (weight 0): {', '.join(errored)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("site_dir", nargs="?", default="site", help="built site folder (default: site)")
    parser.add_argument("--page", action="append", dest="pages",
                        help=f"page path, repeatable (default: {DEFAULT_PAGES})")
    parser.add_argument("--out", default=str(HERE / "out" / "lighthouse"), help="folder for the reports")
    parser.add_argument("--min-score", type=int, default=None,
                        help="exit 1 when any category of any page scores below this")
    args = parser.parse_args(argv)
    pages = args.pages if args.pages is not None else DEFAULT_PAGES
    start = time.monotonic()
    results = run_lighthouse(args.site_dir, pages, args.out)
    seconds = round(time.monotonic() - start, 1)
    _print_table(results)
    print(f"{len(pages)} pages in {seconds} s (Lighthouse {LIGHTHOUSE_VERSION}, mobile)")
    summary = {"lighthouse": LIGHTHOUSE_VERSION, "seconds": seconds, "pages": results}
    Path(args.out, "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2),
                                              encoding="utf-8")
    if args.min_score is not None:
        low = [(p, c, r[c]) for p, r in results.items() for c in CATEGORIES
               if r[c] is None or r[c] < args.min_score]
        if low:
            print("below " + str(args.min_score) + ": " + ", ".join(f"/{p} {c} {s}" for p, c, s in low))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
