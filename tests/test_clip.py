"""CLIP encoders through the production loading code, on a tiny open_clip model this test builds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

open_clip = pytest.importorskip("open_clip")
torch = pytest.importorskip("torch")

from mmrec.encoders import clip  # noqa: E402
from mmrec.encoders.clip import ClipImageEncoder, ClipModel, ClipTextEncoder  # noqa: E402
from mmrec.encoders.registry import load_encoder  # noqa: E402
from mmrec.encoders.visual import VisualFeatureEncoder  # noqa: E402
from mmrec.runtime_settings import RuntimeSettings  # noqa: E402

TINY = "mmrec-test-tiny-clip"
TINY_CONFIG = {
    "embed_dim": 32,
    "vision_cfg": {"image_size": 64, "layers": 2, "width": 64, "head_width": 32, "patch_size": 16},
    "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2},
}


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registered tiny model config and a random-init checkpoint of it, saved as a state dict."""
    folder = tmp_path_factory.mktemp("tiny-clip")
    (folder / f"{TINY}.json").write_text(json.dumps(TINY_CONFIG))
    open_clip.add_model_config(folder / f"{TINY}.json")
    torch.manual_seed(1234)
    model = open_clip.create_model(TINY, pretrained=None)
    path = folder / "tiny.pt"
    torch.save(model.state_dict(), path)
    return path


@pytest.fixture(scope="module")
def encoders(tiny_checkpoint: Path) -> tuple[ClipImageEncoder, ClipTextEncoder]:
    image = load_encoder("image", "clip", model=TINY, pretrained=str(tiny_checkpoint))
    text = image.text_encoder()
    assert isinstance(image, ClipImageEncoder) and isinstance(text, ClipTextEncoder)
    return image, text


def _photos() -> list[Image.Image]:
    rng = np.random.default_rng(0)
    return [Image.fromarray(rng.integers(0, 256, (80 + 10 * i, 60, 3), dtype=np.uint8)) for i in range(3)]


def test_local_checkpoint_loads_through_chooser_with_shared_model(encoders) -> None:
    image, text = encoders
    assert image.model is text.model
    assert image.status.available and not image.status.degraded
    assert image.name == f"clip:{TINY}/tiny.pt" and image.modality == "image" and text.modality == "clip_text"
    assert image.dim == text.dim == 32


def test_image_and_text_embeddings_are_unit_rows_and_deterministic(encoders) -> None:
    image, text = encoders
    photos = _photos()
    a = image.encode(photos, batch_size=2)
    b = image.encode(photos)
    assert a.shape == (3, 32) and a.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(a, b, atol=1e-5)
    t = text.encode(["a red hoodie", "black running shorts"])
    assert t.shape == (2, 32)
    np.testing.assert_allclose(np.linalg.norm(t, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(t[0], t[1])


def test_checkpoint_weights_are_really_used(encoders, tiny_checkpoint: Path) -> None:
    image, text = encoders
    photo = _photos()[:1]
    got = image.encode(photo)
    _, preprocess, _ = image.model.load()

    def reference(state_dict) -> np.ndarray:
        model = open_clip.create_model(TINY, pretrained=None)
        if state_dict is not None:
            model.load_state_dict(state_dict)
        model.eval()
        with torch.inference_mode():
            v = model.encode_image(preprocess(photo[0].convert("RGB"))[None]).numpy()
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    np.testing.assert_allclose(got, reference(torch.load(tiny_checkpoint)), atol=1e-5)
    torch.manual_seed(99)
    assert not np.allclose(got, reference(None), atol=1e-3)


def test_reviews_of_made_up_words_do_not_grow_the_tokenizer_without_end(encoders, monkeypatch) -> None:
    # open_clip's tokenizer remembers how it split every word it has seen; on a public page, reviews of
    # random words would grow the server for as long as someone sends them.
    _, text = encoders
    monkeypatch.setattr(clip, "WORDS_REMEMBERED", 500)
    rng = np.random.default_rng(0)
    letters = list("abcdefghijklmnopqrstuvwxyz")
    before = text.encode(["a red hoodie"])
    for _ in range(6):
        text.encode([" ".join("".join(rng.choice(letters, 8)) for _ in range(200))])
    words = text.model.load()[2].cache
    assert len(words) <= 500 + 200, f"{len(words)} words remembered"
    assert "<start_of_text>" in words and "<end_of_text>" in words
    np.testing.assert_allclose(text.encode(["a red hoodie"]), before, atol=1e-6)


def test_missing_checkpoint_falls_back_to_visual_features_with_reason(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="image input falls back to colour \\+ shape features"):
        image = load_encoder("image", "clip", model="ViT-B-32", pretrained=str(tmp_path / "absent.pt"))
    assert isinstance(image, VisualFeatureEncoder) and image.text_encoder() is None
    assert image.status.available and image.status.degraded
    assert "could not be loaded" in image.status.reason and "ViT-B-32" in image.status.reason


def test_clip_off_setting_skips_clip() -> None:
    image = load_encoder("image", **RuntimeSettings.from_env({"MMREC_CLIP": "off"}).encoder("image"))
    assert isinstance(image, VisualFeatureEncoder) and image.text_encoder() is None
    assert "MMREC_CLIP=off" in image.status.reason


def test_unloadable_model_reports_unavailable(tmp_path: Path) -> None:
    model = ClipModel(TINY, str(tmp_path / "absent.pt"))
    encoder = ClipImageEncoder(model)
    with pytest.raises(Exception, match="could not be loaded"):
        encoder.load()
    assert not encoder.status.available


def test_with_clip_live_words_match_photos_as_their_own_fused_modality(
    tiny_checkpoint: Path, luma_mini_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mmrec.engine import Engine
    from mmrec.events import Review
    from mmrec.session import Session

    monkeypatch.setenv("MMREC_CLIP_MODEL", TINY)
    monkeypatch.setenv("MMREC_CLIP_PRETRAINED", str(tiny_checkpoint))
    engine = Engine.load(luma_mini_dir, speech=False, cache_dir=tmp_path)
    status = engine.status()
    assert status["image"].model == f"clip:{TINY}/tiny.pt" and not status["image"].degraded
    assert status["clip_text"].available
    assert engine.modalities["clip_text"].index is engine.modalities["image"].index
    turn = Session(engine, top_k=5).submit(Review("something bright red for summer"))
    assert turn.error is None
    for item in turn.ranked:
        assert {"text", "clip_text"} <= set(item.contributions)
        assert item.contributions["clip_text"] != item.contributions["text"]
