"""Items that go with what the user liked: the catalog's links and items liked together in prior sessions."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from ..catalog import Catalog
from ..profile_summary import ProfileSummary
from .base import Reason, Scorer
from .registry import register_scorer

NOTICEABLE = 0.02
"""A contribution below which the reason is not worth telling."""


class CollaborativeScorer(Scorer):
    """Item-item score: each item's link / co-like strength (:mod:`mmrec.item_graph`) to the items the
    user liked, minus that to the items they disliked, weighted by the judgements' decayed shares and
    divided by their total, so in [-1, 1]; 0 for items unrelated to any judged item (most items).

    Inactive until the user has judged an item the graph knows: on a catalog without links and without
    a history of sessions it never activates.
    """

    name = "collaborative"

    def __init__(self, catalog: Catalog, graph: sparse.csr_matrix) -> None:
        self.catalog = catalog
        self.graph = graph
        self.known = np.diff(graph.indptr) > 0
        """Rows the graph has any neighbour for."""

    def _judged(self, summary: ProfileSummary) -> tuple[np.ndarray, np.ndarray]:
        """(rows, signed weights summing to 1 in absolute value) of the judged items the graph knows."""
        shares: dict[str, float] = {}
        for space in summary.spaces.values():
            for signal, share in zip(space.signals, space.shares.tolist()):
                if signal.item and signal.item not in shares and signal.item in self.catalog:
                    shares[signal.item] = share
        rows = np.array([self.catalog.position(i) for i in shares], dtype=np.int64)
        weights = np.array(list(shares.values()), dtype=np.float64)
        keep = self.known[rows] if len(rows) else np.zeros(0, dtype=bool)
        rows, weights = rows[keep], weights[keep]
        total = float(np.abs(weights).sum())
        return rows, weights / total if total else weights

    def active(self, summary: ProfileSummary) -> bool:
        return bool(len(self._judged(summary)[0]))

    def _all_scores(self, summary: ProfileSummary) -> np.ndarray | None:
        rows, weights = self._judged(summary)
        if not len(rows):
            return None
        return np.asarray(weights @ self.graph[rows], dtype=np.float32).ravel()

    def score(self, summary: ProfileSummary, rows: np.ndarray) -> np.ndarray:
        every = self._all_scores(summary)
        return np.zeros(len(rows), dtype=np.float32) if every is None else every[rows]

    def candidates(self, summary: ProfileSummary, k: int) -> np.ndarray | None:
        every = self._all_scores(summary)
        if every is None:
            return None
        linked = np.flatnonzero(every > 0)
        return linked[np.argsort(-every[linked], kind="stable")][:k]

    def reasons(self, summary: ProfileSummary, row: int, contribution: float) -> list[Reason]:
        if contribution < NOTICEABLE:
            return []
        rows, weights = self._judged(summary)
        strengths = weights * self.graph[rows, row].toarray().ravel() if len(rows) else np.zeros(0)
        if not len(strengths) or strengths.max() <= 0:
            return []
        best = int(rows[int(np.argmax(strengths))])
        return [Reason("toward", float(strengths.max()), f"goes with {self.catalog[best].name}, which you liked")]


register_scorer("collaborative")(lambda store, config: CollaborativeScorer(store.catalog, store.item_graph))
