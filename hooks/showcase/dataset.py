"""Read both data files, validate them, check them across records: the one entry point."""

from __future__ import annotations

import hashlib
import os
import posixpath
from dataclasses import dataclass, field

from .checks import check_records
from .files import unsafe_files
from .loader import Loaded, load_bytes, read_data_bytes
from .models import ActivitiesFile, UnitsFile
from .problems import Problem, Report
from .validate import Parts, validate_file

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
    # Every photo a record names, as found by the checks: "media/2020/a.jpg" → media.ImageInfo.
    images: dict[str, object] = field(default_factory=dict)

    def where(self, file: str, path: tuple) -> tuple[str, int]:
        """The file (as shown to editors) and the line of the record at `path`: of the nearest
        record above it when its own line is not kept (see `_record_lines`)."""
        lines = self.lines[file]
        while path and path not in lines:
            path = path[:-1]
        return self.files[file], lines.get(path, 1)


def _record_lines(value_marks: dict) -> dict[tuple, int]:
    """The line of each record (an item of a list, at any depth) and of the top two levels:
    what edit links and the editorial page point to. Not every scalar's: at 5,000 units
    that would be a million entries kept for the whole preview session."""
    return {path: line for path, (line, _) in value_marks.items()
            if len(path) <= 2 or isinstance(path[-1], int)}


# The last result per file, keyed by its bytes: under `mkdocs serve` an edit usually touches
# one file, and the other is not read and validated again. A pure memo: same bytes, same result.
_last_read: dict[tuple[str, str, type], tuple[bytes, Parts]] = {}


def _read_and_validate(path: str, shown_as: str, model: type, remember: bool, data_dir: str) -> Parts:
    # Read once: the bytes hashed are the bytes parsed (a save between two reads would otherwise
    # store one version's result under the other's hash).
    raw = read_data_bytes(path, shown_as, data_dir)
    if isinstance(raw, Loaded):  # unreadable (missing, a symlink, a FIFO): nothing to remember
        return validate_file(raw, model)
    if not remember:
        return validate_file(load_bytes(raw, shown_as), model)
    digest = hashlib.blake2b(raw).digest()
    key = (path, shown_as, model)
    cached = _last_read.get(key)
    if cached and cached[0] == digest:
        return cached[1]
    parts = validate_file(load_bytes(raw, shown_as), model)
    _last_read[key] = (digest, parts)
    return parts


def _unsafe_entries(data_dir: str, display_dir: str) -> list[Problem]:
    """Every symlink, FIFO or device under `data_dir` (sources, media …) as a problem: the build
    would follow it and publish or quote what lies outside the repository. The two data files
    are left out here: `load_file` has already said it of them."""
    return [
        Problem(posixpath.normpath(posixpath.join(display_dir, relative)), 1, 1, "", reason)
        for relative, reason in unsafe_files(data_dir)
        if relative not in (UNITS_FILE, ACTIVITIES_FILE)
    ]


def media_cache_dir(data_dir: str) -> str:
    """Where processed photos (and what was found of each) are kept: outside site/ and data/,
    ignored by git, restored by the deploy workflow. SHOWCASE_MEDIA_CACHE moves it."""
    return os.environ.get("SHOWCASE_MEDIA_CACHE") or os.path.join(
        os.path.dirname(os.path.abspath(data_dir)), ".cache", "media")


def load_dataset(data_dir: str, *, display_dir: str | None = None,
                 remember: bool = False) -> tuple[Dataset | None, Report]:
    """Load `data_dir/units.yaml` and `data_dir/activities.yaml`.

    Messages name the files as `display_dir/units.yaml` (default: the path relative to the
    working directory, so an editor can click it). Returns (None, report) when anything is wrong.
    Warnings alone (`report.warnings`: an unused photo …) do not stop it: the dataset comes with
    them. `remember=True` (the preview) keeps each file's result to skip it next time if its bytes are
    the same; a one-off build lets the raw data go as soon as the models exist.
    """
    display_dir = display_dir or os.path.relpath(data_dir)
    report = Report()
    parts = {}
    for filename, model in ((UNITS_FILE, UnitsFile), (ACTIVITIES_FILE, ActivitiesFile)):
        shown_as = posixpath.normpath(posixpath.join(display_dir, filename))
        parts[filename] = _read_and_validate(os.path.join(data_dir, filename), shown_as, model, remember,
                                             data_dir)
        report.extend(parts[filename].loaded.problems)
        report.extend(parts[filename].problems)
    report.extend(_unsafe_entries(data_dir, display_dir))
    images: dict = {}
    report.extend(check_records(parts[UNITS_FILE], parts[ACTIVITIES_FILE], data_dir, images,
                                media_cache_dir(data_dir)))
    if report:
        return None, report
    units, activities = parts[UNITS_FILE], parts[ACTIVITIES_FILE]
    return Dataset(
        units.build(), activities.build(),
        files={"units": units.loaded.file, "activities": activities.loaded.file},
        lines={"units": _record_lines(units.loaded.value_marks),
               "activities": _record_lines(activities.loaded.value_marks)},
        images=images,
    ), report
