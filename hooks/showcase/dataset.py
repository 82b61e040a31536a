"""Read both data files, validate them, check them across records: the one entry point."""

from __future__ import annotations

import hashlib
import os
import posixpath
from dataclasses import dataclass, field

from .checks import CheckMemo, check_records
from .files import unsafe_files
from .loader import Loaded, load_bytes, read_data_bytes
from .models import ActivitiesFile, UnitsFile
from .problems import Problem, Report
from .records import RecordCache, load_records
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


@dataclass
class _Memo:
    """The preview's memory of one file: its last bytes and result, its records' values (by
    their text) and their models. Same bytes, same result; an edit re-reads and re-validates
    only the records whose text changed (`records.py`)."""

    digest: bytes = b""
    parts: Parts | None = None
    records: RecordCache = field(default_factory=RecordCache)
    validated: dict = field(default_factory=dict)   # id(item) → (item, model)
    # The positions the first read kept: locating a deep problem replaces them with every
    # position (`Loaded.locate`), which a fresh load of the same bytes would not have.
    marks: tuple[dict, dict] = (dict(), dict())


_last_read: dict[tuple[str, str, type], _Memo] = {}
# What the checks found of each record, for the next run (`checks.CheckMemo`): one per data dir.
_last_checks: dict[str, CheckMemo] = {}


def _read_and_validate(path: str, shown_as: str, model: type, remember: bool, data_dir: str) -> Parts:
    # Read once: the bytes hashed are the bytes parsed (a save between two reads would otherwise
    # store one version's result under the other's hash).
    raw = read_data_bytes(path, shown_as, data_dir)
    if isinstance(raw, Loaded):  # unreadable (missing, a symlink, a FIFO): nothing to remember
        return validate_file(raw, model)
    if not remember:
        return validate_file(load_bytes(raw, shown_as), model)
    digest = hashlib.blake2b(raw).digest()
    memo = _last_read.setdefault((path, shown_as, model), _Memo())
    if memo.parts is not None and memo.digest == digest:
        loaded = memo.parts.loaded
        if loaded.all_marks:
            loaded.value_marks, loaded.key_marks = dict(memo.marks[0]), dict(memo.marks[1])
            loaded.all_marks = False
        return memo.parts
    loaded = load_records(raw, shown_as, memo.records)
    memo.marks = (dict(loaded.value_marks), dict(loaded.key_marks))  # before validation locates
    memo.parts = validate_file(loaded, model, memo.validated)
    memo.digest = digest
    return memo.parts


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
    them. `remember=True` (the preview) keeps what it read, validated and checked of each record, to
    do again next time only what an edit changed (the result is the same as a fresh load's); a
    one-off build lets the raw data go as soon as the models exist.
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
    memo = _last_checks.setdefault(os.path.abspath(data_dir), CheckMemo()) if remember else None
    report.extend(check_records(parts[UNITS_FILE], parts[ACTIVITIES_FILE], data_dir, images,
                                media_cache_dir(data_dir), memo))
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
