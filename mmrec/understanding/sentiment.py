"""Review sentiment: VADER with a product-review lexicon, complaint/praise phrase cues and contrast weighting.

VADER scores words; product reviews carry much of their verdict in phrases VADER does not know
("runs small", "fell apart", "sent it back", "true to size") and in the clause after a contrast
("love the colour, but it shrank"). The score is VADER's summed valence plus weighted phrase cues,
shifted by a small bias (reviews praise in passing even when the verdict is poor), squashed into
[-1, 1] the way VADER squashes its compound score. Tuned only on ``dev_reviews.jsonl``.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

NEUTRAL_BAND = 0.1
"""Scores within this distance of 0 are labelled neutral."""

_ALPHA = 15.0  # VADER's normalisation constant
_BIAS = -0.6  # applied only when the text carries any sentiment evidence
_CONTRAST_WEIGHT = 1.5  # the clause after a contrast marker counts this much more; the one before, its inverse

# Word valences (VADER scale -4..4) for words reviews use that VADER lacks or scores for another domain.
_LEXICON = {
    "comfy": 2.0,
    "cozy": 2.0,
    "cosy": 2.0,
    "breathable": 1.5,
    "sturdy": 1.5,
    "durable": 1.5,
    "soft": 1.2,
    "stretchy": 0.8,
    "sleek": 1.5,
    "roomy": 1.2,
    "spacious": 1.2,
    "versatile": 1.5,
    "flattering": 2.0,
    "compliments": 2.0,
    "well-made": 2.0,
    "go-to": 2.0,
    "lightweight": 0.6,
    "itchy": -2.0,
    "scratchy": -2.0,
    "flimsy": -2.0,
    "cheaply": -1.5,
    "pilling": -1.8,
    "pills": -1.2,
    "pilled": -1.8,
    "faded": -1.8,
    "fades": -1.5,
    "shrank": -2.2,
    "shrunk": -2.2,
    "shrinks": -2.0,
    "ripped": -2.0,
    "tore": -2.0,
    "unraveling": -2.0,
    "unravelled": -2.0,
    "frayed": -1.8,
    "fraying": -1.8,
    "snapped": -2.0,
    "boxy": -1.2,
    "baggy": -1.0,
    "unflattering": -2.0,
    "see-through": -1.5,
    "drenched": -1.0,
    "soaked": -1.2,
    "returned": -1.8,
    "returning": -1.8,
    "refund": -1.8,
    "overpriced": -2.0,
    "peeled": -1.5,
    "peeling": -1.5,
    "holes": -1.0,
    "hole": -1.0,
    "cheap": -0.8,
    "thin": -0.6,
    "smells": -1.2,
    "stiff": -0.8,
    "meh": -1.5,
    "huge": 0.0,
    "wish": 0.0,
    "fit": 0.0,
    "saggy": -1.2,
    "shapeless": -1.5,
    "clingy": -1.0,
    "blotchy": -1.5,
    "shallow": -1.0,
    "bulky": -0.8,
    "chafing": -1.5,
    "chafe": -1.5,
    "chafes": -1.5,
    "snagging": -1.5,
    "snagged": -1.5,
    "snags": -1.2,
    "cracked": -1.5,
    "cracking": -1.5,
    "stained": -1.5,
    "wrinkled": -1.0,
    "sweaty": -0.8,
    "bunching": -1.0,
    "unusable": -2.5,
    "junk": -2.5,
    "garbage": -2.5,
    "cheap-looking": -2.0,
}

# Phrase cues with their valence (VADER units).
_CUES: tuple[tuple[float, str], ...] = (
    # complaints
    (
        -2.0,
        r"\bruns? (?:really |very |a (?:bit|little|lot) |way |super |so )?(?:small|large|big|short|long|narrow|tight)",
    ),
    (
        -1.5,
        r"\b(?:way |much |far )too \w+|\b(?:a bit |a little |slightly |kind of |just )?too (?:small|tight|big|large|short|long|loose|thin|"
        r"warm|hot|heavy|stiff|baggy|cropped|low|high|wide|narrow|sheer|snug|boxy|basic)",
    ),
    (
        -2.5,
        r"\b(?:fell|falls|falling|fall|came|comes|coming|come) (?:apart|undone|loose|off)|\b(?:split|splits|splitting|ripped|tore) (?:apart|open)",
    ),
    (-2.5, r"\b(?:stopped|quit|stop) working|\bgave out|\b(?:broke|broken|ripped|tore) (?:after|within|on|the first)"),
    (-2.5, r"\b(?:sent|send|sending|going|went|goes|taking|took) (?:it |them |this |these )?back\b|\bback it goes"),
    (
        -2.5,
        r"\b(?:had|have|need|needed) to (?:return|send|exchange)|\bexchanged? (?:it|them)\b|\breturn(?:ed|ing)? (?:it|them|this|these)\b",
    ),
    (-2.5, r"\bnot worth|\bwaste of|\bwouldn'?t recommend|\bwould not recommend|\bdo(?:n'?t| not) recommend"),
    (
        -2.0,
        r"\bnot (?:as|what) (?:i )?(?:pictured|described|advertised|shown|expected)|\bnothing like the (?:photo|picture|image)",
    ),
    (
        -2.0,
        r"\b(?:does(?:n'?t| not)|did(?:n'?t| not)|do(?:n'?t| not)|won'?t|wouldn'?t|couldn'?t) "
        r"(?:fit|zip|stay|keep|last|work|hold up|breathe)",
    ),
    (
        -2.0,
        r"\bexpected (?:much |a lot |way |something |a bit )?(?:better|more)|\bhigh hopes|\bwanted to (?:love|like)|\bwish i (?:had|would have|hadn'?t)",
    ),
    (-1.0, r"\bwish (?:it|they|these|this) (?:was|were|had|came|would)"),
    (
        -2.0,
        r"\b(?:poorly|cheaply|badly) (?:made|constructed|sewn|stitched)|\bnot for me\b|\bnot (?:comfortable|warm|waterproof)",
    ),
    (-1.5, r"\b(?:see[- ]through|digs? in(?:to)?|bled|bleeds)\b|\bseams? (?:split|came|ripped|tore|unravel)"),
    (
        -1.5,
        r"\b(?:slides?|sliding|slid|rolls?|rolling|rolled|falls?|falling|fell|rides?|riding|rode|slips?|slipping|slipped)"
        r" (?:down|up|out|off)\b|\b(?:dye|colou?rs?) (?:ran|runs?|bled|bleeds?)\b|\bgiven up on\b",
    ),
    (-1.0, r"\b(?:was|were) (?:so |really |very )?(?:excited|hoping|looking forward)|\bsupposed to\b"),
    (-1.5, r"\bnot (?:\w+ )?enough\b|\b(?:so|very|really|super) (?:tight|sheer|baggy|boxy|short|itchy)\b"),
    (-2.0, r"\bnever again|\bnot (?:be )?buying|\bwon'?t (?:be )?buy(?:ing)?"),
    # praise
    (2.0, r"\btrue to size|\bfits? (?:perfectly|great|well|like a glove)|\bperfect fit"),
    (2.0, r"\b(?:would|will|'d) (?:definitely )?buy (?:it |them |this |another )?again|\bbuy(?:ing)? another"),
    (2.0, r"\b(?:bought|ordered|buying|getting) (?:two|three|another|a second|more|one in every)"),
    (
        2.0,
        r"\bmy (?:second|third|fourth) (?:one|pair)|\b(?:second|third|fourth) (?:one|pair) (?:i(?:'ve| have)? )?(?:bought|ordered)|\bkeep coming back|\bcan'?t say enough|\bcan'?t go wrong",
    ),
    (1.5, r"\bwear (?:it|them) (?:all the time|constantly|every ?day|everywhere)|\blive in (?:it|them|these|this)"),
    (1.5, r"\bholds? up (?:well|great|nicely)|\bhow well (?:it|they|these) hold|\bstill looks? (?:new|great)"),
    (
        1.5,
        r"\b(?:exactly|just) what i (?:was looking for|wanted|needed)|\bdoes (?:the|its) job|\bdoes (?:exactly |just )?what (?:it|i|you)",
    ),
    (
        1.5,
        r"\bworth (?:every|it|the)|\bno (?:complaints|problems|issues)|\bdoes(?:n'?t| not) (?:smell|itch|fade|shrink|pill)",
    ),
    (1.5, r"\b(?:only|minor|one|small|slight) (?:issue|complaint|problem|gripe|downside|flaw|nitpick|quibble)"),
    (1.0, r"\bbroke in nicely|\bbreaks? in\b|\bkeeps? me (?:warm|dry|cool)"),
)
_CUE_PATTERNS = tuple((weight, re.compile(pattern)) for weight, pattern in _CUES)
_ANY_CUE = re.compile("|".join(f"(?:{pattern})" for _, pattern in _CUES))  # one scan to skip clauses without cues
_CUE_NEGATION = -0.5  # "no see-through issues", "doesn't ride up": a negated cue flips and weakens
_NEGATOR = re.compile(r"(?:\b(?:not|no|never|without|zero|nothing)|n't)\W+(?:\w+\W+)?$")
# "pretty tight" intensifies; VADER reads "pretty" as praise. "feels like plastic" compares; VADER reads "like" as praise.
_PRETTY_ADJ = re.compile(
    r"\bpretty (?=(?:much|small|tight|big|large|thin|bad|short|long|loose|heavy|light|good|well|comfortable|cheap|"
    r"disappointed|disappointing|uncomfortable|poor|weak|flimsy|rough|scratchy|itchy|stiff|useless|basic|average|"
    r"quickly|fast|quick|easily|sure|great|nice|happy|decent|low|high|hot|warm|cold|wide|narrow|sheer|soft|solid)\b)"
)
_SENSE_LIKE = re.compile(r"\b(looks?|looked|feels?|felt|seems?|seemed|smells?|smelled|sounds?) like\b")
_CONTRAST = re.compile(r"\b(?:but|however|though|although|except|yet)\b|;")


class _LinearVader(SentimentIntensityAnalyzer):
    """VADER with upstream's scores in linear time.

    Upstream's word checks lower-case the whole word list again for every scored word (quadratic in a
    long clause); they only ever read the few words around word ``i``, so they are handed just those.
    """

    @staticmethod
    def _negation_check(valence: float, words_and_emoticons: list[str], start_i: int, i: int) -> float:
        lo = max(0, i - 3)  # reads words i-3 .. i-1
        return SentimentIntensityAnalyzer._negation_check(valence, words_and_emoticons[lo : i + 1], start_i, i - lo)

    @staticmethod
    def _special_idioms_check(valence: float, words_and_emoticons: list[str], i: int) -> float:
        lo = max(0, i - 3)  # reads words i-3 .. i+2 (called only for i >= 3)
        return SentimentIntensityAnalyzer._special_idioms_check(valence, words_and_emoticons[lo : i + 3], i - lo)


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    analyzer = _LinearVader()
    analyzer.lexicon.update(_LEXICON)
    return analyzer


def _valence(compound: float) -> float:
    """Invert VADER's squashing: the summed valence behind a compound score."""
    c = max(-0.9999, min(0.9999, compound))
    return c * math.sqrt(_ALPHA) / math.sqrt(1.0 - c * c)


