"""Problems found in the data files, and the one report an editor reads.

A problem is located (file, line, column), names the record and field (`units[2].honours[0].year`)
and says in Chinese what was expected and what was found. All problems of all files are
collected first and reported together, so an editor fixes every mistake in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Path = tuple  # ("units", 2, "honours", 0, "year"): keys and list indexes from the file's root


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int           # 1-based
    column: int         # 1-based
    path: str           # "units[2].honours[0].year"; "" for the whole file
    message: str
    kind: str = "data"  # "syntax": the file cannot be read as YAML; "data": it can, but is wrong

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}  {self.path}：{self.message}" if self.path else f"{where}  {self.message}"


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

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def github_annotations(self) -> str:
        """The problems as GitHub Actions workflow commands: shown on the pull request's diff,
        at the line of each problem."""
        def prop(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")

        def data(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        lines = []
        for p in sorted(set(self.problems), key=lambda p: (p.file, p.line, p.column)):
            title = "YAML 写法有误" if p.kind == "syntax" else "数据有误"
            text = f"{p.path}：{p.message}" if p.path else p.message
            lines.append(f"::error file={prop(p.file)},line={p.line},col={p.column},title={prop(title)}::{data(text)}")
        return "\n".join(lines)

    def format(self) -> str:
        """The text shown by `make check` and by a failed build."""
        if not self.problems:
            return ""
        problems = sorted(set(self.problems), key=lambda p: (p.file, p.line, p.column, p.path, p.message))
        lines: list[str] = []
        for kind, heading in (("syntax", "YAML 写法有误"), ("data", "数据有误")):
            group = [p for p in problems if p.kind == kind]
            if not group:
                continue
            files = sorted({p.file for p in group})
            lines.append(f"{heading}：{'、'.join(files)} 共 {len(group)} 处问题")
            lines.extend(f"  {p}" for p in group)
        return "\n".join(lines)
