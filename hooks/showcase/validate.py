"""Validation of one loaded file against its model, with errors told in Chinese.

Records are validated one at a time (each item of each top-level list), so one broken record
does not hide the mistakes of the others, and the valid ones still take part in the checks
across records (`checks.py`).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from .loader import Loaded, counted_items
from .models import RETIRED_VALUES, YEAR_MAX, YEAR_MIN, list_cap
from .problems import Path, Problem, format_path, quote

YEAR_FIELDS = {"year", "start", "end"}


@dataclass
class Parts:
    """The valid part of one file: top-level values and list items that passed validation."""

    loaded: Loaded
    model: type[BaseModel]
    values: dict[str, object] = field(default_factory=dict)          # committee → Committee
    items: dict[str, list[tuple[int, BaseModel]]] = field(default_factory=dict)  # units → [(i, Unit)]
    problems: list[Problem] = field(default_factory=list)

    def build(self) -> BaseModel:
        """The whole file as its model; only call when the file has no problem."""
        data = dict(self.values)
        for name, pairs in self.items.items():
            data[name] = [item for _, item in pairs]
        return self.model.model_construct(**data)


def validate_file(loaded: Loaded, model: type[BaseModel], memo: dict | None = None) -> Parts:
    """`memo` (the preview's): id of a list item → (the item, its model), from the last
    validation; an item that is the very same object (the loader reused it, its text unchanged)
    is not validated again. Replaced by this validation's valid items."""
    parts = Parts(loaded, model)
    seen: dict = {}
    data = loaded.data
    if not isinstance(data, dict):
        fields = "、".join(model.model_fields)
        found = "空文件" if data is None else quote(data)
        if loaded.readable:
            parts.problems.append(_problem(loaded, (), f"文件应包含这些字段：{fields}；实际是{found}"))
        return parts
    for key in data:
        if key not in model.model_fields:
            parts.problems.append(_problem(loaded, (key,), _unknown_field(key, model), key=True))
    for name, info in model.model_fields.items():
        if name not in data:
            if info.is_required():
                parts.problems.append(_problem(loaded, (name,), "缺少必填字段"))
            continue
        value = data[name]
        item_model = _list_item_model(info.annotation)
        if item_model is not None and isinstance(value, list):
            most = _max_length(info)
            found = loaded.lengths.get((name,), len(value))
            if most is not None and found > most:
                # One message for the list, and the items past the limit are neither validated
                # nor seen by the checks across records (`checks.py` reads `loaded.data`): a
                # 100,000-item paste would otherwise cost a minute and as many messages.
                parts.problems.append(_problem(loaded, (name,), _too_many_items(most, found, loaded.stopped_at, (name,))))
                value = data[name] = value[:most]
            parts.items[name] = []
            invalid = 0
            for index, item in enumerate(value):
                known = memo.get(id(item)) if memo is not None else None
                if known is not None and known[0] is item:
                    record = known[1]
                else:
                    record = _validate_value(loaded, item_model, item, (name, index), parts.problems)
                if record is None:
                    invalid += 1
                    if invalid == INVALID_ITEMS_EXPLAINED and index + 1 < len(value):
                        # A paste of thousands of broken items: explaining each costs seconds
                        # (20,000 units: 8 s) and nobody reads past the first screens of them.
                        parts.problems.append(_problem(loaded, (name, index + 1), (
                            f"前面已有 {invalid} 项有问题，以下 {len(value) - index - 1} 项未逐项检查："
                            "请先改正前面的问题（是否整段粘贴错了格式？）")))
                        data[name] = value[:index + 1]  # nor seen by the checks across records
                        break
                if record is not None:
                    parts.items[name].append((index, record))
                    seen[id(item)] = (item, record)
        else:
            result = _validate_value(loaded, info.annotation, value, (name,), parts.problems)
            if result is not None or value is None:
                parts.values[name] = result
    if memo is not None:
        memo.clear()
        memo.update(seen)
    return parts


INVALID_ITEMS_EXPLAINED = 1000  # invalid items of one list explained one by one; then one message


def _max_length(info: FieldInfo) -> int | None:
    return list_cap(info.metadata)


def _too_many_items(most: int, found: int, stopped_at: tuple[int, int] | None = None, path: Path = ()) -> str:
    if stopped_at is not None and path and found > counted_items(path):
        return (f"项数太多：最多 {most} 项，实际超过 {counted_items(path)} 项（是否重复粘贴？）：请删去多余的项；"
                f"文件第 {stopped_at[0]} 行以后的内容没有检查")
    return f"项数太多：最多 {most} 项，实际 {found} 项：请删去多余的项，或检查是否重复粘贴"


def _list_item_model(annotation: object) -> type[BaseModel] | None:
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _validate_value(
    loaded: Loaded, annotation: object, value: object, path: Path, out: list[Problem]
) -> object | None:
    from pydantic import TypeAdapter

    try:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation.model_validate(value)
        return TypeAdapter(annotation).validate_python(value, strict=True)
    except ValidationError as error:
        out.extend(explain(loaded, error, path, annotation, value))
        return None


def explain(
    loaded: Loaded, error: ValidationError, base: Path, model: object, value: object
) -> list[Problem]:
    """Pydantic's errors → located Chinese problems; paths the loader already reported are skipped."""
    by_path: dict[Path, list[dict]] = {}
    for err in error.errors(include_url=False):
        path = (*base, *_data_path(value, err["loc"]))
        if any(path[: len(flag)] == flag for flag in loaded.flagged):
            continue
        by_path.setdefault(path, []).append(err)
    problems = []
    for path, errs in by_path.items():
        types_ = {e["type"] for e in errs}
        if {"int_type", "float_type"} <= types_:
            message = f"应为数字，实际是 {quote(errs[0]['input'])}"
        elif "[key]" in errs[0]["loc"]:
            message = f"应为本条记录的字段名（如 category、full_name），实际是 {quote(errs[0]['input'])}"
        elif errs[0]["type"] == "too_long" and path in loaded.lengths:  # the loader cut it short
            message = _too_many_items(errs[0]["ctx"]["max_length"], loaded.lengths[path], loaded.stopped_at, path)
        else:
            message = _message(errs[0], path, model, base)
        is_key = errs[0]["type"] == "extra_forbidden"
        if errs[0]["type"] == "note_required":
            path = (*path, "basis")  # point at the basis that asks for a note
        problems.append(_problem(loaded, path, message, key=is_key))
    return problems


def _data_path(value: object, loc: tuple) -> Path:
    """Pydantic's loc names union members and validators too (`value.int`): keep the data keys."""
    path: list = []
    for part in loc:
        if isinstance(value, dict) and part in value:
            value = value[part]
            path.append(part)
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
            path.append(part)
        elif isinstance(value, dict) and isinstance(part, str) and not path_is_union_tag(part):
            path.append(part)  # a missing field: its name still belongs in the path
            value = None
    return tuple(path)


def path_is_union_tag(part: str) -> bool:
    return part in {"int", "float", "str", "bool", "none", "list", "dict"} or "[" in part


def _message(err: dict, path: Path, root: object, base: Path) -> str:
    kind, found, ctx = err["type"], err["input"], err.get("ctx") or {}
    field_name = next((p for p in reversed(path) if isinstance(p, str)), "")
    is_year = field_name in YEAR_FIELDS
    if kind == "missing":
        model = _model_at(root, path[len(base) : -1])
        info = model.model_fields.get(str(path[-1])) if model else None
        described = f"（{info.description}）" if info and info.description else ""
        return f"缺少必填字段{described}"
    if kind == "extra_forbidden":
        model = _model_at(root, path[len(base) : -1])
        key = str(path[-1])
        outer = _model_at(root, path[len(base) : -2]) if len(path) - len(base) >= 2 else None
        if model is not None and outer is not None and key in outer.model_fields and key not in model.model_fields:
            # `grades:` written inside `source:` of an honour type: one level too deep
            inner = next((p for p in reversed(path[:-1]) if isinstance(p, str)), "")
            return (f"“{key}” 写错了层级：它是{outer.model_config.get('title') or '这条记录'}的字段，不能写在 {inner} 里面："
                    f"请把这一行（连同它下面的内容）向左移，与 {inner} 左端对齐")
        return _unknown_field(key, model)
    unquote = "（数字不要加引号）" if isinstance(found, str) and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", found) else ""
    if kind in ("int_type", "int_parsing", "int_from_float") and is_year:
        return f"应为四位年份（如 2020），实际是 {quote(found)}{unquote}"
    expected = {
        "string_type": "文字",
        "int_type": "整数",
        "int_from_float": "整数",
        "float_type": "数字",
        "bool_type": "true 或 false",
        "list_type": "列表（每项以 “- ” 开头）",
        "dict_type": "一组字段（映射）",
        "model_type": "一组字段（映射）",
        "model_attributes_type": "一组字段（映射）",
    }.get(kind)
    if expected:
        return (f"应为{expected}，实际是 {quote(found)}{unquote if kind != 'string_type' else ''}"
                + _shape(kind, root, path[len(base):]))
    if kind == "literal_error":
        options = "、".join(re.findall(r"'([^']*)'", ctx.get("expected", "")))
        retired = RETIRED_VALUES.get((field_name, found)) if isinstance(found, str) else None
        return f"应为以下之一：{options}，实际是 {quote(found)}" + (f"（{retired}）" if retired else "")
    if kind == "string_pattern_mismatch":
        return f"{field_name} {_describe_pattern(ctx.get('pattern', ''))}，实际是 {quote(found)}"
    if kind in ("greater_than_equal", "less_than_equal") and is_year:
        return f"年份应在 {YEAR_MIN} 到 {YEAR_MAX} 之间，实际是 {found}"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx['ge']}，实际是 {found}"
    if kind == "less_than_equal":
        return f"应不大于 {ctx['le']}，实际是 {found}"
    if kind == "string_too_long":
        return f"太长：最多 {ctx['max_length']} 个字符，实际 {len(found)} 个"
    if kind == "too_long":
        return _too_many_items(ctx["max_length"], ctx.get("actual_length") or len(found))
    if kind == "string_too_short":
        return "不能为空"
    # Our own validators raise PydanticCustomError with the Chinese message already written.
    return err["msg"].removeprefix("Value error, ")


