"""The Gradio page: widgets, and handlers turning them into session events (the only gradio-importing package).

Every action goes through :meth:`mmrec.session.Session.submit`; HTML comes from :mod:`.render`. Each
browser holds one :class:`Visit` in ``gr.State``; the :class:`Engine` (models, catalog) is shared and
loaded once per process. Every file a client names goes through one :class:`~mmrec.media_gate.MediaGate`.
"""

from __future__ import annotations

import functools
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr
from gradio import utils as gr_utils

from ..audio import SAMPLE_RATE, load_audio
from ..catalog import Catalog
from ..engine import Engine
from ..errors import InputError, StudyError
from ..events import Dislike, Event, Like, Photo, Remove, Reset, Review, Undo, Voice
from ..images import load_image
from ..media_gate import Media, MediaGate
from ..recommender_config import INPUT_TYPES, RecommenderConfig, default_config
from ..session import Session
from .examples import Example, example_photos, example_reviews, example_voices, render_examples
from .profile_chips import CHIP_JS, render_chips
from .render import (
    Pin,
    focus_note,
    public,
    render_cards,
    render_history,
    render_message,
    render_status,
    render_understood,
    unavailable_note,
)
from .server import WebLimits

NO_FOCUS = ""
CHEAP, MODEL, SPEECH, STUDY = "cheap", "model", "speech", "study"
WORKERS = {CHEAP: 4, MODEL: 2, SPEECH: 1, STUDY: 1}
"""Queue (Gradio concurrency id) -> events of it run at once. Likes, focus, reset and page loads never wait
behind a text or photo encoding (``model``, one per core) or a Whisper decode (``speech``, which its
transcriber serialises anyway); study steps share one slot, as the study run's bookkeeping is not shared-safe.
Events of one visit still run one at a time (:attr:`Visit.lock`)."""
NEW_VISIT = "This starts a new session: the server no longer holds an earlier one for this page."
MAX_REVIEW_CHARS = 5000
"""The review box stops typing here (the server refuses longer texts anyway)."""

CARD_JS = """
let pinned = null;  // the card just liked or disliked, where it was on screen, and the turn that answers it
let shownTurn = '0';
const near = (selector) => element.parentElement.closest(`:has(${selector})`)?.querySelector(selector);
element.addEventListener('click', (e) => {
  const b = e.target.closest('[data-action]');
  if (!b || !element.contains(b)) return;
  const card = b.closest('.mm-card');
  const slot = [...element.querySelectorAll('.mm-card')].indexOf(card);
  if (b.dataset.action === 'like' || b.dataset.action === 'dislike') {
    pinned = {item: b.dataset.item, top: card.getBoundingClientRect().top, turn: String(Number(shownTurn) + 1)};
  }
  trigger('click', {action: b.dataset.action, item: b.dataset.item, key: b.dataset.key, slot});
  if (b.dataset.action === 'focus' && b.getAttribute('aria-pressed') !== 'true') {
    // "Review this": the review box is where the user goes next (when the review tab is the open one).
    const box = near('#mm-review textarea');
    if (box && box.offsetParent !== null) box.focus();
  }
});
const motion = () => matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
watch('value', () => {
  const list = element.querySelector('[data-turn]');
  const turn = list?.dataset.turn || '0';
  if (turn === shownTurn) return;
  shownTurn = turn;
  const live = near('.mm-live');
  if (live) live.textContent = list?.dataset.announce || '';
  const card = pinned?.turn === turn && element.querySelector(`.mm-card[data-item="${CSS.escape(pinned.item)}"]:has(.mm-pinned)`);
  if (card) {
    // The card under the finger stays under it, whatever the cards above it became.
    window.scrollBy(0, card.getBoundingClientRect().top - pinned.top);
    pinned = null;
    return;
  }
  pinned = null;
  // On a phone the list sits below the inputs: after an action there, bring the new list into view;
  // side by side, the list is in view and "What I understood" may be the part off screen.
  const controls = near('#mm-controls');
  const stacked = controls && element.getBoundingClientRect().top >= controls.getBoundingClientRect().bottom - 1;
  const target = stacked ? element.closest('#mm-list') || element : near('#mm-understood') || element;
  if (target.getBoundingClientRect().top > window.innerHeight * 0.8) {
    target.scrollIntoView({behavior: motion(), block: 'start'});
  }
});
"""
REVIEW_JS = """
// Ctrl+Enter (Cmd+Enter on a Mac) in the review box sends it; Enter alone adds a line. The panel is looked
// up on the key press: it is not all on the page yet when this runs.
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || !e.target.closest('#mm-review')) return;
  const panel = element.parentElement.closest(':has(#mm-send-review)');
  if (panel?.contains(e.target)) {
    e.preventDefault();
    panel.querySelector('#mm-send-review').click();
  }
});
"""
EXAMPLE_JS = """
element.addEventListener('click', (e) => {
  const b = e.target.closest('[data-action="example"]');
  if (b && element.contains(b)) trigger('click', {key: b.dataset.key});
});
"""


