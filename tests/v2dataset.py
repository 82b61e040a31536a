"""A rich, entirely fictional data set in the second model, for tests of its pages.

Everything the issue of many sources asks the site to show has one instance here: a news item
of one day (no section, no report page of its own), an award list with a roll of 200 names
(some of them units or people of the data set, most not), three committee snapshots (137 member
units in 2020, 111 in 2021, 120 in 2024), a person without a member unit (affiliation only), a
group honoured as a group, honour grades, dated activities, and figures with 余 / 多 / 近.

No real person or unit: names are 测试… and the addresses are on example.cn.
"""

from __future__ import annotations

from pathlib import Path

import yaml

# What the tests look for, named once.
NEWS_SOURCE = "news-2024-03-02"
NEWS_TITLE = "测试晚报：测试街道学雷锋志愿服务日"
NEWS_ACTIVITY = "volunteer-day-2024"
CAMPAIGN = "civility-campaign-2021"
ROLL = "role-model-2024"
ROLL_SIZE = 200
PERSON_WITHOUT_UNIT = "test-athlete"
AFFILIATION = "测试国家队运动员"
GROUP = "test-volunteer-team"
SNAPSHOT_TOTALS = {"2020": 137, "2021": 111, "2024": 120}

_CHINESE_DIGITS = "〇一二三四五六七八九"


def _numeral(n: int) -> str:
    """1 → 一, 12 → 一二: distinct, readable, clearly invented names (测试单位一二)."""
    return "".join(_CHINESE_DIGITS[int(d)] for d in str(n))


def unit_name(n: int) -> str:
    return f"测试单位{_numeral(n)}"


UNIT_COUNT = 12
UNITS_IN_ROLL = range(1, 9)              # 8 units of the data set are on the roll
PEOPLE_IN_ROLL = ("测试人物一", "测试人物二")  # and two people
ROLL_ONLY_NAME = "测试名单人物{n}"  # the rest match nothing: plain text on the page


def _stated(doc: str, loc: str | None = None, **fields) -> dict:
    source = {"doc": doc, **({"loc": loc} if loc else {})}
    return {"basis": "stated", "source": source, **fields}


def sources() -> list[dict]:
    return [
        {"id": "report-2020", "kind": "work-report", "title": "测试文明委2020年工作情况",
         "publisher": "测试区委宣传部", "date": 2020},
        {"id": "report-2021", "kind": "work-report", "title": "测试文明委2021年工作总结",
         "publisher": "测试区委宣传部", "date": 2021},
        {"id": NEWS_SOURCE, "kind": "news", "title": NEWS_TITLE, "publisher": "测试晚报",
         "date": "2024-03-02", "url": "https://news.example.cn/2024/03/02/xueleifeng.html"},
        {"id": "award-list-2024", "kind": "award-list", "title": "关于2024年度测试榜样的通报",
         "publisher": "测试市委宣传部", "date": "2024-12", "url": "https://www.example.cn/bangyang/2024.html"},
        {"id": "web-2024", "kind": "web-page", "title": "测试文明委简介（网站）", "publisher": "测试文明网",
         "date": "2024-06", "url": "https://www.example.cn/about.html"},
    ]


def committee() -> dict:
    snapshots = [
        {"date": 2020, **_stated("report-2020", "第一段"),
         "directors": {"basis": "stated", "count": 2, "held_by": "区委书记、区长"},
         "membership": {"basis": "stated", "total": SNAPSHOT_TOTALS["2020"]},
         "groups": [{"basis": "stated", "group": "district", "name": "区属单位", "declared_count": 79},
                    {"basis": "stated", "group": "resident", "name": "驻区单位", "declared_count": 58}],
         "category_counts": [{"basis": "stated", "category": "university", "declared_count": 15}]},
        {"date": 2021, **_stated("report-2021", "第一段"),
         "membership": {"basis": "stated", "total": SNAPSHOT_TOTALS["2021"]},
         "category_counts": [{"basis": "stated", "category": "university", "declared_count": 12}]},
        {"date": "2024-06", **_stated("web-2024", "“组织机构”一栏"),
         "membership": {"basis": "stated", "total": SNAPSHOT_TOTALS["2024"]},
         "figures": [{"basis": "stated", "label": "实践阵地", "value": 300, "unit": "个", "qualifier": "近"}]},
    ]
    return {"basis": "stated", "name": "测试文明委", "full_name": "测试区精神文明建设委员会",
            "snapshots": snapshots}


def honour_types() -> list[dict]:
    return [
        {"basis": "stated", "id": "role-model", "name": "测试榜样", "level": "municipal", "kind": "award",
         "awarded_by": "测试市委宣传部",
         "grades": [{"id": "annual", "name": "年榜人物"}, {"id": "special", "name": "年度特别奖"},
                    {"id": "monthly", "name": "月榜"}, {"id": "nominee", "name": "提名奖"}]},
        {"basis": "stated", "id": "civilised-unit", "name": "测试文明单位", "level": "district",
         "kind": "designation", "grades": [{"id": "batch-1", "name": "第一批"}, {"id": "batch-2", "name": "第二批"}]},
    ]


def units() -> list[dict]:
    records = []
    for n in range(1, UNIT_COUNT + 1):
        unit = {"id": f"test-unit-{n}", **_stated("report-2020", f"第{n}段"), "name": unit_name(n),
                "category": "university" if n <= 6 else "district-unit",
                "membership": "stated" if n <= 10 else "unknown"}
        if n == 1:
            unit["website"] = "https://www.unit1.example.cn/"
            unit["honours"] = [{"basis": "stated", "type": "civilised-unit", "date": "2021-05",
                                "grade": "batch-2", "status": "designated",
                                "source": {"doc": "report-2021", "loc": "第二段"}}]
        records.append(unit)
    return records


