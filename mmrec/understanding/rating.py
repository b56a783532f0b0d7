"""Star ratings stated in a review: "four stars", "4 out of 5", "a solid three", "3.5/5", "five-star", "★★★★☆".

Voice reviews arrive as speech-recognition output, which hears some number words as their homophones
("for stars", "free out of five", "won star", "a solid free"). Those are read as numbers only right
before "stars", "-star" or "out of five/ten", or after "a solid"-like cues, so "for the price" or
"free shipping" never count as ratings.
"""

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
# What speech recognition writes for a spoken number word when the speaker meant the number.
_HEARD_AS = {"won": 1, "to": 2, "too": 2, "free": 3, "tree": 3, "for": 4, "fore": 4, "fine": 5}
_HALF = r"(?P<half>(?:\s+|-)(?:and[\s-]a[\s-]half|point five)|\s*½)?"
_NUMBER = r"(?P<n>\d+(?:[.,]\d+)?|" + "|".join(_WORDS) + r")" + _HALF
_HEARD = r"(?P<n>" + "|".join(_HEARD_AS) + r")" + _HALF
# A number not glued to other digits, slashes or decimals (dates, sizes like "4/5/2024", "10.5").
_ALONE = r"(?<![\d./,])\b"
# One punctuation mark may sit between a spoken number and its unit: speech recognition writes "Four. Stars."
_GAP = r"\s*[.,]?\s*"
_SCALE = r"(?P<scale>5|five|10|ten)(?![\d/.,]\d)\b"

_OUT_OF = re.compile(_ALONE + _NUMBER + r"\s*(?:/|" + _GAP + r"(?:out of|outta))\s*" + _SCALE)
_STARS = re.compile(_ALONE + _NUMBER + r"(?:" + _GAP + r"|\s*-\s*)stars?\b")
_HEARD_OUT_OF = re.compile(r"\b" + _HEARD + _GAP + r"(?:out of|outta)\s*" + _SCALE)
# A homophone needs the plural ("to stars") or a hyphen ("for-star"); "won star" is the one singular.
_HEARD_STARS = re.compile(r"\b" + _HEARD + r"(?:" + _GAP + r"stars\b|\s*-\s*star\b|(?<=won)" + _GAP + r"star\b)")
_HALF_STAR = re.compile(r"\bhalf (?:a )?star\b")
# "a solid three", "I'd give it a 4", "rate it 3.5", "rating: 4" — only when nothing countable follows the number.
_CUED = re.compile(
    r"\b(?:solid|strong|weak|easy|generous|firm|honest(?:ly)?|give (?:it|this|them|these)|gave (?:it|this|them|these)"
    r"|rate (?:it|this|them|these)|rated (?:it|this|them|these)|rating(?: of| is)?|score(?: of| is)?)"
    r",?\s*(?:an? |a:|:)?\s*" + _NUMBER + r"(?=\s*(?:$|[.,;:!?)]|overall\b|for\b|from me\b|because\b|but\b|though\b))"
)
# "a solid free": after an adjective cue, homophones that are not everyday function words ("solid too").
_HEARD_CUED = re.compile(r"\b(?:solid|strong|weak|generous|firm) (?P<n>free|tree|fore|fine|won)(?=\s*(?:$|[.,;:!?]))")
_SYMBOLS = re.compile(r"([★]+)[☆]*")


def extract_rating(text: str) -> float | None:
    """The star rating ``text`` states, on a 0.5..5 scale in half stars, or None when it states none."""
    lowered = text.lower().replace("’", "'")
    for pattern in (_OUT_OF, _STARS, _CUED, _HEARD_OUT_OF, _HEARD_STARS, _HEARD_CUED):
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
    if raw in _WORDS:
        number = float(_WORDS[raw])
    elif raw in _HEARD_AS:
        number = float(_HEARD_AS[raw])
    else:
        number = float(raw.replace(",", "."))
    if match.groupdict().get("half"):
        number += 0.5
    scale = match.groupdict().get("scale")
    if scale in ("10", "ten"):
        number /= 2.0
    if not 0 <= number <= 5:
        return None
    return max(0.5, round(number * 2) / 2)