@dataclass
class Visit:
    """One browser's state: its session, and the last photo and clip it sent.

    Uploads are deleted from the server once read, so the bytes are kept here to let the same photo
    be sent again ("More like this", then "Not my style") without another upload.
    """

    session: Session
    media: dict[str, tuple[str, Media]] = field(default_factory=dict)
    """Input kind ('photo' / 'voice') -> (the upload's name on the client side, its bytes)."""
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    """Held by every handler of this visit: two events of one browser never touch its session at once."""


def queue(name: str) -> dict[str, Any]:
    """The listener options putting an event on queue ``name`` (see :data:`WORKERS`)."""
    return {"concurrency_id": name, "concurrency_limit": WORKERS[name]}


def one_at_a_time(handler: Callable[..., Any] | None = None, *, page_load: bool = False) -> Callable[..., Any]:
    """``handler(self, visit, ...)`` run under its visit's lock; its HTML outputs leave as :func:`ascii_html`.

    A browser without a visit gets a new one: on ``page_load`` that is how every visit begins; on an action
    it means the server no longer keeps this page's visit (see ``WebLimits.max_visits``), and a notice says so.
    """
    if handler is None:
        return functools.partial(one_at_a_time, page_load=page_load)

    @functools.wraps(handler)
    def run(self: App, visit: Visit | None, *args: Any, **kwargs: Any) -> Any:
        if visit is None:
            visit = self.new_visit()
            if not page_load:
                gr.Info(NEW_VISIT)
        with visit.lock:
            out = handler(self, visit, *args, **kwargs)
        return {k: ascii_html(v) if isinstance(k, gr.HTML) and isinstance(v, str) else v for k, v in out.items()}

    return run


def ascii_html(html: str) -> str:
    """``html`` with every non-ASCII character as a numeric reference (``👍`` -> ``&#128077;``).

    Gradio keeps each visit's last value of every output; one emoji makes Python store a whole string
    at four bytes a character, so the cards of 10 items took 56 KB per visit instead of 14 KB.
    """
    return html.encode("ascii", "xmlcharrefreplace").decode("ascii")


