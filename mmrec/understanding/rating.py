"""Star ratings stated in a review: "four stars", "4 out of 5", "a solid three", "3.5/5", "five-star", "★★★★☆".

Voice reviews arrive as speech-recognition output, which hears number words as words that sound alike
("for stars", "free out of five", "won star", "one tar", "a solid form", "5 out and 5"). A word is read
as a number by sound (:func:`heard_number`: edit distance between sound-normalised spellings), and only
inside a rating frame: right before "stars", "-star" or "out of five/ten", or after "a solid"-like cues,
so "for the price" or "free shipping" never count as ratings.
"""

from __future__ import annotations

import re

import jellyfish

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
# Words never read as numbers by sound, though they sit one edit from one ("the" ~ "three", "fit" ~ "five").
_NOT_NUMBERS = frozenset(
    {"the", "a", "an", "no", "of", "it", "its", "my", "all", "in", "on", "and", "or", "fit", "fix"}
)
_HALF = r"(?P<half>(?:\s+|-)(?:and[\s-]a[\s-]half|point five)|\s*½)?"
_NUMBER = r"(?P<n>\d+(?:[.,]\d+)?|" + "|".join(_WORDS) + r")" + _HALF
_HEARD = r"(?P<n>[a-z]+)" + _HALF
# A number not glued to other digits, slashes or decimals (dates, sizes like "4/5/2024", "10.5").
_ALONE = r"(?<![\d./,])\b"
# One punctuation mark may sit between a spoken number and its unit: speech recognition writes "Four. Stars."
_GAP = r"\s*[.,]?\s*"
_SCALE = r"(?P<scale>5|five|10|ten)(?![\d/.,]\d)\b"

_OUT_OF = re.compile(_ALONE + _NUMBER + r"\s*(?:/|" + _GAP + r"(?:out (?:of|and|off|a)|outta))\s*" + _SCALE)
_STARS = re.compile(_ALONE + _NUMBER + r"(?:" + _GAP + r"|\s*-\s*)stars?\b")
_OUT_OF_WORDS = r"(?:out (?:of|and|off|a)|outta)"
_HEARD_OUT_OF = re.compile(r"\b" + _HEARD + _GAP + _OUT_OF_WORDS + r"\s*" + _SCALE)
# A word heard for a number needs the plural ("to stars", "one tars") or a hyphen ("for-star"); "star" and
# "tar" alone follow only a number word itself or "won" ("one tar", "won star"), never "for star print".
_HEARD_STARS = re.compile(r"\b" + _HEARD + r"(?:" + _GAP + r"s?tars\b|\s*-\s*star\b)")
_WORD_STAR = re.compile(r"\b(?P<n>" + "|".join(_WORDS) + r"|won)" + _GAP + r"s?tar\b")
_HALF_STAR = re.compile(r"\bhalf (?:a )?star\b")
# "a solid three", "I'd give it a 4", "rate it 3.5", "rating: 4" — only when nothing countable follows the number.
_CUED = re.compile(
    r"\b(?:solid|strong|weak|easy|generous|firm|honest(?:ly)?|giv(?:e|ing) (?:it|this|them|these)|gave (?:it|this|them|these)"
    r"|rate (?:it|this|them|these)|rated (?:it|this|them|these)|rating(?: of| is)?|score(?: of| is)?)"
    r",?\s*(?:an? |a:|:)?\s*" + _NUMBER + r"(?=\s*(?:$|[.,;:!?)]|overall\b|for\b|from me\b|because\b|but\b|though\b))"
)
# "a solid free", "a solid form": after an adjective cue, any word heard for a number but the function
# words that follow such adjectives anyway ("it feels solid too").
_HEARD_CUED = re.compile(
    r"\b(?:solid|strong|weak|generous|firm) (?P<n>(?!(?:to|too|for)\b)[a-z]+)(?=\s*(?:$|[.,;:!?]))"
)
# "I give it two out and I'm a nipper road": the scale lost in noise after a giving cue ("out of five" assumed).
_GIVEN_OUT = re.compile(r"\b(?:giv(?:e|ing)|gave|rate|rated) (?:it|this|them|these) (?:an? )?" + _NUMBER + r"\s+out\b")
# "I'm giving it a for": a giving cue with its article, the heard word ending the clause.
_HEARD_GIVEN = re.compile(r"\b(?:giv(?:e|ing)|gave) (?:it|this|them|these) an? (?P<n>[a-z]+)(?=\s*(?:$|[.,;:!?]))")
_SYMBOLS = re.compile(r"([★]+)[☆]*")


def extract_rating(text: str) -> float | None:
    """The star rating ``text`` states, on a 0.5..5 scale in half stars, or None when it states none."""
    lowered = text.lower().replace("’", "'")
    for pattern in (
        _OUT_OF,
        _STARS,
        _CUED,
        _GIVEN_OUT,
        _HEARD_OUT_OF,
        _HEARD_STARS,
        _WORD_STAR,
        _HEARD_CUED,
        _HEARD_GIVEN,
    ):
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
    elif raw[0].isdigit():
        number = float(raw.replace(",", "."))
    else:
        heard = heard_number(raw)
        if heard is None:
            return None
        number = float(heard)
    if match.groupdict().get("half"):
        number += 0.5
    scale = match.groupdict().get("scale")
    if scale in ("10", "ten"):
        number /= 2.0
    if not 0 <= number <= 5:
        return None
    return max(0.5, round(number * 2) / 2)


def _sound(word: str) -> str:
    """A spelling of how ``word`` sounds, close enough for number words: "three" and "free" -> "fre",
    "won" and "one" -> "on", "fore" -> "for", "five" -> "fiv"."""
    w = word.lower()
    silent_e = len(w) > 2 and w.endswith("e") and not w.endswith("ee")
    for spelled, said in (("th", "f"), ("ph", "f"), ("wh", "w"), ("ck", "k"), ("ee", "e"), ("oo", "o")):
        w = w.replace(spelled, said)
    if len(w) > 2 and w[0] == "w" and w[1] in "aeiou":
        w = w[1:]  # "won" ~ "one"
    w = re.sub(r"(.)\1+", r"\1", w)
    return w[:-1] if silent_e else w


_SOUNDS = {_sound(word): n for word, n in _WORDS.items() if n <= 5}


def heard_number(word: str) -> int | None:
    """The number word (zero..five) that ``word`` sounds like, within one edit of its sound-spelling (a
    word of four letters or more may also drop its last consonant: "form" ~ "four"); None when no number
    is that close or two are equally close."""
    word = word.lower()
    if word in _WORDS:
        return _WORDS[word]
    if word in _NOT_NUMBERS or not word.isalpha():
        return None
    heard = _sound(word)
    forms = [heard] + ([heard[:-1]] if len(word) >= 4 and heard[-1] not in "aeiou" else [])
    best: dict[int, int] = {}
    for form in forms:
        for sound, n in _SOUNDS.items():
            distance = jellyfish.levenshtein_distance(form, sound)
            if distance <= 1:
                best[n] = min(best.get(n, distance), distance)
    if not best:
        return None
    closest = min(best.values())
    numbers = [n for n, d in best.items() if d == closest]
    return numbers[0] if len(numbers) == 1 else None
