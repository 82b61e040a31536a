"""The data model of `data/units.yaml` and `data/activities.yaml`.

Every model is strict (no coercion: the string "2020" is not a year, 1 is not a bool) and
forbids unknown fields (a typo such as `honors:` is an error, never a silently dropped key).
Field descriptions are in Chinese: they become the JSON Schema that editors' editors show
as hover help, and the field reference of the editor guide.

Rules that need more than one record (ids unique, references resolve, counts) live in
`checks.py`; this module checks one value at a time.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from . import dates
from .dates import YEAR_MAX, YEAR_MIN  # noqa: F401  (re-exported for validate.py and the tests)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

# Path segments the site uses for its own pages and assets: a record with one of these ids
# would collide with them (`/units/index/`, `/activities/assets/` ...).
RESERVED_IDS = frozenset(
    {
        "index", "assets", "search", "stats", "honours", "units", "activities", "people",
        "report", "data", "contribute", "sitemap", "feed", "404", "static", "javascripts",
        "stylesheets", "overrides", "new", "edit", "all",
        # fixed anchors of the generated pages: an action or activity id becomes an anchor beside them
        "by-date", "by-section", "by-year", "documents", "fields", "latest", "licence", "news",
        "news-undated", "overview", "photos", "platforms", "reports", "sources", "structure", "work",
    }
)

NAME_MAX = 200       # characters in a name or title
TEXT_MAX = 5000      # characters in a summary or note
LIST_MAX = 5000      # items in any one list, unless the list says otherwise
# Units: raised from LIST_MAX on purpose (issue 14). A city-wide list of 20,000 units is what the
# site is built and measured to serve (`make bench`'s city shape: paginated lists, record pages
# rendered lazily, the preview's incremental load); past that nobody has measured it.
UNITS_MAX = 20_000

# `stated`: the record's `source` states it, whatever kind of document that is (a work report,
# a news item, an award list, a web page). `inferred`: the editors' reading, with the reason in
# `note`. The first model also had `external`; a fact from an outside document now cites that
# document (a source of its kind), so "external" said nothing a source's kind does not.
Basis = Literal["stated", "inferred"]
# Values the first model took and this one does not, with what to write instead.
RETIRED_VALUES = {
    ("basis", "external"): "external 已不再使用：外部文件请先作为来源写进 sources（写明 kind，如 news、web-page），"
                           "再在 source.doc 中引用它并写 stated；没有可引用的文件时写 inferred 并在 note 中说明",
}
Level = Literal["national", "municipal", "district"]

BASIS_LABELS = {"stated": "来源明确记载", "inferred": "推断"}
LEVEL_LABELS = {"national": "全国", "municipal": "北京市", "district": "海淀区"}


# Characters no text field may hold, by kind: one declaration, compiled into one character class
# per field type (a regex scans a text far faster than a loop over its characters).
#   control_char: Unicode category Cc (a name also refuses tab and newline, a text keeps them);
#   noncharacter: never assigned, not XML characters (one in a title makes the Atom feed
#     ill-formed): U+FDD0–FDEF and the last two code points of each of the 17 planes;
#   surrogate: half of a UTF-16 pair, not a character on its own (a `"\uD800"` YAML escape);
#   bidi_control: the whole Unicode Bidi_Control set. U+202A–202E and U+2066–2069 reorder what
#     follows (`\u202E` shows “学大京北” for “北京大学”); U+200E/U+200F (LRM/RLM) and U+061C (ALM)
#     are refused too: invisible, they only move neighbouring punctuation and digits, and this
#     site's Chinese and English text never needs them.
_FORBIDDEN_CHARS: dict[str, tuple[str, str]] = {
    "control_char": ("\x00-\x08\x0b-\x1f\x7f-\x9f", "含有不可见的控制字符 {char}，请删除"),
    "noncharacter": ("\ufdd0-\ufdef"
                     + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)),
                     "含有 Unicode 非字符 {char}（不是可显示的文字，会让订阅源无法读取），请删除"),
    "surrogate": ("\ud800-\udfff", "含有孤立的代理码位 {char}（不是有效的字符），请删除"),
    "bidi_control": ("\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069",
                     "含有不可见的文字方向控制字符 {char}（会让文字显示的顺序与实际不同），请删除"),
}
_FORBIDDEN_CLASS = "".join(chars for chars, _ in _FORBIDDEN_CHARS.values())
_TAB_AND_NEWLINE = "\t\n"  # control characters too, but a text (not a name) may hold them
# Searching uses one character class (fast on the clean texts that are nearly all of them);
# only a character found is then told apart by kind.
_FORBIDDEN_IN_TEXT = re.compile(f"[{_FORBIDDEN_CLASS}]")
_FORBIDDEN_IN_NAME = re.compile(f"[{_TAB_AND_NEWLINE}{_FORBIDDEN_CLASS}]")
_KIND_OF = re.compile("|".join(
    f"(?P<{kind}>[{chars}{_TAB_AND_NEWLINE if kind == 'control_char' else ''}])"
    for kind, (chars, _) in _FORBIDDEN_CHARS.items()
))


def forbidden_char(value: str, *, allow_newlines: bool = False) -> tuple[str, str] | None:
    """The first character a text field must not hold in `value`, as (kind, Chinese message that
    names it as U+XXXX), or None. Tab and newline are allowed only with `allow_newlines`."""
    found = (_FORBIDDEN_IN_TEXT if allow_newlines else _FORBIDDEN_IN_NAME).search(value)
    if found is None:
        return None
    kind = _KIND_OF.fullmatch(found.group()).lastgroup
    return kind, _FORBIDDEN_CHARS[kind][1].format(char=f"U+{ord(found.group()):04X}")


_SURROGATE = re.compile(f"[{_FORBIDDEN_CHARS['surrogate'][0]}]")


def _forbid_surrogates(value: object) -> object:
    """Before pydantic's own string check, which refuses a lone surrogate in English."""
    if isinstance(value, str) and (found := _SURROGATE.search(value)):
        message = _FORBIDDEN_CHARS["surrogate"][1].format(char=f"U+{ord(found.group()):04X}")
        raise PydanticCustomError("surrogate", message)
    return value


