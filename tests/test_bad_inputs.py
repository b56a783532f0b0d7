"""The bad-input corpus (tests/bad_inputs.py) through the session API: each case gives its one clear error and
changes nothing, or is a normal turn; never a traceback or a server path. Cases that need Whisper's verdict run
with ``--slow``; the served app's answers to a few of them are in tests/test_web_surface.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bad_inputs import AUDIO, IMAGES, RATED_SPEECH, TEXTS, Case, spoken, wav

from mmrec.engine import Engine
from mmrec.errors import ModelUnavailableError
from mmrec.events import Event, Photo, Review, Voice
from mmrec.session import Session

SERVER_PATH = re.compile(r"(?:^|[\s'\"(])/\w+/")


@pytest.fixture(scope="module")
def engine(luma_mini_dir: Path, cache_root: Path) -> Engine:
    return Engine.load(luma_mini_dir, image=True, speech=True, cache_dir=cache_root)


def event(kind: str, data: bytes | str) -> Event:
    return {"image": lambda: Photo(data, "more"), "audio": lambda: Voice(data), "text": lambda: Review(data)}[kind]()


def params(kind: str, cases: list[Case]) -> list:
    slow = [pytest.mark.slow] if kind == "audio" else []
    return [
        pytest.param(kind, case, id=f"{kind}: {case.name}", marks=slow if case.needs_speech else []) for case in cases
    ]


@pytest.mark.parametrize("kind, case", params("image", IMAGES) + params("audio", AUDIO) + params("text", TEXTS))
def test_each_bad_input_gives_its_message_or_a_normal_turn(engine, kind, case):
    if case.needs_speech:
        try:
            engine.transcriber.load()
        except ModelUnavailableError as e:
            pytest.skip(f"speech model unavailable: {e}")
    session = Session(engine)
    session.submit(Review("I love warm soft hoodies"))
    before = state(session)
    turn = session.submit(event(kind, case.make()))
    if case.expect is None:
        assert turn.error is None, turn.error
        assert len(session.profile.signals) > len(before[0]) and turn.ranked
        return
    assert turn.error is not None and case.refused_with(turn.error), turn.error
    assert "Traceback" not in turn.error and not SERVER_PATH.search(turn.error), turn.error
    assert state(session) == before


def state(session: Session) -> tuple:
    """What a turn may change: the profile's signals, terms and filters, and the list shown."""
    p = session.profile
    signals = [(s.modality, s.weight, s.source, s.vector.tobytes()) for s in p.signals]
    return signals, dict(p.terms), p.filters, set(p.liked), set(p.disliked), [r.id for r in session.shown]


@pytest.mark.slow
def test_a_spoken_rating_is_still_heard_and_applied(engine):
    turn = Session(engine).submit(Voice(wav(spoken())))
    assert turn.error is None, turn.error
    assert turn.understood["rating"] == 5, (RATED_SPEECH, turn.understood["transcript"])
