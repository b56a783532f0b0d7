"""The team's phrasing corpus, read as the app reads it: per-family accuracy, and the quoted regressions."""

import pytest

from mmrec.bench.understanding import FAMILY_TARGET, OVERALL_TARGET, evaluate, load_corpus, mismatches
from mmrec.understanding import SentimentModel

VOCABULARY, PHRASINGS = load_corpus()
FAMILIES = {p.family for p in PHRASINGS}


def test_corpus_covers_every_family_with_at_least_150_phrasings():
    assert len(PHRASINGS) >= 150
    assert {
        "explicit exclusion",
        "wish",
        "rhetorical negation",
        "contrast",
        "relative price",
        "relative colour",
        "misheard ratings",
        "non-English",
        "gibberish",
    } == FAMILIES
    assert all(sum(p.family == f for p in PHRASINGS) >= 15 for f in FAMILIES)


@pytest.fixture(scope="module")
def app_sentiment(text_encoder, cache_root):
    """Sentiment as the app scores it: the learned head over the offline sentence encoder."""
    return SentimentModel(text_encoder, cache_root=cache_root).score


def test_per_family_accuracy_meets_the_targets(app_sentiment):
    rows, failures = evaluate(PHRASINGS, VOCABULARY, app_sentiment)
    accuracy = {row["family"]: row["accuracy"] for row in rows}
    assert accuracy["all"] >= OVERALL_TARGET, failures
    assert min(accuracy.values()) >= FAMILY_TARGET, failures


@pytest.mark.parametrize(
    "text",
    [
        "Great jacket, but I wish it came in blue",
        "show me only blue things, nothing red",
        "I am OBSESSED with this watch. I can't say this is the coolest looking watch, but it's great",
        "Don't know why people on here are so negative about these pants",
        "What's not to like about this bag?!",
        "one tar",
        "a solid form",
        "5 out and 5",
        "asdfgh qwerty",
    ],
)
def test_every_example_quoted_in_the_issue_is_read_as_a_user_means_it(text, app_sentiment):
    phrasing = next(p for p in PHRASINGS if p.text == text)
    assert mismatches(phrasing, VOCABULARY, app_sentiment) == []
