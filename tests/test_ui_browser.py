"""The web app in a real browser: Chromium (Playwright) against ``python app.py`` serving a catalog.

Every step saves a screenshot to ``test-artifacts/screenshots/``. Skips when Playwright or
Chromium is absent. Run with ``pytest --slow tests/test_ui_browser.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import wave
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-artifacts" / "screenshots"
CSP_WATCH = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));"""
ACTION_TIMEOUT = 120_000  # ms; a voice clip on a cold 2-core machine


@pytest.fixture(scope="session")
def app_url(served_app) -> str:
    return served_app.url


@pytest.fixture
def page(browser, app_url):
    """A fresh browser session (its own gr.State) with the first ranked list on screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.dialogs = dialogs
    p.add_init_script(CSP_WATCH)
    open_app(p, app_url)
    yield p
    blocked = p.evaluate("window.__cspViolations")
    context.close()
    assert not blocked, f"the page broke its own Content-Security-Policy: {blocked}"


def open_app(p, url: str) -> None:
    p.goto(url)
    p.wait_for_selector(".mm-grid .mm-card", timeout=60_000)


def shot(p, name: str) -> None:
    p.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def shown_ids(p) -> list[str]:
    return p.locator(".mm-grid .mm-card").evaluate_all("cards => cards.map(c => c.dataset.item)")


def turn_of(p) -> int:
    return int(p.locator("#mm-gallery [data-turn]").first.get_attribute("data-turn"))


def wait_turn(p, turn: int) -> None:
    p.wait_for_selector(f'#mm-gallery [data-turn="{turn}"]', timeout=ACTION_TIMEOUT)


def wait_message(p, box: str) -> str:
    p.locator(f"#{box} .mm-error").wait_for(timeout=ACTION_TIMEOUT)
    return p.locator(f"#{box}").inner_text()


def status_text(p, modality: str) -> str:
    """A modality's model and reason, as listed under the status line's "details" (open or not)."""
    return p.locator(f'#mm-status li[data-modality="{modality}"]').text_content()


def send_review(p, text: str) -> None:
    p.get_by_role("tab", name="Review").click()
    p.get_by_label("Your review or request").fill(text)
    p.locator("#mm-send-review").click()


def upload_photo(p, path: Path, button: str = "#mm-more") -> None:
    p.get_by_role("tab", name="Photo").click()
    p.locator("#mm-photo input[type=file]").set_input_files(str(path))
    p.locator("#mm-photo img").first.wait_for(timeout=30_000)
    p.locator(button).click()


def upload_voice(p, path: Path) -> None:
    p.get_by_role("tab", name="Voice").click()
    p.locator("#mm-audio button[aria-label='Upload file']").click()
    p.locator("#mm-audio input[type=file]").set_input_files(str(path))
    p.locator("#mm-audio audio, #mm-audio [data-testid^='waveform']").first.wait_for(state="attached", timeout=30_000)
    p.locator("#mm-send-voice").click()


def assert_no_traceback(p) -> None:
    body = p.locator("body").inner_text()
    assert "Traceback" not in body and 'File "' not in body


@pytest.fixture(scope="session")
def spoken_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spoken two-star rating: an example clip of the app, else one made with espeak-ng."""
    examples = sorted((ROOT / "assets" / "voice" / "examples").glob("rated_02.*"))
    if examples:
        return examples[0]
    if shutil.which("espeak-ng") is None:
        pytest.skip("no example voice clip and no espeak-ng to make one")
    out = tmp_path_factory.mktemp("voice") / "two_stars.wav"
    subprocess.run(
        ["espeak-ng", "-s", "150", "-w", str(out), "I'd give it two out of five, the zipper broke"], check=True
    )
    return out


@pytest.fixture(scope="session")
def silent_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("voice") / "silence.wav"
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes(b"\0\0" * 32_000)
    return out


@pytest.fixture(scope="session")
def catalog_photo(served_catalog: Path) -> Path:
    return next(p for p in sorted((served_catalog / "images").iterdir()) if p.suffix.lower() in (".jpg", ".png"))


def test_page_shows_ranked_cards_status_and_labelled_controls(page):
    assert len(shown_ids(page)) == 10
    first = page.locator(".mm-card").first
    assert first.locator("img").count() == 1
    assert first.locator(".mm-reason").inner_text().strip()
    assert "all-MiniLM-L6-v2" in status_text(page, "text") or "unavailable" in status_text(page, "text")
    line = page.locator("#mm-status .mm-status-line").inner_text()
    assert line.startswith("Ready:") and "MiniLM" not in line and "ViT" not in line
    assert not page.locator("#mm-status li[data-modality]").first.is_visible()
    page.locator("#mm-status summary", has_text="details").click()
    assert page.locator('#mm-status li[data-modality="text"]').is_visible()
    for label in ("Item in focus", "Your review or request"):
        assert page.get_by_label(label).count() >= 1
    shot(page, "01-start")


