"""The Gradio app: one screen for the whole feedback loop (the only module that imports gradio).

Every action goes through :meth:`mmrec.session.Session.submit`; this module only turns widgets into
events and turns, lists and statuses into HTML. One :class:`Session` lives in each browser's
``gr.State``; the :class:`Engine` (models, catalog) is shared and loaded once per process.
"""

from __future__ import annotations

import base64
import html
import json
import mimetypes
import urllib.parse
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import gradio as gr

from .catalog import Catalog, Item
from .encoders.base import Status
from .engine import Engine
from .errors import UnknownItemError
from .events import Dislike, Event, Like, Photo, Reset, Review, Voice
from .ranking import RankedItem
from .session import Session, Turn

ROOT = Path(__file__).resolve().parent.parent
VOICE_EXAMPLES = ROOT / "assets" / "voice" / "examples"
PHOTO_EXAMPLES = ROOT / "assets" / "examples" / "photos"
AUDIO_SUFFIXES = (".wav", ".ogg", ".mp3", ".flac", ".m4a", ".webm")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
MODALITY_LABELS = {
    "text": "Text",
    "image": "Photo",
    "clip_text": "Words→photo",
    "attributes": "Attributes",
    "prior": "Ratings",
    "diversity": "Variety",
}
STATUS_LABELS = {"text": "Reviews", "image": "Photos", "clip_text": "Words→photos", "speech": "Voice"}
NO_FOCUS = ""
QUEUE = "recommender"
"""Every event that reads or changes a session shares this queue slot: one model call at a time."""

CARD_JS = """
element.addEventListener('click', (e) => {
  const b = e.target.closest('[data-action]');
  if (b && element.contains(b)) trigger('click', {action: b.dataset.action, item: b.dataset.item});
});
let shownTurn = '0';
watch('value', () => {
  // On a phone the list sits below the inputs: after an action, bring its outcome into view if off screen.
  const turn = element.querySelector('[data-turn]')?.dataset.turn || '0';
  const target = document.getElementById('mm-understood') || element;
  if (turn !== shownTurn && target.getBoundingClientRect().top > window.innerHeight * 0.8) {
    target.scrollIntoView({behavior: 'smooth'});
  }
  shownTurn = turn;
});
"""


# --- rendering: plain functions of catalog, lists and turns -------------------------------------------


def esc(value: Any) -> str:
    """``value`` as text safe inside HTML content and quoted attributes."""
    return html.escape(str(value), quote=True)


def image_src(path: Path | None, *, inline: bool = False) -> str | None:
    """How a card's <img> finds a catalog photo: Gradio's file route, or a data URI when ``inline``."""
    if path is None:
        return None
    return _data_uri(str(path)) if inline else "/gradio_api/file=" + urllib.parse.quote(str(path), safe="/")


@cache
def _data_uri(path: str) -> str:
    mime = mimetypes.guess_type(path)[0] or "image/jpeg"
    return f"data:{mime};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def format_price(price: float | None) -> str:
    return f"${price:,.2f}" if price else ""


def render_status(status: dict[str, Status], catalog: Catalog) -> str:
    """Chips saying which encoder runs each modality; why one is degraded or unavailable, under "Why?"."""
    chips, reasons = [], []
    for name in sorted(status, key=lambda n: list(STATUS_LABELS).index(n) if n in STATUS_LABELS else 99):
        s = status[name]
        kind = "off" if not s.available else "warn" if s.degraded else "ok"
        icon = {"ok": "●", "warn": "▲", "off": "✕"}[kind]
        label = STATUS_LABELS.get(name, name)
        state = {"ok": s.model, "warn": f"{s.model} · degraded", "off": "unavailable"}[kind]
        chips.append(
            f'<li class="mm-status-{kind}" data-modality="{esc(name)}" title="{esc(s.describe())}">'
            f'<span aria-hidden="true">{icon}</span> <b>{esc(label)}</b> <span class="mm-status-model">{esc(state)}</span></li>'
        )
        if kind != "ok":
            reasons.append(f"<li><b>{esc(label)}</b>: {esc(s.describe())}</li>")
    why = f'<details class="mm-why"><summary>Why?</summary><ul>{"".join(reasons)}</ul></details>' if reasons else ""
    issues = ""
    if catalog.issues:
        listed = "".join(f"<li>{esc(str(issue))}</li>" for issue in catalog.issues)
        summary = f"{len(catalog.issues)} catalog records skipped or fixed"
        issues = f'<details class="mm-why mm-issues"><summary>{summary}</summary><ul>{listed}</ul></details>'
    return (
        f'<div class="mm-status" aria-label="Model status"><ul class="mm-chips">{"".join(chips)}</ul>{why}'
        f'<p class="mm-catalog">Catalog <b>{esc(catalog.name)}</b>: {len(catalog)} items</p>{issues}</div>'
    )


