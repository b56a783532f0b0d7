"""The openai-whisper (PyTorch) backend: ``whisper.load_model`` with a model name (downloaded once) or a checkpoint file."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmrec.encoders.transcriber import LANGUAGE, NO_SPEECH_PROB, Decoded, Transcriber

DEFAULT_MODEL = "base"


class OpenAIWhisperTranscriber(Transcriber):
    """Whisper through openai-whisper on CPU; ``model`` is a name such as ``base`` or a checkpoint path."""

    backend = "openai-whisper"

    def __init__(self, model: str | None = None, *, beam_size: int = 5) -> None:
        super().__init__(model or DEFAULT_MODEL)
        self.beam_size = beam_size

    def _load_model(self) -> Any:
        import whisper

        return whisper.load_model(self._model_name, device="cpu")

    def _decode(self, audio: np.ndarray) -> Decoded:
        import whisper

        # whisper.transcribe drops windows it judges to hold no speech (no_speech_prob and avg_logprob).
        result = whisper.transcribe(
            self._model,
            audio,
            language=LANGUAGE,
            beam_size=self.beam_size,
            fp16=False,
            condition_on_previous_text=False,
            without_timestamps=True,
            no_speech_threshold=NO_SPEECH_PROB,
            verbose=None,
        )
        segments = result["segments"]
        return Decoded(
            text=result["text"],
            language=result.get("language"),
            no_speech_prob=max((s["no_speech_prob"] for s in segments), default=0.0),
            avg_logprob=min((s["avg_logprob"] for s in segments), default=0.0),
        )