def test_review_reorders_the_list_and_shows_what_was_understood(page):
    before = shown_ids(page)
    send_review(page, "I want a warm jacket for running, not black")
    wait_turn(page, 1)
    after = shown_ids(page)
    assert after != before
    understood = page.locator("#mm-understood").inner_text()
    assert "Sentiment" in understood and "Black" in understood
    assert page.locator("#mm-history li").count() == 1
    assert page.get_by_label("Your review or request").input_value() == ""
    shot(page, "02-review")


def test_photo_more_like_this_reranks_towards_it(page, catalog_photo):
    if "unavailable" in status_text(page, "image"):
        page.get_by_role("tab", name="Photo").click()
        assert "unavailable" in page.locator(".mm-unavailable").inner_text()
        pytest.skip("photo input unavailable in this environment")
    before = shown_ids(page)
    upload_photo(page, catalog_photo)
    wait_turn(page, 1)
    assert shown_ids(page) != before
    assert "Photo" in page.locator("#mm-understood").inner_text()
    shot(page, "03-photo")


def test_example_photo_and_clip_load_by_key_and_can_be_sent_twice(page):
    page.get_by_role("tab", name="Photo").click()
    first = page.locator("#mm-photo-examples .mm-example").first
    thumbnail = first.locator("img").element_handle()  # lazy: it loads once its tab shows it
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=thumbnail, timeout=10_000)
    assert "/media/example/" in first.locator("img").get_attribute("src")
    first.click()
    page.locator("#mm-photo img").first.wait_for(timeout=30_000)
    page.locator("#mm-more").click()
    wait_turn(page, 1)
    page.locator("#mm-less").click()  # the upload is gone from the server by now; the visit kept its bytes
    wait_turn(page, 2)
    assert page.locator("#mm-photo-msg").inner_text() == ""
    page.get_by_role("tab", name="Voice").click()
    page.locator("#mm-voice-examples .mm-example").first.click()
    page.locator("#mm-audio audio, #mm-audio [data-testid^='waveform']").first.wait_for(
        state="attached", timeout=30_000
    )
    shot(page, "03b-examples")


def test_voice_clip_shows_transcript_rating_and_changes_the_list(page, spoken_clip):
    if "unavailable" in status_text(page, "speech"):
        page.get_by_role("tab", name="Voice").click()
        assert "unavailable" in page.locator(".mm-unavailable").inner_text()
        pytest.skip("voice input unavailable in this environment")
    page.locator(".mm-card .mm-review-this").first.click()  # a rating is about the item in focus
    page.wait_for_selector(".mm-card.mm-focused")
    before = shown_ids(page)
    upload_voice(page, spoken_clip)
    wait_turn(page, 1)
    understood = page.locator("#mm-understood").inner_text()
    assert "Heard" in understood and "Rating" in understood
    assert "2/5" in understood
    assert shown_ids(page) != before
    shot(page, "04-voice")


def test_like_and_dislike_from_cards_and_focus_buttons(page):
    ids = shown_ids(page)
    page.locator(f'.mm-card[data-item="{ids[0]}"] button[data-action="like"]').click()
    wait_turn(page, 1)
    assert page.locator(f'.mm-card[data-item="{ids[0]}"] .mm-liked').count() == 1
    disliked = [i for i in shown_ids(page) if i != ids[0]][0]
    page.locator(f'.mm-card[data-item="{disliked}"] button[data-action="dislike"]').click()
    wait_turn(page, 2)
    assert "disliked" in page.locator(f'.mm-card[data-item="{disliked}"] .mm-pinned').inner_text()
    target = [i for i in shown_ids(page) if i != disliked][2]
    page.locator(f'.mm-card[data-item="{target}"] .mm-review-this').click()
    page.wait_for_selector(f'.mm-card.mm-focused[data-item="{target}"]')
    page.locator("#mm-dislike").click()
    wait_turn(page, 3)
    assert target not in shown_ids(page) and disliked not in shown_ids(page)  # pinned for one list only
    history = page.locator("#mm-history").inner_text()
    assert "Liked" in history and "Disliked" in history
    shot(page, "05-like-dislike")


