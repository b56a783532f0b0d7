"""Hard filters a user states ("not black", "only jackets", "under $50", "cheaper", "a darker colour") and how they
accumulate."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Filters:
    """Constraints on what may be recommended; colour and category names are the catalog's own.

    ``allow_colors`` / ``allow_categories`` hold colours and categories the user just spoke of
    favourably ("black is fine now"): they constrain nothing themselves, but lift an earlier exclusion
    when merged, and :meth:`merged` always returns them empty.
    """

    exclude_colors: frozenset[str] = frozenset()
    include_colors: frozenset[str] = frozenset()
    exclude_categories: frozenset[str] = frozenset()
    include_categories: frozenset[str] = frozenset()
    max_price: float | None = None
    min_price: float | None = None
    cheaper: bool = False
    pricier: bool = False
    lighter: bool = False
    darker: bool = False
    allow_colors: frozenset[str] = frozenset()
    allow_categories: frozenset[str] = frozenset()

    def merged(self, newer: Filters) -> Filters:
        """These filters updated by ``newer``: where the two contradict, ``newer`` wins."""
        exclude_colors, include_colors = _merge_sets(
            self.exclude_colors, self.include_colors, newer.exclude_colors, newer.include_colors, newer.allow_colors
        )
        exclude_categories, include_categories = _merge_sets(
            self.exclude_categories,
            self.include_categories,
            newer.exclude_categories,
            newer.include_categories,
            newer.allow_categories,
        )
        max_price = newer.max_price if newer.max_price is not None else self.max_price
        min_price = newer.min_price if newer.min_price is not None else self.min_price
        if max_price is not None and min_price is not None and min_price > max_price:
            if newer.max_price is not None:
                min_price = None
            else:
                max_price = None
        return Filters(
            exclude_colors=exclude_colors,
            include_colors=include_colors,
            exclude_categories=exclude_categories,
            include_categories=include_categories,
            max_price=max_price,
            min_price=min_price,
            cheaper=newer.cheaper,
            pricier=newer.pricier,
            lighter=newer.lighter,
            darker=newer.darker,
        )

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None)

    def to_dict(self) -> dict[str, Any]:
        """Non-empty fields only; sets as sorted lists."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value is False or value == frozenset():
                continue
            out[f.name] = sorted(value) if isinstance(value, frozenset) else value
        return out


def _merge_sets(
    old_exclude: frozenset[str],
    old_include: frozenset[str],
    exclude: frozenset[str],
    include: frozenset[str],
    allow: frozenset[str],
) -> tuple[frozenset[str], frozenset[str]]:
    """(exclude, include) after a newer statement: a newer "only" replaces an older one; "fine now" widens it."""
    merged_exclude = (old_exclude - include - allow) | exclude
    if include:
        merged_include = include - exclude
    elif old_include:
        merged_include = (old_include | allow) - exclude
    else:
        merged_include = frozenset()
    return merged_exclude, merged_include


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
_CURRENCY_BEFORE = r"(?:\$|us\$|usd\s*|€|£|eur\s*)"
_CURRENCY_WORDS = r"(?:dollars?|bucks|usd|eur|euros?|€|£|\$)"
# After a bare number, only these may follow for it to count as a price ("under 30 minutes" is no price).
_AFTER_BARE = (
    r"(?=\s*(?:$|[.,;:!?)]|"
    + _CURRENCY_WORDS
    + r"|(?:and|or|but|please|for|if|so|though|max|maximum|tops|total|each|would|is|then)\b))"
)
_AMOUNT = (
    rf"(?:{_CURRENCY_BEFORE}\s*{_NUMBER}(?:\s*{_CURRENCY_WORDS})?|(?<![\d.,]){_NUMBER}\s*{_CURRENCY_WORDS}"
    rf"|(?<![\d.,]){_NUMBER}{_AFTER_BARE})"
)
_BETWEEN = re.compile(
    rf"\bbetween\s*{_AMOUNT}\s*(?:and|-|–|to)\s*{_AMOUNT}"
    rf"|{_CURRENCY_BEFORE}\s*{_NUMBER}\s*(?:-|–|to)\s*{_CURRENCY_BEFORE}?\s*{_NUMBER}"
)
_MAX = re.compile(
    r"(?:\b(?:under|below|beneath|less than|lower than|cheaper than|at most|no more than|not more than|up to|within|"
    r"nothing (?:over|above|more than)|not (?:over|above)|"
    r"max(?:imum)?(?: of)?|budget(?: of| is)?|no higher than|not over)|<)\s*"
    + _AMOUNT
    + r"|"
    + _AMOUNT
    + r"\s*(?:or (?:less|under|below|cheaper)|max(?:imum)?\b|tops\b|at most\b)"
)
_MIN = re.compile(
    r"(?:\b(?:(?<!nothing )(?<!not )(?:over|above)|(?<!no )(?<!not )(?<!nothing )more than|greater than|at least|min(?:imum)?(?: of)?|upwards of|starting at)|>)\s*"
    + _AMOUNT
    + r"|"
    + _AMOUNT
    + r"\s*(?:or (?:more|above|over)|and up\b|plus\b|\+)"
)
_NEGATED = r"(?<!not )(?<!n't )(?<!never )"
_CHEAPER = re.compile(
    _NEGATED + r"\b(?:cheaper|less expensive|less pricey|more affordable|lower[- ]priced|lower price[sd]?|"
    r"(?:too|so|really|very|way) (?:pricey|expensive|costly|much money)|overpriced|on a budget|budget[- ]friendly)\b(?! than)"
)
_PRICIER = re.compile(
    _NEGATED + r"\b(?:pricier|more expensive|more premium|higher[- ]end|high[- ]end|luxury|upscale|top of the line|"
    r"splurge)\b(?! than)"
)


