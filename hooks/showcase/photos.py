"""The photos of the data: each file that a record names, looked at once (is it there, is it a real
image of an accepted kind and size, is it a copy of another), and every file of `data/media/` that
no record names. What to do with a good photo (the sizes a page serves) is `media.py`'s.

Looking at a photo means decoding it: 30–100 ms for a phone photo. The preview checks the data on
every save, so what was found is remembered by the file's size and modification time, and a save
that touches no photo decodes none.
"""

from __future__ import annotations

import difflib
import json
import os
import posixpath
import re
from dataclasses import dataclass

from .files import UnsafeFile, unsafe_reason
from .media import EXTENSIONS, ImageError, ImageInfo, inspect_image, looks_alike
from .models import MEDIA_DIR, PHOTO_USES
from .problems import quote


@dataclass(frozen=True)
class Verdict:
    """What an editor is told about one photo reference; `warning`: the site builds all the same."""
    message: str
    warning: bool = False
    meant: str | None = None  # the existing file a wrong name most likely means


class Inspector:
    """`inspect_image` remembered by (path, size, modification time, inode): in the process (the
    preview, across rebuilds) and, given a cache folder, on disk, so that `make check` and a build
    after it do not decode every photo again. A photo changed under the same size and time would
    be missed here, but not published wrongly: processing checks the bytes' digest again."""

    FILE = "inspected.json"

    def __init__(self) -> None:
        self._seen: dict[str, tuple[tuple[int, int, int], ImageInfo | Exception]] = {}
        self._stored: dict[str, dict[str, list]] = {}  # cache folder → its file's entries
        self._dirty: set[str] = set()

    def inspect(self, path: str, root: str, cache: str | None = None) -> ImageInfo:
        try:
            stat = os.lstat(path)
            key = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        except OSError:
            key = None
        remembered = self._seen.get(path)
        if key is not None and remembered and remembered[0] == key:
            if isinstance(remembered[1], Exception):
                raise remembered[1]
            return remembered[1]
        stored = self._store(cache).get(path) if cache and key else None
        if stored and tuple(stored[:3]) == key:
            info = ImageInfo(*stored[3:])
            self._seen[path] = (key, info)
            return info
        try:
            info = inspect_image(path, root)
        except (ImageError, UnsafeFile) as error:
            if key is not None:
                self._seen[path] = (key, error)
            raise
        if key is not None:
            self._seen[path] = (key, info)
            if cache:
                self._store(cache)[path] = [*key, info.digest, info.format, info.width, info.height, info.look]
                self._dirty.add(cache)
        return info

    def _store(self, cache: str) -> dict[str, list]:
        if cache not in self._stored:
            try:
                with open(os.path.join(cache, self.FILE), encoding="utf-8") as f:
                    loaded = json.load(f)
                self._stored[cache] = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):  # none yet, or unreadable: start again
                self._stored[cache] = {}
        return self._stored[cache]

    def save(self) -> None:
        """Write what was found to each cache folder used (atomically: a build at the same time
        reads the old file or the new one, never half of one)."""
        for cache in sorted(self._dirty):
            try:
                os.makedirs(cache, exist_ok=True)
                temporary = os.path.join(cache, f".{self.FILE}.{os.getpid()}")
                with open(temporary, "w", encoding="utf-8") as f:
                    json.dump(self._stored[cache], f, separators=(",", ":"))
                os.replace(temporary, os.path.join(cache, self.FILE))
            except OSError:
                pass  # a cache that cannot be written costs time, not correctness
        self._dirty.clear()


INSPECTOR = Inspector()


def media_files(data_dir: str) -> list[str]:
    """Every regular file under data/media/, as a path relative to data/ ("media/2020/a.jpg").
    Symlinks and special files are not listed: the dataset reports them already."""
    found: list[str] = []
    top = os.path.join(data_dir, MEDIA_DIR)
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
        for name in sorted(names):
            path = os.path.join(folder, name)
            if unsafe_reason(path, data_dir) is None:
                found.append(posixpath.join(*os.path.relpath(path, data_dir).split(os.sep)))
    return found


