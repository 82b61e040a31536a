"""YAML → plain Python, strictly, with the line and column of every key and value kept.

PyYAML's own constructors silently keep the last of duplicate keys, read `NO` as False,
`1:20` as 80 and `010` as 8, share aliased objects (billion laughs) and raise a bare
ValueError for `2020-02-30`. So this module reads the parser's *events* (libyaml's C parser
where available) and builds the values itself, with a small YAML-1.2-like set of rules:

- quoted and block scalars are text, always;
- plain scalars: `true`/`false`, decimal integers, floats whose text survives a round trip,
  `null`/`~`/empty; anything that YAML 1.1 would silently turn into another value is refused
  with a located message; everything else (dates included) stays the literal text.

Problems that leave the file readable (a duplicate key, an anchor, `yes`) are collected and
the walk goes on, so an editor sees them all at once. A file that cannot be parsed at all
yields one syntax problem.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import yaml

from .files import UnsafeFile, read_regular_file
from .models import list_caps
from .problems import Path, Problem, format_path, quote

try:  # libyaml: 3-4x faster, same events and marks
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - wheels ship libyaml
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 10 * 1024 * 1024
RECORD_DEPTH = 2  # ("units", 3): positions kept on the first read
MAX_DEPTH = 32
# No field holds a number anywhere near this long (years, counts); Python refuses to read an
# integer of over 4,300 digits with a bare ValueError, so a long one is a located problem first.
MAX_INT_DIGITS = 30
# No list may hold more items than its model's `max_length` (read from the models: each top-level
# list its own, any list inside a record the largest of theirs): past it, items are counted and
# skipped, not built, so that a 100,000-item paste costs one parse and not a minute of composing
# and validating. One item more is kept, so that the list still fails its `max_length`;
# `Loaded.lengths` keeps the real count for the message.
TOP_LEVEL_ITEMS, MAX_LIST_ITEMS = list_caps()
# Past its cap and this many items more, a list is not read any further, nor the rest of the file:
# counting 100,000 pasted records costs seconds of parsing on its own, and a list that much too
# long is a mistake however long it really is. The message says the list has more than this many
# items, and that the rest of the file was not checked.
COUNTED_PAST_CAP = MAX_LIST_ITEMS


def kept_items(path: Path) -> int:
    """How many items of the list at `path` are built (one more than its cap)."""
    return TOP_LEVEL_ITEMS.get(path[0], MAX_LIST_ITEMS) if len(path) == 1 else MAX_LIST_ITEMS


def counted_items(path: Path) -> int:
    """How many items of the list at `path` are counted before reading stops."""
    return kept_items(path) + COUNTED_PAST_CAP


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
# Plain scalars that YAML 1.1 (PyYAML) reads as something else than their text.
_YAML11_BOOL = re.compile(r"(?i)y|n|yes|no|on|off")
_YAML11_NUMBER = re.compile(
    r"[-+]?(0[0-7_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+"  # octal, hex, binary: 010 → 8
    r"|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?"            # sexagesimal: 1:20 → 80
    r"|[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?"                   # digit separators: 1_000 → 1000
    r"|\.(inf|Inf|INF|nan|NaN|NAN))"                       # .inf, .nan
)
# Text, a space, then "#" and no space: "演练 #2 小组" loses "#2 小组". A deliberate comment
# ("示例大学  # 报告中的名称") has a space after the "#" and is left alone.
_TRAILING_COMMENT = re.compile(r"[ \t]+#\S")
_HIDDEN_BREAKS = re.compile("[\u0085\u2028\u2029]")
_TRUE, _FALSE, _NULL = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}, {"", "~", "null", "Null", "NULL"}

# libyaml's messages, said for an editor. The original stays in brackets for whoever helps.
_SYNTAX_HINTS = {
    "mapping values are not allowed": "这里不能出现 “: ”：文字里含冒号时请给整段文字加引号，或检查缩进",
    "did not find expected key": "缩进不一致或少了 “-”：同一层的字段必须左端对齐",
    "did not find expected '-' indicator": "列表项的缩进不一致：同一列表的 “-” 必须左端对齐",
    "could not find expected ':'": "缺少冒号：字段名后面要写 “: ”（冒号加空格）",
    "found character that cannot start any token": "出现了不能放在开头的字符（如 Tab、@、`、%）：缩进请用空格，文字请加引号",
    "found a tab character": "缩进里有 Tab 字符：请改用空格缩进",
    "found unexpected end of stream": "文件意外结束：可能有引号或括号没有闭合",
    "found unknown escape character": "双引号里有无效的转义（\\ 后的字符）：改用单引号，或把 \\ 写成 \\\\",
    "control characters are not allowed": "含有不允许的控制字符",
    "found unacceptable character": "含有不允许的控制字符",
    "expected <block end>": "缩进不一致：这一行的缩进与上一层对不上",
    "expected <document start>": "这里多出了内容：检查缩进，或是否漏写了 “-”",
    "found undefined alias": "用了未定义的别名（*名字）：请直接写出内容",
    "found duplicate anchor": "锚点重复：请不要使用锚点 &",
    "found unexpected ':'": "冒号位置不对：文字里含冒号时请给整段文字加引号",
}


@dataclass
class Loaded:
    """A data file read into plain Python values, with where each one stands.

    Positions are kept for records only (paths up to RECORD_DEPTH: `units[3]`), which is all a
    valid file needs (edit links). Locating a problem deeper down reads the file once more,
    keeping every position: at 5,000 units that table is 300,000 entries, 100 MB of peak
    memory a build does not need when there is nothing to report."""

    file: str
    data: object = None
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)  # 1-based line, column
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    flagged: set[Path] = field(default_factory=set)  # paths already reported: validation skips them
    lengths: dict[Path, int] = field(default_factory=dict)  # lists cut at kept_items: real length
    # Where the items past kept_items stand ((line, column) from, to; 0-based): the second
    # read that `locate` makes sees them as blanks, so it costs no more than the first.
    skipped: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    # Where reading stopped in a list of more than counted_items (1-based line, column).
    stopped_at: tuple[int, int] | None = None
    readable: bool = True
    text: str | None = field(default=None, repr=False)
    all_marks: bool = False

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (of its key with `key=True`), or of the
        nearest enclosing value when that path is not in the file (a missing field)."""
        if not self.all_marks and self.text is not None and len(path) > RECORD_DEPTH:
            scratch = Loaded(self.file)
            _Composer(_blanked(self.text, self.skipped), scratch, all_marks=True).run()
            self.value_marks, self.key_marks, self.all_marks = scratch.value_marks, scratch.key_marks, True
        marks = self.key_marks if key else self.value_marks
        while path:
            if path in marks:
                return marks[path]
            if not key and path in self.key_marks:
                return self.key_marks[path]
            path = path[:-1]
        return self.value_marks.get((), (1, 1))


