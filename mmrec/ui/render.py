"""The page's HTML: plain functions of catalog, lists, turns and statuses (no gradio, testable alone).

Everything a client sees passes through :func:`esc` (HTML escaping) and, for error and status text,
:func:`public` (server paths removed).
"""

from __future__ import annotations

import base64
import html
import mimetypes
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..catalog import Catalog, Item
from ..encoders.base import Status
from ..errors import UnknownItemError
from ..ranking import RankedItem
from ..redact import redact
from ..turn import Turn

MODALITY_LABELS = {
    "text": "Text",
    "image": "Photo",
    "clip_text": "Words→photo",
    "attributes": "Attributes",
    "prior": "Ratings",
    "diversity": "Variety",
}
STATUS_WORDS = {
    "text": ("Text", "text", "basic word matching (no sentence model)"),
    "image": ("Photos", "photos", "basic matching (no CLIP model)"),
    "clip_text": ("Finding photos from words", None, "limited"),
    "speech": ("Voice", "voice", "starts on first use"),
    "cache": ("Saved results", None, "new ones are not saved"),
}
"""Modality -> (its name in the status line, its noun in "Ready: ... understood" or None to leave it out
when working, what a degraded one still does), in plain words; model ids only go under "details"."""
ITEM_IMAGE_ROUTE = "/media/item/"
"""Where the server serves a catalog item's photo by item id, so no card shows a server path."""


def esc(value: Any) -> str:
    """``value`` as text safe inside HTML content and quoted attributes."""
    return html.escape(str(value), quote=True)


def public(text: Any) -> str:
    """Error or status text as a client may see it: no server paths."""
    return redact(str(text))


def image_src(item: Item, *, inline: bool = False) -> str | None:
    """How a card's <img> finds an item's photo: by item id from the server's photo route, or a data URI."""
    if item.image is None:
        return None
    return _data_uri(str(item.image)) if inline else ITEM_IMAGE_ROUTE + urllib.parse.quote(item.id, safe="")


@cache
def _data_uri(path: str) -> str:
    mime = mimetypes.guess_type(path)[0] or "image/jpeg"
    return f"data:{mime};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def format_price(price: float | None) -> str:
    return f"${price:,.2f}" if price else ""


def render_status(status: dict[str, Status], catalog: Catalog) -> str:
    """One plain-language line on what the page understands; model ids and reasons under "details"."""
    order = sorted(status, key=lambda n: list(STATUS_WORDS).index(n) if n in STATUS_WORDS else 99)
    ready, limits, models = [], [], []
    for name in order:
        s = status[name]
        label, noun, degraded = STATUS_WORDS.get(name, (name, name, "limited"))
        kind = "off" if not s.available else "warn" if s.degraded else "ok"
        if kind == "ok" and noun:
            ready.append(noun)
        elif kind != "ok":
            limits.append(
                f'<span class="mm-status-{kind}">{esc(label)}: {esc("off" if kind == "off" else degraded)}</span>'
            )
        models.append(
            f'<li class="mm-status-{kind}" data-modality="{esc(name)}"><b>{esc(label)}</b>: {esc(public(s.describe()))}</li>'
        )
    line = [f'<span class="mm-status-ok">Ready: {esc(_and(ready))} understood</span>'] if ready else []
    issues = ""
    if catalog.issues:
        listed = "".join(f"<li>{esc(public(issue))}</li>" for issue in catalog.issues)
        summary = f"{len(catalog.issues)} catalog records skipped or fixed"
        issues = f'<details class="mm-why mm-issues"><summary>{summary}</summary><ul>{listed}</ul></details>'

    return (
        f'<div class="mm-status" aria-label="Model status"><p class="mm-status-line">{" · ".join(line + limits)}</p>'
        f'<details class="mm-why"><summary>details</summary><ul>{"".join(models)}</ul>'
        f'<p class="mm-catalog">Catalog <b>{esc(catalog.name)}</b>: {len(catalog)} items</p></details>{issues}</div>'
    )


