"""The preview's load at a city's scale: seconds of a fresh `load_dataset` against the preview's
(`remember=True`) after a one-field edit, a rename and an added unit, on a city-like list of
small units (name, category, one honour) around `make_dataset`'s other records.

    PYTHONPATH=hooks python bench/load.py [UNITS]

Ratios, in one run: the machine is shared. Each edit is also checked against a fresh load.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent / "hooks")]
from showcase.dataset import load_dataset  # noqa: E402
from synth import make_dataset  # noqa: E402


def city(n_units: int, seed: int = 1) -> tuple[dict, dict]:
    """`make_dataset(60)` with small units added up to `n_units`."""
    units, activities = make_dataset(60, seed)
    units["units"] += [{"id": f"c{i}", "name": f"城市单位{i}号", "category": "other", "membership": "unknown",
                        "basis": "stated", "honours": [{"type": "h1", "date": 2020, "status": "awarded",
                                                        "basis": "stated"}]}
                       for i in range(n_units - len(units["units"]))]
    return units, activities


EDITS = {
    "one field": lambda t: t.replace("name: 城市单位100号\n", "name: 城市单位100号（更名）\n", 1),
    "rename": lambda t: t.replace("id: c200\n", "id: c200-renamed\n", 1),
    "added unit": lambda t: t.replace("\npeople:\n", "\n- id: c-new\n  name: 新增单位\n  category: other\n"
                                      "  membership: unknown\n  basis: stated\npeople:\n", 1),
}


def main(n_units: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        units, activities = city(n_units - 1)  # the added unit makes n_units
        for name, value in (("units.yaml", units), ("activities.yaml", activities)):
            (folder / name).write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8")
        text = (folder / "units.yaml").read_text(encoding="utf-8")

        cpu = {}

        def timed(remember: bool):
            start, start_cpu = time.perf_counter(), time.process_time()
            result = load_dataset(str(folder), remember=remember)
            cpu[remember] = time.process_time() - start_cpu  # what a busy machine's wall time hides
            return time.perf_counter() - start, result

        fresh, _ = timed(False)
        first, _ = timed(True)
        print(f"{n_units} units: fresh load {fresh:.2f} s; the preview's first load {first:.2f} s (CPU {cpu[True]:.2f} s)")
        for label, edit in EDITS.items():
            text = edit(text)
            (folder / "units.yaml").write_text(text, encoding="utf-8")
            seconds, (kept, report) = timed(True)
            fresh_seconds, (again, fresh_report) = timed(False)
            same = kept == again and report.problems == fresh_report.problems and kept is not None
            print(f"  {label:10s} preview {seconds:5.2f} s, fresh {fresh_seconds:5.2f} s "
                  f"({seconds / fresh_seconds:.0%}); CPU {cpu[True]:5.2f} s, {cpu[False]:5.2f} s"
                  f"{'' if same else '  DIFFERS FROM A FRESH LOAD'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
