"""The preview's work after a build is served (showcase/preview.py): it runs in order, a newer
build cancels it before it writes anything stale, and the open-data page is corrected in place."""

from __future__ import annotations

import gc
import threading
import weakref

from showcase.preview import AfterServe, replace_body, settle_memory, write_file


def test_steps_commit_in_order_after_the_build_returns(tmp_path):
    after, done = AfterServe(), []
    after.start([(lambda n=n: n, done.append) for n in range(3)])
    after.wait(timeout=10)
    assert done == [0, 1, 2]


def test_a_newer_build_cancels_what_is_not_committed(tmp_path):
    after, done, computing, release = AfterServe(), [], threading.Event(), threading.Event()

    def slow():
        computing.set()
        release.wait(10)
        return "stale"
    after.start([(slow, done.append), (lambda: "later", done.append)])
    computing.wait(10)
    cancelled = []
    after.cancel(then=lambda: cancelled.append(True))  # the next save's on_config
    release.set()
    after.wait(timeout=10)
    assert done == [] and cancelled == [True]


def test_the_served_page_has_its_body_replaced_in_place(tmp_path):
    write_file(str(tmp_path), "data/index.html", b"<main><p>1.0 KB</p></main>")
    assert replace_body(str(tmp_path), "data/", "<p>1.0 KB</p>", "<p>2.0 KB</p>")
    assert (tmp_path / "data" / "index.html").read_text(encoding="utf-8") == "<main><p>2.0 KB</p></main>"
    assert not replace_body(str(tmp_path), "data/", "<p>absent</p>", "<p>x</p>")


def test_settling_memory_collects_old_cycles_and_freezes_what_is_kept():
    class Node:
        pass

    kept, garbage = Node(), Node()
    garbage.self = garbage  # a cycle: only the collector frees it
    gone = weakref.ref(garbage)
    del garbage
    try:
        settle_memory()
        assert gone() is None
        assert gc.get_freeze_count() > 0  # the kept build is out of the next collections' way
        again = Node()
        again.self = again
        gone_again = weakref.ref(again)
        del again
        settle_memory()  # a cycle made after a freeze is collected by the next settle
        assert gone_again() is None and kept is not None
    finally:
        gc.unfreeze()