# How the characters of a pattern's classes are named, in full and at the start of a word.
_CHARACTER_CLASSES = {
    "a-z": ("小写英文字母", "字母"),
    "A-Z": ("大写英文字母", "大写字母"),
    "0-9": ("数字", "数字"),
    "-": ("连字符 -", "连字符 -"),
    "_": ("下划线 _", "下划线 _"),
}
_CLASS_PART = re.compile("|".join(re.escape(c) for c in sorted(_CHARACTER_CLASSES, key=len, reverse=True)))
_FIRST_THEN_REST = re.compile(r"\^\[([^\]]+)\]\[([^\]]+)\]\*\$")


def _describe_pattern(pattern: str) -> str:
    """A field's pattern said in Chinese, read from the pattern itself so that each field gets
    its own rule: `^[a-z0-9][a-z0-9-]*$` → "只能由小写英文字母、数字和连字符 - 组成，且以字母或数字开头"."""
    match = _FIRST_THEN_REST.fullmatch(pattern)
    if match:
        first, rest = (_CLASS_PART.findall(group) for group in match.groups())
        if "".join(first) == match[1] and "".join(rest) == match[2]:
            allowed = [_CHARACTER_CLASSES[c][0] for c in rest]
            allowed_text = "、".join(allowed[:-1]) + "和" + allowed[-1] if len(allowed) > 1 else allowed[0]
            starts = "或".join(_CHARACTER_CLASSES[c][1] for c in first)
            return f"只能由{_spaced(allowed_text)}组成，且以{_spaced(starts)}开头"
    return f"格式不对：应符合 {pattern}"


