"""Rules across records: unique ids, references that resolve, one name per unit and per person,
declared counts, award rolls, sections, snapshot dates, quotes.

Runs on every file that could be read, whether or not it passed validation, so all
problems come out in one run. Which fields are references, and which lists are namespaces of
ids, is read from the models (`RefTo` on a field's type, an `id` field on a record): a new
reference field is checked without a line here.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import gc
import os
import posixpath
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from . import dates, models, photos
from .files import UnsafeFile, read_regular_file
from .loader import MAX_FILE_BYTES
from .models import (
    ID_PATTERN,
    SOURCE_KINDS,
    Activity,
    Person,
    RefTo,
    Roll,
    Snapshot,
    field_parts,
)
from .names import build_name_index, normalise_name, roll_lines, visible_and_hidden
from .problems import Path, Problem, format_path, quote
from .validate import Parts

ID_RE = re.compile(ID_PATTERN)
MEMBERS = ("stated", "inferred")  # a unit's `membership` that counts it as a member


def check_records(units: Parts, activities: Parts, data_dir: str | None = None,
                  images: dict | None = None, media_cache: str | None = None,
                  memo: CheckMemo | None = None) -> list[Problem]:
    """`data_dir`: where `sources[].file` is read from, to check quotes against the original, and
    where the photos are. `images`, when given, receives what was found of each photo named
    (file → media.ImageInfo), for the build to process; `media_cache`: where what was found of
    each photo is kept between runs."""
    # The collector paused: the checks allocate a few small tuples per record (paths, index
    # entries), no cycles, and every so many allocations Python walks every object alive. In the
    # preview that is every record of both files and its memos: at 20,000 units those walks were
    # about half of the checks' time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if memo is not None:
            memo.start()
        checker = _Checker(units, activities, data_dir, memo)
        checker.media_cache = media_cache
        checker.run()
        if memo is not None:
            memo.finish()
    finally:
        if collecting:
            gc.enable()
    if images is not None:
        images.update(checker.images)
    return checker.problems


# -- the models, read once: which fields are references, which hold records ----------------------

@dataclass(frozen=True)
class _Field:
    ref: RefTo | None                  # a reference (or a list of them) to this collection
    model: type[BaseModel] | None      # the record (or list of records) this field holds
    is_list: bool
    holds_ids: bool                    # a list of records with ids: a namespace, a collection


@functools.cache
def _fields_of(model: type[BaseModel]) -> dict[str, _Field]:
    fields = {}
    for name, info in model.model_fields.items():
        markers, inner, is_list = field_parts(info.annotation, info.metadata)
        ref = next((m for m in markers if isinstance(m, RefTo)), None)
        if ref is not None or inner is not None:
            fields[name] = _Field(ref, inner, is_list, is_list and inner is not None and "id" in inner.model_fields)
    return fields


def _title(model: type[BaseModel]) -> str:
    return model.model_config.get("title") or model.__name__


@functools.cache
def _id_lists(model: type[BaseModel]) -> list[tuple[str, type[BaseModel]]]:
    """The fields of `model` that list records with ids (an honour type's grades)."""
    return [(name, shape.model) for name, shape in _fields_of(model).items() if shape.holds_ids]


@dataclass
class _Ref:
    parts: Parts
    path: Path
    value: object
    target: RefTo
    holder: dict       # the record the reference stands in (for `within`: its sibling field)


@dataclass
class _Walk:
    """What one pass over a file's raw data, guided by its model, finds."""

    refs: list[_Ref] = field(default_factory=list)
    # References found in records walked apart (the preview's memo): (file, where the record
    # stands, its references with paths from the record). Rebased only when one is reported.
    ref_groups: list[tuple[Parts, Path, list[_Ref]]] = field(default_factory=list)
    # Lists of records with ids: (file, the model, its records). Each list is one namespace.
    namespaces: list[tuple[Parts, type[BaseModel], list[tuple[Path, dict]]]] = field(default_factory=list)
    records: dict[type[BaseModel], list[tuple[Parts, Path, dict]]] = field(default_factory=dict)


def _walk(parts: Parts, out: _Walk, memo: CheckMemo | None = None) -> None:
    """Every mapping of the file that its model says is a record, every reference field in it.
    Values of the wrong type are skipped: validation reports them. An explicit stack: recursion
    per value cost a third of a second on 5,000 units. With `memo` (the preview), what was found
    in a top-level record that is the very same object as last time is taken from there."""
    data = parts.loaded.data
    if memo is None:
        _walk_from([(data, parts.model, ())], parts, out)
        return
    before = len(out.refs)
    children = _visit(parts, data, parts.model, (), out) if isinstance(data, dict) else []
    out.ref_groups.append((None, (), out.refs[before:]))  # the root's, in their place
    del out.refs[before:]
    for record, model, path in reversed(children):  # the order in which the stack pops them
        known = memo.walks.get(id(record))
        if known is None or known[0] is not record or known[1] is not model:
            found = _Walk()
            _walk_from([(record, model, ())], parts, found)
            known = (record, model, found)
        memo.seen_walks[id(record)] = known
        _rebase(known[2], parts, path, out)


def _walk_from(stack: list[tuple[object, type[BaseModel], Path]], parts: Parts, out: _Walk) -> None:
    while stack:
        record, model, path = stack.pop()
        if isinstance(record, dict):
            stack.extend(_visit(parts, record, model, path, out))


def _visit(parts: Parts, record: dict, model: type[BaseModel], path: Path, out: _Walk) -> list:
    """One record's own references and lists of records; returns its records to walk, in the
    order they go on the stack."""
    children: list[tuple[object, type[BaseModel], Path]] = []
    out.records.setdefault(model, []).append((parts, path, record))
    for name, shape in _fields_of(model).items():
        value = record.get(name)
        if value is None:
            continue
        at = (*path, name)
        if shape.ref is not None:
            if shape.is_list and isinstance(value, list):
                out.refs.extend(_Ref(parts, (*at, k), item, shape.ref, record) for k, item in enumerate(value))
            elif not shape.is_list:
                out.refs.append(_Ref(parts, at, value, shape.ref, record))
        elif shape.is_list and isinstance(value, list):
            items = [((*at, k), item) for k, item in enumerate(value) if isinstance(item, dict)]
            if shape.holds_ids:
                out.namespaces.append((parts, shape.model, items))
            children.extend((item, shape.model, item_path) for item_path, item in reversed(items))
        elif not shape.is_list:
            children.append((value, shape.model, at))
    return children


def _rebase(found: _Walk, parts: Parts, path: Path, out: _Walk) -> None:
    """What was found in a record walked from `()`, as found at `path` of `parts`."""
    out.ref_groups.append((parts, path, found.refs))
    out.namespaces.extend((parts, model, [((*path, *p), item) for p, item in items])
                          for _, model, items in found.namespaces)
    for model, records in found.records.items():
        out.records.setdefault(model, []).extend((parts, (*path, *p), record) for _, p, record in records)


@dataclass
class CheckMemo:
    """What the checks found in each top-level record (its references, records and photo
    paths), kept by the preview from one run to the next: a record whose value is the very
    same object (`records.py` reuses the values of unchanged text) is not walked again. The
    rules across records run on everything every time, so their results are a fresh run's."""

    walks: dict[int, tuple] = field(default_factory=dict)
    media: dict[int, tuple] = field(default_factory=dict)
    # A unit's names as the one-name rule and the award rolls compare them (normalised).
    names: dict[int, tuple] = field(default_factory=dict)
    seen_walks: dict[int, tuple] = field(default_factory=dict)
    seen_media: dict[int, tuple] = field(default_factory=dict)
    seen_names: dict[int, tuple] = field(default_factory=dict)

    def start(self) -> None:
        self.seen_walks, self.seen_media, self.seen_names = {}, {}, {}

    def finish(self) -> None:
        """Keep only what this run saw: the records of the current files."""
        self.walks, self.media, self.names = self.seen_walks, self.seen_media, self.seen_names
        self.seen_walks, self.seen_media, self.seen_names = {}, {}, {}

    def media_paths(self, data: object) -> set[str]:
        if not isinstance(data, dict):
            return set(_media_paths(data))
        found: set[str] = set()
        for value in data.values():
            if not isinstance(value, list):
                found.update(_media_paths(value))
                continue
            for item in value:
                known = self.media.get(id(item))
                if known is None or known[0] is not item:
                    known = (item, frozenset(_media_paths(item)))
                self.seen_media[id(item)] = known
                found |= known[1]
        return found


@dataclass
class _Collection:
    """A top-level list of records with ids that references point into (`units`, `sources` …)."""

    model: type[BaseModel]
    by_id: dict[str, dict]
    _names: dict[str, str] | None = None

    def names(self) -> dict[str, str]:
        """Normalised name → id, for the hint when an editor writes a name where the id belongs."""
        if self._names is None:
            self._names = {}
            for ident, record in self.by_id.items():
                for name in _name_texts(record):
                    self._names.setdefault(normalise_name(name), ident)
        return self._names


def _name_texts(record: dict) -> list[str]:
    named = [record.get("name"), record.get("full_name")]
    aliases = record.get("aliases")
    named += aliases if isinstance(aliases, list) else []
    return [n for n in named if isinstance(n, str) and n.strip()]


class _Checker:
    """Works on the raw values of each file (dicts and lists as loaded), not on the models:
    a record that failed validation still takes part, so an editor sees a wrong reference
    in the same run as a wrong type next to it. Values of the wrong type are skipped here:
    validation has reported them already."""

    def __init__(self, units: Parts, activities: Parts, data_dir: str | None = None,
                 memo: CheckMemo | None = None) -> None:
        self.u, self.a = units, activities
        self.memo = memo
        self.data_dir = data_dir
        self.problems: list[Problem] = []
        self.images: dict = {}  # photo file → media.ImageInfo, for every good photo named
        self.media_cache: str | None = None
        self.found = _Walk()
        for parts in (units, activities):
            _walk(parts, self.found, memo)
        # Top-level lists whose records have ids, in either file; None when the list could not
        # be read (then nothing can be said about references into it: that is reported already).
        # An optional list left out (no `people:` yet) is empty: a reference into it is wrong.
        self.collections: dict[str, _Collection | None] = {}
        for parts in (units, activities):
            data = parts.loaded.data
            for name, shape in _fields_of(parts.model).items():
                if shape.holds_ids:
                    missing = None if parts.model.model_fields[name].is_required() else []
                    items = data.get(name, missing) if isinstance(data, dict) else None
                    self.collections[name] = None if not isinstance(items, list) else _Collection(
                        shape.model, _first_by_id(items))

    def records(self, model: type[BaseModel]) -> list[tuple[Parts, Path, dict]]:
        return self.found.records.get(model, [])

    # -- helpers -----------------------------------------------------------------------
    def report(self, parts: Parts, path: Path, message: str, at: tuple[int, int] | None = None,
               *, warning: bool = False) -> None:
        line, column = at or parts.loaded.locate(path)
        self.problems.append(Problem(parts.loaded.file, line, column, format_path(path), message,
                                     "warning" if warning else "data"))

    # -- rules ---------------------------------------------------------------------------
    def run(self) -> None:
        self.check_unique_ids()
        self.check_references()
        self.check_unit_names()
        self.check_people_names()
        self.check_parents()
        self.check_counts()
        self.check_snapshot_dates()
        self.check_sections()
        self.check_rolls()
        self.check_quotes()
        self.check_photos()

    def check_unique_ids(self) -> None:
        """Every list of records with an id is a namespace: a top-level list across its file,
        a nested one (actions, grades, platforms) within the record that holds it. Later
        duplicates are reported, pointing at the first."""
        for parts, model, items in self.found.namespaces:
            first: dict[str, Path] = {}
            for path, record in items:
                ident = _ident(record.get("id"))
                if ident is None:
                    continue
                if ident in first:
                    line, _ = parts.loaded.locate((*first[ident], "id"))
                    self.report(parts, (*path, "id"), f"{_title(model)} id “{ident}” 重复（第 {line} 行 "
                                                      f"{format_path(first[ident])} 已使用）")
                else:
                    first[ident] = path

    def check_references(self) -> None:
        """Every field whose type carries `RefTo` (see models.py), wherever it stands."""
        groups = [(None, (), self.found.refs), *self.found.ref_groups]
        collections = self.collections
        for parts, prefix, refs in groups:
            for ref in refs:
                # The common case inline (a reference that resolves): 40,000 calls at 20,000 units.
                if ref.target.within is None and isinstance(ref.value, str):
                    collection = collections.get(ref.target.collection)
                    if collection is not None and ref.value in collection.by_id:
                        continue
                self.check_reference(ref, parts, prefix)

    def check_reference(self, ref: _Ref, parts: Parts | None, prefix: Path) -> None:
        """`ref` as found at `prefix` of `parts` (None: where it says)."""
        collection = self.collections.get(ref.target.collection)
        if collection is None or not isinstance(ref.value, str) or not ref.value:
            return
        if ref.target.within is None and ref.value in collection.by_id:
            return  # the common case: nothing to tell, nothing to rebase
        if parts is not None:
            ref = _Ref(parts, (*prefix, *ref.path), ref.value, ref.target, ref.holder)
        if ref.target.within is None:
            if ref.value not in collection.by_id:
                self.report(ref.parts, ref.path, f"没有 id 为 “{ref.value}” 的{_title(collection.model)}"
                                                 f"{_hint(ref.value, collection.by_id, collection.names())}")
            return
        owner_id = ref.holder.get(ref.target.within)
        owner = collection.by_id.get(owner_id) if isinstance(owner_id, str) else None
        if owner is None:
            return  # the owner's own reference is wrong: told there
        self.resolve_within(ref, collection.model, owner_id, owner)

    def resolve_within(self, ref: _Ref, model: type[BaseModel], owner_id: str, owner: dict) -> None:
        """A reference to one of the records listed under `owner` (a grade of an honour type)."""
        nested = _id_lists(model)
        listed: dict[str, dict] = {}
        for name, _ in nested:
            items = owner.get(name)
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    listed.setdefault(item["id"], item)
        if ref.value in listed:
            return
        what = _title(nested[0][1]) if nested else "项"
        key = nested[0][0] if nested else ""
        owner_what = f"{_title(model)} “{owner_id}”"
        if not listed:
            self.report(ref.parts, ref.path, f"{owner_what} 没有列出任何{what}（{key}）：请先在该{_title(model)}的 "
                                             f"{key} 中加上 id 为 “{ref.value}” 的{what}，或删去这一项")
            return
        names = {normalise_name(n): i for i, item in listed.items() for n in _name_texts(item)}
        hint = _hint(ref.value, listed, names) or f"（可写：{'、'.join(listed)}）"
        self.report(ref.parts, ref.path, f"{owner_what} 没有 id 为 “{ref.value}” 的{what}{hint}")

    def unit_names(self, unit: dict) -> list[tuple[Path, str, str]]:
        """(where from the unit, the name, its normalised form) of each name of `unit`, a name
        repeated by the unit itself (as a variant) left out: from the memo when the unit is the
        very same object as last time."""
        memo = self.memo
        known = (memo.seen_names.get(id(unit)) or memo.names.get(id(unit))) if memo is not None else None
        if known is None or known[0] is not unit:
            own: set[str] = set()
            named = []
            for name_path, name in _unit_names(unit):
                key = normalise_name(name)
                if key not in own:  # a unit may repeat its own name as a variant
                    own.add(key)
                    named.append((name_path, name, key))
            known = (unit, named)
        if memo is not None:
            memo.seen_names[id(unit)] = known
        return known[1]

    def names_and_keys(self, unit: dict) -> tuple[list[str], list[str]]:
        named = self.unit_names(unit)
        return [name for _, name, _ in named], [key for _, _, key in named]

    def check_unit_names(self) -> None:
        seen: dict[str, tuple[Path, Path, str, dict]] = {}
        for parts, path, unit in self.records(models.Unit):
            for name_at, name, key in self.unit_names(unit):
                if key in seen:
                    first_at, first_from, first_name, first_unit = seen[key]
                    first_path = (*first_from, *first_at)
                    first_id = _ident(first_unit.get("id")) or format_path(first_from)
                    name_path = (*path, *name_at)
                    line, _ = parts.loaded.locate(first_path)
                    shown, notes = visible_and_hidden(name)
                    first_shown, first_notes = visible_and_hidden(first_name)
                    told = "".join([f"；前者{note}" for note in notes] + [f"；后者{note}" for note in first_notes])
                    self.report(parts, name_path,
                                f"名称 {quote(shown)} 与第 {line} 行单位 “{first_id}” 的 {quote(first_shown)} "
                                f"是同一名称（繁简、全角半角、空格不计{told}）：同一单位只应出现一次")
                else:
                    seen[key] = (name_at, path, name, unit)

    def check_people_names(self) -> None:
        """Two records of one person: the same name and the same unit and affiliation. Namesakes
        exist: a different unit or affiliation makes a different person."""
        seen: dict[tuple, tuple[Path, str]] = {}
        for parts, path, person in self.records(Person):
            name = person.get("name")
            if not isinstance(name, str) or not name.strip():
                continue
            unit, affiliation = person.get("unit"), person.get("affiliation")
            key = (normalise_name(name), unit if isinstance(unit, str) else None,
                   normalise_name(affiliation) if isinstance(affiliation, str) else None)
            if key not in seen:
                seen[key] = (path, _ident(person.get("id")) or format_path(path))
                continue
            first_path, first_id = seen[key]
            line, _ = parts.loaded.locate((*first_path, "name"))
            shared = (f"同属单位 “{unit}”" if key[1] else "都没有写所在单位（unit）") + (
                f"、身份 “{affiliation}”" if key[2] else "")
            self.report(parts, (*path, "name"),
                        f"人物 {quote(name)} 与第 {line} 行的 “{first_id}” 同名，且{shared}：同一人只应写一条记录；"
                        "若是同名的另一人，请写明其所在单位 unit 或身份 affiliation 以示区别")

    def check_parents(self) -> None:
        units = self.records(models.Unit)
        parent_of = {_ident(unit.get("id")): _text(unit.get("parent")) for _, _, unit in units}
        reported: set[frozenset[str]] = set()
        for parts, path, unit in units:
            parent = _text(unit.get("parent"))
            if parent is None:
                continue  # no chain starts here (most units)
            start = _ident(unit.get("id"))
            if start is None:
                continue
            chain, current = [start], parent
            while current is not None and current in parent_of and current not in chain:
                chain.append(current)
                current = parent_of[current]
            if current != start:
                continue  # no cycle, or a cycle this unit only leads into: told at its members
            cycle = frozenset(chain)
            if cycle not in reported:
                reported.add(cycle)
                self.report(parts, (*path, "parent"), f"上级单位形成循环：{' → '.join([*chain, start])}")

    def check_counts(self) -> None:
        """Declared counts against the units listed as members (membership stated or inferred;
        `unknown` units are listed for their honours or deeds, not as members)."""
        members: dict[str, int] = {}
        for _, _, unit in self.records(models.Unit):
            if unit.get("membership") in MEMBERS and (category := _ident(unit.get("category"))) is not None:
                members[category] = members.get(category, 0) + 1
        categories = self.collections.get("categories")
        category_of = categories.by_id if categories else {}
        snapshots = self.records(Snapshot)
        # Membership has no date: a unit listed as a member counts in every snapshot. So the
        # listed members of a category are held against the largest count any snapshot declares
        # (137 members in 2020 and 111 in 2021: a unit of 2020 is still listed).
        largest: dict[str, tuple[int, Parts, Path, object]] = {}
        for parts, path, snapshot in snapshots:
            for k, count in _items(snapshot.get("category_counts")):
                category, declared = _ident(count.get("category")), count.get("declared_count")
                if category and _is_count(declared) and (category not in largest or declared > largest[category][0]):
                    largest[category] = (declared, parts, (*path, "category_counts", k, "declared_count"),
                                         snapshot.get("date"))
        for category, (declared, parts, where, date) in largest.items():
            listed = members.get(category, 0)
            if listed > declared:
                name = _get(category_of.get(category), "name") or category
                self.report(parts, where,
                            f"类别 “{name}” 列为成员单位的有 {listed} 家，超过文明委概况所述的 {declared} 家"
                            f"{_when(date)}：不是成员单位的请把 membership 改为 unknown；"
                            "若成员数已变化，请新增一期概况（committee.snapshots）")
        for parts, path, snapshot in snapshots:
            self.check_snapshot_sums(parts, path, snapshot, category_of)

    def check_snapshot_sums(self, parts: Parts, path: Path, snapshot: dict, category_of: dict[str, dict]) -> None:
        """Within one snapshot: its categories' counts fit in their group's, its groups' in the total."""
        when = _when(snapshot.get("date"))
        by_group: dict[str, int] = {}
        for _, count in _items(snapshot.get("category_counts")):
            declared, group = count.get("declared_count"), _get(category_of.get(count.get("category")), "group")
            if _is_count(declared) and isinstance(group, str):
                by_group[group] = by_group.get(group, 0) + declared
        group_total = 0
        for k, group in _items(snapshot.get("groups")):
            declared = group.get("declared_count")
            if not _is_count(declared):
                continue
            group_total += declared
            in_group = by_group.get(group.get("group"), 0)
            if in_group > declared:
                self.report(parts, (*path, "groups", k, "declared_count"),
                            f"{group.get('name')}共 {declared} 家{when}，但这期概况中属于该组的各类别成员数"
                            f"（category_counts 的 declared_count）合计 {in_group} 家：请核对这两处数字")
        total = _get(snapshot.get("membership"), "total")
        if _is_count(total) and group_total > total:
            self.report(parts, (*path, "membership", "total"),
                        f"成员单位总数 {total} 家{when}，但这期概况的分组（groups 的 declared_count）合计 "
                        f"{group_total} 家：请核对这两处数字")

    def check_snapshot_dates(self) -> None:
        seen: dict[str, Path] = {}
        for parts, path, snapshot in self.records(Snapshot):
            date = _date(snapshot.get("date"))
            if date is None:
                continue
            if date in seen:
                line, _ = parts.loaded.locate((*seen[date], "date"))
                self.report(parts, (*path, "date"),
                            f"同一时间只能有一期概况：第 {line} 行的概况也是 {dates.chinese(date)}；"
                            "请把两期合并，或改正其中一期的 date")
            else:
                seen[date] = path

    def check_sections(self) -> None:
        """`section` names a chapter of a work report: only an activity whose source is one has it."""
        sources = self.collections.get("sources")
        for parts, path, activity in self.records(Activity):
            if activity.get("section") is None:
                continue
            doc = _get(activity.get("source"), "doc")
            if not isinstance(doc, str):
                self.report(parts, (*path, "section"),
                            "section 是工作材料（work-report）中的章节，只有注明了出处的活动才能写：请写 source "
                            "（doc 为一份工作材料），或删去 section")
                continue
            record = sources.by_id.get(doc) if sources else None
            kind = _get(record, "kind")
            if record is None or kind not in SOURCE_KINDS or kind == "work-report":
                continue  # an unknown doc is told at source.doc; an unknown kind at the source
            self.report(parts, (*path, "section"),
                        f"section 只用于工作材料（work-report）的章节，而本活动的来源 “{doc}” 是"
                        f"{SOURCE_KINDS.get(kind, kind)}（kind: {kind}）：请删去 section")

    def check_rolls(self) -> None:
        """Each entry of a roll names at most one unit or person; no entry twice in one roll."""
        rolls = self.records(Roll)
        if not rolls:
            return
        units = self.collections.get("units")
        people = self.collections.get("people")
        index = build_name_index(units.by_id.values() if units else (), people.by_id.values() if people else (),
                                 self.names_and_keys)
        for parts, path, roll in rolls:
            names = roll.get("names")
            if not isinstance(names, str):
                continue
            where = (*path, "names")
            seen: dict[str, tuple[int, int, str]] = {}  # normalised entry → (item, line in the text, entry)
            # (line in the text, the message, or the entry repeated and where it first stands)
            wrong: list[tuple[int, str, tuple[int, int, str] | None]] = []
            entries = roll_lines(names)
            if len(entries) == 1 and (crowded := _several_names(entries[0][1])):
                # Pasted as the source prints it ("甲、乙、丙"), or without the "|" that keeps
                # the line breaks: the page would show one long name.
                wrong.append((entries[0][0], f"名单要一行写一个名字，这里一行里像是有 {crowded} 个名字：请在 names: "
                              "后写 “|”，再把名字逐行写在下面（每行缩进对齐）", None))
                entries = []
            for count, (number, entry) in enumerate(entries, 1):
                if _LIST_SEPARATORS.search(entry):
                    wrong.append((number, f"名单一行只写一个名字，{quote(entry)} 里有 “、” 或逗号：请拆成几行，每行一个", None))
                    continue
                key = normalise_name(entry)
                if key in seen:
                    wrong.append((number, entry, seen[key]))
                    continue
                seen[key] = (count, number, entry)
                found = index.match(entry)
                if len(found) > 1:
                    wrong.append((number, self.ambiguous(entry, found, units, people), None))
            if not wrong:
                continue
            # Located only now: finding a line below a record reads the file again (loader.locate).
            first_line = self.roll_first_line(parts, where)
            for number, message, first in wrong:
                at = None if first_line is None else (first_line[0] + number, first_line[1])
                if first is not None:
                    count, first_number, entry = first
                    told = (f"第 {first_line[0] + first_number} 行已有 {quote(entry)}" if first_line
                            else f"第 {count} 项已有 {quote(entry)}")
                    message = f"名单中 {quote(message)} 重复（{told}）：请删去其中一行"
                self.report(parts, where, message, at)

    def ambiguous(self, entry: str, found: list[tuple[str, str]], units: _Collection | None,
                  people: _Collection | None) -> str:
        described = []
        for collection, ident in found:
            if collection == "units":
                described.append(f"单位 “{ident}”")
                continue
            person = people.by_id.get(ident, {}) if people else {}
            unit = _get(units.by_id.get(_ident(person.get("unit"))) if units else None, "name")
            said = unit or person.get("affiliation")
            described.append(f"人物 “{ident}”" + (f"（{said}）" if isinstance(said, str) else ""))
        head = re.sub(r"\s*[（(].*$", "", entry)
        said = (re.search(r"（(.+)）$", d) for d in described)
        example = next((f"“{head}（{m.group(1)}）”" for m in said if m), None)
        how = (f"请在名字后用括号写明所在单位或身份，如 {example}" if example else
               "请在名字后用括号写明所在单位或身份；若它们是同一对象，请删去重复的记录")
        return f"名单中的 {quote(entry)} 同时对应 {'、'.join(described)}：{how}"

    def roll_first_line(self, parts: Parts, where: Path) -> tuple[int, int] | None:
        """Line and column of the first line of a roll's names in the file: a block scalar
        (`names: |`) starts on the line after its key, one entry per line; any other form is
        located at the value (None)."""
        line, column = parts.loaded.locate(where)
        text = parts.loaded.text
        if text is None:
            return None
        lines = text.split("\n", line)  # only as far as needed
        if line > len(lines):
            return None
        if not re.match(r"[|][-+0-9]*\s*(#.*)?$", lines[line - 1][column - 1:]):
            return None
        following = lines[line] if line < len(lines) else ""
        indent = len(following) - len(following.lstrip(" "))
        return line + 1, indent + 1

    def check_quotes(self) -> None:
        """A quote from a source whose text is in the repository must be found in it, word for
        word, and on the line its `loc` names (`L21 …`)."""
        if self.data_dir is None:
            return
        texts: dict[str, _SourceText] = {}
        for _, path, doc in self.records(models.SourceDoc):
            file = doc.get("file")
            if isinstance(file, str) and file.strip() and _ident(doc.get("id")):
                text = self.read_source(file, (*path, "file"))
                if text is not None:
                    texts[doc["id"]] = text
        if not texts:
            return
        wanted: dict[str, list[tuple[Parts, Path, dict, str]]] = {}
        for parts, path, source in self.records(models.Source):
            quote_, doc = source.get("quote"), source.get("doc")
            if isinstance(doc, str) and doc in texts and isinstance(quote_, str) and quote_.strip():
                wanted.setdefault(doc, []).append((parts, path, source, quote_))
        for doc, uses in wanted.items():
            text = texts[doc]
            occurrences = text.find_all(use[3] for use in uses)
            missing = [quote_ for *_, quote_ in uses if quote_ not in occurrences]
            # The usual slip: "，" typed for the source's "," (or the other way round). Told apart
            # by a second pass over the text with full-width and half-width forms folded (NFKC).
            folded = (_SourceText(unicodedata.normalize("NFKC", text.text)).find_all(
                unicodedata.normalize("NFKC", q) for q in missing) if missing else {})
            for parts, path, source, quote_ in uses:
                starts = occurrences.get(quote_)
                if not starts:
                    width_only = unicodedata.normalize("NFKC", quote_) in folded
                    self.report(parts, (*path, "quote"),
                                "摘句与原文只差在标点或字母的全角、半角（如 “，” 与 “,”）：请从原文逐字复制"
                                if width_only else "摘句在原文中找不到：请从原文逐字复制（标点、空格也要一致）")
                    continue
                loc = source.get("loc")
                named = re.match(r"L(\d+)\b", loc) if isinstance(loc, str) else None
                if named is None or "\n" in quote_ or quote_ in text.line(int(named.group(1))):
                    continue  # a quote over several lines is on no one line: its loc is not checked
                lines = sorted({text.line_of(start) for start in starts})
                shown = "、".join(map(str, lines)) + ("等" if len(starts) >= _OCCURRENCES_KEPT else "")
                self.report(parts, (*path, "loc"),
                            f"摘句不在第 {named.group(1)} 行，而在原文第 {shown} 行：请改正 loc")

    def check_photos(self) -> None:
        """Each photo named is there, a real image of an accepted kind and size, wide enough for
        its use and no copy of another; each file of data/media/ is named by some record."""
        if self.data_dir is None:
            return
        uses = models.photo_uses()
        known = photos.media_files(self.data_dir)
        named: dict[str, list[tuple[Parts, Path]]] = {}
        for parts, path, record in self.records(models.Photo):
            file = record.get("file")
            if not _good_media_path(file):
                continue  # validation has said what is wrong with the path
            named.setdefault(file, []).append((parts, path))
            found = photos.inspect_reference(file, self.data_dir, known, self.media_cache)
            if isinstance(found, photos.Verdict):
                self.report(parts, (*path, "file"), found.message)
                if found.meant:  # the file the editor meant is not "unused": the fix is the name
                    named.setdefault(found.meant, [])
                continue
            self.images[file] = found
            use = uses[path[-2] if isinstance(path[-1], int) else path[-1]]
            verdict = photos.size_verdict(found, use)
            if verdict:
                self.report(parts, (*path, "file"), verdict.message, warning=verdict.warning)
        for file, places in named.items():  # the same file twice in one list of photos
            first_in_list: set[Path] = set()
            for parts, path in places:
                if isinstance(path[-1], int):
                    if path[:-1] in first_in_list:
                        self.report(parts, (*path, "file"), f"这一组照片中已有 {quote(file)}：请删除重复的这一项")
                    first_in_list.add(path[:-1])
        photos.INSPECTOR.save()
        for file, (other, exact) in photos.copies(self.images).items():
            parts, path = named[file][0]  # a file in self.images was named by a record
            if exact:
                self.report(parts, (*path, "file"), f"{quote(file)} 与 {quote(other)} 是同一张照片（文件内容完全相同）："
                                                     f"请删除其中一个文件，需要的地方都写 {other}")
            else:
                self.report(parts, (*path, "file"), f"{quote(file)} 看起来与 {quote(other)} 是同一张照片"
                                                     "（另存或压缩过）：若确是同一张，请只保留一个文件", warning=True)
        if any(parts.loaded.data is None for parts in (self.u, self.a)):
            return  # a file that could not be read names photos nobody can see: none is "unused"
        # Named anywhere counts, in a record that failed validation too (its problem is reported).
        if self.memo is not None:
            mentioned = set(named) | self.memo.media_paths(self.u.loaded.data) | self.memo.media_paths(self.a.loaded.data)
        else:
            mentioned = set(named) | set(_media_paths(self.u.loaded.data)) | set(_media_paths(self.a.loaded.data))
        shown_dir = posixpath.dirname(self.u.loaded.file)
        for file in known:
            if file not in mentioned:
                verdict = photos.unused_verdict(file)
                self.problems.append(Problem(posixpath.join(shown_dir, file), 1, 1, "", verdict.message, "warning"))

    def read_source(self, file: str, where: Path) -> _SourceText | None:
        """The text of `sources[].file`, or None after reporting why it cannot be read. Only a
        regular file inside data/ is read (no symlink, FIFO, device or path leading outside), and
        nothing of a refused file's content is shown: a message about its quotes would tell it."""
        assert self.data_dir is not None
        try:
            raw = read_regular_file(os.path.join(self.data_dir, file), self.data_dir, MAX_FILE_BYTES)
        except UnsafeFile as error:
            self.report(self.u, where, f"原文 {quote(file)} {error}；其中的摘句未核对")
            return None
        except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in the path
            self.report(self.u, where, f"在数据目录中找不到文件 {quote(file)}（路径相对于 data/ 目录）")
            return None
        except OSError as error:
            self.report(self.u, where, f"无法读取原文 {quote(file)}（{error.strerror}）")
            return None
        if len(raw) > MAX_FILE_BYTES:
            self.report(self.u, where, f"原文 {quote(file)} 超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 的"
                                       "上限：请只放入摘句所在的部分；其中的摘句未核对")
            return None
        try:
            return _SourceText(raw.decode("utf-8-sig"))  # a BOM, as Windows Notepad writes, is harmless
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            self.report(self.u, where, f"原文 {quote(file)} 不是 UTF-8 编码（第 {line} 行起无法按 "
                                       "UTF-8 读取，可能是 GBK）：请在编辑器中另存为 UTF-8 后再提交；"
                                       "其中的摘句未核对")
            return None


# How many occurrences of one quote are kept: enough to tell an editor which lines to name in
# `loc`, few enough that a quote such as “的” does not cost a match per line of the source.
_OCCURRENCES_KEPT = 5
# The source is searched a window at a time, so that quotes found often enough can leave the
# search early, and so that no window yields more than about this many matches (a quote such as
# “的” matches on every line; overlapping quotes can match many times at one place).
_MATCHES_PER_WINDOW = 1 << 20
_MIN_WINDOW = 1 << 8  # characters


class _SourceText:
    """One source text, with its line starts (for `L21` locations)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def line(self, number: int) -> str:
        """Line `number` (1-based), or "" when there is no such line."""
        if not 1 <= number <= len(self.starts):
            return ""
        end = self.starts[number] - 1 if number < len(self.starts) else len(self.text)
        return self.text[self.starts[number - 1]:end]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def find_all(self, quotes: Iterator[str]) -> dict[str, list[int]]:
        """Quote → the offsets of its first occurrences (up to `_OCCURRENCES_KEPT`); a quote that
        does not occur is left out. One pass over the text for all quotes together (Aho–Corasick,
        overlapping matches, so that no quote hides another), whatever the number of quotes:
        quotes × text with `in` took 76 s on an 18 MB source with 1,000 missing quotes."""
        import ahocorasick_rs

        remaining = list(dict.fromkeys(quotes))
        found: dict[str, list[int]] = {}
        offset = 0
        while remaining and offset < len(self.text):
            automaton = ahocorasick_rs.AhoCorasick(remaining)
            build_cost = sum(map(len, remaining))  # building is linear in the quotes' length
            reach = max(map(len, remaining)) - 1
            # No longer than needed to bound the matches, no shorter than the overlap between
            # windows (each window is searched with `reach` characters more).
            window = max(_MIN_WINDOW, reach, _MATCHES_PER_WINDOW // len(remaining))
            wasted = 0
            # Rebuild without the quotes found often enough only when their matches have cost
            # more than a rebuild: long quotes rarely match again, short ones are cheap to rebuild.
            while wasted <= build_cost and offset < len(self.text):
                matches = automaton.find_matches_as_indexes(self.text[offset:offset + window + reach],
                                                            overlapping=True)
                for index, start, _ in matches:
                    if start < window:  # a match starting further on is the next window's
                        starts = found.setdefault(remaining[index], [])
                        if len(starts) < _OCCURRENCES_KEPT:
                            starts.append(offset + start)
                        else:
                            wasted += 1
                offset += window
            remaining = [q for q in remaining if len(found.get(q, ())) < _OCCURRENCES_KEPT]
        return found


def _media_paths(value: object) -> Iterator[str]:
    """Every text in raw data that reads like a photo's path."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and item.startswith(models.MEDIA_DIR + "/"):
            yield item


def _good_media_path(value: object) -> bool:
    try:
        models.check_media_path(value)
    except (TypeError, ValueError, PydanticCustomError):
        return False
    return True


def _first_by_id(items: list) -> dict[str, dict]:
    """Id → record, in file order; of records sharing an id, the first (the others are told)."""
    by_id: dict[str, dict] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            by_id.setdefault(item["id"], item)
    return by_id


_LIST_SEPARATORS = re.compile(r"[、，,；]")
_NAME_SEPARATORS = re.compile(r"[、，,；;]|\s+")


def _several_names(entry: str) -> int:
    """How many names one roll entry seems to hold ("甲、乙、丙", or "甲 乙 丙" from a list that lost
    its line breaks), or 0 when it reads as one name, with or without what follows it."""
    parts = [part for part in _NAME_SEPARATORS.split(entry) if part]
    return len(parts) if len(parts) >= 3 else 0


def _get(value: object, key: str) -> object:
    return value.get(key) if isinstance(value, dict) else None


def _items(value: object) -> list[tuple[int, dict]]:
    return [(k, item) for k, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _ident(value: object) -> str | None:
    """An id or reference worth checking: text in the id pattern (others are validation's)."""
    return value if isinstance(value, str) and ID_RE.fullmatch(value) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _date(value: object) -> str | None:
    try:
        return dates.date_text(value)
    except dates.DateError:
        return None


def _when(value: object) -> str:
    """"（2020年）" after a count, from a snapshot's date; "" when it has none that reads."""
    date = _date(value)
    return f"（{dates.chinese(date)}）" if date else ""


def _hint(ref: str, known: dict[str, object], names: dict[str, str]) -> str:
    """What the editor may have meant: the id of the record so named, or the nearest id."""
    key = normalise_name(ref)
    if key in names:
        return f"（“{ref}” 是名称，这里要写 id：“{names[key]}”）"
    close = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.6)
    return f"（是否指 “{close[0]}”？）" if close else ""


def _unit_names(unit: dict, path: Path = ()) -> list[tuple[Path, str]]:
    named = [((*path, key), unit[key]) for key in ("name", "full_name") if isinstance(unit.get(key), str)]
    aliases = unit.get("aliases")
    if isinstance(aliases, list):
        named += [((*path, "aliases", k), alias) for k, alias in enumerate(aliases) if isinstance(alias, str)]
    return [(p, n) for p, n in named if n.strip()]
