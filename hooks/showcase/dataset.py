"""Read both data files, validate them, check them across records: the one entry point."""

from __future__ import annotations

import os
from dataclasses import dataclass

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


def load_dataset(data_dir: str, *, display_dir: str | None = None) -> tuple[Dataset | None, Report]:
    """Load `data_dir/units.yaml` and `data_dir/activities.yaml`.

    Messages name the files as `display_dir/units.yaml` (default: the path relative to the
    working directory, so an editor can click it). Returns (None, report) when anything is wrong.
    """
    display_dir = display_dir or os.path.relpath(data_dir)
    report = Report()
    parts = {}
    for filename, model in ((UNITS_FILE, UnitsFile), (ACTIVITIES_FILE, ActivitiesFile)):
        loaded = load_file(os.path.join(data_dir, filename), f"{display_dir}/{filename}")
        report.extend(loaded.problems)
        parts[filename] = validate_file(loaded, model)
        report.extend(parts[filename].problems)
    report.extend(check_records(parts[UNITS_FILE], parts[ACTIVITIES_FILE]))
    if report:
        return None, report
    return Dataset(parts[UNITS_FILE].build(), parts[ACTIVITIES_FILE].build()), report
