"""Engine loading with the offline image fallback: status reporting, broken images, photo feedback."""

from __future__ import annotations

import json

import pytest
from PIL import Image, ImageDraw

from mmrec.engine import Engine
from mmrec.events import Like, Photo, Review
from mmrec.session import Session

COLOURS = {
    "red-shirt": (200, 30, 30),
    "blue-shirt": (30, 50, 200),
    "green-shirt": (30, 160, 60),
    "red-bag": (210, 40, 40),
}


def product_shot(colour: tuple[int, int, int], bag: bool = False) -> Image.Image:
    image = Image.new("RGB", (256, 256), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    if bag:
        draw.rectangle((70, 90, 186, 210), fill=colour)
        draw.arc((95, 50, 161, 120), 180, 360, fill=colour, width=8)
    else:
        draw.polygon(
            [
                (60, 70),
                (100, 50),
                (156, 50),
                (196, 70),
                (180, 110),
                (165, 100),
                (165, 210),
                (91, 210),
                (91, 100),
                (76, 110),
            ],
            fill=colour,
        )
    return image


@pytest.fixture(scope="module")
def small_catalog(tmp_path_factory):
    root = tmp_path_factory.mktemp("catalog")
    (root / "images").mkdir()
    lines = []
    for item_id, colour in COLOURS.items():
        product_shot(colour, bag="bag" in item_id).save(root / "images" / f"{item_id}.png")
        lines.append(
            {"id": item_id, "name": item_id.replace("-", " ").title(), "image": f"images/{item_id}.png", "price": 20}
        )
    (root / "images" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    lines.append({"id": "broken", "name": "Broken Photo Shirt", "image": "images/broken.png", "price": 20})
    (root / "items.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    return root


@pytest.fixture(scope="module")
def engine(small_catalog, tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("MMREC_CLIP", "off")
    with pytest.warns(UserWarning, match="1 item.*could not be encoded.*broken"):
        engine = Engine.load(small_catalog, speech=False, cache_dir=tmp_path_factory.mktemp("cache"))
    mp.undo()
    return engine


def test_status_names_the_live_encoders_and_why_others_are_degraded(engine):
    status = engine.status()
    assert status["text"].available and status["text"].model == "all-MiniLM-L6-v2"
    assert status["image"].available and status["image"].degraded and "CLIP" in status["image"].reason
    assert not status["clip_text"].available and "CLIP" in status["clip_text"].reason
    assert not status["speech"].available


def test_a_broken_catalog_image_is_skipped_not_fatal(engine):
    row = engine.catalog.position("broken")
    assert engine.item_vector("image", row) is None
    assert engine.item_vector("text", row) is not None


def test_a_photo_pulls_items_that_look_like_it_to_the_top(engine, tmp_path):
    photo = tmp_path / "upload.jpg"
    product_shot((190, 35, 25)).rotate(8, fillcolor=(245, 245, 245)).save(photo, quality=80)
    turn = Session(engine, top_k=3).submit(Photo(str(photo)))
    assert turn.error is None
    assert turn.ranked[0].id == "red-shirt"
    assert "image" in turn.ranked[0].contributions and "photo" in turn.ranked[0].reason


def test_not_my_style_photo_pushes_look_alikes_down(engine, tmp_path):
    photo = tmp_path / "upload.png"
    product_shot((200, 30, 30)).save(photo)
    turn = Session(engine, top_k=5).submit(Photo(str(photo), polarity="less"))
    assert turn.ranked[-1].id == "red-shirt"
    assert "pushed down" in turn.ranked[-1].reason.lower()


def test_liking_an_item_uses_its_photo_too(engine):
    turn = Session(engine, top_k=4).submit(Like("red-shirt"))
    assert set(turn.ranked[0].contributions) >= {"text", "image"}


def _load_tiny(root, tmp_path, monkeypatch) -> Engine:
    """The engine of a catalog too small to fit the photo features to: it warns, says so, and ranks."""
    monkeypatch.setenv("MMREC_CLIP", "off")
    with pytest.warns(UserWarning, match="shape features not fitted to this catalog's categories"):
        engine = Engine.load(root, speech=False, cache_dir=tmp_path / "cache")
    assert "not fitted" in engine.status()["image"].reason
    turn = Session(engine, top_k=3).submit(Review("a red tee please"))
    assert turn.error is None and turn.ranked[0].id == "tee"
    return engine


def test_a_catalog_with_one_photo_per_category_starts_and_names_the_missing_photo(
    tiny_catalog_dir, tmp_path, monkeypatch
):
    engine = _load_tiny(tiny_catalog_dir, tmp_path, monkeypatch)
    assert [str(i) for i in engine.catalog.issues] == ["line 5 (cap): image cap.jpg is missing; loaded without image"]
    assert engine.item_vector("image", engine.catalog.position("tee")) is not None


@pytest.mark.parametrize(
    "items",
    [
        [("tee", "Tops/Tees", (200, 30, 30))],
        [("tee", "Tops/Tees", (200, 30, 30)), ("tank", "Tops/Tees", (30, 50, 200))],
        [("tee", "Tops/Tees", None), ("bag", "Gear/Bags", None)],
    ],
    ids=["1 item", "2 items in 1 category", "no photos"],
)
def test_tiny_catalogs_start_and_rank(write_catalog, tmp_path, monkeypatch, items):
    _load_tiny(write_catalog(items), tmp_path, monkeypatch)
