"""The strict loader on its own: values, locations, and what it refuses."""

from __future__ import annotations

import yaml

from showcase import loader
from showcase.loader import load_bytes


def test_uses_the_c_parser():
    assert loader._EventLoader is yaml.CSafeLoader


def test_plain_scalars_keep_their_meaning():
    data = load_bytes(
        b"a: true\nb: false\nc: 2020\nd: -3\ne: 1.5\nf: null\ng:\nh: 2020-02-30\ni: '010'\nj: \"NO\"\n", "t"
    ).data
    assert data == {"a": True, "b": False, "c": 2020, "d": -3, "e": 1.5, "f": None, "g": None,
                    "h": "2020-02-30", "i": "010", "j": "NO"}
    assert type(data["c"]) is int


def test_locations_are_one_based_and_keep_keys_apart_from_values():
    loaded = load_bytes("units:\n  - id: x\n    name: 清华大学\n".encode(), "t")
    assert loaded.value_marks == {(): (1, 1), ("units",): (2, 3), ("units", 0): (2, 5)}  # records only
    assert loaded.locate(("units", 0, "name"), key=True) == (3, 5)  # the rest when asked
    assert loaded.locate(("units", 0, "name")) == (3, 11)
    assert loaded.locate(("units", 0, "missing")) == (2, 5)


def test_bom_and_crlf_are_harmless():
    loaded = load_bytes(b"\xef\xbb\xbfname: a\r\nnote: |\r\n  x\r\n  y\r\n", "t")
    assert loaded.problems == []
    assert loaded.data == {"name": "a", "note": "x\ny\n"}


def test_problems_do_not_stop_the_walk():
    loaded = load_bytes(b"a: yes\na: 1\nb: &x 1\nc: *x\nd: 010\n", "t")
    assert [p.line for p in loaded.problems] == [1, 2, 3, 4, 5]
    assert all(p.kind == "syntax" for p in loaded.problems)


def test_alias_bomb_is_refused_without_expanding():
    bomb = b'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + b"".join(
        b"%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n" % ((bytes([c]),) * 2 + (bytes([c - 1]),) * 9)
        for c in range(ord("b"), ord("j"))
    )
    loaded = load_bytes(bomb, "t")
    assert loaded.problems and all("锚点" in p.message or "别名" in p.message for p in loaded.problems)


def test_deep_nesting_is_a_located_problem_not_a_recursion_error():
    loaded = load_bytes(b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "t")
    assert len(loaded.problems) == 1 and loaded.problems[0].line == 1 and not loaded.readable


def test_file_size_limit():
    loaded = load_bytes(b"a: 1\n" + b"#" * loader.MAX_FILE_BYTES, "t")
    assert "上限" in loaded.problems[0].message
