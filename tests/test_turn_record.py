"""Turn records: JSON round trip, media by sha256, contained listeners, replay under the same or another config.

The engine here runs the hashing text encoder over a small built catalog: no model, nothing from ../shared.
"""

from __future__ import annotations

import gc
import hashlib
import json
import tracemalloc
from datetime import datetime

import numpy as np
import pytest
from PIL import Image

from mmrec.catalog import Catalog, Item
from mmrec.encoders.text import HashingTextEncoder
from mmrec.engine import Engine, Modality
from mmrec.events import Dislike, Like, Photo, Remove, Reset, Review, Undo
from mmrec.index import EmbeddingIndex
from mmrec.media import MediaFolder
from mmrec.recommender_config import load_config
from mmrec.replay import replay
from mmrec.session import Session
from mmrec.turn import SCHEMA, Turn

NAMES = ["warm red jacket", "blue rain jacket", "black running shoes", "white tennis shoes", "green gym bag"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    items = [
        Item(
            f"p{i}", name.title(), description=name, price=float(20 + 10 * i), categories=(f"Shop/{name.split()[-1]}",)
        )
        for i, name in enumerate(NAMES * 4)
    ]
    catalog = Catalog(items, name="tiny")
    encoder = HashingTextEncoder(dim=64)
    vectors = encoder.encode([item.text() for item in catalog])
    return Engine(catalog, {"text": Modality("text", EmbeddingIndex(vectors, model=encoder.name), encoder)})


def play(session: Session) -> list[Turn]:
    return [
        session.submit(e)
        for e in (Review("a warm jacket please"), Like("p1"), Dislike("p2"), Review("something cheaper"), Reset())
    ]


def test_a_record_is_json_and_round_trips(engine):
    turn = play(Session(engine, session_id="s1"))[1]
    record = json.loads(json.dumps(turn.to_record()))
    assert record["schema"] == SCHEMA and record["session"] == "s1" and record["turn"] == 2
    assert datetime.fromisoformat(record["at"]).utcoffset().total_seconds() == 0
    assert record["config_id"] == load_config().id and record["encoders"] == {"text": "hashed-words-64"}
    shown = record["shown"][0]
    assert set(shown) - {"labels"} == {"id", "score", "features", "contributions", "reason"}
    assert set(shown["features"]) == {"text", "attributes", "prior", "collaborative"}
    assert record["interpretation"]["action"] == "like" and record["latency_ms"]["total"] > 0
    again = Turn.from_record(record)
    assert again.to_record() == record
    assert again.understood == turn.understood and [r.id for r in again.ranked] == [r.id for r in turn.ranked]


def test_the_interpretation_is_typed_and_still_reads_by_key(engine):
    turn = Session(engine).submit(Review("a warm jacket, not over 30 dollars"))
    assert turn.understood.action == "review" and turn.understood.label is not None
    assert turn.understood["filters"] == turn.understood.filters and "sentiment" in turn.understood


def test_media_are_referenced_by_content_hash_and_kept_when_asked(engine, tmp_path):
    photo = tmp_path / "upload.png"
    Image.new("RGB", (32, 32), (200, 20, 20)).save(photo)
    data = photo.read_bytes()
    session = Session(engine, media_dir=tmp_path / "media")
    turn = session.submit(Photo(str(photo)))
    assert turn.error and "photo input is unavailable" in turn.error  # this engine has no image encoder
    ref = turn.to_record()["event"]["image"]
    assert ref == {"sha256": hashlib.sha256(data).hexdigest(), "kind": "image", "bytes": len(data)}
    assert str(tmp_path) not in json.dumps(turn.to_record())
    assert MediaFolder(tmp_path / "media").path(ref["sha256"]).read_bytes() == data


def test_a_failing_listener_is_reported_on_the_turn_and_the_session_goes_on(engine, caplog):
    seen = []

    def broken(session, turn):
        raise RuntimeError("disk full")

    session = Session(engine, listeners=(broken, lambda s, t: seen.append(t.turn)))
    first = session.submit(Review("a warm jacket"))
    assert first.error is None and session.turn == 1 and session.shown == first.ranked
    assert first.listener_errors and "RuntimeError: disk full" in first.listener_errors[0]
    assert seen == [1] and "listener" in caplog.text
    assert session.submit(Like("p0")).error is None and seen == [1, 2]


def test_a_disabled_input_is_refused_with_the_accepted_ones(engine):
    session = Session(engine, config=load_config(inputs=["review", "reset"]))
    turn = session.submit(Like("p0"))
    assert "like input is switched off" in turn.error and "accepted: review, reset" in turn.error
    assert session.profile.is_empty()


def test_replay_under_the_recorded_config_reproduces_every_list(engine):
    records = [t.to_record() for t in play(Session(engine, session_id="a"))]
    records += [t.to_record() for t in play(Session(engine, session_id="b", diversity=0.3))]
    diffs = replay(json.loads(json.dumps(records)), engine)
    assert len(diffs) == 10 and all(d.same for d in diffs), [d.describe() for d in diffs]


def test_replay_of_removed_chips_and_undos_reproduces_every_list(engine):
    session = Session(engine, session_id="c")
    events = [Undo(), Review("a warm jacket please"), Like("p1"), Review("something cheaper"), Remove("max_price")]
    events += [Remove("turn:3"), Undo(), Undo(), Remove("turn:2")]
    turns = [session.submit(e) for e in events]
    assert turns[0].error and all(t.error is None for t in turns[1:])
    assert [r.id for r in turns[7].ranked] == [r.id for r in turns[3].ranked]
    assert {"turn:3", "turn:4", "max_price"} <= {c["id"] for c in turns[8].chips}
    assert "turn:2" not in {c["id"] for c in turns[8].chips}
    records = [t.to_record() for t in turns]
    assert Turn.from_record(records[4]).chips == turns[4].chips
    diffs = replay(json.loads(json.dumps(records)), engine)
    assert len(diffs) == len(events) and all(d.same for d in diffs), [d.describe() for d in diffs]


def test_replay_under_another_fusion_weight_reports_how_the_lists_differ(engine):
    records = [t.to_record() for t in play(Session(engine, session_id="a"))]
    other = load_config(weights={"text": 0.0, "prior": 5.0})
    diffs = replay(records, engine, config=other)
    changed = [d for d in diffs if not d.same]
    assert changed and all(d.describe().startswith("session a turn") for d in diffs)
    assert any(d.entered or d.moved or d.max_score_change > 0 for d in changed)


def test_the_cli_logs_records_that_replay_reproduces(tmp_path, engine):
    from mmrec import cli

    log = tmp_path / "log.jsonl"
    listener = cli._append_records(log)
    session = Session(engine, listeners=(listener,))
    play(session)
    lines = log.read_text().splitlines()
    assert len(lines) == 5 and all(json.loads(line)["schema"] == SCHEMA for line in lines)
    from mmrec.replay import read_records

    assert all(d.same for d in replay(read_records(log), engine))


def test_scores_in_a_record_keep_full_precision(engine):
    turn = Session(engine).submit(Review("blue rain jacket"))
    assert turn.to_record()["shown"][0]["score"] == turn.ranked[0].score
    assert np.isfinite([r.score for r in turn.ranked]).all()


def test_an_error_turn_reads_as_an_empty_interpretation(engine):
    turn = Session(engine).submit(Like("no-such-item"))
    assert turn.error and turn.understood.get("transcript") is None and not turn.understood
    assert turn.to_record()["interpretation"] is None
    assert Turn.from_record(json.loads(json.dumps(turn.to_record()))).understood == {}


def test_replay_with_other_models_than_recorded_says_so_where_lists_differ(engine):
    from mmrec.replay import encoder_differences

    records = [t.to_record() for t in play(Session(engine, session_id="a"))]
    for record in records:
        record["encoders"] = {"text": "another-text-model", "image": "clip:ViT-B-32/laion2b_s34b_b79k"}
        record["shown"] = record["shown"][::-1]  # so that every list differs
    diffs = replay(records, engine)
    assert any(not d.same for d in diffs)
    assert all("other models than recorded" in d.note for d in diffs if not d.same)
    said = encoder_differences(records[0]["encoders"], engine.encoder_versions())
    assert "image: recorded with clip:ViT-B-32/laion2b_s34b_b79k, replayed with none" in said
    assert encoder_differences(engine.encoder_versions(), engine.encoder_versions()) == ""


def test_a_long_session_holds_no_more_per_turn_than_a_short_one(engine):
    """Every turn record keeps the chips after it: one chip unchanged since the last turn is shared with that
    record, not held again, and the copy kept for undo shares the profile's evidence. Held once per turn,
    the chips alone made the 100th turn cost twice what the 20th did."""
    session = Session(engine)
    said = iter(range(10_000))

    def held_after(turns: int) -> int:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for n in range(turns):
            session.submit(Review(f"a warm jacket number {next(said)}") if n % 2 else Like(f"p{n % 20}"))
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before

    tracemalloc.start()
    try:
        held_after(10)  # the caches every session shares fill up
        early = held_after(20)
        held_after(60)
        late = held_after(20)
    finally:
        tracemalloc.stop()
    assert len(session.history) == 110 and len(session.history[-1].chips) > 50
    assert late < 1.3 * early, f"turns 91-110 held {late / 20:.0f} bytes each, turns 11-30 {early / 20:.0f}"


def test_a_session_keeps_the_list_of_its_latest_turn_only_and_an_undo_ranks_the_one_before_again(engine):
    session = Session(engine)
    turns = [session.submit(e) for e in (Review("a warm jacket please"), Like("p1"), Dislike("p2"))]
    assert [len(t.ranked) for t in session.history] == [0, 0, 10] and session.history[-1].ranked is session.shown
    assert all(len(t.ranked) == 10 for t in turns)  # the turns handed out are whole
    assert [(t.event, t.changes, t.chips) for t in session.history] == [(t.event, t.changes, t.chips) for t in turns]
    undone = session.submit(Undo())
    assert undone.ranked == turns[1].ranked