def test_keyboard_alone_can_like_an_item(page):
    first = shown_ids(page)[0]
    page.locator(f'.mm-card[data-item="{first}"] button[data-action="like"]').focus()
    page.keyboard.press("Enter")
    wait_turn(page, 1)
    assert page.locator(f'.mm-card[data-item="{first}"] .mm-liked').count() == 1


def test_reset_brings_back_the_starting_list(page):
    start = shown_ids(page)
    send_review(page, "bright yellow things please")
    wait_turn(page, 1)
    assert shown_ids(page) != start
    page.locator("#mm-reset").click()
    wait_turn(page, 2)
    assert shown_ids(page) == start
    assert "Started over" in page.locator("#mm-history").inner_text()
    shot(page, "06-reset")


def test_a_filter_chip_can_be_removed_and_undo_brings_the_list_back(page, served_app):
    colour = {r["id"]: r.get("color") for r in map(json.loads, (served_app.catalog / "items.jsonl").open()) if r}
    send_review(page, "a leather jacket, not black")  # the demo catalog's black leather jacket is then in the top 10
    wait_turn(page, 1)
    chip = page.get_by_role("button", name="Remove Not Black")
    chip.wait_for(timeout=ACTION_TIMEOUT)
    filtered = shown_ids(page)
    assert "Black" not in [colour[i] for i in filtered]
    shot(page, "11-chip-not-black")
    chip.click()
    wait_turn(page, 2)
    assert "Black" in [colour[i] for i in shown_ids(page)]
    assert page.get_by_role("button", name="Remove Not Black").count() == 0
    assert "Removed Not Black" in page.locator("#mm-history").inner_text()
    page.get_by_role("button", name="Undo").click()
    wait_turn(page, 3)
    assert shown_ids(page) == filtered
    assert page.get_by_role("button", name="Remove Not Black").is_visible()
    shot(page, "12-chip-undo")


def test_two_browser_sessions_keep_separate_state(browser, app_url):
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    try:
        alice, bob = (c.new_page() for c in contexts)
        open_app(alice, app_url)
        open_app(bob, app_url)
        start = shown_ids(bob)
        send_review(alice, "I want a warm jacket for running, not black")
        send_review(bob, "cheap summer socks")
        wait_turn(alice, 1)
        wait_turn(bob, 1)
        assert shown_ids(alice) != shown_ids(bob)
        assert "jacket" in alice.locator("#mm-history").inner_text()
        assert "jacket" not in bob.locator("#mm-history").inner_text()
        bob.locator("#mm-reset").click()
        wait_turn(bob, 2)
        assert shown_ids(bob) == start
        assert turn_of(alice) == 1 and alice.locator("#mm-history li").count() == 1
        shot(alice, "07-session-a")
        shot(bob, "07-session-b")
    finally:
        for c in contexts:
            c.close()


def test_bad_inputs_get_friendly_messages_and_the_session_goes_on(page, tmp_path, silent_clip):
    send_review(page, "   ")
    assert "empty" in wait_message(page, "mm-review-msg")

    page.locator("#mm-like").click()
    assert "Pick an item first" in wait_message(page, "mm-feedback-msg")

    not_an_image = tmp_path / "holiday.jpg"
    not_an_image.write_text("this is not a picture")
    if "unavailable" not in status_text(page, "image"):
        page.get_by_role("tab", name="Photo").click()
        page.locator("#mm-photo input[type=file]").set_input_files(str(not_an_image))
        page.locator("#mm-more").click()
        assert "not an image" in wait_message(page, "mm-photo-msg")
    if "unavailable" not in status_text(page, "speech"):
        upload_voice(page, silent_clip)
        assert "speech" in wait_message(page, "mm-voice-msg").lower()
    shot(page, "08-bad-inputs")

    turn = turn_of(page)
    send_review(page, '<img src=x onerror="alert(1)"><script>alert(2)</script> comfy hoodie')
    page.wait_for_function(
        "n => Number(document.querySelector('#mm-gallery [data-turn]').dataset.turn) > n",
        arg=turn,
        timeout=ACTION_TIMEOUT,
    )
    assert page.dialogs == []
    assert page.locator("#mm-history img, #mm-history script").count() == 0
    assert_no_traceback(page)
    shot(page, "09-html-review")


