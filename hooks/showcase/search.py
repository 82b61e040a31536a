"""Site search: a built site indexed with Pagefind, which segments Chinese while indexing and
lets each reader download only the parts of the index a query needs.

Pagefind indexes the element marked `data-pagefind-body` (the article, in overrides/main.html;
pages without it, such as 404.html, stay out of the index) and skips what EXCLUDE names. The
bundle lands in `<site>/pagefind/`, where docs/javascripts/search.js loads it from.

Pagefind's Python API is asynchronous and only indexes; its command line does the same work
synchronously, so the indexer runs `python -m pagefind` in a child process.

One Pagefind run holds the whole index in memory until it writes it: 1,140 MB at 20,574 pages,
400 MB at 4,000 (of which about 240 MB does not depend on the pages). So `mkdocs build` indexes a
site of more than PART_PAGES pages in parts, one run after another: the first part into
`pagefind/` as always, the others into `pagefind/parts/<n>/`, and `pagefind/parts.json` lists
them for search.js, which merges them into one search (Pagefind's `mergeIndex`). The build's
memory then stops growing with the site; a reader's query fetches each part's entry and the
chunks of its words, and the order of results shifts (a part weighs a word by its rarity in
that part: at 20,574 pages a distinctive query keeps its top ten, a word found on thousands of
near-equal pages does not). The preview keeps one index (it is rebuilt after every save, and its
memory is not a build machine's).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable

from .problems import shown

BUNDLE = "pagefind"  # the folder under the site root that search.js loads pagefind.js from
LANGUAGE = "zh"      # one index, segmented as Chinese, whatever a page's lang says
# Not indexed: hints for screen readers, the edit link, the preview's error banner (all marked
# data-search-exclude in the templates), the "推1"/"外1" marks that point to the notes (they
# would clutter every excerpt) and the "¶" of Markdown headings' permalinks.
EXCLUDE = "[data-search-exclude], .sc-mark, .headerlink"
PART_PAGES = 4_000         # pages per Pagefind run at most (see above)
PARTS = "parts"            # <bundle>/parts/<n>/: the other parts of a site indexed in parts
MANIFEST = "parts.json"    # <bundle>/parts.json: {"parts": [{"path": "parts/1/", "languages": …}, …]}


class SearchIndexError(Exception):
    """Pagefind failed; the message says where and why."""


def pagefind_command(site_dir: str, output_dir: str) -> list[str]:
    """The command that indexes the built site in `site_dir` into `output_dir`."""
    return [sys.executable, "-m", "pagefind", "--site", os.path.abspath(site_dir),
            "--output-path", os.path.abspath(output_dir), "--force-language", LANGUAGE,
            "--exclude-selectors", EXCLUDE, "--quiet"]


def index_site(site_dir: str, command: Callable[[str, str], list[str]] = pagefind_command,
               part_pages: int = PART_PAGES) -> None:
    """Index the built site in `site_dir`, replacing its earlier index in one step; in parts of
    at most `part_pages` pages when it has more (see above).

    Raises SearchIndexError with Pagefind's own output when it fails."""
    staging = _staging(site_dir)
    bundle = os.path.join(staging, BUNDLE)
    pages = html_pages(site_dir)
    # Dealt out in turn, not cut in runs: each part then holds the same mix of page kinds, so
    # a word is about as rare in each part as in the whole site, and Pagefind's scores (which
    # weigh a word by its rarity within a part) compare across parts. Cut in runs, the campaign
    # pages shared one part, where their own words were common, and fell behind unit pages.
    count = max(1, -(-len(pages) // part_pages))
    groups = [pages[first::count] for first in range(count)]
    try:
        parts = []
        for number, group in enumerate(groups):
            # a part's pages, linked into a folder of their own at their own paths: Pagefind
            # names each page by its path under --site
            source = site_dir if len(groups) == 1 else _linked(site_dir, group, os.path.join(staging, f"source-{number}"))
            output = bundle if number == 0 else os.path.join(bundle, PARTS, str(number))
            result = subprocess.run(command(source, output), capture_output=True, text=True)
            if result.returncode != 0:
                raise SearchIndexError(_failure(site_dir, result.returncode, result.stdout + result.stderr))
            if source != site_dir:
                shutil.rmtree(source)
            if number:
                with open(os.path.join(output, "pagefind-entry.json"), encoding="utf-8") as entry:
                    parts.append({"path": f"{PARTS}/{number}/", "languages": json.load(entry)["languages"]})
        if parts:  # its content changes with any part's index: search.js reloads on a new one
            with open(os.path.join(bundle, MANIFEST), "w", encoding="utf-8") as manifest:
                json.dump({"parts": parts}, manifest, ensure_ascii=False)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, os.path.join(site_dir, BUNDLE))


def html_pages(site_dir: str) -> list[str]:
    """The site's HTML files (paths under `site_dir`, sorted), the search bundle's left out: what
    Pagefind reads (it indexes those with `data-pagefind-body`)."""
    found = []
    for folder, subfolders, files in os.walk(site_dir):
        if folder == site_dir:
            subfolders[:] = [name for name in subfolders if name != BUNDLE]
        subfolders.sort()
        found += [os.path.relpath(os.path.join(folder, name), site_dir) for name in sorted(files) if name.endswith(".html")]
    return found


def _linked(site_dir: str, pages: list[str], folder: str) -> str:
    """`folder` holding `pages` of `site_dir` at the same paths: hard links (the staging folder is
    on the site's file system), copies where a link cannot be made."""
    for page in pages:
        target = os.path.join(folder, page)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(os.path.join(site_dir, page), target)
        except OSError:
            shutil.copyfile(os.path.join(site_dir, page), target)
    return folder


class BackgroundIndexer:
    """Indexes in a child process and returns at once, for `mkdocs serve`.

    A preview must show an edited page within about a second, and indexing can take longer
    than the rebuild (8 s at 5,000 units on 2 cores). So the rebuilt pages are served at once
    and search catches up: the previous index answers until the new one is complete, then the
    new one replaces it in one step. (That needs `serve --dirty`, as `make serve` runs it;
    without it MkDocs empties the site folder at each rebuild, and search says it is
    unavailable until the new index lands.) A new build cancels the run in progress (its pages
    are about to change) and starts another when it ends: the last build's index lands.
    """

    def __init__(self, command: Callable[[str, str], list[str]] = pagefind_command,
                 report: Callable[[str], None] = lambda message: print(message, file=sys.stderr)) -> None:
        self._command = command
        self._report = report
        self._lock = threading.Lock()
        self._run = 0                                   # the number of the latest run
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None

    def start(self, site_dir: str) -> None:
        """Cancel any run in progress and index `site_dir` in the background."""
        self.cancel()
        staging = _staging(site_dir)
        with self._lock:
            self._run += 1
            run = self._run
            self._process = subprocess.Popen(self._command(site_dir, os.path.join(staging, BUNDLE)),
                                             stdin=subprocess.DEVNULL,
                                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            _lower_priority(self._process.pid)  # the next rebuild and the browser come first
            self._thread = threading.Thread(target=self._finish, args=(self._process, run, site_dir, staging),
                                            name="search-index", daemon=True)
            self._thread.start()

    def cancel(self) -> None:
        """Stop the run in progress, if any; its output is discarded."""
        with self._lock:
            self._run += 1
            process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the latest run to finish (tests; serve never waits)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _finish(self, process: subprocess.Popen, run: int, site_dir: str, staging: str) -> None:
        output, _ = process.communicate()
        with self._lock:
            if run != self._run:  # cancelled: a newer build is on its way
                shutil.rmtree(staging, ignore_errors=True)
                return
            self._process = None
            try:
                if process.returncode != 0:
                    shutil.rmtree(staging, ignore_errors=True)
                    self._report(_failure(site_dir, process.returncode, output))
                else:
                    _swap_in(staging, os.path.join(site_dir, BUNDLE))
            except OSError as error:  # the preview's folder went away (serve stopped)
                self._report(f"搜索索引未更新（{site_dir}）：{error}")


STAGING_PREFIX = ".pagefind-staging-"  # in .gitignore


def _staging(site_dir: str) -> str:
    """A new folder private to this run, beside the site folder (same file system, so the index
    moves in with a rename; not inside it, where Pagefind would index another run's files).
    Pagefind writes into `<staging>/pagefind`. A shared staging name let two builds in one
    checkout delete each other's half-written index."""
    return tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=os.path.dirname(os.path.abspath(site_dir)))


def _swap_in(staging: str, bundle: str) -> None:
    """Replace `bundle` by `<staging>/pagefind` with two renames, so readers never see half an
    index; the old index leaves through the run's own folder, which is then deleted."""
    try:
        if os.path.exists(bundle):
            os.rename(bundle, os.path.join(staging, "old"))
        os.rename(os.path.join(staging, BUNDLE), bundle)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _failure(site_dir: str, returncode: int, output: str) -> str:
    tail = "\n".join(shown(line) for line in output.strip().splitlines()[-15:])
    return f"搜索索引生成失败（Pagefind 索引 {site_dir}，退出码 {returncode}）：\n{tail}"


def _lower_priority(pid: int) -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, pid, 10)
    except (AttributeError, OSError):  # not POSIX, or the process is already gone
        pass
