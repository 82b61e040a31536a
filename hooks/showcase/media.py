"""Contributed photos: checked (`inspect_image`) and turned into small, metadata-free variants
for phones (`MediaCache.process_all`).

Editors put phone photos under `data/media/`: 4000×3000 JPEGs of 3–8 MB, iPhone HEIC in
Display P3, pictures whose EXIF says "rotate me", WeChat screenshots, the same photo twice.
Readers are on phones: each photo is published as WebP and JPEG at a few widths, turned upright,
in sRGB, and without any metadata (EXIF GPS, device, owner, XMP, ICC, PNG text, comments).

Every failure an editor can cause is an `ImageError` whose text is a Chinese sentence fragment
("文件不完整（可能上传中断），请重新上传"), never a traceback or a warning: the caller puts the
file name and the YAML location in front of it. Pure functions; no MkDocs, no YAML.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import tempfile
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from . import files

try:  # pillow-heif ships libheif in its wheels; without it HEIC is refused with a message
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - it is in requirements.txt
    pillow_heif = None

# Pillow warns about a photo's broken metadata ("Corrupt EXIF data", "Truncated File Read"); the
# photo is used regardless, and an editor's terminal is no place for a Python warning.
warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL(\.|$)")

ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC"}  # Pillow format → name shown
EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
# Phone photos are 3–8 MB, a 48 MP iPhone HEIC/JPEG 6–15 MB; anything larger is a RAW/ProRAW
# export, a scan or a video renamed, and would only make the repository heavy.
MAX_BYTES = 20 * 1024 * 1024
# Pillow's own default guard (about 89.5 MP, 2^30 bytes / 4 / 3): 48 MP (8064×6048) and 64 MP
# phone modes pass, 108/200 MP "full resolution" modes are refused with a message asking for a
# smaller export. One image at the limit decodes to ~270 MB RGB: two workers stay under 1 GB.
MAX_PIXELS = 89_478_485
# srcset widths, never upscaled. Chosen on the campaign page (Lighthouse mobile: 412 px at 1.75×;
# phones of 360 px at 2× and 3×, 3× capped to 2× by photos.DENSE_SCREEN): 240 for a thumbnail of
# the three-column gallery on every phone (about 230 px needed; 320 cost 13 KB a thumbnail against
# 7.5, and a short page fetches all twelve at once), 800 for a cover the width of a phone (960 cost
# 61 KB against 44), 480 and 1600 for thumbnails and the column on a 2× desktop, 1280 between.
WIDTHS = (240, 480, 800, 1280, 1600)
# The JPEG fallback (browsers without WebP, and link previews, which want JPEG) needs no full srcset:
# the width nearest this one (<img src>), and the largest (the full view and og:image). Five JPEG
# widths were 77 MB for 200 photos, against 34 MB of WebP.
FALLBACK_WIDTH = 800
PIPELINE_VERSION = "5"  # in every output name and cache key: bump when the processing changes
OUTPUT_FOLDER = "media"  # variants are published at site/media/<name>

# Chosen with bench/image_quality.py: 3 generated photo-like scenes (gradients, noise, texture,
# edges, text) 4000×3000 resized to 1600×1200; mean bytes, PSNR against the resize, and PSNR
# after a 1.5 px blur of both (grain discounted, blocking and ringing kept):
#   WebP q60 101 KB 29.9/39.6 dB | q70 120 KB 30.1/40.3 | q75 134 KB 30.3/40.7 | q80 181 KB 30.6/41.6
#        q85 246 KB 30.9/42.3 | q90 362 KB 31.3/43.0   (method 5)
#   JPEG q60 163 KB 28.7/38.5 | q70 206 KB 29.4/39.8 | q75 232 KB 29.7/40.5 | q80 272 KB 30.1/41.3
#        q85 329 KB 30.6/42.2 | q90 430 KB 31.0/43.0
# WebP 75 is the knee: q80 costs +35% bytes for +0.3/0.9 dB, q70 saves 10% for -0.15/0.4 dB.
# JPEG (the fallback for old browsers) is the smallest quality at least as good as WebP 75 on
# both errors (75 falls short on both): 80, progressive, ~2× the WebP bytes.
WEBP_QUALITY = 75
JPEG_QUALITY = 80
# libwebp effort (0–6), 1600 px, q75: method 2 146→150 KB at half the time of 4; 5 is 4% smaller
# than 4 at the same time; 6 another 4% smaller at twice the time. Encoding is most of the work.
WEBP_METHOD = 5

# Two photos "look alike" when the dHashes of their 9×8 greyscale thumbnails differ in at most
# this many of 64 bits. Measured on 6 generated 1200×900 scenes (bench/image_quality.py
# --looks): the same scene as WebP 60 differs in 0–2 bits, re-saved at JPEG 50 in 5–8,
# resized to a third 2–9, brightened by 20 levels 4–9, cropped by 5% 8–14; two different scenes
# 16–36 (they share a sky gradient: real unrelated photos differ more). 10 catches re-saves and
# resizes, and a warning (not an error) is all a false match costs.
LOOK_DISTANCE = 10

# An image from a phone screen (WeChat screenshot) is fine; these are what editors are told to do.
_OTHER_FORMATS = {
    "GIF": "是 GIF 格式：请另存为 JPEG 或 PNG",
    "BMP": "是 BMP 格式：请另存为 JPEG 或 PNG",
    "TIFF": "是 TIFF 格式（扫描仪或相机原始导出）：请另存为 JPEG",
    "AVIF": "是 AVIF 格式：请另存为 JPEG 或 PNG",
    "PDF": "是 PDF 文件，不是图片：请把需要的页面截图或导出为 JPEG/PNG",
    "ICO": "是图标文件（ICO）：请换成 JPEG 或 PNG 图片",
    "PSD": "是 Photoshop 文件（PSD）：请在 Photoshop 里另存为 JPEG",
    "SVG": "是矢量图（SVG）：请导出为 PNG",
    "HTML": "不是图片文件（内容是网页，可能是另存网页时保存错了）：请重新下载原图",
    "ZIP": "不是图片文件（是压缩包）：请解压后放入里面的图片",
    "MP4": "不是图片文件（是视频）：请截取需要的画面另存为 JPEG",
}
EMPTY = "是空文件（0 字节），请重新上传"
TRUNCATED = "文件不完整（可能上传中断），请重新上传"
BROKEN = "无法读取：文件已损坏或不是受支持的图片（支持 JPEG、PNG、WebP、HEIC），请重新导出后上传"
TEXT = "不是图片文件（内容是文本）"
TOO_LONG = "过于细长（{width}×{height}）：网页无法显示这么长的图片，请裁剪成几张后上传"
ANIMATED = "是动图（{frames} 帧）：网站只展示静态照片，请另存为一张 JPEG 或 PNG"
CHANGED = "在检查之后被改动了：请重新构建"


class ImageError(Exception):
    """A photo that cannot be published; `str(error)` is the Chinese reason (without the path)."""


@dataclass(frozen=True)
class ImageInfo:
    digest: str  # sha256 hex of the file's bytes
    format: str  # key of ACCEPTED
    width: int  # after the EXIF orientation: a rotated portrait is tall
    height: int
    look: int  # 64-bit dHash: see looks_alike()


@dataclass(frozen=True)
class Variant:
    path: str  # site-relative, "media/<key>-960.webp"
    width: int
    height: int
    mime: str
    bytes: int


@dataclass(frozen=True)
class Processed:
    digest: str
    width: int  # oriented size of the source
    height: int
    webp: tuple[Variant, ...]  # one per width, ascending
    jpeg: tuple[Variant, ...]  # the fallback: the width nearest FALLBACK_WIDTH and the largest

    def srcset(self, kind: str) -> str:
        """`kind` "webp" or "jpeg" → "media/x-480.webp 480w, media/x-960.webp 960w"."""
        variants = {"webp": self.webp, "jpeg": self.jpeg}[kind]
        return ", ".join(f"{v.path} {v.width}w" for v in variants)

    def largest(self, kind: str) -> Variant:
        return ({"webp": self.webp, "jpeg": self.jpeg}[kind])[-1]


def looks_alike(a: int, b: int) -> bool:
    """The same photo saved twice, recompressed, resized or converted (see LOOK_DISTANCE)."""
    return (a ^ b).bit_count() <= LOOK_DISTANCE


MAX_SIDE = 16383  # WebP's limit on either side of an image


def output_widths(width: int, height: int = 0) -> tuple[int, ...]:
    """The srcset widths for a source `width` × `height` px: never upscaled; a source narrower
    than the largest width is published at its own width too (700 → 480, 700; 300 → 300).
    A long screenshot leaves out the widths at which it would be taller than WebP allows
    (1080×20000 → 480 only); () when even the smallest would be."""
    widths = [w for w in WIDTHS if w <= width]
    if width < WIDTHS[-1] and width not in widths:
        widths.append(width)
    return tuple(w for w in widths if _height_at(w, width, height) <= MAX_SIDE)


def _height_at(target: int, width: int, height: int) -> int:
    return max(1, round(height * target / width))


def output_key(digest: str) -> str:
    """Content hash of the source bytes and PIPELINE_VERSION: the variants' file names."""
    return hashlib.sha256(f"showcase-media {PIPELINE_VERSION} {digest}".encode()).hexdigest()[:16]


