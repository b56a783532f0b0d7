"""One contract suite run against every registered scorer, on a synthetic store (no model, no ../shared)."""

from __future__ import annotations

import numpy as np
import pytest

from mmrec.catalog import Catalog, Item, Review
from mmrec.errors import ConfigError
from mmrec.item_store import ItemStore
from mmrec.profile import Profile
from mmrec.profile_summary import ProfileSummary
from mmrec.recommender_config import load_config
from mmrec.scorers import Scorer, available_scorers, build_scorer, build_scorers, register_scorer

N, DIM = 40, 12


@pytest.fixture(scope="module")
def store() -> ItemStore:
    rng = np.random.default_rng(5)
    items = [
        Item(id=f"i{i}", name=f"item {i}", price=float(5 + i), color=["Red", "Blue"][i % 2], categories=("A/Tops",))
        for i in range(N)
    ]
    reviews = [Review(item_ids=(f"i{i}",), rating=1 + i % 5, text="ok") for i in range(0, N, 3)]
    catalog = Catalog(items, name="contract", reviews=reviews)
    spaces = {name: rng.standard_normal((N, DIM)).astype(np.float32) for name in ("text", "image", "clip_text")}
    store = ItemStore.synthetic(spaces, catalog=catalog)
    store.set_history([frozenset({"i1", "i5"}), frozenset({"i1", "i6", "i7"}), frozenset({"i2", "i8"})])
    return store  # with a history, so the collaborative scorer is active on the summary below


@pytest.fixture(scope="module")
def summary(store) -> ProfileSummary:
    profile = Profile()
    for space in ("text", "image", "clip_text"):
        profile.add(space, store.spaces[space].vectors[1], 1.0, "liking item 1", item="i1")
        profile.add(space, store.spaces[space].vectors[2], -0.7, "disliking item 2", item="i2")
        profile.add(space, store.spaces[space].vectors[3], -1.0, "a photo you did not like")
    profile.add_terms(("red",), ("blue",))
    return ProfileSummary.of(profile)


@pytest.fixture(params=available_scorers())
def scorer(request, store) -> Scorer:
    built = build_scorer(request.param, store, load_config())
    assert built is not None, f"{request.param} should build on a store with every space"
    return built


def test_the_scorer_is_named_as_registered(scorer):
    assert scorer.name in available_scorers()


def test_raw_scores_are_finite_float_one_per_candidate_row(scorer, summary):
    rows = np.array([0, 5, 7, 39])
    scores = scorer.score(summary, rows)
    assert scores.shape == (4,) and np.issubdtype(scores.dtype, np.floating) and np.isfinite(scores).all()


def test_a_rows_score_does_not_depend_on_which_other_rows_are_scored(scorer, summary):
    every = scorer.score(summary, np.arange(N))
    rows = np.array([3, 1, 20])
    np.testing.assert_allclose(scorer.score(summary, rows), every[rows], atol=1e-6)


def test_the_bound_is_never_below_the_score(scorer, summary):
    rows = np.arange(N)
    bound = scorer.bound(summary, rows)
    assert bound.shape == (N,) and np.all(bound >= scorer.score(summary, rows) - 1e-6)
    np.testing.assert_allclose(scorer.bound(summary, rows[5:9]), bound[5:9], atol=1e-6)


def test_an_empty_profile_is_scored_without_error(scorer):
    empty = ProfileSummary.of(Profile())
    scores = scorer.score(empty, np.arange(N))
    assert np.isfinite(scores).all()
    if not scorer.active(empty):
        assert not np.any(scores)


def test_candidates_are_valid_rows(scorer, summary):
    found = scorer.candidates(summary, 5)
    if found is not None:
        assert len(found) <= 5 and ((found >= 0) & (found < N)).all()


def test_reasons_are_clauses_of_known_kinds(scorer, summary):
    for row in range(N):
        for reason in scorer.reasons(summary, row, 0.5):
            assert reason.kind in ("toward", "away", "matches", "clashes", "note") and reason.text


def test_scoring_is_deterministic(scorer, summary):
    np.testing.assert_array_equal(scorer.score(summary, np.arange(N)), scorer.score(summary, np.arange(N)))


def test_an_unknown_scorer_name_lists_the_valid_ones(store):
    with pytest.raises(ConfigError, match="valid scorers: text, image, clip_text, attributes, prior, collaborative"):
        build_scorer("popularity", store, load_config())


def test_a_new_source_is_one_registered_class(store, summary):
    class Popularity(Scorer):
        name = "popularity"

        def active(self, summary):
            return True

        def score(self, summary, rows):
            return -rows.astype(np.float32) / N

    register_scorer("popularity")(lambda store, config: Popularity())
    try:
        config = load_config(weights={"popularity": 1.0})
        names = [s.name for s in build_scorers(store, config)]
        assert names[-1] == "popularity"
        from mmrec.ranking import rank

        ranked = rank(store, summary, config, k=3)
        assert "popularity" in ranked[0].features and "popularity" in ranked[0].contributions
    finally:
        from mmrec.scorers import registry

        registry._SCORERS.pop("popularity")
