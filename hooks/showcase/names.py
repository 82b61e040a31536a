"""Names: the form under which two written names denote one record (the one-name-per-unit
rule, and the names of an award roll matched to units and people), and what tells two such
names apart when they look alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
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
    """Normalised name → the records (collection, id) that carry it (name, full name, alias)."""

    records: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, collection: str, ident: str, names: Iterable[str]) -> None:
        for name in names:
            key = normalise_name(name)
            if key and (collection, ident) not in self.records[key]:
                self.records[key].append((collection, ident))

    def match(self, entry: str) -> list[tuple[str, str]]:
        """The records a roll entry names: by the whole entry, else by its first part (张三 of
        "张三（北京大学）"). Empty when none; more than one when the entry is ambiguous."""
        found = self.records.get(normalise_name(entry), [])
        if not found:
            head = _AFTER_NAME.sub("", entry)
            if head and head != entry:
                found = self.records.get(normalise_name(head), [])
        return list(found)
