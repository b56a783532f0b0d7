"""Interactions as explicit events: what the session API, the CLI, the UI and the study log exchange.

:func:`parse_event` turns the JSON contract of ``python -m mmrec session`` into these types::

    {"type": "review", "text": "...", "item": "<optional id>"}
    {"type": "like" | "dislike", "item": "<id>"}
    {"type": "voice", "audio": "<path>", "item": "<optional id>"}
    {"type": "photo", "image": "<path>", "polarity": "more" | "less"}
    {"type": "reset"}

In Python, ``audio`` may also be a ``(sample_rate, samples)`` tuple and ``image`` an array or PIL image.
"""

from __future__ import annotations

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


Event = Review | Like | Dislike | Voice | Photo | Reset
EVENT_TYPES = ("review", "like", "dislike", "voice", "photo", "reset")


def parse_event(obj: Any) -> Event:
    """The event a JSON object describes; BadEventError naming what is wrong and what is valid."""
    if not isinstance(obj, dict):
        raise BadEventError(f"an interaction must be a JSON object, got {type(obj).__name__}")
    kind = obj.get("type")
    if kind not in EVENT_TYPES:
        raise BadEventError(f"unknown interaction type {kind!r}; valid types: {', '.join(EVENT_TYPES)}")
    if kind == "reset":
        return Reset()
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
    for name in ("text", "item", "polarity"):
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