# --- reading ------------------------------------------------------------------------------------

def _sniff(data: bytes) -> str | None:
    """A format we refuse, recognised from the first bytes, or None."""
    head = data[:64]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"BM") and int.from_bytes(head[14:18], "little") in (12, 40, 52, 56, 64, 108, 124):
        return "BMP"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "TIFF"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"isom", b"mp41", b"mp42", b"qt  ", b"M4V ", b"3gp4", b"3gp5"):
            return "MP4"
    if head.startswith(b"%PDF"):
        return "PDF"
    if head.startswith(b"\x00\x00\x01\x00"):
        return "ICO"
    if head.startswith(b"8BPS"):
        return "PSD"
    if head.startswith(b"PK\x03\x04"):
        return "ZIP"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "HTML"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return "SVG"
    return None


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    cut = len(data) > len(sample)  # the sample may end inside a character
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            break
        except UnicodeDecodeError as error:
            if cut and error.start >= len(sample) - 4:
                break
    else:
        return False
    return all(b >= 0x20 or b in b"\t\r\n\f" for b in sample[:512])


def _read(path: str, root: str) -> bytes:
    try:
        data = files.read_regular_file(path, root, MAX_BYTES)
    except PermissionError:
        raise ImageError("无法读取（没有读取权限）：请检查文件的权限") from None
    except (FileNotFoundError, files.UnsafeFile):
        raise
    except OSError as error:
        raise ImageError(f"无法读取（系统错误 {error.errno}）：请重新放入这个文件") from None
    if len(data) > MAX_BYTES:
        raise ImageError(f"文件太大（超过 {MAX_BYTES // (1024 * 1024)} MB）：请用手机“压缩”或"
                         "截图工具另存为较小的 JPEG 后上传")
    if not data:
        raise ImageError(EMPTY)
    return data


