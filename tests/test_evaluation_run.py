"""The evaluation end to end on the demo catalog (the CI short form), reproducibility, the turn log, voice."""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import pytest

from mmrec.engine import Engine
from mmrec.errors import ConfigError, MMRecError
from mmrec.evaluation import evaluate, get_arm
from mmrec.evaluation.arms import config_arms
from mmrec.evaluation.cli import selected_arms
from mmrec.evaluation.relevance import CatalogView
from mmrec.evaluation.runner import pick_targets, run_episode
from mmrec.recommender_config import default_config


@pytest.fixture(scope="module")
def one_thread():
    """Sentence encoding of one short text is fastest on one thread when the CPU is shared."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def demo_engine(demo_catalog_dir: Path, cache_root: Path, one_thread) -> Engine:
    return Engine.load(demo_catalog_dir, image=True, speech=False, cache_dir=cache_root)


def test_short_form_runs_end_to_end_and_fusion_beats_random(demo_engine: Engine, tmp_path: Path):
    arms = [get_arm(name) for name in ("fused", "text", "photo", "feedback")]
    started = time.perf_counter()
    summary = evaluate(demo_engine, arms, seeds=[0], shoppers=12, turns=3, out=tmp_path, failures=2)
    assert time.perf_counter() - started < 40
    fused, random = summary["arms"]["fused"]["within_3"], summary["random"]["within_3"]
    assert fused["n"] == 12 and fused["low"] <= fused["mean"] <= fused["high"]
    assert fused["mean"] >= 0.5 and fused["mean"] > 4 * random
    assert [c["b"] for c in summary["comparisons"]] == ["text", "photo", "feedback"] * 2
    written = json.loads((tmp_path / "summary.json").read_text())
    assert set(written["arms"]) == {"fused", "text", "photo", "feedback"}
    assert len(written["arms"]["fused"]["per_turn"]["success@10"]) == 4  # turns 0..3
    report = (tmp_path / "report.md").read_text()
    assert "| random |" in report and ("beats" in report or "no clear difference" in report)
    if importlib.util.find_spec("matplotlib"):  # not in requirements.txt yet: the plot is optional
        assert (tmp_path / "success_at_10.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = [json.loads(line) for line in (tmp_path / "turns.jsonl").read_text().splitlines()]
    assert len(lines) == 4 * 12 * 3


def test_turn_log_holds_what_learned_fusion_needs(demo_engine: Engine):
    view = CatalogView(demo_engine)
    target = pick_targets(view, 0, 1, need_image=True)[0]
    episode = run_episode(view, get_arm("fused"), seed=0, index=0, target=target, turns=4)
    feedback = [r for r in episode.log if r["modality"] == "feedback"]
    assert [r["modality"] for r in episode.log] == ["text", "photo", "feedback", "feedback"]
    for record in episode.log:
        assert record["shown_before"] and record["shown"] and record["target"] == episode.target
        assert {"text", "prior"} <= set(record["shown"][0]["contributions"])
    assert all(r["liked"] and set(r["liked"]) <= set(r["shown_before"]) for r in feedback)
    assert episode.log[1]["shown"][0]["contributions"].get("image") is not None


def test_same_seed_gives_the_same_utterances_and_metrics(demo_engine: Engine):
    view = CatalogView(demo_engine)
    targets = pick_targets(view, 7, 3, need_image=True)

    def play():
        return [run_episode(view, get_arm("fused"), seed=7, index=i, target=t, turns=3) for i, t in enumerate(targets)]

    first, second = play(), play()
    assert [e.ranks for e in first] == [e.ranks for e in second]
    assert [e.ndcg for e in first] == [e.ndcg for e in second]
    said = [[ev.get("text") for r in e.log for ev in r["events"]] for e in first]
    assert said == [[ev.get("text") for r in e.log for ev in r["events"]] for e in second]


def test_fewer_turns_than_the_headline_needs_is_refused(demo_engine: Engine):
    with pytest.raises(MMRecError, match="at least 3"):
        evaluate(demo_engine, [get_arm("text")], seeds=[0], shoppers=1, turns=2)


@pytest.mark.slow
def test_voice_arm_goes_through_whisper(demo_catalog_dir: Path, cache_root: Path, one_thread, tmp_path: Path):
    engine = Engine.load(demo_catalog_dir, image=False, speech=True, cache_dir=cache_root)
    summary = evaluate(engine, [get_arm("voice")], seeds=[0], shoppers=3, turns=3, out=tmp_path, failures=0)
    assert summary["arms"]["voice"]["errors"] == 0
    voiced = [ev for line in (tmp_path / "turns.jsonl").read_text().splitlines() for ev in json.loads(line)["events"]]
    assert len(voiced) == 9 and all(ev["type"] == "voice" and ev["understood"]["transcript"] for ev in voiced)
    assert summary["arms"]["voice"]["within_3"]["mean"] > summary["random"]["within_3"]


def test_config_files_are_arms_compared_on_the_same_shoppers(demo_engine: Engine, tmp_path: Path):
    default_config().save(tmp_path / "base.json")  # its "name" key names the arm: default
    (tmp_path / "no-photo-weight.json").write_text(json.dumps({"weights": {"image": 0.0}}))  # no name: the stem
    arms = selected_arms(None, [tmp_path / "base.json", tmp_path / "no-photo-weight.json"], "text+photo")
    assert [(a.name, a.policy) for a in arms] == [("default", "text+photo"), ("no-photo-weight", "text+photo")]
    summary = evaluate(demo_engine, arms, seeds=[3], shoppers=6, turns=3, failures=0)
    assert [(c["a"], c["b"]) for c in summary["comparisons"]] == [("default", "no-photo-weight")] * 2
    assert summary["arm_specs"]["no-photo-weight"]["config"]["weights"]["image"] == 0.0
    assert summary["arms"]["default"]["n"] == summary["arms"]["no-photo-weight"]["n"] == 6


def test_config_arms_with_one_name_take_their_file_stems_and_bad_configs_are_named(tmp_path: Path):
    for stem in ("a", "b"):
        (tmp_path / f"{stem}.json").write_text(json.dumps({"name": "same", "decay": 0.9}))
    assert [a.name for a in config_arms([tmp_path / "a.json", tmp_path / "b.json"])] == ["a", "b"]
    (tmp_path / "bad.json").write_text(json.dumps({"weights": {"colour": 1.0}}))
    with pytest.raises(ConfigError, match="unknown scorer weight.*colour.*valid scorer names"):
        selected_arms("fused", [tmp_path / "bad.json"])


def test_collaborative_arm_learns_from_simulated_prior_sessions_then_forgets_them(demo_engine: Engine):
    arms = [get_arm("feedback"), get_arm("feedback-collab")]
    summary = evaluate(demo_engine, arms, seeds=[0], shoppers=5, turns=3, history_shoppers=8, failures=0)
    assert summary["history"]["simulated_shoppers"] == 8 and summary["history"]["sessions"] > 0
    assert [{c["a"], c["b"]} for c in summary["comparisons"]] == [{"feedback", "feedback-collab"}] * 2  # once each
    assert demo_engine.store.history == []
