"""Checks across records on the v2 model: references declared on the types, ids unique in their
namespace, one name per unit and per person, members against declared counts, award rolls,
sections only in work reports, one snapshot per date; and the shape of a nested value in the
messages of validation. Each test builds a small v2 dataset in code."""

from __future__ import annotations

import copy
import time

import pytest
import yaml

from showcase import models
from showcase.dataset import load_dataset
from showcase.names import build_name_index

STATED = {"basis": "stated"}


def base() -> tuple[dict, dict]:
    """A small valid v2 dataset: every kind of record once, every reference field filled in."""
    units = {
        "sources": [
            {"id": "report-2020", "kind": "work-report", "title": "2020年工作情况", "date": 2020},
            {"id": "news-2024", "kind": "news", "title": "学雷锋志愿服务", "date": "2024-03-02"},
        ],
        "committee": {
            "name": "海淀区文明委", **STATED,
            "platforms": [{"id": "wechat", "name": "工作群", "kind": "微信群", **STATED}],
            "snapshots": [
                {"date": 2020, **STATED, "source": {"doc": "report-2020"},
                 "membership": {"total": 30, **STATED},
                 "groups": [{"group": "resident", "name": "驻区单位", "declared_count": 20, **STATED}],
                 "category_counts": [{"category": "university", "declared_count": 3, **STATED}]},
                {"date": 2021, **STATED,
                 "category_counts": [{"category": "university", "declared_count": 2, **STATED}]},
            ],
        },
        "categories": [
            {"id": "university", "name": "高校", "group": "resident", **STATED},
            {"id": "other", "name": "其他单位", "group": "none", **STATED},
        ],
        "honour_types": [
            {"id": "beijing-role-model", "name": "北京榜样", "level": "municipal", "kind": "award", **STATED,
             "grades": [{"id": "annual", "name": "年榜人物"}, {"id": "monthly", "name": "月榜"}]},
        ],
        "units": [
            {"id": "pku", "name": "北京大学", "aliases": ["北大"], "category": "university",
             "membership": "stated", **STATED,
             "honours": [{"type": "beijing-role-model", "grade": "annual", "date": 2020, "status": "awarded",
                          **STATED}]},
            {"id": "tsinghua", "name": "清华大学", "category": "university", "membership": "stated",
             "parent": "pku", **STATED},
            {"id": "park", "name": "香山公园", "category": "university", "membership": "unknown", **STATED},
        ],
        "people": [
            {"id": "zhang-san", "name": "张三", "unit": "pku", **STATED,
             "honours": [{"type": "beijing-role-model", "grade": "monthly", "status": "awarded", **STATED}]},
            {"id": "zhang-san-2", "name": "张三", "unit": "tsinghua", **STATED},
            {"id": "li-si", "name": "李四", "affiliation": "国家游泳队运动员", "unit": "pku", **STATED},
            {"id": "team", "kind": "group", "name": "雷锋车队", **STATED},
        ],
        "rolls": [
            {"id": "role-model-2024", "type": "beijing-role-model", "date": 2024, "grade": "annual", **STATED,
             "names": "北京大学\n李四\n王五\n"},
        ],
    }
    activities = {
        "activities": [
            {"id": "volunteers", "title": "学雷锋", "period": {"start": "2024-03-02"}, **STATED,
             "source": {"doc": "news-2024"},
             "actions": [
                 {"id": "a1", "title": "志愿服务", **STATED, "honours": ["beijing-role-model"],
                  "participants": [{"unit": "pku", **STATED}, {"person": "team", **STATED},
                                   {"person": "li-si", **STATED}]},
             ]},
            {"id": "report-work", "title": "搭平台", "section": "二（一）", "period": {"start": 2020},
             **STATED, "source": {"doc": "report-2020"}},
        ],
    }
    return units, activities


