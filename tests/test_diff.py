"""`python -m showcase diff`: a data change said record by record, for a reviewer who reads no YAML.

Every pair of versions is made here by code from the minimal test data (tests/cases/_base): data/ is
never touched. The Markdown is rendered with cmark-gfm (GitHub's own Markdown library) to check what
a reviewer would see of a hostile name.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from showcase import diff, gittree, loader
from showcase.dataset import load_dataset
from showcase.diff import format_markdown, format_text, read_folder, summarize
from showcase.files import SYMLINK
from showcase.models import all_models
from sitekit import base_data, write_data

ROOT = Path(__file__).resolve().parent.parent


def _second_activity() -> dict:
    return {"id": "tree-planting", "basis": "stated", "title": "义务植树", "period": {"start": 2020},
            "source": {"doc": "report-test", "loc": "L1"},
            "actions": [{"id": "plant", "basis": "stated", "title": "植树",
                         "participants": [{"basis": "stated", "unit": "beta-office"}]}]}


def _data() -> tuple[dict, dict]:
    units, activities = base_data()
    activities["activities"].append(_second_activity())
    return units, activities


def _summary(tmp_path: Path, change, base=None):
    """The summary of `change` (applied to a copy of the test data) against the data before it."""
    units, activities = base or _data()
    old = write_data(tmp_path / "old", copy.deepcopy(units), copy.deepcopy(activities))
    change(units, activities)
    new = write_data(tmp_path / "new", units, activities)
    return summarize(read_folder(str(old), "old", "old"), read_folder(str(new), "data", "data"))


def _lines(summary) -> list[str]:
    return [line.strip() for line in format_text(summary).splitlines()]


def test_a_rename_is_a_rename_not_a_removal_and_an_addition(tmp_path):
    def rename(units, activities):
        units["units"][0]["name"] = "甲大学（新名）"
    summary = _summary(tmp_path, rename)
    lines = _lines(summary)
    assert "单位 “甲大学” 改名为 “甲大学（新名）”" in lines
    assert not any(line.startswith(("新增", "删除")) for line in lines)
    changed = {p.url: p.verb for p in summary.pages}
    assert changed["units/alpha-univ/"] == "修改"
    assert "units/" in changed            # the index lists it by name
    assert set(changed.values()) == {"修改"}


def test_a_record_moved_in_the_file_and_unchanged_is_no_change(tmp_path):
    def move(units, activities):
        units["units"].reverse()
        units["categories"].reverse()
        activities["activities"].reverse()
        units["units"][0] = dict(reversed(list(units["units"][0].items())))  # its keys in another order too
    summary = _summary(tmp_path, move)
    assert summary.valid and summary.photos == []
    assert _lines(summary) == ["与 old 相比的数据变化", "单位类别", "调整了单位类别在文件中的先后顺序（记录本身没有变化）",
                               "单位", "调整了单位在文件中的先后顺序（记录本身没有变化）",
                               "活动", "调整了活动在文件中的先后顺序（记录本身没有变化）",
                               "网站页面（修改 5）", "修改 /  测试文明委", "修改 /units/  成员单位",
                               "修改 /activities/  共建活动", "修改 /stats/  数据统计",
                               "修改 /report/2020/  测试文明委2020年工作情况"]


def test_a_unit_moved_in_the_file_changes_no_page(tmp_path):
    def move(units, activities):
        units["units"].reverse()
    summary = _summary(tmp_path, move)
    assert [[c.verb for c in s.changes] for s in summary.sections] == [[""]]  # an order, no record
    assert summary.pages == []
    assert _lines(summary)[-1] == "网站页面没有变化"


def test_a_field_added_is_said_with_its_label_from_the_models(tmp_path):
    def add(units, activities):
        units["units"][1]["summary"] = "负责本区文明创建的日常工作。"
        activities["activities"][0]["actions"][0]["keywords"] = ["光盘", "节约"]
    summary = _summary(tmp_path, add)
    lines = _lines(summary)
    assert "修改单位 “乙办公室”：新增简介 “负责本区文明创建的日常工作。”" in lines
    assert "修改活动 “光盘行动”：修改具体行动 “光盘打卡” 的关键词：新增 “光盘”、“节约”" in lines
    # the labels are the models' own titles: no second list of names in diff.py
    source = (ROOT / "hooks" / "showcase" / "diff.py").read_text(encoding="utf-8")
    assert not re.search(r'"(summary|keywords)"\s*:', source)
    assert {"units/beta-office/", "activities/clean-plate/"} <= {p.url for p in summary.pages}


def test_every_field_of_every_model_has_a_chinese_label():
    unlabeled = [f"{model.__name__}.{name}" for model in all_models() for name, info in model.model_fields.items()
                 if not info.title or info.title.isascii() and name != "id"]
    assert unlabeled == []


def test_a_deleted_record_and_its_page(tmp_path):
    def delete(units, activities):
        del activities["activities"][1]
    summary = _summary(tmp_path, delete)
    assert "删除活动 “义务植树”" in _lines(summary)
    removed = [p for p in summary.pages if p.verb == "删除"]
    assert [(p.url, p.title) for p in removed] == [("activities/tree-planting/", "义务植树")]
    markdown = format_markdown(summary, preview_url="https://github.com/o/r/actions/runs/1/artifacts/2")
    assert "- 删除 `activities/tree-planting/index.html` `义务植树`" in markdown
    assert "[下载网站预览](https://github.com/o/r/actions/runs/1/artifacts/2)" in markdown


def test_changes_to_honours_people_sources_and_the_committee(tmp_path):
    def change(units, activities):
        units["units"][0]["honours"][0]["date"] = 2021
        units["people"][0]["name"] = "张三丰"
        units["sources"][0]["title"] = "测试报告（修订）"
        units["committee"]["snapshots"][0]["membership"]["total"] = 6
        units["categories"][1]["name"] = "高等院校"
        activities["activities"][0]["actions"][0]["participants"][0]["unit"] = "beta-office"
    lines = _lines(_summary(tmp_path, change))
    assert "修改单位 “甲大学”：修改荣誉记录 “好人（2021）” 的时间：2020 → 2021" in lines
    assert "人物或集体 “张三” 改名为 “张三丰”" in lines
    assert "来源文件 “测试报告” 改名为 “测试报告（修订）”" in lines
    assert "修改文明委 “测试文明委”：修改文明委概况 “2020” 的成员单位总数：5 → 6" in lines
    assert "单位类别 “高校” 改名为 “高等院校”" in lines
    # a participant is its unit: another unit is one participant removed and another added, by name
    assert "新增参与者 “乙办公室”" in lines and "删除参与者 “甲大学”" in lines


def test_an_invalid_new_version_reports_its_problems_instead(tmp_path):
    def break_it(units, activities):
        units["units"][0]["category"] = "universty"
        units["units"][1]["honours"] = [{"basis": "stated", "type": "good-person", "date": "二〇二〇",
                                         "status": "awarded"}]
    summary = _summary(tmp_path, break_it)
    assert not summary.valid and summary.sections == []
    _, report = load_dataset(str(tmp_path / "new"), display_dir="data")
    text = format_text(summary)
    assert report.format() in text  # exactly what `make check` prints
    assert "data/units.yaml:" in text and "（是否指 “university”？）" in text and "二〇二〇" in text
    assert "改名为" not in text and "修改单位" not in text
    markdown = format_markdown(summary)
    assert markdown.startswith("### 数据有误，无法说明这次修改")
    assert report.format().splitlines()[1] in markdown


def test_an_invalid_base_is_said_and_the_new_version_still_described(tmp_path):
    units, activities = _data()
    broken = copy.deepcopy(units)
    broken["units"][1]["category"] = "nowhere"
    broken["units"][1]["name"] = "乙办公室\x1b[31m"
    old = write_data(tmp_path / "old", broken, copy.deepcopy(activities))
    new = write_data(tmp_path / "new", units, activities)
    summary = summarize(read_folder(str(old), "main", "main"), read_folder(str(new), "data", "data"))
    assert summary.valid
    text = format_text(summary)
    assert text.startswith("注意：基准版本 main 的数据本身有 2 处问题")
    assert "没有 id 为 “nowhere” 的单位类别" in text
    assert "单位 “乙办公室U+001B[31m” 改名为 “乙办公室”" in text  # the old name's ESC shown, not sent
    assert "\x1b" not in text and "\x1b" not in format_markdown(summary)
    assert summary.pages is None and "无法比较网站页面" in text


HOSTILE = "**x** <img src=x onerror=alert(1)> @team #1 `code` :tada: https://evil.example/ \u200b[a](javascript:x)"


def _rendered(markdown: str) -> str:
    """The Markdown as GitHub renders it (cmark-gfm with raw HTML kept: GitHub then sanitises it)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def _outside_code(rendered: str) -> str:
    return re.sub(r"<code>.*?</code>", "", rendered, flags=re.S)


