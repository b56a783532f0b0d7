"""The user's control over the profile through the session API: chips, removing one, undo, relative price."""

from __future__ import annotations

import pytest

from mmrec.chips import price_text
from mmrec.engine import Engine
from mmrec.events import Remove, Review, Undo
from mmrec.session import Session


@pytest.fixture(scope="module")
def luma(luma_dir, cache_root) -> Engine:
    return Engine.load(luma_dir, image=False, speech=False, cache_dir=cache_root)


def colours(engine: Engine, turn) -> list[str | None]:
    return [engine.catalog.get(r.id).color for r in turn.ranked]


def listed(turn) -> list[tuple[str, float, str]]:
    return [(r.id, r.score, r.reason) for r in turn.ranked]


def test_the_answer_lists_the_profile_as_chips_with_labels(luma):
    session = Session(luma, top_k=10)
    answer = session.submit_json({"type": "review", "text": "a jacket, not black"})
    chips = {c["id"]: c for c in answer["chips"]}
    assert chips["exclude_colors:Black"] == {"id": "exclude_colors:Black", "kind": "filter", "label": "Not Black"}
    assert chips["turn:1"]["kind"] == "interaction" and "a jacket, not black" in chips["turn:1"]["label"]
    assert chips["term:Jackets"]["label"] == "Wants Jackets" and "term:Black" not in chips
    assert answer["chips"] == session.history[-1].to_record()["chips"]


def test_removing_a_colour_exclusion_brings_back_the_black_items(luma):
    session = Session(luma, top_k=10)
    first = session.submit(Review("a jacket, not black"))
    assert "Black" not in colours(luma, first)
    turn = session.submit(Remove("exclude_colors:Black"))
    assert turn.error is None and turn.understood["name"] == "Not Black"
    assert "Black" in colours(luma, turn)
    assert "exclude_colors:Black" not in {c["id"] for c in turn.chips}
    assert "turn:1" in {c["id"] for c in turn.chips}


def test_removing_an_interaction_rebuilds_the_profile_without_it(luma):
    start = [r.id for r in Session(luma, top_k=10).shown]
    session = Session(luma, top_k=10)
    session.submit(Review("a jacket, not black"))
    turn = session.submit(Remove("turn:1"))
    assert turn.error is None and turn.chips == []
    assert [r.id for r in turn.ranked] == start


def test_undo_restores_the_previous_list_exactly_and_then_the_one_before(luma):
    session = Session(luma, top_k=10)
    start = [(r.id, r.score, r.reason) for r in session.shown]
    first = session.submit(Review("a warm jacket, not black"))
    second = session.submit(Remove("exclude_colors:Black"))
    assert listed(second) != listed(first)
    undone = session.submit(Undo())
    assert undone.error is None and "Not Black" in undone.understood["name"]
    assert listed(undone) == listed(first) and undone.chips == first.chips
    assert session.profile.filters == first_filters(first)
    again = session.submit(Undo())
    assert listed(again) == start and again.chips == []
    third = session.submit(Undo())
    assert "nothing to undo" in third.error
    assert [(r.id, r.score, r.reason) for r in session.shown] == start


def first_filters(turn):
    from mmrec.understanding import Filters

    f = turn.understood["filters"]
    return Filters(exclude_colors=frozenset(f.get("exclude_colors", ())))


def test_undo_on_a_fresh_session_is_a_clear_error_and_changes_nothing(luma):
    session = Session(luma, top_k=5)
    shown = listed_shown(session)
    answer = session.submit_json({"type": "undo"})
    assert answer == {"turn": 1, "error": "nothing to undo: no action has changed your profile yet"}
    assert session.profile.is_empty() and listed_shown(session) == shown
    assert "no chip 'max_price'" in session.submit(Remove("max_price")).error
    assert session.submit_json({"type": "remove"})["error"] == "a 'remove' interaction needs the field 'chip'"


def listed_shown(session: Session) -> list[tuple[str, float]]:
    return [(r.id, r.score) for r in session.shown]


def test_cheaper_twice_lowers_the_cap_from_the_current_list_and_keeps_its_category(luma):
    session = Session(luma, top_k=10)
    session.submit(Review("a warm jacket"))
    caps = []
    for _ in range(2):
        shown = [luma.catalog.get(r.id) for r in session.shown]
        turn = session.submit(Review("something cheaper"))
        cap = turn.understood["filters"]["max_price"]
        assert cap < sorted(i.price for i in shown)[len(shown) // 2 + 1]
        assert turn.ranked, "a cheaper jacket exists"
        assert {luma.catalog.get(r.id).leaf_category for r in turn.ranked} == {"Jackets"}
        assert all(luma.catalog.get(r.id).price <= cap for r in turn.ranked)
        assert {"id": "max_price", "kind": "filter", "label": f"Under {price_text(cap)}"} in turn.chips
        caps.append(cap)
    assert caps[1] < caps[0]


def test_a_reason_names_the_interaction_and_quotes_the_avoided_half(luma):
    session = Session(luma, top_k=10)
    session.submit(Review("something for the gym"))
    turn = session.submit(Review("a jacket, not black"))
    reasons = [r.reason for r in turn.ranked]
    assert any("“a jacket, not black” (turn 2)" in r for r in reasons), reasons
    assert all("not Black (your review, turn 2)" in r for r in reasons if "matches Jackets" in r)
