"""A learned review-sentiment head: logistic regression over a sentence embedding and the lexicon score.

The lexicon scorer (:mod:`.sentiment`) reads the phrases it knows; the sentence embedding carries
what it does not (paraphrased complaints, the verdict of a long review). The head is trained on
``train_reviews.jsonl`` (hand-written, balanced) at first use, and its weights are cached on disk,
keyed by encoder name and a hash of the training data, the lexicon source and the head's settings.
The decision threshold is calibrated on out-of-fold scores of the same training data. Without a
usable sentence encoder the model falls back, with a warning, to the lexicon score.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..cache_files import read_arrays, write_arrays
from ..config import cache_dir
from ..encoders.base import EmbeddingEncoder
from ..errors import ModelUnavailableError
from . import sentiment as lexicon
from .sentiment import _sentences, sentiment_score

TRAIN_SET = Path(__file__).resolve().parent / "train_reviews.jsonl"
L2 = 1.0  # ridge strength on the weights (not the bias); chosen by cross-validation on TRAIN_SET
FOLDS = 10
_NEWTON_STEPS = 50
_VERSION = f"logreg-v1-l2={L2}-folds={FOLDS}"


def load_labelled(path: Path) -> list[tuple[str, bool]]:
    """(text, is_positive) for each polar review in a JSONL file.

    A line holds ``text`` and either ``label`` (positive/negative; others skipped) or ``rating``
    (1..5: >= 4 positive, <= 2 negative, 3 skipped).
    """
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            if "label" in record:
                if record["label"] not in ("positive", "negative"):
                    continue
                positive = record["label"] == "positive"
            elif record.get("rating") in (1, 2, 4, 5):
                positive = record["rating"] >= 4
            else:
                continue
            rows.append((str(record["text"]), positive))
    return rows


def lexicon_features(text: str) -> list[float]:
    """Lexicon score of the whole text and of its last sentence (where a review's verdict usually is)."""
    sentences = _sentences(text)
    return [sentiment_score(text), sentiment_score(sentences[-1]) if sentences else 0.0]


def features(embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """The head's input rows: each embedding followed by the lexicon features of its text."""
    extra = np.array([lexicon_features(t) for t in texts], dtype=np.float64).reshape(len(texts), -1)
    return np.hstack([np.asarray(embeddings, dtype=np.float64), extra])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Weights (last entry the bias) of L2-regularised logistic regression, by Newton's method."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    ridge = l2 * np.eye(x1.shape[1])
    ridge[-1, -1] = 0.0
    w = np.zeros(x1.shape[1])
    for _ in range(_NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(x1 @ w)))
        gradient = x1.T @ (p - y) + ridge @ w
        hessian = (x1 * (p * (1.0 - p))[:, None]).T @ x1 + ridge
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def _logits(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return x @ w[:-1] + w[-1]


def out_of_fold_logits(x: np.ndarray, y: np.ndarray, folds: int = FOLDS, l2: float = L2) -> np.ndarray:
    """Each row's logit from a head trained without its fold (rows dealt to folds round-robin)."""
    fold = np.arange(len(y)) % folds
    out = np.empty(len(y))
    for k in range(folds):
        held = fold == k
        out[held] = _logits(fit_logistic(x[~held], y[~held], l2), x[held])
    return out


def binary_metrics(predicted: np.ndarray, positive: np.ndarray) -> dict[str, float]:
    """Accuracy and balanced accuracy (mean of the two class recalls)."""
    predicted, positive = np.asarray(predicted, bool), np.asarray(positive, bool)
    recall_pos = float(predicted[positive].mean()) if positive.any() else 0.0
    recall_neg = float((~predicted[~positive]).mean()) if (~positive).any() else 0.0
    return {
        "accuracy": round(float((predicted == positive).mean()), 4),
        "balanced_accuracy": round((recall_pos + recall_neg) / 2, 4),
    }


def calibrate_threshold(logits: np.ndarray, positive: np.ndarray) -> float:
    """The logit cut with the best balanced accuracy: the middle of the best run of candidate cuts.

    Balanced accuracy, not accuracy, because the training set is balanced while real reviews skew
    positive by an unknown amount; the cut must not assume either prior.
    """
    cuts = np.linspace(-2.0, 2.0, 81)
    scores = np.array([binary_metrics(logits >= c, positive)["balanced_accuracy"] for c in cuts])
    best = np.flatnonzero(scores == scores.max())
    run_end = best[0]
    while run_end + 1 < len(cuts) and scores[run_end + 1] == scores.max():
        run_end += 1
    return float((cuts[best[0]] + cuts[run_end]) / 2)


HEAD_FIELDS = ("weights", "threshold", "cv_accuracy", "cv_balanced_accuracy", "n_train")


@dataclass(frozen=True)
class Head:
    """Trained weights (bias last), the calibrated logit threshold and out-of-fold validation figures."""

    weights: np.ndarray
    threshold: float
    cv_accuracy: float
    cv_balanced_accuracy: float
    n_train: int

    def save(self, path: Path) -> bool:
        """Cache the head at ``path``; False (with a warning) when the cache is not writable."""
        return write_arrays(path, {name: np.asarray(getattr(self, name)) for name in HEAD_FIELDS})

    @classmethod
    def load(cls, path: Path, dim: int) -> Head | None:
        """The head cached at ``path`` for features of length ``dim``, or None if absent or bad."""
        data = read_arrays(path, HEAD_FIELDS)
        if data is None or data["weights"].shape != (dim,):
            return None
        return cls(
            weights=data["weights"],
            threshold=float(data["threshold"]),
            cv_accuracy=float(data["cv_accuracy"]),
            cv_balanced_accuracy=float(data["cv_balanced_accuracy"]),
            n_train=int(data["n_train"]),
        )


def train_head(x: np.ndarray, positive: np.ndarray) -> Head:
    """Fit on all rows; threshold and validation figures from out-of-fold logits."""
    y = np.asarray(positive, dtype=np.float64)
    oof = out_of_fold_logits(x, y)
    threshold = calibrate_threshold(oof, y > 0.5)
    validation = binary_metrics(oof >= threshold, y > 0.5)
    return Head(
        weights=fit_logistic(x, y),
        threshold=threshold,
        cv_accuracy=validation["accuracy"],
        cv_balanced_accuracy=validation["balanced_accuracy"],
        n_train=len(y),
    )


class SentimentModel:
    """Review sentiment in [-1, 1]: the learned head when ``encoder`` is a live sentence encoder, else the lexicon.

    Train-or-load happens on first use (once per instance, thread-safe); :meth:`load` forces it.
    """

    def __init__(
        self,
        encoder: EmbeddingEncoder | None,
        *,
        training_file: Path = TRAIN_SET,
        cache_root: Path | None = None,
    ) -> None:
        self._encoder = encoder
        self._training_file = training_file
        self._cache_root = cache_root
        self._head: Head | None = None
        self._fallback_reason: str | None = None
        self._warned = False
        self._lock = threading.Lock()
        if encoder is None:
            self._fallback_reason = "no sentence encoder given"
        elif not encoder.status.available or encoder.status.degraded:
            self._fallback_reason = f"text encoder is {encoder.status.describe()}"

    @property
    def name(self) -> str:
        """``logreg+lexicon/<encoder>`` for the learned head, ``lexicon`` for the fallback."""
        self.load()
        return "lexicon" if self._head is None else f"logreg+lexicon/{self._encoder.name}"

    @property
    def head(self) -> Head | None:
        """The trained head, or None when falling back to the lexicon."""
        self.load()
        return self._head

    def cache_path(self) -> Path:
        """Where the head's weights for this encoder and training data are cached."""
        assert self._encoder is not None
        digest = hashlib.sha256()
        digest.update(_VERSION.encode())
        digest.update(self._training_file.read_bytes())
        digest.update(Path(lexicon.__file__).read_bytes())
        model = re.sub(r"[^A-Za-z0-9._-]+", "_", self._encoder.name)
        root = (self._cache_root or cache_dir()) / "sentiment"
        return root / f"{model}-{digest.hexdigest()[:16]}.npz"

    def load(self) -> None:
        """Load the cached head, or train and cache it; fall back to the lexicon if the encoder fails."""
        with self._lock:
            if self._head is None and self._fallback_reason is None:
                try:
                    self._head = self._load_or_train()
                except ModelUnavailableError as e:
                    self._fallback_reason = str(e)
            warn = self._fallback_reason is not None and not self._warned
            self._warned |= warn
        if warn:
            warnings.warn(f"sentiment: {self._fallback_reason}; using the lexicon scorer", stacklevel=2)

    def _load_or_train(self) -> Head:
        assert self._encoder is not None
        path = self.cache_path()
        weights = features(np.zeros((1, self._encoder.dim)), [""]).shape[1] + 1  # and the bias
        cached = Head.load(path, weights)
        if cached is not None:
            return cached
        rows = load_labelled(self._training_file)
        texts = [text for text, _ in rows]
        x = features(self._encoder.encode(texts), texts)
        head = train_head(x, np.array([positive for _, positive in rows]))
        head.save(path)
        return head

    def score(self, text: str, embedding: np.ndarray | None = None) -> float:
        """How positive ``text`` is, in [-1, 1] (0 at the decision boundary).

        ``embedding`` is ``text``'s vector from this model's encoder, when the caller already has it.
        """
        head = self.head
        if head is None:
            return sentiment_score(text)
        assert self._encoder is not None
        if embedding is None:
            embedding = self._encoder.encode([text])[0]
        x = features(np.asarray(embedding).reshape(1, -1), [text])
        logit = float(_logits(head.weights, x)[0])
        return float(np.tanh((logit - head.threshold) / 2.0))