def _blanked(text: str, spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> str:
    """`text` with each span emptied: its line breaks stay, and its last line becomes spaces, so
    every line and column outside the spans stays where it was."""
    if not spans:
        return text
    line_starts = [0]
    for line in text.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)
    pieces, done = [], 0
    for (from_line, from_column), (to_line, to_column) in sorted(spans):
        start, end = line_starts[from_line] + from_column, line_starts[to_line] + to_column
        if start < done:
            continue  # inside a span already blanked
        lines = text.count("\n", start, end)
        last_line = end - (text.rfind("\n", start, end) + 1 if lines else start)
        pieces += [text[done:start], "\n" * lines, " " * last_line]  # what follows keeps its column
        done = end
    return "".join(pieces) + text[done:]


def load_file(path: str, display_name: str | None = None, root: str | None = None) -> Loaded:
    """Read the YAML file at `path`; `display_name` is how messages name it (data/units.yaml).

    The file must be a regular file inside `root` (default: its own folder), not a symlink: what
    it points to is never read, so an error message cannot show another file's content."""
    name = display_name or path
    raw = read_data_bytes(path, name, root)
    return raw if isinstance(raw, Loaded) else load_bytes(raw, name)


def read_data_bytes(path: str, name: str, root: str | None = None) -> bytes | Loaded:
    """The bytes of the data file at `path` (up to one past the size limit), or a Loaded that
    says why it cannot be read (messages name it `name`)."""
    try:
        return read_regular_file(path, root or os.path.dirname(os.path.abspath(path)), MAX_FILE_BYTES)
    except UnsafeFile as e:
        result = Loaded(name, readable=False)
        result.problems.append(Problem(name, 1, 1, "", str(e)))
        return result
    except FileNotFoundError:
        result = Loaded(name, readable=False)
        result.problems.append(Problem(name, 1, 1, "", "找不到这个文件", "syntax"))
        return result
    except OSError as e:
        result = Loaded(name, readable=False)
        result.problems.append(Problem(name, 1, 1, "", f"无法打开文件（{e.strerror}）", "syntax"))
        return result


