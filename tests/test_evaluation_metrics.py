"""Metrics, baselines, bootstrap intervals and policies of mmrec.evaluation, on hand-made lists (no models)."""

from __future__ import annotations

import numpy as np
import pytest

from mmrec.errors import MMRecError
from mmrec.evaluation import metrics
from mmrec.evaluation.policies import Policy
from mmrec.evaluation.stats import bootstrap_ci, paired_bootstrap


def test_success_at_k_counts_the_target_only_within_k():
    assert metrics.success_at(1, 1) == 1.0
    assert metrics.success_at(5, 5) == 1.0
    assert metrics.success_at(6, 5) == 0.0
    assert metrics.success_at(None, 10) == 0.0


def test_reciprocal_rank():
    assert metrics.reciprocal_rank(1) == 1.0
    assert metrics.reciprocal_rank(4) == 0.25
    assert metrics.reciprocal_rank(None) == 0.0


def test_ndcg_uses_graded_relevance_against_the_ideal_list():
    catalog = np.array([2, 1, 1, 0, 0, 0])
    assert metrics.ndcg_at([2, 1, 1], catalog, k=3) == pytest.approx(1.0)
    assert metrics.ndcg_at([0, 0, 0], catalog, k=3) == 0.0
    swapped = metrics.ndcg_at([1, 2, 1], catalog, k=3)
    ideal = 2 + 1 / np.log2(3) + 1 / np.log2(4)
    assert swapped == pytest.approx((1 + 2 / np.log2(3) + 1 / np.log2(4)) / ideal)
    assert 0 < metrics.ndcg_at([0, 1, 0], catalog, k=3) < swapped < 1


def test_first_hit_and_hit_within_turns():
    ranks = [None, 12, None, 7, 1]
    assert metrics.first_hit(ranks, 10) == 3
    assert metrics.first_hit(ranks, 5) == 4
    assert metrics.first_hit([None, None], 10) is None
    assert metrics.hit_within(ranks, 3) == 1.0
    assert metrics.hit_within(ranks, 2) == 0.0


def test_coverage_is_the_share_of_distinct_items_shown():
    assert metrics.coverage([["a", "b"], ["b", "c"]], 10) == pytest.approx(0.3)


def test_intra_list_diversity_is_one_minus_mean_pairwise_cosine():
    same = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    orthogonal = np.eye(3)
    assert metrics.intra_list_diversity(same) == pytest.approx(0.0)
    assert metrics.intra_list_diversity(orthogonal) == pytest.approx(1.0)
    assert metrics.intra_list_diversity(orthogonal[:1]) == 0.0


def test_random_baselines():
    assert metrics.random_success(10, 100) == pytest.approx(0.1)
    assert metrics.random_success(10, 100, lists=2) == pytest.approx(1 - 0.9**2)
    assert metrics.random_mrr(2, 10) == pytest.approx(1.5 / 10)
    grades = np.array([2, 1] + [0] * 98)
    expected = 0.03 * (1 / np.log2(np.arange(2, 12))).sum() / (2 + 1 / np.log2(3))
    assert metrics.random_ndcg(grades, 10) == pytest.approx(expected)


def test_bootstrap_interval_contains_the_mean_and_narrows_with_more_shoppers():
    rng = np.random.default_rng(0)
    small = bootstrap_ci(rng.random(30) < 0.6)
    large = bootstrap_ci(rng.random(3000) < 0.6)
    for est in (small, large):
        assert est.low <= est.mean <= est.high
    assert (large.high - large.low) < (small.high - small.low) / 3
    assert large.low < 0.6 < large.high


def test_paired_bootstrap_sign_and_verdict():
    better = np.array([1.0] * 40 + [0.0] * 10)
    worse = np.array([1.0] * 20 + [0.0] * 30)
    win = paired_bootstrap(better, worse, names=("A", "B"))
    assert win.diff.mean == pytest.approx(0.4) and win.diff.low > 0
    assert win.verdict().startswith("A beats B by +0.400")
    lose = paired_bootstrap(worse, better, names=("A", "B"))
    assert lose.diff.high < 0 and lose.verdict().startswith("B beats A")
    rng = np.random.default_rng(1)
    noise = paired_bootstrap(rng.random(40) < 0.5, rng.random(40) < 0.5, names=("A", "B"))
    assert not noise.clear and noise.verdict().startswith("no clear difference between A and B")


def test_paired_bootstrap_needs_aligned_shoppers():
    with pytest.raises(ValueError):
        paired_bootstrap(np.ones(3), np.ones(4))


def test_policy_spec_repeats_its_last_step():
    policy = Policy.parse("text+photo+feedback")
    assert [policy.at(t) for t in range(1, 6)] == ["text", "photo", "feedback", "feedback", "feedback"]
    assert Policy.parse("voice").at(4) == "voice"
    assert str(policy) == "text+photo+feedback"


def test_unknown_policy_step_names_the_valid_ones():
    with pytest.raises(MMRecError, match="valid: text, voice, photo, feedback"):
        Policy.parse("text+smell")
