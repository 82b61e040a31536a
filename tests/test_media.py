"""showcase.media: photos checked, turned upright, stripped of metadata, resized and cached.

Every image is generated here with Pillow; none is a real photo."""

from __future__ import annotations

import functools
import io
import os
import time
import warnings
import zlib

import pillow_heif
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageDraw, PngImagePlugin

from showcase import media
from showcase.files import UnsafeFile


def _photo(size=(400, 300), seed=0) -> Image.Image:
    """A small scene with a bright top-left corner, so that orientation can be seen."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, 0, w // 4, h // 4], fill=(255, 0, 0))
    draw.ellipse([w // 2 - seed * 7 % 50, h // 3, w - 10, h - 10], fill=(0, 90 + seed * 37 % 160, 200))
    return image


def _red(pixel) -> bool:
    r, g, b = pixel[:3]
    return r > 200 and g < 80 and b < 80


def _opened(path) -> Image.Image:
    """The image at `path`, read into memory (no file left open)."""
    with open(path, "rb") as f:
        return Image.open(io.BytesIO(f.read()))


def _save(image: Image.Image, path, fmt=None, **options) -> str:
    image.save(path, fmt, **options)
    return str(path)


def _inspect(tmp_path, name):
    return media.inspect_image(str(tmp_path / name), str(tmp_path))


def _process(tmp_path, names, cache=None, workers=1):
    cache = cache or media.MediaCache(str(tmp_path / ".cache"))
    infos = [_inspect(tmp_path, name) for name in names]
    result = cache.process_all([(name, info.digest) for name, info in zip(names, infos, strict=True)],
                               str(tmp_path), workers=workers)
    return cache, [result[info.digest] for info in infos]


def _outputs(cache, processed):
    for variant in processed.webp + processed.jpeg:
        yield variant, cache.file_for(variant.path)


# --- orientation, metadata, colour ---------------------------------------------------------------

def test_exif_rotated_photo_comes_out_tall_and_upright(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    stored = _photo((400, 300))  # stored landscape; red corner top-left as stored
    _save(stored, tmp_path / "r.jpg", quality=95, exif=exif)
    info = _inspect(tmp_path, "r.jpg")
    assert (info.width, info.height) == (300, 400)
    cache, [processed] = _process(tmp_path, ["r.jpg"])
    assert (processed.width, processed.height) == (300, 400)
    for variant, path in _outputs(cache, processed):
        out = _opened(path).convert("RGB")
        assert out.height > out.width and (out.width, out.height) == (variant.width, variant.height)
        # rotated clockwise: the stored top-left corner is now top-right
        assert _red(out.getpixel((out.width - 3, 3))) and not _red(out.getpixel((3, 3)))


def test_no_metadata_survives(tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"   # Make
    exif[0x0110] = "Phone 15 Pro"  # Model
    exif[0x013B] = "Owner Name"   # Artist
    exif[0x927C] = b"MAKERNOTE-SECRET" * 8  # MakerNote (in the Exif IFD below)
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 57.0, 33.0), "E", (116.0, 18.0, 40.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><GPSLatitude>39</GPSLatitude></rdf:RDF></x:xmpmeta>'
    _save(_photo(), tmp_path / "m.jpg", quality=90, exif=exif, icc_profile=icc, xmp=xmp,
          comment=b"COMMENT-SECRET")
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "PNG-TEXT-SECRET")
    text.add_itxt("XML:com.adobe.xmp", xmp.decode())
    _save(_photo(seed=3), tmp_path / "m.png", pnginfo=text, exif=exif, icc_profile=icc)
    assert b"GPS" in (tmp_path / "m.jpg").read_bytes() or _opened(tmp_path / "m.jpg").getexif().get_ifd(0x8825)
    cache, processed = _process(tmp_path, ["m.jpg", "m.png"])
    for one in processed:
        for _, path in _outputs(cache, one):
            out = _opened(path)
            assert not out.getexif()
            assert not {"xmp", "icc_profile", "exif", "comment", "Author", "XML:com.adobe.xmp"} & set(out.info)
            with open(path, "rb") as f:
                raw = f.read()
            for secret in (b"Exif", b"GPS", b"SECRET", b"PhoneMaker", b"xmpmeta", b"ICC_PROFILE", b"iCCP",
                           b"tEXt", b"iTXt"):
                assert secret not in raw, (path, secret)


def test_an_icc_profile_is_applied_and_a_broken_one_does_not_stop_the_photo(tmp_path):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _save(Image.new("RGB", (64, 64), (120, 60, 200)), tmp_path / "c.png", icc_profile=srgb)
    _save(Image.new("RGB", (64, 64), (120, 60, 200)), tmp_path / "b.jpg", quality=95,
          icc_profile=b"not a profile" * 20)
    cache, processed = _process(tmp_path, ["c.png", "b.jpg"])
    for one in processed:
        out = _opened(cache.file_for(one.webp[-1].path)).convert("RGB")
        assert all(abs(a - b) <= 6 for a, b in zip(out.getpixel((30, 30)), (120, 60, 200), strict=True))


def test_cmyk_jpeg(tmp_path):
    _save(Image.new("CMYK", (200, 100), (0, 255, 255, 0)), tmp_path / "k.jpg", quality=95)  # red in CMYK
    assert _opened(tmp_path / "k.jpg").mode == "CMYK"
    cache, [processed] = _process(tmp_path, ["k.jpg"])
    for _, path in _outputs(cache, processed):
        r, g, b = _opened(path).convert("RGB").getpixel((50, 50))
        assert r > 200 and g < 60 and b < 60


def test_png_with_alpha_keeps_it_in_webp_and_is_flattened_on_white_in_jpeg(tmp_path):
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle([100, 50, 200, 150], fill=(0, 0, 255, 255))
    _save(image, tmp_path / "a.png")
    cache, [processed] = _process(tmp_path, ["a.png"])
    webp = _opened(cache.file_for(processed.webp[-1].path))
    assert webp.mode == "RGBA" and webp.getpixel((5, 5))[3] == 0 and webp.getpixel((150, 100))[3] == 255
    jpeg = _opened(cache.file_for(processed.jpeg[-1].path))
    assert jpeg.mode == "RGB"
    assert min(jpeg.getpixel((5, 5))) > 245  # white, not black
    assert jpeg.getpixel((150, 100))[2] > 200


@pytest.mark.parametrize("mode", ["I;16", "P", "LA", "L", "1"])
def test_other_png_modes(tmp_path, mode):
    if mode == "I;16":
        image = Image.linear_gradient("L").resize((200, 100)).convert("I").point(lambda v: v * 256)
        image = image.convert("I;16")
    elif mode == "P":
        image = _photo((200, 100)).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    elif mode == "LA":
        image = Image.merge("LA", [Image.linear_gradient("L").resize((200, 100)), Image.new("L", (200, 100), 128)])
    else:
        image = Image.linear_gradient("L").resize((200, 100)).convert(mode)
    _save(image, tmp_path / "x.png")
    cache, [processed] = _process(tmp_path, ["x.png"])
    out = _opened(cache.file_for(processed.jpeg[-1].path)).convert("L")
    if mode in ("I;16", "L", "LA"):
        # a gradient top to bottom, not clipped to white (16-bit) nor to black
        top, bottom = out.getpixel((100, 2)), out.getpixel((100, 97))
        assert top < 60 and bottom > 150 if mode != "LA" else top < bottom


def test_heic(tmp_path):
    heif = pillow_heif.from_pillow(_photo((320, 240)))
    heif.save(str(tmp_path / "h.heic"), quality=90)
    info = _inspect(tmp_path, "h.heic")
    assert (info.format, info.width, info.height) == ("HEIF", 320, 240)
    cache, [processed] = _process(tmp_path, ["h.heic"])
    assert [v.width for v in processed.webp] == [240, 320]
    assert _red(_opened(cache.file_for(processed.jpeg[0].path)).convert("RGB").getpixel((5, 5)))


def test_rotated_heic_is_turned_once(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6
    _photo((400, 300)).save(tmp_path / "r.heic", "HEIF", exif=exif.tobytes())
    assert (_inspect(tmp_path, "r.heic").width, _inspect(tmp_path, "r.heic").height) == (300, 400)
    cache, [processed] = _process(tmp_path, ["r.heic"])
    out = _opened(cache.file_for(processed.jpeg[0].path)).convert("RGB")
    assert out.size == (300, 400) and _red(out.getpixel((out.width - 3, 3))) and not _red(out.getpixel((3, 3)))


def test_palette_png_with_a_transparent_colour_keeps_it(tmp_path):
    image = Image.new("P", (100, 100), 0)
    image.putpalette([255, 255, 255, 0, 128, 0] + [0] * 762)
    ImageDraw.Draw(image).rectangle([20, 20, 80, 80], fill=1)
    image.save(tmp_path / "logo.png", transparency=0)
    cache, [processed] = _process(tmp_path, ["logo.png"])
    webp = _opened(cache.file_for(processed.webp[0].path))
    assert webp.mode == "RGBA" and webp.getpixel((5, 5))[3] == 0 and webp.getpixel((50, 50))[3] == 255


# --- refused files -------------------------------------------------------------------------------

def _gif(path):
    _photo((50, 50)).save(path, "GIF")


def _animated_webp(path):
    frames = [_photo((60, 40), seed=i) for i in range(3)]
    frames[0].save(path, "WEBP", save_all=True, append_images=frames[1:], duration=100)


def _truncated_jpeg(path):
    buffer = io.BytesIO()
    _photo((800, 600)).save(buffer, "JPEG", quality=95)
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) * 2 // 3])


def _truncated_progressive_jpeg(path):
    buffer = io.BytesIO()
    _photo((800, 600)).save(buffer, "JPEG", quality=95, progressive=True)
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 3])


def _truncated_png(path):
    buffer = io.BytesIO()
    _photo((800, 600)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])


@pytest.mark.parametrize(("name", "make", "expected"), [
    ("cut.jpg", _truncated_jpeg, media.TRUNCATED),
    ("cut.png", _truncated_png, media.TRUNCATED),
    ("cut-progressive.jpg", _truncated_progressive_jpeg, media.TRUNCATED),
    ("bm.jpg", lambda p: p.write_text("BMW 车队志愿服务照片，待补\n" * 3), media.TEXT),
    ("notes.jpg", lambda p: p.write_text("活动照片在群里，稍后补上\n"), media.TEXT),
    ("page.jpg", lambda p: p.write_text("<!DOCTYPE html><html><body>微信</body></html>"), "网页"),
    ("empty.jpg", lambda p: p.write_bytes(b""), media.EMPTY),
    ("gif.png", _gif, "是 GIF 格式：请另存为 JPEG 或 PNG"),
    ("bmp.jpg", lambda p: _photo((20, 20)).save(p, "BMP"), "BMP"),
    ("scan.jpg", lambda p: _photo((20, 20)).save(p, "TIFF"), "TIFF"),
    ("moving.webp", _animated_webp, "动图（3 帧）"),
    ("noise.jpg", lambda p: p.write_bytes(os.urandom(5000)), media.BROKEN),
])
def test_refused(tmp_path, name, make, expected):
    make(tmp_path / name)
    with pytest.raises(media.ImageError) as error:
        _inspect(tmp_path, name)
    assert expected in str(error.value)


def test_too_large_a_file_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    monkeypatch.setattr(media, "MAX_BYTES", 1000)
    _save(_photo(), tmp_path / "big.png")
    with pytest.raises(media.ImageError, match="文件太大"):
        _inspect(tmp_path, "big.png")


@functools.lru_cache
def _bomb_png(side: int) -> bytes:
    """A whole one-colour greyscale PNG of side × side pixels: 1.7 MB on disk at 20,000²
    (zlib level 1, 0.7 s), 400 MB once decoded."""
    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = side.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    compressor = zlib.compressobj(1)
    rows = (b"\x00" * (side + 1)) * 500
    body = b"".join(compressor.compress(rows) for _ in range(side // 500)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


# 20,000²: past Pillow's error limit; 12,000²: between its warning and its error
@pytest.mark.parametrize("side", [20_000, 12_000])
def test_pixel_bomb_is_refused_from_the_header_fast_and_silently(tmp_path, capsys, side):
    (tmp_path / "bomb.png").write_bytes(_bomb_png(side))
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(media.ImageError) as error:
            _inspect(tmp_path, "bomb.png")
    assert time.perf_counter() - start < 0.5
    assert not caught
    assert f"像素过多（{side}×{side}" in str(error.value) and "上限" in str(error.value)
    captured = capsys.readouterr()
    assert not captured.err and not captured.out


def test_a_48_megapixel_photo_is_within_the_limit():
    assert 8064 * 6048 <= media.MAX_PIXELS < 20_000 * 20_000


def test_symlinked_and_outside_images_are_refused(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    _save(_photo(), outside / "p.jpg")
    os.symlink(outside / "p.jpg", root / "link.jpg")
    with pytest.raises(UnsafeFile):
        media.inspect_image(str(root / "link.jpg"), str(root))
    with pytest.raises(UnsafeFile):
        media.inspect_image(str(root / ".." / "outside" / "p.jpg"), str(root))
    with pytest.raises(FileNotFoundError):
        media.inspect_image(str(root / "missing.jpg"), str(root))


# --- sizes, names, cache -------------------------------------------------------------------------

@pytest.mark.parametrize(("width", "expected"), [
    (4000, (240, 480, 800, 1280, 1600)), (1600, (240, 480, 800, 1280, 1600)), (1000, (240, 480, 800, 1000)),
    (700, (240, 480, 700)), (480, (240, 480)), (300, (240, 300)), (240, (240,)), (200, (200,)),
])
def test_widths_are_never_upscaled(width, expected):
    assert media.output_widths(width) == expected


def test_a_long_screenshot_keeps_the_widths_webp_can_hold():
    assert media.output_widths(1080, 20_000) == (240, 480, 800)
    assert media.output_widths(1080, 2400) == (240, 480, 800, 1080)
    assert media.output_widths(400, 30_000) == ()


def test_an_image_too_long_for_any_width_is_refused(tmp_path):
    _save(Image.new("L", (200, 17_000), 200), tmp_path / "long.png")
    with pytest.raises(media.ImageError, match="过于细长（200×17000）"):
        _inspect(tmp_path, "long.png")


def test_variants_have_the_widths_and_are_never_upscaled(tmp_path):
    _save(_photo((700, 350)), tmp_path / "s.png")
    cache, [processed] = _process(tmp_path, ["s.png"])
    expected = {"webp": [(240, 120), (480, 240), (700, 350)], "jpeg": [(700, 350)]}  # jpeg: near 800, largest
    for kind, mime in (("webp", "image/webp"), ("jpeg", "image/jpeg")):
        variants = getattr(processed, kind)
        assert [(v.width, v.height, v.mime) for v in variants] == [(*size, mime) for size in expected[kind]]
        for variant in variants:
            out = _opened(cache.file_for(variant.path))
            assert out.size == (variant.width, variant.height)
            assert os.path.getsize(cache.file_for(variant.path)) == variant.bytes
    assert processed.srcset("webp") == ", ".join(f"{v.path} {v.width}w" for v in processed.webp)
    assert processed.srcset("webp").endswith("-700.webp 700w")
    assert processed.webp[0].path.startswith("media/") and processed.webp[0].path.endswith("-240.webp")


def test_a_4000_by_3000_jpeg_gets_every_width(tmp_path):
    _save(_photo((4000, 3000)), tmp_path / "big.jpg", quality=85)
    cache, [processed] = _process(tmp_path, ["big.jpg"])
    assert (processed.width, processed.height) == (4000, 3000)
    assert [(v.width, v.height) for v in processed.webp] == [(240, 180), (480, 360), (800, 600), (1280, 960),
                                                              (1600, 1200)]
    assert [(v.width, v.height) for v in processed.jpeg] == [(800, 600), (1600, 1200)]
    assert _opened(cache.file_for(processed.jpeg[-1].path)).info.get("progressive")


def test_names_follow_the_bytes(tmp_path, monkeypatch):
    _save(_photo(seed=1), tmp_path / "a.jpg", quality=90)
    _save(_photo(seed=1), tmp_path / "same.jpg", quality=90)
    _save(_photo(seed=1), tmp_path / "other.jpg", quality=89)
    _, [a, same, other] = _process(tmp_path, ["a.jpg", "same.jpg", "other.jpg"])
    assert a.webp == same.webp
    assert not {v.path for v in a.webp + a.jpeg} & {v.path for v in other.webp + other.jpeg}
    monkeypatch.setattr(media, "PIPELINE_VERSION", media.PIPELINE_VERSION + "-changed")
    _, [again] = _process(tmp_path, ["a.jpg"])
    assert again.webp[0].path != a.webp[0].path


def test_a_second_run_does_no_image_work_and_a_corrupted_entry_is_redone(tmp_path, monkeypatch):
    for i in range(3):
        _save(_photo(seed=i), tmp_path / f"{i}.jpg", quality=90)
    names = [f"{i}.jpg" for i in range(3)]
    cache, first = _process(tmp_path, names, workers=2)
    calls = []
    real = media._decode_for_output
    monkeypatch.setattr(media, "_decode_for_output", lambda data: calls.append(1) or real(data))
    _, second = _process(tmp_path, names, cache=media.MediaCache(str(tmp_path / ".cache")), workers=2)
    assert second == first and not calls
    # a variant cut short (a Ctrl-C in another tool, a disk full) and a garbled manifest
    path = cache.file_for(first[0].webp[0].path)
    with open(path, "r+b") as f:
        f.truncate(10)
    manifest = cache._manifest_path(first[1].digest)
    with open(manifest, "w") as f:
        f.write('{"pipeline": "1", "digest": ')
    _, third = _process(tmp_path, names, cache=cache, workers=2)
    assert third == first and len(calls) == 2
    assert os.path.getsize(path) == first[0].webp[0].bytes
    assert not [n for n in os.listdir(os.path.dirname(path)) if n.startswith(".tmp-")]


def test_a_photo_changed_after_inspection_is_told(tmp_path):
    _save(_photo(), tmp_path / "a.jpg")
    info = _inspect(tmp_path, "a.jpg")
    _save(_photo(seed=5), tmp_path / "a.jpg")
    with pytest.raises(media.ProcessingFailed) as error:
        media.MediaCache(str(tmp_path / ".cache")).process_all([("a.jpg", info.digest)], str(tmp_path))
    assert error.value.failures == [("a.jpg", media.CHANGED)]


def test_file_for_refuses_anything_but_a_variant_name(tmp_path):
    cache = media.MediaCache(str(tmp_path))
    for bad in ("media/../../etc/passwd", "other/0123456789abcdef-480.webp", "media/x.webp"):
        with pytest.raises(ValueError):
            cache.file_for(bad)


# --- look-alikes ---------------------------------------------------------------------------------

def test_same_photo_recompressed_or_resized_looks_alike_and_others_do_not(tmp_path):
    photo = _photo((900, 600), seed=2)
    _save(photo, tmp_path / "a.png")
    _save(photo, tmp_path / "b.jpg", quality=50)
    _save(photo.resize((300, 200)), tmp_path / "c.webp", quality=60)
    _save(_photo((900, 600), seed=9).rotate(180), tmp_path / "d.jpg", quality=90)
    a, b, c, d = (_inspect(tmp_path, n).look for n in ("a.png", "b.jpg", "c.webp", "d.jpg"))
    assert media.looks_alike(a, b) and media.looks_alike(a, c)
    assert not media.looks_alike(a, d)


# --- any bytes -----------------------------------------------------------------------------------

def _valid_jpeg() -> bytes:
    buffer = io.BytesIO()
    _photo((40, 30)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _valid_png() -> bytes:
    buffer = io.BytesIO()
    _photo((40, 30)).save(buffer, "PNG")
    return buffer.getvalue()


SEEDS = [_valid_jpeg(), _valid_png(), b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"GIF89a", b"\x89PNG\r\n\x1a\n"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(SEEDS), cut=st.integers(0, 4000), noise=st.binary(max_size=200),
       flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=6))
def test_any_bytes_raise_only_image_error(tmp_path, seed, cut, noise, flips):
    data = bytearray(seed[:cut] + noise)
    for at, value in flips:
        if at < len(data):
            data[at] = value
    (tmp_path / "f.jpg").write_bytes(bytes(data))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            info = _inspect(tmp_path, "f.jpg")
        except media.ImageError as error:
            assert str(error)
        else:
            assert info.format in media.ACCEPTED and info.width > 0
