"""Shared test tools: build a site from a data folder, read the built HTML as a person's
browser would see it, and make data files full of hostile values."""

from __future__ import annotations

import copy
import gzip
import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import yaml

from showcase.models import ALT_MAX, not_text_keys

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "cases" / "_base"


MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}

# The two runtimes the site builds on (README, "Runtimes"): the suite builds with the one the
# Makefile passes as MKDOCS (`make test MKDOCS=mkdocs`), else with the Makefile's default, and
# test_runtimes.py builds with the other one and compares.
RUNTIMES = ("properdocs", "mkdocs")
DEFAULT_RUNTIME = "properdocs"
RUNTIME = os.environ.get("MKDOCS") or DEFAULT_RUNTIME
if RUNTIME not in RUNTIMES:
    raise SystemExit(f"MKDOCS={RUNTIME!r}: the site builds with one of {', '.join(RUNTIMES)}")
OTHER_RUNTIME = next(runtime for runtime in RUNTIMES if runtime != RUNTIME)


def copy_project(workdir: Path, data_dir: Path) -> Path:
    """The project's site sources with `data_dir`'s files as its data, in `workdir`."""
    for name in ("hooks", "overrides", "docs"):
        shutil.copytree(ROOT / name, workdir / name, ignore=shutil.ignore_patterns("__pycache__"))
    for config in ("mkdocs.yml", "mkdocs-editorial.yml"):
        shutil.copy(ROOT / config, workdir / config)
    shutil.copytree(data_dir, workdir / "data", dirs_exist_ok=True)
    return workdir


# Page limits small enough that the real data's lists split (each over two or three pages): a site
# with every split kind of page (pages.PAGE_KINDS), built at the cost of the real data's.
SPLIT_LIMITS = {"INLINE_MAX": {"units": 10, "honours": 5, "people": 2, "activities": 2},
                "PER_PAGE": {"units": 3, "honours": 2, "people": 2, "activities": 2, "participants": 2}}

# The runtime run with pages.py's limits replaced first (the hooks import the module already loaded).
_WITH_LIMITS = """import json, os, runpy, sys
sys.path.insert(0, os.path.abspath("hooks"))
from showcase import pages
for name, values in json.loads(os.environ["TEST_PAGE_LIMITS"]).items():
    getattr(pages, name).update(values)
sys.argv[0] = sys.argv.pop(1)
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


@contextmanager
def page_limits(limits: dict | None):
    """pages.py's list limits replaced by `limits` (as SPLIT_LIMITS) in this process, then restored."""
    from showcase import pages

    saved = {name: dict(getattr(pages, name)) for name in limits or {}}
    try:
        for name, values in (limits or {}).items():
            getattr(pages, name).update(values)
        yield
    finally:
        for name, values in saved.items():
            getattr(pages, name).clear()
            getattr(pages, name).update(values)


