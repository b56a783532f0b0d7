"""Analysis numbers and plots: synthetic records for the arithmetic, real Sessions for a scripted study."""

import pytest

from mmrec import Engine, Session
from mmrec.events import Like, Review
from mmrec.study.analysis import plot, summarize
from mmrec.study.export import export
from mmrec.study.spec import load_study, parse_study
from mmrec.study.store import open_store
from tests.study_support import record, session_record
from tests.test_study_spec import EXAMPLE

REVERSED = {
    "title": "T",
    "task": "t",
    "conditions": [{"name": "a"}, {"name": "b"}],
    "questionnaire": [
        {"id": "q1", "construct": "satisfaction", "text": "I liked it."},
        {"id": "q2", "construct": "satisfaction", "text": "It was frustrating.", "reverse": True},
    ],
    "attention_checks": [{"id": "ac", "text": "Pick Agree.", "expect": "Agree"}],
}


def test_numbers_from_synthetic_records(tmp_path):
    study = parse_study(REVERSED)
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}", directory=tmp_path)
    sid = store.register(study, REVERSED)
    a, b = store.enroll(sid, study), store.enroll(sid, study)
    first = ["x", "y", "z"]
    store.log_turn(a.participant, a.conditions[0], record(1, first, {"type": "review", "text": "warm"}))
    store.log_turn(a.participant, a.conditions[0], record(2, ["z", "x", "y"], {"type": "voice", "audio": {}}))
    store.log_turn(a.participant, a.conditions[0], record(3, ["z", "x"], {"type": "like", "item": "z"}))
    store.log_turn(b.participant, b.conditions[0], record(1, first, {"type": "like", "item": "y"}))
    store.log_answers(study, a.participant, a.conditions[0], {"q1": "Agree", "q2": "Strongly disagree", "ac": "Agree"})
    store.log_answers(study, b.participant, b.conditions[0], {"q1": "Disagree", "q2": "Agree", "ac": "Neutral"})
    store.set_status(a.participant, "completed")
    s = summarize(store, study)
    ca, cb = a.conditions[0], b.conditions[0]
    assert s["interactions_to_first_like"][ca]["values"] == [3]
    assert s["interactions_to_first_like"][cb]["values"] == [1]
    assert s["rank_movement_of_liked"][ca]["values"] == [2]  # z: third in the first list, first when liked
    assert s["modality_usage"][ca] == {"review": 1, "voice": 1, "like": 1}
    assert s["questionnaire"][ca]["satisfaction"]["mean"] == 4.5  # (4 + (6 - 1)) / 2
    assert s["questionnaire"][cb]["satisfaction"]["mean"] == 2.0  # (2 + (6 - 4)) / 2
    assert s["attention_pass_rate"] == {ca: 1.0, cb: 0.0}
    assert s["completion_rate"] == {ca: 1.0, cb: 0.0}
    store.close()


@pytest.fixture(scope="module")
def demo_engine(cache_root):
    from pathlib import Path

    demo = Path(__file__).resolve().parent.parent / "assets" / "demo_catalog"
    return Engine.load(demo, image=False, speech=False, cache_dir=cache_root)


def test_scripted_study_with_real_sessions_gives_plots_numbers_and_a_replayable_log(demo_engine, tmp_path):
    study = load_study(EXAMPLE)
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}", directory=tmp_path)
    sid = store.register(study, {"file": str(EXAMPLE)})
    likert = ("Disagree", "Neutral", "Agree", "Strongly agree")
    for n in range(6):
        p = store.enroll(sid, study, platform_id=f"prolific-{n}")
        condition = p.conditions[0]
        session = Session(demo_engine, top_k=8)
        store.log_event(p.participant, "list_shown", {"shown": [{"position": i, "id": r.id} for i, r in enumerate(session.shown)]}, condition=condition, turn=0)  # fmt: skip
        for pick in (None, 3 + n % 3):  # a review, then a like of an item on screen
            event = Review("a warm waterproof jacket for hiking") if pick is None else Like(session.shown[pick].id)
            turn = session.submit(event)
            store.log_turn(p.participant, condition, session_record(session, turn, config_id=condition))
        answers = {item.id: likert[(n + i) % 4] for i, item in enumerate(study.questionnaire)}
        store.log_answers(study, p.participant, condition, {**answers, "attention_1": "Strongly disagree"})
        store.complete(study, p.participant, condition)
    s = summarize(store, study)
    assert s["participants"] == 6 and s["completion_rate"] == {"all inputs": 1.0, "text only": 1.0}
    assert all(s["interactions_to_first_like"][c]["values"] == [2, 2, 2] for c in s["conditions"])
    assert all(s["questionnaire"][c]["perceived_accuracy"]["n"] == 3 for c in s["conditions"])
    assert all(len(s["rank_movement_of_liked"][c]["values"]) == 3 for c in s["conditions"])
    paths = plot(s, tmp_path / "plots")
    assert [p.name for p in paths] == [
        "progress.png", "interactions_to_first_like.png", "rank_movement_of_liked.png", "modality_usage.png", "questionnaire.png",
    ]  # fmt: skip
    assert all(p.stat().st_size > 5000 for p in paths)
    assert export(store, "jsonl", tmp_path / "log.jsonl") == 12
    store.close()
