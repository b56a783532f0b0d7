"""A profile read once per ranking: decayed toward/away vectors, rejected items, term weights, filters.

Scorers and explanations read a :class:`ProfileSummary` instead of asking the
:class:`~mmrec.profile.Profile` again per space and per listed item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .profile import Profile, Signal
from .understanding import Filters


@dataclass(frozen=True)
class SpaceSummary:
    """One embedding space's evidence, with weights decayed to the current turn.

    ``shares[i]`` is signal ``i``'s signed decayed weight over the space's total absolute weight, so
    ``shares @ (vectors @ item)`` is the item's linear score in the space.
    """

    signals: tuple[Signal, ...]
    vectors: np.ndarray
    shares: np.ndarray
    toward: np.ndarray | None
    """Share-weighted sum of the positive signals (None when there are none)."""
    away: np.ndarray | None
    """Share-weighted sum of the negative signals that are not an item's own vector."""
    rejected: tuple[int, ...]
    """Positions in ``signals`` of negative item signals (dislikes, negative reviews of an item)."""

    def contributions(self, offset: np.ndarray) -> np.ndarray:
        """Each signal's share of the linear score of an item at ``offset`` (item minus baseline)."""
        return self.shares * (self.vectors @ offset)


@dataclass(frozen=True)
class ProfileSummary:
    """Everything a ranking reads from a profile, computed once."""

    spaces: dict[str, SpaceSummary]
    terms: dict[str, float]
    filters: Filters
    disliked: frozenset[str]
    empty: bool
    term_origins: dict[str, str] = field(default_factory=dict)
    """Term -> the interaction that named it ('your review, turn 2'), for explanations."""

    @classmethod
    def of(cls, profile: Profile) -> ProfileSummary:
        """Summarise ``profile`` at its current turn."""
        by_space: dict[str, list[Signal]] = {}
        for signal in profile.signals:
            by_space.setdefault(signal.modality, []).append(signal)
        spaces = {name: _summarise(signals, profile) for name, signals in by_space.items()}
        return cls(
            spaces=spaces,
            terms=profile.term_weights(),
            filters=profile.filters,
            disliked=frozenset(profile.disliked),
            empty=profile.is_empty(),
            term_origins=profile.term_origins(),
        )


def _summarise(signals: list[Signal], profile: Profile) -> SpaceSummary:
    weights = np.array([profile.weight_now(s.weight, s.turn) for s in signals], dtype=np.float32)
    shares = weights / (float(np.abs(weights).sum()) or 1.0)
    vectors = np.stack([s.vector for s in signals]).astype(np.float32)
    positive = shares > 0
    loose_negative = np.array([s.weight < 0 and s.item is None for s in signals])
    return SpaceSummary(
        signals=tuple(signals),
        vectors=vectors,
        shares=shares,
        toward=shares[positive] @ vectors[positive] if positive.any() else None,
        away=shares[loose_negative] @ vectors[loose_negative] if loose_negative.any() else None,
        rejected=tuple(i for i, s in enumerate(signals) if s.weight < 0 and s.item),
    )
