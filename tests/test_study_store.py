"""The study log on SQLite and on a real PostgreSQL server: writes, resume, privacy, withdrawal, migrations."""

import os
import sqlite3
import stat
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from mmrec.errors import StudyError
from mmrec.study.schema import VERSION_TABLE, events, media, participants, questionnaire_answers, studies
from mmrec.study.spec import load_study
from mmrec.study.store import open_store
from tests.study_support import postgres_server, record, store_url  # noqa: F401  (fixtures)
from tests.test_study_spec import EXAMPLE


@pytest.fixture
def study():
    return load_study(EXAMPLE)


@pytest.fixture
def store(store_url, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.delenv("MMREC_STUDY_SALT", raising=False)
    s = open_store(store_url, directory=tmp_path / "data", keep_media=True)
    yield s
    s.close()


def count(store, table, **where):
    query = sa.select(sa.func.count()).select_from(table)
    for k, v in where.items():
        query = query.where(table.c[k] == v)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def test_log_turn_writes_the_interaction_and_the_list_in_order(store, study):
    sid = store.register(study, {"title": study.title})
    p = store.enroll(sid, study)
    first, second = store.log_turn(p.participant, p.conditions[0], record(1, ["b", "a"], {"type": "like", "item": "a"}))
    rows = list(store.iter_rows(events, order_by=(events.c.id,)))
    assert [r["kind"] for r in rows] == ["consent", "interaction", "list_shown"]
    assert rows[1]["payload"]["record"]["event"] == {"type": "like", "item": "a"}
    assert rows[2]["payload"]["shown"][0] == {
        "position": 0,
        "id": "b",
        "score": 1.0,
        "features": {"text": 0.5},
        "contributions": {"text": 0.5},
    }
    assert rows[1]["config_id"] == "cfg-a" and rows[1]["turn"] == 1 and rows[1]["latency_ms"] == 12.5
    assert rows[1]["at"].endswith("Z") and len(rows[1]["at"]) == len("2026-01-01T00:00:00.000Z")
    assert store.participants_of(sid)[0]["status"] == "active"


def test_balanced_slots_come_from_the_database(store, study):
    sid = store.register(study, {"title": study.title})
    got = [store.enroll(sid, study).conditions[0] for _ in range(10)]
    assert sorted(got) == sorted(["all inputs", "text only"] * 5)
    assert [p["slot"] for p in store.participants_of(sid)] == list(range(10))


def test_resume_returns_only_that_participants_records(store, study):
    sid = store.register(study, {"title": study.title})
    a, b = store.enroll(sid, study), store.enroll(sid, study)
    store.log_turn(a.participant, a.conditions[0], record(1, ["x"], {"type": "review", "text": "warm"}))
    store.log_turn(b.participant, b.conditions[0], record(1, ["y"], {"type": "like", "item": "y"}))
    store.log_turn(a.participant, a.conditions[0], record(2, ["z"], {"type": "like", "item": "z"}))
    back = store.resume(a.resume_token)
    assert back.participant == a.participant and back.conditions == a.conditions
    assert [r["turn"] for r in back.records] == [1, 2] and back.records[1]["shown"][0]["id"] == "z"
    with pytest.raises(StudyError, match="not valid"):
        store.resume("guessed-token")


def test_platform_id_is_stored_only_as_a_salted_hash(store, study, tmp_path):
    sid = store.register(study, {"title": study.title})
    store.enroll(sid, study, platform_id="5f0c0ffee")
    with store.engine.connect() as conn:
        dump = str([tuple(r) for r in conn.execute(sa.select(participants))])
    assert "5f0c0ffee" not in dump and store.platform_hash("5f0c0ffee") in dump
    salt = tmp_path / "data" / "study.salt"
    assert stat.S_IMODE(salt.stat().st_mode) == 0o600


def test_withdrawal_deletes_the_participants_rows_and_media(store, study):
    sid = store.register(study, {"title": study.title})
    gone, kept = store.enroll(sid, study), store.enroll(sid, study)
    clip = store.store_media(gone.participant, "audio", b"RIFF-voice-of-the-withdrawn")
    store.store_media(kept.participant, "photo", b"JPEG-kept")
    store.log_turn(gone.participant, gone.conditions[0], record(1, ["a"], {"type": "voice", "audio": clip}))
    store.log_answers(study, gone.participant, gone.conditions[0], {"accuracy_1": "Agree", "attention_1": "Agree"})
    path = store.directory / "media" / clip["sha256"][:2] / clip["sha256"]
    assert path.is_file()
    assert store.withdraw(gone.participant)
    for table in (events, media, questionnaire_answers):
        assert count(store, table, participant_id=gone.participant) == 0
    assert count(store, participants, id=gone.participant) == 0
    with store.engine.connect() as conn:
        everything = str(
            [list(conn.execute(sa.select(t))) for t in (events, media, questionnaire_answers, participants)]
        )
    assert gone.participant not in everything and clip["sha256"] not in everything
    assert not path.exists() and kept.participant in everything
    with pytest.raises(StudyError):
        store.resume(gone.resume_token)
    assert not store.withdraw(gone.participant)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(studies.c.withdrawn)).scalar_one() == 1


