"""Problems found in the data files, and the one report an editor reads.

A problem is located (file, line, column), names the record and field (`units[2].honours[0].year`)
and says in Chinese what was expected and what was found. All problems of all files are
collected first and reported together, so an editor fixes every mistake in one pass.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from .chars import is_invisible, may_hide_something

Path = tuple  # ("units", 2, "honours", 0, "year"): keys and list indexes from the file's root

# A report longer than this is not read by anyone (and GitHub shows only the first few
# annotations of a step): the rest is counted, not listed.
MAX_LISTED = 200

def _part_of_emoji(text: str, index: int) -> bool:
    """A zero-width joiner between two emoji (👨\u200d👩) or an emoji presentation selector
    after one (❤\ufe0f) belongs to the emoji: shown as is."""
    def emoji(i: int) -> bool:
        return 0 <= i < len(text) and unicodedata.category(text[i]) == "So"

    char = text[index]
    if char == "\u200d":
        return emoji(index - 1) and emoji(index + 1)
    return char in "\ufe0e\ufe0f" and emoji(index - 1)


def shown(text: str) -> str:
    """`text` safe to print to a terminal or a CI log: every control or invisible character as
    `U+XXXX` (an ESC would recolour or rewrite the editor's terminal, a bidi override reverse
    the line, a zero-width character hide a difference). Chinese, full-width punctuation and
    emoji stay as they are."""
    if not may_hide_something(text):
        return text  # the common case, without a look at each character
    return "".join(
        f"U+{ord(char):04X}" if is_invisible(char) and not _part_of_emoji(text, i) else char
        for i, char in enumerate(text)
    )


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int           # 1-based
    column: int         # 1-based
    path: str           # "units[2].honours[0].year"; "" for the whole file
    message: str
    # "syntax": the file cannot be read as YAML; "data": it can, but is wrong; "warning": worth a
    # look, but the site builds (a photo no record uses, one narrower than its use wants)
    kind: str = "data"

    def __str__(self) -> str:
        """As printed: every part through `shown()`, since file names, keys and found values
        come from the pull request."""
        where = f"{shown(self.file)}:{self.line}:{self.column}"
        return f"{where}  {self.text()}"

    def text(self) -> str:
        """Path and message, safe to print."""
        return f"{shown(self.path)}：{shown(self.message)}" if self.path else shown(self.message)


def format_path(path: Path) -> str:
    """`("units", 2, "name")` → `units[2].name`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def quote(value: object) -> str:
    """How a found value is shown in a message: text in Chinese quotes, other values by type."""
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "…"
        return f"“{shown}”"
    if isinstance(value, bool):
        return f"布尔值 {'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if value is None:
        return "空值"
    if isinstance(value, dict):
        return "一组字段（映射）"
    if isinstance(value, list):
        return "列表"
    return type(value).__name__


@dataclass
class Report:
    """Every problem of every file, in file order."""

    problems: list[Problem] = field(default_factory=list)

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        """Whether anything stops the build: warnings alone do not."""
        return any(p.kind != "warning" for p in self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == "warning"]

    def github_annotations(self) -> str:
        """The problems as GitHub Actions workflow commands: shown on the pull request's diff,
        at the line of each problem."""
        def prop(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")

        def data(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        problems = sorted(set(self.problems), key=lambda p: (p.file, p.line, p.column, p.path, p.message))
        lines = []
        for p in problems[:MAX_LISTED]:
            level, title = _ANNOTATION[p.kind]
            lines.append(f"::{level} file={prop(shown(p.file))},line={p.line},col={p.column},"
                         f"title={prop(title)}::{data(p.text())}")
        if len(problems) > MAX_LISTED:
            lines.append(f"::error title={prop('数据有误')}::{data(_not_listed(len(problems)))}")
        return "\n".join(lines)

    def format(self) -> str:
        """The text shown by `make check` and by a failed build."""
        if not self.problems:
            return ""
        problems = sorted(set(self.problems), key=lambda p: (p.file, p.line, p.column, p.path, p.message))
        lines: list[str] = []
        room = MAX_LISTED
        for kind, heading in _HEADINGS.items():
            group = [p for p in problems if p.kind == kind]
            if not group:
                continue
            files = sorted({shown(p.file) for p in group})
            counted = "条提醒" if kind == "warning" else "处问题"
            lines.append(f"{heading}：{'、'.join(files)} 共 {len(group)} {counted}")
            lines.extend(f"  {p}" for p in group[:room])
            room = max(0, room - len(group))
        if len(problems) > MAX_LISTED:
            lines.append(_not_listed(len(problems)))
        return "\n".join(lines)


_HEADINGS = {"syntax": "YAML 写法有误", "data": "数据有误", "warning": "提醒（不影响发布，建议处理）"}
_ANNOTATION = {"syntax": ("error", "YAML 写法有误"), "data": ("error", "数据有误"), "warning": ("warning", "提醒")}


def _not_listed(total: int) -> str:
    return f"…还有 {total - MAX_LISTED} 处问题未列出（共 {total} 处）：请先改正上面这些，再运行一次检查"