def _spaced(words: str) -> str:
    """A space between a trailing "-" or "_" and the Chinese that follows."""
    return words + " " if words[-1].isascii() else words


def _model_at(root: object, rel_path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at `rel_path` below `root`."""
    current = root
    for part in rel_path:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _shape(kind: str, root: object, rel_path: Path) -> str:
    """What a nested value should look like, after "应为一组字段（映射）" or "应为列表": the
    record's fields (required ones first) and a one-line example, both read from the model."""
    from .models import field_parts

    if kind in ("dict_type", "model_type", "model_attributes_type"):
        model = _model_at(root, rel_path)
        if model is None:
            return ""
        owner = _model_at(root, rel_path[:-1]) if rel_path and isinstance(rel_path[-1], str) else None
        info = owner.model_fields.get(rel_path[-1]) if owner else None
        given = _EXAMPLE_FLOW.search(info.description or "") if info else None  # the field's own example
        return f"。{_title(model)}的字段有 {_field_list(model)}；例如 {given.group() if given else example_of(model)}"
    if kind == "list_type":
        if rel_path:
            owner = _model_at(root, rel_path[:-1])
            info = owner.model_fields.get(str(rel_path[-1])) if owner else None
            if info is None:
                return ""
            _, item, is_list = field_parts(info.annotation, info.metadata)
        else:
            _, item, is_list = field_parts(root)
        if item is None or not is_list:
            return ""
        return f"。每一项是一条{_title(item)}，如：- {example_of(item)}"
    return ""


def _title(model: type[BaseModel]) -> str:
    return model.model_config.get("title") or model.__name__


def _own_fields_first(model: type[BaseModel]) -> list[str]:
    """The fields a model declares itself, then those it inherits (basis, note, source …)."""
    inherited = {name for base in model.__mro__[1:] for name in getattr(base, "model_fields", {})}
    return [n for n in model.model_fields if n not in inherited] + [n for n in model.model_fields if n in inherited]


def _field_list(model: type[BaseModel]) -> str:
    names = _own_fields_first(model)
    required = [f"{n}（必填）" for n in names if model.model_fields[n].is_required()]
    return "、".join(required + [n for n in names if not model.model_fields[n].is_required()])


def example_of(model: type[BaseModel], depth: int = 0) -> str:
    """A one-line example of a record in YAML flow style, derived from the model: its required
    fields and the optional ones whose description gives an example (“如 …”), each with the value
    its description names, or the first of its choices. A model whose derived example reads badly
    may give its own: `json_schema_extra={"examples": ["{…}"]}`."""
    extra = model.model_config.get("json_schema_extra")
    if isinstance(extra, dict) and extra.get("examples"):
        return str(extra["examples"][0])
    def exemplified(name: str) -> bool:
        info = model.model_fields[name]
        return info.is_required() or "如" in (info.description or "")

    own = [n for n in _own_fields_first(model) if n in vars(model).get("__annotations__", {})]
    # a record whose own fields are all optional still shows its first (a participant's unit)
    fallback = own[0] if own and not any(map(exemplified, own)) else None
    shown = []
    for name in _own_fields_first(model):
        if exemplified(name) or name == fallback:
            value = _example_value(model.model_fields[name], depth)
            if value is not None:
                shown.append(f"{name}: {value}")
    return "{" + ", ".join(shown) + "}"


_EXAMPLE_QUOTED = re.compile(r"如\s*“([^”]+)”")
_EXAMPLE_WORD = re.compile(r"如\s*([^\s，、；,;()“”]+)")
_EXAMPLE_FLOW = re.compile(r"(?<=如 )\{[^{}]*\}")
_EXAMPLE_DATE = re.compile(r"\b\d{4}(?:-\d{2}){0,2}\b")
_FLOW_SPECIAL = re.compile(r"[,:{}\[\]#&*!|>'\"%@`]|^[-?]|^\d")


def _example_value(info: FieldInfo, depth: int) -> str | None:
    from . import models

    markers, inner, is_list = models.field_parts(info.annotation, info.metadata)
    if is_list or typing.get_origin(_unwrap(info.annotation)) is dict:
        return None
    description = info.description or ""
    if inner is not None:
        given = _EXAMPLE_FLOW.search(description)
        return given.group() if given else example_of(inner, depth + 1) if depth < 1 else None
    annotation = _unwrap(info.annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return str(typing.get_args(annotation)[0])
    if any(getattr(m, "func", None) is models._check_date for m in markers):
        found = _EXAMPLE_DATE.search(description)
        return found.group() if found else "2020"
    if annotation in (int, float) or typing.get_args(annotation) == (int, float):
        numbers = re.findall(r"\d+", description)
        return numbers[-1] if numbers else "1"
    if annotation is bool:
        return "true"
    found = _EXAMPLE_QUOTED.search(description) or _EXAMPLE_WORD.search(description)
    text = found.group(1) if found else "…"
    if text.endswith("）") and text.count("（") < text.count("）"):
        text = text[:-1]  # the example closed a parenthesis the description opened
    return f'"{text}"' if _FLOW_SPECIAL.search(text) else text


def _unwrap(annotation: object) -> object:
    """`Unit | None` → `Unit`; `Annotated[Photo, …]` → `Photo`; `list[Unit]` stays a list."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = members[0] if len(members) == 1 else annotation
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _unknown_field(key: str, model: type[BaseModel] | None) -> str:
    if key.isprintable() and re.search(r"[\u4e00-\u9fff]", key):
        # Field names are English; Chinese here is text cut off by a comma of the one-line
        # `{doc: …, quote: 甲，乙}` form (an ASCII "," ends a value there), or a missing colon.
        return (f"“{key}” 不是字段名（字段名都是英文）：多半是文字里的英文逗号 “,” 把文字截断了——在 {{…}} "
                "一行的写法里逗号分隔字段。请给整段文字加英文双引号，如 quote: \"甲,乙\"")
    if model is None:
        return f"未知字段 “{key}”"
    fields = list(model.model_fields)
    close = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
    if close:
        return f"未知字段 “{key}”（是否指 “{close[0]}”？）"
    listed_elsewhere = _top_level_list(key)
    if listed_elsewhere:  # `people:` under an action, say: those records have their own list
        file, collection_title = listed_elsewhere
        pointer = _field_referring_to(model, key)
        where = (f"；要在这里点名，请写在 {pointer[0]} 里，每项写 “{pointer[1]}: id”" if pointer else "")
        return f"“{key}” 不能写在这里：它是 {file} 顶层的列表（{collection_title}）{where}"
    owners = _records_with_field(key)
    if owners:  # a block pasted without its indentation: `website:` at the left margin
        return (f"“{key}” 不能写在这里：它是{'、'.join(owners)}的字段，应缩进到那条记录里面"
                f"（与该记录的 id 左端对齐）")
    return f"未知字段 “{key}”；可用的字段：{'、'.join(fields)}"


def _top_level_list(key: str) -> tuple[str, str] | None:
    """(data file, description) when `key` is a top-level list of a data file ("people")."""
    from . import models

    for file, file_model in models.FILE_MODELS.items():
        info = file_model.model_fields.get(key)
        if info is not None:
            return f"data/{file}", info.description or key
    return None


def _field_referring_to(model: type[BaseModel], collection: str) -> tuple[str, str] | None:
    """(list field of `model`, field of its items) that refers to records of `collection`: where
    an editor names such a record inside this one (participants → person for people)."""
    from . import models

    for name, info in model.model_fields.items():
        _, item_model, is_list = models.field_parts(info.annotation, info.metadata)
        if item_model is None or not is_list:
            continue
        for item_field, item_info in item_model.model_fields.items():
            markers, _, _ = models.field_parts(item_info.annotation, item_info.metadata)
            if any(isinstance(m, models.RefTo) and m.collection == collection and not m.within for m in markers):
                return name, item_field
    return None


def _records_with_field(key: str) -> list[str]:
    """Titles of the record models that have a field `key` ("单位", "人物" …); not the files."""
    from . import models

    files = set(models.FILE_MODELS.values())
    titles = []
    for value in vars(models).values():
        if (isinstance(value, type) and issubclass(value, models.Model) and key in value.model_fields
                and value.model_config.get("title") and value is not models.Sourced and value not in files):
            titles.append(value.model_config["title"])
    return sorted(set(titles))


def _problem(loaded: Loaded, path: Path, message: str, *, key: bool = False) -> Problem:
    line, column = loaded.locate(path, key=key)
    return Problem(loaded.file, line, column, format_path(path), message)
