"""Make the UI's example photos from demo catalog images: "user snapshots" of catalog products.

Each example is a catalog product shot changed the way a real photo differs from it (tilted and
cropped, recoloured, on a busy background, darker and mirrored), so "More like this" has to find
the product rather than the identical file. ``photos.jsonl`` names each photo's product, so the page
offers a photo only with the catalog holding it. Deterministic; needs only Pillow.

    python assets/examples/make_photos.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageOps

HERE = Path(__file__).resolve().parent
CATALOG_IMAGES = HERE.parent / "demo_catalog" / "images"
OUT = HERE / "photos"


def tilted(im: Image.Image) -> Image.Image:
    """Rotated 12° and cropped in, as if snapped by hand."""
    w, h = im.size
    return im.rotate(12, resample=Image.Resampling.BICUBIC, fillcolor=(236, 233, 226)).crop(
        (w // 10, h // 10, w - w // 12, h - h // 12)
    )


def recoloured(im: Image.Image) -> Image.Image:
    """Hue-shifted: the same design in a colour the catalog may not have."""
    hsv = im.convert("HSV")
    h, s, v = hsv.split()
    h = h.point(lambda x: (x + 60) % 256)
    return Image.merge("HSV", (h, s, v)).convert("RGB")


def on_background(im: Image.Image) -> Image.Image:
    """The product on a striped floor, smaller, off-centre."""
    w, h = im.size
    canvas = Image.new("RGB", (w, h), (180, 160, 130))
    draw = ImageDraw.Draw(canvas)
    for x in range(-h, w, 24):
        draw.line([(x, h), (x + h, 0)], fill=(160, 140, 112), width=8)
    small = im.resize((w * 2 // 3, h * 2 // 3), Image.Resampling.LANCZOS)
    mask = Image.eval(small.convert("L"), lambda p: 0 if p > 235 else 255)
    canvas.paste(small, (w // 5, h // 4), mask)
    return canvas


def dim_mirrored(im: Image.Image) -> Image.Image:
    """Mirrored, darker and lower-contrast, as under indoor light."""
    return ImageEnhance.Contrast(ImageEnhance.Brightness(ImageOps.mirror(im)).enhance(0.7)).enhance(0.8)


EXAMPLES = [
    ("hoodie-green-cotton-01", tilted, "hoodie_snapshot.jpg"),
    ("sneakers-blue-canvas-05", recoloured, "sneakers_other_colour.jpg"),
    ("backpack-black-nylon-04", on_background, "backpack_on_floor.jpg"),
    ("dress-red-linen-01", dim_mirrored, "dress_indoors.jpg"),
]


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for stem, change, name in EXAMPLES:
        source = CATALOG_IMAGES / f"{stem}.png"
        if not source.is_file():
            print(f"{source} is missing; run assets/generate_demo_catalog.py first", file=sys.stderr)
            return 1
        with Image.open(source) as im:
            change(im.convert("RGB")).save(OUT / name, quality=88)
    manifest = "".join(json.dumps({"file": name, "item": stem}) + "\n" for stem, _, name in EXAMPLES)
    (OUT / "photos.jsonl").write_text(manifest, encoding="utf-8")
    print(f"wrote {len(EXAMPLES)} photos to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
