"""Sentiment accuracy on labelled reviews: mmrec's learned head and lexicon scorer against VADER.

    python -m mmrec.bench.sentiment_eval --reviews /path/to/catalog/reviews.jsonl [--out result.json]

A review file holds JSON lines with ``text`` and either ``label`` (positive/negative) or ``rating``
(1..5: >= 4 positive, <= 2 negative, 3 skipped). The development set the lexicon was designed on
(``mmrec/understanding/dev_reviews.jsonl``) is always evaluated too; the learned head is trained on
``train_reviews.jsonl`` only, and its out-of-fold figures on that set are printed as well. A review
counts as predicted positive when its score is >= 0 (mmrec) or its compound >= 0.05 (VADER's
documented threshold). Latency is per review, including sentence encoding for the learned head.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..encoders.registry import load_encoder
from ..runtime_settings import RuntimeSettings
from ..understanding import SentimentModel, sentiment_score
from ..understanding.sentiment_model import FOLDS, load_labelled
from .common import report, summarize_ms

DEV_SET = Path(__file__).resolve().parent.parent / "understanding" / "dev_reviews.jsonl"


def evaluate(rows: list[tuple[str, bool]], predict: Callable[[str], bool]) -> dict[str, Any]:
    """Accuracy, balanced accuracy, confusion counts and per-review latency of ``predict``."""
    tp = fn = fp = tn = 0
    seconds = []
    for text, positive in rows:
        t0 = time.perf_counter()
        predicted = predict(text)
        seconds.append(time.perf_counter() - t0)
        tp += positive and predicted
        fn += positive and not predicted
        fp += not positive and predicted
        tn += not positive and not predicted
    recall_pos = tp / (tp + fn) if tp + fn else 0.0
    recall_neg = tn / (tn + fp) if tn + fp else 0.0
    timing = summarize_ms(seconds)
    return {
        "n": len(rows),
        "accuracy": round((tp + tn) / len(rows), 4),
        "balanced_accuracy": round((recall_pos + recall_neg) / 2, 4),
        "recall_pos": round(recall_pos, 4),
        "recall_neg": round(recall_neg, 4),
        "TP": tp,
        "FN": fn,
        "FP": fp,
        "TN": tn,
        "p50_ms": timing["p50_ms"],
        "p95_ms": timing["p95_ms"],
    }


def _vader() -> Callable[[str], bool]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return lambda text: analyzer.polarity_scores(text)["compound"] >= 0.05


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=Path, required=True, help="JSONL of reviews with text and rating or label")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args(argv)

    settings = RuntimeSettings.from_env()
    encoder = load_encoder("text", cache_dir=settings.cache_dir, **settings.encoder("text"))
    model = SentimentModel(encoder, cache_root=settings.cache_dir)
    methods = {
        model.name: lambda text: model.score(text) >= 0.0,
        "lexicon": lambda text: sentiment_score(text) >= 0.0,
        "vader": _vader(),
    }
    datasets = {"dev (design set)": DEV_SET, f"held-out ({args.reviews.name})": args.reviews}
    rows = []
    for dataset, path in datasets.items():
        labelled = load_labelled(path)
        positives = sum(p for _, p in labelled)
        for method, predict in methods.items():
            predict(labelled[0][0])  # warm up (lexicon and model load)
            row = {"dataset": dataset, "method": method, "positive_share": round(positives / len(labelled), 3)}
            row.update(evaluate(labelled, predict))
            rows.append(row)
    head = model.head
    if head is not None:
        rows.append(
            {
                "dataset": f"own training set ({head.n_train}, {FOLDS}-fold CV)",
                "method": model.name,
                "accuracy": head.cv_accuracy,
                "balanced_accuracy": head.cv_balanced_accuracy,
            }
        )
    report(
        "sentiment accuracy (predicted positive/negative vs label; TP = positive predicted positive)", rows, args.out
    )


if __name__ == "__main__":
    main()
