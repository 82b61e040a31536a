"""Names: the form under which two written names denote one record (the one-name-per-unit
rule, and the names of an award roll matched to units and people), and what tells two such
names apart when they look alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .chars import is_invisible


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _variant_table() -> dict[str, str]:
    """Character → the characters it is a variant of (异体字), from the yitizi package (nk2028).
    OpenCC has no such table: its t2s, tw2s, hk2s and jp2t leave 淸 as it is."""
    from yitizi import yitizi_data

    return yitizi_data


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _standard_form(char: str) -> str:
    """The common character that `char` is a variant of (淸 → 清, 戸 → 户), or `char` itself.

    Variant lists also pair characters that are both in everyday use (干 with 乾 and 幹, 沈 with
    沉): folding those would call distinct names one. So a character is folded only when it is
    outside GB 2312 (the 6,763 characters of everyday simplified text) and exactly one of its
    variants is inside it."""
    if char.isascii() or _in_gb2312(char):
        return char
    common = [v for v in _variant_table().get(char, "") if _in_gb2312(v)]
    return common[0] if len(common) == 1 else char


@functools.lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """The form under which two names denote one unit: NFKC (full-width → half-width), no white
    space or invisible characters, traditional → simplified, variants → the common character,
    case folded. 北京大學 ≡ 北京大学 ≡ 北京 大学 ≡ 北京大学\u034F; 淸华大学 ≡ 清华大学."""
    folded = unicodedata.normalize("NFKC", name)
    folded = "".join(ch for ch in folded if not ch.isspace() and not is_invisible(ch))
    folded = _t2s().convert(folded)
    if not folded.isascii():
        folded = "".join(map(_standard_form, folded))
    return folded.casefold()


def visible_and_hidden(name: str) -> tuple[str, list[str]]:
    """`name` as a reader sees it (hidden characters removed), and what tells it apart from the
    name it duplicates (“含有不可见字符 U+034F”, “的 “淸” 是 “清” 的异体字”), to follow 前者 or 后者."""
    hidden = [f"U+{ord(ch):04X}" for ch in dict.fromkeys(name) if is_invisible(ch)]
    shown = "".join(ch for ch in name if not is_invisible(ch))
    notes = [f"含有不可见字符 {'、'.join(hidden)}"] if hidden else []
    for ch in dict.fromkeys(unicodedata.normalize("NFKC", shown)):
        standard = _standard_form(ch)
        if standard != ch and _t2s().convert(ch) == ch:
            notes.append(f"的 “{ch}” 是 “{standard}” 的异体字")
    return shown, notes



# "1. 张三", "1、张三", "(1) 张三", "（一）张三", "第1名 张三": the numbers a pasted list carries.
_NUMBERING = re.compile(r"^\s*(?:[0-9]+[.、．)）]|[（(][0-9一二三四五六七八九十]+[)）]|第[0-9一二三四五六七八九十]+名)\s*")
# "张三（北京大学）", "张三 北京大学教授": a name followed by what the list says about it.
_AFTER_NAME = re.compile(r"\s*[（(].*$|\s+.*$")


def roll_lines(names: str) -> list[tuple[int, str]]:
    """The entries of a roll's `names` text: (0-based line number within the text, the entry as
    written, numbering removed), blank lines skipped."""
    entries = []
    for number, line in enumerate(names.split("\n")):
        entry = _NUMBERING.sub("", line).strip()
        if entry:
            entries.append((number, entry))
    return entries


@dataclass
class NameIndex:
    """Normalised name → the records (collection, id) that carry it (name, full name, alias),
    and what tells namesakes apart: a person's unit (by any of its names) and affiliation."""

    records: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    qualifiers: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def add(self, collection: str, ident: str, names: Iterable[str], qualifiers: Iterable[str] = ()) -> None:
        self.add_keys(collection, ident, map(normalise_name, names), qualifiers)

    def add_keys(self, collection: str, ident: str, keys: Iterable[str], qualifiers: Iterable[str] = ()) -> None:
        """`add` with the names already normalised."""
        for key in keys:
            if key and (collection, ident) not in self.records[key]:
                self.records[key].append((collection, ident))
        said = {q for q in map(normalise_name, qualifiers) if q}
        if said:
            self.qualifiers.setdefault((collection, ident), set()).update(said)

    def match(self, entry: str) -> list[tuple[str, str]]:
        """The records a roll entry names: by the whole entry, else by its first part (张三 of
        "张三（北京大学）", "张三 北京大学教授"). What follows the name is compared with each
        candidate's unit (any of its names) and affiliation: "张三（北京大学）" is the 张三 whose
        unit is 北京大学 (or 北大, its alias) among namesakes, and not a 张三 recorded with another
        unit or affiliation (a namesake the site does not have: shown as plain text). Empty when
        none; more than one when the entry is ambiguous."""
        found = self.records.get(normalise_name(entry), [])
        if found:
            return list(found)
        head = _AFTER_NAME.sub("", entry)
        if not head or head == entry:
            return []
        found = self.records.get(normalise_name(head), [])
        said = normalise_name(entry[len(head):].strip().strip("（()）"))
        if not found or not said:
            return list(found)
        for fits in (lambda q: q == said, lambda q: q in said or said in q):  # the exact name first
            picked = [r for r in found if any(fits(q) for q in self.qualifiers.get(r, ()))]
            if picked:
                return picked
        return [r for r in found if not self.qualifiers.get(r)]  # nothing to compare: still the one


def _get(record: object, name: str) -> object:
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def _texts(*values: object) -> list[str]:
    out: list[str] = []
    for value in values:
        items = value if isinstance(value, list) else [value]
        out += [item for item in items if isinstance(item, str) and item.strip()]
    return out


def build_name_index(units: Iterable[object], people: Iterable[object],
                     names_of: Callable[[object], tuple[list[str], list[str]]] | None = None) -> NameIndex:
    """The names of `units` (name, full_name, aliases) and `people` (name, qualified by their
    unit's names and affiliation), as models or as raw dicts (the checks read raw data, so a
    record that failed validation still takes part); records without a text id are left out.
    `names_of(unit)`, when given, says a unit's names and their normalised forms (the preview
    keeps them from one run to the next); a name repeated in one unit may be left out."""
    index = NameIndex()
    unit_names: dict[str, list[str]] = {}
    for unit in units:
        ident = _get(unit, "id")
        if isinstance(ident, str) and ident:
            if names_of is None:
                unit_names[ident] = _texts(_get(unit, "name"), _get(unit, "full_name"), _get(unit, "aliases"))
                index.add("units", ident, unit_names[ident])
            else:
                unit_names[ident], keys = names_of(unit)
                index.add_keys("units", ident, keys)
    for person in people:
        ident, unit = _get(person, "id"), _get(person, "unit")
        if isinstance(ident, str) and ident:
            of_unit = unit_names.get(unit, []) if isinstance(unit, str) else []
            index.add("people", ident, _texts(_get(person, "name")), [*of_unit, *_texts(_get(person, "affiliation"))])
    return index
