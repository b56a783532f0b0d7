"""How a simulated shopper talks about an item: type nouns, attribute phrases, templates, and the leak check.

Only generic words are used: the item's category, colour and attribute values, and the templates below.
:func:`check_no_leak` asserts that an utterance names neither the target's id nor its distinctive name
words (Zhu et al. 2024: a simulator that leaks the target inflates scores).
"""

from __future__ import annotations

import math
import re

from ..catalog import Catalog, Item
from ..understanding.vocabulary import Vocabulary, tokenize

TYPE_NOUNS: dict[str, tuple[str, ...]] = {
    "tees": ("tee", "t-shirt", "tee shirt"),
    "t-shirts": ("t-shirt", "tee"),
    "hoodies & sweatshirts": ("hoodie", "sweatshirt", "hooded sweatshirt"),
    "hoodies": ("hoodie", "hooded sweatshirt"),
    "jackets": ("jacket", "coat"),
    "pants": ("pants", "trousers"),
    "shorts": ("shorts",),
    "tanks": ("tank top", "tank"),
    "bags": ("bag",),
    "backpacks": ("backpack",),
    "watches": ("watch", "wristwatch"),
    "fitness equipment": ("fitness gear", "exercise equipment", "workout equipment"),
    "video download": ("workout video", "training video"),
    "dresses": ("dress",),
    "skirts": ("skirt",),
    "sneakers": ("sneakers", "trainers"),
    "caps": ("cap", "baseball cap"),
    "scarves": ("scarf",),
    "socks": ("socks",),
    "sunglasses": ("sunglasses", "shades"),
    "water bottles": ("water bottle", "bottle"),
    "yoga mats": ("yoga mat", "exercise mat"),
}
STYLE_NOUNS = {
    "bra": ("sports bra", "bra"),
    "tank": ("tank top", "tank"),
    "backpack": ("backpack",),
    "messenger": ("messenger bag",),
    "duffel": ("duffel bag",),
    "tote": ("tote bag", "tote"),
}
PLURAL_NOUNS = {"pants", "trousers", "shorts", "sneakers", "trainers", "socks", "sunglasses", "shades"}
PLURAL_NOUNS |= {"fitness gear", "exercise equipment", "workout equipment"}  # uncountable: "some" too
GENDERS = {"men": ("for men", "men's"), "women": ("for women", "women's")}
COLOUR_WORDS = {"gray": ("gray", "grey")}
FLAGS = {
    "eco_collection": ("eco-friendly", "sustainable"),
    "eco_friendly": ("eco-friendly", "sustainable"),
    "performance_fabric": ("in a performance fabric",),
    "waterproof": ("waterproof",),
    "water_resistant": ("water-resistant",),
    "insulated": ("insulated",),
    "polarized": ("polarized",),
    "sale": ("on sale",),
}
FACTS = {
    "material": ("made of {v}", "in {v}"),
    "climate": ("for {v} weather", "good for {v} weather"),
    "activity": ("for {v}", "good for {v}"),
    "pattern": ("with a {v} pattern",),
    "style": ("in a {v} style",),
    "features": ("with a {v}",),  # adjectives among them ("Waterproof", "Lightweight") are said as they are
    "strap": ("with a {v} strap",),
}
CLIMATES = {"all-weather": ("for any weather", "for all weather"), "indoor": ("for indoors", "for indoor use")}
OPENERS = (
    "I'm looking for {np}{extra}.",
    "Do you have {np}{extra}?",
    "Show me {np}{extra}.",
    "I need {np}{extra}.",
    "{np}{extra}, please.",
    "Looking for {np}{extra}.",
    "Got {np}{extra}?",
)
REMINDERS = ("It should be {colour}.", "I want it in {colour}.", "Still after {np}.", "What I want is {np}.")
DETAILS = ("Ideally {fact}.", "Preferably {fact}.", "Something {fact}.", "It should be {fact}.")
NEGATIONS = ("Not in {c}.", "No {c} please.", "Anything but {c}.", "I don't want {c}.")
CHEAPER = ("Something cheaper, please.", "Those are too expensive.", "Can you show cheaper ones?")
BUDGETS = ("under ${p}", "for less than ${p}", "at most ${p}")
STOPWORDS = {"the", "and", "for", "with", "set", "of", "a", "an", "in", "on", "to", "it", "my", "you"}
_ID_PART = re.compile(r"[a-z]*\d[a-z0-9]*")
_COLOUR_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")