class App:
    """The widgets of one page and the handlers wiring them to a per-browser :class:`Visit`.

    With ``open_visits=False`` (a study) a visit exists only once the study has started the participant's
    session: an action arriving without one is refused instead of starting an unlogged session. Inputs
    outside ``inputs`` (session event types) are built invisible, so the page never renders them. With
    ``keep_in_place`` a card liked or disliked stays where it was in the next list (see :class:`Pin`).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        gate: MediaGate,
        top_k: int = 10,
        inline_images: bool = False,
        limits: WebLimits = WebLimits(),
        open_visits: bool = True,
        inputs: tuple[str, ...] = INPUT_TYPES,
        keep_in_place: bool = True,
    ) -> None:
        self.engine = engine
        self.open_visits = open_visits
        self.inputs = inputs
        self.keep_in_place = keep_in_place
        self.catalog = engine.catalog
        self.gate = gate
        self.config = default_config().with_overrides(top_k=top_k)
        """The config of every visit's session (built once: each would parse the defaults again)."""
        self.inline_images = inline_images
        self.limits = limits
        self.status = engine.status()
        self.photo_examples = example_photos(self.catalog)
        self.voice_examples = example_voices()

    @property
    def examples(self) -> list[Example]:
        return self.photo_examples + self.voice_examples

    def new_visit(self) -> Visit:
        if not self.open_visits:
            raise StudyError("this page has no session yet: reload it to continue the study")
        return Visit(Session(self.engine, config=self.config))

    @property
    def sweep(self) -> tuple[int, int]:
        """Gradio's ``delete_cache``: how often, and from what age, unused uploads are deleted."""
        return (self.limits.sweep_every_s, self.limits.upload_max_age_s)

    def build(self) -> gr.Blocks:
        with gr.Blocks(title="mmrec: multimodal recommender", analytics_enabled=False, delete_cache=self.sweep) as demo:
            self.state = gr.State(None)
            gr.HTML(
                '<header class="mm-header"><h1>mmrec</h1><p>Tell it what you like: write a review, say a rating, '
                "show a photo, or like and dislike items. The list re-ranks after every action and says why.</p></header>"
            )
            gr.HTML(render_status(self.status, self.catalog), elem_id="mm-status")
            self.recommender()
            demo.load(self.start, inputs=[self.state], outputs=self.outputs, **queue(CHEAP))
        return demo

    def recommender(self) -> None:
        """The inputs, the ranked list and the history, wired to ``self.state`` (made by the caller)."""
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=320, elem_id="mm-controls"):
                self._controls()
            with gr.Column(scale=3, min_width=320, elem_id="mm-list"):
                gr.HTML("<h2 class='mm-h2'>Recommended for you</h2><p class='mm-live' aria-live='polite'></p>")
                self._profile_row()
                self.gallery = gr.HTML(js_on_load=CARD_JS, elem_id="mm-gallery")
        with gr.Accordion("History: what each action changed", open=True, elem_id="mm-history-box"):
            self.history = gr.HTML(render_history([], self.catalog), elem_id="mm-history")
        self._wire()

    def show_visit(self, visit: Visit) -> dict:
        """Every widget of the recommender as ``visit`` left it (after a reload, or a new task)."""
        return {**self._view(visit, NO_FOCUS), self.gallery: self._cards(visit, None), self.review: ""}

    def _view(self, visit: Visit, focus: str) -> dict:
        """The outputs of every action but the list and the review box, as ``visit`` stands with ``focus``.

        Handlers give each of these a value rather than skip it: the framework keeps a copy of a skipped
        component for every visit. The review box only a review's own event sets (other events cannot know
        what is typed in it); the list, an action that leaves it unchanged (an error, a refusal) skips.
        """
        history = visit.session.history
        out: dict[Any, Any] = {box: "" for box in self.messages}
        out.update(
            {
                self.state: visit,
                self.understood: render_understood(history[-1] if history else None, self.catalog),
                self.history: render_history(history, self.catalog),
                self.focus: focus,
                self.focus_note: focus_note(self.catalog, focus or None),
                self.chips: self._chips(visit),
            }
        )
        return out

    def _profile_row(self) -> None:
        """The chips of the profile, each removable, and Undo (see :mod:`.profile_chips`)."""
        self.chips = gr.HTML(render_chips([], undoable=False), js_on_load=CHIP_JS, elem_id="mm-chips")
        self.chips_msg = gr.HTML(elem_id="mm-chips-msg")

    def _chips(self, visit: Visit) -> str:
        session = visit.session
        chips = session.history[-1].chips if session.history else []
        return render_chips(chips, undoable=session.undoable)

    def _controls(self) -> None:
        choices = [("— none: general requests —", NO_FOCUS)] + _item_choices(self.catalog)
        self.focus = gr.Dropdown(choices, value=NO_FOCUS, label="Item in focus", elem_id="mm-focus", filterable=True)
        self.focus_note = gr.HTML(focus_note(self.catalog, None), elem_id="mm-focus-note")
        with gr.Row(visible="like" in self.inputs):
            self.like = gr.Button("👍 Like", elem_id="mm-like", size="sm", min_width=80)
            self.dislike = gr.Button("👎 Dislike", elem_id="mm-dislike", size="sm", min_width=80)
        self.feedback_msg = gr.HTML(elem_id="mm-feedback-msg")
        offered = [tab for tab in ("review", "voice", "photo") if tab in self.inputs]
        with gr.Tabs(selected=offered[0] if offered else None):
            with gr.Tab("✍️ Review", id="review", elem_id="mm-tab-review", visible="review" in offered):
                self.review = gr.Textbox(
                    label="Your review or request",
                    placeholder="e.g. I want a warm jacket for running, not black",
                    info="Ctrl+Enter (⌘+Enter) sends",
                    lines=2,
                    max_length=MAX_REVIEW_CHARS,
                    elem_id="mm-review",
                )
                self.send_review = gr.Button("Send review", variant="primary", elem_id="mm-send-review")
                self.review_msg = gr.HTML(js_on_load=REVIEW_JS, elem_id="mm-review-msg")
                gr.Examples([[t] for t in example_reviews(self.catalog)], inputs=[self.review], label="Example reviews")
            with gr.Tab("🎙️ Voice", id="voice", elem_id="mm-tab-voice", visible="voice" in offered):
                speech = self.status.get("speech")
                gr.HTML(unavailable_note(speech, "Voice input"))
                self.audio = gr.Audio(
                    sources=["microphone", "upload"],
                    type="filepath",
                    label="Voice rating: record or upload a clip",
                    interactive=speech is None or speech.available,
                    elem_id="mm-audio",
                )
                self.send_voice = gr.Button("Send voice rating", variant="primary", elem_id="mm-send-voice")
                self.voice_msg = gr.HTML(elem_id="mm-voice-msg")
                self.voice_example_list = gr.HTML(
                    render_examples(self.voice_examples, title="Example voice ratings", thumbnails=False),
                    js_on_load=EXAMPLE_JS,
                    elem_id="mm-voice-examples",
                )
            with gr.Tab("📷 Photo", id="photo", elem_id="mm-tab-photo", visible="photo" in offered):
                image = self.status.get("image")
                gr.HTML(unavailable_note(image, "Photo input"))
                self.photo = gr.Image(
                    sources=["upload", "webcam", "clipboard"],
                    type="filepath",
                    label="Product photo: upload or snap one",
                    interactive=image is None or image.available,
                    height=240,
                    elem_id="mm-photo",
                )
                with gr.Row():
                    self.more = gr.Button("💚 More like this", variant="primary", elem_id="mm-more", min_width=120)
                    self.less = gr.Button("🚫 Not my style", elem_id="mm-less", min_width=120)
                self.photo_msg = gr.HTML(elem_id="mm-photo-msg")
                self.photo_example_list = gr.HTML(
                    render_examples(self.photo_examples, title="Example photos", thumbnails=True),
                    js_on_load=EXAMPLE_JS,
                    elem_id="mm-photo-examples",
                )
        gr.HTML("<h2 class='mm-h2'>What I understood</h2>")
        self.understood = gr.HTML(render_understood(None, self.catalog), elem_id="mm-understood")
        self.reset = gr.Button("↺ Start over", variant="secondary", elem_id="mm-reset")

    def _wire(self) -> None:
        self.messages = [self.feedback_msg, self.review_msg, self.voice_msg, self.photo_msg, self.chips_msg]
        self.outputs = outputs = [
            self.state,
            self.gallery,
            self.understood,
            self.history,
            self.focus,
            self.focus_note,
            self.review,
            *self.messages,
            self.chips,  # last, so that API clients' positions of the other outputs hold
        ]
        listen = {"outputs": outputs, "show_progress": "minimal"}
        cheap, model, speech = ({**listen, **queue(name)} for name in (CHEAP, MODEL, SPEECH))
        review = self.send_review.click(self.on_review, [self.state, self.focus, self.review], **model)
        # Media reach mmrec as the client named them (preprocess=False): the gate checks every path, and
        # mmrec's decoders explain an unreadable file.
        self.actions = [
            review,
            self.send_voice.click(self.on_voice, [self.state, self.focus, self.audio], preprocess=False, **speech),
            self.more.click(self.on_photo_more, [self.state, self.focus, self.photo], preprocess=False, **model),
            self.less.click(self.on_photo_less, [self.state, self.focus, self.photo], preprocess=False, **model),
            self.like.click(self.on_like, [self.state, self.focus], **cheap),
            self.dislike.click(self.on_dislike, [self.state, self.focus], **cheap),
            self.reset.click(self.on_reset, [self.state], **cheap),
            self.gallery.click(self.on_card, [self.state, self.focus], **cheap),
            self.chips.click(self.on_chip, [self.state, self.focus], **cheap),
        ]
        """The events that may submit an interaction (a caller can chain on them with ``.then``)."""
        self.focus.input(self.on_focus, [self.state, self.focus], **cheap)
        self.photo_example_list.click(self.on_example, None, [self.photo], **queue(CHEAP))
        self.voice_example_list.click(self.on_example, None, [self.audio], **queue(CHEAP))

    # --- handlers: each returns a value for every output it may change (see _view) ---

    @one_at_a_time(page_load=True)
    def start(self, visit: Visit) -> dict:
        return self.show_visit(visit)

    @one_at_a_time
    def on_review(self, visit: Visit, focus: str, text: str) -> dict:
        out = self._submit(visit, focus, Review(text or "", focus or None), self.review_msg, clears_focus=True)
        if not out[self.review_msg]:
            out[self.review] = ""
        return out

    @one_at_a_time
    def on_voice(self, visit: Visit, focus: str, upload: Any) -> dict:
        try:
            clip = self._media(visit, "voice", upload)
        except InputError as e:
            return self._complain(visit, self.voice_msg, str(e), focus)
        if clip is None:
            return self._complain(
                visit, self.voice_msg, "Record a voice rating with the microphone or upload an audio clip first.", focus
            )
        return self._submit(visit, focus, Voice(clip.data, focus or None), self.voice_msg, clears_focus=True)

    @one_at_a_time
    def on_photo_more(self, visit: Visit, focus: str, upload: Any) -> dict:
        return self._photo(visit, focus, upload, "more")

    @one_at_a_time
    def on_photo_less(self, visit: Visit, focus: str, upload: Any) -> dict:
        return self._photo(visit, focus, upload, "less")

    def _photo(self, visit: Visit, focus: str, upload: Any, polarity: str) -> dict:
        try:
            photo = self._media(visit, "photo", upload)
        except InputError as e:
            return self._complain(visit, self.photo_msg, str(e), focus)
        if photo is None:
            return self._complain(
                visit,
                self.photo_msg,
                "Upload or snap a photo first, then choose “More like this” or “Not my style”.",
                focus,
            )
        return self._submit(visit, focus, Photo(photo.data, polarity), self.photo_msg)

    def _media(self, visit: Visit, kind: str, upload: Any) -> Media | None:
        """The bytes of the file a client sent for ``kind`` (None if it sent none), through the gate.

        The one way into a handler for a client-named file: the gate checks where it lies and deletes
        an upload once read; the visit keeps the bytes in case the same upload is sent again.
        """
        path = upload.get("path") if isinstance(upload, dict) else upload
        if not path:
            return None
        kept = visit.media.get(kind)
        if kept is not None and kept[0] == path:
            return kept[1]
        media = self.gate.read(path, max_bytes=self.limits.max_upload_bytes)  # refuses anything but a path
        visit.media[kind] = (path, media)
        return media

    def on_example(self, evt: gr.EventData) -> Any:
        """An example photo or clip, loaded into its input by key (decoded here, so no path leaves the server)."""
        data = evt._data if isinstance(evt._data, dict) else {}
        example = next((ex for ex in self.examples if ex.key == data.get("key")), None)
        if example is None:
            return gr.skip()
        if example in self.photo_examples:
            return load_image(example.path)
        return SAMPLE_RATE, load_audio(example.path)

    @one_at_a_time
    def on_like(self, visit: Visit, focus: str) -> dict:
        return self._feedback(visit, focus, focus, like=True)

    @one_at_a_time
    def on_dislike(self, visit: Visit, focus: str) -> dict:
        return self._feedback(visit, focus, focus, like=False)

    def _feedback(
        self, visit: Visit, focus: str, item: str, *, like: bool, toast: bool = False, pin: Pin | None = None
    ) -> dict:
        """A like or dislike; ``pin`` keeps the card it came from where it was."""
        if not item:
            return self._complain(
                visit,
                self.feedback_msg,
                "Pick an item first: choose “Review this” on a card or an item under “Item in focus”.",
                focus,
            )
        event = Like(item) if like else Dislike(item)
        return self._submit(visit, focus, event, self.feedback_msg, toast=toast, pin=pin)

    @one_at_a_time
    def on_reset(self, visit: Visit) -> dict:
        return self._submit(visit, NO_FOCUS, Reset(), self.feedback_msg)

    @one_at_a_time
    def on_card(self, visit: Visit, focus: str, evt: gr.EventData) -> dict:
        data = evt._data if isinstance(evt._data, dict) else {}
        action, item = data.get("action"), data.get("item")
        if item not in self.catalog:
            return {}
        if action in ("like", "dislike"):
            slot = data.get("slot")
            pin = Pin(item, slot if isinstance(slot, int) else len(visit.session.shown), action)
            return self._feedback(
                visit, focus, item, like=action == "like", toast=True, pin=pin if self.keep_in_place else None
            )
        if action == "focus":
            return self.on_focus(visit, NO_FOCUS if item == focus else item)
        return {}

    @one_at_a_time
    def on_chip(self, visit: Visit, focus: str, evt: gr.EventData) -> dict:
        """A chip's remove button or Undo: the profile changes and the list re-renders."""
        data = evt._data if isinstance(evt._data, dict) else {}
        if data.get("action") == "undo":
            return self._submit(visit, focus, Undo(), self.chips_msg)
        if data.get("action") == "remove" and isinstance(data.get("chip"), str):
            return self._submit(visit, focus, Remove(data["chip"]), self.chips_msg)
        return {}

    @one_at_a_time
    def on_focus(self, visit: Visit, focus: str) -> dict:
        focus = focus if focus in self.catalog else NO_FOCUS
        return {**self._view(visit, focus), self.gallery: self._cards(visit, focus)}

    def _submit(
        self,
        visit: Visit,
        focus: str,
        event: Event,
        message: gr.HTML,
        *,
        toast: bool = False,
        pin: Pin | None = None,
        clears_focus: bool = False,
    ) -> dict:
        """Send ``event``; an error goes to ``message`` beside its input (and a toast when that may be off screen).

        ``pin`` keeps a card in place in the new list; ``clears_focus``: once sent, a review or voice rating
        about the item in focus ends that focus (the focus note says so).
        """
        turn = visit.session.submit(event)
        if turn.listener_errors:
            gr.Warning("Your last action could not be saved to the study log; please repeat it.")
        if turn.error is not None:
            if toast:
                gr.Warning(public(turn.error))
            return {**self._view(visit, focus), message: render_message(turn.error)}
        sent = clears_focus and focus
        after = NO_FOCUS if sent else focus
        out = self._view(visit, after)
        if sent:
            out[self.focus_note] = focus_note(self.catalog, None, sent=focus)
        out[self.gallery] = self._cards(visit, after, turn.changes, pin)
        return out

    def _complain(self, visit: Visit, message: gr.HTML, text: str, focus: str) -> dict:
        return {**self._view(visit, focus), message: render_message(text)}

    def _cards(
        self, visit: Visit, focus: str | None, changes: dict[str, list[str]] | None = None, pin: Pin | None = None
    ) -> str:
        config: RecommenderConfig = visit.session.config
        return render_cards(
            self.catalog,
            visit.session.shown,
            turn=visit.session.turn,
            focus=focus or None,
            changes=changes,
            pin=pin,
            liked=visit.session.profile.liked,
            inline_images=self.inline_images,
            explain=config.explanations,
            feedback="like" in config.inputs,
        )


