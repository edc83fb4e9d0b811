"""Camera-like JPEGs for the benchmarks: 12 or 24 MP, 2-5 MB, with real-looking EXIF.

Each file is a variation of one rendered scene (smooth light, textured ground, edges,
sensor noise), shifted and tinted so no two are the same, saved at a camera's quality,
with an EXIF block holding the camera, the date taken, an orientation and a 160 x 120
embedded preview, as cameras write them.

    python -m bench.corpus OUT_DIR --count 200 --megapixels 12
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from tests.builders import exif_app1_with_thumbnail

SIZES = {12: (4000, 3000), 24: (6000, 4000)}
CAMERAS = [("Canon", "Canon EOS R6"), ("NIKON CORPORATION", "NIKON Z 6_2"), ("SONY", "ILCE-7M3")]


def base_scene(size: tuple[int, int], seed: int) -> Image.Image:
    """A photo-like frame: sky gradient, hills, textured foreground, hard edges, noise."""
    rng = random.Random(seed)
    width, height = size
    mask = Image.linear_gradient("L").resize(size)
    image = Image.composite(
        Image.new("RGB", size, (225, 232, 245)), Image.new("RGB", size, (90, 135, 210)), mask
    )
    draw = ImageDraw.Draw(image)
    for layer in range(4):
        colour = (60 + 30 * layer, 90 + 20 * layer, 50 + 10 * layer)
        top = height * (0.45 + 0.1 * layer)
        points: list[tuple[float, float]] = [(0, height)]
        for x in range(0, width + 200, 200):
            points.append((x, top + rng.uniform(-0.06, 0.06) * height))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    for _ in range(300):
        cx, cy = rng.uniform(0, width), rng.uniform(height * 0.5, height)
        r = rng.uniform(4, 40)
        grey = rng.randint(40, 200)
        draw.ellipse(
            [cx - r, cy - r * 0.6, cx + r, cy + r * 0.6], fill=(grey, grey - 10, grey - 20)
        )
    texture = Image.frombytes("L", (width // 4, height // 4), rng.randbytes(width * height // 16))
    texture = texture.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(1))
    image = Image.blend(image, Image.merge("RGB", [texture] * 3), 0.12)
    grain = Image.frombytes("L", size, rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image, grain, 0.05)


def camera_jpeg(scene: Image.Image, index: int, rng: random.Random) -> bytes:
    """One file: the scene shifted and tinted, JPEG at camera quality, EXIF with a preview."""
    frame = ImageChops.offset(scene, rng.randint(0, scene.width), 0)
    tint = [rng.uniform(0.85, 1.15) for _ in range(3)]
    frame = Image.merge(
        "RGB",
        [
            b.point(lambda v, t=t: min(255, int(v * t)))
            for b, t in zip(frame.split(), tint, strict=True)
        ],
    )
    preview = io.BytesIO()
    frame.resize((160, 120), Image.Resampling.BILINEAR).save(preview, "JPEG", quality=75)
    make, model = CAMERAS[index % len(CAMERAS)]
    orientation = 6 if index % 5 == 4 else 1
    taken = f"2024:05:{1 + index % 28:02d} {8 + index % 10:02d}:{index % 60:02d}:00"
    body = io.BytesIO()
    quality = 92 if frame.width * frame.height < 20_000_000 else 86
    frame.save(body, "JPEG", quality=quality, subsampling="4:2:0")
    data = body.getvalue()
    segment = exif_app1_with_thumbnail(preview.getvalue(), orientation, make, model, taken)
    return data[:2] + segment + data[2:]


def generate(out: Path, count: int, megapixels: int, seed: int = 7) -> list[Path]:
    """Write ``count`` files into ``out`` (reusing any already there) and list them."""
    out.mkdir(parents=True, exist_ok=True)
    wanted = [out / f"IMG_{megapixels}MP_{i:04d}.jpg" for i in range(count)]
    if all(p.is_file() for p in wanted):
        return wanted
    scene = base_scene(SIZES[megapixels], seed)
    rng = random.Random(seed)
    for index, path in enumerate(wanted):
        data = camera_jpeg(scene, index, rng)
        if not path.is_file():
            path.write_bytes(data)
    return wanted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--megapixels", type=int, choices=sorted(SIZES), default=12)
    args = parser.parse_args()
    files = generate(args.out, args.count, args.megapixels)
    total = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files in {args.out}, {total / len(files) / 1e6:.1f} MB each on average")


if __name__ == "__main__":
    main()
