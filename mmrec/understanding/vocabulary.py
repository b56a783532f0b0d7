"""What a catalog lets a user talk about, and finding those terms in text.

Matching is on word tokens, case-insensitive, singular/plural-insensitive, longest phrase first, with
a table of everyday synonyms ("grey" -> Gray, "hoodie" -> Hoodies & Sweatshirts). A synonym maps only
onto a term the vocabulary has; each of its candidates is tried in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..catalog import Catalog, leaf_parts

CATEGORY, COLOR, ATTRIBUTE = "category", "color", "attribute"

_CATEGORY_SYNONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("jacket", "coat", "parka", "anorak", "outerwear", "shell"), ("Jackets",)),
    (
        ("hoodie", "hoody", "hooded sweatshirt", "sweatshirt", "sweater", "jumper", "crewneck", "pullover"),
        ("Hoodies & Sweatshirts",),
    ),
    (("tee", "t shirt", "tshirt", "tee shirt", "shirt"), ("Tees",)),
    (("tank", "tank top", "singlet"), ("Tanks", "Bras & Tanks")),
    (("bra", "sports bra", "bralette"), ("Bras & Tanks",)),
    (("pants", "trousers", "joggers", "slacks", "jeans", "chinos", "sweatpants", "leggings", "tights"), ("Pants",)),
    (("shorts",), ("Shorts",)),
    (("bag", "backpack", "handbag", "purse", "tote", "duffel", "duffle", "rucksack", "satchel"), ("Bags",)),
    (("watch", "wristwatch", "smartwatch", "timepiece"), ("Watches",)),
    (("video", "workout video", "dvd"), ("Video Download",)),
    (
        ("equipment", "fitness gear", "yoga mat", "mat", "ball", "dumbbell", "kettlebell", "foam roller"),
        ("Fitness Equipment",),
    ),
)
_COLOR_SYNONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("grey", "charcoal", "heather grey", "heather gray", "silver", "slate"), ("Gray", "Grey")),
    (("gray",), ("Gray", "Grey")),
    (("navy", "navy blue", "cobalt", "royal blue"), ("Blue",)),
    (("teal", "turquoise"), ("Blue", "Green")),
    (("maroon", "burgundy", "crimson", "scarlet"), ("Red",)),
    (("violet", "plum", "magenta"), ("Purple",)),
    (("lilac", "lavender", "mauve"), ("Lavender", "Purple")),
    (("beige", "tan", "khaki", "camel", "chocolate"), ("Brown",)),
    (("olive", "lime", "mint", "forest green"), ("Green",)),
    (("cream", "ivory", "off white"), ("White",)),
    (("gold", "mustard"), ("Yellow",)),
    (("coral", "peach", "rust"), ("Orange",)),
    (("pink", "rose"), ("Pink",)),
)
_ATTRIBUTE_SYNONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("stripes", "stripe", "stripy", "stripey", "pinstripe"), ("Striped",)),
    (("water proof", "water resistant", "water repellent", "rainproof"), ("Waterproof",)),
    (("woolen", "woollen", "merino", "wool blend"), ("Wool",)),
    (("warmer", "warmth", "toasty"), ("Warm",)),
    (("insulation", "puffy"), ("Insulated",)),
    (("rain", "wet weather"), ("Rainy",)),
    (("raincoat", "rain jacket"), ("Rain Coat",)),
    (("cold", "winter", "chilly"), ("Cold", "Wintry")),
    (("snowy", "snow"), ("Wintry", "Cold")),
    (("wind", "windproof"), ("Windy",)),
    (("hot weather", "hot days", "summer", "heat", "humid"), ("Hot",)),
    (("cool weather", "cool days"), ("Cool",)),
    (("mild weather",), ("Mild",)),
    (("running", "jogging", "runner", "marathon"), ("Running", "Cardio")),
    (("workout", "working out", "training", "weightlifting", "lifting"), ("Gym", "Exercise")),
    (("fitness",), ("Exercise", "Gym")),
    (("hike", "trekking"), ("Hiking", "Trail")),
    (("pilates",), ("Yoga",)),
    (("traveling", "travelling", "trip", "vacation", "commute", "commuting"), ("Travel", "Urban")),
    (("eco", "eco friendly", "sustainable", "recycled", "organic"), ("eco collection",)),
    (("on sale", "discounted", "clearance"), ("sale",)),
    (("new arrival", "newest", "latest"), ("new",)),
    (("plain", "solid color", "solid colour", "solid colored"), ("Solid",)),
    (("hood",), ("Hooded",)),
    (("quarter zip", "1 4 zip", "half zip"), ("¼ zip",)),
    (("zip up", "full zipper"), ("Full zip",)),
    (("male", "guy", "for him"), ("Men",)),
    (("ladies", "female", "for her"), ("Women",)),
    (("light weight", "featherweight", "packable", "lighter", "lighter weight"), ("Lightweight",)),
    (("hi vis", "high visibility"), ("Reflective",)),
    (("fleecy",), ("Fleece",)),
    (("elastane",), ("Spandex", "Lycra®")),
)
# Attribute words that are everyday English too: matched only through an explicit synonym phrase above.
_AMBIGUOUS = {"new", "sale", "basic", "single", "double", "cool", "hot", "mild", "solid", "fashion", "snug", "shoulder"}
_AMBIGUOUS_KEYS = {(word,) for word in _AMBIGUOUS}
# Nouns whose singular means something else ("short" is not "shorts").
_PLURAL_ONLY = {
    "shorts",
    "pants",
    "tights",
    "leggings",
    "sweatpants",
    "trousers",
    "jeans",
    "joggers",
    "slacks",
    "chinos",
}

_TOKEN = re.compile(r"[a-z0-9¼½]+(?:'[a-z]+)?")
_MARKS = re.compile(r"[™®©]")


@dataclass(frozen=True)
class Token:
    """A lower-cased word of the text, its stem, and where it sits."""

    text: str
    stem: str
    start: int
    end: int


@dataclass(frozen=True)
class TermMatch:
    """A vocabulary term found at tokens ``first`` .. ``last - 1``."""

    term: str
    kind: str
    first: int
    last: int


def stem(word: str) -> str:
    """A crude singular form, applied alike to text and vocabulary so that both meet."""
    word = word.removesuffix("'s").replace("'", "")
    if word in _PLURAL_ONLY or len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-1]
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ie"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[Token]:
    """Word tokens of ``text`` (hyphens and slashes split words; apostrophes stay inside them)."""
    lowered = text.lower().replace("’", "'")
    return [Token(m.group(), stem(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(lowered)]


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(token.stem for token in tokenize(_MARKS.sub("", phrase)))


@dataclass(frozen=True)
class Vocabulary:
    """What the catalog lets a user talk about: colours, leaf categories and attribute words."""

    colors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> Vocabulary:
        return cls(
            colors=_distinct(item.color for item in catalog if item.color),
            categories=_distinct(item.leaf_category for item in catalog if item.leaf_category),
            attributes=_distinct(word for item in catalog for word in item.attribute_words()),
        )

    def find(self, tokens: list[Token]) -> list[TermMatch]:
        """Non-overlapping terms in ``tokens``, left to right, longest phrase first."""
        index, longest = _index(self)
        stems = [t.stem for t in tokens]
        found: list[TermMatch] = []
        i = 0
        while i < len(tokens):
            for length in range(min(longest, len(tokens) - i), 0, -1):
                hit = index.get(tuple(stems[i : i + length]))
                if hit:
                    found.append(TermMatch(hit[0], hit[1], i, i + length))
                    i += length
                    break
            else:
                i += 1
        return found


def _distinct(words: Iterable[str]) -> tuple[str, ...]:
    """Words without case-insensitive duplicates (first spelling kept), sorted."""
    seen: dict[str, str] = {}
    for word in words:
        word = word.strip()
        if word:
            seen.setdefault(word.lower(), word)
    return tuple(sorted(seen.values(), key=str.lower))


@lru_cache(maxsize=16)
def _index(vocabulary: Vocabulary) -> tuple[dict[tuple[str, ...], tuple[str, str]], int]:
    """Phrase key -> (canonical term, kind), earlier entries winning, and the longest phrase length."""
    index: dict[tuple[str, ...], tuple[str, str]] = {}

    def add(phrase: str, term: str, kind: str) -> None:
        key = _key(phrase)
        if key:
            index.setdefault(key, (term, kind))

    for category in vocabulary.categories:
        add(category, category, CATEGORY)
    for category in vocabulary.categories:  # "Hoodies & Sweatshirts" is also "hoodie" and "sweatshirt"
        for part in leaf_parts(category)[1:]:
            add(part, category, CATEGORY)
    for color in vocabulary.colors:
        add(color, color, COLOR)
    for attribute in vocabulary.attributes:
        if _key(attribute) not in _AMBIGUOUS_KEYS:
            add(attribute, attribute, ATTRIBUTE)
    for table, terms, kind in (
        (_CATEGORY_SYNONYMS, vocabulary.categories, CATEGORY),
        (_COLOR_SYNONYMS, vocabulary.colors, COLOR),
        (_ATTRIBUTE_SYNONYMS, vocabulary.attributes, ATTRIBUTE),
    ):
        canonical = {term.lower(): term for term in terms}
        for phrases, candidates in table:
            target = next((canonical[c.lower()] for c in candidates if c.lower() in canonical), None)
            if target:
                for phrase in phrases:
                    add(phrase, target, kind)
    return index, max((len(k) for k in index), default=1)