def render_cards(
    catalog: Catalog,
    ranked: Sequence[RankedItem],
    *,
    turn: int = 0,
    focus: str | None = None,
    changes: dict[str, list[str]] | None = None,
    liked: set[str] | frozenset[str] = frozenset(),
    inline_images: bool = False,
) -> str:
    """The ranked list as product cards: photo, name, price, score, contribution bars, reason, actions."""
    if not ranked:
        return (
            f'<div class="mm-empty" data-turn="{turn}" role="status">No item matches every filter you set. '
            "Loosen a filter with a new review (for example “any colour is fine”) or start over.</div>"
        )
    changes = changes or {}
    badges = {i: ("mm-new", "new") for i in changes.get("entered", [])}
    badges.update({i: ("mm-up", "▲ up") for i in changes.get("rose", [])})
    badges.update({i: ("mm-down", "▼ down") for i in changes.get("fell", [])})
    scale = max((abs(c) for r in ranked for c in r.contributions.values()), default=0.0) or 1.0
    cards = [
        _card(
            n,
            catalog.get(r.id),
            r,
            focused=r.id == focus,
            badge=badges.get(r.id),
            liked=r.id in liked,
            scale=scale,
            inline=inline_images,
        )
        for n, r in enumerate(ranked, 1)
    ]
    return f'<ol class="mm-grid" data-turn="{turn}" aria-label="Recommended items, best first">{"".join(cards)}</ol>'


def _card(
    rank: int,
    item: Item,
    r: RankedItem,
    *,
    focused: bool,
    badge: tuple[str, str] | None,
    liked: bool,
    scale: float,
    inline: bool,
) -> str:
    name, item_id = esc(item.name), esc(item.id)
    src = image_src(item.image, inline=inline)
    picture = (
        f'<img src="{esc(src)}" alt="" loading="lazy" width="96" height="96">'
        if src
        else f'<span class="mm-noimg" aria-hidden="true">{esc(item.name[:1].upper())}</span>'
    )
    tags = [f'<span class="mm-badge {badge[0]}">{badge[1]}</span>'] if badge else []
    if liked:
        tags.append('<span class="mm-badge mm-liked">liked</span>')
    meta = " · ".join(esc(p) for p in (format_price(item.price), item.leaf_category, item.color) if p)
    return (
        f'<li class="mm-card{" mm-focused" if focused else ""}" data-item="{item_id}">'
        f'<button class="mm-pick" data-action="focus" data-item="{item_id}" aria-pressed="{str(focused).lower()}" '
        f'aria-label="Put {name} in focus"><span class="mm-rank">{rank}</span>{picture}</button>'
        f'<div class="mm-body"><div class="mm-title"><span class="mm-name">{name}</span>{"".join(tags)}</div>'
        f'<div class="mm-meta">{meta}<span class="mm-score" title="fused score">score {r.score:+.3f}</span></div>'
        f"{_bars(r.contributions, scale)}"
        f'<p class="mm-reason">{esc(r.reason)}</p>'
        f'<div class="mm-actions">'
        f'<button data-action="like" data-item="{item_id}" aria-label="Like {name}">👍 Like</button>'
        f'<button data-action="dislike" data-item="{item_id}" aria-label="Dislike {name}">👎 Dislike</button>'
        f"</div></div></li>"
    )


def _bars(contributions: dict[str, float], scale: float) -> str:
    """One chip per modality that moved the score noticeably: a bar as long as its share, + or −."""
    chips = []
    for modality, value in sorted(contributions.items(), key=lambda kv: -abs(kv[1])):
        if abs(value) < 0.005:
            continue
        sign = "pos" if value > 0 else "neg"
        label = MODALITY_LABELS.get(modality, modality)
        width = max(8, round(40 * abs(value) / scale))
        chips.append(
            f'<span class="mm-chip mm-{sign}" title="{esc(label)} contribution {value:+.3f}">'
            f'<span class="mm-bar" style="width:{width}px" aria-hidden="true"></span>{esc(label)} {value:+.2f}</span>'
        )
    return f'<div class="mm-bars">{"".join(chips)}</div>' if chips else ""