def load_bytes(raw: bytes, name: str) -> Loaded:
    result = Loaded(name)
    text = _decode(raw, result)
    if text is None:
        result.readable = False
        return result
    result.text = text
    try:
        _Composer(text, result).run()
    except yaml.MarkedYAMLError as e:
        result.readable = False
        result.data = None
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        # libyaml often stops a line after the real slip, with a message about the symptom:
        # look for the slips Chinese keyboards make, up to where it stopped.
        typed = _typing_slips(text, line)
        if typed:
            slip_lines = {ln for ln, _, _ in typed}  # one slip, one message
            result.problems[:] = [p for p in result.problems if p.line not in slip_lines]
            result.problems.extend(Problem(name, ln, col, "", message, "syntax") for ln, col, message in typed)
        else:
            result.problems.append(Problem(name, line, column, "", _explain_syntax(e), "syntax"))
    except yaml.reader.ReaderError as e:  # a character YAML forbids; it has an offset, no mark
        result.readable = False
        result.data = None
        before = text[: e.position]
        line, column = before.count("\n") + 1, e.position - before.rfind("\n")
        char = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        message = f"含有 YAML 不允许的字符 {char}（多为复制粘贴带入的不可见字符）：请删除它"
        result.problems.append(Problem(name, line, column, "", message, "syntax"))
    return result


