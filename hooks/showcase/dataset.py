"""Read both data files, validate them, check them across records: the one entry point."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field

from .checks import check_records
from .loader import load_file
from .models import ActivitiesFile, UnitsFile
from .problems import Report
from .validate import validate_file

UNITS_FILE = "units.yaml"
ACTIVITIES_FILE = "activities.yaml"


@dataclass(frozen=True)
class Dataset:
    """Both files, valid. Built only when there is no problem at all."""

    units: UnitsFile
    activities: ActivitiesFile
    # Where each record stands, for "edit this record" links: file → (path → line).
    files: dict[str, str] = field(default_factory=dict)              # "units" → "data/units.yaml"
    lines: dict[str, dict[tuple, int]] = field(default_factory=dict)  # "units" → {("units", 3): 120}

    def where(self, file: str, path: tuple) -> tuple[str, int]:
        """The file (as shown to editors) and the line of the record at `path`."""
        return self.files[file], self.lines[file].get(path, 1)


def load_dataset(data_dir: str, *, display_dir: str | None = None) -> tuple[Dataset | None, Report]:
    """Load `data_dir/units.yaml` and `data_dir/activities.yaml`.

    Messages name the files as `display_dir/units.yaml` (default: the path relative to the
    working directory, so an editor can click it). Returns (None, report) when anything is wrong.
    """
    display_dir = display_dir or os.path.relpath(data_dir)
    report = Report()
    parts = {}
    for filename, model in ((UNITS_FILE, UnitsFile), (ACTIVITIES_FILE, ActivitiesFile)):
        shown_as = posixpath.normpath(posixpath.join(display_dir, filename))
        loaded = load_file(os.path.join(data_dir, filename), shown_as)
        report.extend(loaded.problems)
        parts[filename] = validate_file(loaded, model)
        report.extend(parts[filename].problems)
    report.extend(check_records(parts[UNITS_FILE], parts[ACTIVITIES_FILE]))
    if report:
        return None, report
    units, activities = parts[UNITS_FILE], parts[ACTIVITIES_FILE]
    return Dataset(
        units.build(), activities.build(),
        files={"units": units.loaded.file, "activities": activities.loaded.file},
        lines={"units": {p: line for p, (line, _) in units.loaded.value_marks.items() if len(p) <= 2},
               "activities": {p: line for p, (line, _) in activities.loaded.value_marks.items() if len(p) <= 2}},
    ), report
