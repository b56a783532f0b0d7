"""The process-wide part of the recommender: catalog, encoders and per-modality embedding indexes.

An :class:`Engine` is built once per process (models load once) and shared by every
:class:`~mmrec.session.Session`; it holds no per-user state.

Modalities (each a space where the profile keeps signals and items get a score):

- ``text``: the sentence encoder over item texts; reviews, voice transcripts, liked/disliked items.
- ``image``: the image encoder (CLIP, else the visual-feature fallback) over item photos; uploaded
  photos, liked/disliked items.
- ``clip_text``: CLIP's text tower against item photos (text → image); only when CLIP is live.
"""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .cache_files import cache_health
from .catalog import Catalog, Item, load_catalog
from .config import DEFAULT_CACHE_DIR
from .encoders.base import EmbeddingEncoder, Encoder, Status
from .encoders.registry import load_encoder
from .errors import ModelUnavailableError, TooLittleDataError
from .index import EmbeddingIndex, embed_catalog
from .item_store import ItemStore
from .runtime_settings import RuntimeSettings
from .understanding import SentimentModel, Vocabulary

RECENT_QUERIES = 256


@dataclass
class Modality:
    """A space: the item index and the encoder that maps user input into it."""

    name: str
    index: EmbeddingIndex
    encoder: EmbeddingEncoder


class Engine:
    """Catalog + encoders + indexes, loaded once and shared by sessions."""

    def __init__(
        self,
        catalog: Catalog,
        modalities: dict[str, Modality],
        *,
        transcriber: Encoder | None = None,
        unavailable: dict[str, Status] | None = None,
        cache_root: Path | None = None,
    ) -> None:
        self.catalog = catalog
        self.modalities = modalities
        self.store = ItemStore(catalog, {name: m.index for name, m in modalities.items()})
        self.transcriber = transcriber
        self.vocabulary = Vocabulary.from_catalog(catalog)
        self.sentiment = SentimentModel(modalities["text"].encoder, cache_root=cache_root)
        self._recent_queries: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()
        self.unavailable = dict(unavailable or {})

    @classmethod
    def load(
        cls,
        catalog: str | Path | Catalog,
        *,
        settings: RuntimeSettings | None = None,
        text_model: str | None = None,
        image: bool = True,
        speech: bool = True,
        cache_dir: str | Path | None = None,
        progress: bool = False,
    ) -> Engine:
        """Load the catalog and every encoder, and embed the catalog (cached on disk).

        ``settings`` (default: :meth:`RuntimeSettings.from_env`, read once here) say which models run;
        ``text_model``, ``image=False``, ``speech=False`` and ``cache_dir`` override them.
        """
        settings = (settings or RuntimeSettings.from_env()).with_cli(text_model=text_model, image=image, speech=speech)
        if not isinstance(catalog, Catalog):
            catalog = load_catalog(catalog)
        root, cache_problem = cache_health(Path(cache_dir or settings.cache_dir or DEFAULT_CACHE_DIR).expanduser())
        unavailable: dict[str, Status] = {}
        if cache_problem:
            warnings.warn(cache_problem, stacklevel=2)
            unavailable["cache"] = Status(True, "cache", cache_problem, degraded=True)
        text = load_encoder("text", cache_dir=root, **settings.encoder("text"))
        text_vectors, present = embed_catalog(catalog, text, Item.text, cache_root=root, progress=progress)
        modalities = {"text": Modality("text", EmbeddingIndex(text_vectors, present, model=text.name), text)}
        if settings.image:
            modalities.update(_image_modalities(catalog, root, progress, unavailable, settings))
        else:
            unavailable["image"] = Status(False, "-", "photo input is switched off")
        transcriber = None
        if settings.speech:
            transcriber = load_encoder("speech", cache_dir=root, **settings.encoder("speech"))
        else:
            unavailable["speech"] = Status(False, "-", "voice input is switched off")
        engine = cls(catalog, modalities, transcriber=transcriber, unavailable=unavailable, cache_root=root)
        engine.sentiment.load()
        return engine

    def status(self) -> dict[str, Status]:
        """Which component runs each modality, or why it does not."""
        out = {name: m.encoder.status for name, m in self.modalities.items()}
        if self.transcriber is not None:
            out["speech"] = self.transcriber.status
        for name, status in self.unavailable.items():
            out.setdefault(name, status)
        return out

    def encode(self, modality: str, value: Any) -> np.ndarray:
        """``value`` (text, image...) as a unit vector in ``modality``'s space; recent texts are remembered.

        Safe from many threads: the cache is read and written under a lock, the encoding runs outside it
        (two threads missing the same text both encode it, and agree).
        """
        if not isinstance(value, str):
            return self.modalities[modality].encoder.encode([value])[0]
        key = (modality, value)
        with self._queries_lock:
            vector = self._recent_queries.get(key)
            if vector is not None:
                self._recent_queries.move_to_end(key)
                return vector
        vector = self.modalities[modality].encoder.encode([value])[0]
        vector.setflags(write=False)
        with self._queries_lock:
            self._recent_queries[key] = vector
            if len(self._recent_queries) > RECENT_QUERIES:
                self._recent_queries.popitem(last=False)
        return vector

    def best_similarity(self, modality: str, vector: np.ndarray) -> float:
        """The cosine of ``vector`` to its closest item in ``modality`` (0 for a zero vector or no items)."""
        index = self.modalities[modality].index
        if not np.any(vector) or not index.present.any():
            return 0.0
        return float(np.max(index.scores(vector)[index.present]))

    def sentiment_of(self, text: str) -> float:
        """Sentiment in [-1, 1] of ``text``, reusing its sentence embedding."""
        return self.sentiment.score(text, self.encode("text", text))

    def item_vector(self, modality: str, row: int) -> np.ndarray | None:
        """Item ``row``'s vector in ``modality``, or None (see :meth:`ItemStore.item_vector`)."""
        return self.store.item_vector(modality, row)

    def encoder_versions(self) -> dict[str, str]:
        """Space (and ``speech``) -> the model that runs it, for turn records."""
        out = {name: m.encoder.name for name, m in self.modalities.items()}
        if self.transcriber is not None:
            out["speech"] = self.transcriber.name
        return out


