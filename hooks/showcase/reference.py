"""The field reference of the editor guide, read off the models' JSON Schema at build time,
so it cannot drift from what the validator accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel

from .models import ID_PATTERN, Sourced

SHARED_FIELDS = frozenset(Sourced.model_fields)


@dataclass(frozen=True)
class FieldDoc:
    name: str
    label: str         # what the field is called (its title): "简介"
    required: bool
    type: str          # plain text, Chinese: "文字，最多 200 字"
    link: str | None   # anchor of the model this field holds, if any
    description: str


@dataclass(frozen=True)
class ModelDoc:
    anchor: str        # "unit"
    name: str          # "Unit"
    title: str         # the model's docstring line or file title
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True)
class FileDoc:
    file: str          # "data/units.yaml"
    models: tuple[ModelDoc, ...]


def reference(files: dict[str, type[BaseModel]]) -> list[FileDoc]:
    """`{"data/units.yaml": UnitsFile, ...}` → every model each file uses, root first, then in
    the order the fields lead to them."""
    docs = []
    for file, model in files.items():
        # Source and Figure appear under both files: anchors carry the file, or ids repeat.
        prefix = file.rsplit("/", 1)[-1].removesuffix(".yaml")
        schema = model.model_json_schema(mode="validation")
        defs = schema.get("$defs", {})
        titles = {name: node.get("title", name) for name, node in defs.items()}
        order = _models_in_field_order(model.__name__, schema, defs)
        models = []
        for name, node in order:
            # A record's own fields first; the four every record shares (basis …) after them.
            props = sorted(node.get("properties", {}).items(), key=lambda kv: kv[0] in SHARED_FIELDS)
            fields = tuple(
                FieldDoc(key, _label(key, prop), key in node.get("required", []), _type(prop, titles),
                         _link(prop, prefix),
                         prop.get("description", ""))
                for key, prop in props
            )
            models.append(ModelDoc(anchor_of(name, prefix), name, node.get("title", name), fields))
        docs.append(FileDoc(file, tuple(models)))
    return docs


def _models_in_field_order(name: str, schema: dict, defs: dict) -> list[tuple[str, dict]]:
    """The model `name` and every model its fields lead to, depth first, in field order."""
    order: list[tuple[str, dict]] = []
    stack = [(name, schema)]
    while stack:
        name, node = stack.pop()
        if any(seen == name for seen, _ in order):
            continue
        order.append((name, node))
        stack.extend((ref, defs[ref]) for ref in reversed(_refs(node.get("properties", {}))))
    return order


def anchor_of(model_name: str, prefix: str) -> str:
    """"Unit" under units.yaml → "units-unit"."""
    return f"{prefix}-" + re.sub(r"(?<!^)(?=[A-Z])", "-", model_name).lower()


def _refs(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if "$ref" in node:
            found.append(node["$ref"].rsplit("/", 1)[-1])
        for value in node.values():
            found += _refs(value)
    elif isinstance(node, list):
        for value in node:
            found += _refs(value)
    return found


def _label(key: str, prop: dict) -> str:
    """The field's title, unless it only repeats the key (pydantic's default title, or “id”)."""
    title = prop.get("title", "")
    return "" if title.lower().replace(" ", "_") == key else title


def _link(prop: dict, prefix: str) -> str | None:
    refs = _refs(prop)
    return anchor_of(refs[0], prefix) if refs else None


# What each collection that a reference can point to is called, for "id（见 …）".
_COLLECTIONS = {"units": "units 中的单位", "people": "people 中的人物或集体", "categories": "categories 中的类别",
                "honour_types": "honour_types 中的荣誉类型", "sources": "sources 中的来源文件",
                "honour_types.type": "所选荣誉类型的 grades 中的等级"}


def _type(prop: dict, titles: dict[str, str]) -> str:
    if prop.get("x-date"):
        return "日期：2020、2020-03 或 2020-03-02"
    if "x-refers-to" in prop:
        target = _COLLECTIONS.get(prop["x-refers-to"], prop["x-refers-to"])
        return f"id（{target}的 id，不写名称）"
    options = prop.get("anyOf")
    if options:
        kinds = [o for o in options if o.get("type") != "null"]
        text = "或".join(_type(o, titles) for o in kinds)
        return text + ("；可省略" if len(kinds) < len(options) else "")
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        title = titles.get(name, name)
        return f"一条{title}" if title.endswith("记录") else f"一条{title}记录"
    if "enum" in prop:
        return "以下之一：" + "、".join(str(v) for v in prop["enum"])
    if "const" in prop:
        return f"固定为 {prop['const']}"
    kind = prop.get("type")
    if kind == "array":
        text = f"列表，每项为{_type(prop.get('items', {}), titles)}"
        if "maxItems" in prop:
            text += f"，最多 {prop['maxItems']} 项"
        return text
    if kind == "object":
        values = prop.get("additionalProperties") or next(iter(prop.get("patternProperties", {}).values()), None)
        return f"映射：字段名 → {_type(values, titles)}" if isinstance(values, dict) else "映射"
    if kind == "string":
        if prop.get("pattern") == ID_PATTERN:
            text = "id（小写字母、数字、连字符）"
        elif "pattern" in prop:
            text = "字段名（小写字母、下划线）"
        else:
            text = "文字"
        if "maxLength" in prop:
            text += f"，最多 {prop['maxLength']} 字"
        return text
    if kind in ("integer", "number"):
        text = "整数" if kind == "integer" else "数字"
        low, high = prop.get("minimum"), prop.get("maximum")
        if low is not None and high is not None:
            text += f"，{low} 到 {high}"
        elif low is not None:
            text += f"，不小于 {low}"
        return text
    if kind == "boolean":
        return "true 或 false"
    return "任意"
