"""The customers' damped mean rating of each item: breaks ties and seeds the first list."""

from __future__ import annotations

import numpy as np

from ..item_store import ItemStore
from ..profile_summary import ProfileSummary
from .base import Reason, Scorer
from .registry import register_scorer


class RatingPriorScorer(Scorer):
    """The store's rating prior in [-1, 1] (0 for unrated items); always active."""

    name = "prior"

    def __init__(self, store: ItemStore) -> None:
        self.store = store

    def active(self, summary: ProfileSummary) -> bool:
        return True

    def score(self, summary: ProfileSummary, rows: np.ndarray) -> np.ndarray:
        return self.store.prior[rows]

    def candidates(self, summary: ProfileSummary, k: int) -> np.ndarray | None:
        return np.argsort(-self.store.prior, kind="stable")[:k]

    def reasons(self, summary: ProfileSummary, row: int, contribution: float) -> list[Reason]:
        note = self.store.prior_note[row]
        return [Reason("note", contribution, f"customers rate it {note}")] if note else []


register_scorer("prior")(lambda store, config: RatingPriorScorer(store))