def _too_many_pixels(width: int, height: int) -> ImageError:
    return ImageError(f"像素过多（{width}×{height}，上限约 {MAX_PIXELS // 10_000 // 100 * 100} 万像素）："
                      "请导出为较小的尺寸（如长边 4000 像素）后上传")


def _header_size(data: bytes) -> tuple[int, int]:
    """The size in the header of an image that Image.open refused as a bomb: the format's
    plugin read directly (it parses the header only; the guard is in Image.open)."""
    for name in ACCEPTED:
        factory, accept = Image.OPEN.get(name, (None, None))
        if factory is None or (accept and not accept(data[:16])):
            continue
        try:
            return factory(io.BytesIO(data)).size
        except Exception:
            continue
    return (0, 0)  # pragma: no cover - Image.open has just read it


# catch_warnings changes process-wide state, which Python 3.11 does not make thread-safe: the
# guarded opens (header reads only, fast) take turns.
_OPEN_LOCK = threading.Lock()


def _open(data: bytes) -> Image.Image:
    """`data` opened (header only) as one of ACCEPTED, with Pillow's bomb guard as an error and
    the pixel count checked before anything is decoded."""
    refused = _sniff(data)
    if refused:
        raise ImageError(_OTHER_FORMATS[refused])
    try:
        with _OPEN_LOCK, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(*_header_size(data)) from None
    except Exception:  # UnidentifiedImageError, and whatever a broken header makes a plugin raise
        raise ImageError(TEXT if _looks_like_text(data) else BROKEN) from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageError(BROKEN)
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)
    if image.format not in ACCEPTED:  # pragma: no cover - formats= above
        raise ImageError(BROKEN)
    frames = getattr(image, "n_frames", 1)
    if image.format != "HEIF" and frames > 1:  # a HEIF's extra images are depth maps, bursts: the
        raise ImageError(ANIMATED.format(frames=frames))  # primary one is the photo
    return image


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block: the photo is shown as stored
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _upright(image: Image.Image) -> Image.Image:
    """`image` turned as its EXIF says, with every piece of metadata dropped."""
    try:
        ImageOps.exif_transpose(image, in_place=True)  # not a copy of a 48 MP photo when upright
    except Exception:  # a broken EXIF block: the photo is shown as stored
        pass
    # Pillow copies info (exif, xmp, icc_profile, PNG text, comment) to derived images: all of it
    # goes, except a palette's or tRNS chunk's transparent colour, which _to_srgb turns into alpha.
    image.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
    return image