def price_filters(text: str) -> Filters:
    """Price bounds and relative-price wishes stated in ``text``."""
    lowered = text.lower().replace("’", "'")
    low = high = None
    if between := _BETWEEN.search(lowered):
        low, high = sorted(_numbers(between.group()))[:2]
    else:
        if match := _MAX.search(lowered):
            high = _numbers(match.group())[0]
        if match := _MIN.search(lowered):
            low = _numbers(match.group())[0]
    last_cheaper = max((m.start() for m in _CHEAPER.finditer(lowered)), default=-1)
    last_pricier = max((m.start() for m in _PRICIER.finditer(lowered)), default=-1)
    return Filters(
        max_price=high,
        min_price=low,
        cheaper=last_cheaper > last_pricier,
        pricier=last_pricier > last_cheaper,
    )


def _numbers(span: str) -> list[float]:
    return [
        float(n.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", n) else n.replace(",", "."))
        for n in re.findall(_NUMBER, span)
    ]


_SHADE = r"(?:colou?r(?:s|ed)?|shades?|tones?|hues?)"
# "Lighter" alone is about weight ("a lighter jacket"); about colour only next to a shade word. "Darker",
# "paler" and "deeper colour" are always about colour.
_LIGHTER = re.compile(
    _NEGATED
    + rf"\b(?:(?:lighter|paler|brighter)[- ](?:in )?{_SHADE}|{_SHADE}(?: that'?s)?(?: a bit| slightly)? lighter"
    rf"|(?:a )?(?:shade|tone) lighter|paler)\b"
)
_DARKER = re.compile(_NEGATED + rf"\b(?:darker|deeper[- ](?:in )?{_SHADE})\b")


def colour_shift(text: str) -> tuple[Filters, list[tuple[int, int]]]:
    """A wish for a lighter or darker colour than the item talked about, and where it is said (the last one wins)."""
    lowered = text.lower().replace("’", "'")
    lighter = list(_LIGHTER.finditer(lowered))
    darker = list(_DARKER.finditer(lowered))
    last_lighter = max((m.start() for m in lighter), default=-1)
    last_darker = max((m.start() for m in darker), default=-1)
    spans = [m.span() for m in lighter + darker]
    return Filters(lighter=last_lighter > last_darker, darker=last_darker > last_lighter), spans


# CIE L* of each colour name's CSS sRGB value: how light a catalog colour is, for "lighter" / "darker".
COLOUR_LIGHTNESS = {
    "black": 0.0,
    "navy": 13.0,
    "purple": 29.8,
    "blue": 32.3,
    "brown": 37.5,
    "green": 46.2,
    "olive": 51.9,
    "red": 53.2,
    "gray": 53.6,
    "grey": 53.6,
    "teal": 48.3,
    "orange": 74.9,
    "pink": 83.6,
    "silver": 77.7,
    "lavender": 91.8,
    "beige": 95.9,
    "yellow": 97.1,
    "white": 100.0,
}
_SHIFT_MARGIN = 5.0  # L* units: "lighter than red" is not gray


def lighter_or_darker(reference: str, colours: Iterable[str], *, lighter: bool) -> frozenset[str]:
    """The ``colours`` lighter (or darker) than ``reference``; empty when the reference's lightness is unknown."""
    base = COLOUR_LIGHTNESS.get(reference.lower())
    if base is None:
        return frozenset()
    sign = 1.0 if lighter else -1.0
    return frozenset(
        c
        for c in colours
        if c.lower() in COLOUR_LIGHTNESS and sign * (COLOUR_LIGHTNESS[c.lower()] - base) > _SHIFT_MARGIN
    )
