"""The contract every model-backed component honours: text, image and speech encoders alike.

A component has a short ``name`` (the model id it runs), a ``modality`` and a :class:`Status` saying
whether it is usable and, if not or only degraded, why in words a person understands. Models load
lazily on first use (or eagerly through :meth:`Encoder.load`), once per process.

Embedding encoders add ``dim`` and ``encode`` (L2-normalised float32 rows); the speech component
adds ``transcribe`` instead of ``encode``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Status:
    """Whether a component is live, and the human-readable reason when it is not (or is degraded)."""

    available: bool
    model: str
    reason: str = ""
    degraded: bool = False

    def describe(self) -> str:
        if not self.available:
            return f"unavailable: {self.reason}"
        return f"{self.model} (degraded: {self.reason})" if self.degraded else self.model


class Encoder(ABC):
    """A model-backed component of one modality."""

    modality: str = ""

    @property
    @abstractmethod
    def name(self) -> str:
        """The model id; part of every cache key computed from this component's output."""

    @property
    @abstractmethod
    def status(self) -> Status:
        """Live or not, and why; never raises."""

    def load(self) -> None:  # noqa: B027 (a no-op for components without weights)
        """Load the model now rather than on first use. Raises ModelUnavailableError if it cannot."""


class EmbeddingEncoder(Encoder):
    """An encoder turning inputs into L2-normalised float32 vectors of a fixed dimension."""

    @property
    @abstractmethod
    def dim(self) -> int:
        """Length of every vector :meth:`encode` returns."""

    @abstractmethod
    def encode(self, inputs: Sequence[Any], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """Encode ``inputs`` into an ``(len(inputs), dim)`` float32 array of unit rows."""

    def text_encoder(self) -> EmbeddingEncoder | None:
        """An encoder of texts into this encoder's space (text-to-photo search), or None if there is none."""
        return None


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