def _decode(raw: bytes, result: Loaded) -> str | None:
    def fail(line: int, column: int, message: str) -> None:
        result.problems.append(Problem(result.file, line, column, "", message, "syntax"))

    if len(raw) > MAX_FILE_BYTES:
        fail(1, 1, f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 的上限：请拆分或精简")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        fail(1, 1, "文件是 UTF-16 编码：请用 “UTF-8” 编码另存（VS Code 右下角可切换编码）")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 BOM, as Windows Notepad writes: harmless
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        line_start = raw.rfind(b"\n", 0, e.start) + 1
        column = len(raw[line_start : e.start].decode("utf-8", "replace")) + 1
        try:
            raw.decode("gb18030")
            hint = "文件似乎是 GBK/GB18030 编码（Windows 常见）"
        except UnicodeDecodeError:
            hint = "文件含有不是 UTF-8 的字节"
        fail(line, column, f"{hint}：请用 “UTF-8” 编码另存（VS Code 右下角可切换编码）")
        return None
    # YAML reads these as line breaks, so pasted into text they silently become a space or a
    # new line. They are invisible in most editors: point at each one.
    # (`in` first: a regex over a 3 MB text of Chinese costs a tenth of a second, `in` nothing)
    hidden = any(char in text for char in "\u0085\u2028\u2029")
    breaks = [m.start() for m in _HIDDEN_BREAKS.finditer(text)] if hidden else []
    for offset in breaks:
        line = text.count("\n", 0, offset) + 1
        column = offset - text.rfind("\n", 0, offset)
        fail(line, column, f"含有不可见的特殊换行符 U+{ord(text[offset]):04X}（多为复制粘贴带入）：请删除它")
    return None if breaks else text


_SLIPS = (
    (re.compile(r"^[ \t]*(\u3000)"), "缩进里有全角空格（中文输入法的空格）：请改用半角空格"),
    (re.compile(r"^\s*(?:- +)?[A-Za-z_][A-Za-z0-9_]*(：)"), "字段名后面的冒号要用英文冒号 “:”，并在其后加一个空格"),
    (re.compile(r"^\s*(?:- +)?[A-Za-z_][A-Za-z0-9_]*(:)[^\s:/]"), "冒号后面要有一个空格：写成 “字段名: 内容”"),
    (re.compile(r"^\s*(-)[A-Za-z_]"), "列表项的 “-” 后面要有一个空格：写成 “- id: …”"),
)


def _typing_slips(text: str, until_line: int) -> list[tuple[int, int, str]]:
    """Lines up to `until_line` with a slip that YAML reports only as a confusing error."""
    found = []
    for number, line in enumerate(text.split("\n")[:until_line], start=1):
        for pattern, message in _SLIPS:
            match = pattern.search(line)
            if match:
                found.append((number, match.start(1) + 1, f"YAML 格式错误：{message}"))
                break
    return found


def _explain_syntax(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or str(error)
    for english, chinese in _SYNTAX_HINTS.items():
        if english in problem:
            return f"YAML 格式错误：{chinese}（{problem}）"
    return f"YAML 格式错误（{problem}）"


def _short_tag(tag: str) -> str:
    """The tag as the editor wrote it: `tag:yaml.org,2002:python/object` → `!!python/object`."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


_OPENING = {yaml.SequenceStartEvent, yaml.MappingStartEvent}
_CLOSING = {yaml.SequenceEndEvent, yaml.MappingEndEvent}


def _check_depth(event: yaml.Event, depth: int) -> None:
    """Stop reading at a node nested deeper than MAX_DEPTH (a syntax problem at that node)."""
    if depth > MAX_DEPTH:
        raise yaml.MarkedYAMLError(
            problem=f"嵌套超过 {MAX_DEPTH} 层：数据文件不需要这么深，请检查缩进",
            problem_mark=event.start_mark,
        )


class _Composer:
    """Builds values from parser events, one document, refusing what would change a value."""

    def __init__(self, text: str, result: Loaded, *, all_marks: bool = False) -> None:
        self.events = yaml.parse(text, Loader=_EventLoader)
        self.result = result
        self.mark_depth = 10**6 if all_marks else RECORD_DEPTH
        self.text = text
        self._lines: list[str] | None = None

    def line(self, number: int) -> str:
        """Line `number` (0-based) of the file, split only when first needed."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines[number] if number < len(self._lines) else ""

    def problem(self, path: Path, event: yaml.Event, message: str) -> None:
        mark = event.start_mark
        self.result.problems.append(
            Problem(self.result.file, mark.line + 1, mark.column + 1, format_path(path), message, "syntax")
        )
        self.result.flagged.add(path)

    def run(self) -> None:
        event = next(self.events)  # StreamStart
        event = next(self.events)
        if isinstance(event, yaml.StreamEndEvent):
            return  # empty file: data stays None; validation says what it should hold
        self.result.data = self.node(next(self.events), (), depth=0)
        if self.result.stopped_at is not None:
            return  # the rest of the file is not read (counted_items)
        next(self.events)  # DocumentEnd
        event = next(self.events)
        if isinstance(event, yaml.DocumentStartEvent):
            mark = event.start_mark
            self.result.problems.append(
                Problem(
                    self.result.file, mark.line + 1, mark.column + 1, "",
                    "一个文件只能有一个 YAML 文档：这里的 “---” 开始了第二个文档，请删除它或合并内容",
                    "syntax",
                )
            )

    def node(self, event: yaml.Event, path: Path, depth: int) -> object:
        mark = event.start_mark
        if len(path) <= self.mark_depth:
            self.result.value_marks.setdefault(path, (mark.line + 1, mark.column + 1))
        if isinstance(event, yaml.AliasEvent):
            self.problem(path, event, f"不支持别名 “*{event.anchor}”：请把内容直接写出来")
            return None
        if event.anchor is not None:
            self.problem(path, event, f"不支持锚点 “&{event.anchor}”：请删除 “&{event.anchor}”，"
                         f"并在用到 “*{event.anchor}” 的地方把内容直接写出来")
        _check_depth(event, depth)
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, path)
        if event.tag not in (None, "!") and not event.tag.endswith((":seq", ":map")):
            self.problem(path, event, f"不支持 YAML 标签 “{_short_tag(event.tag)}”：请删除它")
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[object] = []
            count = 0
            first_skipped = last_end = None  # marks of the items past MAX_LIST_ITEMS
            kept, counted = kept_items(path), counted_items(path)
            for event in self.events:
                if isinstance(event, yaml.SequenceEndEvent):
                    if first_skipped is not None:
                        self.result.lengths[path] = count
                        self.result.skipped.append(((first_skipped.line, first_skipped.column),
                                                    (last_end.line, last_end.column)))
                    return items
                count += 1
                if len(items) <= kept:
                    items.append(self.node(event, (*path, len(items)), depth + 1))
                    if self.result.stopped_at is not None:
                        return items
                    continue
                first_skipped = first_skipped or event.start_mark
                if count > counted:
                    mark = event.start_mark
                    self.result.stopped_at = (mark.line + 1, mark.column + 1)
                    self.result.lengths[path] = count
                    self.result.skipped.append(((first_skipped.line, first_skipped.column), (mark.line, mark.column)))
                    return items
                last_end = self.skip(event, depth + 1)
        mapping: dict[str, object] = {}
        first_seen: dict[str, int] = {}
        for event in self.events:
            if isinstance(event, yaml.MappingEndEvent):
                return mapping
            key = self.key(event, path, depth + 1)
            value_event = next(self.events)
            if key is None:
                self.skip(value_event, depth + 1)
                continue
            key_path = (*path, key)
            if key in first_seen:
                self.problem(
                    key_path, event, f"重复的键 “{key}”（第 {first_seen[key]} 行已出现）：保留一个，删除其余"
                )
                self.skip(value_event, depth + 1)
                continue
            first_seen[key] = event.start_mark.line + 1
            if len(key_path) <= self.mark_depth:
                self.result.key_marks[key_path] = (event.start_mark.line + 1, event.start_mark.column + 1)
            mapping[key] = self.node(value_event, key_path, depth + 1)
            if self.result.stopped_at is not None:
                return mapping
        return mapping  # pragma: no cover - the parser always closes a mapping

    def key(self, event: yaml.Event, path: Path, depth: int) -> str | None:
        if not isinstance(event, yaml.ScalarEvent):
            self.problem(path, event, "字段名应为文字，这里却是列表或映射")
            if not isinstance(event, yaml.AliasEvent):
                self.skip(event, depth)
            return None
        if event.value[:1] in ("\u3000", " ", "\t") or "\u3000" in event.value:
            self.problem((*path, event.value.strip("\u3000 \t")), event,
                         "字段名前后有全角空格（中文输入法的空格）：缩进请用半角空格")
            return None
        if event.value == "<<" and event.style is None:
            self.problem(path, event, "不支持合并键 “<<”：请把字段逐个写出来")
            return None
        if event.anchor is not None:
            self.problem(path, event, f"不支持锚点 “&{event.anchor}”：请把内容直接写出来")
        return event.value

    def skip(self, event: yaml.Event, depth: int) -> yaml.Mark:
        """Consume the events of a value that is not kept (`event` is its first, at `depth`);
        returns where the value ends.

        The depth limit holds here too: libyaml's parser is quadratic in nesting depth, so
        stopping at the limit is what keeps a 200,000-bracket duplicate key from taking minutes."""
        _check_depth(event, depth)
        opened = 1 if type(event) in _OPENING else 0
        while opened:  # up to a million events in a hostile file: kept to type lookups
            event = next(self.events)
            kind = type(event)
            if kind in _CLOSING:
                opened -= 1
                continue
            _check_depth(event, depth + opened)  # a child of the innermost open collection
            if kind in _OPENING:
                opened += 1
        return event.end_mark

    def scalar(self, event: yaml.ScalarEvent, path: Path) -> object:
        text = event.value
        if event.tag not in (None, "!", "tag:yaml.org,2002:str"):
            self.problem(path, event, f"不支持 YAML 标签 “{_short_tag(event.tag)}”：请删除它")
            return text
        if event.style or event.tag is not None:  # plain style is None, or "" from libyaml
            return text  # quoted or block scalar, or `!!str`: literal text
        if not text.isascii():
            end = event.end_mark
            rest = self.line(end.line)[end.column:]
            if _TRAILING_COMMENT.match(rest):
                self.problem(path, event, f"“{rest.strip()[:20]}” 会被当作注释丢掉（文字里的 “ #” 开始一段注释）："
                             "请给整段文字加双引号")
                return text
        if text in _NULL:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if _YAML11_BOOL.fullmatch(text):
            self.problem(
                path, event,
                f"“{text}” 会被 YAML 读成是/否（布尔值）：若是文字请加引号写成 \"{text}\"；若是是/否请写 true 或 false",
            )
            return text
        if _INT.fullmatch(text):
            digits = len(text.lstrip("+-"))
            if digits > MAX_INT_DIGITS:
                self.problem(path, event, f"数字过长：最多 {MAX_INT_DIGITS} 位，实际 {digits} 位："
                             "若是文字（如编号）请加引号")
                return text
            return int(text)
        if _YAML11_NUMBER.fullmatch(text):
            self.problem(
                path, event,
                f"{quote(text)} 会被 YAML 读成另一个数（如 010 读成 8、1:20 读成 80）：若是文字请加引号，若是数字请写普通的十进制数",
            )
            return text
        if _FLOAT.fullmatch(text):
            number = float(text)
            if repr(number) != text.lstrip("+"):
                self.problem(
                    path, event,
                    f"{quote(text)} 会被读成数字 {number!r}，与原文不同：若是文字（如版本号）请加引号",
                )
                return text
            return number
        return text
