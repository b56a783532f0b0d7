"""The collaborative scorer: catalog links and co-liked sessions, fused by its config weight; inactive without either."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mmrec.catalog import Catalog, Item, Link, load_catalog
from mmrec.item_graph import LINK_WEIGHTS, co_liked_matrix, link_matrix
from mmrec.item_store import ItemStore
from mmrec.profile import Profile
from mmrec.profile_summary import ProfileSummary
from mmrec.ranking import rank
from mmrec.recommender_config import load_config
from mmrec.scorers import build_scorer

IDS = ["a-red", "a-blue", "b-red", "c-red", "d-red", "e-red"]


def _store(links=(), history=()) -> ItemStore:
    items = [Item(id=i, name=f"item {i}", price=10.0) for i in IDS]
    vectors = {"text": np.random.default_rng(0).standard_normal((len(IDS), 8)).astype(np.float32)}
    store = ItemStore.synthetic(vectors, catalog=Catalog(items, name="collab", links=links))
    store.set_history(history)
    return store


def _judging(store: ItemStore, liked=(), disliked=()) -> ProfileSummary:
    profile = Profile()
    for item_id, weight in [(i, 1.0) for i in liked] + [(i, -0.7) for i in disliked]:
        row = store.catalog.position(item_id)
        profile.add("text", store.spaces["text"].vectors[row], weight, "judged", item=item_id)
    return ProfileSummary.of(profile)


def _scores(store: ItemStore, summary: ProfileSummary) -> dict[str, float]:
    scorer = build_scorer("collaborative", store, load_config())
    return dict(zip(IDS, scorer.score(summary, np.arange(len(IDS))).tolist()))


def test_without_links_or_history_it_is_inactive_and_scores_zero():
    store = _store()
    summary = _judging(store, liked=["a-red"])
    scorer = build_scorer("collaborative", store, load_config())
    assert scorer is not None and not scorer.active(summary)
    assert not any(_scores(store, summary).values())


def test_a_liked_item_lifts_the_items_its_product_links_to_by_link_kind():
    links = [Link("upsell", ("a-red", "a-blue"), ("b-red",)), Link("crosssell", ("a-red", "a-blue"), ("c-red",))]
    store = _store(links)
    scores = _scores(store, _judging(store, liked=["a-red"]))
    assert scores["b-red"] == pytest.approx(LINK_WEIGHTS["upsell"])
    assert scores["c-red"] == pytest.approx(LINK_WEIGHTS["crosssell"])
    assert scores["d-red"] == scores["a-blue"] == 0.0  # unlinked; a product's variants are not linked to each other
    assert build_scorer("collaborative", store, load_config()).active(_judging(store, liked=["b-red"]))


def test_items_liked_together_before_are_lifted_and_a_dislike_sinks_its_companions():
    store = _store(history=[frozenset({"c-red", "d-red"}), frozenset({"c-red", "d-red", "e-red"})])
    liked = _scores(store, _judging(store, liked=["c-red"]))
    assert liked["d-red"] > liked["e-red"] > 0 == liked["b-red"]
    disliked = _scores(store, _judging(store, disliked=["c-red"]))
    assert disliked["d-red"] < 0
    both = _scores(store, _judging(store, liked=["e-red"], disliked=["c-red"]))
    graph = co_liked_matrix(store.catalog, store.history)  # shares 1 : -0.7, divided by their total
    assert graph[3, 4] == pytest.approx(1.0) and graph[5, 4] == pytest.approx(1 / np.sqrt(2))
    assert both["d-red"] == pytest.approx((1.0 * graph[5, 4] - 0.7 * graph[3, 4]) / 1.7, abs=1e-6)


def test_the_graph_keeps_the_strongest_link_per_pair_and_is_symmetric():
    catalog = Catalog(
        [Item(id=i, name=i) for i in IDS],
        links=[Link("related", ("a-red",), ("b-red",)), Link("upsell", ("b-red",), ("a-red",))],
    )
    graph = link_matrix(catalog).toarray()
    assert graph[0, 2] == graph[2, 0] == LINK_WEIGHTS["upsell"] and graph.diagonal().sum() == 0


def test_it_is_fused_by_its_weight_and_explains_itself():
    store = _store([Link("upsell", ("a-red",), ("e-red",))])
    summary = _judging(store, liked=["a-red"])
    without = rank(store, summary, load_config(), k=len(IDS))
    with_it = rank(store, summary, load_config(weights={"collaborative": 5.0}), k=len(IDS))
    assert without[0].features["collaborative"] == pytest.approx(1.0 if without[0].id == "e-red" else 0.0)
    assert "collaborative" not in without[0].contributions or without[0].contributions["collaborative"] == 0
    assert with_it[0].id == "e-red" and "goes with item a-red, which you liked" in with_it[0].reason.lower()


def test_links_jsonl_is_read_by_product_key_and_unknown_ends_are_dropped(write_catalog):
    root = write_catalog(
        [("p1-red", "Men/Tops/Tees", None), ("p1-blue", "Men/Tops/Tees", None), ("p2", "Gear/Bags", None)]
    )
    records = [json.loads(line) for line in (root / "items.jsonl").read_text().splitlines()]
    for record in records:
        record["parent_sku"] = record["id"].split("-")[0]
    (root / "items.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (root / "links.jsonl").write_text(
        '{"type": "crosssell", "from": "p1", "to": "p2"}\n{"type": "related", "from": "p1", "to": "GONE"}\n'
    )
    catalog = load_catalog(root)
    assert catalog.links == (Link("crosssell", ("p1-red", "p1-blue"), ("p2",)),)