def test_a_hostile_name_renders_literally_and_pings_nobody(tmp_path):
    def hostile(units, activities):
        units["units"].append({"id": "hostile", "basis": "stated", "name": HOSTILE, "category": "university",
                               "membership": "stated", "summary": "```\n</details>\n# 标题\n" + "长" * 500})
        units["units"][0]["name"] = HOSTILE + "二"
        units["units"][0]["summary"] = "长" * 300 + "```\n</details>\n# 标题\n" + "长" * 300
    summary = _summary(tmp_path, hostile)
    markdown = format_markdown(summary)
    rendered = _rendered(markdown)
    shown_as = "**x** &lt;img src=x onerror=alert(1)&gt; @team #1 `code` :tada: https://evil.example/ U+200B[a](javascript:x)"
    assert f"<code>{shown_as}</code>" in rendered          # literal, in a code span
    outside = _outside_code(rendered)
    for trace in ("<img", "onerror", "@team", "#1", ":tada:", "https://evil", "javascript:", "<strong>x", "<h1"):
        assert trace not in outside, trace
    assert "\u200b" not in markdown                            # invisible characters shown as U+XXXX
    assert "长" * 200 not in markdown and "…" in markdown      # a long value cut, not pasted whole
    assert rendered.count("<details>") == rendered.count("</details>")  # a value cannot close our folds
    text = format_text(summary)
    assert "新增单位 “**x** <img src=x onerror=alert(1)> @team #1 `code` :tada: https://evil.example/ U+200B" in text