def near_name(missing: str, known: list[str]) -> tuple[str, str] | None:
    """The file a name nearly names, with the hint to show: "（是否指 “media/2020/guangpan-01.jpg”？）";
    letter case alone counts as near (a phone names files IMG_0001.JPG)."""
    by_lower = {k.lower(): k for k in known}
    if missing.lower() in by_lower:
        meant = by_lower[missing.lower()]
        return meant, f"（是否指 {quote(meant)}？文件名的大小写要一致）"
    close = difflib.get_close_matches(missing, known, n=1, cutoff=0.75)
    return (close[0], f"（是否指 {quote(close[0])}？）") if close else None


def inspect_reference(file: str, data_dir: str, known: list[str], cache: str | None = None) -> ImageInfo | Verdict:
    """The photo `file` (relative to data/) named by a record: its facts, or what is wrong.
    `cache`: the media cache folder, where what was found is kept for the next run."""
    path = os.path.join(data_dir, *file.split("/"))
    try:
        return INSPECTOR.inspect(path, data_dir, cache)
    except FileNotFoundError:
        near = near_name(file, known)
        return Verdict(f"找不到文件 {quote(file)}{near[1] if near else ''}：请先把照片上传到 data/{MEDIA_DIR}/，"
                       "路径相对于 data/ 目录，大小写要一致", meant=near[0] if near else None)
    except (NotADirectoryError, IsADirectoryError):
        return Verdict(f"{quote(file)} 不是文件：请写照片文件的路径")
    except UnsafeFile as error:
        return Verdict(f"照片 {quote(file)} {error}")
    except ImageError as error:
        return Verdict(f"照片 {quote(file)} {error}")
    except OSError as error:
        return Verdict(f"无法读取照片 {quote(file)}（{error.strerror or error}）")


def size_verdict(info: ImageInfo, use: str) -> Verdict | None:
    """A photo narrower than its use needs: a blurred cover is refused, a small gallery photo is a
    warning (it still shows, at its own size: nothing is ever enlarged)."""
    label, min_width, refuse = PHOTO_USES[use]
    if info.width >= min_width:
        return None
    return Verdict(
        f"作为{label}，照片宽 {info.width} 像素，至少需要 {min_width} 像素"
        f"（{info.width}×{info.height}）：请换用手机拍摄的原图，不要用截图或经微信压缩的图片"
        + ("" if refuse else "；现在会按原尺寸显示，不会放大"),
        warning=not refuse,
    )


def copies(infos: dict[str, ImageInfo]) -> dict[str, tuple[str, bool]]:
    """File → (an earlier file it copies, exact): the same bytes (exact), or the same picture saved
    again (recompressed, resized: `looks_alike`). Earlier: in the order of `infos` (the data's)."""
    found: dict[str, tuple[str, bool]] = {}
    by_digest: dict[str, str] = {}
    seen: list[tuple[str, ImageInfo]] = []
    for file in infos:
        info = infos[file]
        if info.digest in by_digest:
            found[file] = (by_digest[info.digest], True)
            continue
        by_digest[info.digest] = file
        for other, other_info in seen:
            if looks_alike(info.look, other_info.look):
                found[file] = (other, False)
                break
        seen.append((file, info))
    return found


def unused_verdict(file: str) -> Verdict:
    if not file.lower().endswith(EXTENSIONS):
        return Verdict(f"{quote(file)} 不是照片文件（只接受 .jpg、.png、.webp、.heic）：media 文件夹只放照片，"
                       "请删除它", warning=True)
    return Verdict(f"没有记录使用照片 {quote(file)}：请在 YAML 中引用它（file: {file}），或删除这个文件",
                   warning=True)


# -- what a page prints of a photo ---------------------------------------------------------------

# How wide each use is shown (the `sizes` attribute: the browser picks the variant from it and the
# screen's density before it knows the layout). Material's content column is at most about 800 px.
SIZES = {
    "cover": "(min-width: 60em) 800px, 100vw",
    "share": "(min-width: 60em) 800px, 100vw",
    "photo": "(min-width: 60em) 800px, 100vw",
    "gallery": "(min-width: 60em) 190px, (min-width: 30em) 25vw, 33vw",
    "portrait": "(min-width: 60em) 240px, 40vw",
    "logo": "96px",
}


