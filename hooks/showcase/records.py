"""A data file read one top-level record at a time, for the preview: an edit re-reads the records
whose text changed and reuses the values of the others.

The file is split at its top-level keys (`units:` at column 0) and, within a block list, at its
items (`- ` at the list's indentation). Each piece is parsed on its own, padded with blank lines
so that every line and column is where the whole file has it. Anything the split cannot be
sure of (a line at the list's indentation that starts no item, a flow list, `---`, a repeated
top-level key, CR line ends, a list longer than the loader keeps) and any problem in any piece
(broken YAML, an anchor, a duplicate key, `yes`) make it read the whole file as `load_bytes`
does, so that a problem is always told exactly as a full read tells it. `make build` and
`make check` never come here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .loader import Loaded, _Composer, _decode, kept_items, load_bytes

_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?=[ \t]|$)(.*)$", re.M)
_NOTHING = re.compile(r"[ \t]*(#.*)?$")  # a blank or comment-only rest of line
# At column 0, anything but a blank, a comment, a top-level key or an item ("- "): "---", "...",
# a directive, a quoted key, "? ", text.
# (Each pattern begins at the "\n" before a line: a literal, which `re` finds fast.)
_STRAY = re.compile(r"\n(?:(?![A-Za-z_][A-Za-z0-9_]*:(?:[ \t]|$))[^ #\n-]|-(?! |$))", re.M)
_CONTENT = re.compile(r"^ *[^ #\n]", re.M)  # a line that is more than blanks and a comment


class _Unclean(Exception):
    """The split is not sure to read as the whole file does: read the whole file."""


@dataclass
class _Block:
    key: str
    start: int                 # 0-based line of the key
    text: str                  # its lines, the key's included, up to the next key
    items: list[tuple[int, str]] | None = None  # a block list: each item's first line (in the block), text
    indent: int = 0            # of the list's "-"


@dataclass
class RecordCache:
    """What the last read of one file found, piece by piece. Values are reused as they are
    (the same objects), which is what lets validation and the checks recognise them."""

    items: dict[tuple[str, str], tuple[object, int, int]] = field(default_factory=dict)
    blocks: dict[tuple[int, str], tuple[dict, dict, dict]] = field(default_factory=dict)
    parsed: int = 0            # pieces parsed by the last read (the rest were reused)


def load_records(raw: bytes, name: str, cache: RecordCache) -> Loaded:
    """The file as `load_bytes(raw, name)` reads it, reusing from `cache` the value of every
    record whose text is unchanged; `cache` is updated to this read."""
    probe = Loaded(name)
    text = _decode(raw, probe)
    if text is None or "\r" in text:
        return _whole(raw, name, cache)
    try:
        blocks = _split(text)
    except _Unclean:
        return _whole(raw, name, cache)
    missing = sum(1 for block in blocks if block.items for _, chunk in block.items
                  if (block.key, chunk) not in cache.items)
    if missing > PARSED_ALONE:
        return _whole(raw, name, cache, blocks)
    try:
        return _compose(text, name, blocks, cache)
    except (_Unclean, yaml.YAMLError, StopIteration):
        return _whole(raw, name, cache)


# Past this many changed records (the first read, a paste), reading the whole file and taking the
# records from it is faster than parsing each record on its own (a parser set up per record).
PARSED_ALONE = 500


def _whole(raw: bytes, name: str, cache: RecordCache, blocks: list[_Block] | None = None) -> Loaded:
    """The whole file read as `load_bytes` reads it; when it is split cleanly (`blocks`) and
    has no problem, its records fill the cache for the next read."""
    whole = load_bytes(raw, name)
    cache.parsed = -1
    if blocks is None:
        return whole  # the cache stays: an edit that broke one record is often undone next
    cache.items, cache.blocks = {}, {}
    if (whole.problems or whole.flagged or whole.lengths or whole.stopped_at
            or not isinstance(whole.data, dict) or list(whole.data) != [block.key for block in blocks]):
        return whole
    marks: dict[object, list] = {}
    for path, mark in whole.value_marks.items():
        marks.setdefault(path[0] if path else None, []).append((path, mark))
    for block in blocks:
        value = whole.data[block.key]
        if block.items is None:
            own = dict(marks.get(block.key, []))
            own[()] = whole.value_marks[()]
            keys = {p: m for p, m in whole.key_marks.items() if p[0] == block.key}
            cache.blocks[(block.start, block.text)] = ({block.key: value}, own, keys)
            continue
        if not isinstance(value, list) or len(value) != len(block.items):
            cache.items, cache.blocks = {}, {}
            return whole
        for index, ((line, chunk), item) in enumerate(zip(block.items, value, strict=True)):
            mark_line, column = whole.value_marks[(block.key, index)]
            cache.items[(block.key, chunk)] = (item, mark_line - (block.start + line + 1), column)
    return whole


def _split(text: str) -> list[_Block]:
    keys = list(_KEY_LINE.finditer(text))
    if not keys or _CONTENT.search(text, 0, keys[0].start()) or _STRAY.search(text, keys[0].start()):
        raise _Unclean
    if len({match[1] for match in keys}) != len(keys):
        raise _Unclean  # a repeated top-level key: the loader's message
    blocks, line = [], text.count("\n", 0, keys[0].start())
    for match, following in zip(keys, [*keys[1:], None], strict=True):
        end = following.start() if following else len(text)
        block = _Block(match[1], line, text[match.start():end])
        if _NOTHING.match(match[2]):
            _find_items(block, len(match[0]) + 1)
        blocks.append(block)
        line += block.text.count("\n")
    return blocks


def _find_items(block: _Block, body: int) -> None:
    """Mark `block` as a block list, with its items, when its value is one (`body`: where the
    line after the key starts)."""
    text = block.text
    first = _CONTENT.search(text, body)
    if first is None:
        return
    spaces = first.end() - 1 - first.start()
    if text[first.end() - 1] != "-" or not re.match(r"-(?: |\n|$)", text[first.end() - 1:first.end() + 1]):
        return  # a mapping (committee): one piece
    # Content less indented than the items, or at their indentation and no item: not sure.
    stray = rf"\n(?: {{0,{spaces - 1}}}[^ #\n]| {{{spaces}}}(?!-(?: |$))[^ #\n])" if spaces else r"\n(?!-(?: |$))[^ #\n]"
    if re.compile(stray, re.M).search(text, first.start() - 1):
        raise _Unclean
    starts = [m.start() + 1 for m in re.finditer(rf"\n {{{spaces}}}-(?: |$)", text[first.start() - 1:], re.M)]
    if len(starts) > kept_items((block.key,)):
        raise _Unclean  # cut and counted by the loader: its messages
    offset, line, items = first.start(), text.count("\n", 0, first.start()), []
    bounds = [offset - 1 + s for s in starts] + [len(text)]
    for begin, end in zip(bounds, bounds[1:], strict=False):
        items.append((line, text[begin:end]))
        line += text.count("\n", begin, end)
    block.items, block.indent = items, spaces


def _compose(text: str, name: str, blocks: list[_Block], cache: RecordCache) -> Loaded:
    result = Loaded(name, data={}, text=text)
    items: dict = {}
    parsed_blocks: dict = {}
    parsed = 0
    for number, block in enumerate(blocks):
        if block.items is None:
            block_text = block.text
            hit = cache.blocks.get((block.start, block_text))
            if hit is None:
                parsed += 1
                hit = _parse_block(block.start, block_text, name)
            parsed_blocks[(block.start, block_text)] = hit
            data, value_marks, key_marks = hit
            result.data.update(data)
            if number == 0:
                result.value_marks[()] = value_marks[()]
            result.value_marks.update((p, m) for p, m in value_marks.items() if p)
            result.key_marks.update(key_marks)
            continue
        key = block.key
        first = block.start + block.items[0][0]
        if number == 0:
            result.value_marks[()] = (block.start + 1, 1)
        result.key_marks[(key,)] = (block.start + 1, 1)
        result.value_marks[(key,)] = (first + 1, block.indent + 1)
        values = []
        for index, (s, chunk) in enumerate(block.items):
            hit = cache.items.get((key, chunk))
            if hit is None:
                parsed += 1
                hit = _parse_item(key, index, chunk, name)
            items[(key, chunk)] = hit
            value, line, column = hit
            values.append(value)
            result.value_marks[(key, index)] = (block.start + s + 1 + line, column)
        result.data[key] = values
    cache.items, cache.blocks, cache.parsed = items, parsed_blocks, parsed
    return result


def _parse_block(start: int, block_text: str, name: str) -> tuple[dict, dict, dict]:
    scratch = Loaded(name)
    _Composer("\n" * start + block_text, scratch).run()
    if scratch.problems or scratch.flagged or scratch.lengths or not isinstance(scratch.data, dict):
        raise _Unclean
    return scratch.data, scratch.value_marks, scratch.key_marks


class _ItemComposer(_Composer):
    def run_item(self, key: str, index: int) -> object:
        def expect(kind: type, check=lambda event: True) -> None:
            event = next(self.events)
            if not isinstance(event, kind) or not check(event):
                raise _Unclean

        expect(yaml.StreamStartEvent)
        expect(yaml.DocumentStartEvent)
        expect(yaml.MappingStartEvent)
        expect(yaml.ScalarEvent, lambda event: event.value == key)
        expect(yaml.SequenceStartEvent)
        value = self.node(next(self.events), (key, index), depth=2)
        for kind in (yaml.SequenceEndEvent, yaml.MappingEndEvent, yaml.DocumentEndEvent, yaml.StreamEndEvent):
            expect(kind)
        return value


def _parse_item(key: str, index: int, chunk: str, name: str) -> tuple[object, int, int]:
    """The value of the item whose text is `chunk`, and where its node starts (lines after the
    chunk's first, 1-based column). Parsed without padding (20,000 paddings are quadratic):
    lines are off, which only problems would show, and a problem makes the whole file read."""
    scratch = Loaded(name)
    value = _ItemComposer(f"{key}:\n" + chunk, scratch).run_item(key, index)
    if scratch.problems or scratch.flagged or scratch.lengths or scratch.stopped_at:
        raise _Unclean
    mark_line, column = scratch.value_marks[(key, index)]
    return value, mark_line - 2, column
