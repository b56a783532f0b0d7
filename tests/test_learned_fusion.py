"""fit-weights: labelled lists from both log kinds, a known weighting recovered, the config it writes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mmrec.cli import main
from mmrec.errors import LogError, TooLittleDataError
from mmrec.learned_fusion import fit_weights, pairs
from mmrec.recommender_config import default_config, load_config
from mmrec.session_log import ShownList, interactions, liked_together, shown_lists
from mmrec.turn import SCHEMA

TRUE = {"text": 0.2, "image": 1.0, "attributes": -0.5}
"""A weighting unlike the default (text 1.0, image 0.8, attributes 0.5), so the fit has to move."""


def synthetic_lists(n: int, seed: int = 0) -> list[ShownList]:
    """Lists of 15 items whose graded labels follow TRUE's fused score plus a little noise."""
    rng = np.random.default_rng(seed)
    out = []
    names = list(TRUE)
    for i in range(n):
        x = rng.standard_normal((15, 3)) * np.array([0.1, 0.05, 0.5])  # features on unlike scales
        utility = x @ np.array([TRUE[k] for k in names]) + rng.normal(0, 0.01, 15)
        order = np.argsort(-utility)
        labels = np.zeros(15)
        labels[order[:3]] = 1
        labels[order[0]] = 2
        features = tuple({k: float(v) for k, v in zip(names, row)} for row in x)
        out.append(ShownList(f"s{i}", 1, tuple(f"i{j}" for j in range(15)), features, labels))
    return out


def test_a_known_weighting_is_recovered_up_to_scale():
    result = fit_weights(synthetic_lists(150), default_config())
    learned = np.array([result.weights[k] for k in TRUE])
    true = np.array(list(TRUE.values()))
    cosine = learned @ true / (np.linalg.norm(learned) * np.linalg.norm(true))
    assert cosine > 0.98, result.weights
    assert result.weights["attributes"] < 0 < result.weights["text"] < result.weights["image"]
    assert result.pair_accuracy["learned"] > result.pair_accuracy["base"] + 0.1
    # scaled to the default's total weight over the fitted scorers; the others keep the default
    assert np.abs(learned).sum() == pytest.approx(1.0 + 0.8 + 0.5)
    assert result.weights["prior"] == default_config().weight("prior") and set(result.fitted) == set(TRUE)


def test_pairs_weigh_the_target_over_an_unrelated_item_most():
    shown = ShownList("s", 1, ("a", "b", "c"), ({"text": 3.0}, {"text": 2.0}, {"text": 0.0}), np.array([2.0, 1.0, 0.0]))
    diffs, weights = pairs([shown], ["text"])
    assert sorted(zip(diffs[:, 0].tolist(), weights.tolist())) == [(1.0, 2.0), (2.0, 1.0), (3.0, 3.0)]


def test_too_few_pairs_is_a_typed_error():
    with pytest.raises(TooLittleDataError, match="ordered pairs"):
        fit_weights(
            [ShownList("s", 1, ("a", "b"), ({"text": 1.0}, {"text": 0.0}), np.array([1.0, 0.0]))], default_config()
        )


def _turn(session: str, turn: int, shown: list[str], interpretation: dict | None) -> dict:
    return {
        "schema": SCHEMA,
        "session": session,
        "turn": turn,
        "event": {"type": (interpretation or {}).get("action", "review")},
        "interpretation": interpretation,
        "shown": [{"id": i, "score": 0.0, "features": {"text": float(p), "prior": 0.1}} for p, i in enumerate(shown)],
        "error": None,
    }


def test_turn_records_are_labelled_by_what_the_next_turn_liked_or_disliked():
    records = [
        _turn("u1", 1, ["a", "b", "c"], {"action": "review", "weight": 1.0}),
        _turn("u1", 2, ["b", "a", "c"], {"action": "like", "item": "b", "weight": 1.0}),
        _turn("u1", 3, ["b", "c", "a"], {"action": "dislike", "item": "c", "weight": -0.7}),
    ]
    lists = shown_lists(list(reversed(records)))  # turn order is restored per session
    assert [(s.turn, s.ids, s.labels.tolist()) for s in lists] == [
        (1, ("a", "b", "c"), [0.0, 1.0, 0.0]),
        (2, ("b", "a", "c"), [0.0, 0.0, -1.0]),
    ]
    assert [(i.item, i.value) for i in interactions(records)] == [("b", 1), ("c", -1)]


def test_simulated_turns_use_the_pool_and_its_grades():
    record = {
        "arm": "fused",
        "seed": 0,
        "shopper": 3,
        "turn": 2,
        "target": "t",
        "liked": ["x", "t"],
        "disliked": [],
        "shown": [{"id": "x", "grade": 1, "features": {"text": 0.5}}],
        "pool": {"ids": ["x", "t", "y"], "grades": [1, 2, 0], "features": {"text": [0.5, 0.4, 0.1]}},
    }
    (listed,) = shown_lists([record])
    assert listed.ids == ("x", "t", "y") and listed.labels.tolist() == [1.0, 2.0, 0.0]
    assert liked_together([record]) == [frozenset({"x", "t"})]


def test_a_log_without_features_says_how_to_get_them():
    record = _turn("u1", 1, ["a"], None)
    del record["shown"][0]["features"]
    with pytest.raises(LogError, match="no per-scorer 'features'"):
        shown_lists([record, _turn("u1", 2, ["a"], {"action": "like", "item": "a", "weight": 1.0})])


def test_fit_weights_cli_writes_a_config_the_app_loads(tmp_path: Path, capsys):
    log = tmp_path / "turns.jsonl"
    lines = []
    for i, s in enumerate(synthetic_lists(60, seed=1)):
        pool = {"ids": list(s.ids), "grades": s.labels.astype(int).tolist()}
        pool["features"] = {k: [row[k] for row in s.features] for k in TRUE}
        lines.append({"arm": "a", "seed": 0, "shopper": i, "turn": 1, "target": s.ids[0], "shown": [], "pool": pool})
    log.write_text("".join(json.dumps(r) + "\n" for r in lines))
    out = tmp_path / "weights.json"
    assert main(["fit-weights", str(log), "--out", str(out), "--name", "study-fit"]) == 0
    config = load_config(out)
    printed = json.loads(capsys.readouterr().out)
    assert config.name == "study-fit" and config.weight("image") == pytest.approx(printed["weights"]["image"], abs=1e-4)
    assert config.weight("image") > config.weight("text") > 0 > config.weight("attributes")


def test_a_missing_log_is_named(tmp_path: Path, capsys):
    assert main(["fit-weights", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "w.json")]) == 2
    assert "no such log file" in capsys.readouterr().err and not (tmp_path / "w.json").exists()
