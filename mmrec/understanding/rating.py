"""Star ratings stated in a review: "four stars", "4 out of 5", "a solid three", "3.5/5", "five-star", "★★★★☆"."""

from __future__ import annotations

import re

_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_NUMBER = r"(?P<n>\d+(?:[.,]\d+)?|" + "|".join(_WORDS) + r")(?P<half>\s*(?:and a half|point five|½))?"
# A number not glued to other digits, slashes or decimals (dates, sizes like "4/5/2024", "10.5").
_ALONE = r"(?<![\d./,])\b"

_OUT_OF = re.compile(_ALONE + _NUMBER + r"\s*(?:/|out of|outta)\s*(?P<scale>5|five|10|ten)(?![\d/.,]\d)\b")
_STARS = re.compile(_ALONE + _NUMBER + r"\s*(?:-\s*)?stars?\b")
_HALF_STAR = re.compile(r"\bhalf (?:a )?star\b")
# "a solid three", "I'd give it a 4", "rate it 3.5", "rating: 4" — only when nothing countable follows the number.
_CUED = re.compile(
    r"\b(?:solid|strong|weak|easy|generous|firm|honest|give (?:it|this|them|these)|gave (?:it|this|them|these)"
    r"|rate (?:it|this|them|these)|rated (?:it|this|them|these)|rating(?: of| is)?|score(?: of| is)?)"
    r"\s*(?:an? |a:|:)?\s*" + _NUMBER + r"(?=\s*(?:$|[.,;:!?)]|overall\b|for\b|from me\b|because\b|but\b|though\b))"
)
_SYMBOLS = re.compile(r"([★]+)[☆]*")


def extract_rating(text: str) -> float | None:
    """The star rating ``text`` states, on a 0.5..5 scale in half stars, or None when it states none."""
    lowered = text.lower().replace("’", "'")
    for pattern in (_OUT_OF, _STARS, _CUED):
        match = pattern.search(lowered)
        if match:
            value = _value(match)
            if value is not None:
                return value
    if _HALF_STAR.search(lowered):
        return 0.5
    symbols = _SYMBOLS.search(text)
    if symbols and len(symbols.group(1)) <= 5:
        return float(len(symbols.group(1)))
    return None


def _value(match: re.Match[str]) -> float | None:
    raw = match.group("n")
    number = float(_WORDS[raw]) if raw in _WORDS else float(raw.replace(",", "."))
    if match.group("half"):
        number += 0.5
    scale = match.groupdict().get("scale")
    if scale in ("10", "ten"):
        number /= 2.0
    if not 0 <= number <= 5:
        return None
    return max(0.5, round(number * 2) / 2)
