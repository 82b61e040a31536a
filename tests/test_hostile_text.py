"""Hostile text in the data (issue 10, findings 5, 6, 7 and 10): characters that break the feed or
hide in a name, URLs that point elsewhere than they read, and source files that are not what
they claim to be. Each test failed on ebb6ccc."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from pydantic import TypeAdapter, ValidationError

from showcase.checks import normalise_name
from showcase.dataset import load_dataset
from showcase.loader import MAX_FILE_BYTES
from showcase.models import Name, Text, Url

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = os.path.join(ROOT, "tests", "cases", "_base")


def refusal(annotation: object, value: str) -> str | None:
    """The message a field of type `annotation` gives for `value`, or None when it is accepted."""
    try:
        TypeAdapter(annotation).validate_python(value, strict=True)
    except ValidationError as error:
        return error.errors()[0]["msg"]
    return None


def check(tmp_path, units_edit=None) -> str:
    """The report of `make check` on the base data (copied to `tmp_path` unless it is there),
    with `units_edit` applied to units.yaml."""
    if not (tmp_path / "units.yaml").exists():
        shutil.copytree(BASE, tmp_path, dirs_exist_ok=True)
    if units_edit:
        path = tmp_path / "units.yaml"
        path.write_text(units_edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    _, report = load_dataset(str(tmp_path), display_dir="data")
    return report.format()


def add_units(*names: str):
    def edit(text: str) -> str:
        for k, name in enumerate(names):
            text += (f"  - id: extra-{k}\n    basis: stated\n    name: \"{name}\"\n"
                     "    category: district-unit\n    membership: stated\n")
        return text
    return edit


@pytest.mark.parametrize("value,code", [
    ("活动\uFFFE标题", "U+FFFE"), ("标题\uFFFF", "U+FFFF"), ("\uFDD0标题", "U+FDD0"),
    ("标题\U0010FFFF", "U+10FFFF"), ("\U0001FFFE", "U+1FFFE"), ("孤立\ud800", "U+D800"),
    ("\u202E学大京北", "U+202E"), ("\u2066隔离\u2069", "U+2066"), ("\u200F标记", "U+200F"),
])
def test_finding_5_noncharacters_surrogates_and_bidi_controls_are_refused(value, code):
    for annotation in (Name, Text):
        message = refusal(annotation, value)
        assert message is not None and code in message, (annotation, value, message)
    assert refusal(Text, "第一段\n\t第二段") is None  # a text keeps its newlines and tabs
    assert refusal(Name, "北京大学（海淀）") is None


def test_finding_5_message_is_located_and_shows_no_raw_character(tmp_path):
    report = check(tmp_path, lambda t: t.replace("    name: 乙办公室\n", '    name: "乙办公室\\u202E"\n'))
    assert "data/units.yaml:46:11  units[1].name：" in report and "U+202E" in report
    assert "\u202E" not in report


@pytest.mark.parametrize("hidden", ["北京大学\u034F", "北京\uFE00大学", "北京大学\U000E0100",
                                    "北\u200B京大学", "北京\u00AD大学"])
def test_finding_6_invisible_marks_do_not_make_another_name(hidden, tmp_path):
    assert normalise_name(hidden) == normalise_name("北京大学")
    report = check(tmp_path, add_units("北京大学", hidden.encode("unicode_escape").decode()))
    code = next(f"U+{ord(ch):04X}" for ch in hidden if ch not in "北京大学")
    assert "units[3].name：名称 “北京大学” 与第" in report and f"含有不可见字符 {code}" in report
    assert hidden not in report  # the message shows the name as a reader sees it, and names the mark


def test_finding_6_variant_characters_are_one_name(tmp_path):
    assert normalise_name("淸华大学") == normalise_name("清华大学")
    report = check(tmp_path, add_units("清华大学", "淸华大学"))
    assert "“淸华大学” 与第" in report and "“淸” 是 “清” 的异体字" in report
    # Characters that are both in everyday use stay apart, though variant lists pair them.
    assert normalise_name("沈阳") != normalise_name("沉阳")


@pytest.mark.parametrize("url,expected", [
    ("https://good.example@evil.example/", "evil.example"),
    ("https://good.example@evil.example/\x01", "U+0001"),
    ("https://example.org/\n", "U+000A"),
    ("https://exa mple.org/", "U+0020"),
    ("https://example.org/\u202E", "U+202E"),
    ("https://раураl.com/", "xn--l-7sba6dbr.com"),
    ("http://localhost/", "域名"),
    ("http://example.org:99999/", "端口"),
])
def test_finding_7_urls_that_do_not_go_where_they_read_are_refused(url, expected):
    message = refusal(Url, url)
    assert message is not None and expected in message, (url, message)
    assert not any(ord(ch) < 0x20 or 0x202A <= ord(ch) <= 0x202E for ch in message)


@pytest.mark.parametrize("url", ["http://中国政府网.政务", "https://www.bjhd.gov.cn/zwgk/?id=1#top",
                                 "https://北京大学.com/", "HTTPS://EXAMPLE.ORG/", "http://example.org:8080/a"])
def test_real_addresses_still_pass(url):
    assert refusal(Url, url) is None


def point_quote_at(text: str, quote: str, loc: str = "L9") -> str:
    return text.replace("source: {doc: report-test, loc: L1}",
                        f"source: {{doc: report-test, loc: {loc}, quote: {quote}}}")


def test_finding_10_symlinked_source_is_refused_without_telling_its_content(tmp_path):
    shutil.copytree(BASE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "secret.txt").write_text("SECRET-TOKEN-abc\n", encoding="utf-8")
    source = tmp_path / "sources" / "report-test.txt"
    source.unlink()
    source.symlink_to(tmp_path / "secret.txt")  # pointing inside data/ is refused too
    report = check(tmp_path, lambda t: point_quote_at(t, "SECRET"))
    assert "data/units.yaml:7:11  sources[0].file：" in report and "符号链接" in report
    assert "第 1 行" not in report and "SECRET-TOKEN" not in report


@pytest.mark.parametrize("file", ["../outside.txt", "/etc/hostname"])
def test_finding_10_source_outside_data_is_refused(file, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "outside.txt").write_text("OUTSIDE-CONTENT\n", encoding="utf-8")
    report = check(tmp_path / "data", lambda t: point_quote_at(
        t.replace("file: sources/report-test.txt", f"file: {file}"), "OUTSIDE", "L1"))
    assert "sources[0].file：" in report and "之外" in report and "OUTSIDE-CONTENT" not in report


def test_finding_10_fifo_source_is_refused(tmp_path):
    shutil.copytree(BASE, tmp_path, dirs_exist_ok=True)
    source = tmp_path / "sources" / "report-test.txt"
    source.unlink()
    os.mkfifo(source)
    report = check(tmp_path)
    assert "sources[0].file：" in report and "不是普通文件" in report


def test_finding_10_source_over_the_size_limit_is_refused(tmp_path):
    shutil.copytree(BASE, tmp_path, dirs_exist_ok=True)
    with open(tmp_path / "sources" / "report-test.txt", "ab") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    report = check(tmp_path)
    assert "sources[0].file：" in report and "MB 的上限" in report


def test_finding_10_source_not_in_utf8_is_told_once(tmp_path):
    shutil.copytree(BASE, tmp_path, dirs_exist_ok=True)
    source = tmp_path / "sources" / "report-test.txt"
    source.write_bytes(source.read_text(encoding="utf-8").encode("gbk"))
    report = check(tmp_path, lambda t: point_quote_at(t, "甲大学开展光盘行动", "L1"))
    assert "sources[0].file：" in report and "不是 UTF-8 编码" in report
    assert "摘句在原文中找不到" not in report  # its quotes cannot be checked, so none is reported missing


def test_finding_10_quotes_cost_one_pass_over_a_large_source(tmp_path):
    """1,000 missing quotes against a 9 MB source (ebb6ccc: about 40 s, quotes × lines)."""
    shutil.copytree(BASE, tmp_path, dirs_exist_ok=True)
    lines = (f"第{n}行：乙办公室组织志愿服务。" for n in range(9 * 1024 * 1024 // 50))  # short lines: 189k
    (tmp_path / "sources" / "report-test.txt").write_text("\n".join(lines), encoding="utf-8")
    figures = "".join(f"        - {{basis: stated, label: 数字{i}, value: {i}, source: "
                      f"{{doc: report-test, loc: L{i + 1}, quote: 没有这句话{i}号}}}}\n" for i in range(1000))
    units = (tmp_path / "units.yaml").read_text(encoding="utf-8")
    membership = "      membership: {basis: stated, total: 5}\n"
    (tmp_path / "units.yaml").write_text(units.replace(membership, f"{membership}      figures:\n{figures}"),
                                         encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.path.join(ROOT, "hooks")}
    try:
        done = subprocess.run([sys.executable, "-m", "showcase", "check", str(tmp_path)], env=env,
                              capture_output=True, text=True, timeout=20, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("checking 1,000 quotes against a 9 MB source did not finish in 20 s")
    # 1,000 quotes not found, and the figures list over its limit of 500 (one message); the
    # report lists the first 200 problems and gives the total.
    assert "（共 1001 处）" in done.stdout, done.stdout[-500:]
    assert done.stdout.count("摘句在原文中找不到") == 199, done.stdout[-500:]