def _image_modalities(
    catalog: Catalog, root: Path, progress: bool, unavailable: dict[str, Status], settings: RuntimeSettings
) -> dict[str, Modality]:
    from .encoders.visual import VisualFeatureEncoder

    image_encoder = load_encoder("image", cache_dir=root, **settings.encoder("image"))
    clip_text = image_encoder.text_encoder()
    try:
        vectors, present = embed_catalog(
            catalog,
            image_encoder,
            lambda item: item.image,
            cache_root=root,
            usable=lambda item: item.image is not None,
            progress=progress,
        )
    except ModelUnavailableError as e:
        warnings.warn(str(e), stacklevel=3)
        unavailable["image"] = Status(False, image_encoder.name, str(e))
        return {}
    if isinstance(image_encoder, VisualFeatureEncoder):
        image_encoder, vectors = _fit_to_categories(catalog, image_encoder, vectors, present)
    index = EmbeddingIndex(vectors, present, model=image_encoder.name)
    out = {"image": Modality("image", index, image_encoder)}
    if clip_text is not None:
        out["clip_text"] = Modality("clip_text", index, clip_text)
    else:
        unavailable["clip_text"] = Status(
            False, "-", "text-to-image matching needs CLIP; the live image encoder is not CLIP"
        )
    return out


def _fit_to_categories(
    catalog: Catalog, encoder: EmbeddingEncoder, vectors: np.ndarray, present: np.ndarray
) -> tuple[EmbeddingEncoder, np.ndarray]:
    """The visual-feature encoder with its shape features fitted to the catalog's categories, and the
    projected rows; unchanged, with a warning and a status saying why, when the photos are too few."""
    from .encoders.visual import ProjectedVisualEncoder, VisualFeatureEncoder, fit_category_projection

    labels = np.array([item.category for item in catalog], dtype=object)
    fit_rows = present & (labels != "")
    try:
        projection = fit_category_projection(vectors[fit_rows], list(labels[fit_rows]))
    except TooLittleDataError as e:
        reason = f"shape features not fitted to this catalog's categories: {e}"
        warnings.warn(f"photo search: {reason}", stacklevel=4)
        return VisualFeatureEncoder(reason=f"{encoder.status.reason}; {reason}"), vectors
    projected = np.zeros((len(vectors), projection.dim), dtype=np.float32)
    projected[present] = projection.apply(vectors[present])
    return ProjectedVisualEncoder(encoder, projection), projected
