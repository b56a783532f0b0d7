"""A user's preference state, built from feedback events, with recency decay.

The profile keeps every piece of evidence as a :class:`Signal`: a vector in one modality's space, a
signed weight (toward or away) and the turn it came from. A modality's preference vector is the
decayed, weighted sum of its signals, so an item's score in that modality is linear in the signals
and can be split back into per-signal contributions for explanations. Words the user asked for or
rejected (``wants``), hard filters and liked/disliked items are kept beside the vectors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .understanding import Filters


@dataclass(frozen=True)
class Signal:
    """One piece of evidence: toward (+) or away from (-) ``vector`` in ``modality``'s space."""

    modality: str
    vector: np.ndarray
    weight: float
    turn: int
    source: str
    """How the user would name the interaction, e.g. 'your review "warm jacket"' or 'liking Hoodie X'."""
    item: str | None = None
    """The catalog item whose own vector this is (likes, dislikes, reviews of an item), else None."""


@dataclass
class Profile:
    """Per-modality signals, wanted/avoided terms, filters and item feedback of one user."""

    decay: float = 0.85
    signals: list[Signal] = field(default_factory=list)
    terms: dict[str, tuple[float, int]] = field(default_factory=dict)
    """Vocabulary term -> (signed weight, turn last mentioned)."""
    filters: Filters = field(default_factory=Filters)
    liked: set[str] = field(default_factory=set)
    disliked: set[str] = field(default_factory=set)
    turn: int = 0

    def is_empty(self) -> bool:
        return not (self.signals or self.terms or self.liked or self.disliked or not self.filters.is_empty())

    def add(self, modality: str, vector: np.ndarray, weight: float, source: str, item: str | None = None) -> None:
        if weight != 0 and np.any(vector):
            vector = np.asarray(vector, dtype=np.float32)
            self.signals.append(Signal(modality, vector, float(weight), self.turn, source, item))

    def add_terms(self, wants: tuple[str, ...], avoids: tuple[str, ...], weight: float = 1.0) -> None:
        for term in wants:
            self.terms[term] = (abs(weight), self.turn)
        for term in avoids:
            self.terms[term] = (-abs(weight), self.turn)

    def weight_now(self, weight: float, turn: int) -> float:
        """``weight`` decayed by the number of turns since ``turn``."""
        return weight * self.decay ** max(0, self.turn - turn)

    def modalities(self) -> list[str]:
        return list(dict.fromkeys(s.modality for s in self.signals))

    def preference(self, modality: str) -> np.ndarray | None:
        """Decayed weighted sum of the modality's signals, scaled by their total absolute weight."""
        return self.partial_preference(modality, lambda s: True)

    def partial_preference(self, modality: str, keep: Callable[[Signal], bool]) -> np.ndarray | None:
        """The kept signals' share of :meth:`preference` (weights signed); None when none is kept."""
        signals = [s for s in self.signals if s.modality == modality]
        weights = np.array([self.weight_now(s.weight, s.turn) for s in signals], dtype=np.float32)
        mask = np.array([keep(s) for s in signals], dtype=bool)
        if not mask.any():
            return None
        total = float(np.abs(weights).sum())
        return (weights[mask, None] * np.stack([s.vector for s in signals])[mask]).sum(axis=0) / total

    def rejected_items(self, modality: str) -> list[tuple[Signal, float]]:
        """Negative item signals with their decayed weight as a share of the modality's total weight."""
        signals = [s for s in self.signals if s.modality == modality]
        total = sum(abs(self.weight_now(s.weight, s.turn)) for s in signals) or 1.0
        return [(s, abs(self.weight_now(s.weight, s.turn)) / total) for s in signals if s.weight < 0 and s.item]

    def signal_contributions(
        self, modality: str, item_vector: np.ndarray, baseline: np.ndarray | None = None
    ) -> list[tuple[Signal, float]]:
        """Each signal's share of the item's linear score in ``modality``, measured against ``baseline``
        (a typical item's vector) when given."""
        signals = [s for s in self.signals if s.modality == modality]
        weights = [self.weight_now(s.weight, s.turn) for s in signals]
        total = sum(abs(w) for w in weights) or 1.0
        offset = item_vector if baseline is None else item_vector - baseline
        return [(s, w * float(s.vector @ offset) / total) for s, w in zip(signals, weights)]

    def term_weights(self) -> dict[str, float]:
        """Wanted (+) / avoided (-) terms with their decayed weights."""
        return {t: self.weight_now(w, turn) for t, (w, turn) in self.terms.items()}
