"""Photos that are not exact catalog images, through the session: changed snapshots of Luma photos find
their product, and a photo unlike the catalog says so instead of claiming a resemblance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mmrec.bench.photo_retrieval import group_of
from mmrec.bench.photo_robustness import PERTURBATIONS
from mmrec.engine import Engine
from mmrec.events import Photo
from mmrec.session import Session
from mmrec.ui.render import render_understood

SAMPLE = 20


@pytest.fixture(scope="module")
def luma(luma_dir: Path, cache_root: Path) -> Engine:
    mp = pytest.MonkeyPatch()
    mp.setenv("MMREC_CLIP", "off")
    engine = Engine.load(luma_dir, speech=False, cache_dir=cache_root)
    mp.undo()
    return engine


def _found_in_top_10(engine: Engine, perturbation: str) -> list[bool]:
    """For an even sample of Luma photos: does the perturbed photo, as a session's first turn, list
    the item or a variant of its product in the top 10?"""
    items = [it for it in engine.catalog if it.image is not None]
    found = []
    for item in items[:: len(items) // SAMPLE][:SAMPLE]:
        with Image.open(item.image) as image:
            photo = PERTURBATIONS[perturbation](image.convert("RGB"))
        turn = Session(engine, top_k=10).submit(Photo(photo))
        assert turn.error is None and turn.understood["photo"] == "your photo 1"
        product = group_of(item) or item.id
        found.append(any((group_of(engine.catalog.get(r.id)) or r.id) == product for r in turn.ranked))
    return found


@pytest.mark.parametrize("perturbation", ["mirror + beige border", "crop 10%"])
def test_changed_snapshots_of_luma_photos_find_their_product(luma: Engine, perturbation: str) -> None:
    found = _found_in_top_10(luma, perturbation)
    assert sum(found) >= 0.9 * len(found), f"{perturbation}: {sum(found)} of {len(found)} found"


def test_the_hoodie_of_the_issue_mirrored_on_beige_finds_its_product_looking_like_the_photo(luma: Engine) -> None:
    hoodie = luma.catalog.get("MH01-black")
    with Image.open(hoodie.image) as image:
        photo = PERTURBATIONS["mirror + beige border"](image.convert("RGB"))
    turn = Session(luma, top_k=10).submit(Photo(photo))
    top = [luma.catalog.get(r.id) for r in turn.ranked]
    assert any(group_of(it) == "MH01" for it in top[:10])
    assert not [it.id for it in top if it.category.startswith(("Gear", "Training"))], "no videos, watches or bags"
    assert "Looks like your photo 1" in turn.ranked[0].reason
    assert "note" not in turn.understood


@pytest.mark.parametrize(
    "image",
    [
        np.random.default_rng(1).integers(0, 256, (256, 206, 3), dtype=np.uint8),
        np.full((256, 206, 3), (40, 120, 200), dtype=np.uint8),
    ],
    ids=["noise", "solid blue"],
)
def test_a_photo_unlike_the_catalog_gets_no_close_match_and_claims_no_resemblance(luma: Engine, image) -> None:
    session = Session(luma, top_k=10)
    before = [r.id for r in session.shown]
    turn = session.submit(Photo(image))
    assert turn.error is None
    assert turn.understood["note"].startswith("No close match for your photo 1 in this catalog")
    assert "No close match for your photo 1 in this catalog" in render_understood(turn, luma.catalog)
    assert [r.id for r in turn.ranked] == before
    assert not any("photo" in r.reason for r in turn.ranked)
    with Image.open(luma.catalog.get("MH01-black").image) as hoodie:
        second = session.submit(Photo(PERTURBATIONS["crop 10%"](hoodie.convert("RGB"))))
    assert second.understood["photo"] == "your photo 2" and "note" not in second.understood
    assert "Looks like your photo 2" in second.ranked[0].reason