def _stars(rating: float) -> str:
    full = int(rating)
    half = rating - full >= 0.5
    return "★" * full + ("½" if half else "") + "☆" * (5 - full - int(half))


def render_understood(turn: Turn | None, catalog: Catalog) -> str:
    """What the last action was understood as: transcript, rating, sentiment, filters, terms, timing."""
    if turn is None:
        return (
            '<p class="mm-muted">Nothing yet. Write a review, send a voice rating, share a photo or like an item.</p>'
        )
    if turn.error is not None:
        return f'<p class="mm-muted">Turn {turn.turn}: not applied ({esc(turn.error)}). Your list is unchanged.</p>'
    u = turn.understood
    rows: list[tuple[str, str]] = []
    action = u.get("action")
    if action in ("like", "dislike"):
        rows.append(("You", f"{'liked' if action == 'like' else 'disliked'} {esc(_name(catalog, u.get('item')))}"))
    elif action == "photo":
        how = "more like this" if u.get("polarity") == "more" else "not my style"
        rows.append(("Photo", f"{how} (compared by {esc(u.get('encoder', 'the image encoder'))})"))
    elif action == "reset":
        rows.append(("Reset", "profile cleared; showing the starting list"))
    if u.get("transcript"):
        rows.append(("Heard", f"“{esc(u['transcript'])}”"))
    if u.get("item") and action not in ("like", "dislike"):
        rows.append(("About", esc(_name(catalog, u["item"]))))
    if isinstance(u.get("rating"), (int, float)):
        rows.append(
            (
                "Rating",
                f'<span class="mm-stars" aria-label="{u["rating"]:g} of 5 stars">{_stars(float(u["rating"]))}</span> {u["rating"]:g}/5',
            )
        )
    if u.get("label") is not None:
        score = u.get("sentiment")
        shown = f" ({score:+.2f})" if isinstance(score, (int, float)) else ""
        rows.append(("Sentiment", f"{esc(u['label'])}{shown}"))
    if u.get("intent"):
        rows.append(("Intent", esc(u["intent"])))
    for key, label in (("wants", "Wants"), ("avoids", "Avoids")):
        if u.get(key):
            rows.append((label, " ".join(f'<span class="mm-term">{esc(t)}</span>' for t in u[key])))
    filters = _filters_text(u.get("filters") or {})
    if filters:
        rows.append(("Filters", filters))
    rows.append(("Took", f"{turn.seconds:.2f} s" if turn.seconds >= 0.1 else f"{turn.seconds * 1000:.0f} ms"))
    body = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<dl class="mm-understood" data-turn="{turn.turn}">{body}</dl>'


def _filters_text(filters: dict[str, Any]) -> str:
    parts = []
    for key, value in filters.items():
        if value in (None, False, [], (), "", {}):
            continue
        label = key.replace("_", " ")
        if "price" in key and isinstance(value, (int, float)):
            shown = format_price(float(value))
        elif isinstance(value, (list, tuple)):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = "yes" if value is True else str(value)
        parts.append(f'<span class="mm-term">{esc(label)}: {esc(shown)}</span>')
    return " ".join(parts)


def render_history(history: Sequence[Turn], catalog: Catalog, *, limit: int = 30) -> str:
    """Every action, newest first, with what it did to the list (by item name)."""
    if not history:
        return '<p class="mm-muted">Your actions and how each one moved the list will appear here.</p>'
    rows = []
    for turn in list(history)[::-1][:limit]:
        if turn.error is not None:
            effect = f'<span class="mm-err-text">not applied: {esc(turn.error)}</span>'
        else:
            effect = _changes_text(turn.changes, catalog) or "no change to the list"
        rows.append(
            f'<li><span class="mm-turn">{turn.turn}</span><div><div class="mm-what">{_describe(turn, catalog)}</div>'
            f'<div class="mm-effect">{effect}</div></div></li>'
        )
    return f'<ol class="mm-history" aria-label="History, newest first">{"".join(rows)}</ol>'


