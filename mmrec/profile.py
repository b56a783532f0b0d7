"""A user's preference state, built from feedback events, with recency decay.

The profile keeps every piece of evidence as a :class:`Signal`: a vector in one modality's space, a
signed weight (toward or away) and the turn it came from. A modality's preference vector is the
decayed, weighted sum of its signals, so an item's score in that modality is linear in the signals
and can be split back into per-signal contributions for explanations. Words the user asked for or
rejected (``wants``), hard filters and liked/disliked items are kept beside the vectors.

Everything enters through :meth:`Profile.apply` of a :class:`Step` (what one action added), and the
profile keeps its steps: :meth:`Profile.without` rebuilds it as if one interaction had never happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .chips import lift
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
class Step:
    """What one action added to a profile: evidence of an interaction, or a filter or term lifted.

    Complete before :meth:`Profile.apply` and never changed after, so profiles and their copies share it.
    """

    turn: int
    kind: str
    """``review``, ``voice``, ``like``, ``dislike``, ``photo``, or ``lift`` (a chip removed)."""
    label: str = ""
    """How the user would name it, e.g. 'Review “a jacket, not black”'."""
    signals: list[Signal] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)
    """Vocabulary term -> signed weight."""
    filters: Filters = field(default_factory=Filters)
    """Filters stated (relative prices already resolved), merged into the profile's."""
    liked: str | None = None
    disliked: str | None = None
    lift: str | None = None
    """The chip id (see :mod:`mmrec.chips`) whose filter or term this step takes away."""

    def add(self, modality: str, vector: np.ndarray, weight: float, source: str, item: str | None = None) -> None:
        self.signals.append(Signal(modality, vector, weight, self.turn, source, item))

    def add_terms(self, wants: tuple[str, ...], avoids: tuple[str, ...], weight: float = 1.0) -> None:
        self.terms.update(_signed(wants, avoids, weight))


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
    steps: list[Step] = field(default_factory=list)
    """Every step applied since the profile was created, in order."""

    def copy(self) -> Profile:
        """A profile to roll back or undo to: containers of its own, the same signals, steps and filters.

        Those are never changed once made, so a copy before every action costs the containers only
        (a deep copy also copied every step's vectors and the filters' sets, for nothing).
        """
        return replace(
            self,
            signals=list(self.signals),
            terms=dict(self.terms),
            liked=set(self.liked),
            disliked=set(self.disliked),
            steps=list(self.steps),
        )

    def is_empty(self) -> bool:
        return not (self.signals or self.terms or self.liked or self.disliked or not self.filters.is_empty())

    def apply(self, step: Step) -> None:
        """Add ``step``'s evidence at the current turn (its own) or lift its chip, and keep the step."""
        self.steps.append(step)
        if step.lift is not None:
            self.filters, self.terms = lift(step.lift, self.filters, self.terms)
            return
        for signal in step.signals:
            self.add(signal.modality, signal.vector, signal.weight, signal.source, signal.item)
        if step.terms:
            self._set_terms(step.terms)
        if not step.filters.is_empty():
            self.filters = self.filters.merged(step.filters)
        for item, into, out_of in ((step.liked, self.liked, self.disliked), (step.disliked, self.disliked, self.liked)):
            if item is not None:
                into.add(item)
                out_of.discard(item)

    def add(self, modality: str, vector: np.ndarray, weight: float, source: str, item: str | None = None) -> None:
        """One signal at the current turn, outside any step (simulations and benchmarks)."""
        if weight != 0 and np.any(vector):
            vector = np.asarray(vector, dtype=np.float32)
            self.signals.append(Signal(modality, vector, float(weight), self.turn, source, item))
            self._forget()

    def without(self, turn: int) -> Profile:
        """This profile rebuilt from its steps but the interaction of ``turn`` (at the current turn)."""
        rebuilt = Profile(decay=self.decay)
        for step in self.steps:
            if step.turn != turn or step.kind == "lift":
                rebuilt.turn = step.turn
                rebuilt.apply(step)
        rebuilt.turn = self.turn
        return rebuilt

    def add_terms(self, wants: tuple[str, ...], avoids: tuple[str, ...], weight: float = 1.0) -> None:
        """Wanted and avoided terms at the current turn, outside any step (simulations and tests)."""
        self._set_terms(_signed(wants, avoids, weight))

    def _set_terms(self, terms: dict[str, float]) -> None:
        """Set each term's signed weight at the current turn; drop those too faded to matter."""
        self.terms.update({t: (w, self.turn) for t, w in terms.items()})
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

    def term_origins(self) -> dict[str, str]:
        """Term -> the interaction that last named it, e.g. 'your review, turn 2'."""
        kinds = {s.turn: s.kind for s in self.steps}
        said = {"voice": "your voice rating"}
        return {
            t: f"{said.get(kinds.get(turn, ''), 'your review')}, turn {turn}" for t, (_, turn) in self.terms.items()
        }

    def term_weights(self) -> dict[str, float]:
        """Wanted (+) / avoided (-) terms with their decayed weights."""
        return {t: self.weight_now(w, turn) for t, (w, turn) in self.terms.items()}


def _signed(wants: tuple[str, ...], avoids: tuple[str, ...], weight: float) -> dict[str, float]:
    return {**{t: abs(weight) for t in wants}, **{t: -abs(weight) for t in avoids}}
