"""The editorial view's own material: every fact the data marks as inferred, or explains in a
note, with where its record is. The public view shows none of it (see pages.AUDIENCES)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import get_args

from pydantic import BaseModel

from .models import Sourced, field_label

# What a note says when the editor could not confirm the fact: listed first, marked 待核实.
UNVERIFIED_WORDS = ("待核实", "未核实", "待确认", "存疑")

# Where each top-level list's records are shown: (folder of their own pages, or the anchor
# prefix on a shared page). Other records are shown on the home page.
RECORD_PAGES = {
    "units": "units/{id}/", "people": "people/{id}/", "activities": "activities/{id}/",
    "categories": "units/#category-{id}", "honour_types": "honours/#type-{id}", "rolls": "honours/#roll-{id}",
}


@dataclass(frozen=True)
class Fact:
    """One inferred or explained fact of the data."""

    file: str          # "units" or "activities"
    path: tuple        # the record's place in its file: ("units", 3, "honours", 0)
    record: str        # what the record is, for a person: "单位 北京大学 › 荣誉记录"
    what: str          # "本条记录" or the field's label
    kind: str          # "inferred" or "remark"
    reason: str
    page: str          # site-relative URL of the page showing the record

    @property
    def unverified(self) -> bool:
        return any(word in self.reason for word in UNVERIFIED_WORDS)


def _name(model: BaseModel) -> str:
    for attribute in ("name", "title", "label", "held_by", "id"):
        value = getattr(model, attribute, None)
        if isinstance(value, str) and value:
            return value
    return ""


def _title(model: BaseModel) -> str:
    return type(model).model_config.get("title") or type(model).__name__


def _walk(value, path: tuple, trail: tuple) -> Iterator[tuple[tuple, tuple, Sourced]]:
    """Every Sourced record under `value`: its place, the records it is in (itself last)."""
    if isinstance(value, BaseModel):
        if isinstance(value, Sourced):
            trail = (*trail, value)
            yield path, trail, value
        for field_name in _nested_fields(type(value)):
            yield from _walk(getattr(value, field_name), (*path, field_name), trail)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _walk(item, (*path, i), trail)


@cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` that can hold records: the walk skips text, numbers and dates (at
    20,000 units it ran on every preview save)."""
    return tuple(name for name, info in model.model_fields.items() if _may_hold_models(info.annotation))


def _may_hold_models(annotation) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_may_hold_models(arg) for arg in get_args(annotation))


def _label(trail: tuple) -> str:
    return " › ".join(f"{_title(model)} {_name(model)}".strip() for model in trail)


def _page(root_model: BaseModel, path: tuple) -> str:
    pattern = RECORD_PAGES.get(path[0]) if path and len(path) > 1 else None
    if pattern is None:
        return ""
    record = getattr(root_model, path[0])[path[1]]
    return pattern.format(id=getattr(record, "id", ""))


def editorial_facts(files: dict[str, BaseModel]) -> list[Fact]:
    """Every inferred record or field, and every record with a note, in file order; those
    whose reason says they are not yet verified first."""
    facts: list[Fact] = []
    for file, root_model in files.items():
        for path, trail, record in _walk(root_model, (), ()):
            if not record.note and not record.inferred:
                continue
            label, page = _label(trail), _page(root_model, path)
            if record.note:
                kind = "remark" if record.basis == "stated" else "inferred"
                facts.append(Fact(file, path, label, "本条记录", kind, record.note, page))
            for field_name, reason in record.inferred.items():
                facts.append(Fact(file, path, label, field_label(type(record), field_name), "inferred",
                                  reason, page))
    return sorted(facts, key=lambda fact: not fact.unverified)  # stable: file order within each