def _load(image: Image.Image) -> None:
    try:
        image.load()
    except Image.DecompressionBombError:
        raise _too_many_pixels(*image.size) from None
    except MemoryError:
        raise ImageError("太大，内存不足以读取：请导出为较小的尺寸后上传") from None
    except Exception as error:
        truncated = "truncated" in str(error) or isinstance(error, EOFError)
        raise ImageError(TRUNCATED if truncated else BROKEN) from None


def _dhash(image: Image.Image) -> int:
    grey = _flatten(image).convert("L").resize((9, 8), Image.Resampling.BOX, reducing_gap=2.0)
    pixels = grey.tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (pixels[row * 9 + col] < pixels[row * 9 + col + 1])
    return bits


def inspect_image(path: str, root: str) -> ImageInfo:
    """What the checks need of the photo at `path` (inside `root`), decoded fully enough to
    know it is whole. Raises ImageError, files.UnsafeFile, FileNotFoundError."""
    data = _read(path, root)
    try:
        return _inspect(data)
    except (ImageError, files.UnsafeFile):
        raise
    except Exception:  # never a traceback for any bytes
        raise ImageError(BROKEN) from None


def _inspect(data: bytes) -> ImageInfo:
    image = _open(data)
    width, height = image.size
    orientation = _orientation(image)
    if image.format == "JPEG":
        image.draft("L", (64, 64))  # DCT scaling: every byte is still decoded, 1/64 of the work
    _load(image)
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    if not output_widths(width, height):
        raise ImageError(TOO_LONG.format(width=width, height=height))
    look = _dhash(_upright(image))
    return ImageInfo(hashlib.sha256(data).hexdigest(), image.format, width, height, look)


# --- processing ---------------------------------------------------------------------------------

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_ALPHA_MODES = ("RGBA", "LA", "PA", "La", "RGBa")


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in _ALPHA_MODES or "transparency" in image.info


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB or RGBA in sRGB, whatever the mode (CMYK, 16-bit grey, palette, grey + alpha…)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")  # 16 → 8 bit, not clipped
    elif image.mode == "F":
        image = image.convert("L")
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGBA" if image.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode,
                                                  renderingIntent=ImageCms.Intent.PERCEPTUAL)
            if converted is not None:
                image = converted
        except Exception:  # a broken or unsupported profile: the pixels are used as they are
            pass
    alpha = _has_alpha(image)
    image = image.convert("RGBA" if alpha else "RGB")
    if alpha and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # an opaque alpha channel only costs bytes
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent parts on white (JPEG has no alpha; an editor's logo is drawn for a white page)."""
    if not _has_alpha(image):
        return image
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


def _decode_for_output(data: bytes) -> tuple[Image.Image, int, int]:
    """The photo upright in sRGB, decoded at the smallest JPEG DCT scale still at least as large
    as the largest variant, and the upright size of the source."""
    image = _open(data)
    icc = image.info.get("icc_profile")
    raw_w, raw_h = image.size
    upright_w, upright_h = (raw_h, raw_w) if _orientation(image) in (5, 6, 7, 8) else (raw_w, raw_h)
    if image.format == "JPEG":
        scale = max(output_widths(upright_w, upright_h), default=upright_w) / upright_w
        image.draft(None, (math.ceil(raw_w * scale), math.ceil(raw_h * scale)))
    _load(image)
    return _to_srgb(_upright(image), icc), upright_w, upright_h


def _resized(image: Image.Image, width: int, height: int) -> Image.Image:
    if image.size == (width, height):
        return image
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    image.info = {}
    if kind == "webp":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    else:
        _flatten(image).save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True,
                             subsampling="4:2:0")
    return out.getvalue()


