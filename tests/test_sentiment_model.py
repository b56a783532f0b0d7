import warnings
from pathlib import Path

import numpy as np
import pytest

from mmrec.bench.sentiment_eval import DEV_SET, evaluate
from mmrec.encoders.text import HashingTextEncoder
from mmrec.understanding import SentimentModel, Vocabulary, sentiment_score, understand
from mmrec.understanding.sentiment_model import TRAIN_SET, Head, fit_logistic, load_labelled


def _rows(path: Path) -> list[tuple[str, bool]]:
    return load_labelled(path)


def test_training_set_is_large_balanced_varied_and_separate_from_the_dev_set():
    rows = _rows(TRAIN_SET)
    texts = [text for text, _ in rows]
    assert len(rows) >= 400
    assert 0.4 < sum(p for _, p in rows) / len(rows) < 0.6
    assert len(set(texts)) == len(texts)
    assert not set(texts) & {text for text, _ in _rows(DEV_SET)}
    assert sum(len(t.split()) >= 30 for t in texts) >= 20  # long multi-sentence reviews, not only one-liners


def test_logistic_regression_separates_a_separable_problem_deterministically():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 5))
    y = (x[:, 0] - x[:, 1] > 0).astype(float)
    w = fit_logistic(x, y, l2=0.1)
    assert np.array_equal(w, fit_logistic(x, y, l2=0.1))
    assert ((np.hstack([x, np.ones((200, 1))]) @ w >= 0) == (y > 0)).mean() > 0.97


@pytest.fixture(scope="module")
def model(text_encoder, tmp_path_factory) -> SentimentModel:
    model = SentimentModel(text_encoder, cache_root=tmp_path_factory.mktemp("sentiment"))
    model.load()
    return model


def test_head_trains_deterministically_and_caches_identical_weights(model, text_encoder, tmp_path):
    assert model.cache_path().is_file()
    assert model.cache_path().name.startswith("all-MiniLM-L6-v2-")
    cached = Head.load(model.cache_path(), len(model.head.weights))
    assert np.array_equal(cached.weights, model.head.weights)
    again = SentimentModel(text_encoder, cache_root=tmp_path)
    assert np.array_equal(again.head.weights, model.head.weights)  # retrained from scratch in a fresh cache
    assert again.head.threshold == model.head.threshold


def test_cached_weights_are_reloaded_not_retrained(model, text_encoder):
    path = model.cache_path()
    marked = Head(model.head.weights * 2.0, 0.5, 0.0, 0.0, 1)
    marked.save(path)
    try:
        reloaded = SentimentModel(
            text_encoder, cache_root=path.parent.parent
        )  # the cache root, not its sentiment/ folder
        assert np.array_equal(reloaded.head.weights, marked.weights)
    finally:
        model.head.save(path)


def test_cross_validated_accuracy_on_own_training_data_beats_the_lexicon(model):
    rows = _rows(TRAIN_SET)
    lexicon = evaluate(rows, lambda text: sentiment_score(text) >= 0)
    assert model.head.cv_accuracy >= 0.85
    assert model.head.cv_balanced_accuracy >= 0.85
    assert model.head.cv_accuracy > lexicon["accuracy"] + 0.03


def _learned_predictor(model: SentimentModel, encoder, rows: list[tuple[str, bool]]):
    """``model``'s positive/negative call, from embeddings encoded in one batch beforehand."""
    texts = [text for text, _ in rows]
    embeddings = dict(zip(texts, encoder.encode(texts), strict=True))
    return lambda text: model.score(text, embedding=embeddings[text]) >= 0


def test_dev_set_never_trained_on_is_scored_well(model, text_encoder):
    rows = _rows(DEV_SET)
    result = evaluate(rows, _learned_predictor(model, text_encoder, rows))
    assert result["accuracy"] >= 0.9
    assert result["balanced_accuracy"] >= 0.9


def test_scores_are_in_range_and_a_given_embedding_gives_the_same_score(model, text_encoder):
    for text in ("Love it, fits perfectly.", "Fell apart in a week. Sent it back.", "I bought it on Tuesday."):
        score = model.score(text)
        assert -1.0 <= score <= 1.0
        assert model.score(text, embedding=text_encoder.encode([text])[0]) == pytest.approx(score, abs=1e-6)
    assert model.score("Fits perfectly, so soft. Ordered another.") > 0.3
    assert model.score("The seams split after two washes and the zipper broke.") < -0.3


def test_understand_uses_the_given_sentiment_scorer(model):
    vocabulary = Vocabulary(colors=("Black", "Blue"), categories=("Jackets",))
    text = "Not black please. The blue jacket fell apart after a week, sent it back."
    default = understand(text, vocabulary)
    learned = understand(text, vocabulary, sentiment=model.score)
    assert learned.query_text == default.query_text and "black" not in learned.query_text.lower()
    assert learned.avoids == default.avoids and "Black" in learned.avoids
    assert learned.sentiment == pytest.approx(model.score(learned.query_text))
    assert default.sentiment == sentiment_score(default.query_text)
    assert learned.label == "negative" and learned.polarity < 0


def test_held_out_luma_reviews_reach_the_target(model, text_encoder, luma_dir: Path):
    """Held-out check, never trained or tuned on: measured 85.2% accuracy / 81.8% balanced (lexicon alone:
    82.1% / 76.8%). The accuracy margin is one review, so a change to the training data can tip it."""
    rows = _rows(luma_dir / "reviews.jsonl")
    assert len(rows) == 257
    result = evaluate(rows, _learned_predictor(model, text_encoder, rows))
    assert result["accuracy"] >= 0.85
    assert result["balanced_accuracy"] >= 0.80


def test_falls_back_to_the_lexicon_without_a_sentence_encoder(tmp_path):
    text = "Runs small and the zipper broke. Sent it back."
    with pytest.warns(UserWarning, match="lexicon"):
        none = SentimentModel(None, cache_root=tmp_path)
        assert none.score(text) == sentiment_score(text)
    with pytest.warns(UserWarning, match="degraded"):
        hashed = SentimentModel(HashingTextEncoder(reason="no weights"), cache_root=tmp_path)
        assert hashed.score(text) == sentiment_score(text)
    assert hashed.name == "lexicon" and hashed.head is None
    assert not list(tmp_path.iterdir())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hashed.score(text)  # warned once, not on every call


def test_a_given_cache_root_keeps_the_head_in_its_sentiment_folder(model, tmp_path):
    assert model.cache_path().parent.name == "sentiment"
    assert SentimentModel(model._encoder, cache_root=tmp_path).cache_path().parent == tmp_path / "sentiment"
