"""Turning raw user text (typed, pasted or transcribed) into clean plain text."""

from __future__ import annotations

import html
import re

from ..errors import TextInputError

_HIDDEN_ELEMENTS = re.compile(r"<(script|style|template|noscript)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z!/?][^<>]*(?:>|$)")
_SPACE = re.compile(r"\s+")


def clean_text(text: str, *, max_chars: int = 5000) -> str:
    """``text`` without HTML (tags, script/style content, entities) and with whitespace collapsed.

    Raises TextInputError when nothing readable is left or the result is longer than ``max_chars``.
    """
    if not isinstance(text, str):
        raise TextInputError(f"the review must be text, not {type(text).__name__}")
    stripped = _TAG.sub(" ", _HIDDEN_ELEMENTS.sub(" ", text))
    unescaped = html.unescape(stripped)
    # Entities may decode into markup ("&lt;b&gt;"); it is shown as text, never interpreted, so only drop tags again.
    cleaned = _SPACE.sub(" ", _TAG.sub(" ", unescaped)).strip()
    if not cleaned:
        raise TextInputError("the review is empty — type a few words about what you like or dislike")
    if len(cleaned) > max_chars:
        raise TextInputError(
            f"the review is {len(cleaned)} characters long; the limit is {max_chars} — shorten it to the essentials"
        )
    return cleaned