def people() -> list[dict]:
    return [
        {"id": "test-person-1", **_stated("report-2020", "第三段"), "name": "测试人物一", "unit": "test-unit-1",
         "titles": ["测试医院护士长"],
         "honours": [{"basis": "stated", "type": "role-model", "date": "2024-12", "grade": "annual",
                      "status": "awarded", "source": {"doc": "award-list-2024"}}]},
        {"id": "test-person-2", **_stated("award-list-2024"), "name": "测试人物二", "unit": "test-unit-2",
         "honours": [{"basis": "stated", "type": "role-model", "date": "2024-05", "grade": "monthly",
                      "status": "awarded", "source": {"doc": "award-list-2024"}}]},
        {"id": PERSON_WITHOUT_UNIT, **_stated("award-list-2024"), "name": "测试运动员甲",
         "affiliation": AFFILIATION,
         "honours": [{"basis": "stated", "type": "role-model", "date": "2024-12", "grade": "special",
                      "status": "awarded", "source": {"doc": "award-list-2024"}}]},
        {"id": GROUP, "kind": "group", **_stated(NEWS_SOURCE, "第二段"), "name": "测试志愿服务队",
         "unit": "test-unit-3",
         "honours": [{"basis": "stated", "type": "role-model", "date": "2024-12", "grade": "nominee",
                      "status": "awarded", "source": {"doc": "award-list-2024"}}]},
    ]


def roll_names() -> list[str]:
    """The 200 entries of the roll, in order: matched units and people first, then the rest."""
    names = [unit_name(n) for n in UNITS_IN_ROLL] + list(PEOPLE_IN_ROLL)
    names += [ROLL_ONLY_NAME.format(n=_numeral(n)) for n in range(1, ROLL_SIZE - len(names) + 1)]
    assert len(names) == ROLL_SIZE
    return names


def rolls() -> list[dict]:
    return [{"id": ROLL, **_stated("award-list-2024", "附件名单"), "type": "role-model", "date": "2024-12",
             "grade": "annual", "title": "2024年度测试榜样年榜", "names": "\n".join(roll_names()) + "\n"}]


def activities() -> list[dict]:
    news_day = {
        "id": NEWS_ACTIVITY, **_stated(NEWS_SOURCE, "第一段"), "title": "测试街道学雷锋志愿服务日",
        "period": {"start": "2024-03-02"},
        "summary": "测试街道组织成员单位开展学雷锋志愿服务。",
        "actions": [{
            "id": "service", **_stated(NEWS_SOURCE, "第二段"), "title": "志愿服务进社区",
            "participants": [{"basis": "stated", "unit": "test-unit-3", "role": "组织"},
                             {"basis": "stated", "person": GROUP, "role": "服务"}],
            "participant_count": {"basis": "stated", "label": "参与单位", "value": 40, "unit": "家",
                                  "qualifier": "余"},
            "figures": [{"basis": "stated", "label": "服务项目", "value": 100, "unit": "个", "qualifier": "多"},
                        {"basis": "stated", "label": "志愿者", "value": 300, "unit": "人", "qualifier": "近"}],
        }],
    }
    campaign = {
        "id": CAMPAIGN, **_stated("report-2021", "二（一）"), "title": "测试文明交通月活动",
        "section": "二（一）", "period": {"start": "2021-03", "end": "2021-05"},
        "actions": [
            {"id": "launch", **_stated("report-2021", "二（一）"), "title": "启动仪式",
             "period": {"start": "2021-03-05"},
             "participants": [{"basis": "stated", "unit": "test-unit-1", "role": "主办"},
                              {"basis": "stated", "person": "test-person-1", "role": "宣讲"}]},
            {"id": "patrol", **_stated("report-2021", "二（一）"), "title": "文明交通劝导",
             "period": {"start": "2021-04", "end": "2021-05"},
             "participants": [{"basis": "stated", "unit": "test-unit-2"}],
             "figures": [{"basis": "stated", "label": "劝导", "value": 900000, "unit": "人次",
                          "qualifier": "余"}]},
        ],
    }
    report_2020 = {
        "id": "clean-plate-2020", **_stated("report-2020", "二（二）"), "title": "测试光盘行动",
        "section": "二（二）", "period": {"start": 2020},
        "actions": [{"id": "pledge", **_stated("report-2020", "二（二）"), "title": "光盘打卡",
                     "participants": [{"basis": "stated", "unit": f"test-unit-{n}"} for n in (1, 4, 7)]}],
    }
    return [report_2020, campaign, news_day]


def data() -> tuple[dict, dict]:
    units_file = {
        "sources": sources(),
        "committee": committee(),
        "categories": [
            {"basis": "stated", "id": "university", "name": "高校", "group": "resident"},
            {"basis": "stated", "id": "district-unit", "name": "区属单位", "group": "district"},
        ],
        "honour_types": honour_types(),
        "units": units(),
        "people": people(),
        "rolls": rolls(),
    }
    return units_file, {"activities": activities()}


class _EditorsDumper(yaml.SafeDumper):
    """Multi-line text as a `|` block, one roll entry a line, as the guide tells editors to write it."""


_EditorsDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def write(folder: Path) -> Path:
    """The data set's two files in `folder` (created), as an editor would have written them."""
    folder.mkdir(parents=True, exist_ok=True)
    units_file, activities_file = data()
    for name, content in (("units.yaml", units_file), ("activities.yaml", activities_file)):
        text = yaml.dump(content, Dumper=_EditorsDumper, allow_unicode=True, sort_keys=False, width=4096)
        (folder / name).write_text("# 测试用的虚构数据，不是真实数据。\n" + text, encoding="utf-8")
    return folder
