"""Words the user named (product types, colours, attribute words) that an item matches or clashes with."""

from __future__ import annotations

import numpy as np

from ..item_store import ItemStore
from ..profile_summary import ProfileSummary
from .base import Reason, Scorer
from .registry import register_scorer


class AttributeScorer(Scorer):
    """Signed share of the wanted (+) and avoided (-) terms an item carries, in [-1, 1]."""

    name = "attributes"

    def __init__(self, store: ItemStore) -> None:
        self.store = store

    def active(self, summary: ProfileSummary) -> bool:
        return bool(summary.terms)

    def score(self, summary: ProfileSummary, rows: np.ndarray) -> np.ndarray:
        if not summary.terms:
            return np.zeros(len(rows), dtype=np.float32)
        total = sum(abs(w) for w in summary.terms.values())
        match = sum(w * self.store.term_mask(t)[rows] for t, w in summary.terms.items()) / total
        return np.asarray(match, dtype=np.float32)

    def reasons(self, summary: ProfileSummary, row: int, contribution: float) -> list[Reason]:
        """The item's own matched terms, the avoided ones it is free of, and clashes, each with its source."""
        matched, clashes = self._carried(summary, row)
        free_of = [t for t, w in summary.terms.items() if w < 0 and not self.store.term_mask(t)[row]][:2]
        out = []
        if matched:
            avoided = f", not {' or '.join(free_of)}" if free_of else ""
            text = f"matches {', '.join(matched)}{avoided}{_origins(summary, matched + free_of)}"
            out.append(Reason("matches", contribution, text))
        if clashes:
            out.append(
                Reason("clashes", contribution, f"though it is {', '.join(clashes)}{_origins(summary, clashes)}")
            )
        return out

    def label(self, summary: ProfileSummary, row: int) -> str | None:
        """The words behind this item's bar: "Jackets, Blue", "is Black", "Jackets; is Black"."""
        matched, clashes = self._carried(summary, row)
        parts = [", ".join(matched)] if matched else []
        parts += [f"is {' or '.join(clashes)}"] if clashes else []
        return "; ".join(parts) or None

    def _carried(self, summary: ProfileSummary, row: int) -> tuple[list[str], list[str]]:
        """The wanted terms item ``row`` carries (up to 3) and the avoided ones it carries (up to 2),
        weightiest first (a category before a colour)."""
        carried = sorted(
            ((t, w) for t, w in summary.terms.items() if self.store.term_mask(t)[row]), key=lambda tw: -abs(tw[1])
        )
        return [t for t, w in carried if w > 0][:3], [t for t, w in carried if w < 0][:2]


def _origins(summary: ProfileSummary, terms: list[str]) -> str:
    """' (your review, turn 2)': where the terms came from, when known."""
    origins = list(dict.fromkeys(o for t in terms if (o := summary.term_origins.get(t))))
    return f" ({'; '.join(origins)})" if origins else ""


register_scorer("attributes")(lambda store, config: AttributeScorer(store))
