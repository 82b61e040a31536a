"""Synthetic data for benchmarks: seeded, realistic Chinese names and text, shaped to stress the
code (a campaign with 2,000 participants, units with 30 honours, very long names). Never
written into data/: the benchmark writes it into a temporary project."""

from __future__ import annotations

import copy
import random

PLACES = ["海淀", "中关村", "学院路", "万寿路", "羊坊店", "甘家口", "八里庄", "紫竹院", "北下关", "北太平庄",
          "花园路", "清河", "西三旗", "上地", "马连洼", "香山", "青龙桥", "燕园", "清华园", "四季青", "温泉",
          "苏家坨", "西北旺", "东升", "曙光", "田村路", "永定路", "海淀镇"]
CORES = ["科技", "信息", "智能", "数字", "文化", "教育", "医疗", "航天", "生物", "材料", "能源", "环境", "交通",
         "软件", "网络", "数据", "光电", "农业", "出版", "传媒", "金融", "精密", "导航", "芯片", "健康"]
KINDS = {
    "district-unit": ["街道办事处", "社区服务中心", "文化馆", "图书馆", "中学", "小学", "卫生服务中心", "体育中心"],
    "resident-institution": ["研究所", "研究院", "设计院", "检测中心", "医院", "博物馆", "出版社"],
    "university": ["大学", "学院", "职业技术学院", "师范大学", "理工大学"],
    "military": ["部队干休所", "军事研究院", "装备研究所", "后勤保障中心"],
    "high-tech-enterprise": ["科技有限公司", "技术股份有限公司", "信息技术有限公司", "软件有限公司", "网络科技有限公司"],
    "other": ["公园", "植物园", "联合会", "协会", "基金会"],
}
# Shown on every page that names a unit's category, as the real data's names are.
CATEGORY_NAMES = {"district-unit": "区属单位", "resident-institution": "驻区机关事业科研院所", "university": "高校",
                  "military": "部队", "high-tech-enterprise": "高新企业", "other": "其他单位"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌宇浩凯秀梅琳晨曦子涵思远嘉怡欣然雨萱泽宇博文"
TITLES = ["党委书记", "院长", "副院长", "主任", "副主任", "总经理", "副总裁", "志愿服务队队长", "教授", "研究员", "社区书记"]
PHRASES = ["深入开展新时代文明实践", "组织志愿服务", "推进垃圾分类", "践行光盘行动", "开展文明城区创建",
           "弘扬社会主义核心价值观", "关爱抗疫一线医护人员", "举办读书分享会", "参与“我们的节日”活动",
           "推动科技创新成果惠及市民", "开展诚信建设", "组织文明交通劝导", "开展邻里互助", "推广全民健身",
           "举办科普讲座", "开放实验室和展馆", "参与社区治理", "开展结对帮扶"]
HONOUR_NAMES = [("全国文明单位", "national"), ("首都文明单位", "municipal"), ("中国好人", "national"),
                ("北京榜样", "municipal"), ("感动海淀", "district"), ("海淀区诚信创建典型", "district"),
                ("全国五一劳动奖状", "national"), ("首都劳动奖章", "municipal"), ("海淀区优秀志愿服务组织", "district"),
                ("全国青年文明号", "national"), ("北京市文明校园", "municipal"), ("海淀区文明社区", "district")]
THEMES = ["抗疫", "光盘行动", "垃圾分类", "新时代文明实践", "共同阅读", "文明交通", "志愿服务", "诚信海淀",
          "科技创新", "我们的节日", "文明校园", "邻里守望"]
SECTION_NUMERALS = "一二三四五六七八九十"


def _sentence(rng: random.Random, n: int = 3) -> str:
    return "，".join(rng.sample(PHRASES, n)) + "。"


GRADES = [{"id": "annual", "name": "年榜"}, {"id": "special", "name": "年度特别奖"}, {"id": "monthly", "name": "月榜"},
          {"id": "nominee", "name": "提名奖"}]
AFFILIATIONS = ["国家游泳队运动员", "社区志愿者", "退休教师", "快递员", "出租车司机", "外卖骑手", "个体工商户"]
GROUP_SUFFIXES = ["志愿服务队", "救援队", "青年突击队", "党员先锋队", "巾帼文明岗"]


def _date(rng: random.Random, year: int) -> int | str:
    """A year, a month or a day: all three precisions occur."""
    precision = rng.random()
    if precision < 0.4:
        return year
    if precision < 0.7:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def make_dataset(n_units: int, seed: int = 2020) -> tuple[dict, dict]:
    """`n_units` units and about n_units / 10 campaigns, as the two data files' contents (v2 model):
    people with and without a unit and groups, honours with grades and dates of every precision,
    three committee snapshots, award rolls whose names partly match units and people, news
    sources, and campaigns from work reports (with a section) and from news (without one)."""
    rng = random.Random(seed)
    source = {"doc": "bench", "loc": "合成数据"}
    categories = list(KINDS)
    units: list[dict] = []
    people: list[dict] = []
    names: set[str] = set()
    person_names: set[str] = set()

    def person_name() -> str:
        while True:  # unique: a roll entry naming two people would be ambiguous
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2, 2, 3])))
            if name not in person_names:
                person_names.add(name)
                return name

    honour_types = [{"id": f"h{i}", "name": name, "level": level, "kind": "award", "basis": "stated",
                     "awarded_by": "评选机构", "summary": f"{name}：" + _sentence(rng, 2),
                     **({"grades": copy.deepcopy(GRADES)} if i % 3 == 0 else {})}
                    for i, (name, level) in enumerate(HONOUR_NAMES)]

    def honour(k: int) -> dict:
        type_index = rng.randrange(len(honour_types))
        record = {"type": f"h{type_index}", "date": _date(rng, rng.randint(2005, 2024)),
                  "status": rng.choice(["awarded", "awarded", "awarded", "candidate"]), "basis": "stated"}
        if "grades" in honour_types[type_index] and k % 2 == 0:
            record["grade"] = rng.choice(GRADES)["id"]
        return record

    for i in range(n_units):
        category = categories[i % len(categories)] if i % 7 else "high-tech-enterprise"
        while True:
            name = rng.choice(PLACES) + rng.choice(CORES) + rng.choice(KINDS[category])
            if i % 97 == 0:  # very long names: wrapping, truncation in charts
                name = "中国" + "".join(rng.sample(CORES, 8)) + "综合" + rng.choice(KINDS[category]) + "海淀分部"
            if name not in names:
                break
            name = f"{name}第{len(names) % 97 + 1}分部"
            if name not in names:
                break
        names.add(name)
        # about 0.8 people per unit: 5,000 units stay under the 5,000 records a list may hold
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2]) if len(people) < 4500 else 0):
            people.append({"id": f"p{len(people) + 1}", "name": person_name(), "unit": f"u{i}",
                           "titles": rng.sample(TITLES, rng.randint(1, 2)), "basis": "stated",
                           "source": dict(source),
                           "honours": [honour(k) for k in range(rng.choice([0, 0, 1, 2]))]})
        n_honours = 30 if i % 250 == 1 else rng.choice([0, 0, 0, 1, 1, 2, 3])
        units.append({
            "id": f"u{i}", "name": name, "category": category,
            "membership": rng.choice(["stated", "inferred", "unknown"]),
            "summary": name + _sentence(rng, rng.randint(2, 5)),
            "honours": [honour(k) for k in range(n_honours)],
            "basis": "stated", "source": dict(source),
            **({"inferred": {"category": "按单位性质推断"}} if i % 5 == 0 else {}),
            **({"parent": f"u{i - 1}"} if i % 50 == 49 else {}),
        })
    for i in range(max(2, n_units // 20)):  # people of no member unit, and groups
        if i % 3 == 2:
            people.append({"id": f"g{i}", "kind": "group", "unit": f"u{rng.randrange(n_units)}",
                           "name": rng.choice(PLACES) + GROUP_SUFFIXES[i % len(GROUP_SUFFIXES)] + f"{i}",
                           "basis": "stated", "honours": [honour(0)]})
        else:
            people.append({"id": f"q{i}", "name": person_name(), "affiliation": rng.choice(AFFILIATIONS),
                           "summary": _sentence(rng, 2), "basis": "stated", "honours": [honour(k) for k in range(2)]})
    listed = {c: sum(1 for u in units if u["category"] == c) for c in categories}
    groups = {"district-unit": "district", "other": "none"}

    def snapshot(year: int, shrink: int) -> dict:
        # Declared counts are at least the units listed (the checks count members only).
        counts = {c: listed[c] + shrink for c in categories if c != "other"}
        district = counts["district-unit"]
        resident = sum(v for c, v in counts.items() if c not in groups)
        return {
            "date": year, "basis": "stated", "source": dict(source),
            "directors": {"count": 2, "held_by": "区委书记、区长", "basis": "stated"},
            "deputy_directors": {"count": 11, "held_by": "全部区委常委", "basis": "stated"},
            "membership": {"total": district + resident, "basis": "stated"},
            "groups": [{"group": "district", "name": "区属单位", "declared_count": district, "basis": "stated"},
                       {"group": "resident", "name": "驻区单位", "declared_count": resident, "basis": "stated"}],
            "category_counts": [{"category": c, "declared_count": v, "basis": "stated"} for c, v in counts.items()],
        }

    news = [{"id": f"news-{year}", "kind": "news", "title": f"{year}年志愿服务活动报道", "publisher": "北京日报",
             "date": f"{year}-03-{5 + year % 20:02d}", "url": f"https://www.example.cn/news/{year}"}
            for year in range(2016, 2025, 2)]
    rolls = []
    for r in range(max(1, n_units // 200)):
        type_index = 3 * (r % 4)  # types with grades
        entries = [u["name"] for u in rng.sample(units, min(5, len(units)))]
        entries += [p["name"] for p in rng.sample(people, min(5, len(people)))]
        entries += [person_name() for _ in range(40)]  # names of no record: plain text on the roll
        rng.shuffle(entries)
        rolls.append({"id": f"roll-{r}", "type": f"h{type_index}", "date": _date(rng, 2018 + r % 7),
                      "grade": GRADES[r % len(GRADES)]["id"], "title": f"{HONOUR_NAMES[type_index][0]}名单（{r + 1}）",
                      "basis": "stated", "source": {"doc": "bench-awards", "loc": "全文"},
                      "names": "\n".join(f"{n + 1}. {entry}" for n, entry in enumerate(entries)) + "\n"})
    units_file = {
        "sources": [{"id": "bench", "kind": "work-report", "title": "基准测试合成数据", "date": 2020,
                     "publisher": "合成数据", "note": "由 bench/synth.py 生成，不是真实数据"},
                    {"id": "bench-2022", "kind": "work-report", "title": "基准测试合成数据（2022）", "date": "2022-12"},
                    {"id": "bench-awards", "kind": "award-list", "title": "合成表彰名单", "date": 2023},
                    *news],
        "committee": {
            "name": "海淀区文明委", "slogan": "同心 合力 互联 共享", "summary": _sentence(rng, 4),
            "basis": "stated", "snapshots": [snapshot(2020, 3), snapshot(2021, 0), snapshot(2022, 1)],
        },
        "categories": [{"id": c, "name": CATEGORY_NAMES[c], "group": groups.get(c, "resident"), "basis": "stated"}
                       for c in categories],
        "honour_types": honour_types,
        "units": units,
        "people": people,
        "rolls": rolls,
    }
    activities = []
    for a in range(max(4, n_units // 10)):
        year = 2005 + a % 20
        from_news = a % 4 == 3 and news
        actions = []
        for b in range(rng.randint(2, 6)):
            size = min(2000, n_units) if (a, b) == (1, 0) else rng.randint(1, 20)
            members = rng.sample(range(n_units), min(size, n_units))
            participants = [{"unit": f"u{m}", "role": rng.choice(PHRASES), "basis": "stated"} for m in members]
            if b == 0 and people:
                participants.append({"person": rng.choice(people)["id"], "role": "参与", "basis": "stated"})
            actions.append({
                "id": f"a{a}-{b}", "title": f"{rng.choice(THEMES)}行动{b + 1}", "summary": _sentence(rng, 3),
                "keywords": rng.sample(THEMES, 3), "basis": "stated", "source": dict(source),
                **({"period": {"start": f"{year}-0{b + 1}"}} if b < 3 and a % 2 else {}),
                "participants": participants,
                "participant_count": {"label": "参与单位", "value": size + rng.randint(0, 30), "unit": "家",
                                      "basis": "stated"},
                "figures": [{"label": rng.choice(["志愿者", "服务时长", "参与群众", "宣传品"]),
                             "value": rng.randint(10, 100000), "unit": "人",
                             "qualifier": rng.choice([None, "近", "约", "余", "多"]), "basis": "stated"}],
                "honours": [f"h{rng.randrange(len(honour_types))}"],
            })
        doc = rng.choice(news)["id"] if from_news else "bench"
        activities.append({
            "id": f"c{a}", "title": f"{year}年{rng.choice(THEMES)}共建活动（{a + 1}）", "short_title": rng.choice(THEMES),
            **({} if from_news else {"section": f"二（{SECTION_NUMERALS[a % 10]}）"}),
            "period": {"start": year} if a % 3 else {"start": f"{year}-03-02", "end": f"{year}-03-05"},
            "summary": _sentence(rng, 4), "basis": "stated", "source": {"doc": doc, "loc": "合成数据"},
            "actions": actions,
        })
    for figure in (f for act in activities for action in act["actions"] for f in action["figures"]):
        if figure["qualifier"] is None:
            del figure["qualifier"]
    return units_file, {"activities": activities}


STRESS_UNITS, STRESS_NAME, STRESS_HONOURS, STRESS_PARTICIPANTS = 2000, 60, 50, 5000


def stress_dataset(seed: int = 2020) -> tuple[dict, dict]:
    """The stress shape of issue 14: 2,000 units with names of 60 characters and 50 honours each,
    and one campaign whose action names 5,000 participants (all the units, and 3,000 people).
    The longest lists the model allows meet the longest names: what no list page may print whole."""
    rng = random.Random(seed)
    units_file, activities_file = make_dataset(STRESS_UNITS, seed=seed)
    units = units_file["units"]
    types = units_file["honour_types"]
    for i, unit in enumerate(units):
        head = rng.choice(PLACES) + "".join(rng.sample(CORES, 12)) + rng.choice(KINDS[unit["category"]])
        tail = f"第{i + 1}分部"
        unit["name"] = (head * 2)[: STRESS_NAME - len(tail)] + tail  # unique by its tail
        unit["honours"] = [{"type": types[k % len(types)]["id"], "date": _date(rng, 2005 + k % 20),
                            "status": "awarded", "basis": "stated",
                            **({"grade": GRADES[k % len(GRADES)]["id"]} if "grades" in types[k % len(types)] else {})}
                           for k in range(STRESS_HONOURS)]
    people = units_file["people"]
    known = {p["name"] for p in people}
    n_people = STRESS_PARTICIPANTS - STRESS_UNITS
    while len(people) < n_people:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 3)) + rng.choice(SURNAMES)
        if name in known:
            continue
        known.add(name)
        people.append({"id": f"s{len(people)}", "name": name, "affiliation": rng.choice(AFFILIATIONS),
                       "basis": "stated"})
    participants = [{"unit": u["id"], "role": rng.choice(PHRASES), "basis": "stated"} for u in units]
    participants += [{"person": p["id"], "role": "参与", "basis": "stated"} for p in people[:n_people]]
    campaign = activities_file["activities"][0]
    campaign["actions"][0]["participants"] = participants
    campaign["actions"][0]["participant_count"]["value"] = len(participants)
    return units_file, activities_file
