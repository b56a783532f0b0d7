"""The participant-facing study flow on a real engine and both stores: steps in order, every turn logged
by the session's listener, resume (live and rebuilt from the log), minimums, within-subject, withdrawal."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmrec import Engine
from mmrec.errors import StudyError
from mmrec.events import Like, Photo, Review
from mmrec.replay import read_records, replay
from mmrec.study.export import export
from mmrec.study.participation import StudyRun
from mmrec.study.spec import parse_study
from mmrec.study.store import open_store
from tests.study_support import postgres_server, store_url  # noqa: F401  (fixtures)

DEMO = Path(__file__).resolve().parent.parent / "assets" / "demo_catalog"
SPEC = {
    "title": "flow",
    "platform_param": "PROLIFIC_PID",
    "background": [
        {"id": "age", "text": "How old are you?", "type": "number", "required": True},
        {"id": "note", "text": "Anything else?", "type": "text"},
    ],
    "task": {"text": "Find a jacket.", "min_interactions": 2},
    "conditions": [
        {"name": "likes and text", "inputs": ["text", "list-feedback"]},
        {"name": "text only", "inputs": ["text"], "explanations": False},
    ],
    "assignment": {"within_subject": True, "seed": 3},
    "attention_checks": [{"id": "ac", "text": "Pick Agree.", "expect": "Agree"}],
    "completion": {"code": "DONE1", "redirect": "https://example.org/done?cc={code}"},
}


@pytest.fixture(scope="module")
def engine(cache_root) -> Engine:
    return Engine.load(DEMO, image=False, speech=False, cache_dir=cache_root)


@pytest.fixture
def run(engine, store_url, tmp_path):  # noqa: F811
    store = open_store(store_url, directory=tmp_path)
    yield StudyRun(parse_study(SPEC), SPEC, store, engine)
    store.close()


def kinds(run: StudyRun, participant: str) -> list[tuple[str, str | None, int | None]]:
    return [(e["kind"], e["condition"], e["turn"]) for e in run.store.history(participant)]


def answers(p, label="Agree"):
    return {it.id: label for it in p.questionnaire()}


def test_a_whole_within_subject_participation_is_logged_in_order(run):
    p = run.enroll({"PROLIFIC_PID": "abc123"})
    assert p.step == "background"
    with pytest.raises(StudyError, match="How old"):
        p.answer_background({"note": "hi"})
    with pytest.raises(StudyError, match="needs a number"):
        p.answer_background({"age": "old"})
    p.answer_background({"age": "31"})
    first, second = p.conditions
    assert {first, second} == {"likes and text", "text only"}
    session = p.start_task()
    assert session.config.name == first and p.start_task() is session
    session.submit(Review("a warm jacket"))
    with pytest.raises(StudyError, match="1 more interaction"):
        p.finish_task()
    if "like" in session.config.inputs:
        session.submit(Like(session.shown[2].id))
    else:
        assert session.submit(Like(session.shown[2].id)).error  # the condition refuses it
        session.submit(Review("cheaper please"))
    p.finish_task()
    with pytest.raises(StudyError, match="rate every statement"):
        p.answer_questionnaire({"ac": "Agree"})
    p.answer_questionnaire(answers(p))
    assert p.step == "task" and p.condition.name == second
    s2 = p.start_task()
    assert s2.id != session.id and s2.config.explanations == (second != "text only")
    s2.submit(Review("a blue backpack"))
    s2.submit(Review("not black"))
    p.finish_task()
    p.answer_questionnaire(answers(p))
    assert p.step == "done" and p.completion_url == "https://example.org/done?cc=DONE1"
    log = kinds(run, p.id)
    assert log[:3] == [("consent", first, None), ("background", None, None), ("list_shown", first, 0)]
    assert log[-1][0] == "completion"
    for condition in (first, second):
        turns = [t for k, c, t in log if c == condition and k in ("interaction", "error")]
        assert turns == sorted(turns) == list(range(1, len(turns) + 1))
        shown = [t for k, c, t in log if c == condition and k == "list_shown"]
        assert shown[0] == 0
    row = run.store.participants_of()[0]
    assert row["status"] == "completed"
    assert "abc123" not in str(run.store.history(p.id))


def test_the_exported_json_lines_replay_to_the_lists_participants_saw(run, engine, tmp_path):
    p = run.enroll({})
    p.answer_background({"age": 22})
    session = p.start_task()
    session.submit(Review("a warm waterproof jacket"))
    session.submit(Review("cheaper, not black"))
    out = tmp_path / "log.jsonl"
    assert export(run.store, "jsonl", out) == 2
    diffs = replay(read_records(out), engine)
    assert len(diffs) == 2 and all(d.same for d in diffs), [d.describe() for d in diffs]


def test_resume_gives_the_same_participant_live_or_rebuilt_from_the_log(run, engine):
    p = run.enroll({})
    p.answer_background({"age": 40})
    session = p.start_task()
    session.submit(Review("a warm waterproof jacket"))
    session.submit(Review("for hiking, not black"))
    assert run.resume(p.token) is p
    shown = [r.id for r in session.shown]
    rebuilt = StudyRun(run.study, SPEC, run.store, engine).resume(p.token)  # a fresh process
    assert rebuilt is not p and rebuilt.id == p.id and rebuilt.step == "task"
    assert [r.id for r in rebuilt.session.shown] == shown and rebuilt.session.turn == 2
    assert rebuilt.progress().interactions == 2
    turn = rebuilt.session.submit(Review("cheaper"))
    assert turn.turn == 3 and not turn.listener_errors
    other = run.enroll({})
    assert run.resume(other.token).id != p.id
    with pytest.raises(StudyError):
        run.resume("not-a-token")


def test_withdrawal_by_code_deletes_the_participant_and_their_link(run):
    p = run.enroll({})
    assert run.withdraw(p.id) and not run.withdraw(p.id) and not run.withdraw("  ")
    assert run.store.history(p.id) == []
    with pytest.raises(StudyError):
        run.resume(p.token)


def test_a_condition_needing_a_missing_model_is_refused(engine, tmp_path):
    spec = {**SPEC, "conditions": [{"name": "photos", "inputs": ["photo"]}]}
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}", directory=tmp_path)
    with pytest.raises(StudyError, match="'photos' offers photo input"):
        StudyRun(parse_study(spec), spec, store, engine)
    store.close()


def test_photo_bytes_stay_only_when_the_study_keeps_media(cache_root, tmp_path):
    from PIL import Image

    spec = {**SPEC, "background": [], "conditions": [{"name": "all", "inputs": ["text", "photo"]}]}
    photo = tmp_path / "p.png"
    Image.new("RGB", (32, 32), (200, 20, 20)).save(photo)
    image_engine = Engine.load(DEMO, image=True, speech=False, cache_dir=cache_root)
    for keep in (False, True):
        folder = tmp_path / str(keep)
        folder.mkdir()
        store = open_store(f"sqlite:///{folder / 's.sqlite'}", directory=folder, keep_media=keep)
        run = StudyRun(parse_study({**spec, "keep_media": keep}), spec, store, image_engine)
        p = run.enroll({})
        p.start_task().submit(Photo(str(photo), "more"))
        kept = list((folder / "media").rglob("*")) if (folder / "media").exists() else []
        assert any(f.is_file() for f in kept) == keep
        store.close()
