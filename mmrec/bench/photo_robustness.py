"""Photo search under phone-photo perturbations: does a changed snapshot of a catalog photo find its item?

Every catalog photo (or an even sample of ``--sample`` of them) is perturbed in each of
:data:`PERTURBATIONS`, deterministically, and encoded by the engine's live image encoder (the one a
photo turn uses, fitted to the catalog as the app fits it). Each snapshot ranks the *whole* catalog,
its own row included (unlike the leave-one-out :mod:`mmrec.bench.photo_retrieval`). Per perturbation:

* ``own_at_10`` — the item itself or another variant of its product (``parent_sku``/``group``) is
  in the top 10;
* ``leaf_at_1`` — the top item has the photo's leaf category;
* ``best_p1`` / ``best_p5`` — the 1st and 5th percentiles of the best similarity to the catalog,
  and ``above_floor`` the share of snapshots above the config's ``photo_match_floor``.

Unrelated images (noise, solid colours, smooth gradients, two non-product photos shipped with
scikit-learn) report their best similarity (``best_max``) and ``above_floor``: they should all be below
the floor, which is what lets a turn say "no close match" instead of claiming a resemblance.

Run: ``python -m mmrec.bench photo_robustness --catalog ../shared/catalogs/luma [--sample N] [--out JSON]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps
from tqdm.auto import tqdm

from ..catalog import Item, load_catalog
from .common import peak_rss_mb, report
from .photo_retrieval import group_of

OWN_AT_10_TARGET = 0.90
LEAF_AT_1_TARGET = 0.85
BEIGE, BLUE = (236, 224, 200), (196, 214, 236)


def _crop(share: float) -> Callable[[Image.Image], Image.Image]:
    """Cut ``share`` of the width and of the height off the edges, unevenly (60% left/top, 40% right/bottom)."""

    def crop(image: Image.Image) -> Image.Image:
        w, h = image.size
        left, top = round(0.6 * share * w), round(0.6 * share * h)
        return image.crop((left, top, left + round((1 - share) * w), top + round((1 - share) * h)))

    return crop


def _pad(colour: tuple[int, int, int], share: float = 0.2) -> Callable[[Image.Image], Image.Image]:
    """A border of ``colour``, ``share`` of the longest side wide."""
    return lambda image: ImageOps.expand(image, border=round(share * max(image.size)), fill=colour)


def _recolour_background(colour: tuple[int, int, int]) -> Callable[[Image.Image], Image.Image]:
    """Near-white pixels (the studio background) replaced by ``colour``."""

    def recolour(image: Image.Image) -> Image.Image:
        pixels = np.asarray(image).copy()
        pixels[(pixels > 235).all(axis=2)] = colour
        return Image.fromarray(pixels)

    return recolour


def _cast(gains: tuple[float, float, float]) -> Callable[[Image.Image], Image.Image]:
    """Each channel multiplied by its gain (a colour cast of the light)."""
    return lambda image: Image.fromarray(np.clip(np.asarray(image) * np.array(gains), 0, 255).astype(np.uint8))


def _half(image: Image.Image) -> Image.Image:
    return image.resize((max(1, image.width // 2), max(1, image.height // 2)), Image.Resampling.BILINEAR)


PERTURBATIONS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "original": lambda image: image,
    "crop 10%": _crop(0.10),
    "crop 25%": _crop(0.25),
    "rotate +12°": lambda image: image.rotate(12, fillcolor=(255, 255, 255), resample=Image.Resampling.BILINEAR),
    "rotate -15°": lambda image: image.rotate(-15, fillcolor=(255, 255, 255), resample=Image.Resampling.BILINEAR),
    "brighter": lambda image: ImageEnhance.Brightness(image).enhance(1.3),
    "darker": lambda image: ImageEnhance.Brightness(image).enhance(0.7),
    "warm cast": _cast((1.08, 1.0, 0.82)),
    "cool cast": _cast((0.85, 0.97, 1.1)),
    "blur": lambda image: image.filter(ImageFilter.GaussianBlur(1.5)),
    "beige border": _pad(BEIGE),
    "blue background": _recolour_background(BLUE),
    "mirror": ImageOps.mirror,
    "mirror + beige border": lambda image: _pad(BEIGE)(ImageOps.mirror(image)),
    "half size": _half,
}
"""Named, deterministic perturbations of an RGB photo."""


def unrelated_images() -> dict[str, Image.Image]:
    """Images that show no catalog product: noise, solid colours, a gradient, two scenic photos (shipped
    with scikit-learn) full frame and printed on a white page, and two plain shapes on white."""
    from sklearn.datasets import load_sample_images

    rng = np.random.default_rng(0)
    out = {f"noise {i}": Image.fromarray(rng.integers(0, 256, (256, 206, 3), dtype=np.uint8)) for i in range(2)}
    out["solid grey"] = Image.new("RGB", (206, 256), (128, 128, 128))
    out["solid red"] = Image.new("RGB", (206, 256), (200, 30, 30))
    ramp = np.linspace(0, 255, 256, dtype=np.float32)[:, None, None] * np.array([0.3, 0.5, 1.0], dtype=np.float32)
    out["gradient"] = Image.fromarray(np.repeat(ramp, 206, axis=1).astype(np.uint8))
    samples = load_sample_images()
    for path, pixels in zip(samples.filenames, samples.images):
        photo = Image.fromarray(pixels)
        out[f"photo {Path(path).stem}"] = photo
        page = Image.new("RGB", (256, 256), (255, 255, 255))
        page.paste(photo.resize((192, 128)), (32, 64))
        out[f"photo {Path(path).stem} on a page"] = page
    disc = Image.new("RGB", (206, 256), (255, 255, 255))
    ImageDraw.Draw(disc).ellipse((40, 65, 166, 191), fill=(220, 180, 40))
    out["yellow disc on white"] = disc
    scribble = Image.new("RGB", (206, 256), (255, 255, 255))
    ImageDraw.Draw(scribble).line([(30, 200), (80, 40), (120, 210), (180, 60)], fill=(20, 20, 20), width=6)
    out["black zigzag on white"] = scribble
    return out


def even_sample(items: list[Item], size: int | None) -> list[Item]:
    """Every item, or ``size`` of them evenly spread over the catalog order."""
    if size is None or size >= len(items):
        return items
    return [items[int(i)] for i in np.linspace(0, len(items) - 1, size).round()]


def evaluate(engine: Any, items: list[Item], floor: float, *, progress: bool = False) -> list[dict[str, Any]]:
    """One row per perturbation (see the module docstring), then one per unrelated image."""
    modality = engine.modalities["image"]
    index = modality.index
    catalog = engine.catalog
    leaf = np.array([it.leaf_category for it in catalog], dtype=object)
    group = np.array([group_of(it) or it.id for it in catalog], dtype=object)
    rows = []
    for name, perturb in PERTURBATIONS.items():
        started = time.perf_counter()
        own, leaf_hits, best = [], [], []
        for item in tqdm(items, desc=name, disable=not progress):
            with Image.open(item.image) as image:
                snapshot = perturb(image.convert("RGB"))
            scores = np.where(index.present, index.scores(modality.encoder.encode([snapshot])[0]), -np.inf)
            top = np.argsort(-scores, kind="stable")[:10]
            own.append(bool((group[top] == (group_of(item) or item.id)).any()))
            leaf_hits.append(leaf[top[0]] == item.leaf_category)
            best.append(float(scores[top[0]]))
        rows.append(
            {
                "perturbation": name,
                "queries": len(items),
                "own_at_10": round(float(np.mean(own)), 4),
                "leaf_at_1": round(float(np.mean(leaf_hits)), 4),
                "best_p5": round(float(np.percentile(best, 5)), 4),
                "best_p1": round(float(np.percentile(best, 1)), 4),
                "above_floor": round(float(np.mean(np.array(best) > floor)), 4),
                "meets_targets": bool(np.mean(own) >= OWN_AT_10_TARGET and np.mean(leaf_hits) >= LEAF_AT_1_TARGET),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    for name, image in unrelated_images().items():
        best = float(np.max(np.where(index.present, index.scores(modality.encoder.encode([image])[0]), -np.inf)))
        rows.append(
            {
                "perturbation": f"unrelated: {name}",
                "queries": 1,
                "best_max": round(best, 4),
                "above_floor": float(best > floor),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    from ..engine import Engine
    from ..recommender_config import default_config

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, required=True, help="catalog folder")
    parser.add_argument("--sample", type=int, help="an even sample of this many photos (default: every photo)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)

    catalog = load_catalog(args.catalog)
    engine = Engine.load(catalog, speech=False, progress=True)
    encoder = engine.modalities["image"].encoder
    print(f"image encoder: {encoder.status.describe()}")
    floor = default_config().photo_floor(encoder.name)
    items = even_sample([it for it in catalog if it.image is not None], args.sample)
    rows = evaluate(engine, items, floor, progress=True)
    report(
        f"photo robustness ({catalog.name}, own row ranked; targets own@10 >= {OWN_AT_10_TARGET}, "
        f"leaf@1 >= {LEAF_AT_1_TARGET})",
        rows,
        args.out,
        extra={
            "encoder": encoder.name,
            "encoder_status": encoder.status.describe(),
            "photo_match_floor": floor,
            "peak_rss_mb": peak_rss_mb(),
        },
    )


if __name__ == "__main__":
    main()
