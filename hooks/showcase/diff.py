"""`python -m showcase diff BASE`: what a pull request changes, said in Chinese for a reviewer
who does not read YAML. Record by record (新增单位 “…”；修改单位 “…” 的简介：… → …；删除活动 “…”),
its photos, and the site pages it adds, changes or removes.

Both versions go through the one loader and the same checks as `make check` (`load_dataset`): the
BASE version read out of git by `gittree.py`, as carefully as a working tree. An invalid new version
gets its problems instead of a description; an invalid BASE is said, and the new version is still
described against what of BASE can be read.

Records are matched by id (lists without ids: by what identifies an item, an honour by its type, a
participant by its unit), so a record moved in the file is no change and a renamed one is a rename.
What each field is called is the models' own `title` (`models.field_label`), what a record is their
class title: no second list of names here. Pages are planned and rendered for both versions by
`pages.py` (photos as they would be processed, `media.planned`) and compared body by body.

Every value from the data is hostile. Each format escapes its own way: the terminal text shows
control and invisible characters as U+XXXX (`problems.shown`); the Markdown (a job summary, a pull
request comment) puts every value in a code span, where GitHub renders no Markdown, no HTML, no
@mention, #reference or link, and is cut to fit GitHub's comment limit.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import re
import shutil
import tempfile
import urllib.parse
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from pydantic import BaseModel

from . import gittree, media
from .dataset import Dataset, load_dataset
from .files import UnsafeFile, read_regular_file
from .graph import build_graph
from .loader import load_file
from .models import (
    BASIS_LABELS,
    FILE_MODELS,
    HONOUR_STATUS,
    LEVEL_LABELS,
    SOURCE_KINDS,
    Category,
    Person,
    Photo,
    RefTo,
    Sourced,
    SourceDoc,
    Unit,
    field_label,
    field_parts,
)
from .pages import GROUP_LABELS, MEMBERSHIP_LABELS, PERSON_KINDS, Build, Renderer, plan_pages
from .problems import Report, shown

TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                         "overrides", "showcase")
# GitHub refuses a comment over 65,536 characters; the workflow that posts it adds a line or two.
MARKDOWN_MAX = 60_000
SHORT = 60            # characters of a value shown whole; longer ones are cut with “…”
CONTEXT = 12          # characters kept each side of what changed in a long text
LINES_LISTED = 10     # lines listed of a long list of names that changed
PAGES_INLINE = 8      # more pages than this are folded under <details>
THUMB = 160           # px: the width a thumbnail is shown at
THUMBS_INLINE = 8     # data-URL thumbnails at most (each costs ~8,000 of the comment's characters)
CAMO_MAX = 5 * 1024 * 1024  # GitHub's image proxy shows nothing larger
SHOWN_IN_BROWSERS = {"JPEG", "PNG", "WEBP"}  # HEIC is not

# Choices whose Chinese names the models already give (the value itself is shown otherwise).
_CHOICE_LABELS = {"basis": BASIS_LABELS, "level": LEVEL_LABELS, "status": HONOUR_STATUS}


def _choices(model: type[BaseModel], name: str) -> dict[str, str] | None:
    by_model = {(SourceDoc, "kind"): SOURCE_KINDS, (Unit, "membership"): MEMBERSHIP_LABELS["editorial"],
                (Person, "kind"): PERSON_KINDS, (Category, "group"): GROUP_LABELS}
    return by_model.get((model, name)) or _CHOICE_LABELS.get(name)
_NAME_FIELDS = ("name", "title", "label", "held_by")  # what a record is called, first found
_EMPTY = (None, "", [], {})
_MISSING = object()


# -- the two versions ------------------------------------------------------------------------------

@dataclass
class Version:
    name: str                            # as shown: "origin/main", "data"
    folder: str                          # where its files are (a temporary folder for git)
    raw: dict[str, object]               # "units.yaml" → the file as plain data; None: unreadable
    dataset: Dataset | None
    report: Report
    photo_url: str | None = None         # where its photos are on the web: "https://…/raw/<sha>/data/"


def read_folder(folder: str, shown_as: str, name: str) -> Version:
    """The data folder `folder`, checked as `make check` checks it (messages name it `shown_as`)."""
    dataset, report = load_dataset(folder, display_dir=shown_as)
    raw = {}
    for file in FILE_MODELS:
        loaded = load_file(os.path.join(folder, file), f"{shown_as}/{file}", root=folder)
        raw[file] = loaded.data if loaded.readable else None
    return Version(name, folder, raw, dataset, report)


@contextmanager
def git_version(repo: str, data_path: str, ref: str) -> Iterator[Version]:
    """Version `ref` of the data folder `data_path` of the repository `repo`, written out into a
    temporary folder (removed afterwards) and checked. Raises gittree.GitError."""
    temp = tempfile.mkdtemp(prefix="showcase-diff-")
    try:
        folder = os.path.join(temp, "data")
        os.mkdir(folder)
        shown_as = f"{ref}:{data_path}" if data_path else ref
        _, refused = gittree.export(repo, ref, data_path, folder, shown_as)
        version = read_folder(folder, shown_as, ref)
        # A data file that is a symlink in git is said once, as a symlink (not also as missing).
        told = {p.file for p in refused}
        version.report.problems = [p for p in version.report.problems
                                   if not (p.file in told and p.message == "找不到这个文件")]
        version.report.extend(refused)
        yield version
    finally:
        shutil.rmtree(temp, ignore_errors=True)


# -- what changed: lines made of our own words and of data -------------------------------------------
# A line is a list of parts: ("t", our text), ("d", a value from the data, quoted), ("p", a path or an
# id from the data, shown plain in the terminal). Each format renders the parts its own way.

Part = tuple[str, str]


def T(text: str) -> Part:
    return ("t", text)


def D(text: str) -> Part:
    return ("d", text)


def P(text: str) -> Part:
    return ("p", text)


@dataclass
class Change:
    line: list[Part]
    children: list[Change] = field(default_factory=list)
    verb: str = ""           # "新增", "修改", "删除" (records; counted in the summary)
    label: str = ""          # a field's change: its label, for “修改单位 “X” 的简介：…”
    image: tuple | None = None  # a photo: (version, file, ImageInfo | None, alt)


@dataclass
class Section:
    title: str
    changes: list[Change]


@dataclass
class Names:
    """What each id of a version names, for references: collection → id → name."""

    of: dict[str, dict[str, str]] = field(default_factory=dict)
    grades: dict[tuple[str, str], str] = field(default_factory=dict)

    def name(self, ref: RefTo, value: object, record: dict) -> str | None:
        if not isinstance(value, str):
            return None
        if ref.within:
            return self.grades.get((str(record.get(ref.within)), value))
        return self.of.get(ref.collection, {}).get(value)


def names_of(version: Version) -> Names:
    names = Names()
    for file, root in FILE_MODELS.items():
        data = version.raw.get(file)
        if not isinstance(data, dict):
            continue
        for collection, info in root.model_fields.items():
            _, model, is_list = field_parts(info.annotation, info.metadata)
            items = data.get(collection)
            if model is None or not is_list or not isinstance(items, list):
                continue
            table = names.of.setdefault(collection, {})
            for item in items:
                if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                    continue
                table.setdefault(item["id"], _called(model, item, names) or item["id"])
                grades = item.get("grades") if collection == "honour_types" else None
                for grade in grades if isinstance(grades, list) else []:
                    if isinstance(grade, dict) and isinstance(grade.get("id"), str):
                        names.grades[(item["id"], grade["id"])] = str(grade.get("name") or grade["id"])
    return names


def _kind(model: type[BaseModel]) -> str:
    """What a record of `model` is: its class title (单位, 活动, 荣誉记录)."""
    return model.model_config.get("title") or model.__name__


def _ref(info) -> RefTo | None:
    markers, _, _ = field_parts(info.annotation, info.metadata)
    return next((m for m in markers if isinstance(m, RefTo)), None)


@cache
def _refs_of(model: type[BaseModel]) -> tuple[tuple[str, RefTo], ...]:
    """The fields of `model` that refer to other records (read once per model: 20,000 units)."""
    return tuple((name, ref) for name, info in model.model_fields.items() if (ref := _ref(info)) is not None)


def _called(model: type[BaseModel], item: dict, names: Names) -> str:
    """What a record is called on a line: its name or title; a record without one by what it refers
    to (an honour by its type, a participant by its unit), its file (a photo), its date; and the
    date after it when it has one (全国文明单位（2020）)."""
    fields = model.model_fields
    called = next((item[n] for n in _NAME_FIELDS if n in fields and isinstance(item.get(n), str)), None)
    if called is None:
        parts = [names.name(ref, item[name], item) or item[name] for name, ref in _refs_of(model)
                 if isinstance(item.get(name), str)]
        called = " · ".join(parts) or None
    if called is None:
        for name in ("file", "start", "date", "total", "count"):
            if item.get(name) not in _EMPTY:
                return str(item[name]) + (f"–{item['end']}" if name == "start" and item.get("end") else "")
        return ""
    if "date" in fields and item.get("date") not in _EMPTY and called != str(item["date"]):
        called += f"（{item['date']}）"
    return called


def _identity(model: type[BaseModel], item: object) -> object:
    """What identifies an item of a list without ids: its id; what it refers to (an honour's type, a
    participant's unit); its file (a photo); its label (a figure); its group or date."""
    if not isinstance(item, dict):
        return None
    fields = model.model_fields
    if "id" in fields:
        return ("id", item.get("id"))
    refs = tuple(item.get(name) for name, ref in _refs_of(model) if not ref.within)  # an honour: its type
    if any(r is not None for r in refs):
        return ("ref", refs)
    for name in ("file", "label", "group", "date", "name"):
        if name in fields:
            return (name, item.get(name))
    return None


def _canon(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _same(old: object, new: object) -> bool:
    if (old is _MISSING or old in _EMPTY) and (new is _MISSING or new in _EMPTY):
        return True
    return old == new and type(old) is type(new)


def match(model: type[BaseModel], old: list, new: list) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (old index, new index) of the same record, the new ones unpaired, the old ones unpaired.
    Equal items pair first (a record moved and unchanged), then items of one identity in order, then,
    for records with ids, a record whose id alone changed (or whose name stayed) with its old self."""
    pairs: list[tuple[int, int]] = []
    free_old: dict[str, deque] = defaultdict(deque)
    for i, item in enumerate(old):
        free_old[_canon(item)].append(i)
    paired_old: set[int] = set()
    unpaired_new = []
    for j, item in enumerate(new):
        same = free_old.get(_canon(item))
        if same:
            i = same.popleft()
            pairs.append((i, j))
            paired_old.add(i)
        else:
            unpaired_new.append(j)
    by_key: dict[object, deque] = defaultdict(deque)
    for i, item in enumerate(old):
        key = _identity(model, item)
        if i not in paired_old and key is not None and _hashable(key):
            by_key[key].append(i)
    still_new = []
    for j in unpaired_new:
        key = _identity(model, new[j])
        if key is not None and _hashable(key) and by_key.get(key):
            i = by_key[key].popleft()
            pairs.append((i, j))
            paired_old.add(i)
        else:
            still_new.append(j)
    removed = [i for i in range(len(old)) if i not in paired_old]
    if "id" in model.model_fields and removed and still_new:
        for same in (_without_id, lambda item: _called(model, item, Names()) if isinstance(item, dict) else None):
            keys: dict[object, list[int]] = defaultdict(list)
            for i in removed:
                keys[same(old[i])].append(i)
            for j in list(still_new):
                key = same(new[j])
                if key and len(keys.get(key, ())) == 1:
                    i = keys.pop(key)[0]
                    pairs.append((i, j))
                    removed.remove(i)
                    still_new.remove(j)
    return pairs, still_new, removed


def _without_id(item: object) -> str | None:
    return _canon({k: v for k, v in item.items() if k != "id"}) if isinstance(item, dict) else None


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@dataclass
class _Context:
    old: Names
    new: Names


def diff_list(model: type[BaseModel], old: list, new: list, ctx: _Context, *, ordered: str | None = None,
              moved: str = "调整{}的顺序", details: bool = False) -> list[Change]:
    """The changes between two lists of records of `model`: changed and added records in the new
    order, then the removed ones. `ordered`: the list's label: the same records in a new order are
    said in one line (`moved`), since the order of many lists shows on the site (categories,
    grades, photos, campaigns of one date). `details`: a new record comes with what it says."""
    kind = _kind(model)
    pairs, added, removed = match(model, old, new)
    by_new = {j: i for i, j in pairs}
    out = []
    for j, item in enumerate(new):
        if j in by_new:
            change = record_change(model, old[by_new[j]], item, ctx)
            if change is not None:
                out.append(change)
        elif j in added:
            out.append(Change([T(f"新增{kind} "), D(_called_any(model, item, ctx.new))],
                              _facts(model, item, ctx.new) if details else [], verb="新增"))
    out += [Change([T(f"删除{kind} "), D(_called_any(model, old[i], ctx.old))], verb="删除") for i in removed]
    sequence = [i for _, i in sorted((j, i) for i, j in pairs)]
    if ordered and sequence != sorted(sequence):
        out.append(Change([T(moved.format(ordered))], label=ordered))
    return out


def _facts(model: type[BaseModel], item: object, names: Names) -> list[Change]:
    """What a new record says, a line a field: a text, a choice or a reference as its value, a record
    it holds by what it is called, a list of records by how many there are."""
    if not isinstance(item, dict):
        return []
    out = []
    shared = [name for name in model.model_fields if name in Sourced.model_fields]  # basis … last
    for name in [n for n in model.model_fields if n not in shared] + shared:
        info, value = model.model_fields[name], item.get(name)
        if name in ("id", *_NAME_FIELDS[:2]) or value in _EMPTY:
            continue
        label = field_label(model, name)
        _, inner, is_list = field_parts(info.annotation, info.metadata)
        if inner is not None and is_list and isinstance(value, list):
            if len(value) <= 3:
                line = [T(f"{label}："), *_joined([_called_any(inner, v, names) for v in value])]
            else:
                line = [T(f"{label}：{len(value)} 条")]
        elif inner is not None:
            line = [T(f"{label}："), D(_called_any(inner, value, names))]
        elif name == "inferred" and isinstance(value, dict):
            line = [T(f"{label}："), *_joined([field_label(model, str(k)) for k in value])]
        elif is_list and isinstance(value, list):
            ref = _ref(info)
            line = [T(f"{label}："), *_joined([(names.name(ref, v, item) if ref else None) or _plain(v)
                                               for v in value])]
        else:
            line = [T(f"{label}："), *value_parts(value, _ref(info), item, names, _choices(model, name))]
        out.append(Change(line, label=label))
    return out


def _called_any(model: type[BaseModel], item: object, names: Names) -> str:
    if isinstance(item, dict):
        return _called(model, item, names) or (str(item["id"]) if isinstance(item.get("id"), str) else "（无名称）")
    return _plain(item)


def record_change(model: type[BaseModel], old: object, new: object, ctx: _Context) -> Change | None:
    """The change of one record (None when it did not change): “修改单位 “X” 的简介：…”, or a rename
    with the rest of its changes under it."""
    kind = _kind(model)
    if not isinstance(old, dict) or not isinstance(new, dict):
        if _canon(old) == _canon(new):
            return None
        return Change([T(f"修改{kind}："), *value_parts(old, None, {}, ctx.old), T(" → "),
                       *value_parts(new, None, {}, ctx.new)], verb="修改")
    children = field_changes(model, old, new, ctx)
    if not children:
        return None
    name_field = next((n for n in _NAME_FIELDS if n in model.model_fields), None)
    renamed = name_field is not None and not _same(old.get(name_field, _MISSING), new.get(name_field, _MISSING)) \
        and isinstance(old.get(name_field), str) and isinstance(new.get(name_field), str)
    if renamed:
        children = [c for c in children if c.label != field_label(model, name_field)]
        head = [T(f"{kind} "), D(old[name_field]), T(" 改名为 "), D(new[name_field])]
        return Change(head, children, verb="修改")
    head = [T(f"修改{kind} "), D(_called_any(model, new, ctx.new))]
    if len(children) == 1 and not children[0].children:
        only = children[0]
        if only.label and only.line[:1] == [T(f"{only.label}：")]:
            return Change([*head, T(f" 的{only.label}："), *only.line[1:]], verb="修改")
        return Change([*head, T("："), *only.line], verb="修改")
    return Change(head, children, verb="修改")


def field_changes(model: type[BaseModel], old: dict, new: dict, ctx: _Context, prefix: str = "") -> list[Change]:
    """Every field of a record that differs between `old` and `new`, in the model's field order
    (keys the model does not know, from an invalid version, after them)."""
    keys = list(model.model_fields) + [k for k in (*old, *new) if k not in model.model_fields]
    out: list[Change] = []
    for name in dict.fromkeys(keys):
        o, n = old.get(name, _MISSING), new.get(name, _MISSING)
        if _same(o, n):
            continue
        info = model.model_fields.get(name)
        if info is None:  # written in the file, unknown to the model: its key is data too
            out.append(Change([T(prefix), D(str(name)), T("："), *value_parts(o, None, old, ctx.old), T(" → "),
                               *value_parts(n, None, new, ctx.new)], label=prefix + str(name)))
            continue
        own = field_label(model, name)
        # a record's one field named as the record (成员单位总数 › 成员单位总数) is said once
        label = prefix[:-3] if prefix.endswith(f"{own} › ") else prefix + own
        _, inner, is_list = field_parts(info.annotation, info.metadata)
        o = None if o is _MISSING else o
        n = None if n is _MISSING else n
        if inner is not None and is_list and isinstance(o or [], list) and isinstance(n or [], list):
            out += diff_list(inner, o or [], n or [], ctx, ordered=label)
        elif inner is not None and isinstance(o, dict) and isinstance(n, dict):
            out += field_changes(inner, o, n, ctx, f"{label} › ")
        elif inner is not None and (isinstance(o, dict) or isinstance(n, dict)) and (o is None or n is None):
            if n is not None:
                out.append(Change([T(f"新增{label} "), D(_called_any(inner, n, ctx.new))], label=label))
            else:
                out.append(Change([T(f"删除{label} "), D(_called_any(inner, o, ctx.old))], label=label))
        elif name == "inferred" and isinstance(o or {}, dict) and isinstance(n or {}, dict):
            out += _inferred_changes(model, o or {}, n or {}, ctx, label)
        elif is_list and isinstance(o or [], list) and isinstance(n or [], list):
            out += _list_of_values(info, o or [], n or [], old, new, ctx, label)
        else:
            out.append(value_change(label, o, n, _ref(info), _choices(model, name), old, new, ctx))
    return out


def _inferred_changes(model, old: dict, new: dict, ctx: _Context, label: str) -> list[Change]:
    out = []
    for key in dict.fromkeys([*old, *new]):
        if not _same(old.get(key, _MISSING), new.get(key, _MISSING)):
            out.append(value_change(f"{label} › {field_label(model, str(key))}", old.get(key), new.get(key),
                                    None, None, old, new, ctx))
    return out


def _list_of_values(info, old: list, new: list, old_record: dict, new_record: dict, ctx: _Context,
                    label: str) -> list[Change]:
    """A list of names or ids (别名, 关键词, an action's honour types): what was added and removed;
    the same items in a new order, said as such."""
    ref = _ref(info)

    def shown_as(value, names, record):
        return (names.name(ref, value, record) if ref else None) or _plain(value)

    gone = Counter(map(_canon, old)) - Counter(map(_canon, new))
    came = Counter(map(_canon, new)) - Counter(map(_canon, old))
    if not gone and not came:
        return [Change([T(f"调整{label}的顺序")], label=label)]
    line: list[Part] = [T(f"{label}：")]
    for verb, items, counted, names, record in (("新增", new, came, ctx.new, new_record),
                                                ("删除", old, gone, ctx.old, old_record)):
        listed = [v for v in items if counted.get(_canon(v), 0) > 0 and not counted.subtract([_canon(v)])]
        if listed:
            if len(line) > 1:
                line.append(T("；"))
            line.append(T(f"{verb} "))
            line += _joined([shown_as(v, names, record) for v in listed])
    return [Change(line, label=label)]


def _joined(values: list[str]) -> list[Part]:
    parts: list[Part] = []
    for i, value in enumerate(values[:LINES_LISTED]):
        if i:
            parts.append(T("、"))
        parts.append(D(value))
    if len(values) > LINES_LISTED:
        parts.append(T(f" 等 {len(values)} 项"))
    return parts


def value_change(label: str, old: object, new: object, ref: RefTo | None, choices: dict | None,
                 old_record: dict, new_record: dict, ctx: _Context) -> Change:
    """One field's value: “简介：旧 → 新”, “新增简介：…”, “删除全称（原为 …）”; a long text by the part
    that changed; a list of lines (a roll's names) by the lines added and removed."""
    if old in _EMPTY:
        return Change([T(f"新增{label} "), *value_parts(new, ref, new_record, ctx.new, choices)], label=label)
    if new in _EMPTY:
        return Change([T(f"删除{label}（原为 "), *value_parts(old, ref, old_record, ctx.old, choices), T("）")],
                      label=label)
    if isinstance(old, str) and isinstance(new, str) and ref is None and choices is None:
        old_lines, new_lines = old.strip("\n").split("\n"), new.strip("\n").split("\n")
        if len(old_lines) > 3 and len(new_lines) > 3:
            return _lines_change(label, old_lines, new_lines)
        if len(old) > SHORT or len(new) > SHORT:
            before, after = _excerpts(old, new)
            return Change([T(f"{label}："), D(before), T(" → "), D(after)], label=label)
    return Change([T(f"{label}："), *value_parts(old, ref, old_record, ctx.old, choices), T(" → "),
                   *value_parts(new, ref, new_record, ctx.new, choices)], label=label)


def _lines_change(label: str, old: list[str], new: list[str]) -> Change:
    came = Counter(new) - Counter(old)
    gone = Counter(old) - Counter(new)
    line: list[Part] = [T(f"{label}：")]
    if not came and not gone:
        return Change([T(f"调整{label}中各行的顺序")], label=label)
    for verb, counted in (("新增", came), ("删除", gone)):
        listed = list(counted.elements())
        if listed:
            if len(line) > 1:
                line.append(T("；"))
            line += [T(f"{verb} {len(listed)} 行 "), *_joined(listed)]
    return Change(line, label=label)


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """The part of two long texts that differs, with a little of what surrounds it: “…于2020年获评…”."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return _excerpt(old, start, len(old) - end), _excerpt(new, start, len(new) - end)


def _excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - CONTEXT)
    right = min(len(text), end + CONTEXT)
    middle = text[left:right]
    if len(middle) > 2 * SHORT:
        middle = middle[:SHORT] + "…" + middle[-SHORT:]
    return ("…" if left else "") + middle + ("…" if right < len(text) else "")


def _plain(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    return _canon(value) if isinstance(value, (dict, list)) else str(value)


def value_parts(value: object, ref: RefTo | None, record: dict, names: Names,
                choices: dict | None = None) -> list[Part]:
    """A value as a line shows it: a reference by the name of what it names, a choice by its Chinese
    name when the models give one, a number as written, text quoted."""
    if value in _EMPTY or value is _MISSING:
        return [T("（空）")]
    if ref is not None:
        return [D(names.name(ref, value, record) or _plain(value))]
    if choices and isinstance(value, str) and value in choices:
        return [T(choices[value])]
    if isinstance(value, bool):
        return [T("是" if value else "否")]
    if isinstance(value, (int, float)):
        return [T(str(value))]
    return [D(_plain(value))]


def describe(old: Version, new: Version) -> tuple[list[Section], list[str]]:
    """The changes of each collection (sources, committee, categories, …, activities), in the files'
    order, and what could not be compared (a file of BASE that cannot be read)."""
    ctx = _Context(names_of(old), names_of(new))
    sections, missing = [], []
    for file, root in FILE_MODELS.items():
        o, n = old.raw.get(file), new.raw.get(file)
        if not isinstance(o, dict):
            missing.append(file)
            continue
        if not isinstance(n, dict):
            continue
        for collection, info in root.model_fields.items():
            _, model, is_list = field_parts(info.annotation, info.metadata)
            title = field_label(root, collection)
            ov, nv = o.get(collection), n.get(collection)
            if model is None:
                continue
            if is_list:
                changes = diff_list(model, ov if isinstance(ov, list) else [], nv if isinstance(nv, list) else [], ctx,
                                    ordered=title, moved="调整了{}在文件中的先后顺序（记录本身没有变化）",
                                    details=True)
            else:
                change = record_change(model, ov if isinstance(ov, dict) else {}, nv if isinstance(nv, dict) else {},
                                       ctx)
                changes = [change] if change else []
            if changes:
                sections.append(Section(title, changes))
    return sections, missing


# -- photos ----------------------------------------------------------------------------------------

def photos_of(version: Version) -> dict[str, tuple[str, tuple[str, str] | None]]:
    """Every photo the version's records name: file → (alt, the top-level record showing it as
    (what it is, what it is called): ("单位", "北京大学"); None for the committee's)."""
    found: dict[str, tuple[str, tuple[str, str] | None]] = {}
    names = names_of(version)
    for file, root in FILE_MODELS.items():
        data = version.raw.get(file)
        if isinstance(data, dict):
            for model, value, owner in _records(root, data, names, None):
                for name, info in model.model_fields.items():
                    _, inner, _ = field_parts(info.annotation, info.metadata)
                    if inner is not Photo:
                        continue
                    items = value.get(name)
                    for photo in items if isinstance(items, list) else [items]:
                        if isinstance(photo, dict) and isinstance(photo.get("file"), str):
                            found.setdefault(photo["file"], (_plain(photo.get("alt") or ""), owner))
    return found


def _records(model: type[BaseModel], value: dict, names: Names, owner: tuple[str, str] | None):
    """Every record under `value` (itself first), with what the top-level record it is in is called."""
    yield model, value, owner
    for name, info in model.model_fields.items():
        _, inner, is_list = field_parts(info.annotation, info.metadata)
        if inner is None or inner is Photo:
            continue
        items = value.get(name)
        for item in (items if is_list and isinstance(items, list) else [items]):
            if isinstance(item, dict):
                here = owner or ((_kind(inner), _called(inner, item, names)) if "id" in inner.model_fields else None)
                yield from _records(inner, item, names, here)


def _photo_digest(version: Version, file: str) -> str | None:
    if version.dataset is not None and file in version.dataset.images:
        return version.dataset.images[file].digest  # found by the checks: the file is not read again
    try:
        data = read_regular_file(os.path.join(version.folder, *file.split("/")), version.folder, media.MAX_BYTES)
    except (OSError, UnsafeFile):
        return None
    return hashlib.sha256(data).hexdigest()


def _photo_info(version: Version, file: str):
    if version.dataset is not None and file in version.dataset.images:
        return version.dataset.images[file]
    try:
        return media.inspect_image(os.path.join(version.folder, *file.split("/")), version.folder)
    except (OSError, UnsafeFile, media.ImageError):
        return None


def photo_changes(old: Version, new: Version) -> list[Change]:
    before, after = photos_of(old), photos_of(new)
    out = []
    for file, (alt, owner) in after.items():
        if file in before:
            if _photo_digest(old, file) == _photo_digest(new, file):
                continue
            verb = "更换照片"
        else:
            verb = "新增照片"
        out.append(_photo_change(verb, new, file, alt, owner))
    for file, (alt, owner) in before.items():
        if file not in after:
            out.append(_photo_change("删除照片", old, file, alt, owner))
    return out


def _photo_change(verb: str, version: Version, file: str, alt: str, owner: tuple[str, str] | None) -> Change:
    info = _photo_info(version, file)
    line = [T(f"{verb} "), P(file)]
    if info is not None:
        line.append(T(f"（{info.width}×{info.height}，{media.ACCEPTED.get(info.format, info.format)}）"))
    line += [T(f"，{owner[0]} "), D(owner[1])] if owner else [T("，文明委")]
    if alt:
        line += [T("，替代文字 "), D(alt)]
    return Change(line, verb=verb[:2], image=(version, file, info, alt))


# -- pages -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageChange:
    verb: str      # 新增, 修改, 删除
    url: str       # site-relative: "units/pku/"
    title: str


def site_pages(dataset: Dataset, templates: str = TEMPLATES) -> dict[str, tuple[str, bytes]]:
    """Every generated page of the public site: URL → (title, digest of what it shows: title,
    description, share and lead photos, body). Photos as processing would make them (`media.planned`)."""
    processed = {file: media.planned(info) for file, info in dataset.images.items()}
    graph = build_graph(dataset, processed)
    build = Build()
    renderer = Renderer(graph, templates)
    pages = {}
    for spec in plan_pages(graph, build):
        page = renderer.page(spec, build)
        digest = hashlib.blake2b(repr((page.title, page.description, page.image, page.lead)).encode("utf-8"))
        digest.update(page.html.encode("utf-8"))
        pages[spec.url] = (spec.title, digest.digest())
    return pages


def page_changes(old: Dataset, new: Dataset, templates: str = TEMPLATES) -> list[PageChange]:
    before, after = site_pages(old, templates), site_pages(new, templates)
    out = [PageChange("新增", url, title) for url, (title, _) in after.items() if url not in before]
    out += [PageChange("修改", url, title) for url, (title, digest) in after.items()
            if url in before and before[url][1] != digest]
    out += [PageChange("删除", url, title) for url, (title, _) in before.items() if url not in after]
    return out


# -- the summary -----------------------------------------------------------------------------------

@dataclass
class Summary:
    old: Version
    new: Version
    sections: list[Section] = field(default_factory=list)
    photos: list[Change] = field(default_factory=list)
    pages: list[PageChange] | None = None   # None: not compared (an invalid version)
    pages_error: str = ""
    unreadable: list[str] = field(default_factory=list)   # files of BASE that could not be compared

    @property
    def valid(self) -> bool:
        return not self.new.report

    @property
    def changed(self) -> bool:
        return bool(self.sections or self.photos or self.pages)


def summarize(old: Version, new: Version, templates: str = TEMPLATES) -> Summary:
    summary = Summary(old, new)
    if new.report:
        return summary
    summary.sections, summary.unreadable = describe(old, new)
    summary.photos = photo_changes(old, new)
    if old.dataset is None:
        summary.pages_error = f"基准版本 {old.name} 的数据有误，无法比较网站页面"
    else:
        try:
            summary.pages = page_changes(old.dataset, new.dataset, templates)
        except Exception as error:  # a page that cannot be rendered is the build's to report
            summary.pages_error = f"无法比较网站页面（{type(error).__name__}）：请看“构建网站预览”一步的报错"
    return summary


def _counts(summary: Summary) -> str:
    parts = []
    for section in summary.sections:
        counted = Counter(c.verb for c in section.changes if c.verb)
        said = "、".join(f"{verb} {counted[verb]}" for verb in ("新增", "修改", "删除") if counted[verb])
        if said:
            parts.append(f"{section.title} {said}")
    return "；".join(parts)


# -- terminal text ---------------------------------------------------------------------------------

def _text(parts: list[Part]) -> str:
    out = []
    for kind, value in parts:
        if kind == "t":
            out.append(value)
        else:
            value = shown(_short(value).replace("\n", "⏎"))
            out.append(f"“{value}”" if kind == "d" else value)
    return "".join(out)


def _short(value: str) -> str:
    return value if len(value) <= 2 * SHORT + 3 else value[: 2 * SHORT] + "…"


def format_text(summary: Summary) -> str:
    old, new = shown(summary.old.name), shown(summary.new.name)
    lines = []
    if not summary.valid:
        lines.append(f"新版本（{new}）的数据有误，先改正这些问题，才能说明这次修改的内容：")
        lines.append(summary.new.report.format())
        return "\n".join(lines)
    if summary.old.report:
        count = len([p for p in summary.old.report.problems if p.kind != "warning"])
        lines.append(f"注意：基准版本 {old} 的数据本身有 {count} 处问题（不影响下面对新版本的说明）：")
        lines += ["  " + line for line in summary.old.report.format().splitlines()]
    for file in summary.unreadable:
        lines.append(f"基准版本 {old} 的 {file} 无法读取，其中的记录无法逐条比较")
    if not summary.changed:
        lines.append(f"与 {old} 相比，数据没有变化，网站页面也没有变化。")
        return "\n".join(lines)
    counts = _counts(summary)
    lines.append(f"与 {old} 相比的数据变化" + (f"：{counts}" if counts else ""))
    for section in summary.sections:
        lines.append(f"{section.title}")
        lines += _text_tree(section.changes, 1)
    if summary.photos:
        lines.append("照片")
        lines += _text_tree(summary.photos, 1)
    lines += _text_pages(summary)
    return "\n".join(lines)


def _text_tree(changes: list[Change], depth: int) -> list[str]:
    lines = []
    for change in changes:
        lines.append("  " * depth + _text(change.line))
        lines += _text_tree(change.children, depth + 1)
    return lines


def _text_pages(summary: Summary) -> list[str]:
    if summary.pages is None:
        return [summary.pages_error] if summary.pages_error else []
    if not summary.pages:
        return ["网站页面没有变化"]
    counted = Counter(p.verb for p in summary.pages)
    lines = ["网站页面（" + "、".join(f"{v} {counted[v]}" for v in ("新增", "修改", "删除") if counted[v]) + "）"]
    lines += [f"  {p.verb} /{p.url}  {shown(_short(p.title))}" for p in summary.pages]
    return lines


# -- Markdown (a job summary, a pull-request comment) ---------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~@:\"'])")


def md_text(text: str) -> str:
    """Our own words in Markdown: every ASCII character Markdown or HTML could read escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_code(value: str) -> str:
    """A value from the data as a code span: GitHub renders nothing inside one (no Markdown, no HTML,
    no @mention, #reference, :emoji: or link); invisible characters shown as U+XXXX, line breaks
    as ⏎, long values cut."""
    text = shown(_short(value).replace("\r\n", "\n").replace("\n", "⏎"))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md(parts: list[Part]) -> str:
    return "".join(md_text(value) if kind == "t" else md_code(value) for kind, value in parts)


def _safe_url(url: str | None) -> str | None:
    """An address we print as a link: https only, and nothing that could end the link or the tag."""
    if not url or not re.fullmatch(r"https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~%!$&'*+,;=:@/-]*)?", url):
        return None
    return url.replace("(", "%28").replace(")", "%29").replace("'", "%27")


class _Budget:
    """Markdown lines up to MARKDOWN_MAX characters; what does not fit is counted."""

    def __init__(self, limit: int) -> None:
        self.limit, self.used, self.lines, self.left_out = limit, 0, [], 0

    def close(self, block: list[str]) -> None:
        """Lines that close what an earlier block opened (a fold): always added, from the room kept."""
        self.lines += block
        self.used += sum(len(line) + 1 for line in block)

    def add(self, block: list[str], items: int = 1) -> bool:
        size = sum(len(line) + 1 for line in block)
        if self.left_out or self.used + size > self.limit:
            self.left_out += items
            return False
        self.lines += block
        self.used += size
        return True


def format_markdown(summary: Summary, *, preview_url: str | None = None, limit: int = MARKDOWN_MAX) -> str:
    old = md_code(summary.old.name)
    budget = _Budget(limit - 400)  # room for the closing line
    if not summary.valid:
        report = summary.new.report.format()
        count = len([p for p in summary.new.report.problems if p.kind != "warning"])
        budget.add(["### 数据有误，无法说明这次修改", "",
                    md_text(f"新版本的数据有 {count} 处问题（与 make check 的结果相同）。请先改正这些问题，"
                            "再推送一次，这里就会列出这次修改的内容。"), ""])
        _add_fenced(budget, report.splitlines())
        return _closed(budget)
    budget.add(["### 这次修改的内容", ""])
    if summary.old.report:
        count = len([p for p in summary.old.report.problems if p.kind != "warning"])
        if budget.add([f"> {md_text('注意：基准版本')} {old} "
                       f"{md_text(f'的数据本身有 {count} 处问题（不影响下面对新版本的说明）。')}",
                       "", "<details><summary>基准版本的问题</summary>", ""]):
            _add_fenced(budget, summary.old.report.format().splitlines())
            budget.close(["", "</details>", ""])
    for file in summary.unreadable:
        budget.add([f"{md_text('基准版本的')} {md_code(file)} {md_text('无法读取，其中的记录无法逐条比较。')}", ""])
    if not summary.changed:
        budget.add([f"{md_text('与')} {old} {md_text('相比，数据没有变化，网站页面也没有变化。')}"])
        return _closed(budget)
    counts = _counts(summary)
    budget.add([f"{md_text('与')} {old} {md_text('相比' + (f'：{counts}' if counts else '。'))}", ""])
    for section in summary.sections:
        budget.add([f"**{md_text(section.title)}**", ""], 0)
        for change in section.changes:
            budget.add(_md_tree([change], 0))
        budget.add([""], 0)
    if summary.photos:
        budget.add([f"**{md_text('照片')}**", ""], 0)
        inline = 0
        for change in summary.photos:
            thumb, inline = _thumbnail(change, inline)
            budget.add([f"- {_md(change.line)}", *([f"  <br>{thumb}"] if thumb else [])])
        budget.add([""], 0)
    _md_pages(budget, summary, preview_url)
    return _closed(budget)


def _closed(budget: _Budget) -> str:
    lines = list(budget.lines)
    if budget.left_out:
        lines += ["", md_text(f"…还有 {budget.left_out} 项未列出（说明太长，超过评论的长度上限）：完整的说明见这次检查的"
                              "运行记录（“数据变化说明”一步）。")]
    return "\n".join(lines).rstrip() + "\n"


def _add_fenced(budget: _Budget, lines: list[str]) -> None:
    """`make check`'s text as it is, in a fenced block (nothing in one is rendered), cut to fit."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    room = budget.limit - budget.used - 2 * len(fence) - 200
    kept, size = [], 0
    for line in lines:
        if size + len(line) + 1 > room:
            break
        kept.append(line)
        size += len(line) + 1
    budget.add([fence + "text", *kept, fence], 0)
    if len(kept) < len(lines):
        budget.add([md_text(f"…还有 {len(lines) - len(kept)} 行未列出：请在本地运行 make check 查看全部。")], 0)


def _md_tree(changes: list[Change], depth: int) -> list[str]:
    lines = []
    for change in changes:
        lines.append("  " * depth + "- " + _md(change.line))
        lines += _md_tree(change.children, depth + 1)
    return lines


def _thumbnail(change: Change, inline: int) -> tuple[str, int]:
    """The photo small: from where the version's photos are on the web (GitHub shows an <img> of an
    https address through its image proxy, never a data: URL), else a JPEG thumbnail drawn here as a
    data: URL (shown by editors' Markdown previews, not by GitHub), a few at most."""
    version, file, info, alt = change.image
    alt_attr = html.escape(shown(_short(alt or file)), quote=True)
    if version.photo_url:
        base = _safe_url(version.photo_url.rstrip("/") + "/")
        size = _size(version, file)
        if base and info is not None and info.format in SHOWN_IN_BROWSERS and size is not None and size <= CAMO_MAX:
            src = base + urllib.parse.quote(file, safe="/")
            return f'<img src="{html.escape(src, quote=True)}" alt="{alt_attr}" width="{THUMB}">', inline
        return md_text("（GitHub 无法显示这张照片的缩略图：请在网站预览中查看）"), inline
    if inline >= THUMBS_INLINE or info is None:
        return "", inline
    data_url = _data_url(version, file)
    return (f'<img src="{data_url}" alt="{alt_attr}" width="{THUMB}">', inline + 1) if data_url else ("", inline)


def _size(version: Version, file: str) -> int | None:
    try:
        return os.lstat(os.path.join(version.folder, *file.split("/"))).st_size
    except OSError:
        return None


def _data_url(version: Version, file: str) -> str | None:
    try:
        data = read_regular_file(os.path.join(version.folder, *file.split("/")), version.folder, media.MAX_BYTES)
        image, _, _ = media._decode_for_output(data)
    except (OSError, UnsafeFile, media.ImageError):
        return None
    image.thumbnail((THUMB, THUMB * 2))
    out = io.BytesIO()
    media._flatten(image).convert("RGB").save(out, "JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _md_pages(budget: _Budget, summary: Summary, preview_url: str | None) -> None:
    if summary.pages is None:
        if summary.pages_error:
            budget.add([md_text(summary.pages_error)], 0)
        return
    if not summary.pages:
        budget.add([md_text("网站页面没有变化。")], 0)
        return
    counted = Counter(p.verb for p in summary.pages)
    said = "、".join(f"{v} {counted[v]}" for v in ("新增", "修改", "删除") if counted[v])
    link = _safe_url(preview_url)
    heading = f"**{md_text('网站页面')}**{md_text('（' + said + '）')}"
    where = (f"[{md_text('下载网站预览')}]({link}){md_text('，解压后用浏览器打开下列文件即可查看。')}"
             if link else "")
    folded = len(summary.pages) > PAGES_INLINE
    opened = budget.add([heading, "", *([where, ""] if where else []),
                         *(["<details><summary>" + md_text(f"{len(summary.pages)} 个页面") + "</summary>", ""]
                           if folded else [])], 0)
    for page in summary.pages:
        budget.add([f"- {md_text(page.verb)} {md_code(page_file(page.url))} {md_code(page.title)}"])
    if folded and opened:
        budget.close(["", "</details>"])


def page_file(url: str) -> str:
    """Where a page is in the preview artifact (the built site/ folder): "units/pku/index.html"."""
    return f"{url}index.html"

