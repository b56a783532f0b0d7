"""Similarity in one embedding space (text, image, CLIP text-to-photo) to what the user wants."""

from __future__ import annotations

import numpy as np

from ..index import EmbeddingIndex
from ..profile_summary import ProfileSummary
from .base import Reason, Scorer
from .registry import register_scorer

NOTICEABLE = 0.02
"""A signal's share of an item's score below which it is not worth naming."""
WORTH_A_WARNING = 0.08
"""How strongly a signal must push an item down before the reason says so."""
REMEMBERED_FLOORS = 4096
"""Near-duplicate floors kept per space (a plain dict, safe to share between threads in CPython)."""
FLOOR_SAMPLE = 20_000
"""Items whose similarity to a rejected item sets its near-duplicate floor (every item, up to this many)."""
VERBS = {"text": "close to", "image": "looks like", "clip_text": "pictured like"}


class EmbeddingScorer(Scorer):
    """Similarity to the wanted evidence above a typical item's, minus what the user rejected.

    A rejected description or photo sinks items by their excess similarity to it, without lifting
    everything unlike it. A rejected item sinks only its near-duplicates: items more similar to it
    than ``near_duplicate_quantile`` of the catalog's items (of an even sample of
    :data:`FLOOR_SAMPLE` in a larger catalog), so one disliked jacket does not sink all jackets. All
    query vectors are scored in one pass over the item matrix. Both parts that sink items are at most
    zero, so the excess similarity to the wanted evidence alone is the :meth:`bound`.
    """

    def __init__(self, name: str, index: EmbeddingIndex, *, near_duplicate_quantile: float = 0.97) -> None:
        self.name = name
        self.index = index
        self.near_duplicate_quantile = near_duplicate_quantile
        present = np.flatnonzero(index.present)
        self._floor_rows = present[:: max(1, -(-len(present) // FLOOR_SAMPLE))]
        self._floors: dict[bytes, float] = {}

    def active(self, summary: ProfileSummary) -> bool:
        return self.name in summary.spaces

    def score(self, summary: ProfileSummary, rows: np.ndarray) -> np.ndarray:
        space = summary.spaces.get(self.name)
        if space is None:
            return np.zeros(len(rows), dtype=np.float32)
        queries = [q for q in (space.toward, space.away) if q is not None] + [space.vectors[i] for i in space.rejected]
        matrix = np.stack(queries, axis=1).astype(np.float32)
        sims = self._scores(matrix, rows)
        excess = sims - self.index.mean_vector @ matrix
        score = np.zeros(len(rows), dtype=np.float32)
        column = 0
        if space.toward is not None:
            score += excess[:, column]
            column += 1
        if space.away is not None:
            score += np.minimum(0.0, excess[:, column])
            column += 1
        for offset, i in enumerate(space.rejected):
            floor = self._floor(space.vectors[i])
            item_sims = sims[:, column + offset]
            score -= -space.shares[i] * np.maximum(0.0, item_sims - floor) / max(1e-6, 1.0 - floor)
        return score * self.index.present[rows]

    def bound(self, summary: ProfileSummary, rows: np.ndarray) -> np.ndarray:
        space = summary.spaces.get(self.name)
        if space is None or space.toward is None:
            return np.zeros(len(rows), dtype=np.float32)
        every = len(rows) == len(self.index)
        excess = self._scores(space.toward, rows).astype(np.float32, copy=False)
        excess -= np.float32(self.index.mean_vector @ space.toward)
        excess *= self.index.present if every else self.index.present[rows]
        return excess

    def _scores(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Cosines with ``rows``: every row (in catalog order, as the ranker passes them) or a subset."""
        return self.index.scores(query, None if len(rows) == len(self.index) else rows)

    def _floor(self, vector: np.ndarray) -> float:
        """Similarity to ``vector`` above which an item counts as its near-duplicate (remembered: a
        rejected item stays in a profile for many rankings)."""
        key = vector.astype(np.float32).tobytes()
        floor = self._floors.get(key)
        if floor is None:
            floor = 1.0
            if len(self._floor_rows):
                sims = self.index.vectors[self._floor_rows] @ vector.astype(np.float32)
                floor = float(np.quantile(sims, self.near_duplicate_quantile))
            if len(self._floors) >= REMEMBERED_FLOORS:
                self._floors.clear()
            self._floors[key] = floor
        return floor

    def candidates(self, summary: ProfileSummary, k: int) -> np.ndarray | None:
        space = summary.spaces.get(self.name)
        if space is None or space.toward is None:
            return None
        return self.index.candidates(space.toward, k)

    def reasons(self, summary: ProfileSummary, row: int, contribution: float) -> list[Reason]:
        space = summary.spaces.get(self.name)
        if space is None or not self.index.present[row]:
            return []
        shares = space.contributions(self.index.vectors[row] - self.index.mean_vector)
        verb = VERBS.get(self.name, f"close in {self.name} to")
        best: Reason | None = None
        worst: Reason | None = None
        for signal, share in zip(space.signals, shares.tolist()):
            if signal.weight > 0 and share > (best.strength if best else NOTICEABLE):
                best = Reason("toward", share, f"{verb} {signal.source} (turn {signal.turn})")
            elif (
                signal.weight < 0
                and share < (worst.strength if worst else -WORTH_A_WARNING)
                and contribution < -NOTICEABLE
            ):
                worst = Reason("away", share, f"pushed down as it resembles {signal.source} (turn {signal.turn})")
        return [r for r in (best, worst) if r is not None]


def _space_scorer(name: str):
    def build(store, config):
        if name not in store.spaces:
            return None
        return EmbeddingScorer(name, store.spaces[name], near_duplicate_quantile=config.near_duplicate_quantile)

    return build


for _name in ("text", "image", "clip_text"):
    register_scorer(_name)(_space_scorer(_name))
