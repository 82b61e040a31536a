"""Rules across records: unique ids, references that resolve, one name per unit, counts.

Runs on every file that could be read, whether or not it passed validation, so all
problems come out in one run.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
from collections.abc import Iterator

from .files import UnsafeFile, read_regular_file
from .loader import MAX_FILE_BYTES
from .models import ID_PATTERN
from .names import normalise_name, visible_and_hidden
from .problems import Path, Problem, format_path, quote
from .validate import Parts

ID_RE = re.compile(ID_PATTERN)


def check_records(units: Parts, activities: Parts, data_dir: str | None = None) -> list[Problem]:
    """`data_dir`: where `sources[].file` is read from, to check quotes against the original."""
    checker = _Checker(units, activities, data_dir)
    checker.run()
    return checker.problems


class _Checker:
    """Works on the raw values of each file (dicts and lists as loaded), not on the models:
    a record that failed validation still takes part, so an editor sees a wrong reference
    in the same run as a wrong type next to it. Values of the wrong type are skipped here:
    validation has reported them already."""

    def __init__(self, units: Parts, activities: Parts, data_dir: str | None = None) -> None:
        self.u, self.a = units, activities
        self.data_dir = data_dir
        self.problems: list[Problem] = []

    # -- helpers -----------------------------------------------------------------------
    def report(self, parts: Parts, path: Path, message: str) -> None:
        line, column = parts.loaded.locate(path)
        self.problems.append(Problem(parts.loaded.file, line, column, format_path(path), message))

    def unique(self, parts: Parts, records: list[tuple[Path, dict]] | None, what: str) -> set[str] | None:
        """`records`: (path, record). Later duplicate ids are reported, pointing at the first."""
        if records is None:
            return None
        first: dict[str, Path] = {}
        for path, record in records:
            ident = _ident(record.get("id"))
            if ident is None:
                continue
            if ident in first:
                line, _ = parts.loaded.locate((*first[ident], "id"))
                self.report(parts, (*path, "id"),
                            f"{what} id “{ident}” 重复（第 {line} 行 {format_path(first[ident])} 已使用）")
            else:
                first[ident] = path
        return set(first)

    def resolve(self, parts: Parts, path: Path, ref: object, known: set[str] | None, what: str,
                names: dict[str, str] | None = None) -> None:
        """`known` is None when the list that defines these ids could not be read: then
        nothing can be said about the reference, and the unreadable file is reported already."""
        if known is None or not isinstance(ref, str) or not ref or ref in known:
            return
        hint = ""
        if names and normalise_name(ref) in names:
            hint = f"（“{ref}” 是名称，这里要写 id：“{names[normalise_name(ref)]}”）"
        else:
            close = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.6)
            if close:
                hint = f"（是否指 “{close[0]}”？）"
        self.report(parts, path, f"没有 id 为 “{ref}” 的{what}{hint}")

    def names_of(self, key: str) -> dict[str, str]:
        """Normalised name → id of the records in units.yaml's list `key`: for the hint when
        an editor writes a category's or honour type's name where its id belongs."""
        return {normalise_name(r["name"]): r["id"] for _, r in _records(self.u.loaded.data, key)
                if isinstance(r.get("name"), str) and _ident(r.get("id"))}

    # -- rules ---------------------------------------------------------------------------
    def run(self) -> None:
        u, a = self.u.loaded.data, self.a.loaded.data
        units = _records(u, "units")
        ids = {}
        for name, what in (("sources", "来源"), ("categories", "类别"), ("honour_types", "荣誉类型"),
                           ("units", "单位")):
            ids[name] = self.unique(self.u, _defined(u, name), what)
        self.unique(self.a, _records(a, "activities"), "活动")
        committee = _get(u, "committee")
        self.unique(self.u, _records(committee, "platforms", ("committee",)), "平台")
        people = [(path, person) for path, unit in units for path, person in _records(unit, "people", path)]
        self.unique(self.u, people, "人物")
        for path, activity in _records(a, "activities"):
            self.unique(self.a, _records(activity, "actions", path), "行动")
        self.check_references(units, ids)
        self.check_unit_names(units)
        self.check_parents(units)
        self.check_counts(units)
        self.check_quotes()

    def check_references(self, units: list[tuple[Path, dict]], ids: dict[str, set[str]]) -> None:
        # Name → id, for the hint when a name stands where an id belongs: built once, not per reference.
        category_names, type_names = self.names_of("categories"), self.names_of("honour_types")
        names: dict[str, str] = {}
        for _, unit in units:
            ident = _ident(unit.get("id"))
            for name in _unit_names(unit):
                if ident:
                    names.setdefault(normalise_name(name[1]), ident)
        for path, unit in units:
            self.resolve(self.u, (*path, "category"), unit.get("category"), ids["categories"], "类别",
                         category_names)
            self.resolve(self.u, (*path, "parent"), unit.get("parent"), ids["units"], "单位", names)
            people = {p for _, person in _records(unit, "people", path) if (p := _ident(person.get("id")))}
            for hpath, honour in _records(unit, "honours", path):
                self.resolve(self.u, (*hpath, "type"), honour.get("type"), ids["honour_types"], "荣誉类型",
                             type_names)
                person = honour.get("person")
                if isinstance(person, str) and person and person not in people:
                    listed = f"本单位的人物：{'、'.join(sorted(people))}" if people else "本单位没有列出任何人物"
                    self.report(self.u, (*hpath, "person"),
                                f"本单位的 people 中没有 id 为 “{person}” 的人物（{listed}）")
        for path, activity in _records(self.a.loaded.data, "activities"):
            for apath, action in _records(activity, "actions", path):
                for ppath, participant in _records(action, "participants", apath):
                    self.resolve(self.a, (*ppath, "unit"), participant.get("unit"), ids["units"], "单位", names)
                honours = action.get("honours")
                for k, honour in enumerate(honours if isinstance(honours, list) else []):
                    self.resolve(self.a, (*apath, "honours", k), honour, ids["honour_types"], "荣誉类型",
                                 type_names)
        for parts in (self.u, self.a):
            for path, source in _sources(parts.loaded.data, ()):
                self.resolve(parts, (*path, "doc"), source["doc"], ids["sources"], "来源文件")

    def check_quotes(self) -> None:
        """A quote from a source whose text is in the repository must be found in it, word for
        word, and on the line its `loc` names (`L21 …`)."""
        if self.data_dir is None:
            return
        texts: dict[str, _SourceText] = {}
        for path, doc in _records(self.u.loaded.data, "sources"):
            file = doc.get("file")
            if isinstance(file, str) and file.strip() and _ident(doc.get("id")):
                text = self.read_source(file, (*path, "file"))
                if text is not None:
                    texts[doc["id"]] = text
        if not texts:
            return
        wanted: dict[str, list[tuple[Parts, Path, dict, str]]] = {}
        for parts in (self.u, self.a):
            for path, source in _sources(parts.loaded.data, ()):
                quote_ = source.get("quote")
                if source["doc"] in texts and isinstance(quote_, str) and quote_.strip():
                    wanted.setdefault(source["doc"], []).append((parts, path, source, quote_))
        for doc, uses in wanted.items():
            text = texts[doc]
            occurrences = text.find_all(use[3] for use in uses)
            for parts, path, source, quote_ in uses:
                starts = occurrences.get(quote_)
                if not starts:
                    self.report(parts, (*path, "quote"),
                                "摘句在原文中找不到：请从原文逐字复制（标点、空格也要一致）")
                    continue
                loc = source.get("loc")
                named = re.match(r"L(\d+)\b", loc) if isinstance(loc, str) else None
                if named is None or "\n" in quote_ or quote_ in text.line(int(named.group(1))):
                    continue  # a quote over several lines is on no one line: its loc is not checked
                lines = sorted({text.line_of(start) for start in starts})
                shown = "、".join(map(str, lines)) + ("等" if len(starts) >= _OCCURRENCES_KEPT else "")
                self.report(parts, (*path, "loc"),
                            f"摘句不在第 {named.group(1)} 行，而在原文第 {shown} 行：请改正 loc")

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

    def check_unit_names(self, units: list[tuple[Path, dict]]) -> None:
        seen: dict[str, tuple[Path, str, str]] = {}
        for path, unit in units:
            own: set[str] = set()
            ident = _ident(unit.get("id")) or format_path(path)
            for name_path, name in _unit_names(unit, path):
                key = normalise_name(name)
                if key in own:
                    continue  # a unit may repeat its own name as a variant
                own.add(key)
                if key in seen:
                    first_path, first_name, first_id = seen[key]
                    line, _ = self.u.loaded.locate(first_path)
                    shown, notes = visible_and_hidden(name)
                    first_shown, first_notes = visible_and_hidden(first_name)
                    told = "".join([f"；前者{note}" for note in notes] + [f"；后者{note}" for note in first_notes])
                    self.report(self.u, name_path,
                                f"名称 {quote(shown)} 与第 {line} 行单位 “{first_id}” 的 {quote(first_shown)} "
                                f"是同一名称（繁简、全角半角、空格不计{told}）：同一单位只应出现一次")
                else:
                    seen[key] = (name_path, name, ident)

    def check_parents(self, units: list[tuple[Path, dict]]) -> None:
        parent_of = {_ident(unit.get("id")): _text(unit.get("parent")) for _, unit in units}
        reported: set[frozenset[str]] = set()
        for path, unit in units:
            start = _ident(unit.get("id"))
            if start is None:
                continue
            chain, current = [start], _text(unit.get("parent"))
            while current is not None and current in parent_of and current not in chain:
                chain.append(current)
                current = parent_of[current]
            if current != start:
                continue  # no cycle, or a cycle this unit only leads into: told at its members
            cycle = frozenset(chain)
            if cycle not in reported:
                reported.add(cycle)
                self.report(self.u, (*path, "parent"), f"上级单位形成循环：{' → '.join([*chain, start])}")

    def check_counts(self, units: list[tuple[Path, dict]]) -> None:
        data = self.u.loaded.data
        listed: dict[str, int] = {}
        for _, unit in units:
            if (category := _ident(unit.get("category"))) is not None:
                listed[category] = listed.get(category, 0) + 1
        by_group: dict[str, int] = {}
        for path, category in _records(data, "categories"):
            declared, group = category.get("declared_count"), category.get("group")
            if not _is_count(declared):
                continue
            if isinstance(group, str):
                by_group[group] = by_group.get(group, 0) + declared
            count = listed.get(_ident(category.get("id")) or "", 0)
            if count > declared:
                self.report(self.u, (*path, "declared_count"),
                            f"类别 “{category.get('name')}” 列出了 {count} 家单位，超过报告所述的 {declared} 家")
        group_total = 0
        for path, group in _records(data, "groups"):
            declared = group.get("declared_count")
            if not _is_count(declared):
                continue
            group_total += declared
            listed_in_group = by_group.get(group.get("group"), 0)
            if listed_in_group > declared:
                self.report(self.u, (*path, "declared_count"),
                            f"{group.get('name')}共 {declared} 家，但其下各类别的 declared_count 合计 {listed_in_group} 家")
        total = _get(_get(_get(data, "committee"), "membership"), "total")
        if _is_count(total) and group_total > total:
            self.report(self.u, ("committee", "membership", "total"),
                        f"成员单位总数 {total} 家，但 groups 的 declared_count 合计 {group_total} 家")


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


def _get(value: object, key: str) -> object:
    return value.get(key) if isinstance(value, dict) else None


def _records(value: object, key: str, path: Path = ()) -> list[tuple[Path, dict]]:
    """The mappings in the list `value[key]`, with their paths; anything else is skipped."""
    return _defined(value, key, path) or []


def _defined(value: object, key: str, path: Path = ()) -> list[tuple[Path, dict]] | None:
    """Like `_records`, but None when there is no such list (file unreadable, key missing)."""
    items = _get(value, key)
    if not isinstance(items, list):
        return None
    return [((*path, key, i), item) for i, item in enumerate(items) if isinstance(item, dict)]


def _ident(value: object) -> str | None:
    """An id or reference worth checking: text in the id pattern (others are validation's)."""
    return value if isinstance(value, str) and ID_RE.fullmatch(value) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _unit_names(unit: dict, path: Path = ()) -> list[tuple[Path, str]]:
    named = [((*path, key), unit[key]) for key in ("name", "full_name") if isinstance(unit.get(key), str)]
    aliases = unit.get("aliases")
    if isinstance(aliases, list):
        named += [((*path, "aliases", k), alias) for k, alias in enumerate(aliases) if isinstance(alias, str)]
    return [(p, n) for p, n in named if n.strip()]


def _sources(value: object, path: Path) -> Iterator[tuple[Path, dict]]:
    """Every `source` mapping with a `doc` in a file, wherever a record carries one (an explicit
    stack: recursion per value cost a third of a second on 5,000 units)."""
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            source = value.get("source")
            if isinstance(source, dict) and "doc" in source:
                yield (*path, "source"), source
            stack.extend((item, (*path, key)) for key, item in value.items() if isinstance(item, (dict, list)))
        elif isinstance(value, list):
            stack.extend((item, (*path, k)) for k, item in enumerate(value) if isinstance(item, (dict, list)))
