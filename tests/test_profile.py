import numpy as np
import pytest

from mmrec.profile import Profile


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_older_signals_fade_with_recency_decay():
    profile = Profile(decay=0.5)
    profile.add("text", unit(1, 0), 1.0, "old")
    profile.turn = 3
    profile.add("text", unit(0, 1), 1.0, "new")
    pref = profile.preference("text")
    assert pref[1] == pytest.approx(8 * pref[0])


def test_signal_contributions_sum_to_the_item_score():
    profile = Profile()
    profile.add("text", unit(1, 0), 1.0, "liked")
    profile.turn = 1
    profile.add("text", unit(1, 1), -0.7, "disliked")
    item = unit(2, 1)
    shares = profile.signal_contributions("text", item)
    assert sum(share for _, share in shares) == pytest.approx(float(profile.preference("text") @ item))
    assert shares[0][1] > 0 > shares[1][1]
    toward = profile.partial_preference("text", lambda s: s.weight > 0)
    away = profile.partial_preference("text", lambda s: s.weight < 0)
    np.testing.assert_allclose(toward + away, profile.preference("text"), atol=1e-6)


def test_terms_keep_the_latest_stance_and_empty_signals_are_ignored():
    profile = Profile()
    profile.add_terms(("Wool",), ())
    profile.add_terms((), ("Wool",))
    profile.add("image", np.zeros(3), 1.0, "blank photo")
    assert profile.term_weights() == {"Wool": -1.0}
    assert profile.modalities() == []