def _item_choices(catalog: Catalog) -> list[tuple[str, str]]:
    counts = Counter(item.name for item in catalog)
    return [(item.name if counts[item.name] == 1 else f"{item.name} ({item.id})", item.id) for item in catalog]


def build_app(
    engine: Engine, *, top_k: int = 10, inline_images: bool = False, limits: WebLimits = WebLimits()
) -> tuple[gr.Blocks, App]:
    """The whole page for ``engine``'s catalog, queued (see :data:`WORKERS`), and its :class:`App`."""
    app = new_app(engine, top_k=top_k, inline_images=inline_images, limits=limits)
    return queued(app.build()), app


def new_app(engine: Engine, *, open_visits: bool = True, **options: Any) -> App:
    """An :class:`App` for ``engine`` whose media gate knows the catalog's photo folders and the upload folder."""
    upload_folder = gr_utils.get_upload_folder()
    catalog_folders = {item.image.parent for item in engine.catalog if item.image is not None}
    gate = MediaGate(catalog_folders, consume=[upload_folder])
    return App(engine, gate=gate, open_visits=open_visits, **options)


def queued(demo: gr.Blocks) -> gr.Blocks:
    """``demo`` queued: each event on its queue of :data:`WORKERS` (one slot for any event given none)."""
    demo.queue(default_concurrency_limit=1, max_size=64)
    return demo


def launch_options(*, api_docs: bool = False) -> dict[str, Any]:
    """Mounting options giving mmrec's look and behaviour (no tracebacks or server paths to clients)."""
    return {
        "theme": gr.themes.Soft(primary_hue="indigo", secondary_hue="pink"),
        "css": CSS,
        "show_error": False,
        "run_history": False,
        "footer_links": ["api", "gradio"] if api_docs else ["gradio"],
    }


CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
