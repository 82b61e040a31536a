"""Which WebP and JPEG qualities, and threads or processes: measured on generated photo-like images.

    PYTHONPATH=hooks .venv/bin/python bench/image_quality.py            # qualities 60–90
    PYTHONPATH=hooks .venv/bin/python bench/image_quality.py --timing   # process_all wall times
    PYTHONPATH=hooks .venv/bin/python bench/image_quality.py --looks    # look-alike distances

No real photos: each scene is gradients (sky, light falloff), sensor-like noise, texture and hard
edges (buildings, text) at 4000×3000, as a phone takes them. The error is PSNR (dB) of the
decoded variant against the same 1600 px resize before encoding (higher is better; ≥ 35 dB is
hard to tell apart on a phone), and the same after a 1.5 px blur of both: grain that is
smoothed away counts less there, blocks, ringing and smeared edges count more (a cheap stand-in
for SSIM). Pillow's ImageChops/ImageStat, no numpy. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from PIL import Image, ImageChops, ImageFilter, ImageStat

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(_ROOT, "hooks"), os.path.join(_ROOT, "tests")]

from photokit import scene as photo_like  # noqa: E402  (the one photo generator, shared with the tests)

from showcase import media  # noqa: E402


def psnr(a: Image.Image, b: Image.Image) -> float:
    rms = ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).rms
    mse = sum(r * r for r in rms) / len(rms)
    return float("inf") if mse == 0 else 10 * math.log10(255 * 255 / mse)


def qualities(seeds: list[int]) -> None:
    scenes = []
    for seed in seeds:
        scene = photo_like(seed)
        scenes.append(scene.resize((1600, 1200), Image.Resampling.LANCZOS, reducing_gap=3.0))
    print(f"{len(seeds)} scenes, 4000×3000 → 1600×1200; mean bytes and PSNR (dB)")
    for kind in ("webp", "jpeg"):
        for quality in range(60, 95, 5):
            sizes, errors, smooth, seconds = [], [], [], 0.0
            for reference in scenes:
                out = io.BytesIO()
                start = time.perf_counter()
                if kind == "webp":
                    reference.save(out, "WEBP", quality=quality, method=media.WEBP_METHOD)
                else:
                    reference.save(out, "JPEG", quality=quality, progressive=True, optimize=True,
                                   subsampling="4:2:0")
                seconds += time.perf_counter() - start
                sizes.append(out.tell())
                decoded = Image.open(io.BytesIO(out.getvalue()))
                errors.append(psnr(reference, decoded))
                smooth.append(psnr(*(i.filter(ImageFilter.GaussianBlur(1.5)) for i in (reference, decoded))))
            print(f"  {kind:4} q{quality}  {sum(sizes) / len(sizes) / 1024:6.0f} KB  "
                  f"{sum(errors) / len(errors):5.2f} dB  {sum(smooth) / len(smooth):5.2f} dB blurred  "
                  f"{seconds / len(scenes) * 1000:4.0f} ms")


def _process(folder: str, path: str, root: str, digest: str) -> media.Processed:
    return media.MediaCache(folder)._process(path, root, digest)


def timing(count: int) -> None:
    with tempfile.TemporaryDirectory() as root:
        jobs = []
        for i in range(count):
            name = f"p{i}.jpg"
            photo_like(100 + i).save(os.path.join(root, name), quality=92)
            jobs.append((name, hashlib.sha256(open(os.path.join(root, name), "rb").read()).hexdigest()))
        print(f"{count} JPEG 4000×3000, {os.path.getsize(os.path.join(root, jobs[0][0])) // 1024} KB each")
        start = time.perf_counter()
        for name, _ in jobs:
            media.inspect_image(os.path.join(root, name), root)
        print(f"  inspect_image: {(time.perf_counter() - start) / count * 1000:.0f} ms per photo")
        for label, executor, workers in (("threads", ThreadPoolExecutor, 1), ("threads", ThreadPoolExecutor, 2),
                                         ("processes", ProcessPoolExecutor, 2)):
            with tempfile.TemporaryDirectory() as folder:
                media.MediaCache(folder).process_all([], root)  # creates the folders
                start = time.perf_counter()
                with executor(max_workers=workers) as pool:
                    results = list(pool.map(_process, [folder] * count, [os.path.join(root, n) for n, _ in jobs],
                                            [root] * count, [d for _, d in jobs]))
                print(f"  {label:9} × {workers}: {time.perf_counter() - start:.2f} s wall")
        with tempfile.TemporaryDirectory() as folder:
            cache = media.MediaCache(folder)
            start = time.perf_counter()
            first = cache.process_all(jobs[:1], root, workers=1)
            print(f"  one photo, process_all: {time.perf_counter() - start:.2f} s wall")
            print("  variants:", ", ".join(f"{v.width}px {v.mime[6:]} {v.bytes // 1024} KB"
                                           for p in first.values() for v in p.webp + p.jpeg))
            # cache hits: 200 jobs over the same few entries' manifests, each read afresh
            hits = [(jobs[0][0], jobs[0][1])] * 200
            start = time.perf_counter()
            for name, digest in hits:
                cache.process_all([(name, digest)], root)
            print(f"  200 cache hits: {(time.perf_counter() - start) * 1000:.0f} ms")
        del results


def looks() -> None:
    """dHash distances (media.looks_alike) between a scene and its re-saves, and between scenes."""
    with tempfile.TemporaryDirectory() as root:
        found = {}
        for seed in range(6):
            scene = photo_like(seed, (1200, 900))
            copies = {"png": (scene, "PNG", {}), "jpeg q50": (scene, "JPEG", {"quality": 50}),
                      "third": (scene.resize((400, 300)), "JPEG", {"quality": 80}),
                      "webp q60": (scene, "WEBP", {"quality": 60}),
                      "crop 5%": (scene.crop((30, 20, 1170, 880)), "JPEG", {"quality": 85}),
                      "brighter": (scene.point(lambda v: min(255, v + 20)), "JPEG", {"quality": 85})}
            for name, (image, fmt, options) in copies.items():
                path = os.path.join(root, f"{seed}-{name}")
                image.save(path, fmt, **options)
                found[seed, name] = media.inspect_image(path, root).look
        for name in ("webp q60", "jpeg q50", "third", "brighter", "crop 5%"):
            print(f"  same scene, {name:9}", [(found[s, "png"] ^ found[s, name]).bit_count() for s in range(6)])
        print("  different scenes", sorted((found[a, "png"] ^ found[b, "png"]).bit_count()
                                          for a in range(6) for b in range(a + 1, 6)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timing", action="store_true", help="process_all wall times instead of qualities")
    parser.add_argument("--looks", action="store_true", help="look-alike distances instead of qualities")
    parser.add_argument("--count", type=int, default=4)
    args = parser.parse_args()
    if args.timing:
        timing(args.count)
    elif args.looks:
        looks()
    else:
        qualities([1, 2, 3])
