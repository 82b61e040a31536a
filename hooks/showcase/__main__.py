"""`python -m showcase check [DATA_DIR]`: validate the data, print every problem, exit 1 if any.
`python -m showcase schema [SCHEMA_DIR]`: write the JSON Schemas of both files."""

from __future__ import annotations

import os
import sys

from .dataset import load_dataset
from .schema import write_schemas


def main(argv: list[str]) -> int:
    command, *args = argv or ["check"]
    if command == "check":
        dataset, report = load_dataset(args[0] if args else "data")
        if report.problems:  # errors, or warnings alone (these do not fail the check)
            if os.environ.get("GITHUB_ACTIONS") == "true":
                print(report.github_annotations())
            print(report.format())
        if report:
            return 1
        units = dataset.units.units
        print(f"数据无误：{len(units)} 家单位，{len(dataset.activities.activities)} 项活动。")
        return 0
    if command == "schema":
        for path in write_schemas(args[0] if args else "schema"):
            print(f"wrote {path}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
