import numpy as np
import pytest

from mmrec.profile import FORGET_BELOW, Profile
from mmrec.profile_summary import ProfileSummary


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_older_signals_fade_with_recency_decay():
    profile = Profile(decay=0.5)
    profile.add("text", unit(1, 0), 1.0, "old")
    profile.turn = 3
    profile.add("text", unit(0, 1), 1.0, "new")
    toward = ProfileSummary.of(profile).spaces["text"].toward
    assert toward[1] == pytest.approx(8 * toward[0])


def test_signal_contributions_sum_to_the_item_score():
    profile = Profile()
    profile.add("text", unit(1, 0), 1.0, "liked")
    profile.turn = 1
    profile.add("text", unit(1, 1), -0.7, "a review you did not like")
    space = ProfileSummary.of(profile).spaces["text"]
    item = unit(2, 1)
    shares = space.contributions(item)
    assert shares.sum() == pytest.approx(float((space.toward + space.away) @ item))
    assert shares[0] > 0 > shares[1]


def test_terms_keep_the_latest_stance_and_empty_signals_are_ignored():
    profile = Profile()
    profile.add_terms(("Wool",), ())
    profile.add_terms((), ("Wool",))
    profile.add("image", np.zeros(3), 1.0, "blank photo")
    assert profile.term_weights() == {"Wool": -1.0}
    assert profile.modalities() == []


def test_a_long_session_forgets_evidence_too_faded_to_matter_and_keeps_a_lone_old_signal():
    profile = Profile(decay=0.85)
    profile.add("image", unit(0, 1), 1.0, "an early photo")
    for turn in range(2000):
        profile.turn = turn
        profile.add("text", unit(1, turn % 3 + 1), 1.0, f"review {turn}")
        profile.add_terms((f"term{turn % 500}",), ())
    kept = [s for s in profile.signals if s.modality == "text"]
    assert len(kept) < 60 and kept[-1].source == "review 1999"
    assert all(abs(profile.weight_now(s.weight, s.turn)) >= FORGET_BELOW for s in kept)
    assert [s.source for s in profile.signals if s.modality == "image"] == ["an early photo"]
    assert len(profile.terms) < 60 and "term499" in profile.terms