def _write_atomic(path: str, content: bytes) -> None:
    """Written under a temporary name and renamed: a Ctrl-C or a second build at the same time
    never leaves a half file under the final name."""
    folder = os.path.dirname(path)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


_MIME = {"webp": "image/webp", "jpeg": "image/jpeg"}
_EXTENSION = {"webp": "webp", "jpeg": "jpg"}
_VARIANT_NAME = re.compile(r"^[0-9a-f]{16}-[0-9]{1,5}\.(webp|jpg)$")


def _variant_plan(width: int, height: int) -> list[tuple[int, int, tuple[str, ...]]]:
    """The variants of a `width` × `height` source, largest first: (width, height, kinds), a
    JPEG only at the fallback widths. Raises ImageError for a source too long for any width."""
    widths = output_widths(width, height)
    if not widths:
        raise ImageError(TOO_LONG.format(width=width, height=height))
    fallback = {max(widths), min(widths, key=lambda w: abs(w - FALLBACK_WIDTH))}
    return [(target, _height_at(target, width, height), ("webp", "jpeg") if target in fallback else ("webp",))
            for target in sorted(widths, reverse=True)]


def _variant_name(digest: str, width: int, kind: str) -> str:
    return f"{output_key(digest)}-{width}.{_EXTENSION[kind]}"


def planned(info: ImageInfo) -> Processed:
    """What processing the photo of `info` makes, without making it: the same variant paths and
    sizes (file sizes 0). A page rendered with it is the page a build makes, byte for byte, since no
    page prints a variant's file size: what `python -m showcase diff` compares pages with."""
    variants: dict[str, list[Variant]] = {"webp": [], "jpeg": []}
    for target, target_h, kinds in _variant_plan(info.width, info.height):
        for kind in kinds:
            variants[kind].append(Variant(f"{OUTPUT_FOLDER}/{_variant_name(info.digest, target, kind)}",
                                          target, target_h, _MIME[kind], 0))
    return Processed(info.digest, info.width, info.height, tuple(reversed(variants["webp"])),
                     tuple(reversed(variants["jpeg"])))


class ProcessingFailed(ImageError):
    """Some photos could not be processed; `failures` is [(relative path, Chinese reason)]."""

    def __init__(self, failures: list[tuple[str, str]]):
        self.failures = failures
        super().__init__("；".join(f"{path}：{reason}" for path, reason in failures))