def _describe(turn: Turn, catalog: Catalog) -> str:
    event, u = turn.event, turn.understood
    kind = event.get("type", "")
    about = f" about {esc(_name(catalog, event['item']))}" if event.get("item") else ""
    if kind == "review":
        return f"✍️ Review{about}: “{esc(_short(event.get('text', '')))}”"
    if kind == "voice":
        heard = f": “{esc(_short(u['transcript']))}”" if u.get("transcript") else ""
        stars = f" {_stars(float(u['rating']))}" if isinstance(u.get("rating"), (int, float)) else ""
        return f"🎙️ Voice rating{about}{heard}{stars}"
    if kind == "photo":
        return "📷 Photo: " + ("more like this" if event.get("polarity") == "more" else "not my style")
    if kind in ("like", "dislike"):
        return f"{'👍 Liked' if kind == 'like' else '👎 Disliked'} {esc(_name(catalog, event.get('item')))}"
    if kind == "reset":
        return "↺ Started over"
    return esc(kind)


def _changes_text(changes: dict[str, list[str]], catalog: Catalog) -> str:
    parts = []
    for key, label in (("entered", "entered"), ("left", "left"), ("rose", "rose"), ("fell", "fell")):
        ids = changes.get(key) or []
        if ids:
            names = ", ".join(esc(_name(catalog, i)) for i in ids[:3])
            more = f" +{len(ids) - 3} more" if len(ids) > 3 else ""
            parts.append(f'<span class="mm-{key}">{label}: {names}{more}</span>')
    return " · ".join(parts)


def _name(catalog: Catalog, item_id: str | None) -> str:
    try:
        return catalog.get(str(item_id)).name
    except UnknownItemError:
        return str(item_id)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_message(text: str | None) -> str:
    """An error next to the input that caused it (empty when there is none)."""
    return f'<div class="mm-error" role="alert">⚠️ {esc(text)}</div>' if text else ""


def focus_note(catalog: Catalog, focus: str | None) -> str:
    if not focus:
        return '<p class="mm-focus-note">No item in focus: reviews and voice ratings describe what you want in general.</p>'
    item = catalog.get(focus)
    price = f" ({format_price(item.price)})" if item.price else ""
    return f'<p class="mm-focus-note">Reviews and voice ratings you send now are about <b>{esc(item.name)}</b>{esc(price)}.</p>'


def unavailable_note(status: Status | None, what: str) -> str:
    if status is None or status.available:
        return ""
    return f'<div class="mm-unavailable" role="note">{esc(what)} unavailable: {esc(status.reason)}</div>'


# --- examples ----------------------------------------------------------------------------------------


def example_reviews(catalog: Catalog) -> list[str]:
    """A few reviews in this catalog's own words (its commonest categories and colours)."""
    leaves = [c for c, _ in Counter(i.leaf_category for i in catalog if i.leaf_category).most_common(2)] or ["item"]
    colors = [c for c, _ in Counter(i.color for i in catalog if i.color).most_common(2)] or ["black"]
    other = colors[1] if len(colors) > 1 else colors[0]
    return [
        f"Show me {leaves[0].lower()} in {colors[0].lower()}",
        f"Something cheaper please, and not {other.lower()}",
        "I love this one, five stars!",
        "Too flashy for me. I prefer simple, comfortable things",
        f"More {leaves[-1].lower()} like this, but more premium",
    ]


