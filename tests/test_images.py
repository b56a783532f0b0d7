"""load_image on real generated files: formats, orientation, transparency, limits and broken input."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from bad_inputs import IMAGES
from PIL import Image

from mmrec.errors import ImageInputError
from mmrec.images import load_image


def _encoded(image: Image.Image, fmt: str, **kwargs) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **kwargs)
    return buf.getvalue()


def _two_tone(width: int = 60, height: int = 40) -> Image.Image:
    """Left half red, right half blue: orientation is visible in the pixels."""
    a = np.zeros((height, width, 3), dtype=np.uint8)
    a[:, : width // 2] = (220, 20, 20)
    a[:, width // 2 :] = (20, 20, 220)
    return Image.fromarray(a)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "BMP", "TIFF"])
def test_common_formats_decode_to_rgb(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"photo.{fmt.lower()}"
    _two_tone().save(path, fmt)
    image = load_image(path)
    assert image.mode == "RGB" and image.size == (60, 40)
    assert image.getpixel((5, 20))[0] > 150 and image.getpixel((55, 20))[2] > 150


def test_bytes_pil_and_gradio_array_sources_agree() -> None:
    source = _two_tone()
    from_bytes = np.asarray(load_image(_encoded(source, "PNG")))
    from_pil = np.asarray(load_image(source))
    from_array = np.asarray(load_image(np.asarray(source)))
    np.testing.assert_array_equal(from_bytes, from_pil)
    np.testing.assert_array_equal(from_pil, from_array)


def test_float_and_greyscale_arrays_are_accepted() -> None:
    assert load_image(np.full((10, 12, 3), 0.5)).getpixel((0, 0)) == (127, 127, 127)
    assert load_image(np.zeros((10, 12), dtype=np.uint8)).mode == "RGB"


def test_gif_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 255, 0))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    r, g, _ = load_image(buf.getvalue()).getpixel((10, 10))
    assert r > 200 and g < 50


def test_transparency_is_flattened_onto_white() -> None:
    rgba = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    rgba.paste((0, 0, 255, 255), (5, 5, 15, 15))
    image = load_image(_encoded(rgba, "PNG"))
    assert image.mode == "RGB"
    assert image.getpixel((0, 0)) == (255, 255, 255) and image.getpixel((10, 10)) == (0, 0, 255)


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    image = load_image(_encoded(_two_tone(), "JPEG", exif=exif.tobytes(), quality=95))
    assert image.size == (40, 60)
    assert image.getpixel((20, 5))[0] > 150 and image.getpixel((20, 55))[2] > 150  # red on top now


def test_large_photos_are_downscaled_to_max_side() -> None:
    big = Image.new("RGB", (4000, 3000), (10, 200, 10))
    image = load_image(_encoded(big, "JPEG"), max_side=512)
    assert max(image.size) == 512 and image.size == (512, 384)
    assert load_image(big, max_side=100).size == (100, 75)


def test_heic_is_read_when_pillow_heif_is_installed() -> None:
    pytest.importorskip("pillow_heif")
    data = _encoded(_two_tone(64, 32), "HEIF")
    image = load_image(data)
    assert image.size == (64, 32) and image.getpixel((5, 16))[0] > 150


def test_file_over_byte_limit_is_refused_with_sizes(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(b"\x89PNG" + bytes(2_100_000))
    with pytest.raises(ImageInputError, match=r"photo is 2\.1 MB; the limit is 2 MB"):
        load_image(path, max_bytes=2_000_000)


def test_decompression_bomb_is_refused_before_decoding() -> None:
    data = next(c for c in IMAGES if c.name == "decompression bomb").make()  # tiny file, 81 megapixels
    assert len(data) < 100_000
    with pytest.raises(ImageInputError, match=r"9000×9000 = 81\.0 megapixels; the limit is 50 megapixels"):
        load_image(data)


def test_non_image_missing_and_truncated_inputs_have_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ImageInputError, match="not an image file: could not identify notes.txt"):
        (tmp_path / "notes.txt").write_text("hello, not a photo")
        load_image(tmp_path / "notes.txt")
    with pytest.raises(ImageInputError, match="does not exist"):
        load_image(tmp_path / "absent.jpg")
    for broken in ("truncated PNG", "corrupt PNG"):
        with pytest.raises(ImageInputError, match="corrupt or truncated"):
            load_image(next(c for c in IMAGES if c.name == broken).make())
    with pytest.raises(ImageInputError, match="empty"):
        load_image(b"")
    with pytest.raises(ImageInputError, match="expected H×W"):
        load_image(np.zeros((4, 4, 2), dtype=np.uint8))


def _ramp(top: float, dtype: type) -> np.ndarray:
    return np.linspace(0, top, 64 * 64).reshape(64, 64).astype(dtype)


def _scaled_not_clipped(im: Image.Image) -> None:
    out = np.asarray(im)
    assert out.shape == (64, 64, 3)
    assert out.min() == 0 and out.max() == 255 and 100 < out.mean() < 155


@pytest.mark.parametrize("dtype", [np.uint16, np.int32])
def test_16_bit_greyscale_files_are_scaled_not_clipped_to_white(tmp_path: Path, dtype: type) -> None:
    source = tmp_path / "wide.png"
    Image.fromarray(_ramp(65535, dtype)).save(source)
    _scaled_not_clipped(load_image(source))


def test_float_images_and_16_bit_arrays_are_scaled_too() -> None:
    _scaled_not_clipped(load_image(Image.fromarray(_ramp(1.0, np.float32), mode="F")))
    _scaled_not_clipped(load_image(_ramp(65535, np.uint16)))