def _clause_valence(clause: str) -> tuple[float, bool]:
    """Summed word valence plus phrase cues of one clause, and whether anything scored at all.

    A cue's words are blanked before VADER reads the clause: "expected better" is a complaint, and
    "better" must not also count as praise.
    """
    text = _SENSE_LIKE.sub(r"\1 as", _PRETTY_ADJ.sub("quite ", clause.lower().replace("’", "'")))
    cues = 0.0
    for weight, pattern in _CUE_PATTERNS if _ANY_CUE.search(text) else ():
        blanked: list[tuple[int, int]] = []
        for match in pattern.finditer(text):
            start = match.start()
            # The negator is looked for in the text as blanked so far, the cue's earlier matches included.
            lo = max(0, start - 25)  # one character more than the window, for its leading \b
            window = _blank(text[lo:start], blanked, lo)
            negated = _NEGATOR.search(window, max(0, start - 24) - lo)
            if negated:
                start = lo + negated.start()
            cues += _CUE_NEGATION * weight if negated else weight
            blanked.append((start, match.end()))
        text = _blank(text, blanked, 0)
    words = _valence(_analyzer().polarity_scores(text)["compound"]) if text.strip() else 0.0
    return words + cues, bool(cues or words)


def _blank(text: str, spans: list[tuple[int, int]], offset: int) -> str:
    """``text`` (which starts at ``offset`` of the clause) with the clause ``spans`` overlapping it turned to spaces.

    ``spans`` are in order of their ends, so only the last few can reach into a short window.
    """
    if not spans or spans[-1][1] <= offset:
        return text
    chars = list(text)
    for start, end in reversed(spans):
        if end <= offset:
            break
        lo, hi = max(start - offset, 0), min(end - offset, len(chars))
        chars[lo:hi] = " " * (hi - lo)
    return "".join(chars)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def sentiment_score(text: str) -> float:
    """How positive ``text`` is, in [-1, 1]; 0 when it carries no sentiment at all."""
    total = 0.0
    evidence = False
    for sentence in _sentences(text):
        parts = _CONTRAST.split(sentence, maxsplit=1)
        if len(parts) == 2 and parts[0].strip() and parts[1].strip():
            before, before_hit = _clause_valence(parts[0])
            after, after_hit = _clause_valence(parts[1])
            total += before / _CONTRAST_WEIGHT + after * _CONTRAST_WEIGHT
            evidence |= before_hit or after_hit
        else:
            value, hit = _clause_valence(sentence)
            total += value
            evidence |= hit
    if not evidence:
        return 0.0
    raw = total + _BIAS
    return raw / math.sqrt(raw * raw + _ALPHA)


def sentiment_label(score: float) -> str:
    """``positive`` / ``negative`` / ``neutral`` for a sentiment score."""
    if score >= NEUTRAL_BAND:
        return "positive"
    if score <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"