def example_photos(catalog: Catalog, count: int = 4) -> list[str]:
    """Example photos: ``assets/examples/photos`` if present, else photos of a few different catalog categories."""
    if PHOTO_EXAMPLES.is_dir():
        found = sorted(str(p) for p in PHOTO_EXAMPLES.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
        if found:
            return found[:count]
    picked: dict[str, str] = {}
    for item in catalog:
        if item.image is not None and item.category not in picked:
            picked[item.category] = str(item.image)
    return list(picked.values())[:count]


def example_voices() -> tuple[list[str], list[str]]:
    """Voice clips in ``assets/voice/examples`` and labels (what is said, from ``clips.jsonl``)."""
    if not VOICE_EXAMPLES.is_dir():
        return [], []
    clips = sorted(p for p in VOICE_EXAMPLES.iterdir() if p.suffix.lower() in AUDIO_SUFFIXES)
    said: dict[str, str] = {}
    spec = VOICE_EXAMPLES.parent / "clips.jsonl"
    if spec.is_file():
        for line in spec.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                said[Path(record.get("file", "")).stem] = record.get("text") or ""
    return [str(p) for p in clips], [f"“{said[p.stem]}”" if said.get(p.stem) else p.stem for p in clips]


def served_folders(catalog: Catalog) -> list[Path]:
    """Folders whose files the page may load: catalog photos and the example clips and photos."""
    folders = {item.image.parent for item in catalog if item.image is not None}
    folders.update(p for p in (VOICE_EXAMPLES, PHOTO_EXAMPLES) if p.is_dir())
    return sorted(folders)


# --- the app -----------------------------------------------------------------------------------------


class App:
    """The widgets of one page and the handlers wiring them to a per-browser :class:`Session`."""

    def __init__(self, engine: Engine, *, top_k: int = 10, inline_images: bool = False) -> None:
        self.engine = engine
        self.catalog = engine.catalog
        self.top_k = top_k
        self.inline_images = inline_images
        self.status = engine.status()

    def new_session(self) -> Session:
        return Session(self.engine, top_k=self.top_k)

    def build(self) -> gr.Blocks:
        gr.set_static_paths(served_folders(self.catalog))
        with gr.Blocks(title="mmrec: multimodal recommender", analytics_enabled=False) as demo:
            self.state = gr.State(None)
            gr.HTML(
                '<header class="mm-header"><h1>mmrec</h1><p>Tell it what you like: write a review, say a rating, '
                "show a photo, or like and dislike items. The list re-ranks after every action and says why.</p></header>"
            )
            gr.HTML(render_status(self.status, self.catalog), elem_id="mm-status")
            with gr.Row(equal_height=False):
                with gr.Column(scale=2, min_width=320, elem_id="mm-controls"):
                    self._controls()
                with gr.Column(scale=3, min_width=320):
                    gr.HTML("<h2 class='mm-h2'>Recommended for you</h2>")
                    self.gallery = gr.HTML(js_on_load=CARD_JS, elem_id="mm-gallery")
            with gr.Accordion("History: what each action changed", open=True, elem_id="mm-history-box"):
                self.history = gr.HTML(render_history([], self.catalog), elem_id="mm-history")
            self._wire(demo)
        return demo

    def _controls(self) -> None:
        choices = [("— none: general requests —", NO_FOCUS)] + _item_choices(self.catalog)
        self.focus = gr.Dropdown(choices, value=NO_FOCUS, label="Item in focus", elem_id="mm-focus", filterable=True)
        self.focus_note = gr.HTML(focus_note(self.catalog, None), elem_id="mm-focus-note")
        with gr.Row():
            self.like = gr.Button("👍 Like", elem_id="mm-like", size="sm", min_width=80)
            self.dislike = gr.Button("👎 Dislike", elem_id="mm-dislike", size="sm", min_width=80)
        self.feedback_msg = gr.HTML(elem_id="mm-feedback-msg")
        with gr.Tabs():
            with gr.Tab("✍️ Review", elem_id="mm-tab-review"):
                self.review = gr.Textbox(
                    label="Your review or request",
                    placeholder="e.g. I want a warm jacket for running, not black",
                    lines=2,
                    elem_id="mm-review",
                )
                self.send_review = gr.Button("Send review", variant="primary", elem_id="mm-send-review")
                self.review_msg = gr.HTML(elem_id="mm-review-msg")
                gr.Examples([[t] for t in example_reviews(self.catalog)], inputs=[self.review], label="Example reviews")
            with gr.Tab("🎙️ Voice", elem_id="mm-tab-voice"):
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
                clips, labels = example_voices()
                if clips:
                    gr.Examples(
                        [[c] for c in clips], inputs=[self.audio], example_labels=labels, label="Example voice ratings"
                    )
            with gr.Tab("📷 Photo", elem_id="mm-tab-photo"):
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
                photos = example_photos(self.catalog)
                if photos:
                    gr.Examples([[p] for p in photos], inputs=[self.photo], label="Example photos")
        gr.HTML("<h2 class='mm-h2'>What I understood</h2>")
        self.understood = gr.HTML(render_understood(None, self.catalog), elem_id="mm-understood")
        self.reset = gr.Button("↺ Start over", variant="secondary", elem_id="mm-reset")

    def _wire(self, demo: gr.Blocks) -> None:
        self.messages = [self.feedback_msg, self.review_msg, self.voice_msg, self.photo_msg]
        outputs = [
            self.state,
            self.gallery,
            self.understood,
            self.history,
            self.focus,
            self.focus_note,
            self.review,
            *self.messages,
        ]
        listen = {"outputs": outputs, "concurrency_id": QUEUE, "show_progress": "minimal"}
        demo.load(self.start, inputs=[self.state], outputs=outputs)
        gr.on(
            [self.send_review.click, self.review.submit],
            self.on_review,
            [self.state, self.focus, self.review],
            **listen,
        )
        self.send_voice.click(self.on_voice, [self.state, self.focus, self.audio], **listen)
        # Photos reach mmrec undecoded (preprocess=False), so an unreadable file gets mmrec's explanation.
        self.more.click(self.on_photo_more, [self.state, self.focus, self.photo], preprocess=False, **listen)
        self.less.click(self.on_photo_less, [self.state, self.focus, self.photo], preprocess=False, **listen)
        self.like.click(self.on_like, [self.state, self.focus], **listen)
        self.dislike.click(self.on_dislike, [self.state, self.focus], **listen)
        self.reset.click(self.on_reset, [self.state], **listen)
        self.gallery.click(self.on_card, [self.state, self.focus], **listen)
        self.focus.input(self.on_focus, [self.state, self.focus], **listen)

    # --- handlers: each returns only the widgets it changes ---

    def start(self, session: Session | None) -> dict:
        session = session or self.new_session()
        return {self.state: session, self.gallery: self._cards(session, None)}

    def on_review(self, session: Session | None, focus: str, text: str) -> dict:
        out = self._submit(session, focus, Review(text or "", focus or None), self.review_msg)
        if not out[self.review_msg]:
            out[self.review] = ""
        return out

    def on_voice(self, session: Session | None, focus: str, audio: str | None) -> dict:
        if not audio:
            return self._complain(
                self.voice_msg, "Record a voice rating with the microphone or upload an audio clip first."
            )
        return self._submit(session, focus, Voice(audio, focus or None), self.voice_msg)

    def on_photo_more(self, session: Session | None, focus: str, upload: dict | None) -> dict:
        return self._photo(session, focus, upload, "more")

    def on_photo_less(self, session: Session | None, focus: str, upload: dict | None) -> dict:
        return self._photo(session, focus, upload, "less")

    def _photo(self, session: Session | None, focus: str, upload: dict | None, polarity: str) -> dict:
        image = (upload or {}).get("path")
        if not image:
            return self._complain(
                self.photo_msg, "Upload or snap a photo first, then choose “More like this” or “Not my style”."
            )
        return self._submit(session, focus, Photo(image, polarity), self.photo_msg)

    def on_like(self, session: Session | None, focus: str) -> dict:
        return self._feedback(session, focus, focus, like=True)

    def on_dislike(self, session: Session | None, focus: str) -> dict:
        return self._feedback(session, focus, focus, like=False)

    def _feedback(self, session: Session | None, focus: str, item: str, *, like: bool, toast: bool = False) -> dict:
        if not item:
            return self._complain(
                self.feedback_msg, "Pick an item first: click a card's photo or choose one under “Item in focus”."
            )
        return self._submit(session, focus, Like(item) if like else Dislike(item), self.feedback_msg, toast=toast)

    def on_reset(self, session: Session | None) -> dict:
        out = self._submit(session, NO_FOCUS, Reset(), self.feedback_msg)
        out.update({self.focus: NO_FOCUS, self.focus_note: focus_note(self.catalog, None)})
        return out

    def on_card(self, session: Session | None, focus: str, evt: gr.EventData) -> dict:
        data = evt._data if isinstance(evt._data, dict) else {}
        action, item = data.get("action"), data.get("item")
        if item not in self.catalog:
            return {}
        if action in ("like", "dislike"):
            return self._feedback(session, focus, item, like=action == "like", toast=True)
        if action == "focus":
            return self.on_focus(session, NO_FOCUS if item == focus else item)
        return {}

    def on_focus(self, session: Session | None, focus: str) -> dict:
        session = session or self.new_session()
        focus = focus if focus in self.catalog else NO_FOCUS
        return {
            self.state: session,
            self.focus: focus,
            self.focus_note: focus_note(self.catalog, focus),
            self.gallery: self._cards(session, focus),
        }

    def _submit(
        self, session: Session | None, focus: str, event: Event, message: gr.HTML, *, toast: bool = False
    ) -> dict:
        """Send ``event``; an error goes to ``message`` beside its input (and a toast when that may be off screen)."""
        session = session or self.new_session()
        turn = session.submit(event)
        out = {box: "" for box in self.messages}
        out.update(
            {
                self.state: session,
                self.understood: render_understood(turn, self.catalog),
                self.history: render_history(session.history, self.catalog),
            }
        )
        if turn.error is not None:
            out[message] = render_message(turn.error)
            if toast:
                gr.Warning(turn.error)
        else:
            out[self.gallery] = self._cards(session, focus, turn.changes)
        return out

    def _complain(self, message: gr.HTML, text: str) -> dict:
        out = {box: "" for box in self.messages}
        out[message] = render_message(text)
        return out

    def _cards(self, session: Session, focus: str | None, changes: dict[str, list[str]] | None = None) -> str:
        return render_cards(
            self.catalog,
            session.shown,
            turn=session.turn,
            focus=focus or None,
            changes=changes,
            liked=session.profile.liked,
            inline_images=self.inline_images,
        )


def _item_choices(catalog: Catalog) -> list[tuple[str, str]]:
    counts = Counter(item.name for item in catalog)
    return [(item.name if counts[item.name] == 1 else f"{item.name} ({item.id})", item.id) for item in catalog]


def build_app(engine: Engine, *, top_k: int = 10, inline_images: bool = False) -> gr.Blocks:
    """The whole page for ``engine``'s catalog, queued so that one model call runs at a time."""
    demo = App(engine, top_k=top_k, inline_images=inline_images).build()
    demo.queue(default_concurrency_limit=1, max_size=64)
    return demo


def launch_kwargs(*, host: str = "0.0.0.0", port: int = 7860) -> dict[str, Any]:
    """``demo.launch`` arguments giving mmrec's look and behaviour."""
    return {
        "server_name": host,
        "server_port": port,
        "theme": gr.themes.Soft(primary_hue="indigo", secondary_hue="pink"),
        "css": CSS,
        "show_error": False,
        "run_history": False,
        "footer_links": ["api", "gradio"],
    }


def launch(demo: gr.Blocks, *, host: str = "0.0.0.0", port: int = 7860) -> None:
    """Serve ``demo`` (blocking) with mmrec's look."""
    demo.launch(**launch_kwargs(host=host, port=port))


CSS = """
.gradio-container { max-width: 1280px !important; }
.mm-header h1 { margin: 0; font-size: 1.6rem; }
.mm-header p { margin: .2rem 0 0; color: var(--body-text-color-subdued); }
.mm-h2 { font-size: 1.05rem; margin: .4rem 0; }
.mm-muted, .mm-focus-note { color: var(--body-text-color-subdued); font-size: .9rem; margin: 0; }
.mm-chips { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; }
.mm-why { font-size: 0.8rem; margin-top: 4px; color: var(--body-text-color-subdued); }
.mm-why summary { cursor: pointer; width: max-content; }
.mm-why ul { margin: 4px 0 0; padding-left: 1.2rem; overflow-wrap: anywhere; }
.mm-chips li { border-radius: 999px; padding: 2px 10px; font-size: .8rem; border: 1px solid var(--border-color-primary);
  max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.mm-status-ok span:first-child { color: #16a34a; }
.mm-status-warn span:first-child { color: #d97706; }
.mm-status-off { opacity: .8; } .mm-status-off span:first-child { color: #dc2626; }
.mm-status-model { color: var(--body-text-color-subdued); }
.mm-catalog { font-size: .8rem; margin: 4px 0 0; color: var(--body-text-color-subdued); }
.mm-grid { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px;
  grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }
.mm-card { display: flex; gap: 10px; padding: 10px; border: 1px solid var(--border-color-primary); border-radius: 12px;
  background: var(--block-background-fill); transition: border-color .2s, box-shadow .2s; }
.mm-card.mm-focused { border-color: var(--color-accent); box-shadow: 0 0 0 2px var(--color-accent-soft); }
.mm-pick { flex: 0 0 96px; height: 96px; padding: 0; border: 0; background: none; cursor: pointer; position: relative;
  border-radius: 8px; }
.mm-pick:focus-visible, .mm-actions button:focus-visible { outline: 3px solid var(--color-accent); outline-offset: 2px; }
.mm-pick img, .mm-noimg { width: 96px; height: 96px; object-fit: cover; border-radius: 8px; display: block;
  background: var(--background-fill-secondary); }
.mm-noimg { display: flex; align-items: center; justify-content: center; font-size: 2rem; }
.mm-rank { position: absolute; top: 4px; left: 4px; background: rgba(17, 24, 39, .75); color: #fff; border-radius: 999px;
  font-size: .75rem; padding: 0 7px; line-height: 1.4rem; }
.mm-body { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 3px; }
.mm-title { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px; }
.mm-name { font-weight: 600; line-height: 1.25; overflow-wrap: anywhere; }
.mm-badge { font-size: .7rem; border-radius: 999px; padding: 0 7px; font-weight: 600; }
.mm-new { background: #dbeafe; color: #1e40af; } .mm-up { background: #dcfce7; color: #166534; }
.mm-down { background: #fee2e2; color: #991b1b; } .mm-liked { background: #fce7f3; color: #9d174d; }
.mm-meta { font-size: .8rem; color: var(--body-text-color-subdued); display: flex; flex-wrap: wrap; gap: 4px 10px; }
.mm-score { font-variant-numeric: tabular-nums; }
.mm-bars { display: flex; flex-wrap: wrap; gap: 4px; }
.mm-chip { font-size: .7rem; display: inline-flex; align-items: center; gap: 4px; border-radius: 999px; padding: 0 8px;
  font-variant-numeric: tabular-nums; }
.mm-bar { display: inline-block; height: 6px; border-radius: 3px; }
.mm-pos { background: #ecfdf5; color: #047857; } .mm-neg { background: #fff1f2; color: #be123c; }
.mm-pos .mm-bar { background: #10b981; } .mm-neg .mm-bar { background: #f43f5e; }
.mm-reason { font-size: .8rem; margin: 0; line-height: 1.3; }
.mm-actions { display: flex; gap: 6px; margin-top: 2px; }
.mm-actions button { font-size: .8rem; min-height: 32px; padding: 2px 10px; border-radius: 8px; cursor: pointer;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-primary); color: var(--body-text-color); }
.mm-actions button:hover { border-color: var(--color-accent); }
.mm-empty, .mm-unavailable { padding: 12px; border-radius: 10px; background: var(--background-fill-secondary); }
.mm-unavailable { font-size: .85rem; border-left: 4px solid #d97706; }
.mm-error { margin-top: 6px; padding: 8px 12px; border-radius: 8px; background: #fef2f2; color: #991b1b;
  border-left: 4px solid #dc2626; font-size: .9rem; overflow-wrap: anywhere; }
.mm-understood { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; font-size: .9rem; }
.mm-understood dt { font-weight: 600; color: var(--body-text-color-subdued); }
.mm-understood dd { margin: 0; overflow-wrap: anywhere; }
.mm-stars { color: #f59e0b; letter-spacing: 1px; }
.mm-term { display: inline-block; border-radius: 6px; padding: 0 6px; margin: 0 4px 2px 0;
  background: var(--background-fill-secondary); font-size: .8rem; }
.mm-history { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; font-size: .85rem; }
.mm-history li { display: flex; gap: 8px; }
.mm-turn { flex: 0 0 auto; min-width: 1.6rem; text-align: center; border-radius: 999px; font-size: .75rem;
  background: var(--background-fill-secondary); height: 1.4rem; line-height: 1.4rem; }
.mm-what { overflow-wrap: anywhere; } .mm-effect { color: var(--body-text-color-subdued); }
.mm-rose, .mm-entered { color: #047857; } .mm-fell, .mm-left { color: #be123c; } .mm-err-text { color: #b91c1c; }
@media (max-width: 480px) {
  .gradio-container { padding-left: 8px !important; padding-right: 8px !important; }
  .mm-grid { grid-template-columns: 1fr; }
  .mm-pick, .mm-pick img, .mm-noimg { width: 80px; height: 80px; flex-basis: 80px; }
}
"""
