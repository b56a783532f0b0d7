"""The speech-to-text contract every Whisper backend honours (choose one with :mod:`mmrec.encoders.registry`).

    t.transcribe("clip.webm").text      # also bytes or a Gradio (sample_rate, samples) tuple

A transcriber never invents text: a clip with under :data:`MIN_VOICED_S` of voiced sound (silence, noise,
a click), or one Whisper doubts (:func:`heard`), comes back with ``no_speech=True`` and ``text == ""``.
When its model cannot load, ``status`` says why and ``transcribe`` raises ModelUnavailableError with that
reason.
"""

from __future__ import annotations

import threading
import time
import zlib
from abc import abstractmethod
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from mmrec.audio import AudioSource, duration_s, is_silent, load_audio, voiced_seconds
from mmrec.encoders.base import Encoder, Status
from mmrec.errors import ModelUnavailableError

LANGUAGE = "en"
# Whisper's own limits for a window that holds no speech, and for degenerate (looping) output.
NO_SPEECH_PROB = 0.6
LOGPROB_FLOOR = -1.0
MAX_COMPRESSION_RATIO = 2.4
MIN_VOICED_S = 0.3
"""Less voiced sound than this is no speech: shorter than any spoken word that could carry a rating."""


@dataclass(frozen=True)
class Transcript:
    """What was said in one clip, and how long it took to find out."""

    text: str
    language: str | None
    no_speech: bool
    duration_s: float
    seconds: float
    backend: str
    model: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Decoded:
    """A backend's raw answer for one clip."""

    text: str
    language: str | None
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0


class Transcriber(Encoder):
    """A Whisper backend; subclasses load their model in :meth:`_load_model` and decode in :meth:`_decode`."""

    modality = "speech"
    backend = ""

    def __init__(self, model: str) -> None:
        self._model_name = model
        self._model: Any = None
        self._error = ""
        self._lock = threading.RLock()
        """One load, and one decode at a time: openai-whisper installs per-call hooks on the shared model."""

    @property
    def name(self) -> str:
        return self._model_name

    @property
    def status(self) -> Status:
        if self._error:
            return Status(False, self._model_name, self._error)
        if self._model is None:
            return Status(True, self._model_name, "not loaded yet", degraded=True)
        return Status(True, self._model_name)

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            if self._error:
                raise ModelUnavailableError(self._error)
            try:
                self._model = self._load_model()
            except ModelUnavailableError as e:
                self._error = str(e)
                raise
            except Exception as e:  # any failure to load weights makes the backend unavailable, with its reason
                self._error = f"{self.backend} model {self._model_name!r} could not be loaded: {e}"
                raise ModelUnavailableError(self._error) from e

    def transcribe(self, source: AudioSource) -> Transcript:
        """The words spoken in ``source`` (path, bytes or ``(rate, samples)``); raises AudioInputError for bad audio."""
        audio = load_audio(source)
        with self._lock:
            self.load()
            t0 = time.perf_counter()
            text, language = "", LANGUAGE
            if not is_silent(audio) and self._voiced_seconds(audio) >= MIN_VOICED_S:
                decoded = self._decode(audio)
                if heard(decoded):
                    text, language = decoded.text.strip(), decoded.language
        return Transcript(
            text=text,
            language=language,
            no_speech=not text,
            duration_s=round(duration_s(audio), 3),
            seconds=round(time.perf_counter() - t0, 4),
            backend=self.backend,
            model=self._model_name,
        )

    def _voiced_seconds(self, audio: np.ndarray) -> float:
        """Seconds of speech in ``audio`` by the backend's voice detector (here: :func:`voiced_seconds`)."""
        return voiced_seconds(audio)

    @abstractmethod
    def _load_model(self) -> Any:
        """The loaded model; raises (preferably ModelUnavailableError with a reason) if it cannot load."""

    @abstractmethod
    def _decode(self, audio: np.ndarray) -> Decoded:
        """Whisper's reading of 16 kHz mono samples known to hold some sound."""


def heard(decoded: Decoded) -> bool:
    """Whether Whisper's reading is speech: its no-speech probability at most :data:`NO_SPEECH_PROB` and its
    words' mean log-probability at least :data:`LOGPROB_FLOOR`.

    Whisper drops a window only when both fail; here either does, as the words become a rating. Speech under
    a WAV header that says 8 kHz for 16 kHz samples, read as "So that's true. That's true.", has 0.39 and
    -1.29 (on another machine, "Fusks! Fusks! Fusks!" at 0.35 and -0.81, which the understanding then refuses
    as no words); a header saying 8-bit gives "I don't know what to do." at 0.54 and -1.5; the spoken
    fixtures, noisy ones included, have at most 0.12 and at least -0.56.
    """
    return decoded.no_speech_prob <= NO_SPEECH_PROB and decoded.avg_logprob >= LOGPROB_FLOOR


def compression_ratio(text: str) -> float:
    """Whisper's looping detector: how well ``text`` compresses (repetitive output compresses well)."""
    data = text.encode()
    return len(data) / len(zlib.compress(data)) if data else 0.0
