"""Dates of any precision: a year (2020), a month (2020-03) or a day (2020-03-02).

The data keeps a date as the editor wrote it (the loader leaves `2020-03-02` as text, `2020` as
an integer); `date_text` validates it and gives the one form the models store ("2020",
"2020-03", "2020-03-02"). Everything else (Chinese display, sorting, the years a period
covers, feed timestamps) is derived here, once.
"""

from __future__ import annotations

import calendar
import functools
import re

YEAR_MIN, YEAR_MAX = 1949, 2100
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
FORMS = "年（2020）、年-月（2020-03）或年-月-日（2020-03-02）"


class DateError(ValueError):
    """Not a date; `str(error)` is the Chinese message."""


def date_text(value: object) -> str:
    """The stored form of a date written as `value`, or DateError saying what is wrong."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise DateError(f"应为日期：写{FORMS}")
    text = str(value).strip() if isinstance(value, str) else str(value)
    match = _DATE.fullmatch(text)
    if not match:
        raise DateError(f"应为日期：写{FORMS}，实际是 “{text[:40]}”")
    year, month, day = (int(part) if part else None for part in match.groups())
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DateError(f"年份应在 {YEAR_MIN} 到 {YEAR_MAX} 之间，实际是 {year}")
    if month is None:
        return f"{year}"
    if not 1 <= month <= 12:
        raise DateError(f"月份应在 1 到 12 之间，实际是 {month}（写作 {text}）")
    if day is None:
        return f"{year}-{month:02d}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(f"{year}年{month}月没有{day}日（这个月只有 {last} 天）：请核对日期 {text}")
    return f"{year}-{month:02d}-{day:02d}"


def parts(date: str) -> tuple[int, int | None, int | None]:
    """"2020-03" → (2020, 3, None)."""
    pieces = [int(p) for p in date.split("-")]
    return pieces[0], pieces[1] if len(pieces) > 1 else None, pieces[2] if len(pieces) > 2 else None


def year_of(date: str) -> int:
    return int(date[:4])


def sort_key(date: str | None) -> tuple[int, int, int]:
    """Earlier first; a year sorts before its months, a month before its days; no date first."""
    if not date:
        return (0, 0, 0)
    year, month, day = parts(date)
    return (year, month or 0, day or 0)


def end_key(date: str) -> tuple[int, int, int]:
    """The last day a date of any precision can mean (2020 → 2020-12-31): periods compare
    their ends with this, so that `start: 2020-03, end: 2020` is in order."""
    year, month, day = parts(date)
    month = month or 12
    return (year, month, day or calendar.monthrange(year, month)[1])


def chinese(date: str | None) -> str:
    """"2024-03-02" → "2024年3月2日"; "2024-03" → "2024年3月"; "2024" → "2024年"."""
    if not date:
        return ""
    year, month, day = parts(date)
    return f"{year}年" + (f"{month}月" if month else "") + (f"{day}日" if day else "")


@functools.lru_cache(maxsize=4096)  # pages print the same few periods thousands of times
def span_chinese(start: str, end: str | None) -> str:
    """A period in Chinese, the shared part said once: 2020年 · 2020—2021年 · 2024年3月2日—5日."""
    if not end or end == start:
        return chinese(start)
    (y1, m1, d1), (y2, m2, d2) = parts(start), parts(end)
    if y1 == y2 and m1 and m2:
        if m1 == m2 and d1 and d2:
            return f"{chinese(start)}—{d2}日"
        return f"{chinese(start)}—{m2}月" + (f"{d2}日" if d2 else "")
    if y1 != y2 and not m1 and not m2:
        return f"{y1}—{y2}年"
    return f"{chinese(start)}—{chinese(end)}"


def years_between(start: str, end: str | None) -> range:
    return range(year_of(start), year_of(end or start) + 1)


def timestamp(date: str) -> str:
    """An RFC 3339 time for feeds: the last day the date can mean, at midnight Beijing time."""
    year, month, day = end_key(date)
    return f"{year:04d}-{month:02d}-{day:02d}T00:00:00+08:00"
