"""Photos made by code for the tests and the benchmark: no photo of a real person or unit is ever
committed. `scene` draws what compresses like a phone photo (gradients, light falloff, hard edges
and text, an out-of-focus part, texture and sensor noise that survive resizing), so sizes and
timings are near those of real photos, not of flat colour."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter


def scene(seed: int, size: tuple[int, int] = (4000, 3000)) -> Image.Image:
    """A generated scene: sky gradient, vignetting, blurred and sharp shapes, fine texture, noise."""
    rng = random.Random(seed)
    w, h = size
    sky = Image.merge("RGB", [Image.linear_gradient("L").resize(size).point(lambda v, k=k: 40 + v * k)
                              for k in (0.55, 0.65, 0.8)])
    light = Image.radial_gradient("L").resize(size).point(lambda v: 255 - v // 2)
    image = ImageChops.multiply(sky, Image.merge("RGB", [light] * 3))
    draw = ImageDraw.Draw(image)
    for _ in range(60):  # buildings, banners, people: hard edges in many colours
        x, y = rng.randrange(w), rng.randrange(h // 3, h)
        bw, bh = rng.randrange(40, 700), rng.randrange(40, 900)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.6 else draw.ellipse)([x, y, x + bw, y + bh], fill=colour)
    for _ in range(40):  # text-like strokes (banners, signs)
        x, y = rng.randrange(w), rng.randrange(h)
        draw.text((x, y), "Haidian Civilization 2026 " * 2, fill=tuple(rng.randrange(256) for _ in range(3)),
                  font_size=rng.randrange(30, 120))
    blurred = image.filter(ImageFilter.GaussianBlur(6))  # out-of-focus background
    mask = Image.linear_gradient("L").resize(size).point(lambda v: 255 if v > 110 else 0)
    image = Image.composite(image, blurred, mask)
    texture = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(1.5))  # foliage, fabric
    noise = Image.effect_noise(size, 10)  # sensor noise
    grain = ImageChops.add(texture, noise, scale=2.0, offset=-128 + 64)
    return ImageChops.add(image, Image.merge("RGB", [grain] * 3), scale=1.0, offset=-96)


def photo_like(width: int, height: int, seed: int = 0) -> Image.Image:
    return scene(seed, (width, height))


def save_photo(path: Path, width: int = 1600, height: int = 1200, seed: int = 0, *, fmt: str = "JPEG",
               quality: int = 90, **save_options) -> Path:
    """A photo-like image written to `path` (folders made): JPEG unless `fmt` says otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = photo_like(width, height, seed)
    if fmt == "JPEG":
        image.save(path, "JPEG", quality=quality, **save_options)
    else:
        image.save(path, fmt, **save_options)
    return path


def phone_exif(orientation: int = 1) -> bytes:
    """EXIF as a phone writes it: maker, model, owner, the time, where it was taken (GPS), and how
    the camera was held (orientation 6: turned 90°)."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x013B] = "TestPhone Inc.", "TestPhone 15", "Zhang San"  # Make, Model, Artist
    exif[0x0112] = orientation
    exif[0x0132] = "2020:03:02 10:00:00"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (39.0, 59.0, 30.0), 3: "E", 4: (116.0, 18.0, 40.0)})  # Haidian, roughly
    return exif.tobytes()


def photo_record(file: str, alt: str = "志愿者在社区门口为居民服务", **extra) -> dict:
    return {"file": file, "alt": alt, "credit": "测试供图", **extra}


def add_campaign_photos(units: dict, activities: dict, data: Path, gallery: int = 12,
                        size: tuple[int, int] = (1600, 1200)) -> dict:
    """A cover and `gallery` photos on the first activity, a photo and a logo on the first unit:
    the files written under `data/media/test/`, the records changed in place. Returns the
    activity."""
    activity = activities["activities"][0]
    save_photo(data / "media/test/cover.jpg", *size, seed=1, exif=phone_exif())
    activity["cover"] = photo_record("media/test/cover.jpg", "成员单位志愿者在活动现场合影", caption="活动现场")
    activity["photos"] = []
    for i in range(gallery):
        file = f"media/test/gallery-{i + 1:02d}.jpg"
        save_photo(data / file, *size, seed=100 + i, exif=phone_exif(6 if i == 0 else 1))
        activity["photos"].append(photo_record(file, f"活动现场第 {i + 1} 张照片：志愿者在服务", date="2020-03"))
    unit = units["units"][0]
    save_photo(data / "media/test/unit.jpg", 1200, 800, seed=7)
    unit["photo"] = photo_record("media/test/unit.jpg", "单位大门和主楼")
    logo = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse([20, 20, 380, 380], fill=(211, 47, 47, 255))
    (data / "media/test").mkdir(parents=True, exist_ok=True)
    logo.save(data / "media/test/logo.png")
    unit["logo"] = photo_record("media/test/logo.png", "单位标志：红色圆形徽标")
    return activity
