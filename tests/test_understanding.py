import time
from pathlib import Path

import pytest

from mmrec.catalog import load_catalog
from mmrec.errors import TextInputError
from mmrec.understanding import Filters, Vocabulary, clean_text, understand

SMALL = Vocabulary(
    colors=("Black", "Blue", "Gray", "Red", "Green"),
    categories=("Jackets", "Hoodies & Sweatshirts", "Tees", "Pants", "Bags", "Shorts"),
    attributes=("Wool", "Striped", "Warm", "Cotton", "Waterproof", "Running"),
)


@pytest.fixture(scope="module")
def luma_vocabulary(luma_mini_dir: Path) -> Vocabulary:
    return Vocabulary.from_catalog(load_catalog(luma_mini_dir))


def test_vocabulary_from_catalog_lists_colors_leaf_categories_and_attribute_words(luma_vocabulary):
    assert {"Black", "Blue", "Gray"} <= set(luma_vocabulary.colors)
    assert {"Jackets", "Hoodies & Sweatshirts", "Tees", "Bags"} <= set(luma_vocabulary.categories)
    assert "Wool" in luma_vocabulary.attributes
    lowered = [a.lower() for a in luma_vocabulary.attributes]
    assert len(lowered) == len(set(lowered)), "attribute words are deduplicated case-insensitively"


def test_request_with_rejected_colour_on_the_real_catalog(luma_vocabulary):
    u = understand("I want a warm jacket for running, not black", luma_vocabulary)
    assert {"Jackets", "Warm"} <= set(u.wants)
    assert u.avoids == ("Black",)
    assert u.filters.exclude_colors == {"Black"}
    assert u.query_text == "I want a warm jacket for running"
    assert u.label != "negative"


@pytest.mark.parametrize(
    "text", ["not black", "not in black please", "no black", "anything but black", "I don't like black", "I hate black"]
)
def test_negations_exclude_the_colour(text):
    u = understand(text, SMALL)
    assert u.avoids == ("Black",)
    assert u.filters.exclude_colors == {"Black"}
    assert "Black" not in u.wants


@pytest.mark.parametrize(
    ("text", "avoided"),
    [
        ("something without stripes", "Striped"),
        ("I hate wool", "Wool"),
        ("don't want anything in wool", "Wool"),
        ("no wool and no polyester", "Wool"),
        ("black is not for me", "Black"),
    ],
)
def test_rejected_attributes_go_to_avoids(text, avoided):
    assert avoided in understand(text, SMALL).avoids


def test_rejection_covers_a_list_but_stops_at_the_clause():
    u = understand("no black or grey, and I want a hoodie", SMALL)
    assert set(u.avoids) == {"Black", "Gray"}
    assert u.wants == ("Hoodies & Sweatshirts",)
    assert u.query_text == "I want a hoodie"


def test_synonyms_and_plurals_map_to_vocabulary_spelling():
    u = understand("Looking for grey hoodies, a navy t-shirt and some trousers", SMALL)
    assert set(u.wants) == {"Gray", "Hoodies & Sweatshirts", "Blue", "Tees", "Pants"}


def test_synonyms_only_map_onto_terms_the_vocabulary_has():
    u = understand("a purple watch", SMALL)
    assert u.wants == ()


def test_runs_small_and_too_short_are_not_terms():
    assert understand("it runs small and is too short", SMALL).wants == ()


def test_only_sets_include_filters_and_prices_set_bounds():
    u = understand("only red ones under $50", SMALL)
    assert u.filters.include_colors == {"Red"}
    assert u.filters.max_price == 50.0
    assert understand("only jackets", SMALL).filters.include_categories == {"Jackets"}
    assert understand("less than 40 dollars", SMALL).filters.max_price == 40.0
    assert understand("below 30", SMALL).filters.max_price == 30.0
    assert understand("over $100", SMALL).filters.min_price == 100.0
    assert understand("a video under 30 minutes", SMALL).filters.max_price is None


def test_relative_price_wishes():
    assert understand("something cheaper please", SMALL).filters.cheaper
    assert understand("this is too pricey", SMALL).filters.cheaper
    assert understand("show me more premium ones", SMALL).filters.pricier
    assert not understand("not too expensive, I like it", SMALL).filters.cheaper


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("more like this", "more"),
        ("love this!", "more"),
        ("something similar but in green", "more"),
        ("not my style", "less"),
        ("not this one", "less"),
        ("show me something else", "less"),
        ("a warm jacket", None),
    ],
)
def test_intent(text, intent):
    assert understand(text, SMALL).intent == intent


def test_polarity_follows_a_stated_rating_over_wording():
    low = understand("Looks great. Two stars.", SMALL)
    high = understand("Five stars, love it", SMALL)
    assert low.rating == 2.0 and low.polarity < 0
    assert high.rating == 5.0 and high.polarity > 0.8
    assert -1.0 <= low.polarity <= 1.0


def test_less_intent_pulls_away_without_sentiment_words():
    assert understand("not my style", SMALL).polarity <= -0.5