class MediaCache:
    """Processed variants kept by content hash in `folder` (outside site/; CI caches it):
    `files/<key>-<width>.<ext>` and `manifests/<key>.json`, the manifest written last."""

    def __init__(self, folder: str):
        self.folder = os.path.abspath(folder)
        self._files = os.path.join(self.folder, "files")
        self._manifests = os.path.join(self.folder, "manifests")

    def file_for(self, variant_path: str) -> str:
        """The cached file behind a Variant.path ("media/<key>-960.webp")."""
        folder, _, name = variant_path.partition("/")
        if folder != OUTPUT_FOLDER or not _VARIANT_NAME.match(name):
            raise ValueError(f"not a variant path: {variant_path!r}")
        return os.path.join(self._files, name)

    def process_all(self, jobs: list[tuple[str, str]], root: str, workers: int = 2) -> dict[str, Processed]:
        """`jobs` (path relative to `root`, digest from inspect_image) → digest → Processed.
        Cache hits cost a manifest read and a stat per variant; misses are processed on
        `workers` threads. Raises ProcessingFailed (after doing every other job) for photos that
        cannot be processed, e.g. changed since they were inspected."""
        os.makedirs(self._files, exist_ok=True)
        os.makedirs(self._manifests, exist_ok=True)
        done: dict[str, Processed] = {}
        missing: dict[str, str] = {}
        for relative, digest in jobs:
            if digest in done or digest in missing:
                continue
            cached = self._cached(digest)
            if cached:
                done[digest] = cached
            else:
                missing[digest] = relative
        failures = []
        # Threads, not processes (bench/image_quality.py --timing, 2 cores, four 4000×3000
        # JPEGs): 1 thread 2.46 s, 2 threads 1.30 s, 2 processes 1.38 s (with a busy neighbour
        # process: 2.90 / 2.61 / 2.58 s). Pillow releases the GIL while it decodes, resizes and
        # encodes, so threads are as fast; processes add start-up and pickling, and nothing more.
        # One photo is one job: a single miss takes ~0.6 s whatever `workers` is.
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {digest: pool.submit(self._process, os.path.join(root, relative), root, digest)
                       for digest, relative in missing.items()}
            for digest, future in futures.items():
                try:
                    done[digest] = future.result()
                except (ImageError, files.UnsafeFile) as error:
                    failures.append((missing[digest], str(error)))
                except FileNotFoundError:
                    failures.append((missing[digest], "文件不存在（可能在检查之后被删除或改名）"))
                except OSError as error:  # the cache folder: disk full, no permission
                    failures.append((missing[digest], f"无法写入图片缓存 {self.folder}（系统错误 "
                                                      f"{error.errno}：{error.strerror}）"))
        if failures:
            raise ProcessingFailed(failures)
        return done

    def _manifest_path(self, digest: str) -> str:
        return os.path.join(self._manifests, output_key(digest) + ".json")

    def _cached(self, digest: str) -> Processed | None:
        """The manifest's Processed if every file it names is there at its recorded size."""
        try:
            with open(self._manifest_path(digest), "rb") as f:
                manifest = json.loads(f.read(64 * 1024))
            if manifest.get("pipeline") != PIPELINE_VERSION or manifest.get("digest") != digest:
                return None
            kinds = {kind: tuple(Variant(**v) for v in manifest[kind]) for kind in ("webp", "jpeg")}
            for variant in kinds["webp"] + kinds["jpeg"]:
                if os.stat(self.file_for(variant.path)).st_size != variant.bytes:
                    return None
            return Processed(digest, int(manifest["width"]), int(manifest["height"]),
                             kinds["webp"], kinds["jpeg"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None  # missing, partial or corrupted: redone

    def _process(self, path: str, root: str, digest: str) -> Processed:
        data = _read(path, root)
        if hashlib.sha256(data).hexdigest() != digest:
            raise ImageError(CHANGED)
        try:
            image, width, height = _decode_for_output(data)
        except ImageError:
            raise
        except Exception:
            raise ImageError(BROKEN) from None
        variants: dict[str, list[Variant]] = {"webp": [], "jpeg": []}
        current = image
        for target, target_h, kinds in _variant_plan(width, height):  # each from the next larger
            current = _resized(current, target, target_h)
            for kind in kinds:
                content = _encode(current, kind)
                name = _variant_name(digest, target, kind)
                _write_atomic(os.path.join(self._files, name), content)
                variants[kind].append(Variant(f"{OUTPUT_FOLDER}/{name}", target, target_h,
                                              _MIME[kind], len(content)))
        processed = Processed(digest, width, height, tuple(reversed(variants["webp"])),
                              tuple(reversed(variants["jpeg"])))
        manifest = {"pipeline": PIPELINE_VERSION, "digest": digest, "width": width, "height": height,
                    "webp": [v.__dict__ for v in processed.webp],
                    "jpeg": [v.__dict__ for v in processed.jpeg]}
        _write_atomic(self._manifest_path(digest), json.dumps(manifest, indent=1).encode())
        return processed
