"""Learned fusion: scorer weights fitted to logged lists, saved as a config the app and the CLI load.

The ranker's fused score is ``sum(weight[s] * feature[s])`` over the scorers' raw features, which every
logged list records per shown item. Each list gives ordered pairs (a, b) of shown items where the user
wanted a more than b (a liked item over the rest, the rest over a disliked one; for simulated shoppers
graded relevance to the target). A logistic regression without intercept on the feature differences
``x_a - x_b`` (a pairwise, RankNet-style objective, each pair weighted by its gain difference as in
NDCG; scikit-learn) learns weights under which the fused
score orders the pairs as the users did. Features are standardised for the fit (so the L2 penalty treats
them alike) and the weights mapped back, then scaled to the base config's total weight over the fitted
scorers: the ranking depends only on their direction, the explanations' thresholds on their size.
Scorers whose feature never varies in the log (a space not live there) keep the base weight.

    python -m mmrec fit-weights bench-results/evaluation/turns.jsonl --out weights.json
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import TooLittleDataError
from .recommender_config import RecommenderConfig
from .session_log import ShownList

MIN_PAIRS = 20
"""Fewer ordered pairs than this cannot say anything about the weights."""


@dataclass(frozen=True)
class FitResult:
    """Fitted weights and how well each weighting orders the logged pairs."""

    weights: dict[str, float]
    fitted: tuple[str, ...]
    """Scorers whose weight was fitted (the others kept the base weight)."""
    lists: int
    pairs: int
    pair_accuracy: dict[str, float]
    """Gain-weighted share of pairs each weighting (``base``, ``learned``) orders as the users did."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": {k: round(v, 4) for k, v in self.weights.items()},
            "fitted": list(self.fitted),
            "lists": self.lists,
            "pairs": self.pairs,
            "pair_accuracy": {k: round(v, 4) for k, v in self.pair_accuracy.items()},
        }


def feature_names(lists: Sequence[ShownList]) -> list[str]:
    """Scorers that appear in the lists' features, in first-seen order."""
    return list(dict.fromkeys(name for s in lists for row in s.features for name in row))


def pairs(lists: Sequence[ShownList], names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(x_a - x_b, weight)`` for every pair with label a > label b within one list; the weight is the
    gain difference ``2**a - 2**b`` (as in NDCG), so putting the target above an unrelated item counts
    three times as much as a close item above it."""
    diffs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for shown in lists:
        x = np.array([[row.get(n, 0.0) for n in names] for row in shown.features], dtype=float)
        better, worse = np.nonzero(shown.labels[:, None] > shown.labels[None, :])
        diffs.append(x[better] - x[worse])
        weights.append(2.0 ** shown.labels[better] - 2.0 ** shown.labels[worse])
    if not diffs:
        return np.zeros((0, len(names))), np.zeros(0)
    return np.concatenate(diffs), np.concatenate(weights)


def pair_accuracy(diffs: np.ndarray, weights: np.ndarray, pair_weights: np.ndarray | None = None) -> float:
    """(Weighted) share of pairs (rows of ``diffs``) that ``weights`` score the right way round; ties count half."""
    if not len(diffs):
        return float("nan")
    margin = diffs @ weights
    return float(np.average((margin > 0) + 0.5 * (margin == 0), weights=pair_weights))


def fit_weights(lists: Sequence[ShownList], base: RecommenderConfig, *, c: float = 1.0) -> FitResult:
    """Weights for every scorer in ``lists`` fitted with the pairwise logistic objective; TooLittleDataError
    when the lists hold fewer than MIN_PAIRS ordered pairs or no feature varies."""
    from sklearn.linear_model import LogisticRegression

    names = feature_names(lists)
    diffs, pair_weights = pairs(lists, names)
    if len(diffs) < MIN_PAIRS:
        raise TooLittleDataError(
            f"{len(diffs)} ordered pairs in {len(lists)} labelled lists; at least {MIN_PAIRS} are needed"
        )
    spread = diffs.std(axis=0)
    fitted = [n for n, s in zip(names, spread) if s > 1e-9]
    if not fitted:
        raise TooLittleDataError(f"no scorer feature varies within the logged lists (scorers: {', '.join(names)})")
    cols = [names.index(n) for n in fitted]
    scale = spread[cols]
    x = diffs[:, cols] / scale
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=1000)
    model.fit(
        np.concatenate([x, -x]),
        np.r_[np.ones(len(x)), np.zeros(len(x))],
        sample_weight=np.r_[pair_weights, pair_weights],
    )
    direction = model.coef_[0] / scale
    total = sum(abs(base.weight(n)) for n in fitted) or 1.0
    learned = direction * total / (np.abs(direction).sum() or 1.0)
    weights = {**dict(base.weights), **{n: float(w) for n, w in zip(fitted, learned)}}
    base_vector = np.array([base.weight(n) for n in names])
    learned_vector = np.array([weights.get(n, 0.0) for n in names])
    return FitResult(
        weights=weights,
        fitted=tuple(fitted),
        lists=len(lists),
        pairs=len(diffs),
        pair_accuracy={
            "base": pair_accuracy(diffs, base_vector, pair_weights),
            "learned": pair_accuracy(diffs, learned_vector, pair_weights),
        },
    )


def learned_config(base: RecommenderConfig, result: FitResult, name: str) -> RecommenderConfig:
    """``base`` with the fitted weights, named ``name``."""
    return base.with_overrides(name=name, weights=result.weights)
