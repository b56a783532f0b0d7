"""The feedback loop end to end through the session API, with the real MiniLM encoder."""

from __future__ import annotations

import json

import pytest

from mmrec.engine import Engine
from mmrec.events import Dislike, Like, Photo, Reset, Review, Voice
from mmrec.session import Session

HOODIES_AND_JACKETS = {"Jackets", "Hoodies & Sweatshirts"}


@pytest.fixture(scope="module")
def luma(luma_dir, cache_root) -> Engine:
    return Engine.load(luma_dir, image=False, speech=False, cache_dir=cache_root)


@pytest.fixture(scope="module")
def mini(luma_mini_dir, cache_root) -> Engine:
    return Engine.load(luma_mini_dir, image=False, speech=False, cache_dir=cache_root)


def leaves(engine: Engine, ids: list[str]) -> list[str]:
    return [engine.catalog.get(i).leaf_category for i in ids]


def test_warm_running_jacket_not_black_then_dislikes_drop_items_and_their_twins(luma):
    session = Session(luma, top_k=10)
    turn = session.submit(Review("I want a warm jacket for running, not black"))
    assert turn.error is None
    ids = [r.id for r in turn.ranked]
    assert sum(leaf in HOODIES_AND_JACKETS for leaf in leaves(luma, ids)) >= 7
    assert all(luma.catalog.get(i).color != "Black" for i in ids)
    assert "Black" in turn.understood["filters"]["exclude_colors"]

    disliked = ids[:2]
    twins = {
        other.id
        for d in disliked
        for other in luma.catalog
        if other.extra.get("parent_sku") == luma.catalog.get(d).extra.get("parent_sku") and other.id != d
    }
    before = {r.id: n for n, r in enumerate(session.shown)}
    for item_id in disliked:
        turn = session.submit(Dislike(item_id))
        assert turn.error is None
    after = [r.id for r in turn.ranked]
    assert not set(disliked) & set(after)
    for twin in twins & set(before):
        assert twin not in after or after.index(twin) > before[twin], f"{twin} did not drop"
    assert all(luma.catalog.get(i).color != "Black" for i in after)


def test_every_item_carries_contributions_summing_to_its_score_and_a_reason(mini):
    session = Session(mini, top_k=8)
    turn = session.submit(Review("soft comfortable yoga pants"))
    assert len(turn.ranked) == 8
    scores = [r.score for r in turn.ranked]
    assert scores == sorted(scores, reverse=True)
    for r in turn.ranked:
        assert r.contributions and "text" in r.contributions
        assert sum(r.contributions.values()) == pytest.approx(r.score, abs=1e-5)
        assert r.reason.strip()
    assert "yoga pants" in turn.ranked[0].reason.lower() or "review" in turn.ranked[0].reason.lower()


def test_a_like_pulls_similar_items_up_and_names_the_liked_item(mini):
    session = Session(mini, top_k=10)
    liked = mini.catalog[len(mini.catalog) // 2]
    turn = session.submit(Like(liked.id))
    assert liked.id in [r.id for r in turn.ranked]
    sibling_reasons = [r.reason for r in turn.ranked if r.id != liked.id]
    assert any(liked.name in reason for reason in sibling_reasons)


def test_negative_review_pushes_away_from_what_it_describes(mini):
    session = Session(mini, top_k=5)
    session.submit(Review("I love hoodies"))
    hoodie_share = sum(leaf == "Hoodies & Sweatshirts" for leaf in leaves(mini, [r.id for r in session.shown]))
    turn = session.submit(Review("I hate hoodies, they are awful and itchy"))
    assert turn.understood["label"] == "negative"
    assert sum(leaf == "Hoodies & Sweatshirts" for leaf in leaves(mini, [r.id for r in turn.ranked])) < hoodie_share


def test_cheaper_sets_a_price_cap_below_the_reviewed_item(mini):
    session = Session(mini, top_k=10)
    item = max(mini.catalog, key=lambda i: i.price or 0)
    turn = session.submit(Review("nice but too expensive, show me something cheaper", item=item.id))
    cap = turn.understood["filters"]["max_price"]
    assert cap < item.price
    assert all(mini.catalog.get(r.id).price <= cap for r in turn.ranked)


def test_errors_leave_the_profile_untouched_and_the_session_going(mini):
    session = Session(mini, top_k=5)
    session.submit(Review("warm hoodie"))
    shown = [r.id for r in session.shown]
    for bad in (
        Like("no-such-item"),
        Review(""),
        Review("x" * 100_000),
        Voice("/nonexistent.wav"),
        Photo("/nonexistent.jpg"),
    ):
        turn = session.submit(bad)
        assert turn.error and len(turn.error) >= 10
        assert [r.id for r in session.ranked()] == shown
    assert session.turn == 6
    assert session.submit(Reset()).error is None
    assert session.profile.is_empty()


def test_json_contract_lines(mini):
    session = Session(mini, top_k=3)
    out = session.submit_json('{"type": "review", "text": "<script>alert(1)</script> a sturdy gym bag"}')
    assert out["turn"] == 1 and len(out["ranked"]) == 3
    assert "<script>" not in json.dumps(out["understood"])
    assert "error" in session.submit_json("{not json")
    assert "teleport" in session.submit_json({"type": "teleport"})["error"]
    assert session.submit_json({"type": "like"})["error"].startswith("a 'like' interaction needs")
    assert session.turn == 4


def test_listeners_see_every_turn_including_errors(mini):
    seen = []
    session = Session(mini, listeners=(lambda s, t: seen.append((s.id, t.turn, t.error is None)),))
    session.submit(Review("a bag"))
    session.submit_json("nope")
    assert seen == [(session.id, 1, True), (session.id, 2, False)]


def test_two_sessions_on_one_engine_do_not_share_state(mini):
    a, b = Session(mini), Session(mini)
    a.submit(Dislike(a.shown[0].id))
    assert b.profile.is_empty() and b.shown[0].id == a.history[0].event["item"]


def test_diversity_rerank_keeps_scores_non_increasing_and_reports_the_penalty(mini):
    plain = Session(mini, top_k=8).submit(Review("black running shorts")).ranked
    diverse = Session(mini, top_k=8, diversity=0.5).submit(Review("black running shorts")).ranked
    scores = [r.score for r in diverse]
    assert scores == sorted(scores, reverse=True)
    assert any(r.contributions.get("diversity", 0) < 0 for r in diverse)
    assert [r.id for r in plain] != [r.id for r in diverse]


def test_category_and_colour_filters_hold_for_every_listed_item(luma):
    session = Session(luma, top_k=10)
    only = session.submit(Review("only jackets please"))
    assert {luma.catalog.get(r.id).leaf_category for r in only.ranked} == {"Jackets"}
    session.submit(Reset())
    turn = session.submit(Review("a comfortable top, no hoodies and nothing in blue"))
    assert all(luma.catalog.get(r.id).leaf_category != "Hoodies & Sweatshirts" for r in turn.ranked)
    assert all(luma.catalog.get(r.id).color != "Blue" for r in turn.ranked)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("asdfgh qwerty", "does not read as words"),
        ("Ich liebe diese Jacke sehr", "German"),
        ("أحب هذه السترة كثيرا", "Arabic"),
        ("אני אוהב את המעיל הזה", "Hebrew"),
    ],
)
def test_gibberish_and_other_languages_are_answered_without_re_ranking(mini, text, said):
    session = Session(mini, top_k=10)
    session.submit(Review("a warm jacket for running"))
    before = [r.id for r in session.ranked()]
    turn = session.submit(Review(text))
    assert turn.error and "didn't understand" in turn.error and said in turn.error
    assert [r.id for r in session.ranked()] == before
    assert session.submit(Review("something cheaper please")).error is None


