"""Photos in the data, as an editor meets them: every mistake a located message in Chinese (an
error where the site would show something wrong, a warning where it only could be better), and
the pages, share cards and open data of a site with photos. Images are drawn by tests/photokit.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from photokit import add_campaign_photos, photo_record, save_photo
from PIL import Image

from showcase.dataset import load_dataset
from sitekit import ROOT, base_data, build_site, read_site, write_data


def _check(folder: Path, units: dict, activities: dict):
    write_data(folder, units, activities, draw_photos=False)
    return load_dataset(str(folder), display_dir="data")


def _lines(report) -> list[str]:
    return [str(p) for p in report.problems]


def _one_activity_photo(folder: Path, record: dict, field: str = "photos"):
    units, activities = base_data()
    activity = activities["activities"][0]
    activity[field] = [record] if field == "photos" else record
    return _check(folder, units, activities)


def test_a_photo_that_is_not_there_is_located_and_the_near_name_suggested(tmp_path):
    save_photo(tmp_path / "media/2020/guangpan-01.jpg", 1200, 900)
    _, report = _one_activity_photo(tmp_path, photo_record("media/2020/guangpan-1.jpg"))
    text = (tmp_path / "activities.yaml").read_text(encoding="utf-8").split("\n")
    line = next(i for i, t in enumerate(text, 1) if "guangpan-1.jpg" in t)
    (problem,) = [p for p in _lines(report) if "找不到" in p]
    assert re.match(rf"data/activities.yaml:{line}:\d+  activities\[0\]\.photos\[0\]\.file：找不到文件 "
                    r"“media/2020/guangpan-1\.jpg”（是否指 “media/2020/guangpan-01\.jpg”？）", problem), problem
    # the file it means is not also called unused (deleting it would be the wrong fix)
    assert not any("没有记录使用照片" in p for p in _lines(report))


def test_a_photo_no_record_names_is_a_warning_on_the_file(tmp_path):
    save_photo(tmp_path / "media/2020/a.jpg", 1200, 900)
    save_photo(tmp_path / "media/2020/unused.jpg", 1200, 900, seed=4)
    _, report = _one_activity_photo(tmp_path, photo_record("media/2020/a.jpg"))
    assert [str(p) for p in report.warnings] == [
        "data/media/2020/unused.jpg:1:1  没有记录使用照片 “media/2020/unused.jpg”：请在 YAML 中引用它"
        "（file: media/2020/unused.jpg），或删除这个文件"]


def test_letter_case_is_named_when_only_it_differs(tmp_path):
    save_photo(tmp_path / "media/IMG_0001.JPG", 1200, 900)
    _, report = _one_activity_photo(tmp_path, photo_record("media/img_0001.jpg"))
    assert any("是否指 “media/IMG_0001.JPG”？文件名的大小写要一致" in p for p in _lines(report)), _lines(report)


def test_a_narrow_cover_is_refused_a_narrow_gallery_photo_is_a_warning(tmp_path):
    save_photo(tmp_path / "media/small.jpg", 1080, 720)
    save_photo(tmp_path / "media/thumb.jpg", 640, 480, seed=3)
    units, activities = base_data()
    activity = activities["activities"][0]
    activity["cover"] = photo_record("media/small.jpg")
    activity["photos"] = [photo_record("media/thumb.jpg")]
    dataset, report = _check(tmp_path, units, activities)
    assert dataset is None
    cover = [p for p in report.problems if p.path == "activities[0].cover.file"]
    assert cover and cover[0].kind == "data" and "作为封面，照片宽 1080 像素，至少需要 1200 像素" in cover[0].message
    gallery = [p for p in report.problems if p.path == "activities[0].photos[0].file"]
    assert gallery and gallery[0].kind == "warning" and "不会放大" in gallery[0].message


def test_warnings_alone_build_and_pass_make_check(tmp_path):
    save_photo(tmp_path / "media/thumb.jpg", 640, 480)
    save_photo(tmp_path / "media/unused.jpg", 640, 480, seed=9)
    (tmp_path / "media/notes.txt").write_text("说明", encoding="utf-8")
    dataset, report = _one_activity_photo(tmp_path, photo_record("media/thumb.jpg"))
    assert dataset is not None and not report and len(report.warnings) == 3, _lines(report)
    assert dataset.images["media/thumb.jpg"].width == 640
    result = subprocess.run([sys.executable, "-m", "showcase", "check", str(tmp_path)], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "GITHUB_ACTIONS": "true"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "提醒（不影响发布，建议处理）" in result.stdout and "数据无误" in result.stdout
    assert "::warning file=" in result.stdout and "::error" not in result.stdout
    assert "“media/notes.txt” 不是照片文件" in result.stdout


def test_the_same_photo_twice(tmp_path):
    save_photo(tmp_path / "media/a.jpg", 1600, 1200, seed=5)
    (tmp_path / "media/copy.jpg").write_bytes((tmp_path / "media/a.jpg").read_bytes())
    Image.open(tmp_path / "media/a.jpg").resize((1200, 900)).save(tmp_path / "media/again.jpg", quality=70)
    units, activities = base_data()
    activities["activities"][0]["photos"] = [photo_record("media/a.jpg"), photo_record("media/copy.jpg"),
                                             photo_record("media/again.jpg"), photo_record("media/a.jpg")]
    _, report = _check(tmp_path, units, activities)
    by_path = {p.path: p for p in report.problems}
    assert "是同一张照片（文件内容完全相同）" in by_path["activities[0].photos[1].file"].message
    assert by_path["activities[0].photos[1].file"].kind == "data"
    assert by_path["activities[0].photos[2].file"].kind == "warning"
    assert "看起来与 “media/a.jpg” 是同一张照片" in by_path["activities[0].photos[2].file"].message
    assert "这一组照片中已有 “media/a.jpg”" in by_path["activities[0].photos[3].file"].message
    # one file on two records (a unit's photo is also a campaign's cover) is fine
    units["units"][0]["photo"] = photo_record("media/a.jpg")
    activities["activities"][0]["photos"] = [photo_record("media/a.jpg")]
    (tmp_path / "media/copy.jpg").unlink()
    (tmp_path / "media/again.jpg").unlink()
    dataset, report = _check(tmp_path, units, activities)
    assert dataset is not None and not report.problems, _lines(report)


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: p.write_text("这不是图片", encoding="utf-8"), "不是图片文件"),
    (lambda p: p.write_bytes(b""), "空文件"),
    (lambda p: p.write_bytes(save_photo(p, 1300, 1000).read_bytes()[:5000]), "文件不完整"),
    (lambda p: Image.new("RGB", (1300, 1000)).save(p, "GIF"), "GIF"),
    (lambda p: Image.new("L", (20000, 20000)).save(p, "PNG"), "像素"),
])
def test_a_file_that_is_no_good_photo_is_an_error_that_says_why(tmp_path, make, expected):
    (tmp_path / "media").mkdir()
    make(tmp_path / "media" / "x.jpg")
    _, report = _one_activity_photo(tmp_path, photo_record("media/x.jpg"))
    (problem,) = [p for p in report.problems if p.path == "activities[0].photos[0].file"]
    assert problem.kind == "data" and problem.message.startswith("照片 “media/x.jpg” ") and expected in problem.message


def test_a_symlinked_photo_is_refused(tmp_path):
    outside = save_photo(tmp_path / "outside.jpg", 1300, 1000)
    (tmp_path / "data" / "media").mkdir(parents=True)
    os.symlink(outside, tmp_path / "data/media/link.jpg")
    _, report = _one_activity_photo(tmp_path / "data", photo_record("media/link.jpg"))
    assert any(p.path == "activities[0].photos[0].file" and "符号链接" in p.message for p in report.problems)


@pytest.mark.parametrize(("record", "expected"), [
    ({"file": "media/a.jpg", "credit": "供图"}, "缺少必填字段"),
    (photo_record("media/a.jpg", alt="照片"), "至少 4 个字"),
    (photo_record("media/a.jpg", alt="IMG_0001.jpg"), "而不是文件名"),
    (photo_record("2020/a.jpg"), "照片文件应放在 data/media/ 文件夹里"),
    (photo_record("media/../units.yaml"), "不要用 .."),
    (photo_record("media/a.gif"), "照片文件名应以 .jpg"),
    ({**photo_record("media/a.jpg"), "credit": None}, "credit"),
])
def test_photo_fields_are_checked_one_by_one(tmp_path, record, expected):
    save_photo(tmp_path / "media/a.jpg", 1300, 1000)
    _, report = _one_activity_photo(tmp_path, record)
    assert any(expected in str(p) for p in report.problems), _lines(report)


# -- a site with photos ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("photos")
    units, activities = base_data()
    activity = add_campaign_photos(units, activities, folder / "data")
    write_data(folder / "data", units, activities)
    site = build_site(folder / "project", folder / "data", env={"SHOWCASE_SITE_URL": "https://wenming.example/"})
    return site, read_site(site), activity, units


def test_campaign_page_has_pictures_sized_and_lazy_after_the_first(photo_site):
    site, _, activity, _ = photo_site
    html = (site / "activities" / activity["id"] / "index.html").read_text(encoding="utf-8")
    images = re.findall(r"<img [^>]*>", html)
    photos = [i for i in images if "media/" in i]
    assert len(photos) == 13
    assert 'fetchpriority="high"' in photos[0] and "loading=" not in photos[0]
    assert all('loading="lazy"' in i and 'fetchpriority="low"' in i for i in photos[1:])
    assert all(re.search(r'width="\d+" height="\d+"', i) for i in photos)
    assert html.count('<source type="image/webp" srcset="') == 13
    # dense screens (3× phones) get the photos at 2×: a second source for them, and two preloads
    assert html.count('<source type="image/webp" media="(min-resolution: 2.5dppx)" srcset="') == 13
    assert html.count('<link rel="preload" as="image" type="image/webp"') == 2
    assert "成员单位志愿者在活动现场合影" in photos[0] and "测试供图" in html and "<figcaption>" in html
    # every address in a srcset is a file of the site
    for srcset in re.findall(r'srcset="([^"]+)"', html):
        for candidate in srcset.split(", "):
            url = candidate.rsplit(" ", 1)[0]
            assert (site / "activities" / activity["id"] / url).resolve().is_file(), url


def test_share_card_is_the_page_photo_or_the_default(photo_site):
    site, pages, activity, _ = photo_site
    html = (site / "activities" / activity["id"] / "index.html").read_text(encoding="utf-8")
    (og,) = re.findall(r'<meta property="og:image" content="([^"]+)"', html)
    assert og.startswith("https://wenming.example/media/") and og.endswith(".jpg")
    assert (site / og.removeprefix("https://wenming.example/")).is_file()
    assert 'name="twitter:image"' in html and '"image": "https://wenming.example/media/' in html.replace('":"', '": "')
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image" content="https://wenming.example/assets/share.png">' in about
    for path in site.rglob("index.html"):  # every page (not 404.html: nobody shares a missing page)
        assert 'property="og:image"' in path.read_text(encoding="utf-8"), path


def test_no_processed_photo_keeps_any_metadata(photo_site):
    site, *_ = photo_site
    outputs = sorted((site / "media").iterdir())
    assert len(outputs) >= 15 * 2
    for path in outputs:
        raw = path.read_bytes()
        with Image.open(path) as image:
            assert not image.getexif(), path
            assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & image.info.keys(), (path, image.info.keys())
        assert _metadata_blocks(raw) == [], path


def _metadata_blocks(raw: bytes) -> list[str]:
    """The blocks of a JPEG or WebP file that can carry metadata (EXIF with GPS and maker notes, XMP,
    ICC, comments): the file's structure read, not its compressed bytes searched (where "GPS" can
    occur by chance). JPEG: every APPn segment but the JFIF APP0, and COM; WebP: EXIF, XMP, ICCP."""
    found = []
    if raw.startswith(b"\xff\xd8"):
        at = 2
        while at + 4 <= len(raw) and raw[at] == 0xFF:
            marker, length = raw[at + 1], int.from_bytes(raw[at + 2:at + 4], "big")
            if marker == 0xDA:  # start of scan: the image data follows
                break
            if (0xE1 <= marker <= 0xEF) or marker == 0xFE or (marker == 0xE0 and raw[at + 4:at + 9] != b"JFIF\0"):
                found.append(f"JPEG segment FF{marker:02X}")
            at += 2 + length
    elif raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        at = 12
        while at + 8 <= len(raw):
            chunk, size = raw[at:at + 4], int.from_bytes(raw[at + 4:at + 8], "little")
            if chunk in (b"EXIF", b"XMP ", b"ICCP"):
                found.append(f"WebP chunk {chunk.decode()}")
            at += 8 + size + (size & 1)
    else:
        found.append("not a JPEG or WebP file")
    return found


def test_a_photo_taken_turned_is_shown_upright(photo_site):
    """The first gallery photo was taken with the phone turned (EXIF orientation 6): 1600×1200 as
    stored, 1200 wide and 1600 tall as shown."""
    site, _, activity, _ = photo_site
    html = (site / "activities" / activity["id"] / "index.html").read_text(encoding="utf-8")
    first = re.findall(r"<img [^>]*第 1 张照片[^>]*>", html)[0]
    assert 'width="1200" height="1600"' in first, first


def test_open_data_lists_each_photo_with_its_addresses(photo_site):
    site, _, activity, _ = photo_site
    listed = json.loads((site / "data" / "photos.json").read_text(encoding="utf-8"))["photos"]
    assert len(listed) == 15
    cover = next(p for p in listed if p["where"] == "activities[0].cover")
    assert cover["alt"] == "成员单位志愿者在活动现场合影" and cover["credit"] == "测试供图"
    assert cover["page"] == f"activities/{activity['id']}/"
    assert {i["type"] for i in cover["images"]} == {"image/webp", "image/jpeg"}
    assert all((site / i["url"]).is_file() for p in listed for i in p["images"])


def test_what_was_found_of_a_photo_is_kept_for_the_next_run(tmp_path, monkeypatch):
    """`make check` and the build after it (new processes) do not decode unchanged photos again;
    a photo saved again (new modification time) is looked at anew."""
    from showcase import photos

    monkeypatch.setenv("SHOWCASE_MEDIA_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "data"
    save_photo(data / "media/a.jpg", 1300, 1000)
    _one_activity_photo(data, photo_record("media/a.jpg"))
    assert (tmp_path / "cache" / photos.Inspector.FILE).is_file()
    decoded, real = [], photos.inspect_image
    monkeypatch.setattr(photos, "INSPECTOR", photos.Inspector())  # as in a new process
    monkeypatch.setattr(photos, "inspect_image", lambda *a: decoded.append(a) or pytest.fail("decoded again"))
    dataset, report = load_dataset(str(data), display_dir="data")
    assert dataset is not None and dataset.images["media/a.jpg"].width == 1300 and decoded == []
    save_photo(data / "media/a.jpg", 1400, 1000)
    monkeypatch.setattr(photos, "inspect_image", lambda *a: decoded.append(a) or real(*a))
    dataset, _ = load_dataset(str(data), display_dir="data")
    assert len(decoded) == 1 and dataset.images["media/a.jpg"].width == 1400


@pytest.mark.browser
@pytest.mark.parametrize(("width", "scheme"), [(360, "light"), (1366, "dark")])
def test_pages_with_photos_in_a_browser(browser, photo_site, width, scheme):
    """The campaign and unit pages with photos, as a reader's browser shows them: no axe violation
    of any impact, every photo in its reserved box (no layout shift), the gallery reached with Tab
    (each photo a link that says what it opens)."""
    from test_accessibility import _axe_js

    from test_browser import _serve

    site, _, activity, units = photo_site
    server, base = _serve(site)
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme, locale="zh-CN")
    page = context.new_page()
    try:
        for path in (f"activities/{activity['id']}/", f"units/{units['units'][0]['id']}/"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.add_script_tag(path=_axe_js())
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            assert [(v["id"], v["impact"]) for v in result["violations"]] == [], path
            # every photo loaded so far (lazy ones far below may not be) fills a box of its own shape
            boxes = page.evaluate("""[...document.querySelectorAll('.sc-photo img')].filter(i => i.naturalWidth)
                .map(i => [i.getAttribute('width') / i.getAttribute('height'), i.naturalWidth / i.naturalHeight])""")
            assert boxes and all(abs(a - b) < 0.01 for a, b in boxes), boxes
        page.goto(base + f"activities/{activity['id']}/")
        page.wait_for_load_state("networkidle")
        links = page.locator(".sc-gallery a.sc-photo__link")
        assert links.count() == 12
        links.first.focus()
        assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("查看大图：")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('sc-photo__link')")
    finally:
        context.close()
        server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("density", [2, 3])
def test_the_first_screen_of_a_campaign_page_on_a_phone_loads_little(browser, photo_site, density):
    """At 360 px, 2× and 3× screens alike: the images fetched before the reader scrolls stay near
    150 KB, the issue's bound. This test page is short, so Chrome fetches all twelve gallery photos
    ahead with the cover (on the real campaign page it fetches six): the worst case, 156 KB."""
    from test_browser import _serve

    site, _, activity, _ = photo_site
    server, base = _serve(site)
    context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=density, is_mobile=True)
    page = context.new_page()
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url) if "/media/" in request.url else None)
    try:
        page.goto(base + f"activities/{activity['id']}/")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        sizes = {url: (site / "media" / url.rsplit("/", 1)[-1]).stat().st_size for url in fetched}
        assert fetched and sum(sizes.values()) <= 160 * 1024, sizes
        assert not any(url.endswith(("-1280.webp", "-1600.webp", ".jpg")) for url in fetched), fetched
    finally:
        context.close()
        server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("which", ["photos", "real"])
def test_nothing_moves_while_a_page_loads(browser, photo_site, real_build, which):
    """Layout shift 0 at 360 px on the campaign page with photos and on the real one without: photo
    boxes are reserved, and the header's buttons keep their place before the scripts run."""
    from test_browser import _serve

    site = photo_site[0] if which == "photos" else real_build[0]
    server, base = _serve(site)
    context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    # the photos come after the first layout, as on a phone's network: their boxes must be reserved
    page.route("**/media/**", lambda route: (time.sleep(0.3), route.continue_()))
    page.add_init_script("""window.__shifts = []; new PerformanceObserver(list => { for (const e of list.getEntries())
        window.__shifts.push([e.value, e.sources.map(s => s.node && (s.node.className || s.node.nodeName))]) })
        .observe({type: 'layout-shift', buffered: true});""")
    try:
        path = f"activities/{photo_site[2]['id']}/" if which == "photos" else "activities/c1-platforms/"
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__shifts") == []
    finally:
        context.close()
        server.shutdown()