def build_site(workdir: Path, data_dir: Path, env: dict | None = None, config: str = "mkdocs.yml",
               limits: dict | None = None, runtime: str = RUNTIME) -> Path:
    """Copy the project next to `data_dir`'s files and run a strict build, search index included:
    the public view, or with `config="mkdocs-editorial.yml"` the editorial one; with `limits`
    (as SPLIT_LIMITS), pages.py's list limits replaced by those; with `runtime`, on that one of
    RUNTIMES. Returns the built site folder. Fails the test with the runtime's output on error."""
    copy_project(workdir, data_dir)
    env = {**os.environ, **MKDOCS_ENV, **(env or {})}
    command = [sys.executable, "-m", runtime]
    if limits:
        command = [sys.executable, "-c", _WITH_LIMITS, runtime]
        env["TEST_PAGE_LIMITS"] = json.dumps(limits)
    result = subprocess.run(
        [*command, "build", "--strict", "-f", str(workdir / config), "-d", str(workdir / "site")],
        capture_output=True, text=True, env=env, cwd=workdir,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (workdir / "site" / "pagefind" / "pagefind-entry.json").is_file(), "no search index was built"
    return workdir / "site"


@dataclass
class HtmlPage:
    url: str                                   # site-relative: "units/pku/"
    title: str = ""
    text: str = ""                             # all visible text, entities decoded
    links: list[str] = field(default_factory=list)      # resolved site-relative hrefs (with #anchor)
    ids: set[str] = field(default_factory=set)
    scripts: list[tuple[dict, str]] = field(default_factory=list)  # (attrs, inline content)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, name, value)
    meta: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, page: HtmlPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str] = []
        self.in_title = False
        self.in_body = False
        self.script: tuple[dict, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.page.tags.append(tag)
        for k, v in a.items():
            self.page.attributes.append((tag, k, v))
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.page.links.append(a["href"])
        if tag == "meta" and "name" in a:
            self.page.meta[a["name"]] = a.get("content", "")
        if tag == "meta" and "property" in a:
            self.page.meta[a["property"]] = a.get("content", "")
        if tag == "body":
            self.in_body = True
        if tag == "title" and not self.in_body:  # not an SVG chart's <title>
            self.in_title = True
        if tag == "script":
            self.script = (a, [])

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "script" and self.script is not None:
            self.page.scripts.append((self.script[0], "".join(self.script[1])))
            self.script = None

    def handle_data(self, data):
        if self.script is not None:
            self.script[1].append(data)
        elif self.in_title:
            self.page.title += data
        else:
            self.page.text += data


def read_site(site: Path) -> dict[str, HtmlPage]:
    """Every HTML page of a built site, keyed by its URL ("" for home)."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        url = "" if rel == "index.html" else rel.removesuffix("index.html")
        page = HtmlPage(url)
        _Reader(page).feed(path.read_text(encoding="utf-8"))
        page.links = [_resolve(url, href) for href in page.links]
        pages[url] = page
    return pages


def _resolve(page_url: str, href: str) -> str:
    """Site-relative form of a link found on `page_url`; external links stay absolute."""
    if urlparse(href).scheme or href.startswith("//"):
        return href
    absolute = urljoin("http://site/" + page_url, href)
    parsed = urlparse(absolute)
    resolved = unquote(parsed.path).removeprefix("/")
    return resolved + (f"#{unquote(parsed.fragment)}" if parsed.fragment else "")


def search_pages(site: Path) -> dict[str, dict]:
    """The pages in the site's Pagefind index, by URL ("/units/pku/"): what Pagefind stored for
    each (`content` as segmented text, `meta.title`, `anchors`). Each fragment file is gzip of
    "pagefind_dcd" and JSON; the word index itself is binary and is queried in the browser."""
    pages = {}
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd"), path
        fragment = json.loads(raw[len(b"pagefind_dcd"):])
        pages[fragment["url"]] = fragment
    return pages


# -- hostile data ---------------------------------------------------------------------------

# Keys whose values are ids, references, choices, dates, numbers or URLs: everything else is
# free text. Read from the models' field types (`Name`, `Text`), so a new field is covered.
NOT_TEXT = not_text_keys()  # conftest puts hooks/ on sys.path


def payload(n: int) -> str:
    """One hostile value per field, numbered so a test can find where each one lands."""
    return (f'<script>alert({n})</script><img src=x onerror=alert({n})>'
            f'[m{n}](javascript:alert({n})) {{{{ {n}*7 }}}}{{% if 1 %}}J{n}{{% endif %}}'
            f'</script>"\'&amp; # H{n} {{: onclick="alert({n})" }} *e{n}* <!--c{n}-->')


# URLs that pass validation (http/https) yet try to break out of an attribute.
HOSTILE_URLS = ('https://example.org/"><script>alert(0)</script>', "https://example.org/?a=1&b=<x>")


def base_data() -> tuple[dict, dict]:
    """The minimal test dataset (tests/cases/_base) as plain data in the v2 model; a base still
    in the first model is migrated in memory with tools/migrate_v1_to_v2.py."""
    units = yaml.safe_load((BASE / "units.yaml").read_text(encoding="utf-8"))
    activities = yaml.safe_load((BASE / "activities.yaml").read_text(encoding="utf-8"))
    if "snapshots" not in units["committee"]:
        sys.path.insert(0, str(ROOT / "tools"))
        from migrate_v1_to_v2 import _yaml, migrate_activities, migrate_units

        loader = _yaml()
        units = json.loads(json.dumps(migrate_units(loader.load((BASE / "units.yaml").read_text(encoding="utf-8")))))
        activities = json.loads(json.dumps(migrate_activities(
            loader.load((BASE / "activities.yaml").read_text(encoding="utf-8")))))
        for snapshot in units["committee"]["snapshots"]:
            if snapshot.get("date") is None:  # the base's source has no year to date it by
                snapshot["date"] = 2020
    return units, activities


def rich_base() -> tuple[dict, dict]:
    """The minimal test dataset with every optional text field filled in, and one of each v2
    record: a person without a unit, a group, an award roll, an honour type with grades."""
    units, activities = base_data()
    committee = units["committee"]
    committee.update(full_name="全称", slogan="口号", summary="概述", goals=["目标"], note="说明")
    committee["snapshots"][0]["figures"] = [{"basis": "stated", "label": "数字", "value": 5, "unit": "项"}]
    committee["platforms"] = [{"basis": "stated", "id": "wechat", "name": "群", "kind": "微信群", "summary": "简介"}]
    units["sources"][0].update(publisher="报送单位", note="说明")
    del units["sources"][0]["file"]  # quotes here are free text, not checked against a source file
    units["honour_types"][0].update(awarded_by="评选机构", summary="简介", inferred={"level": "理由"},
                                    grades=[{"id": "annual", "name": "年榜"}, {"id": "monthly", "name": "月榜"}])
    unit = units["units"][0]
    unit.update(full_name="甲大学全称", aliases=["甲大"], summary="简介\n\n第二段",
                website=HOSTILE_URLS[0], note="说明",
                inferred={"category": "推断理由"})
    unit["source"].update(quote="摘句", url=HOSTILE_URLS[1])
    person = units["people"][0]
    person.update(titles=["职务"], summary="简介", basis="inferred", note="推断")
    unit["honours"][0].update(note="说明", inferred={"date": "理由"})
    person["honours"][0].update(note="说明", inferred={"date": "理由"})
    units["people"] += [
        {"id": "li-si", "name": "李四", "affiliation": "国家队运动员", "titles": ["运动员"], "summary": "简介",
         "basis": "stated", "source": {"doc": "report-test", "loc": "L2"},
         "honours": [{"type": "good-person", "date": 2021, "status": "awarded", "basis": "stated"}]},
        {"id": "team-a", "kind": "group", "name": "志愿服务队", "unit": "beta-office", "summary": "简介",
         "basis": "stated"},
    ]
    units["rolls"] = [{"id": "roll-a", "type": "good-person", "date": 2021, "grade": "annual", "title": "名单标题",
                       "names": "甲大学\n无名氏\n", "basis": "stated", "note": "说明",
                       "source": {"doc": "report-test", "loc": "L1"}}]
    units["units"][1].update(parent="alpha-univ", summary="简介")
    activity = activities["activities"][0]
    activity.update(short_title="短标题", summary="概述", inferred={"period": "理由"})
    action = activity["actions"][0]
    action.update(summary="做了什么", keywords=["关键词"], note="说明")
    action["participant_count"] = {"basis": "stated", "label": "参与单位", "value": 18, "unit": "家", "qualifier": "近"}
    action["participants"][0].update(note="说明", inferred={"role": "理由"})
    action["participants"].append({"person": "li-si", "role": "参与", "basis": "stated"})
    # photos, drawn by write_data: a cover and a gallery photo with every field, a unit's logo
    photo = {"alt": "志愿者在活动现场合影", "credit": "测试供图", "caption": "图注", "date": "2020-03"}
    activity["cover"] = {"file": "media/rich/cover.jpg", **photo}
    activity["photos"] = [{"file": "media/rich/gallery-1.jpg", **photo, "source": {"doc": "report-test", "loc": "L1"}}]
    unit["logo"] = {"file": "media/rich/logo.png", **photo}
    return units, activities


def hostile_dataset() -> tuple[dict, dict, list[str]]:
    """The rich base with a numbered payload in every text field; returns the payloads too."""
    units, activities = rich_base()
    payloads: list[str] = []

    def poison(value, key=None):
        if isinstance(value, dict):
            return {k: (v if k in NOT_TEXT else poison(v, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [poison(v, key) for v in value]
        if isinstance(value, str) and key != "honours":
            payloads.append(payload(len(payloads) + 1)[:ALT_MAX if key == "alt" else None])
            # a roll's names are one entry a line: the payload is one entry of two (a single line
            # with spaces in it reads as several names pasted on one line, which the check refuses)
            return payloads[-1] + "\n第二个名字" if key == "names" else payloads[-1]
        return value

    units, activities = poison(copy.deepcopy(units)), poison(copy.deepcopy(activities))
    return units, activities, payloads


def write_data(folder: Path, units: dict, activities: dict, *, draw_photos: bool = True) -> Path:
    """The two data files, and the base's source texts that their quotes are checked against;
    with `draw_photos`, every photo the data names that the folder lacks is drawn (photokit)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(BASE / "sources", folder / "sources", dirs_exist_ok=True)
    if draw_photos:
        from photokit import save_photo

        for n, file in enumerate(sorted(_photo_files(units) | _photo_files(activities))):
            if not (folder / file).exists():
                save_photo(folder / file, 1600, 1200, seed=n, fmt="PNG" if file.endswith(".png") else "JPEG")
    for name, data in (("units.yaml", units), ("activities.yaml", activities)):
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _photo_files(value) -> set[str]:
    """The `file` of every photo in raw data: mappings with a `file` under media/ and an `alt`."""
    if isinstance(value, dict):
        found = {value["file"]} if isinstance(value.get("file"), str) and "alt" in value and \
            value["file"].startswith("media/") else set()
        return found.union(*(_photo_files(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_photo_files(v) for v in value)) if value else set()
    return set()


# -- the v2 facts ---------------------------------------------------------------------------

FIGURE_FORMS = [  # (qualifier, value, unit, as the page shows it): one per qualifier of QUALIFIERS
    ("近", 300, "条", "近300条"), ("约", 10000, "人", "约1万人"), ("超过", 1000, "小时", "超过1000小时"),
    ("逾", 50, "家", "逾50家"), ("不少于", 20, "场", "不少于20场"), ("至少", 3, "次", "至少3次"),
    ("余", 40, "家", "40余家"), ("余", 900000, "人", "90余万人"), ("多", 100, "个", "100多个"),
]
ROLL_SIZE = 200


def v2_showcase() -> tuple[dict, dict]:
    """Data with every v2 fact: sources of several kinds (two work reports, a news item, an award
    list), three committee snapshots, honour grades, a person without a unit, a group, an award
    roll of 200 names (two of which match records), dated activities with and without a section."""
    stated = {"basis": "stated"}

    def src(doc: str, loc: str = "第一段") -> dict:
        return {"doc": doc, "loc": loc}

    snapshot = lambda date, total, district, resident, university: {  # noqa: E731
        "date": date, **stated, "source": src("report-2020"),
        "directors": {"count": 2, "held_by": "区委书记、区长", **stated},
        "membership": {"total": total, **stated},
        "groups": [{"group": "district", "name": "区属单位", "declared_count": district, **stated},
                   {"group": "resident", "name": "驻区单位", "declared_count": resident, **stated}],
        "category_counts": [{"category": "university", "declared_count": university, **stated}],
    }
    units = {
        "sources": [
            {"id": "report-2020", "kind": "work-report", "title": "2020年工作情况", "publisher": "海淀区委宣传部",
             "date": 2020},
            {"id": "report-2022", "kind": "work-report", "title": "2022年工作总结", "publisher": "区文明办",
             "date": "2022-12"},
            {"id": "news-2024", "kind": "news", "title": "学雷锋志愿服务日活动举行", "publisher": "北京青年报",
             "date": "2024-03-02", "url": "https://www.example.cn/news/2024-03-02"},
            {"id": "award-2024", "kind": "award-list", "title": "2024年度北京榜样名单", "publisher": "首都文明办",
             "date": "2024-12"},
        ],
        "committee": {"name": "测试文明委", **stated, "snapshots": [
            snapshot(2021, 111, 60, 51, 14), snapshot(2020, 137, 79, 58, 15), snapshot("2022-06", 120, 70, 50, 16)]},
        "categories": [{"id": "university", "name": "高校", "group": "resident", **stated},
                       {"id": "district-unit", "name": "区属单位", "group": "district", **stated}],
        "honour_types": [{"id": "beijing-role-model", "name": "北京榜样", "level": "municipal", "kind": "award",
                          **stated, "grades": [{"id": "annual", "name": "年榜人物"},
                                               {"id": "special", "name": "年度特别奖"},
                                               {"id": "monthly", "name": "月榜"}]}],
        "units": [
            {"id": "alpha-univ", "name": "甲大学", "category": "university", "membership": "stated", **stated,
             "source": src("report-2020"),
             "honours": [{"type": "beijing-role-model", "date": "2024-03", "grade": "special", "status": "awarded",
                          **stated, "source": src("award-2024")}]},
            {"id": "beta-office", "name": "乙办公室", "category": "district-unit", "membership": "stated", **stated},
        ],
        "people": [
            {"id": "zhang-san", "name": "张三", "unit": "alpha-univ", "titles": ["教授"], **stated,
             "honours": [{"type": "beijing-role-model", "date": "2024-03", "grade": "annual", "status": "awarded",
                          **stated, "source": src("award-2024")}]},
            {"id": "li-si", "name": "李四", "affiliation": "国家游泳队运动员", "summary": "游泳运动员。", **stated,
             "honours": [{"type": "beijing-role-model", "date": 2021, "grade": "monthly", "status": "awarded",
                          **stated}]},
            {"id": "rescue-team", "kind": "group", "name": "蓝天救援队", "unit": "beta-office", **stated},
        ],
        "rolls": [{"id": "role-model-2024", "type": "beijing-role-model", "date": "2024-12", "grade": "monthly",
                   "title": "2024年度北京榜样月榜", **stated, "source": src("award-2024", "全文"),
                   "names": "\n".join(["1. 蓝天救援队", "2. 乙办公室"]
                                      + [f"{n}. 候选人{n}" for n in range(3, ROLL_SIZE + 1)]) + "\n"}],
    }
    activities = {"activities": [
        {"id": "clean-plate", "title": "光盘行动", "section": "二（一）", "period": {"start": 2020}, **stated,
         "source": src("report-2020"),
         "actions": [{"id": "pledge", "title": "光盘打卡", **stated,
                      "participants": [{"unit": "alpha-univ", "role": "发起", **stated}],
                      "figures": [{"label": f"数字{i}", "value": value, "unit": unit, "qualifier": qualifier, **stated}
                                  for i, (qualifier, value, unit, _) in enumerate(FIGURE_FORMS)]}]},
        {"id": "xueleifeng-2024", "title": "学雷锋志愿服务日", "period": {"start": "2024-03-02", "end": "2024-03-05"},
         **stated, "source": src("news-2024"),
         "actions": [{"id": "swim-class", "title": "游泳公益课", "period": {"start": "2024-03-05"}, **stated,
                      "participants": [{"person": "li-si", "role": "授课", **stated},
                                       {"person": "rescue-team", **stated}]}]},
    ]}
    return units, activities
