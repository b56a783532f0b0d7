"""One way to choose the model of every input: named encoders per modality.

    available_encoders("image")                         # ['clip', 'visual']
    load_encoder("text", model="all-MiniLM-L6-v2")      # the default text encoder, loaded now
    load_encoder("image", "clip", model="ViT-B-32", pretrained="ckpt.pt", cache_dir=root)
    load_encoder("speech", "openai-whisper", model="base")

``model`` names the weights (a key of the library behind the encoder, a folder or a file); ``None``
is the encoder's own default. Nothing here reads the environment: the edge resolves it once
(:class:`~mmrec.runtime_settings.RuntimeSettings`). An unknown modality or name is a ConfigError
that lists the valid ones. A text or photo encoder whose weights cannot be loaded is replaced by the
modality's fallback, with a warning and a degraded status saying why; a transcriber loads lazily and
reports a failure in its own status.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ModelUnavailableError
from .base import Encoder

# Factories import their module when called: choosing the text encoder does not load CLIP or scipy.


def _sentence_transformers(model: str | None, cache_dir: Path | None = None) -> Encoder:
    from .text import SentenceTextEncoder

    return SentenceTextEncoder(model, cache_dir=cache_dir)


def _hashing(model: str | None, cache_dir: Path | None = None, reason: str = "") -> Encoder:
    from .text import HashingTextEncoder

    return HashingTextEncoder(reason=reason)


def _clip(model: str | None, cache_dir: Path | None = None, pretrained: str | None = None) -> Encoder:
    from .clip import ClipImageEncoder, ClipModel

    return ClipImageEncoder(ClipModel(model, pretrained, cache_dir=cache_dir))


def _visual(model: str | None, cache_dir: Path | None = None, reason: str = "") -> Encoder:
    from .visual import VisualFeatureEncoder

    return VisualFeatureEncoder(reason=reason)


def _faster_whisper(model: str | None, cache_dir: Path | None = None) -> Encoder:
    from .whisper_ct2 import FasterWhisperTranscriber

    return FasterWhisperTranscriber(model, cache_dir=cache_dir)


def _openai_whisper(model: str | None, cache_dir: Path | None = None) -> Encoder:
    from .whisper_openai import OpenAIWhisperTranscriber

    return OpenAIWhisperTranscriber(model)


Factory = Callable[..., Encoder]
"""``factory(model, cache_dir=..., **options)``: a component, not loaded yet."""

ENCODERS: dict[str, dict[str, Factory]] = {
    "text": {"sentence-transformers": _sentence_transformers, "hashing": _hashing},
    "image": {"clip": _clip, "visual": _visual},
    "speech": {"faster-whisper": _faster_whisper, "openai-whisper": _openai_whisper},
}
"""Encoders by modality and name, each modality's default first."""

FALLBACKS = {"text": ("hashing", "hashed word features"), "image": ("visual", "colour + shape features")}
"""What replaces a text or photo encoder whose weights cannot be loaded: a name and what it uses."""


def available_encoders(modality: str) -> list[str]:
    """Names :func:`load_encoder` accepts for ``modality``, the default first."""
    return list(_choices(modality))


def load_encoder(
    modality: str,
    name: str | None = None,
    *,
    model: str | None = None,
    cache_dir: Path | None = None,
    **options: Any,
) -> Encoder:
    """The ``name`` encoder of ``modality`` (default: the first listed) running ``model``.

    Text and photo encoders are loaded now, once per process for each distinct choice (sessions and
    engines share them); a transcriber is built unloaded (check ``status`` or call ``load``).
    ``options`` go to the encoder (``pretrained=`` for CLIP, ``reason=`` for the visual features).
    """
    choices = _choices(modality)
    name = name or next(iter(choices))
    if name not in choices:
        raise ConfigError(f"unknown {modality} encoder {name!r}; valid {modality} encoders: {', '.join(choices)}")
    if modality == "speech":
        return choices[name](model, cache_dir=cache_dir, **options)
    return _loaded(modality, name, model, cache_dir, tuple(sorted(options.items())))


def _choices(modality: str) -> dict[str, Factory]:
    if modality not in ENCODERS:
        raise ConfigError(f"unknown modality {modality!r}; valid modalities: {', '.join(ENCODERS)}")
    return ENCODERS[modality]


@cache
def _loaded(modality: str, name: str, model: str | None, cache_dir: Path | None, options: tuple) -> Encoder:
    encoder = ENCODERS[modality][name](model, cache_dir=cache_dir, **dict(options))
    try:
        encoder.load()
    except ModelUnavailableError as e:
        fallback, uses = FALLBACKS[modality]
        warnings.warn(f"{modality} input falls back to {uses}: {e}", stacklevel=3)
        return ENCODERS[modality][fallback](None, reason=f"{e}; using {uses}")
    return encoder
