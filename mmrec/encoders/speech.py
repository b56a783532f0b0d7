"""Choosing a speech backend by name: ``available_backends()`` lists them, ``load_transcriber`` builds one.

    t = load_transcriber()              # MMREC_WHISPER_BACKEND, else faster-whisper
    t.transcribe("clip.webm").text      # also bytes or a Gradio (sample_rate, samples) tuple

The contract (:class:`Transcriber`, :class:`Transcript`) lives in :mod:`mmrec.encoders.transcriber`;
the backends import it, and this registry imports them, so there is no import loop.
"""

from __future__ import annotations

from mmrec.encoders.transcriber import Decoded, Transcriber, Transcript, compression_ratio
from mmrec.encoders.whisper_ct2 import FasterWhisperTranscriber
from mmrec.encoders.whisper_openai import OpenAIWhisperTranscriber
from mmrec.errors import ConfigError
from mmrec.runtime_settings import RuntimeSettings

BACKENDS: dict[str, type[Transcriber]] = {
    cls.backend: cls for cls in (FasterWhisperTranscriber, OpenAIWhisperTranscriber)
}
"""Speech backends by name, the default first."""


def available_backends() -> list[str]:
    """Names of the speech backends ``load_transcriber`` accepts, the default first."""
    return list(BACKENDS)


def load_transcriber(backend: str | None = None, model: str | None = None) -> Transcriber:
    """The transcriber of ``backend`` (else ``$MMREC_WHISPER_BACKEND``, else faster-whisper) running ``model``.

    ``model`` defaults to the backend's own setting (``MMREC_WHISPER_MODEL`` for faster-whisper,
    ``MMREC_OPENAI_WHISPER_MODEL`` for openai-whisper). Loading is lazy: check ``status`` or call ``load``.
    """
    name = backend or RuntimeSettings.from_env().whisper_backend or next(iter(BACKENDS))
    if name not in BACKENDS:
        raise ConfigError(f"unknown speech backend {name!r}; valid backends: {', '.join(BACKENDS)}")
    return BACKENDS[name](model)


__all__ = ["Decoded", "Transcriber", "Transcript", "available_backends", "compression_ratio", "load_transcriber"]
