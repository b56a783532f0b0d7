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
