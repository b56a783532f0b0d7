"""rank on a synthetic item store: no model is loaded anywhere in this file."""

from __future__ import annotations

import numpy as np
import pytest

from mmrec.catalog import Catalog, Item
from mmrec.index import EmbeddingIndex
from mmrec.item_store import ItemStore
from mmrec.profile import Profile
from mmrec.ranking import rank
from mmrec.recommender_config import load_config
from mmrec.scorers import available_scorers
from mmrec.understanding import Filters

DIM = 8


def unit(i: int) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[i] = 1.0
    return v


@pytest.fixture(scope="module")
def store() -> ItemStore:
    """Twelve items: four per axis 0..2 (a near-copy of the axis plus noise), colours and prices varied."""
    rng = np.random.default_rng(0)
    items, vectors = [], []
    for i in range(12):
        axis = i % 3
        vectors.append(unit(axis) * 3 + rng.normal(0, 0.3, DIM).astype(np.float32))
        items.append(
            Item(
                id=f"i{i}",
                name=f"item {i}",
                price=float(10 * (i + 1)),
                color=["Red", "Blue", "Black"][i % 3],
                categories=(f"Shop/{['Jackets', 'Bags', 'Shoes'][axis]}",),
            )
        )
    return ItemStore(Catalog(items, name="synthetic"), {"text": EmbeddingIndex(np.stack(vectors), model="synthetic")})


def liking(axis: int, weight: float = 1.0) -> Profile:
    profile = Profile()
    profile.add("text", unit(axis), weight, f"axis {axis}")
    return profile


def test_items_close_to_what_the_user_wants_come_first(store):
    ranked = rank(store, liking(1), k=4)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    assert all(int(r.id[1:]) % 3 == 1 for r in ranked)


def test_scores_are_the_sum_of_weighted_contributions_and_features_hold_every_scorer(store):
    config = load_config()
    for r in rank(store, liking(0), config, k=5):
        assert r.score == pytest.approx(sum(r.contributions.values()), abs=1e-5)
        assert set(r.features) == {"text", "attributes", "prior", "collaborative"} <= set(available_scorers())
        for name, contribution in r.contributions.items():
            assert contribution == pytest.approx(config.weight(name) * r.features[name], abs=1e-6)


def test_a_fusion_weight_scales_its_contribution_and_nothing_else(store):
    base = {r.id: r for r in rank(store, liking(2), load_config(), k=12)}
    doubled = {r.id: r for r in rank(store, liking(2), load_config(weights={"text": 2.0}), k=12)}
    for item_id, r in base.items():
        assert doubled[item_id].contributions["text"] == pytest.approx(2 * r.contributions["text"], abs=1e-6)
        assert doubled[item_id].contributions["prior"] == pytest.approx(r.contributions["prior"], abs=1e-9)


def test_filters_and_dislikes_remove_items(store):
    profile = liking(0)
    profile.filters = Filters(max_price=60.0, exclude_colors=("Blue",))
    profile.disliked.add("i0")
    ids = [r.id for r in rank(store, profile, k=12)]
    assert "i0" not in ids and ids
    for item_id in ids:
        item = store.catalog.get(item_id)
        assert item.price <= 60 and item.color != "Blue"


def test_a_disliked_item_sinks_its_near_duplicates_not_its_whole_axis(store):
    profile = Profile()
    profile.add("text", store.spaces["text"].vectors[0], -0.7, "i0, which you disliked", item="i0")
    profile.disliked.add("i0")
    config = load_config(near_duplicate_quantile=0.75)
    scores = {r.id: r.contributions["text"] for r in rank(store, profile, config, k=11)}
    assert min(scores[f"i{i}"] for i in (3, 6, 9)) < 0
    assert all(scores[f"i{i}"] == 0 for i in range(12) if i % 3 != 0)


def test_an_empty_profile_gives_a_list_spread_over_categories(store):
    ranked = rank(store, Profile(), k=3)
    leaves = {store.catalog.get(r.id).leaf_category for r in ranked}
    assert leaves == {"Jackets", "Bags", "Shoes"}


def test_diversity_reports_a_non_increasing_mmr_score_and_a_penalty(store):
    ranked = rank(store, liking(0), load_config(diversity=0.6), k=6)
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert any(r.contributions["diversity"] < 0 for r in ranked[1:])


def test_reasons_name_the_interaction_and_can_be_switched_off(store):
    assert "close to axis 1" in rank(store, liking(1), k=1)[0].reason.lower()
    assert rank(store, liking(1), load_config(explanations=False), k=1)[0].reason == ""


def test_synthetic_store_ranks_random_vectors_without_any_model():
    store = ItemStore.synthetic(n=500, dim=16, seed=3)
    profile = Profile()
    profile.add("text", store.spaces["text"].vectors[7], 1.0, "item 7", item="s7")
    assert rank(store, profile, k=1)[0].id == "s7"


def _mixed_profile(store: ItemStore, rng: np.random.Generator) -> Profile:
    """Wanted and unwanted evidence, a disliked item, wanted and avoided words: every sign of score."""
    profile = Profile()
    vectors = store.spaces["text"].vectors
    for weight in (1.0, 0.6, -0.8):
        profile.add("text", rng.standard_normal(vectors.shape[1]).astype(np.float32), weight, "a review")
        profile.turn += 1
    row = int(rng.integers(len(store)))
    profile.add("text", vectors[row], -1.0, "disliking it", item=store.catalog[row].id)
    profile.add_terms(("red",), ("blue",))
    return profile


@pytest.mark.parametrize("diversity", [0.0, 0.4])
def test_bounding_a_large_catalog_first_gives_the_same_list_as_scoring_every_row(monkeypatch, diversity):
    import mmrec.ranking as ranking

    store = ItemStore.synthetic(n=3000, dim=16, seed=11)
    config = load_config(diversity=diversity)
    rng = np.random.default_rng(4)
    for _ in range(5):
        profile = _mixed_profile(store, rng)
        monkeypatch.setattr(ranking, "PRUNE_ABOVE", 10**9)
        exact = rank(store, profile, config, k=10)
        monkeypatch.setattr(ranking, "PRUNE_ABOVE", 100)
        pruned = rank(store, profile, config, k=10)
        assert [r.id for r in pruned] == [r.id for r in exact]
        for a, b in zip(pruned, exact):
            assert a.score == pytest.approx(b.score, abs=1e-5)
            assert a.features == pytest.approx(b.features, abs=1e-5)