def test_narrow_phone_screen_has_no_horizontal_scroll(browser, app_url):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        p = context.new_page()
        open_app(p, app_url)
        send_review(p, "comfortable hoodie, not black")
        wait_turn(p, 1)
        width = p.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        box = p.locator(".mm-card").first.bounding_box()
        assert box is not None and box["width"] <= 390
        p.screenshot(path=str(SHOTS / "10-phone-390.png"), full_page=True)
        p.screenshot(path=str(SHOTS / "10-phone-390-first-screen.png"))
    finally:
        context.close()


def live_text(p) -> str:
    return p.locator("#mm-list [aria-live=polite]").inner_text()


def test_review_this_focuses_an_item_and_sending_its_review_clears_the_focus(page):
    item = shown_ids(page)[1]
    card = page.locator(f'.mm-card[data-item="{item}"]')
    name = card.locator(".mm-name").inner_text()
    button = page.get_by_role("button", name=f"Review {name}", exact=True)
    assert button.inner_text().strip().endswith("Review this") and button.get_attribute("aria-pressed") == "false"
    button.click()
    page.wait_for_selector(f'.mm-card.mm-focused[data-item="{item}"]')
    assert button.get_attribute("aria-pressed") == "true"
    assert name in page.locator("#mm-focus-note").inner_text()
    review = page.get_by_label("Your review or request")
    assert review.evaluate("box => box === document.activeElement")  # straight to where the review is typed
    review.fill("Love it, five stars")
    page.locator("#mm-send-review").click()
    wait_turn(page, 1)
    assert page.locator(".mm-card.mm-focused").count() == 0
    note = page.locator("#mm-focus-note").inner_text()
    assert name in note and "No item in focus now" in note
    assert "none" in page.locator("#mm-focus input").input_value()
    assert f"About{name}" in page.locator("#mm-understood").inner_text().replace("\n", "").replace("\t", "")
    new = page.locator("#mm-gallery .mm-new").count()
    assert live_text(page) == f"List updated: {new} new item{'' if new == 1 else 's'}."
    shot(page, "11-review-this")


def test_ctrl_enter_sends_the_review_and_enter_adds_a_line(page):
    review = page.get_by_label("Your review or request")
    review.click()
    review.type("warm jacket")
    review.press("Enter")
    review.type("not black")
    assert review.input_value() == "warm jacket\nnot black"
    review.press("Control+Enter")
    wait_turn(page, 1)
    assert review.input_value() == ""
    assert "warm jacket" in page.locator("#mm-history").inner_text()
    assert live_text(page).startswith("List updated: ")


def test_a_liked_card_keeps_its_place_and_the_rest_reorders_around_it(page):
    ids = shown_ids(page)
    item = ids[3]
    card = page.locator(f'.mm-card[data-item="{item}"]')
    card.scroll_into_view_if_needed()
    top = card.bounding_box()["y"]
    card.locator('button[data-action="like"]').click()
    wait_turn(page, 1)
    after = shown_ids(page)
    assert after.index(item) == 3 and after != ids
    assert abs(card.bounding_box()["y"] - top) < 2
    assert "liked · now #" in card.locator(".mm-pinned").inner_text()
    assert "stays in place" in live_text(page) and live_text(page).startswith("List updated: ")
    assert "Liked" in page.locator("#mm-history").inner_text()
    shot(page, "12-pinned-like")


def test_every_product_image_has_its_name_as_alt_text(page):
    cards = page.locator("#mm-gallery .mm-card")
    for n in range(cards.count()):
        card = cards.nth(n)
        assert card.locator("img").get_attribute("alt") == card.locator(".mm-name").inner_text()
    page.get_by_role("tab", name="Photo").click()
    examples = page.locator("#mm-photo-examples .mm-example")
    assert examples.count() > 0
    for n in range(examples.count()):
        assert examples.nth(n).locator("img").get_attribute("alt") == examples.nth(n).inner_text().strip()


def test_axe_finds_no_serious_or_critical_violation_on_the_main_page(page):
    from axe_playwright_python.sync_playwright import Axe

    send_review(page, "I want a warm jacket for running, not black")
    wait_turn(page, 1)
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_on_a_phone_the_list_comes_into_view_after_the_first_review(browser, app_url):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        p = context.new_page()
        p.add_init_script(CSP_WATCH)
        open_app(p, app_url)
        in_view = "() => { const r = document.querySelector('.mm-card').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight - 80; }"
        assert not p.evaluate(in_view)
        send_review(p, "comfortable hoodie, not black")
        wait_turn(p, 1)
        p.wait_for_function(in_view, timeout=5_000)
        p.screenshot(path=str(SHOTS / "13-phone-after-review.png"))
        assert p.evaluate("window.__cspViolations") == []
    finally:
        context.close()
