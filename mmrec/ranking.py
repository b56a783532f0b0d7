"""Fusion and ranking over an item store: scorers' raw scores, weighted in one place, filters, MMR.

Every scorer returns raw per-item scores about zero for a typical item; the fused score is the sum
of each raw score times its fusion weight from the :class:`~mmrec.recommender_config.RecommenderConfig`.
Each listed item carries both: ``features`` (the raw score of every scorer, the feature vector a
learned fusion would read) and ``contributions`` (the weighted scores of the scorers that had
evidence this turn). With ``diversity > 0`` the list is re-ranked by maximal marginal relevance; the
reported score is then the MMR value (non-increasing down the list) and the redundancy penalty is
reported as the ``diversity`` contribution.

Over more than :data:`PRUNE_ABOVE` candidate rows, every row is first given a fused upper bound (each
scorer's :meth:`~mmrec.scorers.Scorer.bound`, e.g. an embedding space's wanted evidence without its
penalties) and only the rows whose bound could still reach the list are scored exactly: the list is
the same, at about the cost of one query column over the item matrix instead of several.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .explain import explain
from .index import APPROXIMATE_ABOVE
from .item_store import ItemStore
from .profile import Profile
from .profile_summary import ProfileSummary
from .recommender_config import RecommenderConfig, default_config
from .scorers import Scorer, build_scorers

PRUNE_ABOVE = 20_000
"""Candidate rows above which bounding first is cheaper than scoring every row exactly."""
PRUNE_START = 8
"""The first exact round scores this many times the rows the list needs, growing 4x until it is exact."""


@dataclass(frozen=True, slots=True)
class RankedItem:
    """One row of a ranked list."""

    id: str
    score: float
    contributions: dict[str, float]
    reason: str
    features: dict[str, float] = field(default_factory=dict)
    """Raw (unweighted) score of every scorer, including those without evidence this turn (0)."""
    labels: dict[str, str] = field(default_factory=dict)
    """Per scorer that names one, the words behind its contribution to this item (``Jackets, Blue``)."""

    def to_dict(self) -> dict[str, Any]:
        """The contract's form of the row (rounded; no features)."""
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "contributions": {k: round(v, 4) for k, v in self.contributions.items()},
            "reason": self.reason,
        }

    def to_record(self) -> dict[str, Any]:
        """The full-precision form a turn record keeps (see :mod:`mmrec.turn_record`)."""
        return {
            "id": self.id,
            "score": self.score,
            "features": dict(self.features),
            "contributions": dict(self.contributions),
            "reason": self.reason,
            **({"labels": dict(self.labels)} if self.labels else {}),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> RankedItem:
        return cls(
            id=record["id"],
            score=float(record["score"]),
            contributions={k: float(v) for k, v in record.get("contributions", {}).items()},
            reason=record.get("reason", ""),
            features={k: float(v) for k, v in record.get("features", {}).items()},
            labels=dict(record.get("labels", {})),
        )


def rank(
    store: ItemStore,
    profile: ProfileSummary | Profile,
    config: RecommenderConfig | None = None,
    *,
    k: int | None = None,
    spread: bool | None = None,
    scorers: list[Scorer] | None = None,
) -> list[RankedItem]:
    """The ``k`` (default ``config.top_k``) best items for ``profile``, best first, with features,
    contributions and a reason. ``spread`` (default: when the profile is empty) takes the list
    round-robin over leaf categories. Pass ``scorers`` built once per store to skip rebuilding them."""
    config = config or default_config()
    summary = profile if isinstance(profile, ProfileSummary) else ProfileSummary.of(profile)
    scorers = build_scorers(store, config) if scorers is None else scorers
    k = config.top_k if k is None else k
    spread = summary.empty if spread is None else spread
    rows = _candidate_rows(store, summary, scorers, config.candidates_per_space)
    keep = _allowed(store, summary, rows)
    rows = rows if keep.all() else rows[keep]
    active = [s for s in scorers if s.active(summary)]
    if not spread and len(rows) > PRUNE_ABOVE:
        needed = max(config.mmr_pool_factor * k, config.mmr_pool_min) if config.diversity > 0 else k
        rows = _prune(summary, rows, active, config, needed)
    features = {s.name: s.score(summary, rows) for s in scorers}
    parts = {s.name: config.weight(s.name) * features[s.name] for s in active}
    total = _fuse(parts, len(rows))
    if config.diversity > 0:
        picked, scores, penalties = _mmr(store, rows, total, k, config)
        parts = {m: (1 - config.diversity) * c for m, c in parts.items()}
        parts["diversity"] = np.zeros(len(rows))
        parts["diversity"][picked] = -penalties
    else:
        picked = _spread(store, rows, total, k) if spread else _top(total, k)
        scores = total[picked]
    out = []
    for pos, score in zip(picked.tolist(), scores.tolist()):
        row = int(rows[pos])
        contributions = {m: float(c[pos]) for m, c in parts.items()}
        reason, labels = "", {}
        if config.explanations:
            reasons = [r for s in active for r in s.reasons(summary, row, contributions[s.name])]
            reason = explain(reasons, profile_empty=summary.empty, diversity=contributions.get("diversity", 0.0))
            labels = {s.name: label for s in active if (label := s.label(summary, row))}
        out.append(
            RankedItem(
                store.catalog[row].id,
                float(score),
                contributions,
                reason,
                {name: float(f[pos]) for name, f in features.items()},
                labels,
            )
        )
    return out


def _candidate_rows(store: ItemStore, summary: ProfileSummary, scorers: list[Scorer], per_scorer: int) -> np.ndarray:
    """Every row for catalogs up to APPROXIMATE_ABOVE items, else the union of what scorers nominate."""
    n = len(store)
    if n <= APPROXIMATE_ABOVE:
        return np.arange(n)
    found = [c for s in scorers if (c := s.candidates(summary, per_scorer)) is not None]
    return np.unique(np.concatenate(found)) if found else np.arange(n)


def _fuse(parts: dict[str, np.ndarray], n: int) -> np.ndarray:
    """The fused score: the sum of the weighted parts (zeros when no scorer has evidence)."""
    if not parts:
        return np.zeros(n, dtype=np.float32)
    first, *rest = parts.values()
    total = np.array(first, dtype=np.float32)
    for part in rest:
        total += part
    return total


def _prune(
    summary: ProfileSummary, rows: np.ndarray, active: list[Scorer], config: RecommenderConfig, needed: int
) -> np.ndarray:
    """The rows (in catalog order) that hold the ``needed`` best exact fused scores.

    A row outside the exactly scored ones cannot beat them: its exact score is at most its bound, and
    the bound of every such row is below the ``needed``-th best exact score (else the round grows).
    """
    bound = _fuse(
        {
            s.name: config.weight(s.name) * (s.bound if config.weight(s.name) >= 0 else s.score)(summary, rows)
            for s in active
        },
        len(rows),
    )
    size = PRUNE_START * needed
    while size < len(rows):
        picked = _top(bound, size)
        exact = _fuse({s.name: config.weight(s.name) * s.score(summary, rows[picked]) for s in active}, size)
        if np.partition(exact, size - needed)[size - needed] > bound[picked[-1]]:
            return np.sort(rows[picked])
        size *= 4
    return rows


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest values, largest first (ties in catalog order)."""
    if k < len(values):
        cut = np.argpartition(-values, k - 1)[:k]
        return cut[np.lexsort((cut, -values[cut]))]
    return np.argsort(-values, kind="stable")


def _allowed(store: ItemStore, summary: ProfileSummary, rows: np.ndarray) -> np.ndarray:
    """Items the hard filters and dislikes let through (vectorised: no per-item Python loop)."""
    f = summary.filters
    keep = np.ones(len(rows), dtype=bool)
    if summary.disliked:
        keep &= ~np.isin(rows, [store.catalog.position(i) for i in summary.disliked])
    if f.is_empty():
        return keep
    prices = store.prices[rows]
    if f.max_price is not None:
        keep &= ~(prices > f.max_price)
    if f.min_price is not None:
        keep &= ~(prices < f.min_price)
    colors = store.colors[rows]
    if f.exclude_colors:
        keep &= ~np.isin(colors, [c.lower() for c in f.exclude_colors])
    if f.include_colors:
        keep &= np.isin(colors, [c.lower() for c in f.include_colors])
    for leaf in f.exclude_categories:
        keep &= ~store.category_mask(leaf)[rows]
    if f.include_categories:
        keep &= np.logical_or.reduce([store.category_mask(leaf)[rows] for leaf in f.include_categories])
    return keep


def _spread(store: ItemStore, rows: np.ndarray, total: np.ndarray, k: int) -> np.ndarray:
    """``k`` positions taken round-robin over leaf categories, each category's best first, then
    ordered by score: a varied list when nothing is known about the user yet."""
    order = np.argsort(-total, kind="stable")
    queues: dict[str, list[int]] = {}
    for pos in order.tolist():
        queues.setdefault(store.leaves[int(rows[pos])], []).append(pos)
    taken: list[int] = []
    while len(taken) < min(k, len(order)):
        for queue in queues.values():
            if queue and len(taken) < k:
                taken.append(queue.pop(0))
    picked = np.array(taken, dtype=np.int64)
    return picked[np.argsort(-total[picked], kind="stable")]


def _mmr(store: ItemStore, rows: np.ndarray, relevance: np.ndarray, k: int, config: RecommenderConfig):
    """Greedy maximal marginal relevance over the best candidates, by text-embedding similarity."""
    pool = _top(relevance, max(config.mmr_pool_factor * k, config.mmr_pool_min))
    space = store.spaces.get("text") or next(iter(store.spaces.values()))
    vectors = space.vectors[rows[pool]]
    sim = vectors @ vectors.T
    diversity = config.diversity
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