def test_a_wish_about_a_liked_item_keeps_it_and_its_colour_in_the_list(mini):
    session = Session(mini, top_k=10)
    session.submit(Review("a jacket"))
    liked = next(r for r in session.ranked() if mini.catalog.get(r.id).color)
    colour = mini.catalog.get(liked.id).color
    session.submit(Like(liked.id))
    turn = session.submit(Review(f"Love the fit but I wish it came in {colour.lower()}", item=liked.id))
    assert turn.error is None
    assert colour not in turn.understood["filters"].get("exclude_colors", [])
    assert any(mini.catalog.get(r.id).color == colour for r in session.ranked())


def test_a_darker_colour_is_relative_to_the_item_in_focus(mini):
    session = Session(mini, top_k=8)
    light = next(i for i in mini.catalog if i.color in ("White", "Yellow", "Orange") and i.leaf_category)
    turn = session.submit(Review("love this, but in a darker colour please", item=light.id))
    assert turn.error is None
    darker = set(turn.understood["filters"]["include_colors"])
    assert darker and light.color not in darker and "Black" in darker
    assert all(mini.catalog.get(r.id).color in darker for r in turn.ranked)


def test_a_lighter_colour_than_white_is_answered_without_changing_the_list(mini):
    session = Session(mini, top_k=8)
    white = next(i for i in mini.catalog if i.color == "White")
    shown = [r.id for r in session.shown]
    turn = session.submit(Review("same thing in a lighter shade", item=white.id))
    assert turn.error and "lighter than White" in turn.error
    assert [r.id for r in session.shown] == shown


def test_a_lighter_jacket_is_about_weight_not_colour(mini):
    turn = Session(mini, top_k=8).submit(Review("a lighter jacket for summer"))
    assert turn.error is None
    assert "include_colors" not in turn.understood["filters"]
    assert "Jackets" in turn.understood["wants"]
    assert "lighter" not in turn.understood["filters"]


def test_a_tank_top_means_the_womens_bras_and_tanks_too(mini):
    """Luma files men's tanks under "Tanks" and women's under "Bras & Tanks": a shopper asking for a tank
    top, or only tanks, means both."""
    tanks = {item.id for item in mini.catalog if item.leaf_category in ("Tanks", "Bras & Tanks")}
    womens = {item.id for item in mini.catalog if item.leaf_category == "Bras & Tanks"}
    assert womens and tanks - womens

    session = Session(mini, top_k=len(tanks))
    turn = session.submit(Review("I'd love a tank top for the gym"))
    assert turn.error is None
    assert set(turn.understood["wants"]) >= {"Tanks"}
    top = [r.id for r in turn.ranked]
    assert len(set(top) & tanks) >= len(tanks) - 1, "the tanks of both departments lead the list"
    assert set(top) & womens

    turn = session.submit(Review("only tanks please"))
    assert turn.error is None
    assert {r.id for r in turn.ranked} == tanks


def test_each_cards_attribute_bar_names_the_words_that_item_carries(mini):
    from mmrec.ui.render import render_cards

    session = Session(mini, top_k=12)
    turn = session.submit(Review("a blue jacket, not black"))
    assert turn.error is None
    labels = [r.labels.get("attributes") for r in turn.ranked]
    for r, label in zip(turn.ranked, labels, strict=True):
        item = mini.catalog.get(r.id)
        if r.contributions.get("attributes", 0) > 0:
            assert label and ("Jackets" in label) == (item.leaf_category == "Jackets")
            assert ("Blue" in label) == (item.color == "Blue"), (r.id, label)
    assert len({label for label in labels if label}) >= 2, "cards matching different words say so"
    html = render_cards(mini.catalog, turn.ranked, turn=session.turn)
    assert "Jackets, Blue +" in html
