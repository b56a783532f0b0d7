"""Turning raw user text (typed, pasted or transcribed) into clean plain text.

Markup is removed the way a browser would hide it (tags, comments, script and style content), but
only real markup: a tag needs a known element name and a closing ``>`` before any other ``<``, so a
stray ``<`` ("size <M or L jacket") stays text. Every pattern is possessive and stops at the next
``<``, so cleaning is linear in the length of the input, whatever it holds.
"""

from __future__ import annotations

import html
import re

from ..errors import TextInputError

MAX_CHARS = 5000
"""Longest review accepted once cleaned: feedback, not a document; it also bounds the cost of reading it."""
MAX_RAW_CHARS = 50_000
"""Longest raw input looked at: ten times MAX_CHARS leaves room for pasted markup; longer is refused unread."""

_ELEMENT_NAMES = """a abbr acronym address animate applet area article aside audio b base basefont bdi bdo big blink blockquote
    body br button canvas caption center circle cite code col colgroup data datalist dd del details dfn dialog dir
    div dl dt ellipse em embed fieldset figcaption figure font footer foreignobject form frame frameset g h1 h2 h3
    h4 h5 h6 head header hgroup hr html i iframe image img input ins kbd label legend li line link main map mark
    marquee math menu meta meter nav noembed noframes noscript object ol optgroup option output p param path
    picture plaintext polygon polyline pre progress q rect rp rt ruby s samp script search section select set slot
    small source span strike strong style sub summary sup svg table tbody td template text textarea tfoot th thead
    time title tr track tt u ul use var video wbr xmp"""
_ELEMENTS = frozenset(_ELEMENT_NAMES.split())  # HTML, SVG and MathML element names a tag may have
# Elements whose content is never shown as text: dropped with the element, to its end tag or the end of the text.
_HIDDEN = {
    name: re.compile(rf"</{name}\s*+>", re.IGNORECASE)
    for name in ("script", "style", "template", "noscript", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
}
_NAME = r"[a-z][a-z0-9]*+(?:-[a-z0-9-]*+)?"  # custom elements have a hyphen
_MARKUP = re.compile(
    r"(?P<comment><!--)"
    rf"|<(?P<start>{_NAME})(?=[\s/>])"
    r"""(?>\s++[^\s"'<>/=]++(?>\s*+=\s*+(?>"[^"<]*+"|'[^'<]*+'|[^\s"'<>=`]++))?+|\s*+/)*+\s*+/?>"""
    rf"|</(?P<end>{_NAME})(?=[\s/>])[^<>]*+>"
    r"|<[!?][^<>]*+>",  # doctype, CDATA, processing instruction
    re.IGNORECASE,
)
_COMMENT_END = re.compile(r"--!?>")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACE = re.compile(r"\s+")


def clean_text(text: str, *, max_chars: int = MAX_CHARS, max_raw_chars: int = MAX_RAW_CHARS) -> str:
    """``text`` without HTML (tags, comments, script/style content, entities) and with whitespace collapsed.

    Raises TextInputError when ``text`` is longer than ``max_raw_chars`` (checked before anything else),
    holds unpaired surrogates, leaves nothing readable, or cleans to more than ``max_chars``.
    """
    if not isinstance(text, str):
        raise TextInputError(f"the review must be text, not {type(text).__name__}")
    if len(text) > max_raw_chars:
        raise TextInputError(
            f"the review is {len(text)} characters long before cleaning; the limit is {max_raw_chars}"
            " — send only the review itself"
        )
    if bad := _SURROGATE.search(text):
        raise TextInputError(
            f"the review text contains invalid characters (an unpaired surrogate at position {bad.start()})"
            " — send plain UTF-8 text"
        )
    # Entities may decode into markup ("&lt;script&gt;"): it is removed again, never interpreted.
    cleaned = _SPACE.sub(" ", _without_markup(html.unescape(_without_markup(text)))).strip()
    if not cleaned:
        raise TextInputError("the review is empty — type a few words about what you like or dislike")
    if len(cleaned) > max_chars:
        raise TextInputError(
            f"the review is {len(cleaned)} characters long; the limit is {max_chars} — shorten it to the essentials"
        )
    return cleaned


def _without_markup(text: str) -> str:
    """``text`` with each tag, comment and hidden element replaced by a space."""
    pieces: list[str] = []
    kept = scan = 0  # text[kept:] is not yet copied; markup is looked for from ``scan``
    while match := _MARKUP.search(text, scan):
        scan = match.end()
        name = (match["start"] or match["end"] or "").lower()
        if name and name not in _ELEMENTS and "-" not in name:
            continue  # "<so much>" is text; nothing after its "<" can open markup
        if match["comment"] or (match["start"] and name in _HIDDEN):
            close = (_COMMENT_END if match["comment"] else _HIDDEN[name]).search(text, scan)
            scan = close.end() if close else len(text)
        pieces += [text[kept : match.start()], " "]
        kept = scan
    pieces.append(text[kept:])
    return "".join(pieces)