def base_name(item: Item) -> str:
    """The item's name without its ' (Colour)' suffix."""
    return _COLOUR_SUFFIX.sub("", item.name) if item.color else item.name


def type_phrases(item: Item) -> tuple[str, ...]:
    """Everyday nouns for the item's type: its style or gear type where that names it, else its leaf category."""
    for key in ("style", "gear_type"):
        for value in item.attributes.get(key) or ():
            if str(value).lower() in STYLE_NOUNS and item.leaf_category.lower() in ("bras & tanks", "bags"):
                return STYLE_NOUNS[str(value).lower()]
    leaf = item.leaf_category.lower()
    return TYPE_NOUNS.get(leaf, (leaf.split(" & ")[0],) if leaf else ("item",))


def colour_phrases(colour: str) -> tuple[str, ...]:
    return COLOUR_WORDS.get(colour.lower(), (colour.lower(),))


def gender_of(item: Item) -> str | None:
    values = [str(v).lower() for v in item.attributes.get("gender") or ()]
    return values[0] if len(values) == 1 and values[0] in GENDERS else None


def facts_of(item: Item) -> list[tuple[str, ...]]:
    """Phrase variants for each visible attribute of ``item`` (material, climate, activity, flags, ...)."""
    out: list[tuple[str, ...]] = []
    nouns = " ".join((*type_phrases(item), item.leaf_category.lower()))
    for key, templates in FACTS.items():
        for value in list(item.attributes.get(key) or ())[:2]:
            word = _word(str(value))
            if key == "style" and (word.lower() in STYLE_NOUNS or word.lower() in nouns):
                continue  # the type noun says it already
            if key == "features" and word.endswith(("proof", "weight", "able")):
                out.append((word,))
                continue
            if key == "climate" and word in CLIMATES:
                out.append(CLIMATES[word])
                continue
            out.append(tuple(t.format(v=word) for t in templates))
    out.extend(FLAGS[key] for key, value in item.attributes.items() if value is True and key in FLAGS)
    return out


def budget(price: float) -> int:
    """A round budget a little above ``price``."""
    return int(5 * math.ceil(price * 1.15 / 5))


def article(first_word: str, noun: str) -> str:
    """'some' before a plural or uncountable noun, else 'a' or 'an' by the first word of the phrase."""
    if noun in PLURAL_NOUNS:
        return "some"
    return "an" if first_word[0] in "aeiou" else "a"


def generic_words(catalog: Catalog) -> frozenset[str]:
    """Stems of every word the catalog uses for a category (any level), colour or attribute value, and of
    the everyday type nouns above ("scarf" for Scarves)."""
    vocabulary = Vocabulary.from_catalog(catalog)
    paths = {part for item in catalog for c in item.categories for part in c.split("/")}
    nouns = {noun for table in (TYPE_NOUNS, STYLE_NOUNS) for nouns in table.values() for noun in nouns}
    terms = (*paths, *vocabulary.colors, *vocabulary.attributes, *nouns)
    return frozenset(t.stem for term in terms for t in tokenize(term))


def distinctive_words(item: Item, generic: frozenset[str]) -> set[str]:
    """Stems of the item's name words that describe no category, colour or attribute: what identifies it."""
    return {
        t.stem
        for t in tokenize(base_name(item))
        if len(t.text) > 2 and t.text not in STOPWORDS and t.stem not in generic
    }


def check_no_leak(utterance: str, item: Item, distinctive: set[str]) -> None:
    """AssertionError if ``utterance`` names the item's id, an id part with a digit, or a distinctive name word."""
    lowered = utterance.lower()
    id_parts = set(_ID_PART.findall(item.id.lower()))
    said = {t.stem for t in tokenize(utterance)} | {t.text for t in tokenize(utterance)}
    leaked = (said & (distinctive | id_parts)) | ({item.id.lower()} if item.id.lower() in lowered else set())
    if leaked:
        raise AssertionError(f"utterance {utterance!r} leaks the target {item.id!r}: {sorted(leaked)}")


def _word(value: str) -> str:
    """An attribute value as a shopper types it: without ™/®, lower-cased unless it is a brand (LumaTech)."""
    value = re.sub(r"[™®©]", "", value).strip()
    return value if any(c.isupper() for c in value[1:]) else value.lower()
