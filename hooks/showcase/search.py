"""Site search: a built site indexed with Pagefind, which segments Chinese while indexing and
lets each reader download only the parts of the index a query needs.

Pagefind indexes the element marked `data-pagefind-body` (the article, in overrides/main.html;
pages without it, such as 404.html, stay out of the index) and skips what EXCLUDE names. The
bundle lands in `<site>/pagefind/`, where docs/javascripts/search.js loads it from.

Pagefind's Python API is asynchronous and only indexes; its command line does the same work
synchronously, so the indexer runs `python -m pagefind` in a child process.
"""

from __future__ import annotations

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


class SearchIndexError(Exception):
    """Pagefind failed; the message says where and why."""


def pagefind_command(site_dir: str, output_dir: str) -> list[str]:
    """The command that indexes the built site in `site_dir` into `output_dir`."""
    return [sys.executable, "-m", "pagefind", "--site", os.path.abspath(site_dir),
            "--output-path", os.path.abspath(output_dir), "--force-language", LANGUAGE,
            "--exclude-selectors", EXCLUDE, "--quiet"]


def index_site(site_dir: str, command: Callable[[str, str], list[str]] = pagefind_command) -> None:
    """Index the built site in `site_dir`, replacing its earlier index in one step.

    Raises SearchIndexError with Pagefind's own output when it fails."""
    staging = _staging(site_dir)
    result = subprocess.run(command(site_dir, os.path.join(staging, BUNDLE)), capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise SearchIndexError(_failure(site_dir, result.returncode, result.stdout + result.stderr))
    _swap_in(staging, os.path.join(site_dir, BUNDLE))


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
