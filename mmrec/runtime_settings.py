"""Settings of the model runtime (which models, which inputs, where caches live), resolved once.

:meth:`RuntimeSettings.from_env` is the one place the ``MMREC_*`` environment variables are read;
the CLI and the app call it at start-up and pass the result down (README lists every variable).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

OFF = ("off", "0", "false", "no")


@dataclass(frozen=True)
class RuntimeSettings:
    """What the :class:`~mmrec.engine.Engine` loads; ``None`` means the component's own default."""

    cache_dir: Path | None = None
    text_model: str | None = None
    image: bool = True
    clip: bool = True
    clip_model: str | None = None
    clip_pretrained: str | None = None
    speech: bool = True
    whisper_backend: str | None = None
    whisper_model: str | None = None
    openai_whisper_model: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RuntimeSettings:
        """Settings from ``MMREC_*`` variables (empty values count as unset)."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            return env.get(f"MMREC_{name}", "").strip() or None

        def switch(name: str) -> bool:
            return (get(name) or "on").lower() not in OFF

        cache = get("CACHE_DIR")
        return cls(
            cache_dir=Path(cache).expanduser() if cache else None,
            text_model=get("TEXT_MODEL"),
            image=switch("IMAGE"),
            clip=switch("CLIP"),
            clip_model=get("CLIP_MODEL"),
            clip_pretrained=get("CLIP_PRETRAINED"),
            speech=switch("SPEECH"),
            whisper_backend=get("WHISPER_BACKEND"),
            whisper_model=get("WHISPER_MODEL"),
            openai_whisper_model=get("OPENAI_WHISPER_MODEL"),
        )

    def encoder(self, modality: str) -> dict[str, Any]:
        """The :func:`~mmrec.encoders.registry.load_encoder` choice for ``text``, ``image`` or ``speech``."""
        if modality == "text":
            return {"model": self.text_model}
        if modality == "image":
            if not self.clip:
                return {
                    "name": "visual",
                    "reason": "CLIP is switched off (MMREC_CLIP=off); using colour + shape features",
                }
            return {"name": "clip", "model": self.clip_model, "pretrained": self.clip_pretrained}
        if modality == "speech":
            model = self.openai_whisper_model if self.whisper_backend == "openai-whisper" else self.whisper_model
            return {"name": self.whisper_backend, "model": model}
        raise ValueError(f"no encoder setting for {modality!r}")

    def with_cli(self, *, text_model: str | None = None, image: bool = True, speech: bool = True) -> RuntimeSettings:
        """These settings with command-line choices on top (a flag can only switch an input off)."""
        return replace(
            self,
            text_model=text_model or self.text_model,
            image=self.image and image,
            speech=self.speech and speech,
        )
