"""Fusion and ranking: per-modality scores, weighted late fusion, filters, optional MMR diversity.

Every modality's score is centred on the catalog mean (so a contribution says "above or below a
typical item") and multiplied by its fusion weight; an item's score is the sum of its
contributions, which are reported per item. With ``diversity > 0`` the list is re-ranked by maximal
marginal relevance; the reported score is then the MMR value (non-increasing down the list) and the
redundancy penalty is reported as the ``diversity`` contribution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .engine import Engine
from .explain import explain
from .index import APPROXIMATE_ABOVE, EmbeddingIndex
from .profile import Profile

CANDIDATES_PER_MODALITY = 2000
NEAR_DUPLICATE_QUANTILE = 0.97


@dataclass(frozen=True)
class FusionWeights:
    """How much each modality counts in the fused score."""

    text: float = 1.0
    image: float = 0.8
    clip_text: float = 0.6
    attributes: float = 0.5
    prior: float = 0.1

    def of(self, modality: str) -> float:
        return float(getattr(self, modality, 0.0))


@dataclass(frozen=True)
class RankedItem:
    """One row of a ranked list."""

    id: str
    score: float
    contributions: dict[str, float]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "contributions": {k: round(v, 4) for k, v in self.contributions.items()},
            "reason": self.reason,
        }


def rank(
    engine: Engine,
    profile: Profile,
    *,
    k: int = 10,
    weights: FusionWeights = FusionWeights(),
    diversity: float = 0.0,
    spread: bool = False,
) -> list[RankedItem]:
    """The ``k`` best items for ``profile``, best first, each with contributions and a reason."""
    rows = _candidate_rows(engine, profile)
    parts = _contributions(engine, profile, rows, weights)
    total = np.sum(list(parts.values()), axis=0)
    keep = _allowed(engine, profile, rows)
    rows, total = rows[keep], total[keep]
    parts = {m: c[keep] for m, c in parts.items()}
    if diversity > 0:
        picked, scores, penalties = _mmr(engine, rows, total, k, diversity)
        parts = {m: (1 - diversity) * c for m, c in parts.items()}
        parts["diversity"] = np.zeros(len(rows))
        parts["diversity"][picked] = -penalties
    else:
        picked = _spread(engine, rows, total, k) if spread else _top(total, k)
        scores = total[picked]
    out = []
    for pos, score in zip(picked, scores):
        row = int(rows[pos])
        contributions = {m: float(c[pos]) for m, c in parts.items()}
        out.append(
            RankedItem(
                engine.catalog[row].id, float(score), contributions, explain(engine, profile, row, contributions)
            )
        )
    return out


def _candidate_rows(engine: Engine, profile: Profile) -> np.ndarray:
    n = len(engine.catalog)
    if n <= APPROXIMATE_ABOVE:
        return np.arange(n)
    found = [np.argsort(-engine.prior)[:CANDIDATES_PER_MODALITY]]
    for modality in profile.modalities():
        pref = profile.partial_preference(modality, lambda s: s.weight > 0)
        if modality in engine.modalities and pref is not None:
            found.append(engine.modalities[modality].index.candidates(pref, CANDIDATES_PER_MODALITY))
    return np.unique(np.concatenate(found))


def _contributions(engine: Engine, profile: Profile, rows: np.ndarray, weights: FusionWeights) -> dict[str, np.ndarray]:
    every = len(rows) == len(engine.catalog)
    parts: dict[str, np.ndarray] = {}
    for modality in profile.modalities():
        if modality not in engine.modalities:
            continue
        parts[modality] = weights.of(modality) * _modality_score(
            engine.modalities[modality].index, profile, modality, rows, every
        )
    terms = profile.term_weights()
    if terms:
        total = sum(abs(w) for w in terms.values())
        match = sum(w * engine.term_mask(t)[rows] for t, w in terms.items()) / total
        parts["attributes"] = weights.attributes * match
    parts["prior"] = weights.prior * engine.prior[rows]
    return parts


def _modality_score(
    index: EmbeddingIndex, profile: Profile, modality: str, rows: np.ndarray, every: bool
) -> np.ndarray:
    """Similarity to what the user wants, above a typical item's; minus what they rejected.

    A rejected description or photo sinks items by their excess similarity to it, without lifting
    everything unlike it. A rejected item sinks only its near-duplicates: items more similar to it
    than NEAR_DUPLICATE_QUANTILE of the catalog, so one disliked jacket does not sink all jackets.
    All query vectors are scored in one pass over the item matrix.
    """
    toward = profile.partial_preference(modality, lambda s: s.weight > 0)
    away = profile.partial_preference(modality, lambda s: s.weight < 0 and s.item is None)
    rejected = profile.rejected_items(modality)
    queries = [q for q in (toward, away) if q is not None] + [signal.vector for signal, _ in rejected]
    if not queries:
        return np.zeros(len(rows), dtype=np.float32)
    sims = index.scores(np.stack(queries, axis=1), None if every else rows)
    excess = sims - index.mean_vector @ np.stack(queries, axis=1)
    score = np.zeros(len(rows), dtype=np.float32)
    column = 0
    if toward is not None:
        score += excess[:, column]
        column += 1
    if away is not None:
        score += np.minimum(0.0, excess[:, column])
        column += 1
    for offset, (_, share) in enumerate(rejected):
        item_sims = sims[:, column + offset]
        floor = float(np.quantile(item_sims, NEAR_DUPLICATE_QUANTILE))
        score -= share * np.maximum(0.0, item_sims - floor) / max(1e-6, 1.0 - floor)
    return score * index.present[rows]


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest values, largest first (ties in catalog order)."""
    if k < len(values):
        cut = np.argpartition(-values, k - 1)[:k]
        return cut[np.lexsort((cut, -values[cut]))]
    return np.argsort(-values, kind="stable")