# Screens of 2.5 pixels per CSS pixel and more (most phones sold here are 3×) get the photo at 2×:
# a 3× photo is not visibly sharper on a phone, and it costs 2.25 times the bytes (on a 360 px
# phone: the first screen of a campaign page fell from 262 KB of images to about 120 KB).
DENSE_SCREEN = "(min-resolution: 2.5dppx)"
DENSITY_CAP = 2 / 3


def capped_sizes(sizes: str) -> str:
    """`sizes` for a dense screen: every slot width scaled by DENSITY_CAP, the media conditions
    kept ("(min-width: 60em) 800px, 100vw" → "(min-width: 60em) 533px, 67vw")."""
    def scale(entry: str) -> str:
        condition, _, width = entry.strip().rpartition(" ")
        number, unit = re.fullmatch(r"([\d.]+)(px|vw)", width).groups()
        return f"{condition} {round(float(number) * DENSITY_CAP)}{unit}".strip()
    return ", ".join(scale(entry) for entry in sizes.split(","))


@dataclass(frozen=True)
class PhotoView:
    """A photo as a page prints it: every path site-relative (the template makes them relative to
    the page), every text from the data (escaped where it is printed)."""
    alt: str
    caption: str | None
    credit: str
    date: str | None          # in Chinese
    width: int                # of the largest variant: with `height`, the box reserved before loading
    height: int
    webp: tuple[tuple[str, int], ...]   # (path, width), ascending
    jpeg: tuple[tuple[str, int], ...]
    sizes: str
    source: str | None = None       # the document it comes from, as "title（where in it）"
    source_url: str | None = None

    @property
    def dense_sizes(self) -> str:
        return capped_sizes(self.sizes)

    @property
    def src(self) -> str:
        """The fallback's `src`: the JPEG nearest 800 px (what a browser without srcset gets)."""
        return min(self.jpeg, key=lambda v: abs(v[1] - 800))[0]

    @property
    def full(self) -> str:
        """The largest JPEG: what the gallery's link opens, and the share image."""
        return self.jpeg[-1][0]

    @property
    def full_width(self) -> int:
        return self.jpeg[-1][1]

    @property
    def full_height(self) -> int:
        return round(self.height * self.jpeg[-1][1] / self.width)


def photo_view(photo, processed, use: str, chinese_date, sources: dict) -> PhotoView:
    """`photo`: a models.Photo; `processed`: its media.Processed; `chinese_date`: dates.chinese;
    `sources`: the source documents by id."""
    largest = processed.webp[-1]
    doc = sources.get(photo.source.doc) if photo.source else None
    return PhotoView(
        source=(doc.title + (f"（{photo.source.loc}）" if photo.source.loc else "")) if doc else None,
        source_url=(photo.source.url or doc.url) if doc else None,
        alt=photo.alt, caption=photo.caption, credit=photo.credit,
        date=chinese_date(photo.date) if photo.date else None,
        width=largest.width, height=largest.height,
        webp=tuple((v.path, v.width) for v in processed.webp),
        jpeg=tuple((v.path, v.width) for v in processed.jpeg),
        sizes=SIZES[use],
    )


def photos_in(record, path: tuple = ()):
    """Every photo held by a validated record, at any depth: (path of field names and indexes from
    the record, models.Photo)."""
    from pydantic import BaseModel

    from .models import Photo

    for name in type(record).model_fields:
        value = getattr(record, name)
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            at = (*path, name) if index is None else (*path, name, index)
            if isinstance(item, Photo):
                yield at, item
            elif isinstance(item, BaseModel):
                yield from photos_in(item, at)


def photo_pages(dataset):
    """Every photo of the data with the page that shows it: (page path, where in the data, Photo),
    in file order. The committee's share image belongs to the home page."""
    for at, photo in photos_in(dataset.units.committee, ("committee",)):
        yield "", at, photo
    for folder, records in (("units", dataset.units.units), ("people", dataset.units.people),
                            ("activities", dataset.activities.activities)):
        for i, record in enumerate(records):
            for at, photo in photos_in(record, (folder, i)):
                yield f"{folder}/{record.id}/", at, photo
