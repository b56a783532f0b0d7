"""The embedded demo catalog: loads cleanly, is varied enough, and is exactly what its generator makes."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mmrec.catalog import Catalog, load_catalog

GENERATOR = Path(__file__).resolve().parent.parent / "assets" / "generate_demo_catalog.py"


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("generate_demo_catalog", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalog(demo_catalog_dir: Path) -> Catalog:
    return load_catalog(demo_catalog_dir, require_images=True)


def test_demo_catalog_loads_with_no_issues(catalog: Catalog) -> None:
    assert catalog.issues == ()
    assert len(catalog) >= 240


def test_demo_catalog_spans_at_least_12_types_and_8_colours(catalog: Catalog) -> None:
    assert len(catalog.leaf_categories()) >= 12
    assert len(catalog.colors()) >= 8


def test_every_item_has_a_256px_rgb_png_named_after_its_id(catalog: Catalog) -> None:
    for item in catalog:
        assert item.image is not None and item.image.name == f"{item.id}.png"
        with Image.open(item.image) as image:
            assert (image.format, image.mode, image.size) == ("PNG", "RGB", (256, 256)), item.id


def test_records_have_slug_ids_prices_attribute_lists_and_short_descriptions(catalog: Catalog) -> None:
    for item in catalog:
        assert re.fullmatch(r"[a-z-]+-[a-z]+-[a-z-]+-\d\d", item.id), item.id
        assert item.price is not None and item.price > 0
        assert item.color and item.name.endswith(f"({item.color})")
        assert item.category.count("/") >= 1
        for key in ("material", "pattern", "climate", "activity", "style"):
            assert isinstance(item.attributes[key], list) and item.attributes[key], (item.id, key)
        sentences = re.findall(r"[.!?](?:\s|$)", item.description)
        assert 2 <= len(sentences) <= 3, item.description


def test_about_half_of_the_descriptions_name_the_colour(catalog: Catalog) -> None:
    share = np.mean([item.color.lower() in item.description.lower() for item in catalog])
    assert 0.3 <= share <= 0.7


def test_colour_variants_share_a_design_group_and_differ_only_in_colour(catalog: Catalog) -> None:
    groups: dict[str, list] = defaultdict(list)
    for item in catalog:
        groups[item.extra["group"]].append(item)
    variants = [members for members in groups.values() if len(members) > 1]
    assert len(variants) >= 20
    for members in variants:
        assert len({m.color for m in members}) == len(members)
        assert len({m.name.rsplit(" (", 1)[0] for m in members}) == 1
        assert len({(m.price, m.category, str(m.attributes)) for m in members}) == 1


def test_solid_product_images_are_mostly_the_item_colour(catalog: Catalog, generator) -> None:
    names = list(generator.COLORS)
    palette = np.array([generator.COLORS[n] for n in names], np.float32)
    checked = 0
    for item in catalog:
        if item.attributes["pattern"] != ["solid"] or item.leaf_category in ("Watches", "Sunglasses"):
            continue  # their metal case / dark lenses outweigh the coloured strap or frame
        pixels = np.asarray(Image.open(item.image), np.float32).reshape(-1, 3)
        product = pixels[np.abs(pixels - pixels[0]).max(axis=1) > 12]  # pixel 0 is background
        nearest = ((product[:, None, :] - palette[None]) ** 2).sum(-1).argmin(axis=1)
        assert names[np.bincount(nearest).argmax()] == item.color, item.id
        checked += 1
    assert checked >= 50


def test_generator_reproduces_the_committed_items_jsonl(generator, demo_catalog_dir: Path) -> None:
    committed = (demo_catalog_dir / "items.jsonl").read_text(encoding="utf-8")
    assert generator.items_jsonl(generator.build_products()) == committed


def test_generator_reproduces_a_sample_of_committed_images_byte_for_byte(generator, demo_catalog_dir: Path) -> None:
    products = generator.build_products()
    for product in products[::17]:  # about one per product type
        committed = (demo_catalog_dir / "images" / f"{product.id}.png").read_bytes()
        assert generator.png_bytes(generator.render(product)) == committed, product.id


@pytest.mark.slow
def test_full_regeneration_is_byte_identical(tmp_path: Path, demo_catalog_dir: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True, capture_output=True)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(demo_catalog_dir) for p in demo_catalog_dir.rglob("*") if p.is_file() and p.suffix != ".md"
    )
    assert made == committed
    for rel in made:
        assert (tmp_path / rel).read_bytes() == (demo_catalog_dir / rel).read_bytes(), rel
