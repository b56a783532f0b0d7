"""Photo input: one function turning whatever a user or a catalog hands over into a bounded RGB image.

Accepts a file path, raw bytes, a PIL image or a numpy array (Gradio's ``HxWx3`` uint8). Reads every
format Pillow knows (JPEG, PNG, WebP, GIF's first frame, ...) plus HEIC/HEIF when ``pillow-heif`` is
installed; honours EXIF orientation, flattens transparency onto white and shrinks large photos to
``max_side`` (JPEGs are decoded at reduced scale, which is what keeps big phone photos fast).
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ImageInputError

try:  # HEIC/HEIF photos from phones
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - optional dependency
    pass
else:
    register_heif_opener()

ImageSource = str | os.PathLike[str] | bytes | bytearray | Image.Image | np.ndarray

_MB = 1_000_000


def load_image(
    source: ImageSource,
    *,
    max_bytes: int = 20_000_000,
    max_pixels: int = 50_000_000,
    max_side: int = 1024,
) -> Image.Image:
    """``source`` as an RGB image whose longest side is at most ``max_side``.

    Raises ImageInputError naming the problem: missing file, file larger than ``max_bytes``, not an
    image, more than ``max_pixels`` pixels (decompression bombs), corrupt or truncated data.
    """
    if isinstance(source, Image.Image):
        _check_pixels(source.size, max_pixels)
        return _finish(source, max_side)
    if isinstance(source, np.ndarray):
        return _finish(_from_array(source, max_pixels), max_side)
    if isinstance(source, (bytes, bytearray)):
        _check_bytes(len(source), max_bytes)
        return _decode(io.BytesIO(source), "the uploaded data", max_pixels, max_side)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source).expanduser()
        if not path.is_file():
            raise ImageInputError(f"photo file {str(path)!r} does not exist or is not a file")
        _check_bytes(path.stat().st_size, max_bytes)
        return _decode(path, path.name, max_pixels, max_side)
    raise ImageInputError(
        f"cannot read a photo from a {type(source).__name__}; give a file path, bytes, a PIL image or an array"
    )


def _check_bytes(size: int, max_bytes: int) -> None:
    if size == 0:
        raise ImageInputError("photo is empty (0 bytes)")
    if size > max_bytes:
        raise ImageInputError(f"photo is {size / _MB:.1f} MB; the limit is {max_bytes / _MB:g} MB")


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    w, h = size
    if w <= 0 or h <= 0:
        raise ImageInputError(f"image has no pixels ({w}×{h})")
    if w * h > max_pixels:
        raise ImageInputError(
            f"image is {w}×{h} = {w * h / 1e6:.1f} megapixels; the limit is {max_pixels / 1e6:g} megapixels"
        )


def _decode(fp: Any, label: str, max_pixels: int, max_side: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(fp)
    except UnidentifiedImageError as e:
        raise ImageInputError(
            f"not an image file: could not identify {label} as JPEG, PNG, WebP, GIF, HEIC or another image format"
        ) from e
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ImageInputError(f"image {label} is too large to decode safely: {e}") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise ImageInputError(f"image is corrupt or truncated: could not read {label} ({e})") from e
    with im:
        _check_pixels(im.size, max_pixels)
        try:
            if im.format == "JPEG":
                im.draft("RGB", (max_side, max_side))
            im.seek(0)
            im.load()
        except (OSError, SyntaxError, ValueError, EOFError) as e:
            raise ImageInputError(f"image is corrupt or truncated: could not decode {label} ({e})") from e
        return _finish(im, max_side)


def _from_array(array: np.ndarray, max_pixels: int) -> Image.Image:
    a = np.asarray(array)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (3, 4)):
        raise ImageInputError(f"image array has shape {a.shape}; expected H×W, H×W×3 or H×W×4")
    _check_pixels((a.shape[1], a.shape[0]), max_pixels)
    if a.dtype != np.uint8:
        wide = a.dtype.kind in "ui" and a.dtype.itemsize > 1
        a = np.nan_to_num(a.astype(np.float64))
        if wide and a.size and a.max() > 255:
            a = a * (255.0 / 65535.0)  # 16-bit samples
        elif a.size and a.max() <= 1.0:
            a = a * 255.0
        a = np.clip(a, 0, 255).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(a))


_WIDE_MODES = {"I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
"""Greyscale modes wider than 8 bits: Pillow's convert("RGB") clips them rather than scaling."""


def _to_8_bit(im: Image.Image) -> Image.Image:
    """A 16-bit, 32-bit or float greyscale image scaled, not clipped, into 8 bits."""
    a = np.nan_to_num(np.asarray(im, dtype=np.float64))
    peak = float(a.max(initial=0.0))
    top = max(peak, 65535.0) if im.mode != "F" else (1.0 if peak <= 1.0 else 255.0)
    return Image.fromarray(np.clip(a * (255.0 / top), 0, 255).astype(np.uint8), mode="L")


def _finish(im: Image.Image, max_side: int) -> Image.Image:
    """A new image: upright, flattened onto white, RGB, no side longer than ``max_side``."""
    im = ImageOps.exif_transpose(im)  # always a copy, so the caller may close the source
    if im.mode in _WIDE_MODES:
        im = _to_8_bit(im)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        im = Image.new("RGB", rgba.size, (255, 255, 255))
        im.paste(rgba, mask=rgba.getchannel("A"))
    elif im.mode != "RGB":
        im = im.convert("RGB")
    if max(im.size) > max_side:
        im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return im