def _forbid_control_chars(value: str, *, allow_newlines: bool) -> str:
    found = forbidden_char(value, allow_newlines=allow_newlines)
    if found:
        kind, message = found
        raise PydanticCustomError(kind, message)
    return value


def _check_name(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "不能为空")
    if value != value.strip():
        raise PydanticCustomError("padded", "首尾不能有空格")
    if "\n" in value:
        raise PydanticCustomError("multiline", "应为单行文字，不能换行")
    return _forbid_control_chars(value, allow_newlines=False)


def _check_text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "不能为空")
    return _forbid_control_chars(value, allow_newlines=True)


def _check_id(value: str) -> str:
    if value in RESERVED_IDS:
        raise PydanticCustomError(
            "reserved_id", "“{value}” 是网站保留的路径名，不能用作 id", {"value": value}
        )
    return value


# Characters that cannot stand in a web address as written: white space of any kind (a trailing
# newline too), the characters no text may hold, and zero-width ones that hide inside a link.
_NOT_IN_URL = re.compile(f"[\\s\u00ad\u200b-\u200d\u2060\ufeff{_FORBIDDEN_CLASS}]")
_CHAR_NAMES = {" ": "空格", "\u3000": "全角空格", "\n": "换行", "\r": "回车", "\t": "制表符"}
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")  # one label of an ASCII (punycode) host
# Scripts that may share one host name, all labels together (Unicode UTS #39 "highly
# restrictive": Latin with the scripts of Chinese, Japanese or Korean). Any other mix is how a
# look-alike of a known address is made: Latin with Cyrillic in `раураl.com` (Cyrillic р, а, у),
# or an all-Cyrillic `аррӏе` before the Latin `.com`. A single-script host (中国政府网.政务) passes.
_SCRIPTS_THAT_MIX = (
    frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "CJK", "BOPOMOFO"}),
    frozenset({"LATIN", "CJK", "HANGUL"}),
)
_SCRIPT_NAMES = {"LATIN": "拉丁字母", "CYRILLIC": "西里尔字母", "GREEK": "希腊字母", "CJK": "汉字",
                 "ARMENIAN": "亚美尼亚字母", "HIRAGANA": "平假名", "KATAKANA": "片假名", "HANGUL": "韩文"}


def _url_error(kind: str, message: str, **values: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message, values)


def _check_url(value: str) -> str:
    """An http(s) address whose host is a real domain name, written so that what a reader sees
    is where the link goes: no hidden characters, no `user@` before the host, no look-alike host."""
    bad = _NOT_IN_URL.search(value)
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        named = f"{_CHAR_NAMES[bad.group()]}（{code}）" if bad.group() in _CHAR_NAMES else f" {code}"
        raise _url_error("url_char", "网址中不能有空格、换行或不可见字符，第 {at} 个字符是{char}：请删除",
                         at=str(bad.start() + 1), char=named)
    import urllib.parse  # here, not at the top: 5 ms of `make check` for data without any URL

    parts = urllib.parse.urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not value[len(parts.scheme):].startswith("://"):
        raise _url_error("url_scheme", "应为以 http:// 或 https:// 开头的网址，实际是 “{value}”", value=value)
    host_part = parts.netloc.rpartition("@")[2]
    if "@" in parts.netloc:
        raise _url_error(
            "url_userinfo",
            "网址在 “//” 与主机名之间不能写 “…@”：这个链接实际打开的是 @ 后面的 “{host}”，"
            "而不是看起来的 “{shown}”；请只写网站本身的地址",
            host=host_part, shown=parts.netloc.rpartition("@")[0])
    try:
        _ = parts.port  # urllib checks the port only when asked
    except ValueError:
        raise _url_error("url_port", "网址中的端口号 “{netloc}” 无效：端口应为 1–65535 的数字，一般不用写",
                         netloc=host_part) from None
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        ascii_host = ""
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        raise _url_error("url_host", "网址中的主机名应为域名（如 www.example.cn），实际是 “{host}”",
                         host=host_part or "（空）")
    shown_host = ascii_host.encode().decode("idna")  # as a browser may show it: xn--80ak6aa92e → аррӏе
    scripts = {unicodedata.name(ch, "").split(" ")[0] for ch in shown_host
               if unicodedata.category(ch).startswith("L")}
    if len(scripts) > 1 and not any(scripts <= allowed for allowed in _SCRIPTS_THAT_MIX):
        named = "和".join(_SCRIPT_NAMES.get(script, script) for script in sorted(scripts))
        raise _url_error(
            "url_homograph",
            "网址的主机名 “{host}” 混用了{named}，可能是仿照别的网址做的假网址"
            "（它的真实写法是 {ascii}）：请核对后填写网站真正的地址",
            host=shown_host, named=named, ascii=ascii_host)
    return value


