"""Finding the product in a photo: backdrop and borders peeled off, its box, tilt and facing undone."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps

from mmrec.encoders.object_region import canonical_object, find_object, srgb_to_lab

BEIGE = (236, 224, 200)


def _object_on(background: tuple[int, int, int], border: tuple[int, int, int] | None = None) -> Image.Image:
    """A white-edged dark-blue shirt shape at (60..140, 50..190) on ``background``, optionally framed."""
    image = Image.new("RGB", (200, 240), background)
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(80, 50), (120, 50), (140, 80), (130, 90), (130, 190), (70, 190), (70, 90), (60, 80)], fill=(30, 40, 90)
    )
    draw.rectangle((90, 100, 110, 120), fill=background)  # a print the backdrop's colour, inside the object
    return ImageOps.expand(image, border=30, fill=border) if border else image


@pytest.mark.parametrize(
    ("background", "border", "offset"),
    [((250, 250, 250), None, 0), ((200, 220, 240), None, 0), ((255, 255, 255), BEIGE, 30)],
    ids=["white backdrop", "blue backdrop", "white backdrop in a beige border"],
)
def test_find_object_boxes_the_object_and_keeps_its_inside(background, border, offset) -> None:
    region = find_object(srgb_to_lab(np.asarray(_object_on(background, border))))
    top, left, bottom, right = region.box
    assert abs(top - (50 + offset)) <= 1 and abs(bottom - (191 + offset)) <= 1
    assert abs(left - (60 + offset)) <= 1 and abs(right - (141 + offset)) <= 1
    assert region.mask[110 + offset, 100 + offset], "a backdrop-coloured print inside the object is part of it"
    assert not region.mask[20, 20]


def test_an_image_without_a_backdrop_is_one_whole_object() -> None:
    noise = np.random.default_rng(0).integers(0, 256, (120, 100, 3), dtype=np.uint8)
    region = find_object(srgb_to_lab(noise))
    assert region.mask.all() and region.box == (0, 0, 120, 100)


def test_a_tilted_object_is_turned_upright() -> None:
    tilted = _object_on((250, 250, 250)).rotate(14, fillcolor=(250, 250, 250), resample=Image.Resampling.BILINEAR)
    _, straight = canonical_object(np.asarray(_object_on((250, 250, 250))))
    _, turned = canonical_object(np.asarray(tilted))
    aspect = lambda r: (r.box[2] - r.box[0]) / (r.box[3] - r.box[1])  # noqa: E731
    assert abs(aspect(turned) - aspect(straight)) < 0.1


def test_a_mirrored_object_faces_the_same_way_as_the_original() -> None:
    image = _object_on((250, 250, 250))
    ImageDraw.Draw(image).rectangle((130, 90, 160, 110), fill=(30, 40, 90))  # a sleeve to one side only
    _, original = canonical_object(np.asarray(image))
    _, mirrored = canonical_object(np.asarray(ImageOps.mirror(image)))
    assert original.box == mirrored.box
    assert (original.mask == mirrored.mask).mean() > 0.99
