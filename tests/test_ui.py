"""The web app's HTML and handlers without a browser: escaping, cards, status, history, examples."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("gradio")

from mmrec.catalog import Catalog, CatalogIssue, Item, load_catalog
from mmrec.encoders.base import Status
from mmrec.ranking import RankedItem
from mmrec.session import Turn
from mmrec.ui.examples import PHOTO_EXAMPLES, example_photos, example_reviews
from mmrec.ui.render import (
    Pin,
    image_src,
    render_cards,
    render_history,
    render_message,
    render_status,
    render_understood,
)

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    photo = tmp_path / "a b.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    items = [
        Item("a", "Red Hoodie", categories=("Clothing/Hoodies",), price=40.0, color="Red", image=photo),
        Item("b", EVIL, categories=("Clothing/Jackets",), price=80.0, color="Black"),
        Item("c", "Blue Jacket", categories=("Clothing/Jackets",), price=60.0, color="Blue"),
    ]
    return Catalog(items, root=tmp_path)


def ranked(*ids: str, reason: str = "a starting pick") -> list[RankedItem]:
    return [RankedItem(i, 0.5 - n / 10, {"text": 0.3 - n / 10, "prior": -0.05}, reason) for n, i in enumerate(ids)]


def test_cards_escape_every_catalog_and_reason_string(catalog):
    page = render_cards(catalog, ranked("b", "a", reason=EVIL))
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_cards_show_rank_price_score_contribution_bars_and_one_action_set_each(catalog):
    page = render_cards(catalog, ranked("a", "c"), turn=3)
    assert 'data-turn="3"' in page
    assert page.count('class="mm-card') == 2
    assert "$40.00" in page and "score +0.500" in page
    assert "Text +0.30" in page and "Ratings -0.05" in page and "mm-neg" in page
    assert page.count('data-action="like"') == 2 and page.count('data-action="dislike"') == 2


def test_cards_mark_focus_likes_and_movements(catalog):
    page = render_cards(
        catalog,
        ranked("a", "c"),
        focus="c",
        liked={"a"},
        changes={"entered": ["a"], "rose": ["c"], "left": [], "fell": []},
    )
    assert 'mm-card mm-focused" data-item="c"' in page
    assert 'aria-pressed="true" aria-label="Review Blue Jacket">✓ Reviewing' in page and "mm-liked" in page
    assert 'aria-label="Review Red Hoodie">✍️ Review this' in page
    assert "mm-new" in page and "mm-up" in page


def test_a_pinned_card_keeps_its_slot_and_the_list_says_what_changed(catalog):
    liked = render_cards(catalog, ranked("a", "c"), changes={"entered": ["a"]}, pin=Pin("a", 1, "like"), turn=2)
    assert liked.index('data-item="c"') < liked.index('data-item="a"')
    assert "👍 liked · now #1" in liked
    assert 'data-announce="List updated: 1 new item; Red Hoodie stays in place until your next action."' in liked
    gone = render_cards(catalog, ranked("c"), changes={"entered": [], "left": ["a"]}, pin=Pin("a", 0, "dislike"))
    assert gone.index('data-item="a"') < gone.index('data-item="c"') and "👎 disliked · leaves your list" in gone
    assert 'data-announce="List updated: 0 new items;' in gone
    assert "data-announce" not in render_cards(catalog, ranked("a", "c"))


def test_every_product_photo_is_named_in_its_alt_text(catalog):
    assert 'alt="Red Hoodie"' in render_cards(catalog, ranked("a", "c"))


def test_empty_list_explains_that_filters_exclude_everything(catalog):
    assert "filter" in render_cards(catalog, [], turn=2)


def test_photos_are_served_by_item_id_or_inlined_never_by_path(catalog):
    item = catalog.get("a")
    assert image_src(item) == "/media/item/a"
    assert image_src(item, inline=True).startswith("data:image/png;base64,")
    assert image_src(catalog.get("b")) is None
    assert str(item.image.parent) not in render_cards(catalog, ranked("a"))


def test_status_and_errors_shown_to_a_client_carry_no_server_path(catalog):
    status = {"image": Status(False, "-", "weights are not in the cache /srv/private/cache/open_clip")}
    assert "/srv/private" not in render_status(status, catalog)
    assert "/srv/private" not in render_message("could not read /srv/private/upload/x.jpg")
    turn = Turn(3, {"type": "photo"}, error="photo file '/srv/private/x.jpg' is broken")
    assert "/srv/private" not in render_understood(turn, catalog) + render_history([turn], catalog)


def test_status_says_in_plain_words_what_works_with_model_names_only_under_details(catalog):
    html = render_status(
        {
            "text": Status(True, "all-MiniLM-L6-v2"),
            "image": Status(True, "visual-features-v1", "no CLIP weights", degraded=True),
            "speech": Status(False, "-", "no <Whisper> weights"),
        },
        catalog,
    )
    line, details = html.split("<details", 1)
    assert "Ready: text understood" in line and "Photos: basic matching (no CLIP model)" in line
    assert "Voice: off" in line and "MiniLM" not in line and "Whisper" not in line
    assert "<summary>details</summary>" in details and "all-MiniLM-L6-v2" in details
    assert "degraded: no CLIP weights" in details and "unavailable: no &lt;Whisper&gt; weights" in details
    everything = {m: Status(True, m) for m in ("text", "image", "clip_text", "speech")}
    assert "Ready: text, photos and voice understood</span></p>" in render_status(everything, catalog)


def test_status_lists_each_skipped_or_fixed_catalog_record_under_a_summary(catalog):
    issues = [CatalogIssue(3, "d", "skipped: price 'cheap' is not a number"), CatalogIssue(4, None, EVIL)]
    html = render_status({}, Catalog(catalog.items, root=catalog.root, issues=issues))
    assert "<summary>2 catalog records skipped or fixed</summary>" in html
    assert "<li>line 3 (d): skipped: price &#x27;cheap&#x27; is not a number</li>" in html and "<script>" not in html
    assert "records skipped" not in render_status({}, catalog)


def test_understood_shows_transcript_stars_sentiment_and_filters(catalog):
    turn = Turn(
        2,
        {"type": "voice", "audio": "clip.wav", "item": "a"},
        understood={
            "transcript": "four stars <b>nice</b>",
            "rating": 4.0,
            "label": "positive",
            "sentiment": 0.6,
            "polarity": 0.55,
            "item": "a",
            "filters": {"max_price": 50.0, "exclude_colors": ["Black"]},
            "avoids": ["Black"],
        },
        seconds=0.8,
    )
    html = render_understood(turn, catalog)
    assert "four stars &lt;b&gt;nice&lt;/b&gt;" in html
    assert "★★★★☆" in html and "4/5" in html
    assert "positive (+0.60)" in html
    assert "max price: $50.00" in html and "exclude colors: Black" in html
    assert "Red Hoodie" in html and "0.80 s" in html


def test_history_lists_actions_newest_first_with_changes_by_name(catalog):
    history = [
        Turn(1, {"type": "review", "text": EVIL}, changes={"entered": ["c"], "left": ["a"], "rose": [], "fell": []}),
        Turn(2, {"type": "photo", "image": "<ndarray>", "polarity": "more"}, error="not an image file"),
        Turn(3, {"type": "like", "item": "c"}, changes={"entered": [], "left": [], "rose": ["c"], "fell": []}),
    ]
    html = render_history(history, catalog)
    assert html.index("Liked Blue Jacket") < html.index("Photo") < html.index("Review")
    assert "entered: Blue Jacket" in html and "left: Red Hoodie" in html and "rose: Blue Jacket" in html
    assert "not applied: not an image file" in html
    assert "<script" not in html


def test_profile_chips_are_escaped_remove_buttons_named_by_label_and_undo_follows_the_session():
    from mmrec.ui.profile_chips import render_chips

    html = render_chips(
        [
            {"id": "exclude_colors:Black", "kind": "filter", "label": "Not Black"},
            {"id": "turn:1", "kind": "interaction", "label": EVIL},
        ],
        undoable=True,
    )
    assert 'aria-label="Remove Not Black"' in html and 'data-chip="exclude_colors:Black"' in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert '<button type="button" class="mm-undo" data-action="undo">' in html
    empty = render_chips([], undoable=False)
    assert "No filters or feedback yet" in empty and 'data-action="undo" disabled' in empty


def test_history_and_understood_name_what_a_remove_or_undo_did(catalog):
    removed = Turn(
        2, {"type": "remove", "chip": "exclude_colors:Black"}, understood={"action": "remove", "name": "Not Black"}
    )
    undone = Turn(3, {"type": "undo"}, understood={"action": "undo", "name": "turn 2: Remove Not Black"})
    assert "Removed Not Black" in render_history([removed, undone], catalog)
    assert "Undo: turn 2: Remove Not Black" in render_history([removed, undone], catalog)
    assert "Undid" in render_understood(undone, catalog) and "Not Black" in render_understood(removed, catalog)


def test_error_message_is_escaped_and_absent_when_there_is_none():
    assert render_message(None) == ""
    assert "&lt;b&gt;" in render_message("bad <b>")
    assert 'role="alert"' in render_message("bad")


def test_example_reviews_use_the_catalogs_own_categories_and_colours(catalog):
    examples = example_reviews(catalog)
    assert any("jackets" in e for e in examples)
    assert any(c in " ".join(examples) for c in ("red", "black", "blue"))


def test_example_photos_are_the_served_catalogs_own(demo_catalog_dir, luma_mini_dir):
    luma = load_catalog(luma_mini_dir)
    photos = example_photos(luma)
    assert photos and all(ex.path.parent == luma_mini_dir / "images" for ex in photos)
    assert {ex.label for ex in photos} <= {item.name for item in luma}
    demo = example_photos(load_catalog(demo_catalog_dir))
    assert demo and all(ex.path.parent == PHOTO_EXAMPLES for ex in demo)


@pytest.mark.slow
def test_handlers_rank_review_and_report_bad_photo_without_a_browser(luma_mini_dir, cache_root, tmp_path):
    from mmrec.engine import Engine
    from mmrec.media_gate import REFUSED, MediaGate
    from mmrec.ui import App

    engine = Engine.load(luma_mini_dir, image=True, speech=False, cache_dir=cache_root)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    app = App(engine, gate=MediaGate([], consume=[uploads]), top_k=5)
    app.build()
    out = app.start(None)
    visit = out[app.state]
    start = [r.id for r in visit.session.shown]
    out = app.on_review(visit, "", "a warm jacket, not black")
    assert out[app.review] == "" and out[app.review_msg] == ""
    assert [r.id for r in visit.session.shown] != start and 'data-turn="1"' in out[app.gallery]
    bad = uploads / "x.jpg"
    bad.write_text("not a photo")
    out = app.on_photo_more(visit, "", {"path": str(bad)})
    assert "not an image" in out[app.photo_msg] and app.gallery not in out
    out = app.on_photo_more(visit, "", {"path": str(tmp_path / "elsewhere.jpg")})
    assert REFUSED in out[app.photo_msg]
    out = app.on_like(visit, "")
    assert "Pick an item first" in out[app.feedback_msg]


@pytest.mark.slow
def test_the_same_upload_can_be_sent_twice_though_it_is_deleted_after_the_first(luma_mini_dir, cache_root, tmp_path):
    from mmrec.engine import Engine
    from mmrec.media_gate import MediaGate
    from mmrec.ui import App

    engine = Engine.load(luma_mini_dir, image=True, speech=False, cache_dir=cache_root)
    uploads = tmp_path / "uploads"
    (uploads / "h").mkdir(parents=True)
    photo = uploads / "h" / "photo.jpg"
    photo.write_bytes(next(i.image for i in engine.catalog if i.image is not None).read_bytes())
    app = App(engine, gate=MediaGate([], consume=[uploads]), top_k=5)
    app.build()
    visit = app.start(None)[app.state]
    out = app.on_photo_more(visit, "", {"path": str(photo)})
    assert 'data-turn="1"' in out[app.gallery] and not photo.exists()
    out = app.on_photo_less(visit, "", {"path": str(photo)})
    assert 'data-turn="2"' in out[app.gallery], out[app.photo_msg]
