import pytest

from mmrec.understanding import extract_rating


@pytest.mark.parametrize(
    ("text", "stars"),
    [
        ("four stars", 4.0),
        ("Four stars. Great tee but it runs small.", 4.0),
        ("I'd give it 4 out of 5", 4.0),
        ("four out of five", 4.0),
        ("a solid three", 3.0),
        ("It's a solid 3, nothing more.", 3.0),
        ("3.5 stars", 3.5),
        ("three and a half stars", 3.5),
        ("three point five stars", 3.5),
        ("4½ stars", 4.5),
        ("4/5", 4.0),
        ("rating: 2/5, would not buy again", 2.0),
        ("five-star jacket!", 5.0),
        ("one star", 1.0),
        ("1 star. The zipper broke.", 1.0),
        ("ten out of ten", 5.0),
        ("8/10 would wear again", 4.0),
        ("I give it a four.", 4.0),
        ("I would rate this 4.5!", 4.5),
        ("zero stars", 0.5),
        ("half a star", 0.5),
        ("★★★★☆ great", 4.0),
    ],
)
def test_stated_ratings_are_read_in_half_stars(text, stars):
    assert extract_rating(text) == stars


@pytest.mark.parametrize(
    "text",
    [
        "Great jacket with 2 pockets",
        "I wear a size 4 and it fits",
        "Bought it on 4/5/2024",
        "someone starred it in a video",
        "a solid 3 pockets",
        "100 stars",
        "Love it, so comfortable",
        "it took 5 days to arrive",
    ],
)
def test_text_without_a_rating_gives_none(text):
    assert extract_rating(text) is None


@pytest.mark.parametrize(
    ("text", "stars"),
    [
        ("For stars, love the fabric.", 4.0),
        ("fore stars", 4.0),
        ("Free stars, nice design.", 3.0),
        ("tree stars", 3.0),
        ("Fine stars, more like this please.", 5.0),
        ("Won star, it fell apart.", 1.0),
        ("to stars, the color is off", 2.0),
        ("Too stars.", 2.0),
        ("I'd give it to out of five.", 2.0),
        ("Free out of 5, okay for the price", 3.0),
        ("for-star jacket", 4.0),
        ("For and a half stars, great quality", 4.5),
        ("Four. Stars. Love it.", 4.0),
        ("Three, out of five.", 3.0),
        ("three-and-a-half stars", 3.5),
        ("It's great for the price, 2 stars though", 2.0),
        ("a solid free", 3.0),
        ("A solid free.", 3.0),
        ("Honestly a five, I wear it every day.", 5.0),
        ("Honestly, a 5, I wear this jacket every day.", 5.0),
    ],
)
def test_speech_recognition_homophones_count_only_before_stars_or_out_of(text, stars):
    assert extract_rating(text) == stars


@pytest.mark.parametrize(
    "text",
    [
        "It is okay for the price",
        "Free shipping and a free tote",
        "Fine fabric, too small for me",
        "I went to the store for a star print tee",
        "Look for star patterns",
        "too star-studded for my taste",
        "I want to star this one",
        "took it out of the box, fine",
        "it feels solid too.",
        "the sole is solid for hiking",
        "honestly a 5 minute walk",
    ],
)
def test_homophones_elsewhere_are_not_ratings(text):
    assert extract_rating(text) is None


@pytest.mark.parametrize(
    ("text", "stars"),
    [
        ("for stars", 4.0),
        ("Free stars.", 3.0),
        ("one tar", 1.0),
        ("It's a solid form.", 4.0),
        ("5 out and 5", 5.0),
        ("fore out of five", 4.0),
        ("a solid fine", 5.0),
        ("tree stars, the zip broke", 3.0),
        ("I'm giving it a for", 4.0),
        ("I give it two out and I'm a nipper road.", 2.0),  # Whisper base on "two out of five" at 15 dB SNR
    ],
)
def test_number_words_misheard_by_speech_recognition_are_read_by_sound(text, stars):
    assert extract_rating(text) == stars


@pytest.mark.parametrize(
    "text",
    [
        "a solid fit.",
        "the stars on the sleeve",
        "fun stars print",
        "it's solid, to be fair",
        "I ran it two out and back",
    ],
)
def test_words_that_only_resemble_numbers_are_not_ratings(text):
    assert extract_rating(text) is None
