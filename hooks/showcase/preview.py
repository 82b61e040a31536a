"""The preview's work that can wait until the edited page is served: the open-data files and
feeds (19 MB at 20,000 units), the open-data page's file sizes, then the search index. No
MkDocs import: the hooks hand it plain steps.

A step is computed outside the lock (it only reads the build's data) and committed under it,
only if no newer build has begun since: a save during the work cancels it, and nothing stale
is written into the site folder after the newer build has started writing its own.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

Step = tuple[Callable[[], Any], Callable[[Any], None]]  # (compute, commit its result)


class AfterServe:
    """Runs a build's steps in one thread, in order; `cancel` (a newer build) stops them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._run = 0
        self._thread: threading.Thread | None = None

    def start(self, steps: Iterable[Step]) -> None:
        with self._lock:
            self._run += 1
            run = self._run
        self._thread = threading.Thread(target=self._work, args=(run, steps), name="preview-after", daemon=True)
        self._thread.start()

    def cancel(self, then: Callable[[], None] = lambda: None) -> None:
        """No step of the current run commits after this returns; `then` runs under the same lock
        (cancel what a committed step started, e.g. the search indexer)."""
        with self._lock:
            self._run += 1
            then()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the latest run to finish (tests, and `serve` stopping; a rebuild never waits)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _work(self, run: int, steps: Iterable[Step]) -> None:
        for compute, commit in steps:
            if run != self._run:
                return
            result = compute()
            with self._lock:
                if run != self._run:
                    return
                commit(result)


def settle_memory() -> None:
    """Between two edits: the garbage of earlier builds collected, then what is left (the kept
    build: two graphs and every page's body, millions of objects at 20,000 units) moved out of the
    collector's sight (`gc.freeze`), so that the collections during the next build look at that
    build's new objects only. Frozen objects are still freed when nothing refers to them; cycles
    among them wait for the next call. A full collection at 20,000 units takes over a second: in
    a rebuild it was a third of a summary edit; here it runs after the edited page is served."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def write_file(site_dir: str, path: str, data: bytes) -> None:
    """`data` at `path` in the site folder, replaced whole (a reader never sees half a file)."""
    target = os.path.join(site_dir, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    staging = target + ".part"
    with open(staging, "wb") as handle:
        handle.write(data)
    os.replace(staging, target)


def replace_body(site_dir: str, page_url: str, old: str, new: str) -> bool:
    """The written page at `page_url` with its generated body `old` replaced by `new` (MkDocs
    prints the body as it is); False when the page does not hold `old` exactly once."""
    target = os.path.join(site_dir, page_url, "index.html")
    try:
        with open(target, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return False
    if old == new or text.count(old) != 1:
        return old == new
    write_file(site_dir, os.path.join(page_url, "index.html"), text.replace(old, new).encode("utf-8"))
    return True
