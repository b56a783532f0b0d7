"""Simulated shoppers: no leak of the target into what they say, reproducible behaviour, a sane oracle.

These run on the catalogs' real items and vocabulary with random item vectors: no model is loaded.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from mmrec.catalog import load_catalog
from mmrec.evaluation import language
from mmrec.evaluation.relevance import CatalogView, product_of
from mmrec.evaluation.runner import shopper_rng
from mmrec.evaluation.shoppers import Shopper, ShopperOptions
from mmrec.understanding import Vocabulary


def fake_view(path: Path) -> CatalogView:
    """A CatalogView over the real catalog with random unit text vectors in place of an encoder."""
    catalog = load_catalog(path)
    vectors = np.random.default_rng(0).normal(size=(len(catalog), 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = SimpleNamespace(vectors=vectors)
    engine = SimpleNamespace(
        catalog=catalog, vocabulary=Vocabulary.from_catalog(catalog), modalities={"text": SimpleNamespace(index=index)}
    )
    return CatalogView(engine)  # type: ignore[arg-type]


@pytest.fixture(scope="module", params=["demo", "luma"])
def view(request, demo_catalog_dir: Path) -> CatalogView:
    if request.param == "demo":
        return fake_view(demo_catalog_dir)
    return fake_view(request.getfixturevalue("luma_dir"))


def conversation(view: CatalogView, seed: int, index: int, turns: int = 5) -> list[str]:
    target = int(np.random.default_rng([seed, index]).integers(view.n))
    shopper = Shopper(view, target, shopper_rng(seed, index, 1))
    shown = list(view.engine.catalog.ids[:10])
    return [shopper.utterance(shown) for _ in range(turns)]


def test_no_utterance_names_the_target_over_many_seeds(view: CatalogView):
    checked = 0
    for seed in range(40):
        for index in range(10):
            target = int(np.random.default_rng([seed, index]).integers(view.n))
            item = view.engine.catalog[target]
            shopper = Shopper(view, target, shopper_rng(seed, index, 1))
            shown = [view.engine.catalog[int(r)].id for r in np.random.default_rng(seed).integers(view.n, size=10)]
            for _ in range(5):
                text = shopper.utterance(shown).lower()
                words = {t.stem for t in language.tokenize(text)}
                assert item.id.lower() not in text
                assert not words & shopper.distinctive, (text, item.name)
                assert language.base_name(item).lower() not in text or not shopper.distinctive
                checked += 1
    assert checked == 40 * 10 * 5


def test_distinctive_words_are_the_names_identifying_words(luma_dir: Path):
    view = fake_view(luma_dir)
    item = view.engine.catalog.get("MH01-black")  # Chaz Kangeroo Hoodie (Black)
    assert {"chaz", "kangeroo"} <= language.distinctive_words(item, view.generic_words)
    assert "hoodie" not in language.distinctive_words(item, view.generic_words)


def test_the_leak_check_catches_a_name_word_and_the_id(luma_dir: Path):
    view = fake_view(luma_dir)
    item = view.engine.catalog.get("MH01-black")
    words = language.distinctive_words(item, view.generic_words)
    language.check_no_leak("a black hoodie for men", item, words)
    with pytest.raises(AssertionError, match="leaks"):
        language.check_no_leak("the Chaz hoodie in black", item, words)
    with pytest.raises(AssertionError, match="leaks"):
        language.check_no_leak("is MH01 in stock?", item, words)


def test_same_seed_same_utterances_other_seed_other_utterances(view: CatalogView):
    assert conversation(view, 3, 1) == conversation(view, 3, 1)
    assert conversation(view, 3, 1) != conversation(view, 4, 1)


def test_a_shopper_without_constraints_states_no_negation_or_price(view: CatalogView):
    for index in range(30):
        target = int(np.random.default_rng([0, index]).integers(view.n))
        opts = ShopperOptions(constraints=False)
        shopper = Shopper(view, target, shopper_rng(0, index, 1), opts)
        for _ in range(4):
            text = shopper.utterance(list(view.engine.catalog.ids[:10])).lower()
            assert "$" not in text and "cheaper" not in text and "not in" not in text and "anything but" not in text


def test_negations_never_name_the_targets_colour(view: CatalogView):
    opts = ShopperOptions(negation_rate=1.0)
    for index in range(30):
        target = int(np.random.default_rng([1, index]).integers(view.n))
        colour = (view.engine.catalog[target].color or "").lower()
        shopper = Shopper(view, target, shopper_rng(1, index, 1), opts)
        text = shopper.utterance(list(view.engine.catalog.ids[:10])).lower()
        for template in language.NEGATIONS:
            head = template.split("{c}")[0].lower()
            if colour and head in text:
                assert f"{head}{colour}" not in text


def test_grades_target_two_siblings_and_lookalikes_one(luma_dir: Path):
    view = fake_view(luma_dir)
    target = view.row("MH01-black")
    grades = view.grades(target)
    assert grades[target] == 2
    assert grades[view.row("MH01-gray")] == 1  # same product, other colour
    same_look = [
        r for r in range(view.n) if view.leaves[r] == "Men/Tops/Hoodies & Sweatshirts" and view.colours[r] == "Black"
    ]
    assert len(same_look) > 3 and all(grades[r] >= 1 for r in same_look)
    assert view.grades(view.row("MH01-orange"))[view.row("WH01-orange")] == 0  # a women's hoodie: another leaf
    assert grades[view.row("24-MB01")] == 0
    assert product_of(view.engine.catalog[target]) == "MH01"


def test_the_oracle_likes_the_target_when_shown_and_never_dislikes_it(luma_dir: Path):
    view = fake_view(luma_dir)
    target = view.row("MH01-black")
    shown = ["24-MB01", "MH01-black", "WS01-green", "MH01-gray"]
    likes = []
    for index in range(50):
        shopper = Shopper(view, target, shopper_rng(0, index, 1), ShopperOptions(error_rate=0.3))
        like, dislike = shopper.feedback(shown)
        likes.append(like)
        assert dislike != "MH01-black"
    assert likes.count("MH01-black") > 25
    exact = Shopper(view, target, shopper_rng(0, 0, 1), ShopperOptions(error_rate=0.0))
    like, dislike = exact.feedback(shown)
    assert like == "MH01-black" and dislike in {"24-MB01", "WS01-green"}
    assert exact.feedback(shown)[0] == "MH01-gray"  # the target is liked already: the next closest, same product


def test_photo_of_a_similar_item_is_a_perturbed_variant(luma_dir: Path):
    view = fake_view(luma_dir)
    target = view.row("MH01-black")
    sources = set()
    for index in range(12):
        image, how = Shopper(view, target, shopper_rng(0, index, 1)).photo()
        assert image.mode == "RGB" and min(image.size) > 100 and len(how["ops"]) == 2
        assert product_of(view.engine.catalog.get(how["source"])) == "MH01"
        sources.add(how["sibling"])
    assert sources == {True, False}