def test_replicas_share_one_slot_sequence(store_url, tmp_path):  # noqa: F811
    study = load_study(EXAMPLE)
    replicas = [open_store(store_url, directory=tmp_path) for _ in range(3)]
    sid = replicas[0].register(study, {})
    with ThreadPoolExecutor(3) as pool:
        got = list(pool.map(lambda i: replicas[i % 3].enroll(sid, study).conditions[0], range(18)))
    assert sorted(p["slot"] for p in replicas[0].participants_of(sid)) == list(range(18))
    assert Counter(got) == {"all inputs": 9, "text only": 9}
    for r in replicas:
        r.close()


def test_completion_marks_the_participant_and_gives_the_redirect(store, study):
    p = store.enroll(store.register(study, {}), study)
    assert (
        store.complete(study, p.participant, p.conditions[0])
        == "https://app.prolific.com/submissions/complete?cc=C1A2B3"
    )
    assert store.participants_of()[0]["status"] == "completed"
    assert [r["kind"] for r in store.iter_rows(events, order_by=(events.c.id,))] == ["consent", "completion"]


def test_media_is_hash_only_unless_the_study_keeps_it(store_url, tmp_path):  # noqa: F811
    s = open_store(store_url, directory=tmp_path)
    study = load_study(EXAMPLE)
    p = s.enroll(s.register(study, {}), study)
    info = s.store_media(p.participant, "photo", b"pixels")
    assert info["bytes"] == 6 and not (tmp_path / "media").exists()
    with s.engine.connect() as conn:
        assert conn.execute(sa.select(media.c.path)).scalar_one() is None
    s.close()


def test_questionnaire_answers_and_attention_checks(store, study):
    p = store.enroll(store.register(study, {}), study)
    store.log_answers(
        study, p.participant, "text only", {"accuracy_1": "Agree", "effort_1": "5", "attention_1": "Strongly disagree"}
    )
    with store.engine.connect() as conn:
        values = dict(conn.execute(sa.select(questionnaire_answers.c.item_id, questionnaire_answers.c.value)).all())
    assert values == {"accuracy_1": 4, "effort_1": 5}
    kinds = [(r["kind"], r["payload"].get("passed")) for r in store.iter_rows(events, order_by=(events.c.id,))]
    assert kinds[-1] == ("attention_check", True)
    with pytest.raises(StudyError, match="not on the scale"):
        store.log_answers(study, p.participant, "text only", {"satisfaction_1": "Maybe"})


def test_reopening_migrated_database_keeps_data(store_url, tmp_path):  # noqa: F811
    study = load_study(EXAMPLE)
    s = open_store(store_url, directory=tmp_path)
    p = s.enroll(s.register(study, {}), study)
    s.close()
    s = open_store(store_url, directory=tmp_path)
    assert s.participants_of()[0]["id"] == p.participant
    s.close()


def test_a_newer_schema_is_refused(store_url, tmp_path):  # noqa: F811
    open_store(store_url, directory=tmp_path).close()
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StudyError, match="newer than this mmrec knows"):
        open_store(store_url, directory=tmp_path)


def test_a_foreign_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(StudyError, match="not an mmrec study database"):
        open_store(f"sqlite:///{path}", directory=tmp_path)
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]


def test_a_corrupt_sqlite_file_is_refused_without_overwriting_it(tmp_path):
    path = tmp_path / "study.sqlite"
    garbage = os.urandom(4096)
    path.write_bytes(garbage)
    with pytest.raises(StudyError, match="cannot use study database"):
        open_store(directory=tmp_path)
    assert path.read_bytes() == garbage