def _allowed(engine: Engine, profile: Profile, rows: np.ndarray) -> np.ndarray:
    """Items the hard filters and dislikes let through (vectorised: no per-item Python loop)."""
    f = profile.filters
    keep = np.ones(len(rows), dtype=bool)
    if profile.disliked:
        keep &= ~np.isin(rows, [engine.catalog.position(i) for i in profile.disliked])
    if f.is_empty():
        return keep
    prices = engine.prices[rows]
    if f.max_price is not None:
        keep &= ~(prices > f.max_price)
    if f.min_price is not None:
        keep &= ~(prices < f.min_price)
    colors = engine.colors[rows]
    if f.exclude_colors:
        keep &= ~np.isin(colors, [c.lower() for c in f.exclude_colors])
    if f.include_colors:
        keep &= np.isin(colors, [c.lower() for c in f.include_colors])
    for leaf in f.exclude_categories:
        keep &= ~engine.category_mask(leaf)[rows]
    if f.include_categories:
        keep &= np.logical_or.reduce([engine.category_mask(leaf)[rows] for leaf in f.include_categories])
    return keep


def _spread(engine: Engine, rows: np.ndarray, total: np.ndarray, k: int) -> np.ndarray:
    """``k`` positions taken round-robin over leaf categories, each category's best first, then
    ordered by score: a varied list when nothing is known about the user yet."""
    order = np.argsort(-total, kind="stable")
    queues: dict[str, list[int]] = {}
    for pos in order:
        queues.setdefault(engine.catalog[int(rows[pos])].leaf_category, []).append(int(pos))
    taken: list[int] = []
    while len(taken) < min(k, len(order)):
        for queue in queues.values():
            if queue and len(taken) < k:
                taken.append(queue.pop(0))
    picked = np.array(taken, dtype=np.int64)
    return picked[np.argsort(-total[picked], kind="stable")]


def _mmr(engine: Engine, rows: np.ndarray, relevance: np.ndarray, k: int, diversity: float):
    """Greedy maximal marginal relevance over the best candidates, by text-embedding similarity."""
    pool = _top(relevance, max(5 * k, 50))
    vectors = engine.modalities["text"].index.vectors[rows[pool]]
    sim = vectors @ vectors.T
    lam = 1.0 - diversity
    max_sim = np.zeros(len(pool))
    chosen: list[int] = []
    values: list[float] = []
    penalties: list[float] = []
    available = np.ones(len(pool), dtype=bool)
    for _ in range(min(k, len(pool))):
        value = np.where(available, lam * relevance[pool] - diversity * max_sim, -np.inf)
        best = int(np.argmax(value))
        chosen.append(best)
        values.append(float(value[best]))
        penalties.append(float(diversity * max_sim[best]))
        available[best] = False
        max_sim = np.maximum(max_sim, sim[best])
    return pool[chosen], np.array(values), np.array(penalties)