def test_the_markdown_is_cut_to_fit_a_comment_with_how_many_more(tmp_path):
    def many(units, activities):
        for n in range(1000):
            units["units"].append({"id": f"unit-{n}", "basis": "stated", "name": f"新单位{n}" + "名" * 150,
                                   "category": "university", "membership": "unknown"})
    summary = _summary(tmp_path, many)
    markdown = format_markdown(summary)
    assert len(markdown) <= diff.MARKDOWN_MAX
    assert markdown.count("<details>") == markdown.count("</details>")
    listed = markdown.count("- 新增单位")
    assert 0 < listed < 1000
    left = int(re.search(r"…还有 (\d+) 项未列出", markdown).group(1))
    assert left >= 1000 - listed  # the pages not listed are counted too
    assert len(format_text(summary).splitlines()) > 2000   # the log keeps everything


def test_new_and_removed_photos_with_thumbnails(tmp_path):
    from photokit import photo_record, save_photo

    def add_photo(units, activities):
        save_photo(tmp_path / "new" / "media" / "2026" / "gate.jpg", 1600, 1200, seed=3)
        units["units"][1]["photo"] = photo_record("media/2026/gate.jpg", "单位大门和主楼")
    summary = _summary(tmp_path, add_photo)
    assert "新增照片 media/2026/gate.jpg（1600×1200，JPEG），单位 “乙办公室”，替代文字 “单位大门和主楼”" in _lines(summary)
    assert "修改单位 “乙办公室”：新增照片 “media/2026/gate.jpg”" in _lines(summary)
    # on GitHub: an <img> of the photo where the pull request's version has it on the web
    summary.new.photo_url = "https://github.com/fork/repo/raw/0123abc/data/"
    rendered = _rendered(format_markdown(summary))
    assert '<img src="https://github.com/fork/repo/raw/0123abc/data/media/2026/gate.jpg" alt="单位大门和主楼" ' \
           'width="160">' in rendered
    # elsewhere (an editor's Markdown preview): a small JPEG drawn here, as a data: URL
    summary.new.photo_url = None
    inline = format_markdown(summary)
    data_url = re.search(r'<img src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', inline)
    assert data_url and len(data_url.group(1)) < 20_000

    def remove_photo(units, activities):
        del units["units"][1]["photo"]
    units, activities = _data()
    units["units"][1]["photo"] = photo_record("media/2026/gate.jpg", "单位大门和主楼")
    save_photo(tmp_path / "second" / "old" / "media" / "2026" / "gate.jpg", 1600, 1200, seed=3)
    removed = _summary(tmp_path / "second", remove_photo, base=(units, activities))
    assert any(line.startswith("删除照片 media/2026/gate.jpg") for line in _lines(removed))


def test_pages_are_compared_with_photos_as_processing_makes_them(tmp_path):
    from photokit import save_photo

    from showcase import media

    path = save_photo(tmp_path / "media" / "a.jpg", 1700, 900, seed=1)
    info = media.inspect_image(str(path), str(tmp_path))
    made = media.MediaCache(str(tmp_path / "cache")).process_all([("media/a.jpg", info.digest)], str(tmp_path))
    done = made[info.digest]
    planned = media.planned(info)
    assert [(v.path, v.width, v.height, v.mime) for v in planned.webp + planned.jpeg] == \
        [(v.path, v.width, v.height, v.mime) for v in done.webp + done.jpeg]
    assert (planned.width, planned.height) == (done.width, done.height)


