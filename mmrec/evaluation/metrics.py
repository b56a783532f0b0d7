"""Ranking metrics of one shown list against one target, and their random-ranking baselines.

``rank`` is the target's 1-based position in the shown list, or None when it is not shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def success_at(rank: int | None, k: int) -> float:
    """1.0 when the target is among the first ``k``."""
    return float(rank is not None and rank <= k)


def reciprocal_rank(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / rank


def _discounts(n: int) -> np.ndarray:
    return 1.0 / np.log2(np.arange(2, n + 2))


def ndcg_at(shown_grades: Sequence[int], all_grades: np.ndarray, k: int = 10) -> float:
    """NDCG@k of a list whose items have ``shown_grades``; the ideal list takes the best of ``all_grades``."""
    gains = np.asarray(shown_grades[:k], dtype=float)
    ideal = np.sort(np.asarray(all_grades, dtype=float))[::-1][:k]
    idcg = float((ideal * _discounts(len(ideal))).sum())
    return float((gains * _discounts(len(gains))).sum()) / idcg if idcg else 0.0


def first_hit(ranks: Sequence[int | None], k: int = 10) -> int | None:
    """The first turn (index into ``ranks``) at which the target is in the top ``k``, or None."""
    return next((t for t, r in enumerate(ranks) if success_at(r, k)), None)


def hit_within(ranks: Sequence[int | None], turns: int, k: int = 10) -> float:
    """1.0 when the target is in the top ``k`` at any turn 0..``turns``."""
    hit = first_hit(ranks, k)
    return float(hit is not None and hit <= turns)


def coverage(lists: Sequence[Sequence[str]], n_items: int) -> float:
    """Share of the catalog that appears in any of ``lists``."""
    return len({i for items in lists for i in items}) / n_items


def intra_list_diversity(vectors: np.ndarray) -> float:
    """1 - mean pairwise cosine similarity of the rows of ``vectors`` (unit rows); 0 for fewer than two."""
    n = len(vectors)
    if n < 2:
        return 0.0
    sims = vectors @ vectors.T
    return 1.0 - float((sims.sum() - np.trace(sims)) / (n * (n - 1)))


def random_success(k: int, n_items: int, lists: int = 1) -> float:
    """Chance that a target is in the top ``k`` of at least one of ``lists`` independent random rankings."""
    return 1.0 - (1.0 - min(k, n_items) / n_items) ** lists


def random_mrr(k: int, n_items: int) -> float:
    """Expected reciprocal rank of a target in a random top-``k`` list."""
    return float(sum(1.0 / r for r in range(1, min(k, n_items) + 1)) / n_items)


def random_ndcg(all_grades: np.ndarray, k: int = 10) -> float:
    """Expected NDCG@k of a random list for the graded catalog ``all_grades``."""
    mean_gain = float(np.mean(all_grades))
    return ndcg_at([mean_gain] * min(k, len(all_grades)), all_grades, k)  # linear in the gains