_NO_SURROGATES = BeforeValidator(_forbid_surrogates)
Name = Annotated[str, Field(max_length=NAME_MAX), _NO_SURROGATES, AfterValidator(_check_name)]
Text = Annotated[str, Field(max_length=TEXT_MAX), _NO_SURROGATES, AfterValidator(_check_text)]
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64), AfterValidator(_check_id)]
FieldName = Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$", max_length=64)]


def _check_file_path(value: str) -> str:
    """A path under data/ (where it leads is `files.py`'s to check): a name's rules, not free text."""
    return _check_name(value)


FilePath = Annotated[str, Field(max_length=NAME_MAX), _NO_SURROGATES, AfterValidator(_check_file_path)]
Url = Annotated[str, Field(max_length=2000), _NO_SURROGATES, AfterValidator(_check_url)]


def _check_date(value: object) -> str:
    try:
        return dates.date_text(value)
    except dates.DateError as error:
        raise PydanticCustomError("date", str(error)) from None


# A date of any precision: 2020, 2020-03 or 2020-03-02 (see dates.py). Stored as text.
Date = Annotated[str, BeforeValidator(_check_date, json_schema_input_type=int | str),
                 Field(description="日期：年（2020）、年-月（2020-03）或年-月-日（2020-03-02）",
                       json_schema_extra={"x-date": True})]


@dataclass(frozen=True)
class RefTo:
    """Marks a field as a reference to the id of a record in the top-level list `collection`
    (of either data file); `within`: the id is one of the records listed under the record that
    the sibling field `within` names (a grade of the honour type in `type`). `checks.py`
    resolves every field so marked, and nothing else needs to know which fields are references."""

    collection: str
    within: str | None = None

    def __get_pydantic_json_schema__(self, core_schema, handler):
        """The target goes into the JSON Schema too, for the field reference of the guide."""
        schema = handler(core_schema)
        schema["x-refers-to"] = f"{self.collection}.{self.within}" if self.within else self.collection
        return schema


