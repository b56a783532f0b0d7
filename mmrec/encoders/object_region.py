"""Where the product is in a photo: its background (and any border around it) peeled off, its box.

Product photos and phone snapshots of them show the product on a plain backdrop, sometimes inside a
border or a second backdrop (a photo on a beige sheet, a screenshot on a page). :func:`find_object`
peels such layers from the outside in: the median colour of the frame's edge is the background when
most of the edge is close to it (> :data:`BACKGROUND_DELTA_E` in CIELAB counts as different); the
background is the close pixels *connected to the edge* (OpenCV connected components), so a white
shirt on a white backdrop keeps its inside; what is left, less specks, is the object, and its box is
the next frame. It stops when a frame's edge is not a backdrop or the box no longer shrinks.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image
from scipy import ndimage

BACKGROUND_DELTA_E = 8.0
EDGE = 2
"""Pixels of each side of a frame that make up its edge."""
UNIFORM_EDGE = 0.6
"""A frame's edge is a backdrop when at least this share of it is close to its median colour."""
MAX_LAYERS = 4
MIN_OBJECT = 0.01
"""An object smaller than this share of its frame is a speck: the frame itself is then the object."""
MIN_PART = 0.05
"""Parts of the object smaller than this share of its largest part are dropped as specks."""
RECTANGLE = 0.95
"""A layer's object filling this share of its box is a rectangle: a photo or page that may hold a backdrop."""
MIN_INNER = 0.1
"""An object found inside a rectangle must cover this share of it, else the rectangle is the object."""
MAX_TILT = 25.0
"""Degrees of tilt from upright (or lying flat) that :func:`canonical_object` turns back; more is a pose."""
FACING = 0.03
"""An object whose pixels' mean lies this share of its box's width right of the middle is mirrored;
nearer the middle it is left as it is (a near-symmetric object would flip back and forth)."""


@dataclass(frozen=True)
class ObjectRegion:
    """The object's pixels (``mask``, the image's shape) and its box ``(top, left, bottom, right)``."""

    mask: np.ndarray
    box: tuple[int, int, int, int]

    @property
    def slices(self) -> tuple[slice, slice]:
        top, left, bottom, right = self.box
        return slice(top, bottom), slice(left, right)


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of an ``HxWx3`` uint8 sRGB array, as float32 ``HxWx3`` (OpenCV's conversion: a tenth
    of the time of the same formulas in numpy)."""
    return cv2.cvtColor(rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)


def find_object(lab: np.ndarray) -> ObjectRegion:
    """The object in a CIELAB image (:func:`srgb_to_lab`); the whole image when no backdrop is found.

    A layer inside the first is peeled only when what the previous one left is a rectangle (a photo
    or a page on a backdrop) and keeps an object of at least :data:`MIN_INNER` of it: so a boxy
    product is not peeled down to its logo.
    """
    height, width = lab.shape[:2]
    mask = np.ones((height, width), dtype=bool)
    top, left, bottom, right = 0, 0, height, width
    for layer in range(MAX_LAYERS):
        frame = mask[top:bottom, left:right]
        if layer and frame.mean() < RECTANGLE:
            break
        found = _inside_backdrop(lab[top:bottom, left:right])
        if found is None or (layer and found.mean() < MIN_INNER):
            break
        mask = np.zeros((height, width), dtype=bool)
        mask[top:bottom, left:right] = found
        ys, xs = np.nonzero(found)
        box = (top + int(ys.min()), left + int(xs.min()), top + int(ys.max()) + 1, left + int(xs.max()) + 1)
        if box == (top, left, bottom, right):
            break
        top, left, bottom, right = box
    ys, xs = np.nonzero(mask)
    return ObjectRegion(mask, (int(ys.min()), int(xs.min()), int(ys.max()) + 1, int(xs.max()) + 1))


def _inside_backdrop(frame: np.ndarray) -> np.ndarray | None:
    """The pixels of ``frame`` not in the backdrop along its edge; None without one (or nothing inside)."""
    h, w = frame.shape[:2]
    if min(h, w) <= 4 * EDGE:
        return None
    edge = np.zeros((h, w), dtype=bool)
    edge[:EDGE], edge[-EDGE:], edge[:, :EDGE], edge[:, -EDGE:] = True, True, True, True
    colour = np.median(frame[edge], axis=0)
    close = np.linalg.norm(frame - colour, axis=-1) <= BACKGROUND_DELTA_E
    if close[edge].mean() < UNIFORM_EDGE:
        return None
    _, labels = cv2.connectedComponents(close.astype(np.uint8), connectivity=4)
    backdrop = np.isin(labels, np.unique(labels[edge & close]))
    inside = ndimage.binary_opening(~backdrop)
    count, parts, stats, _ = cv2.connectedComponentsWithStats(inside.astype(np.uint8), connectivity=8)
    if count < 2:
        return None
    areas = stats[1:, cv2.CC_STAT_AREA]
    if areas.max() < MIN_OBJECT * h * w:
        return None
    kept = np.isin(parts, 1 + np.flatnonzero(areas >= MIN_PART * areas.max()))
    return ndimage.binary_fill_holes(kept)


def canonical_object(rgb: np.ndarray) -> tuple[np.ndarray, ObjectRegion]:
    """The object of an ``HxWx3`` uint8 sRGB photo, upright and facing one way: CIELAB pixels and the object.

    The object is cut out onto its backdrop's colour and turned so that its main axis (from the
    mask's second moments) is vertical or horizontal when it is tilted by at most :data:`MAX_TILT`
    degrees (a phone held askew), then mirrored if its pixels lie clearly right of its box's middle
    (:data:`FACING`; a mirrored snapshot). Catalog photos go through the same steps, so their poses agree.
    """
    lab = srgb_to_lab(rgb)
    region = find_object(lab)
    if region.mask.all():
        return lab, region
    tilt = _tilt(region.mask)
    if tilt is not None:
        box = region.slices
        fill = np.median(rgb[~region.mask], axis=0).astype(np.uint8)
        cut = np.where(region.mask[box][..., None], rgb[box], fill)
        turned = Image.fromarray(cut).rotate(
            tilt, Image.Resampling.BILINEAR, expand=True, fillcolor=tuple(fill.tolist())
        )
        lab = srgb_to_lab(np.asarray(turned))
        region = find_object(lab)
    top, left, bottom, right = region.box
    columns = np.nonzero(region.mask)[1]
    if columns.mean() - (left + right - 1) / 2 > FACING * (right - left):
        width = lab.shape[1]
        lab = lab[:, ::-1]
        region = ObjectRegion(region.mask[:, ::-1], (top, width - right, bottom, width - left))
    return lab, region


def _tilt(mask: np.ndarray) -> float | None:
    """Degrees (counter-clockwise) that turn the mask's main axis upright or flat; None past MAX_TILT."""
    m = cv2.moments(mask.astype(np.uint8), binaryImage=True)
    angle = 0.5 * np.degrees(np.arctan2(2 * m["mu11"], m["mu20"] - m["mu02"]))
    tilt = float(angle - 90 * round(angle / 90))
    return tilt if 0.5 < abs(tilt) <= MAX_TILT else None
