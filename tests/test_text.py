"""clean_text: markup out, the user's words in, hostile input refused or cleaned in linear time."""

import contextlib
import time

import pytest

from mmrec.errors import TextInputError
from mmrec.understanding import clean_text
from mmrec.understanding import text as text_module


def _best_seconds(fn, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("size <M or L jacket", "size <M or L jacket"),
        ("I love it <so much, red jacket please", "I love it <so much, red jacket please"),
        ("sizes <M> and <L> please", "sizes <M> and <L> please"),
        ("I <3 it, and 3 < 4 > 2", "I <3 it, and 3 < 4 > 2"),
        ("I want <a red jacket, and <b>bold</b> too", "I want <a red jacket, and bold too"),
        ("tea <scripts> ok", "tea <scripts> ok"),
    ],
)
def test_a_stray_less_than_sign_is_text_and_keeps_the_words_after_it(raw, cleaned):
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize(
    "raw",
    [
        "<b>red</b> jacket please",
        "<img src=x onerror=alert(2)>red jacket please",
        '<IMG SRC="x" ONERROR="alert(2)"/>red jacket please',
        "<script>alert(1)</script>red jacket please",
        "<script type='module'>let a = 1 < 2;</script >red jacket please",
        "<style>p{color:red}</style>red jacket please",
        "<!-- a comment <b> -->red jacket please",
        "<!DOCTYPE html><html><body><p>red jacket please</p></body></html>",
        "<my-widget data-x=1>red jacket please</my-widget>",
        "&lt;script&gt;alert(1)&lt;/script&gt;red jacket please",
        "&#x3C;img src=x onerror=alert(1)&#x3E;red jacket please",
    ],
)
def test_markup_is_removed_without_eating_what_follows(raw):
    assert clean_text(raw) == "red jacket please"


def test_an_unclosed_script_hides_everything_after_it():
    assert clean_text("red jacket <script>alert(1) and more") == "red jacket"


def test_raw_input_over_the_raw_cap_is_refused_before_any_cleaning(monkeypatch):
    def never(text: str) -> str:
        raise AssertionError("markup was scanned before the length check")

    monkeypatch.setattr(text_module, "_without_markup", never)
    huge = "<script " * 125_000  # 1 MB
    started = time.perf_counter()
    with pytest.raises(TextInputError, match=r"1000000 characters long before cleaning; the limit is 50000"):
        clean_text(huge)
    assert time.perf_counter() - started < 0.1


def test_both_limits_are_keyword_arguments():
    with pytest.raises(TextInputError, match="before cleaning; the limit is 100"):
        clean_text("<b>x</b>" * 20, max_raw_chars=100)
    assert clean_text("<b>x</b>" * 20, max_raw_chars=160, max_chars=40) == " ".join("x" * 20)
    assert text_module.MAX_RAW_CHARS >= 5 * text_module.MAX_CHARS


@pytest.mark.parametrize("raw", ["nice \ud800 bag", "\udfff", "ok \udc80\udc80"])
def test_lone_surrogates_are_refused_as_invalid_characters(raw):
    with pytest.raises(TextInputError, match="invalid characters"):
        clean_text(raw)


@pytest.mark.parametrize(
    "unit", ["<script ", "<", '<b x="', "<b x='<i y=\"", "<so>", "<b>", "&lt;b ", "<!--", "<a-", "<script>x</script>"]
)
def test_cleaning_time_grows_linearly_with_hostile_markup(unit):
    def clean(n: int) -> None:
        with contextlib.suppress(TextInputError):
            clean_text(unit * (n // len(unit)), max_chars=10**6)

    small, large = _best_seconds(lambda: clean(12_000)), _best_seconds(lambda: clean(48_000))
    assert large < 8 * small + 0.005, f"4x the input took {large / small:.1f}x the time"
