"""A user's preference state, built from feedback events, with recency decay.

The profile keeps every piece of evidence as a :class:`Signal`: a vector in one modality's space, a
signed weight (toward or away) and the turn it came from. A modality's preference vector is the
decayed, weighted sum of its signals, so an item's score in that modality is linear in the signals
and can be split back into per-signal contributions for explanations. Words the user asked for or
rejected (``wants``), hard filters and liked/disliked items are kept beside the vectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .understanding import Filters

FORGET_BELOW = 1e-3
"""Evidence whose decayed weight is under this share of the strongest in its space (or of the
strongest term) moves no score visibly; it is dropped so that a long session stays as fast as a short one."""


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
            self._forget()

    def add_terms(self, wants: tuple[str, ...], avoids: tuple[str, ...], weight: float = 1.0) -> None:
        for term in wants:
            self.terms[term] = (abs(weight), self.turn)
        for term in avoids:
            self.terms[term] = (-abs(weight), self.turn)
        strongest = max((abs(self.weight_now(w, t)) for w, t in self.terms.values()), default=0.0)
        self.terms = {
            k: (w, t) for k, (w, t) in self.terms.items() if abs(self.weight_now(w, t)) >= FORGET_BELOW * strongest
        }

    def _forget(self) -> None:
        """Drop signals that no longer matter next to the strongest of their space (see FORGET_BELOW)."""
        now = [abs(self.weight_now(s.weight, s.turn)) for s in self.signals]
        strongest: dict[str, float] = {}
        for signal, weight in zip(self.signals, now):
            strongest[signal.modality] = max(strongest.get(signal.modality, 0.0), weight)
        self.signals = [s for s, w in zip(self.signals, now) if w >= FORGET_BELOW * strongest[s.modality]]

    def weight_now(self, weight: float, turn: int) -> float:
        """``weight`` decayed by the number of turns since ``turn``."""
        return weight * self.decay ** max(0, self.turn - turn)

    def modalities(self) -> list[str]:
        return list(dict.fromkeys(s.modality for s in self.signals))

    def term_weights(self) -> dict[str, float]:
        """Wanted (+) / avoided (-) terms with their decayed weights."""
        return {t: self.weight_now(w, turn) for t, (w, turn) in self.terms.items()}
