"""Interactions as explicit events: what the session API, the CLI, the UI and the study log exchange.

:func:`parse_event` turns the JSON contract of ``python -m mmrec session`` into these types::

    {"type": "review", "text": "...", "item": "<optional id>"}
    {"type": "like" | "dislike", "item": "<id>"}
    {"type": "voice", "audio": "<path>", "item": "<optional id>"}
    {"type": "photo", "image": "<path>", "polarity": "more" | "less"}
    {"type": "reset"}
    {"type": "remove", "chip": "<chip id>"}
    {"type": "undo"}

``remove`` and ``undo`` are controls over the profile, not inputs: a remove takes one chip (a filter,
a term or an interaction, see :mod:`mmrec.chips`) away; an undo restores the state before the last action.
In Python, ``audio`` may also be a ``(sample_rate, samples)`` tuple and ``image`` an array or PIL image.
:func:`parse_line` reads one line of that contract (text or UTF-8 bytes) into JSON, refusing hostile lines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import BadEventError


@dataclass(frozen=True)
class Review:
    text: str
    item: str | None = None
    type: str = "review"


@dataclass(frozen=True)
class Like:
    item: str
    type: str = "like"


@dataclass(frozen=True)
class Dislike:
    item: str
    type: str = "dislike"


@dataclass(frozen=True)
class Voice:
    audio: Any
    item: str | None = None
    type: str = "voice"


@dataclass(frozen=True)
class Photo:
    image: Any
    polarity: str = "more"
    type: str = "photo"


@dataclass(frozen=True)
class Reset:
    type: str = "reset"


@dataclass(frozen=True)
class Remove:
    chip: str
    type: str = "remove"


@dataclass(frozen=True)
class Undo:
    type: str = "undo"


Event = Review | Like | Dislike | Voice | Photo | Reset | Remove | Undo
CONTROL_TYPES = ("remove", "undo")
"""Event types that control the profile rather than add evidence (no config switches them off)."""
EVENT_TYPES = ("review", "like", "dislike", "voice", "photo", "reset", *CONTROL_TYPES)


MAX_LINE_BYTES = 1_000_000
"""Longest contract line read: a maximal raw review JSON-escaped is well under it; longer is refused unparsed."""


def parse_line(line: str | bytes, *, max_bytes: int = MAX_LINE_BYTES) -> Any:
    """The JSON value of one contract line (a str is measured in characters).

    BadEventError when the line is longer than ``max_bytes``, not UTF-8, not JSON or nested too deeply.
    """
    body = line.rstrip(b"\r\n" if isinstance(line, bytes) else "\r\n")
    if len(body) > max_bytes:
        raise BadEventError(f"the line is longer than {max_bytes} bytes; send one interaction of at most that size")
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise BadEventError(f"line is not valid UTF-8 text (bad byte at position {e.start})") from None
    try:
        return json.loads(body)
    except json.JSONDecodeError as e:
        raise BadEventError(f"not valid JSON: {e.msg} at column {e.colno}") from None
    except RecursionError:
        raise BadEventError("interaction is nested too deeply; send one flat JSON object per line") from None


def parse_event(obj: Any) -> Event:
    """The event a JSON object describes; BadEventError naming what is wrong and what is valid."""
    if not isinstance(obj, dict):
        raise BadEventError(f"an interaction must be a JSON object, got {type(obj).__name__}")
    kind = obj.get("type")
    if kind not in EVENT_TYPES:
        raise BadEventError(f"unknown interaction type {kind!r}; valid types: {', '.join(EVENT_TYPES)}")
    if kind == "reset":
        return Reset()
    if kind == "undo":
        return Undo()
    if kind == "remove":
        return Remove(_field(obj, "chip", str))
    if kind in ("like", "dislike"):
        item = _field(obj, "item", str)
        return Like(item) if kind == "like" else Dislike(item)
    if kind == "review":
        return Review(_field(obj, "text", str), _optional_item(obj))
    if kind == "voice":
        return Voice(_field(obj, "audio", object), _optional_item(obj))
    polarity = obj.get("polarity", "more")
    if polarity not in ("more", "less"):
        raise BadEventError(f"photo polarity {polarity!r} is invalid; use 'more' or 'less'")
    return Photo(_field(obj, "image", object), polarity)


def event_to_dict(event: Event) -> dict[str, Any]:
    """A JSON-friendly description of ``event`` (media shown by path or by kind)."""
    out: dict[str, Any] = {"type": event.type}
    for name in ("text", "item", "polarity", "chip"):
        value = getattr(event, name, None)
        if value is not None:
            out[name] = value
    for name in ("audio", "image"):
        if hasattr(event, name):
            value = getattr(event, name)
            out[name] = value if isinstance(value, str) else f"<{type(value).__name__}>"
    return out


def _field(obj: dict[str, Any], name: str, kind: type) -> Any:
    if name not in obj or obj[name] is None:
        raise BadEventError(f"a {obj['type']!r} interaction needs the field {name!r}")
    value = obj[name]
    if kind is not object and not isinstance(value, kind):
        raise BadEventError(f"field {name!r} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def _optional_item(obj: dict[str, Any]) -> str | None:
    item = obj.get("item")
    if item is not None and not isinstance(item, str):
        raise BadEventError(f"field 'item' must be an item id string, got {type(item).__name__}")
    return item or None