def test_filters_merge_newer_statements_over_older_ones():
    older = understand("no black, only jackets under $80", SMALL).filters
    merged = Filters().merged(older).merged(understand("black is fine now", SMALL).filters)
    assert merged.exclude_colors == frozenset()
    assert merged.include_categories == {"Jackets"}
    assert merged.max_price == 80.0
    assert not merged.allow_colors
    assert Filters(include_colors=frozenset({"Red"})).merged(
        Filters(include_colors=frozenset({"Blue"}))
    ).include_colors == {"Blue"}
    assert Filters(max_price=50.0).merged(Filters(min_price=70.0)).max_price is None


def test_filters_to_dict_and_is_empty():
    assert Filters().is_empty() and Filters().to_dict() == {}
    f = Filters(exclude_colors=frozenset({"Red", "Black"}), max_price=30.0)
    assert not f.is_empty()
    assert f.to_dict() == {"exclude_colors": ["Black", "Red"], "max_price": 30.0}


def test_understanding_to_dict_is_json_friendly():
    import json

    d = understand("Not black, four stars", SMALL).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["avoids"] == ["Black"] and d["rating"] == 4.0


def test_query_text_is_never_empty():
    assert understand("no black", SMALL).query_text == "no black"


def test_clean_text_strips_html_scripts_and_entities():
    raw = "<script>alert(1)</script><img src=x onerror=alert(2)> nice bag"
    assert clean_text(raw) == "nice bag"
    assert clean_text("<style>p{color:red}</style><p>Warm &amp; <b>cozy</b></p>\n\n  ok") == "Warm & cozy ok"
    assert understand(raw, SMALL).text == "nice bag"


@pytest.mark.parametrize("text", ["", "   \n\t", "<p></p>", "<script>x</script>"])
def test_clean_text_rejects_empty_input(text):
    with pytest.raises(TextInputError, match="empty"):
        clean_text(text)


def test_clean_text_rejects_huge_input_naming_length_and_limit():
    with pytest.raises(TextInputError, match=r"6000 characters.*limit is 5000"):
        clean_text("a" * 6000)
    assert len(clean_text("b" * 300, max_chars=300)) == 300


ADVERSARIAL_REVIEWS = {
    "one clause of vocabulary words": "black jacket wool tee red striped pants warm ",
    "comma-separated vocabulary words": "black, jacket, wool, tee, red, ",
    "vocabulary after contrasts": "black but warm jacket however ",
    "rejections": "not black not wool not not not ",
    "stray less-than signs": "<so much red jacket < ",
    "praise and complaints": "love it but it runs small, not too tight, sent it back ",
}


@pytest.mark.parametrize("unit", ADVERSARIAL_REVIEWS.values(), ids=ADVERSARIAL_REVIEWS.keys())
def test_a_review_at_the_length_limit_is_read_in_bounded_time(unit):
    review = (unit * (5000 // len(unit) + 1))[:5000]
    started = time.perf_counter()
    understand(review, SMALL)
    assert time.perf_counter() - started < 0.5


def test_a_clause_full_of_terms_is_scored_once(monkeypatch):
    import mmrec.understanding.parse as parse

    calls = []
    monkeypatch.setattr(parse, "sentiment_score", lambda text: calls.append(text) or 0.0)
    u = understand("black jacket wool tee red pants " * 100, SMALL)
    assert len(u.wants) == 6
    assert len(calls) == 2  # the clause around the terms, and the query text


SHOP = Vocabulary(
    colors=("Black", "Blue", "Gray", "Red", "Green"),
    categories=("Jackets", "Tees", "Pants", "Bags", "Watches", "Shorts"),
    attributes=("Wool", "Warm", "Cotton", "Waterproof", "Running"),
)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Love the fit but I wish it came in blue", "Blue"),
        ("I wish it came in blue.", "Blue"),
        ("if only they made it in red", "Red"),
        ("Would be nice in green", "Green"),
    ],
)
def test_a_wish_is_a_want_not_an_exclusion(text, wanted):
    u = understand(text, SHOP)
    assert wanted in u.wants
    assert wanted not in u.avoids
    assert not u.filters.exclude_colors


def test_only_blue_nothing_red_wants_blue_and_excludes_red():
    u = understand("show me only blue things, nothing red", SHOP)
    assert u.filters.include_colors == {"Blue"}
    assert u.filters.exclude_colors == {"Red"}
    assert "Red" not in u.wants


@pytest.mark.parametrize(
    ("text", "praised"),
    [
        ("I am OBSESSED with this watch. I can't say this is the coolest looking watch but I love it", "Watches"),
        ("Don't know why people on here are so negative about these pants", "Pants"),
        ("What's not to like about this bag?!", "Bags"),
        ("Can't complain about these shorts at all", "Shorts"),
    ],
)
def test_praise_with_casual_negation_excludes_nothing_and_leans_positive(text, praised):
    u = understand(text, SHOP)
    assert not u.filters.exclude_categories and not u.filters.exclude_colors
    assert praised not in u.avoids
    assert u.polarity > 0


def test_a_complaint_about_a_colour_leans_away_but_sets_no_hard_filter():
    u = understand("The black faded after one wash, awful", SHOP)
    assert "Black" in u.avoids
    assert not u.filters.exclude_colors
    u = understand("No black please", SHOP)
    assert u.filters.exclude_colors == {"Black"}