def _and(words: Sequence[str]) -> str:
    """``a, b and c``."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


@dataclass(frozen=True)
class Pin:
    """A card kept at the place it had on screen (``slot``, from 0) after a like or dislike on it."""

    item: str
    slot: int
    action: str
    """'like' or 'dislike'."""


def render_cards(
    catalog: Catalog,
    ranked: Sequence[RankedItem],
    *,
    turn: int = 0,
    focus: str | None = None,
    changes: dict[str, list[str]] | None = None,
    pin: Pin | None = None,
    liked: set[str] | frozenset[str] = frozenset(),
    inline_images: bool = False,
    explain: bool = True,
    feedback: bool = True,
) -> str:
    """The ranked list as product cards: photo, name, price, score, contribution bars, reason, actions.

    ``changes`` (a turn's) mark new and moved cards and become the list's announcement
    (``data-announce``); ``pin`` keeps the card just liked or disliked where it was, marked, the others
    in their new order. ``explain=False`` leaves out the bars and reasons, ``feedback=False`` the like
    and dislike buttons.
    """
    announce = "" if changes is None else f' data-announce="{esc(_list_update(catalog, changes, pin, ranked))}"'
    if not ranked:
        return (
            f'<div class="mm-empty" data-turn="{turn}"{announce}>No item matches every filter you set. '
            "Remove a filter above, loosen one with a new review (for example “any colour is fine”) or start over.</div>"
        )
    changes = changes or {}
    badges = {i: ("mm-new", "new") for i in changes.get("entered", [])}
    badges.update({i: ("mm-up", "▲ up") for i in changes.get("rose", [])})
    badges.update({i: ("mm-down", "▼ down") for i in changes.get("fell", [])})
    scale = max((abs(c) for r in ranked for c in r.contributions.values()), default=0.0) or 1.0
    rows: list[tuple[int | None, str, RankedItem | None]] = [(n, r.id, r) for n, r in enumerate(ranked, 1)]
    if pin is not None and pin.item in catalog:
        kept = next((row for row in rows if row[1] == pin.item), (None, pin.item, None))
        rows = [row for row in rows if row[1] != pin.item]
        rows.insert(min(max(pin.slot, 0), len(rows)), kept)
    cards = [
        _card(
            n,
            catalog.get(item_id),
            r,
            focused=item_id == focus,
            badge=_pin_badge(pin, n) if pin is not None and pin.item == item_id else badges.get(item_id),
            liked=item_id in liked,
            scale=scale,
            inline=inline_images,
            explain=explain,
            feedback=feedback,
        )
        for n, item_id, r in rows
    ]
    return (
        f'<ol class="mm-grid" data-turn="{turn}"{announce} aria-label="Recommended items, best first">'
        f"{''.join(cards)}</ol>"
    )


def _list_update(catalog: Catalog, changes: dict[str, list[str]], pin: Pin | None, ranked: Sequence[RankedItem]) -> str:
    """What a re-rank did, in a sentence for the page's live region ("List updated: 2 new items")."""
    entered = len(changes.get("entered") or [])
    text = f"List updated: {entered} new item{'' if entered == 1 else 's'}"
    if not ranked:
        return text + "; no item matches every filter."
    if pin is not None:
        text += f"; {_name(catalog, pin.item)} stays in place until your next action"
    return text + "."


def _pin_badge(pin: Pin, rank: int | None) -> tuple[str, str]:
    done = "👍 liked" if pin.action == "like" else "👎 disliked"
    return "mm-pinned", f"{done} · now #{rank}" if rank is not None else f"{done} · leaves your list"


def _card(
    rank: int | None,
    item: Item,
    r: RankedItem | None,
    *,
    focused: bool,
    badge: tuple[str, str] | None,
    liked: bool,
    scale: float,
    inline: bool,
    explain: bool,
    feedback: bool,
) -> str:
    """One card; ``r`` None for a pinned card that left the list (no rank, score or reason)."""
    name, item_id = esc(item.name), esc(item.id)
    src = image_src(item, inline=inline)
    picture = (
        f'<img src="{esc(src)}" alt="{name}" loading="lazy" width="96" height="96">'
        if src
        else f'<span class="mm-noimg" aria-hidden="true">{esc(item.name[:1].upper())}</span>'
    )
    tags = [f'<span class="mm-badge {badge[0]}">{esc(badge[1])}</span>'] if badge else []
    if liked:
        tags.append('<span class="mm-badge mm-liked">liked</span>')
    meta = " · ".join(esc(p) for p in (format_price(item.price), item.leaf_category, item.color) if p)
    score = f'<span class="mm-score" title="fused score">score {r.score:+.3f}</span>' if r is not None else ""
    why = f'{_bars(r.contributions, scale, r.labels)}<p class="mm-reason">{esc(r.reason)}</p>' if explain and r else ""
    review = (
        f'<button class="mm-review-this" data-action="focus" data-item="{item_id}" aria-pressed="{str(focused).lower()}" '
        f'aria-label="Review {name}">{"✓ Reviewing" if focused else "✍️ Review this"}</button>'
    )
    feedback_buttons = (
        f'<button data-action="like" data-item="{item_id}" aria-label="Like {name}">👍 Like</button>'
        f'<button data-action="dislike" data-item="{item_id}" aria-label="Dislike {name}">👎 Dislike</button>'
        if feedback
        else ""
    )
    shown_rank = f'<span class="mm-rank">{rank}</span>' if rank is not None else ""
    return (
        f'<li class="mm-card{" mm-focused" if focused else ""}" data-item="{item_id}">'
        f'<div class="mm-pic">{shown_rank}{picture}</div>'
        f'<div class="mm-body"><div class="mm-title"><span class="mm-name">{name}</span>{"".join(tags)}</div>'
        f'<div class="mm-meta">{meta}{score}</div>'
        f'{why}<div class="mm-actions">{review}{feedback_buttons}</div></div></li>'
    )


def _bars(contributions: dict[str, float], scale: float, labels: dict[str, str]) -> str:
    """One chip per modality that moved the score noticeably: a bar as long as its share, + or −,
    captioned by what that modality found in this item where it says (``labels``), else by its name."""
    chips = []
    for modality, value in sorted(contributions.items(), key=lambda kv: -abs(kv[1])):
        if abs(value) < 0.005:
            continue
        sign = "pos" if value > 0 else "neg"
        name = MODALITY_LABELS.get(modality, modality)
        caption = labels.get(modality) or name
        width = max(8, round(40 * abs(value) / scale))
        chips.append(
            f'<span class="mm-chip mm-{sign}" title="{esc(name)} contribution {value:+.3f}">'
            f'<span class="mm-bar" style="width:{width}px" aria-hidden="true"></span>{esc(caption)} {value:+.2f}</span>'
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
        return f'<p class="mm-muted">Turn {turn.turn}: not applied ({esc(public(turn.error))}). Your list is unchanged.</p>'
    u = turn.understood
    rows: list[tuple[str, str]] = []
    action = u.get("action")
    if action in ("like", "dislike"):
        rows.append(("You", f"{'liked' if action == 'like' else 'disliked'} {esc(_name(catalog, u.get('item')))}"))
    elif action == "photo":
        how = "more like this" if u.get("polarity") == "more" else "not my style"
        named = f"{esc(u['photo'])}: " if u.get("photo") else ""
        rows.append(("Photo", f"{named}{how} (compared by {esc(u.get('encoder', 'the image encoder'))})"))
        if u.get("note"):
            rows.append(("Note", esc(u["note"])))
    elif action == "reset":
        rows.append(("Reset", "profile cleared; showing the starting list"))
    elif action == "remove":
        rows.append(("Removed", f"{esc(u.get('name'))}; the list is ranked without it"))
    elif action == "undo":
        rows.append(("Undid", f"{esc(u.get('name'))}; the list is as it was before"))
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
            effect = f'<span class="mm-err-text">not applied: {esc(public(turn.error))}</span>'
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
    if kind == "remove":
        return f"✕ Removed {esc(u.get('name') or event.get('chip', ''))}"
    if kind == "undo":
        return f"↶ Undo{': ' + esc(u['name']) if u.get('name') else ''}"
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
    return f'<div class="mm-error" role="alert">⚠️ {esc(public(text))}</div>' if text else ""


def focus_note(catalog: Catalog, focus: str | None, *, sent: str | None = None) -> str:
    """Which item reviews and voice ratings are about; ``sent``: the item one was just sent about (focus cleared)."""
    if focus:
        item = catalog.get(focus)
        price = f" ({format_price(item.price)})" if item.price else ""
        return (
            f'<p class="mm-focus-note mm-focus-on">Reviews and voice ratings you send now are about '
            f"<b>{esc(item.name)}</b>{esc(price)}. Choose “✓ Reviewing” on its card to stop.</p>"
        )
    if sent:
        return (
            f'<p class="mm-focus-note">Sent, about <b>{esc(_name(catalog, sent))}</b>. No item in focus now: '
            "what you send next is general. Choose “Review this” on a card to review another.</p>"
        )
    return (
        '<p class="mm-focus-note">No item in focus: reviews and voice ratings describe what you want in general. '
        "Choose “Review this” on a card to review that item.</p>"
    )


def unavailable_note(status: Status | None, what: str) -> str:
    if status is None or status.available:
        return ""
    return f'<div class="mm-unavailable" role="note">{esc(what)} unavailable: {esc(public(status.reason))}</div>'
