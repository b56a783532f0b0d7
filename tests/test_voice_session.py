"""A voice review through the session API: Whisper base on fixture clips, then the same handling as a typed review.

Clips that must not be heard (silence, noise, clicks, corrupt files) are cases of tests/bad_inputs.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmrec.bench.speech import load_clip_spec
from mmrec.engine import Engine
from mmrec.errors import ModelUnavailableError
from mmrec.events import Review, Voice
from mmrec.session import Session, Turn

pytestmark = pytest.mark.slow

RATED_CLIPS = ["rated_01.wav", "rated_04.wav", "rated_06.wav", "rated_14.wav"]
MIN_SHARED_TOP_K = 0.6  # measured 7, 8, 8 and 10 of the top 10 shared with the typed ground truth


@pytest.fixture(scope="module")
def engine(luma_mini_dir: Path, cache_root: Path) -> Engine:
    engine = Engine.load(luma_mini_dir, image=False, speech=True, cache_dir=cache_root)
    if engine.transcriber is None:
        pytest.skip("voice input is switched off (MMREC_SPEECH=off)")
    try:
        engine.transcriber.load()
    except ModelUnavailableError as e:
        pytest.skip(f"speech model unavailable: {e}")
    return engine


def _ground_truth(file: str) -> dict:
    return next(c for c in load_clip_spec() if c["file"] == file)


def _ids(turn: Turn) -> list[str]:
    return [r.id for r in turn.ranked]


@pytest.mark.parametrize("file", RATED_CLIPS)
def test_voice_rating_reranks_like_the_typed_review(engine, voice_clips, file):
    clip = _ground_truth(file)
    spoken = Session(engine).submit(Voice(str(voice_clips / file)))
    heard = spoken.understood
    assert spoken.error is None and not heard["speech"]["no_speech"], spoken.error
    as_typed = Session(engine).submit(Review(heard["transcript"]))
    meant = Session(engine).submit(Review(clip["text"]))
    # The transcript is handled exactly as the same words typed: same reading, same list.
    assert _ids(spoken) == _ids(as_typed)
    assert {k: v for k, v in heard.items() if k not in ("transcript", "speech")} == as_typed.understood
    # Against what was really said: the same rating and sentiment; the list differs only where the
    # transcript's wording ("5 stars, ..." for "five stars ...") moves the text embedding.
    assert heard["rating"] == meant.understood["rating"] == clip["rating"], heard["transcript"]
    assert heard["label"] == meant.understood["label"], heard["transcript"]
    shared = len(set(_ids(spoken)) & set(_ids(meant)))
    assert shared >= MIN_SHARED_TOP_K * len(_ids(meant)), heard["transcript"]