# -- through git ----------------------------------------------------------------------------------

def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.cn"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    write_data(repo / "data", *_data())
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    return repo


def _run_diff(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    return subprocess.run([sys.executable, "-m", "showcase", "diff", *args], cwd=repo, capture_output=True,
                          text=True, env=env)


def test_diff_against_a_git_version(tmp_path):
    repo = _repo(tmp_path)
    units, activities = _data()
    units["units"][0]["name"] = "甲大学（新名）"
    del activities["activities"][1]
    write_data(repo / "data", units, activities)
    _git(repo, "commit", "-q", "-am", "rename, delete")
    result = _run_diff(repo, "HEAD~1", "--markdown", "comment.md")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "与 HEAD~1 相比的数据变化：单位 修改 1；活动 删除 1"
    assert "单位 “甲大学” 改名为 “甲大学（新名）”" in result.stdout and "删除活动 “义务植树”" in result.stdout
    assert "删除 /activities/tree-planting/  义务植树" in result.stdout
    assert (repo / "comment.md").read_text(encoding="utf-8").startswith("### 这次修改的内容")
    # no change against itself; an unknown version is said in Chinese, with no traceback
    assert _run_diff(repo, "HEAD").stdout.strip() == "与 HEAD 相比，数据没有变化，网站页面也没有变化。"
    missing = _run_diff(repo, "no-such-branch")
    assert missing.returncode == 2 and "找不到版本 “no-such-branch”" in missing.stderr
    assert "Traceback" not in missing.stderr
    option = _run_diff(repo, "--", "--output=x")  # a version name is never read as an option of git
    assert option.returncode == 2 and "不是 git 版本名" in option.stderr and not (repo / "x").exists()


def test_the_git_version_is_read_as_carefully_as_a_working_tree(tmp_path, monkeypatch):
    repo = _repo(tmp_path)
    data = repo / "data"
    (data / "media").mkdir()
    os.symlink("/etc/passwd", data / "media" / "leak.jpg")
    os.symlink("../../.git/config", data / "sources" / "config.txt")
    (data / "units.yaml").write_bytes((data / "units.yaml").read_bytes() + b"#" * 2000 + b"\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "symlinks, a large file")
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(gittree, "BLOB_CAP", 1001)
    commit = gittree.resolve(str(repo), "HEAD")
    with diff.git_version(str(repo), "data", "HEAD") as version:
        folder = Path(version.folder)
        assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == \
            ["activities.yaml", "sources/report-test.txt", "units.yaml"]
        assert not any(p.is_symlink() for p in folder.rglob("*"))
        assert (folder / "units.yaml").stat().st_size == 1001      # never read past the limit
        problems = {(p.file, p.message) for p in version.report.problems}
    assert ("HEAD:data/media/leak.jpg", SYMLINK) in problems
    assert ("HEAD:data/sources/config.txt", SYMLINK) in problems
    assert ("HEAD:data/units.yaml", "文件超过 0 MB 的上限：请拆分或精简") in problems
    assert not any("root:" in message for _, message in problems)  # nothing of what the links point at
    assert not Path(folder).exists()                              # the temporary folder is removed
    assert len(commit) == 40


def test_a_symlinked_data_file_in_git_is_said_once(tmp_path):
    repo = _repo(tmp_path)
    (repo / "data" / "activities.yaml").unlink()
    os.symlink("../README", repo / "data" / "activities.yaml")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "a data file is a link")
    with diff.git_version(str(repo), "data", "HEAD") as version:
        about = [p.message for p in version.report.problems if p.file == "HEAD:data/activities.yaml"]
    assert about == [SYMLINK]


def test_a_symlinked_data_folder_in_git_is_refused(tmp_path):
    repo = tmp_path / "repo"
    (repo / "elsewhere").mkdir(parents=True)
    write_data(repo / "elsewhere", *_data())
    os.symlink("elsewhere", repo / "data")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "data is a link")
    with diff.git_version(str(repo), "data", "HEAD") as version:
        assert ("HEAD:data", SYMLINK) in {(p.file, p.message) for p in version.report.problems}
        assert version.dataset is None and not os.listdir(version.folder)


@pytest.mark.parametrize("args", [["HEAD", "nowhere"], []])
def test_usage_errors_exit_2(tmp_path, args):
    result = _run_diff(_repo(tmp_path), *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
