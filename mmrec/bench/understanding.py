"""Language understanding on the team's phrasing corpus: per family, how often a phrasing is read as expected.

    python -m mmrec.bench understanding [--corpus FILE] [--sentiment learned|lexicon] [--out result.json]

The corpus (``mmrec/understanding/phrasings.jsonl``) opens with the vocabulary it is read against (the
Luma catalog's colours and leaf categories, a few of its attribute words), then one phrasing a line with
its ``family`` and what it must give. A phrasing is read correctly when every stated expectation holds:

* ``wants``: these terms are wanted (others may be too); ``avoids``: exactly these are avoided;
* ``exclude`` / ``only``: exactly these colours and categories are hard-excluded / the only ones allowed;
  both default to none, so praise that sets a hard filter is wrong even when nothing is said about it;
* ``rating``: the rating read (default none); ``intent``: "more" / "less";
* ``max_price``, ``min_price``, ``cheaper``, ``pricier``, ``lighter``, ``darker``: the price and colour filters;
* ``not_understood``: the text is answered "I didn't understand that", and the reply names this word
  (a language, or "words" for gibberish).

``--sentiment learned`` (the default) scores clauses as the app does, with the sentiment head over the
offline sentence encoder; ``lexicon`` uses the rule-based scorer only (no model).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NotUnderstoodError
from ..understanding import Understanding, Vocabulary, understand
from .common import report

CORPUS = Path(__file__).resolve().parent.parent / "understanding" / "phrasings.jsonl"
OVERALL_TARGET = 0.95
FAMILY_TARGET = 0.85
_FILTER_FLAGS = ("cheaper", "pricier", "lighter", "darker")
_PRICES = ("max_price", "min_price")


@dataclass(frozen=True)
class Phrasing:
    family: str
    text: str
    expect: dict[str, Any]


def load_corpus(path: Path = CORPUS) -> tuple[Vocabulary, list[Phrasing]]:
    """The corpus's vocabulary and its phrasings, in file order."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    vocabulary = Vocabulary(**{k: tuple(v) for k, v in lines[0]["vocabulary"].items()})
    phrasings = [
        Phrasing(line["family"], line["text"], {k: v for k, v in line.items() if k not in ("family", "text")})
        for line in lines[1:]
    ]
    return vocabulary, phrasings


def mismatches(
    phrasing: Phrasing, vocabulary: Vocabulary, sentiment: Callable[[str], float] | None = None
) -> list[str]:
    """What ``phrasing`` was read as that its expectations rule out; empty when it was read correctly."""
    expect = phrasing.expect
    try:
        u = understand(phrasing.text, vocabulary, sentiment=sentiment)
    except NotUnderstoodError as e:
        word = expect.get("not_understood")
        if not word:
            return [f"not understood: {e}"]
        return [] if word.lower() in str(e).lower() else [f"reply does not name {word!r}: {e}"]
    if expect.get("not_understood"):
        return [f"understood, expected 'I didn't understand that' ({expect['not_understood']})"]
    return _read_wrong(u, expect)


def _read_wrong(u: Understanding, expect: dict[str, Any]) -> list[str]:
    wrong = []
    missing = set(expect.get("wants", ())) - set(u.wants)
    if missing:
        wrong.append(f"wants {sorted(u.wants)}, missing {sorted(missing)}")
    if "avoids" in expect and set(u.avoids) != set(expect["avoids"]):
        wrong.append(f"avoids {sorted(u.avoids)}, expected {sorted(expect['avoids'])}")
    f = u.filters
    excluded, only = f.exclude_colors | f.exclude_categories, f.include_colors | f.include_categories
    if excluded != set(expect.get("exclude", ())):
        wrong.append(f"excludes {sorted(excluded)}, expected {sorted(expect.get('exclude', ()))}")
    if only != set(expect.get("only", ())):
        wrong.append(f"only {sorted(only)}, expected {sorted(expect.get('only', ()))}")
    if u.rating != expect.get("rating"):
        wrong.append(f"rating {u.rating}, expected {expect.get('rating')}")
    if "intent" in expect and u.intent != expect["intent"]:
        wrong.append(f"intent {u.intent}, expected {expect['intent']}")
    for name in _FILTER_FLAGS:
        if getattr(f, name) != expect.get(name, False):
            wrong.append(f"{name} is {getattr(f, name)}")
    for name in _PRICES:
        if getattr(f, name) != expect.get(name):
            wrong.append(f"{name} {getattr(f, name)}, expected {expect.get(name)}")
    return wrong


def evaluate(
    phrasings: list[Phrasing], vocabulary: Vocabulary, sentiment: Callable[[str], float] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(one row per family plus "all": n, correct, accuracy), and each misread phrasing with what went wrong."""
    by_family: dict[str, list[bool]] = defaultdict(list)
    failures = []
    for phrasing in phrasings:
        wrong = mismatches(phrasing, vocabulary, sentiment)
        by_family[phrasing.family].append(not wrong)
        if wrong:
            failures.append({"family": phrasing.family, "text": phrasing.text, "wrong": "; ".join(wrong)})
    everything = [ok for oks in by_family.values() for ok in oks]
    rows = [_row(family, oks) for family, oks in by_family.items()] + [_row("all", everything)]
    return rows, failures


def _row(family: str, oks: list[bool]) -> dict[str, Any]:
    return {"family": family, "n": len(oks), "correct": sum(oks), "accuracy": round(sum(oks) / len(oks), 3)}


def _learned_sentiment() -> Callable[[str], float]:
    from ..encoders.registry import load_encoder
    from ..runtime_settings import RuntimeSettings
    from ..understanding import SentimentModel

    settings = RuntimeSettings.from_env()
    encoder = load_encoder("text", cache_dir=settings.cache_dir, **settings.encoder("text"))
    model = SentimentModel(encoder, cache_root=settings.cache_dir)
    return model.score


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="phrasing corpus (JSON lines)")
    parser.add_argument("--sentiment", choices=("learned", "lexicon"), default="learned")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args(argv)
    vocabulary, phrasings = load_corpus(args.corpus)
    rows, failures = evaluate(phrasings, vocabulary, _learned_sentiment() if args.sentiment == "learned" else None)
    if failures:
        report("misread phrasings", failures, None)
    report(
        f"understanding per phrasing family ({args.sentiment} sentiment; targets: all >= {OVERALL_TARGET}, "
        f"each family >= {FAMILY_TARGET})",
        rows,
        args.out,
        {"failures": failures},
    )


if __name__ == "__main__":
    main()
