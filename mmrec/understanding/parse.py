"""From one review or request to what the recommender needs: sentiment, rating, intent, terms, filters, query."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..errors import NotUnderstoodError
from .filters import Filters, colour_shift, price_filters
from .language import unreadable_reason
from .rating import extract_rating
from .sentiment import sentiment_label, sentiment_score
from .text import MAX_CHARS, MAX_RAW_CHARS, clean_text
from .vocabulary import CATEGORY, COLOR, TermMatch, Token, Vocabulary, tokenize

# Words that open a rejection of the terms right after them ("not black", "anything but wool").
_REJECT = {
    ("not",),
    ("no",),
    ("never",),
    ("without",),
    ("except",),
    ("excluding",),
    ("hate",),
    ("hates",),
    ("hated",),
    ("dislike",),
    ("dislikes",),
    ("detest",),
    ("avoid",),
    ("nothing",),
    ("don't",),
    ("dont",),
    ("doesn't",),
    ("didn't",),
    ("won't",),
    ("wouldn't",),
    ("less",),
    ("fewer",),
    ("anything", "but"),
    ("everything", "but"),
    ("other", "than"),
    ("rather", "than"),
    ("instead", "of"),
    ("can't", "stand"),
    ("cannot", "stand"),
    ("tired", "of"),
    ("sick", "of"),
    ("allergic", "to"),
}
# Words that open a hard restriction ("only red ones", "nothing but jackets").
_ONLY = {("only",), ("nothing", "but"), ("exclusively",), ("strictly",)}
_ACCEPT = {"mind"}  # "don't mind black" accepts black
# "it's not waterproof" describes the item (a complaint), it does not reject waterproof things.
_COPULAS = {
    "is",
    "are",
    "was",
    "were",
    "it's",
    "that's",
    "they're",
    "be",
    "been",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
}
_TRAILING = {"at", "all", "please", "anymore", "either", "ones", "one", "color", "colour", "colors", "colours", "stuff"}
# Words allowed between an opener and the first term: "not in black", "don't want anything in wool".
_BRIDGE = {
    "a",
    "an",
    "the",
    "any",
    "in",
    "more",
    "of",
    "it",
    "them",
    "that",
    "those",
    "these",
    "this",
    "my",
    "color",
    "colour",
    "colors",
    "colours",
    "colored",
    "coloured",
    "one",
    "ones",
    "stuff",
    "anything",
    "something",
    "too",
    "so",
    "very",
    "really",
    "much",
    "made",
    "from",
    "with",
    "like",
    "want",
    "love",
    "need",
    "care",
    "for",
    "show",
    "me",
    "see",
    "wear",
    "suit",
    "looking",
    "at",
    "get",
    "have",
    "be",
    "to",
    "i",
    "do",
    "anymore",
    "items",
    "things",
    "thing",
    "fan",
    "all",
    "particularly",
    "especially",
    "big",
    "huge",
    "wanna",
    "kind",
}
# Words that carry a rejection or restriction on to the next term: "no black or gray", "only red and blue ones".
_DETERMINERS = {"a", "an", "the", "my", "this", "that", "these", "those", "its", "their"}
_CONTINUE = {"or", "and", "nor", "in", "a", "an", "the", "any", "either"}
_LIST_JOINERS = {"or", "and", "nor"}
_MAX_BRIDGE = 4
_HARD_STOP = re.compile(r"[.;!?:]")
# A term followed by one of these is rejected: "black is not for me", "wool is itchy". In the past tense ("the shorts
# were awful") it is a complaint about one item, left to clause sentiment as a soft avoid.
_REJECTED_AFTER = re.compile(
    r"\s*(?:(?:is|are|looks?|feels?|just|simply|really)\s+){0,2}(?:(?:not|isn't|aren't|ain't) (?:for me|my (?:style|thing|"
    r"colou?r|taste|cup of tea))|a no\b|(?:so |too |really |very )?(?:ugly|awful|terrible|horrible|hideous|itchy|scratchy|gross)\b)"
    r"|\s*(?:doesn't|does not|don't|do not) (?:suit|work for|look good on) me",
    re.IGNORECASE,
)
# "Shorts only": a restriction stated after its term.
_ONLY_AFTER = re.compile(r"\s*(?:only|exclusively)\b(?!\s+(?:if|when|because|for)\b)", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[.;!?,]|\b(?:but|however|though|although|whereas)\b")
_NEGATIVE_CLAUSE = -0.3  # terms in a clause at least this negative count as (softly) rejected
# A wish names what the user wants, however wistful it sounds: "I wish it came in blue", "if only it were red".
_WISH = re.compile(
    r"\b(?:wish(?:es|ed)?|if only|would (?:love|like|prefer)|i'd (?:love|like|prefer)|would be (?:nice|great|perfect)"
    r"|hope (?:it|they) (?:comes?|came)|prefer(?:red)? (?:it )?in)\b",
    re.IGNORECASE,
)

_MORE = re.compile(
    r"(?<!not )(?<!n't )\b(?:more like (?:this|that|these|it|them)|similar|more of (?:this|these|that|those)|"
    r"love (?:this|these|it)\b|show me more|same (?:style|kind|type|vibe)|like this one|"
    r"(?:exactly|just) what i (?:want|wanted|was looking for|need|needed)|"
    # praise phrased with a negation: "what's not to like", "can't complain", "don't know why people hate it"
    r"what'?s not to (?:like|love)|(?:can't|cannot|couldn't) (?:complain|go wrong|be happier|"
    r"recommend (?:it|this|them|these|those)(?: \w+)? enough)|who (?:doesn't|does not|wouldn't|would not) (?:love|like|want)"
    r"|no complaints|not (?:one|a single) complaint|(?:don't|do not) know why (?:people|anyone|everyone|others)|never disappoints?|not bad at all)"
)
_LESS = re.compile(
    r"\b(?:not my (?:style|thing|taste|type|cup of tea)|not for me|not (?:this|that|these|those)(?: one| kind| style| type)?"
    r"(?=\s*(?:$|[.,;!?]|please\b|show\b|give\b))|(?:something|anything) else|something different|less like (?:this|that)|"
    r"nothing like (?:this|that)|no more (?:of )?(?:this|these|those|like this)|not interested|don't show me)"
)
_JOINERS = r"(?:[\s,;:\-–]|\b(?:and|or|but|nor|though)\b)+"
_EDGE_JOINERS = re.compile(rf"^{_JOINERS}|{_JOINERS}$", re.IGNORECASE)


@dataclass(frozen=True)
class Understanding:
    """What one piece of user text means for the recommender."""

    text: str
    sentiment: float
    label: str
    rating: float | None
    intent: str | None
    wants: tuple[str, ...]
    avoids: tuple[str, ...]
    filters: Filters
    query_text: str
    polarity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sentiment": round(self.sentiment, 3),
            "label": self.label,
            "rating": self.rating,
            "intent": self.intent,
            "wants": list(self.wants),
            "avoids": list(self.avoids),
            "filters": self.filters.to_dict(),
            "query_text": self.query_text,
            "polarity": round(self.polarity, 3),
        }


def understand(
    text: str,
    vocabulary: Vocabulary,
    *,
    max_chars: int = MAX_CHARS,
    max_raw_chars: int = MAX_RAW_CHARS,
    sentiment: Callable[[str], float] | None = None,
) -> Understanding:
    """Read a review or request; TextInputError if it is empty or too long (see :func:`clean_text`),
    NotUnderstoodError if it states no rating and is gibberish or not English.

    Sentiment is scored on ``query_text`` by ``sentiment`` (default: the lexicon scorer): rejected
    terms ("not black") are handled as avoids and filters, so they must not also turn a request for
    something else negative.
    """
    cleaned = clean_text(text, max_chars=max_chars, max_raw_chars=max_raw_chars)
    tokens = tokenize(cleaned)
    shift, shift_spans = colour_shift(cleaned)
    matches = [
        m for m in vocabulary.find(tokens) if not _inside(tokens, m, shift_spans)
    ]  # "lighter colour" is no weight
    rating = extract_rating(cleaned)
    if rating is None:  # a stated rating is acted on in any language; words must be English
        reason = unreadable_reason(cleaned, frozenset(t.text for m in matches for t in tokens[m.first : m.last]))
        if reason:
            raise NotUnderstoodError(
                f"I didn't understand that: {reason}, and reviews are read in English only. "
                "Try describing what you want, e.g. 'a warm jacket for running, not black'."
            )
    intent = _intent(cleaned)
    wants, explicit, soft, only, rejected_spans = _read_terms(cleaned, tokens, matches)
    query = _without(cleaned, rejected_spans)
    score = (sentiment or sentiment_score)(query)
    polarity = _polarity(score, rating, intent)
    if polarity > 0:  # praise: a negative-sounding clause in it ("can't say it's the coolest watch") is not a rejection
        wants, soft = tuple(dict.fromkeys(wants + soft)), ()
    avoids = explicit + soft
    kinds = {m.term: m.kind for m in matches}
    filters = replace(
        price_filters(cleaned),
        lighter=shift.lighter,
        darker=shift.darker,
        exclude_colors=_of_kind(explicit, kinds, COLOR),
        exclude_categories=_of_kind(explicit, kinds, CATEGORY),
        include_colors=_of_kind(only, kinds, COLOR),
        include_categories=_of_kind(only, kinds, CATEGORY),
        allow_colors=_of_kind(wants, kinds, COLOR) - _of_kind(only, kinds, COLOR),
        allow_categories=_of_kind(wants, kinds, CATEGORY) - _of_kind(only, kinds, CATEGORY),
    )
    return Understanding(
        text=cleaned,
        sentiment=score,
        label=sentiment_label(polarity if intent else score),  # "what's not to like" is praise
        rating=rating,
        intent=intent,
        wants=wants,
        avoids=avoids,
        filters=filters,
        query_text=query,
        polarity=polarity,
    )


def _read_terms(
    text: str, tokens: list[Token], matches: list[TermMatch]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], list[tuple[int, int]]]:
    """(wanted, explicitly rejected, softly rejected, only-these terms, character spans of the rejecting phrases).

    Explicit rejections ("no black", "black is not for me") become hard filters; soft ones (a term in a
    negative clause: "the black faded") only lean the profile away, and not when the term is also
    mentioned in a clause that is not negative."""
    by_first = {m.first: m for m in matches}
    rejected: dict[str, None] = {}
    soft: dict[str, None] = {}
    only: dict[str, None] = {}
    spans: list[tuple[int, int]] = []
    claimed: set[int] = set()
    words = [t.text for t in tokens]
    i = 0
    while i < len(tokens):
        opener = _opener(words, i)
        if opener is None:
            i += 1
            continue
        kind, length = opener
        scoped = _scope(text, tokens, i + length, by_first)
        if kind == "reject":
            scoped = _modifiers_only(scoped)
        for m in scoped:
            (rejected if kind == "reject" else only)[m.term] = None
            claimed.add(m.first)
        if scoped and kind == "reject":
            last = scoped[-1].last
            while (
                last < len(tokens)
                and tokens[last].text in _TRAILING
                and not _HARD_STOP.search(text[tokens[last - 1].end : tokens[last].start])
            ):
                last += 1
            spans.append((tokens[i].start, tokens[last - 1].end))
        i = scoped[-1].last if scoped else i + length
    clause_sentiment = _clause_sentiment(text)
    for m in matches:
        if m.first in claimed:
            continue
        end = tokens[m.last - 1].end
        if _ONLY_AFTER.match(text, end):
            only[m.term] = None
            claimed.add(m.first)
            continue
        after = _REJECTED_AFTER.match(text, end)
        if after:
            rejected[m.term] = None
            first = m.first
            while first > 0 and tokens[first - 1].text in _DETERMINERS:
                first -= 1
            spans.append((tokens[first].start, after.end()))
        elif clause_sentiment(tokens[m.first].start, tokens[m.last - 1].end) <= _NEGATIVE_CLAUSE:
            soft[m.term] = None
    liked = {
        m.term
        for m in matches
        if m.first not in claimed
        and m.term not in rejected
        and clause_sentiment(tokens[m.first].start, tokens[m.last - 1].end) > _NEGATIVE_CLAUSE
    }
    soft_only = tuple(t for t in soft if t not in rejected and t not in liked)
    wanted = tuple(dict.fromkeys(m.term for m in matches if m.term not in rejected and m.term not in soft_only))
    return wanted, tuple(rejected), soft_only, tuple(only), spans


def _opener(words: list[str], i: int) -> tuple[str, int] | None:
    """('reject' | 'only', number of words) when a rejection or restriction opens at word ``i``."""
    for length in (2, 1):
        phrase = tuple(words[i : i + length])
        if len(phrase) < length:
            continue
        if phrase in _ONLY:
            return None if i > 0 and words[i - 1] == "if" else ("only", length)  # "if only it came in blue" wishes
        if phrase in _REJECT:
            accepted = i + length < len(words) and words[i + length] in _ACCEPT
            described = i > 0 and words[i - 1] in _COPULAS
            rhetorical = i > 0 and words[i - 1] == "who"  # "who doesn't love a warm fleece?"
            return None if accepted or described or rhetorical else ("reject", length)
    return None


def _scope(text: str, tokens: list[Token], start: int, by_first: dict[int, TermMatch]) -> list[TermMatch]:
    """The terms an opener ending before token ``start`` governs: bridged to the first, chained to the rest."""
    scoped: list[TermMatch] = []
    allowed = _BRIDGE
    bridged = 0
    j = start
    while j < len(tokens):
        previous_end = tokens[j - 1].end if j > 0 else 0
        gap = text[previous_end : tokens[j].start]
        if _HARD_STOP.search(gap) or ("," in gap and not scoped):
            break
        if "," in gap:  # "not red, gray or brown" lists on; "not the red, the green one is lovely" does not
            allowed = _LIST_JOINERS
        match = by_first.get(j)
        if match:
            scoped.append(match)
            allowed, bridged = _CONTINUE, 0
            j = match.last
            continue
        if tokens[j].text not in allowed or bridged >= _MAX_BRIDGE:
            break
        bridged += 1
        j += 1
    return scoped


def _modifiers_only(scoped: list[TermMatch]) -> list[TermMatch]:
    """A rejection of "gray hoodies" rejects the colour, not every hoodie: a category right after a colour is dropped."""
    return [
        m
        for k, m in enumerate(scoped)
        if not (m.kind == CATEGORY and k > 0 and scoped[k - 1].kind == COLOR and scoped[k - 1].last == m.first)
    ]


def _clause_sentiment(text: str) -> Callable[[int, int], float]:
    """Sentiment of the clause around ``text[start:end]``; each distinct clause is scored once, whatever it holds."""
    breaks = list(_CLAUSE_BREAK.finditer(text))
    ends = [b.end() for b in breaks]
    starts = [b.start() for b in breaks]
    scores: dict[str, float] = {}

    def score(start: int, end: int) -> float:
        before = bisect_right(ends, start)
        after = bisect_left(starts, end)
        clause = text[ends[before - 1] if before else 0 : starts[after] if after < len(starts) else len(text)]
        if clause not in scores:
            scores[clause] = 1.0 if _WISH.search(clause) else sentiment_score(clause)
        return scores[clause]

    return score


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` minus the rejecting phrases, tidied; ``text`` itself if too little would be left."""
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in sorted(spans):
        if start >= last:
            pieces.append(text[last:start])
            last = end
    pieces.append(text[last:])
    kept = " ".join(p.strip() for p in pieces if p.strip())
    kept = re.sub(r"\s+([,.;:!?])", r"\1", kept)
    kept = re.sub(r"\s*\b(?:and|or|but|nor)\s*(?=[,.;:!?])", "", kept, flags=re.IGNORECASE)
    kept = re.sub(r"([,;:])(?=[,.;:!?])", "", kept)
    kept = _EDGE_JOINERS.sub("", kept).strip()
    return kept if len(tokenize(kept)) >= 2 else text


def _intent(text: str) -> str | None:
    lowered = text.lower().replace("’", "'")
    if _LESS.search(lowered):
        return "less"
    if _MORE.search(lowered):
        return "more"
    return None


def _inside(tokens: list[Token], match: TermMatch, spans: list[tuple[int, int]]) -> bool:
    start, end = tokens[match.first].start, tokens[match.last - 1].end
    return any(a <= start and end <= b for a, b in spans)


def _of_kind(terms: tuple[str, ...], kinds: dict[str, str], kind: str) -> frozenset[str]:
    return frozenset(t for t in terms if kinds.get(t) == kind)


def _polarity(sentiment: float, rating: float | None, intent: str | None) -> float:
    """How far and which way the text should move the profile, in [-1, 1]: a stated rating dominates."""
    lean = sentiment
    if intent == "more":
        lean = max(lean, 0.5)
    elif intent == "less":
        lean = min(lean, -0.5)
    value = lean if rating is None else 0.75 * (rating - 3.0) / 2.0 + 0.25 * lean
    return max(-1.0, min(1.0, value))