def check(tmp_path, units: dict, activities: dict, *, units_text: str | None = None) -> list[str]:
    """The problems `make check` prints for these data, one line each (`data/units.yaml:12:5  …`)."""
    (tmp_path / "units.yaml").write_text(
        units_text or yaml.safe_dump(units, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (tmp_path / "activities.yaml").write_text(
        yaml.safe_dump(activities, allow_unicode=True, sort_keys=False), encoding="utf-8")
    dataset, report = load_dataset(str(tmp_path), display_dir="data")
    return [str(problem) for problem in report.problems] if report else []


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line number of the `nth` line of `text` that reads `needle` (list dash and
    indentation aside)."""
    hits = [i for i, line in enumerate(text.split("\n"), 1) if line.strip().lstrip("- ") == needle]
    return hits[nth - 1]


def test_base_is_valid(tmp_path):
    assert check(tmp_path, *base()) == []


# -- references: every field whose type carries RefTo ---------------------------------------------

def _ref_fields() -> set[tuple[str, str]]:
    """(model, field) of every reference declared in the models, read from the types."""
    found = set()
    for model in models.all_models():
        for name, info in model.model_fields.items():
            markers, _, _ = models.field_parts(info.annotation, info.metadata)
            if any(isinstance(m, models.RefTo) for m in markers):
                found.add((model.__name__, name))
    return found


def _ref_slots(value, model, path=()):
    """(model, field, path to one value) of every reference the data fills in."""
    if not isinstance(value, dict):
        return
    for name, info in model.model_fields.items():
        if name not in value:
            continue
        markers, inner, is_list = models.field_parts(info.annotation, info.metadata)
        at = (*path, name)
        if any(isinstance(m, models.RefTo) for m in markers):
            yield model.__name__, name, (*at, 0) if is_list else at
        elif inner is not None and is_list:
            for k, item in enumerate(value[name]):
                yield from _ref_slots(item, inner, (*at, k))
        elif inner is not None:
            yield from _ref_slots(value[name], inner, at)


def _set(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _dotted(path) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def test_every_reference_field_of_the_models_is_resolved(tmp_path):
    """A new `RefTo` field costs one line in models.py and is checked at once: here every
    reference field the models declare is filled in the base data, and a wrong id in each one
    alone gives exactly one located “没有 id 为 …” problem."""
    units, activities = base()
    slots = [("units", *s) for s in _ref_slots(units, models.UnitsFile)]
    slots += [("activities", *s) for s in _ref_slots(activities, models.ActivitiesFile)]
    assert {(m, f) for _, m, f, _ in slots} == _ref_fields()  # the base covers every reference field
    for file, model, name, path in slots:
        data = {"units": copy.deepcopy(units), "activities": copy.deepcopy(activities)}
        _set(data[file], path, "nosuch-id")
        problems = check(tmp_path, data["units"], data["activities"])
        wanted = f"data/{file}.yaml:"
        assert len(problems) == 1, (model, name, problems)
        assert problems[0].startswith(wanted) and f"  {_dotted(path)}：" in problems[0], problems
        assert "没有 id 为 “nosuch-id” 的" in problems[0], problems
        text = (tmp_path / f"{file}.yaml").read_text(encoding="utf-8")
        line = int(problems[0].split(":")[1])
        assert "nosuch-id" in text.split("\n")[line - 1]


def test_reference_messages_name_the_target_and_suggest(tmp_path):
    units, activities = base()
    activities["activities"][0]["actions"][0]["participants"][0]["unit"] = "北京大學"  # a name, traditional
    units["people"][0]["unit"] = "tsinghau"
    units["units"][0]["category"] = "高校"
    units["units"][0]["honours"][0]["grade"] = "月榜"
    units["people"][0]["honours"][0]["grade"] = "weekly"
    problems = check(tmp_path, units, activities)
    assert any("people[0].unit：没有 id 为 “tsinghau” 的单位（是否指 “tsinghua”？）" in p for p in problems)
    assert any("units[0].category：没有 id 为 “高校” 的单位类别（“高校” 是名称，这里要写 id：“university”）" in p
               for p in problems)
    assert any("units[0].honours[0].grade：荣誉类型 “beijing-role-model” 没有 id 为 “月榜” 的等级"
               "（“月榜” 是名称，这里要写 id：“monthly”）" in p for p in problems)
    assert any("people[0].honours[0].grade：荣誉类型 “beijing-role-model” 没有 id 为 “weekly” 的等级"
               "（可写：annual、monthly）" in p for p in problems)
    assert any("participants[0].unit：没有 id 为 “北京大學” 的单位（“北京大學” 是名称，这里要写 id：“pku”）" in p
               for p in problems)


def test_grade_of_a_type_without_grades(tmp_path):
    units, activities = base()
    del units["honour_types"][0]["grades"]
    units["rolls"][0]["grade"] = "annual"
    problems = check(tmp_path, units, activities)
    assert any("rolls[0].grade：荣誉类型 “beijing-role-model” 没有列出任何等级（grades）" in p for p in problems)


def test_a_broken_record_still_takes_part(tmp_path):
    """The walker reads the raw data: a person that fails validation still has its unit checked."""
    units, activities = base()
    units["people"][1].update(titles="not a list", unit="nowhere")
    problems = check(tmp_path, units, activities)
    assert any("people[1].titles：应为列表" in p for p in problems)
    assert any("people[1].unit：没有 id 为 “nowhere” 的单位" in p for p in problems)


# -- ids: one namespace per list ------------------------------------------------------------------

def test_ids_unique_per_list_with_the_models_titles(tmp_path):
    units, activities = base()
    units["units"][2]["id"] = "pku"
    units["people"][1]["id"] = "zhang-san"
    units["honour_types"][0]["grades"][1]["id"] = "annual"
    units["committee"]["platforms"].append({"id": "wechat", "name": "另一个群", "kind": "微信群", **STATED})
    activities["activities"][0]["actions"].append({"id": "a1", "title": "另一项", **STATED})
    activities["activities"][1]["actions"] = [{"id": "a1", "title": "别的活动里的 a1 可以", **STATED}]
    problems = check(tmp_path, units, activities)
    text = (tmp_path / "units.yaml").read_text(encoding="utf-8")
    first_pku = line_of(text, "id: pku")
    assert any(f"units[2].id：单位 id “pku” 重复（第 {first_pku} 行 units[0] 已使用）" in p for p in problems)
    assert any("people[1].id：人物或集体 id “zhang-san” 重复" in p for p in problems)
    assert any("grades[1].id：等级 id “annual” 重复" in p for p in problems)
    assert any("platforms[1].id：交流平台 id “wechat” 重复" in p for p in problems)
    assert any("activities[0].actions[1].id：具体行动 id “a1” 重复" in p for p in problems)
    assert not any("activities[1].actions[0].id" in p for p in problems)
    # a unit and a person may share an id: they are different lists (and pages)
    units, activities = base()
    units["people"][1]["id"] = "pku"
    assert check(tmp_path, units, activities) == []


# -- one name per unit, per person ----------------------------------------------------------------

def test_one_name_per_unit(tmp_path):
    units, activities = base()
    units["units"][2]["aliases"] = ["北京 大學"]
    del units["rolls"]  # its 北京大学 would now name two units: told too, but not the point here
    problems = check(tmp_path, units, activities)
    assert len(problems) == 1 and "units[2].aliases[0]：名称 “北京 大學” 与第" in problems[0]
    assert "单位 “pku” 的 “北京大学” 是同一名称" in problems[0]


def test_people_namesakes_differ_by_unit_or_affiliation(tmp_path):
    units, activities = base()
    units["people"].append({"id": "zhang-san-3", "name": "張三", "unit": "pku", **STATED})
    problems = check(tmp_path, units, activities)
    text = (tmp_path / "units.yaml").read_text(encoding="utf-8")
    assert len(problems) == 1, problems
    assert f"data/units.yaml:{line_of(text, 'name: 張三')}:" in problems[0]
    assert (f"people[4].name：人物 “張三” 与第 {line_of(text, 'name: 张三')} 行的 “zhang-san” 同名，"
            "且同属单位 “pku”：同一人只应写一条记录") in problems[0]
    # the same name with another affiliation (same unit) is another person
    units["people"][4]["affiliation"] = "校医院医生"
    assert check(tmp_path, units, activities) == []
    # two people without unit or affiliation
    units, activities = base()
    units["people"].append({"id": "team-2", "kind": "group", "name": "雷锋车队", **STATED})
    problems = check(tmp_path, units, activities)
    assert len(problems) == 1 and "都没有写所在单位（unit）" in problems[0]


# -- declared counts: members only ----------------------------------------------------------------

def test_members_only_count_against_the_largest_declared(tmp_path):
    units, activities = base()
    # two more member universities: more than the largest declared count (3, in 2020; 2 in 2021)
    units["units"].append({"id": "ruc", "name": "中国人民大学", "category": "university",
                           "membership": "inferred", **STATED})
    units["units"].append({"id": "bnu", "name": "北京师范大学", "category": "university",
                           "membership": "stated", **STATED})
    problems = check(tmp_path, units, activities)
    text = (tmp_path / "units.yaml").read_text(encoding="utf-8")
    assert len(problems) == 1, problems
    assert f"data/units.yaml:{line_of(text, 'declared_count: 3')}:" in problems[0]
    assert ("committee.snapshots[0].category_counts[0].declared_count：类别 “高校” 列为成员单位的有 4 家，"
            "超过文明委概况所述的 3 家（2020年）：不是成员单位的请把 membership 改为 unknown；"
            "若成员数已变化，请新增一期概况（committee.snapshots）") in problems[0]
    # listed but not a member: not counted
    units["units"][-1]["membership"] = units["units"][-2]["membership"] = "unknown"
    assert check(tmp_path, units, activities) == []


def test_snapshot_sums(tmp_path):
    units, activities = base()
    snapshot = units["committee"]["snapshots"][0]
    snapshot["category_counts"][0]["declared_count"] = 25   # > resident group's 20
    snapshot["groups"].append({"group": "district", "name": "区属单位", "declared_count": 15, **STATED})  # 35 > 30
    problems = check(tmp_path, units, activities)
    assert any("snapshots[0].groups[0].declared_count：驻区单位共 20 家（2020年），但这期概况中属于该组的各类别"
               "成员数（category_counts 的 declared_count）合计 25 家：请核对这两处数字" in p for p in problems)
    assert any("snapshots[0].membership.total：成员单位总数 30 家（2020年），但这期概况的分组"
               "（groups 的 declared_count）合计 35 家：请核对这两处数字" in p for p in problems)
    assert len(problems) == 2, problems


def test_one_snapshot_per_date(tmp_path):
    units, activities = base()
    units["committee"]["snapshots"][1]["date"] = "2020"
    problems = check(tmp_path, units, activities)
    text = (tmp_path / "units.yaml").read_text(encoding="utf-8")
    assert len(problems) == 1, problems
    assert f"data/units.yaml:{line_of(text, 'date: ' + repr('2020'))}:" in problems[0]
    assert (f"committee.snapshots[1].date：同一时间只能有一期概况：第 {line_of(text, 'date: 2020', 2)} 行的概况"
            "也是 2020年") in problems[0]


# -- sections only in work reports ----------------------------------------------------------------

def test_section_only_for_a_work_report(tmp_path):
    units, activities = base()
    activities["activities"][0]["section"] = "新闻报道（无章节）"
    del activities["activities"][1]["source"]
    problems = check(tmp_path, units, activities)
    text = (tmp_path / "activities.yaml").read_text(encoding="utf-8")
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"data/activities.yaml:{line_of(text, 'section: 新闻报道（无章节）')}:")
    assert ("activities[0].section：section 只用于工作材料（work-report）的章节，而本活动的来源 “news-2024” "
            "是新闻报道（kind: news）：请删去 section") in problems[0]
    assert "activities[1].section：section 是工作材料（work-report）中的章节，只有注明了出处的活动才能写" in problems[1]


# -- award rolls ----------------------------------------------------------------------------------

ROLL_HEAD = """- id: roll-test
  type: beijing-role-model
  date: 2024
  basis: stated
  names: |
"""


def _with_roll(units: dict, entries: list[str]) -> str:
    """units.yaml text with one more roll, its names in a block scalar (as an editor pastes them)."""
    units = copy.deepcopy(units)
    text = yaml.safe_dump(units, allow_unicode=True, sort_keys=False)
    return text + ROLL_HEAD + "".join(f"    {entry}\n" for entry in entries)


def test_roll_entry_matching_two_records_is_located_at_its_own_line(tmp_path):
    units, activities = base()
    text = _with_roll(units, ["1. 北京大学", "", "2. 张三", "3. 张三（清华大学）", "4. 赵六"])
    problems = check(tmp_path, units, activities, units_text=text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"data/units.yaml:{line_of(text, '2. 张三')}:5  rolls[1].names："), problems
    assert ("名单中的 “张三” 同时对应 人物 “zhang-san”（北京大学）、人物 “zhang-san-2”（清华大学）："
            "请在名字后用括号写明所在单位或身份，如 “张三（北京大学）”") in problems[0]


def test_roll_affiliation_picks_one_namesake():
    units, _ = base()
    index = build_name_index(units["units"], units["people"])
    assert index.match("张三") == [("people", "zhang-san"), ("people", "zhang-san-2")]
    assert index.match("张三（北大）") == [("people", "zhang-san")]          # the unit by its alias
    assert index.match("张三 清华大学教授") == [("people", "zhang-san-2")]
    assert index.match("李四（国家游泳队运动员）") == [("people", "li-si")]  # only one: matched by name anyway
    assert index.match("张三（人民大学）") == []  # a namesake the data does not have
    assert index.match("李四（北京体育大学）") == []
    assert index.match("雷锋车队（海淀）") == [("people", "team")]  # no unit or affiliation to compare
    assert index.match("北京大学（海淀校区）") == [("units", "pku")]
    assert index.match("北京大學") == [("units", "pku")]


def test_roll_entry_twice(tmp_path):
    units, activities = base()
    text = _with_roll(units, ["王五", "李四", "王 五"])
    problems = check(tmp_path, units, activities, units_text=text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"data/units.yaml:{line_of(text, '王 五')}:5  rolls[1].names：")
    assert f"名单中 “王 五” 重复（第 {line_of(text, '王五', 2)} 行已有 “王五”）：请删去其中一行" in problems[0]


def test_roll_in_one_line_is_located_at_its_value(tmp_path):
    units, activities = base()
    units["rolls"][0]["names"] = "张三"
    problems = check(tmp_path, units, activities)
    text = (tmp_path / "units.yaml").read_text(encoding="utf-8")
    assert len(problems) == 1 and problems[0].startswith(f"data/units.yaml:{line_of(text, 'names: 张三')}:")


def test_a_roll_of_500_names_costs_little(tmp_path):
    units, activities = base()
    units["units"] += [{"id": f"u{k}", "name": f"第{k}文明单位", "category": "other", "membership": "unknown",
                        **STATED} for k in range(200)]
    entries = [f"{k + 1}. 第{k}文明单位" if k < 200 else f"{k + 1}. 好人{k}号" for k in range(500)]
    text = _with_roll(units, entries)
    check(tmp_path, base()[0], activities)  # warm up: imports, the character tables
    start = time.perf_counter()
    with_roll = check(tmp_path, units, activities, units_text=text)
    with_roll_time = time.perf_counter() - start
    start = time.perf_counter()
    check(tmp_path, units, activities)
    without = time.perf_counter() - start
    assert with_roll == []
    assert with_roll_time - without < 0.5, (with_roll_time, without)


# -- participants ---------------------------------------------------------------------------------

def test_person_refs_without_any_people(tmp_path):
    units, activities = base()
    del units["people"], units["rolls"]
    problems = check(tmp_path, units, activities)
    assert len(problems) == 2 and all("的人物或集体" in p for p in problems), problems


def test_participant_person_refs(tmp_path):
    units, activities = base()
    activities["activities"][0]["actions"][0]["participants"][1]["person"] = "雷锋车队"
    problems = check(tmp_path, units, activities)
    assert len(problems) == 1
    assert "participants[1].person：没有 id 为 “雷锋车队” 的人物或集体（“雷锋车队” 是名称，这里要写 id：“team”）" in problems[0]


# -- the shape of a nested value in validation messages -------------------------------------------

def test_a_mapping_expected_lists_the_fields_and_an_example(tmp_path):
    units, activities = base()
    activities["activities"][0]["actions"][0]["participant_count"] = 111
    problems = check(tmp_path, units, activities)
    text = (tmp_path / "activities.yaml").read_text(encoding="utf-8")
    assert problems == [
        f"data/activities.yaml:{line_of(text, 'participant_count: 111')}:24  "
        "activities[0].actions[0].participant_count：应为一组字段（映射），实际是 数字 111。"
        "数字的字段有 label（必填）、value（必填）、basis（必填）、unit、qualifier、date、note、source、inferred；"
        "例如 {label: 参与单位, value: 36, unit: 家, basis: stated}"]


def test_a_record_expected_shows_an_example_derived_from_the_model(tmp_path):
    units, activities = base()
    activities["activities"][1]["period"] = 2020
    units["committee"]["snapshots"][0]["membership"] = 137
    problems = check(tmp_path, units, activities)
    assert any("activities[1].period：应为一组字段（映射），实际是 数字 2020。时间的字段有 start（必填）、end；"
               "例如 {start: 2020}" in p for p in problems)
    assert any("snapshots[0].membership：应为一组字段（映射），实际是 数字 137。成员总数的字段有 total（必填）、"
               "basis（必填）、note、source、inferred；例如 {total: 1, basis: stated}" in p for p in problems)


def test_a_list_of_records_expected_shows_one_item(tmp_path):
    units, activities = base()
    activities["activities"][0]["actions"][0]["participants"] = "北京大学"
    units["people"] = {"id": "x"}
    problems = check(tmp_path, units, activities)
    assert any("participants：应为列表（每项以 “- ” 开头），实际是 “北京大学”。每一项是一条参与者，如：- "
               "{unit: …, basis: stated}" in p for p in problems), problems
    assert any("people：应为列表（每项以 “- ” 开头），实际是" in p and "每一项是一条人物或集体，如：- "
               "{id: chen-wei, name: …, affiliation: 国家游泳队运动员, basis: stated}" in p for p in problems), problems


@pytest.mark.parametrize("model", sorted(
    {m for m in vars(models).values() if isinstance(m, type) and issubclass(m, models.Model)
     and m.model_config.get("title") and m is not models.Sourced}, key=lambda m: m.__name__))
def test_every_derived_example_is_valid_yaml_of_its_model(model):
    """The examples are derived, not written: each one must read as YAML and hold only the
    model's fields, its required ones included (a nested required record too)."""
    from showcase.validate import example_of

    example = yaml.safe_load(example_of(model))
    assert isinstance(example, dict)
    assert set(example) <= set(model.model_fields)
    required = {n for n, info in model.model_fields.items() if info.is_required()
                and models.field_parts(info.annotation, info.metadata)[2] is False}
    assert required <= set(example)


# -- free-text fields from the models -------------------------------------------------------------

def test_free_text_fields_are_read_from_the_types():
    fields = models.free_text_fields()
    for path in ("units[].name", "units[].aliases[]", "people[].affiliation", "rolls[].names",
                 "activities[].actions[].participants[].role", "committee.snapshots[].groups[].name",
                 "activities[].actions[].figures[].label", "units[].honours[].source.quote"):
        assert path in fields
    for path in ("units[].id", "units[].category", "units[].website", "rolls[].date", "sources[].kind",
                 "activities[].actions[].honours[]", "units[].honours[].grade", "people[].kind"):
        assert path not in fields
    keys = models.not_text_keys()
    assert {"id", "unit", "person", "grade", "date", "kind", "membership", "url"} <= keys
    assert not keys & {"name", "note", "summary", "quote", "names", "honours"}


# -- quotes: any source with a text file ----------------------------------------------------------

def test_quotes_are_checked_in_a_news_source(tmp_path):
    units, activities = base()
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "news.txt").write_text("第一行\n3月2日，志愿者来到社区。\n", encoding="utf-8")
    units["sources"][1]["file"] = "sources/news.txt"
    activities["activities"][0]["source"].update(quote="志愿者来到社区", loc="L1")
    activities["activities"][0]["actions"][0]["source"] = {"doc": "news-2024", "quote": "志愿者来到了社区"}
    problems = check(tmp_path, units, activities)
    assert len(problems) == 2, problems
    assert any("activities[0].source.loc：摘句不在第 1 行，而在原文第 2 行：请改正 loc" in p for p in problems)
    assert any("activities[0].actions[0].source.quote：摘句在原文中找不到" in p for p in problems)


def test_participants_of_every_kind_are_fine(tmp_path):
    """A person with both a unit and an affiliation (li-si), a group (team), a unit: all valid."""
    units, activities = base()
    participants = activities["activities"][0]["actions"][0]["participants"]
    assert {p.get("unit") or p.get("person") for p in participants} == {"pku", "team", "li-si"}
    assert check(tmp_path, units, activities) == []