# A reference is not pattern-checked here: `checks.py` resolves it and, when an editor wrote the
# name instead of the id (清华大学 for tsinghua), says which id to use.
Ref = Annotated[str, Field(min_length=1, max_length=64)]
UnitRef = Annotated[Ref, RefTo("units")]
PersonRef = Annotated[Ref, RefTo("people")]
CategoryRef = Annotated[Ref, RefTo("categories")]
HonourTypeRef = Annotated[Ref, RefTo("honour_types")]
SourceRef = Annotated[Ref, RefTo("sources")]
GradeRef = Annotated[Ref, RefTo("honour_types", within="type")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


SOURCE_KINDS = {
    "work-report": "工作材料/总结", "news": "新闻报道", "award-list": "表彰或命名文件",
    "notice": "通知公告", "web-page": "网页", "other": "其他",
}
SourceKind = Literal["work-report", "news", "award-list", "notice", "web-page", "other"]


class Source(Model, title="出处"):
    """事实的出处：来源文件及文中位置。"""

    doc: SourceRef = Field(title="来源文件", description="来源文件的 id，见 units.yaml 的 sources，如 report-2020")
    loc: Name | None = Field(
        None, title="文中位置", description="文中位置：原文有文本文件时写行号加段落，如 “L21 二（三）四是”（make check 核对摘句在该行）；"
                          "否则写段落、页码或小标题，如 “第三段”")
    quote: Text | None = Field(None, title="原文摘句", description="原文摘句，一字不改")
    url: Url | None = Field(None, title="网址", description="这条事实所在网页的网址（仅 http/https），若与来源文件的网址不同")


# -- photos ----------------------------------------------------------------------------------------

MEDIA_DIR = "media"      # the one folder of photos, under data/
ALT_MIN, ALT_MAX = 4, 120   # characters of alt text: enough to say what is shown, short enough to hear
CAPTION_MAX = 300
# Where a photo is used, and the narrowest source that still looks sharp there (CSS width × 2 for
# phones' screens). `error`: narrower is refused (a blurred cover or share card is the first thing a
# reader sees); otherwise narrower is a warning. One declaration: the model's fields name a use,
# the checks and the guide read the widths from here.
PHOTO_USES: dict[str, tuple[str, int, bool]] = {
    "cover":    ("封面", 1200, True),
    "share":    ("分享图", 1200, True),
    "gallery":  ("组图照片", 960, False),
    "photo":    ("照片", 800, False),
    "portrait": ("肖像", 400, False),
    "logo":     ("标志", 200, False),
}
_PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")


def check_media_path(value: str) -> str:
    """A photo's path: under data/media/, relative to data/, with a photo's extension."""
    if not isinstance(value, str):
        raise TypeError(value)
    _check_name(value)
    if "\\" in value:
        raise PydanticCustomError("media_path", "路径请用 / 分隔，如 media/2020/guangpan-01.jpg")
    parts = value.split("/")
    if parts[0] != MEDIA_DIR or len(parts) < 2 or any(part in ("", ".", "..") for part in parts):
        raise PydanticCustomError(
            "media_path", "照片文件应放在 data/media/ 文件夹里，写成相对于 data/ 的路径，"
                          "如 media/2020/guangpan-01.jpg（不要以 / 开头，不要用 ..）")
    if not value.lower().endswith(_PHOTO_EXTENSIONS):
        raise PydanticCustomError(
            "media_extension", "照片文件名应以 .jpg、.jpeg、.png、.webp 或 .heic 结尾")
    return value


def _check_alt(value: str) -> str:
    _check_name(value)
    if len(value.strip()) < ALT_MIN:
        raise PydanticCustomError(
            "alt_short", "alt 应用一句话说明照片里是什么（至少 {min} 个字），如 “志愿者在社区门口为居民测量体温”",
            {"min": ALT_MIN})
    if value.strip().lower().endswith(_PHOTO_EXTENSIONS) or value.strip() in ("照片", "图片", "图"):
        raise PydanticCustomError("alt_meaningless", "alt 应说明照片里是什么，而不是文件名或 “照片” 二字")
    return value


MediaPath = Annotated[str, Field(max_length=NAME_MAX), _NO_SURROGATES, AfterValidator(check_media_path)]
Alt = Annotated[str, Field(max_length=ALT_MAX), _NO_SURROGATES, AfterValidator(_check_alt)]
Caption = Annotated[str, Field(max_length=CAPTION_MAX), _NO_SURROGATES, AfterValidator(_check_text)]


class Photo(Model, title="照片"):
    """一张照片：文件、替代文字（alt）、图注、署名、时间与出处。文件放在 data/media/ 下。"""
    file: MediaPath = Field(title="文件", description="照片文件相对于 data/ 的路径，如 media/2020/guangpan-01.jpg；"
                                        "JPEG、PNG、WebP 或 HEIC（iPhone 照片）")
    alt: Alt = Field(title="替代文字", description="替代文字：用一句话说明照片里是什么（给看不见照片的读者），"
                                 f"{ALT_MIN}–{ALT_MAX} 字，如 “志愿者在社区门口为居民测量体温”")
    caption: Caption | None = Field(None, title="图注", description="图注：显示在照片下方的说明，可写时间、地点、人物")
    credit: Name = Field(title="署名", description="署名：拍摄者或提供照片的单位，如 “海淀区融媒体中心 摄” 或 “北京大学 供图”")
    date: Date | None = Field(None, title="拍摄时间", description="拍摄时间，如 2020-03 或 2020-03-02")
    source: Source | None = Field(None, title="出处", description="照片出自哪份来源文件（如一篇新闻报道）；由单位直接报送的不写")


@dataclass(frozen=True)
class PhotoUse:
    """Marks a photo field with its use (a key of `PHOTO_USES`): the checks read from it how wide
    the photo must be, the templates how large it is shown."""
    use: str

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema["x-photo-use"] = self.use
        return schema


def photo_field(use: str):
    return Annotated[Photo, PhotoUse(use)]


def photo_uses() -> dict[str, str]:
    """Field name → use, read from the `PhotoUse` markers of every model (a name has one use)."""
    found: dict[str, str] = {}
    for model in all_models():
        for name, info in model.model_fields.items():
            markers, inner, _ = field_parts(info.annotation, info.metadata)
            for marker in markers:
                if isinstance(marker, PhotoUse):
                    assert found.get(name, marker.use) == marker.use, f"{name}: two photo uses"
                    found[name] = marker.use
    return found


class Sourced(Model):
    """A record that says whether its source states it, or how it was inferred (not in the
    schema: every record model below inherits these four fields)."""

    basis: Basis = Field(
        title="依据", description="依据：stated＝所注来源（source）明确记载；inferred＝推断（须写 note 说明理由）"
    )
    note: Text | None = Field(None, title="说明", description="说明：推断的理由、存疑之处")
    source: Source | None = Field(None, title="出处", description="出处")
    inferred: dict[FieldName, Text] = Field(
        title="推断的字段", default_factory=dict,
        description="本条记录中属于推断的字段：字段名 → 推断理由，如 category: 按单位性质归类",
    )

    @model_validator(mode="after")
    def _explain_inferences(self) -> Sourced:
        if self.basis != "stated" and self.note is None:
            raise PydanticCustomError(
                "note_required", "依据为 “{basis}” 时必须写 note 说明理由", {"basis": self.basis}
            )
        unknown = sorted(self.inferred.keys() - type(self).model_fields.keys()) if self.inferred else None
        if unknown:
            raise PydanticCustomError(
                "inferred_unknown_field",
                "inferred 里的 “{field}” 不是本条记录的字段",
                {"field": unknown[0]},
            )
        return self


# Where a qualifier stands in Chinese: 近300条, 约1万人, 超过1000小时 — but 40余家, 90余万人,
# 100多个 (after the digits, before 万 and the unit).
QUALIFIERS = {"近": "before", "约": "before", "超过": "before", "逾": "before", "不少于": "before",
              "至少": "before", "余": "after", "多": "after"}
Qualifier = Literal["近", "约", "超过", "逾", "不少于", "至少", "余", "多"]


class Figure(Sourced, title="数字"):
    """来源给出的一个数字，如 近300条、10万辆、40余家。"""

    label: Name = Field(title="统计项", description="这个数字数的是什么，如 “抗疫信息”")
    value: int | float = Field(title="数值", description="数值，写阿拉伯数字：10万写作 100000")
    unit: Name | None = Field(None, title="量词", description="量词或单位，如 家、条、辆、天")
    qualifier: Qualifier | None = Field(
        None, title="限定词", description="限定词：近、约、超过、逾、不少于、至少（写在数字前），余、多（写在数字后）；"
                          "原文是 “近300条” 就写 近，“40余家” 就写 余")
    date: Date | None = Field(None, title="时间", description="数字所指的时间（不写即所在记录的时间）")

    @model_validator(mode="after")
    def _finite(self) -> Figure:
        if not math.isfinite(self.value):
            raise PydanticCustomError("not_finite", "数值应为有限的数字")
        return self


class Platform(Sourced, title="交流平台"):
    """文明委的交流平台：微信群、简报、实践阵地等。"""
    id: Id = Field(title="id", description="稳定 id：小写字母、数字、连字符")
    name: Name = Field(title="名称", description="名称")
    kind: Name = Field(title="类型", description="类型，如 微信群、简报、实践阵地")
    summary: Text | None = Field(None, title="简介", description="简介")


class Office(Sourced, title="职务"):
    """文明委领导职务：人数及由谁担任。"""

    count: int = Field(title="人数", ge=0, le=1000, description="人数")
    held_by: Name = Field(title="担任者", description="由谁担任，如 “区委书记、区长”")


class Membership(Sourced, title="成员总数"):
    """文明委成员单位总数。"""
    total: int = Field(title="成员单位总数", ge=0, le=100000, description="成员单位总数（来源所述）")


Group = Literal["district", "resident"]


class GroupCount(Sourced, title="成员分组"):
    """区属 / 驻区单位的总数（如 区属 79 家、驻区 58 家）。"""

    group: Group = Field(title="分组", description="district 或 resident")
    name: Name = Field(title="名称", description="名称，如 驻区单位")
    declared_count: int = Field(title="成员数", ge=0, le=100000, description="来源所述的成员数")


class CategoryCount(Sourced, title="类别成员数"):
    """某一类别的成员单位数（如 高校 15 家）。"""

    category: CategoryRef = Field(title="类别", description="类别 id（见 categories）")
    declared_count: int = Field(title="成员数", ge=0, le=100000, description="来源所述的成员数；列为成员的单位不得多于此数")


class Snapshot(Sourced, title="文明委概况"):
    """文明委在某一时间的组成：领导职务、成员总数、分组和各类别的成员数。每年（或每次变化）写一期。"""

    date: Date = Field(title="时间", description="这期概况所指的时间，如 2020 或 2021-06")
    directors: Office | None = Field(None, title="主任", description="主任")
    deputy_directors: Office | None = Field(None, title="副主任", description="副主任")
    membership: Membership | None = Field(None, title="成员单位总数", description="成员单位总数")
    groups: list[GroupCount] = Field(title="分组", default_factory=list, max_length=10, description="区属 / 驻区单位的总数")
    category_counts: list[CategoryCount] = Field(title="各类别成员数", default_factory=list, max_length=100,
                                                 description="各类别的成员单位数")
    figures: list[Figure] = Field(title="数字", default_factory=list, max_length=500, description="其他数字")


class Committee(Sourced, title="文明委"):
    """文明委本身：名称、口号、交流平台，以及各个时间的概况（snapshots）。"""
    name: Name = Field(title="简称", description="简称，如 海淀区文明委")
    full_name: Name | None = Field(None, title="全称", description="全称")
    slogan: Name | None = Field(None, title="口号", description="工作着力点 / 口号")
    summary: Text | None = Field(None, title="概述", description="概述")
    goals: list[Name] = Field(title="工作目标", default_factory=list, max_length=100, description="工作目标")
    platforms: list[Platform] = Field(title="交流平台", default_factory=list, max_length=LIST_MAX, description="交流平台")
    snapshots: list[Snapshot] = Field(title="概况", min_length=1, max_length=100,
                                      description="各个时间的概况，一期一项，按时间先后排列均可")
    share_image: photo_field("share") | None = Field(
        None, title="分享图", description="全站默认分享图：页面没有自己的照片时，微信等分享卡片显示这张（宽至少 1200 像素）")


class Category(Sourced, title="单位类别"):
    """成员单位的类别。各类别的成员数写在文明委概况（snapshots）的 category_counts 里。"""
    id: Id = Field(title="id", description="类别 id，如 university")
    name: Name = Field(title="名称", description="类别名称，如 高校")
    group: Literal["district", "resident", "none"] = Field(
        title="分组", description="district＝区属单位；resident＝驻区单位；none＝非成员（公园、领导机关等）"
    )


class Grade(Model, title="等级"):
    """荣誉类型中的一个等级或名次，如 年榜人物、月榜、提名奖、第一批。"""
    id: Id = Field(title="id", description="等级 id，在本荣誉类型内唯一，如 annual、monthly、nominee")
    name: Name = Field(title="名称", description="名称，如 年度榜样、月榜、提名奖")


class HonourType(Sourced, title="荣誉类型"):
    """一种荣誉：名称、级别、评选机构，及其等级（从高到低）。"""
    id: Id = Field(title="id", description="荣誉 id，如 china-good-person")
    name: Name = Field(title="名称", description="荣誉名称，如 中国好人")
    level: Level = Field(title="级别", description="级别：national 全国；municipal 北京市；district 海淀区")
    awarded_by: Name | None = Field(None, title="评选机构", description="授予或评选机构")
    kind: Literal["award", "designation"] = Field(
        title="类型", description="award＝评选授予的荣誉；designation＝命名、加入（如实践基地）"
    )
    grades: list[Grade] = Field(title="等级", default_factory=list, max_length=50,
                                description="等级或名次，从高到低排列，如 年度榜样、月榜、提名奖")
    summary: Text | None = Field(None, title="简介", description="简介")


HONOUR_STATUS = {"awarded": "获得", "candidate": "候选", "designated": "命名/加入"}


class Honour(Sourced, title="荣誉记录"):
    """单位、人物或集体获得的一项荣誉（写在获得者的记录里）。"""
    type: HonourTypeRef = Field(title="荣誉类型", description="荣誉类型 id（见 honour_types）")
    date: Date | None = Field(None, title="时间", description="授予或公布的时间，如 2020 或 2024-03")
    grade: GradeRef | None = Field(None, title="等级", description="等级 id（见该荣誉类型的 grades），如 annual")
    status: Literal["awarded", "candidate", "designated"] = Field(
        title="状态", description="awarded＝获得；candidate＝候选；designated＝命名/加入"
    )
    photo: photo_field("photo") | None = Field(None, title="照片", description="证书、奖牌或颁奖现场的照片")


class Person(Sourced, title="人物或集体"):
    """一位人物或一个集体（团队、班组）：所在单位、职务、荣誉。"""
    id: Id = Field(title="id", description="id，全站唯一，用作网址 /people/<id>/，如 chen-wei")
    kind: Literal["person", "group"] = Field("person", title="类型", description="person＝个人（默认）；group＝集体、团队")
    name: Name = Field(title="名称", description="姓名或集体名称")
    unit: UnitRef | None = Field(None, title="所在单位", description="所在单位的 id（本站收录的单位，见 units）")
    affiliation: Name | None = Field(
        None, title="所在单位或身份", description="所在单位或身份（所在单位不是本站收录的单位时写），如 “国家游泳队运动员”")
    titles: list[Name] = Field(title="职务", default_factory=list, max_length=50, description="职务")
    summary: Text | None = Field(None, title="简介", description="简介")
    honours: list[Honour] = Field(title="荣誉", default_factory=list, max_length=LIST_MAX, description="荣誉")
    portrait: photo_field("portrait") | None = Field(None, title="肖像", description="肖像照片（本人或集体的合影）")


class Unit(Sourced, title="单位"):
    """一个单位：类别、成员身份、荣誉。单位的人物写在 people 里（unit: 本单位 id）。"""
    id: Id = Field(title="id", description="单位 id，全站唯一，用作网址 /units/<id>/")
    name: Name = Field(title="名称", description="来源中的名称")
    full_name: Name | None = Field(None, title="全称", description="全称（若与来源中的名称不同）")
    aliases: list[Name] = Field(title="别名", default_factory=list, max_length=50, description="别名、简称")
    category: CategoryRef = Field(title="类别", description="类别 id（见 categories）")
    membership: Literal["stated", "inferred", "unknown"] = Field(
        title="成员身份", description="是否文明委成员单位：stated 来源明言；inferred 推断；unknown 不明（不计入类别的成员数）"
    )
    parent: UnitRef | None = Field(None, title="上级单位", description="上级单位 id")
    summary: Text | None = Field(None, title="简介", description="简介")
    website: Url | None = Field(None, title="官方网站", description="官方网站，如 https://www.pku.edu.cn/")
    honours: list[Honour] = Field(title="荣誉", default_factory=list, max_length=LIST_MAX, description="本单位获得的荣誉")
    logo: photo_field("logo") | None = Field(None, title="标志", description="单位标志（徽标），PNG 最好")
    photo: photo_field("photo") | None = Field(None, title="照片", description="单位的照片，如大门、楼宇或工作场景（宽至少 800 像素）")


ROLL_NAMES_MAX = 100_000  # characters: 5,000 names of up to 20 characters


class Roll(Sourced, title="获奖名单"):
    """一份公布的名单（如 2024 年“北京榜样”年榜）：名字一行一个，不用写 id。
    与本站单位、人物同名的（繁简、空格等不计）自动链接到其页面，其余照原样显示。"""
    id: Id = Field(title="id", description="名单 id，如 beijing-role-model-2024")
    type: HonourTypeRef = Field(title="荣誉类型", description="荣誉类型 id（见 honour_types）")
    date: Date = Field(title="时间", description="公布时间，如 2024 或 2024-12")
    grade: GradeRef | None = Field(None, title="等级", description="等级 id（见该荣誉类型的 grades）")
    status: Literal["awarded", "candidate", "designated"] = Field(
        "awarded", title="状态", description="awarded＝获得（默认）；candidate＝候选；designated＝命名/加入")
    title: Name | None = Field(None, title="标题", description="名单标题，如 “2024年度北京榜样年榜人物”")
    names: Annotated[str, Field(max_length=ROLL_NAMES_MAX), _NO_SURROGATES, AfterValidator(_check_text)] = Field(
        title="名单", description="名单：一行一个名字（单位名称或人名），可从原文直接粘贴，用 “|” 开头的多行文字")


class SourceDoc(Model, title="来源文件"):
    """数据所依据的一份文件：工作材料、新闻报道、表彰名单、通知、网页等。"""
    id: Id = Field(title="id", description="来源 id，如 report-2020、news-2024-03-02-xueleifeng")
    kind: SourceKind = Field(
        title="类型", description="类型：work-report 工作材料/总结；news 新闻报道；award-list 表彰或命名文件；"
                    "notice 通知公告；web-page 网页；other 其他。只有 work-report 会生成年度报告页")
    title: Name = Field(title="标题", description="标题")
    publisher: Name | None = Field(None, title="发布单位", description="报送或发布单位，如 海淀区委宣传部、北京日报")
    date: Date | None = Field(None, title="时间", description="发布或报送时间；工作材料写所述年度，如 2020")
    file: FilePath | None = Field(
        None, title="原文文件", description="原文（UTF-8 纯文本）相对于 data/ 的路径，如 sources/report-2020-simplified.txt；"
                          "写了它，make check 会逐条核对摘句 quote 和行号 loc"
    )
    url: Url | None = Field(None, title="网址", description="网址")
    note: Text | None = Field(None, title="说明", description="说明")


class UnitsFile(Model):
    """文明委、来源、单位、人物与荣誉。"""

    model_config = ConfigDict(title="海淀区文明委 · 单位数据 (data/units.yaml)")

    sources: list[SourceDoc] = Field(title="来源文件", max_length=LIST_MAX, description="来源文件")
    committee: Committee = Field(title="文明委", description="海淀区文明委")
    categories: list[Category] = Field(title="单位类别", max_length=100, description="单位类别")
    honour_types: list[HonourType] = Field(title="荣誉类型", max_length=LIST_MAX, description="荣誉类型")
    units: list[Unit] = Field(title="单位", max_length=UNITS_MAX, description="单位")
    people: list[Person] = Field(title="人物与集体", default_factory=list, max_length=LIST_MAX, description="人物与集体")
    rolls: list[Roll] = Field(title="获奖名单", default_factory=list, max_length=LIST_MAX, description="获奖名单")


class Participant(Sourced, title="参与者"):
    """参与某项行动的单位或人物，及其角色。"""
    unit: UnitRef | None = Field(None, title="参与单位", description="参与单位 id（见 units.yaml 的 units）")
    person: PersonRef | None = Field(None, title="参与的人物或集体", description="参与的人物或集体 id（见 units.yaml 的 people）")
    role: Name | None = Field(None, title="角色", description="在此行动中的角色或做法")

    @model_validator(mode="after")
    def _one_participant(self) -> Participant:
        if (self.unit is None) == (self.person is None):
            raise PydanticCustomError(
                "participant_one_of", "参与者要写 unit（单位 id）或 person（人物 id）之一，不能都写或都不写")
        return self


class Period(Model, title="时间"):
    """起止时间：年、年-月或年-月-日。"""
    start: Date = Field(title="开始", description="开始，如 2020、2024-03 或 2024-03-02")
    end: Date | None = Field(None, title="结束", description="结束；不写表示与开始同一时间（同一年、同一月或同一天）")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end is not None and dates.end_key(self.end) < dates.sort_key(self.start):
            raise PydanticCustomError(
                "period_order", "结束时间 {end} 早于开始时间 {start}", {"end": self.end, "start": self.start},
            )
        return self

    @property
    def last(self) -> str:
        """The end, or the start when there is no end."""
        return self.end or self.start

    @property
    def years(self) -> range:
        return dates.years_between(self.start, self.end)


class Action(Sourced, title="具体行动"):
    """活动中的一项具体行动。"""
    id: Id = Field(title="id", description="行动 id，在本活动内唯一")
    title: Name = Field(title="标题", description="标题，如 共同践行文明条例")
    period: Period | None = Field(None, title="时间", description="时间（不写即所属活动的时间）")
    summary: Text | None = Field(None, title="内容", description="做了什么")
    keywords: list[Name] = Field(title="关键词", default_factory=list, max_length=50, description="关键词，便于搜索")
    participants: list[Participant] = Field(
        title="参与者", default_factory=list, max_length=LIST_MAX, description="点名的参与单位或人物及其角色"
    )
    participant_count: Figure | None = Field(
        None, title="参与单位总数", description="来源所述的参与单位总数（点名的往往只是其中一部分），如 "
                          "{label: 参与单位, value: 36, unit: 家, basis: stated}"
    )
    figures: list[Figure] = Field(title="数字", default_factory=list, max_length=500, description="数字")
    honours: list[HonourTypeRef] = Field(
        title="产生的荣誉", default_factory=list, max_length=100, description="此行动产生的荣誉类型 id"
    )
    photos: list[photo_field("gallery")] = Field(title="照片", default_factory=list, max_length=50, description="这项行动的照片")


class Activity(Sourced, title="活动"):
    """一项共建活动，包括若干具体行动。"""
    id: Id = Field(title="id", description="活动 id，全站唯一，用作网址 /activities/<id>/")
    title: Name = Field(title="标题", description="标题")
    short_title: Name | None = Field(None, title="短标题", description="短标题，用于导航和图表")
    section: Name | None = Field(
        None, title="章节", description="在工作材料（source 为 work-report）中的章节，如 二（三）；其他来源不写")
    period: Period = Field(title="时间", description="时间")
    summary: Text | None = Field(None, title="概述", description="概述")
    actions: list[Action] = Field(title="具体行动", default_factory=list, max_length=500, description="具体行动")
    cover: photo_field("cover") | None = Field(None, title="封面", description="封面照片：显示在活动页顶部和分享卡片上（宽至少 1200 像素）")
    photos: list[photo_field("gallery")] = Field(title="组图", default_factory=list, max_length=100, description="组图：活动的其他照片")


class ActivitiesFile(Model):
    """成员单位共同开展的活动。"""

    model_config = ConfigDict(title="海淀区文明委 · 活动数据 (data/activities.yaml)")

    activities: list[Activity] = Field(title="活动", max_length=LIST_MAX, description="活动")


# -- what the fields hold, read from their types (for the checks and the tests) ------------------

FILE_MODELS = {"units.yaml": UnitsFile, "activities.yaml": ActivitiesFile}


def field_label(model: type[BaseModel], name: str) -> str:
    """What a field is called in Chinese (its `title`: 简介, 类别, 时间): the one name editors read
    in the field reference, the editorial notes and the change summary of a pull request. A key
    the model does not have is shown as it is written."""
    info = model.model_fields.get(name)
    return info.title if info is not None and info.title else name


def list_cap(metadata) -> int | None:
    """A list field's `max_length`, as its `Field(max_length=...)` declares it."""
    import annotated_types

    return next((m.max_length for m in metadata if isinstance(m, annotated_types.MaxLen)), None)


def longest_list(models: tuple[type[BaseModel], ...] = tuple(FILE_MODELS.values())) -> int:
    """The largest `max_length` of any list the data files hold, at any depth: how many items
    the loader keeps of one list before it only counts them."""
    return max([0, *(list_cap(info.metadata) or 0 for model in all_models(models)
                     for info in model.model_fields.values()
                     if field_parts(info.annotation, info.metadata)[2])])


def list_caps() -> tuple[dict[str, int], int]:
    """The cap of each top-level list of the data files (`units` → 20000), and the largest cap of
    any list inside a record: what the loader keeps of each list before it only counts."""
    top: dict[str, int] = {}
    inner: list[type[BaseModel]] = []
    for model in FILE_MODELS.values():
        for name, info in model.model_fields.items():
            _, record, is_list = field_parts(info.annotation, info.metadata)
            if is_list:
                top[name] = list_cap(info.metadata) or 0
            if record is not None:
                inner.append(record)
    return top, longest_list(tuple(inner))


def field_parts(annotation: object, metadata: list | tuple = ()) -> tuple[list, type[BaseModel] | None, bool]:
    """A field's type taken apart: (its markers: `RefTo`, validators, constraints, from every
    `Annotated` layer; the model it holds, if any; whether it is a list), through `X | None`
    and `list[X]`."""
    import types
    import typing

    markers, is_list = list(metadata), False
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = typing.get_args(annotation)
            for marker in extra:  # Field(...) inside Annotated carries its own constraints
                markers.extend(getattr(marker, "metadata", None) or [marker])
        elif origin is list:
            (annotation,) = typing.get_args(annotation)
            is_list = True
        elif origin is typing.Union or isinstance(annotation, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                break
            annotation = members[0]
        else:
            break
    model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    return markers, model, is_list


def is_free_text(annotation: object, metadata: list | tuple = ()) -> bool:
    """A `Name` or `Text` (or a list of them, or a mapping to them): words an editor writes,
    as opposed to ids, references, choices, dates, addresses and numbers."""
    import typing

    markers, model, _ = field_parts(annotation, metadata)
    if model is None and typing.get_origin(annotation) is dict:
        return is_free_text(typing.get_args(annotation)[1])
    return model is None and any(getattr(m, "func", None) in (_check_name, _check_text, _check_alt) for m in markers)


def free_text_fields() -> list[str]:
    """Every free-text field, as a path from its file's root (`units[].honours[].note`)."""
    found: list[str] = []

    def walk(model: type[BaseModel], prefix: str, seen: tuple) -> None:
        for name, info in model.model_fields.items():
            _, inner, is_list = field_parts(info.annotation, info.metadata)
            path = f"{prefix}.{name}" if prefix else name
            if inner is not None and inner not in seen:
                walk(inner, path + ("[]" if is_list else ""), (*seen, inner))
            elif inner is None and is_free_text(info.annotation, info.metadata):
                found.append(path + ("[]" if is_list else ""))

    for model in FILE_MODELS.values():
        walk(model, "", (model,))
    return found


def all_models(models: tuple[type[BaseModel], ...] = tuple(FILE_MODELS.values())) -> list[type[BaseModel]]:
    """Every model the data files use (or `models` and what their fields hold), each once."""
    seen: list[type[BaseModel]] = []
    stack: list[type[BaseModel]] = list(models)
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            _, inner, _ = field_parts(info.annotation, info.metadata)
            if inner is not None:
                stack.append(inner)
    return seen


def not_text_keys() -> set[str]:
    """Field names whose value is not free text (ids, references, choices, dates, addresses,
    numbers) in some model: what a test may fill with hostile text is every other key. A name
    that is text in one model and a choice in another (`kind`: a platform's kind is text, a
    source's a choice) or a choice in one and records in another (`membership`: a unit's choice,
    a snapshot's record) is not text. A list of references under the name of a list of records
    (`honours`: an action's honour type ids, a unit's honours) is left to the caller, which can
    tell the two apart by their items."""
    record_lists: set[str] = set()
    plain: dict[str, bool] = {}  # name → is a list
    for model in all_models():
        for name, info in model.model_fields.items():
            _, inner, is_list = field_parts(info.annotation, info.metadata)
            if inner is not None:
                if is_list:
                    record_lists.add(name)
            elif not is_free_text(info.annotation, info.metadata):
                plain[name] = plain.get(name, False) or is_list
    return {name for name, is_list in plain.items() if not (is_list and name in record_lists)}
