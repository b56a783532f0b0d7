"""Catalog embeddings per modality: computed once per (item content, model id), cached on disk, searched.

:func:`embed_catalog` encodes only the items whose content key is not yet in the cache (so adding
items or images is incremental) and stores vectors as ``.npz`` without pickle. :class:`EmbeddingIndex`
scores every item exactly with one matrix product; for large catalogs :meth:`EmbeddingIndex.candidates`
uses an approximate FAISS IVF index when ``faiss`` is installed.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .cache_files import read_arrays, write_arrays
from .catalog import Catalog, Item, item_key
from .encoders.base import EmbeddingEncoder, normalize_rows
from .errors import InputError

APPROXIMATE_ABOVE = 200_000
"""Catalog size above which candidate generation switches to the approximate index."""
SCORE_CHUNK = 4096


def embed_catalog(
    catalog: Catalog,
    encoder: EmbeddingEncoder,
    to_input: Callable[[Item], Any],
    *,
    cache_root: Path,
    usable: Callable[[Item], bool] = lambda item: True,
    progress: bool = False,
    batch_size: int = 32,
) -> tuple[np.ndarray, np.ndarray]:
    """Vectors for every item (zero rows where ``usable`` is false or encoding failed) and a mask of rows present.

    The cache file is keyed by model id and holds per-item content keys, so a changed or added item
    is re-encoded alone.
    """
    path = cache_root / "embeddings" / f"{_slug(encoder.name)}-{encoder.modality}.npz"
    cached = _read_cache(path)
    keys = [item_key(item) for item in catalog]
    dim = encoder.dim
    vectors = np.zeros((len(catalog), dim), dtype=np.float32)
    present = np.zeros(len(catalog), dtype=bool)
    todo: list[int] = []
    for row, (item, key) in enumerate(zip(catalog, keys)):
        if not usable(item):
            continue
        hit = cached.get(key)
        if hit is not None and hit.shape == (dim,):
            vectors[row], present[row] = hit, True
        else:
            todo.append(row)
    broken: list[int] = []
    if todo:
        for start in _progress(range(0, len(todo), batch_size), progress, encoder, len(todo), batch_size):
            rows = todo[start : start + batch_size]
            encoded = _encode_batch(encoder, [to_input(catalog[r]) for r in rows], batch_size, broken, rows)
            finite = np.isfinite(encoded).all(axis=1)
            if not finite.all():  # a broken model: those items are skipped, not ranked as NaN
                encoded[~finite] = 0.0
                broken.extend(r for r, ok in zip(rows, finite.tolist()) if not ok)
            vectors[rows] = encoded
            present[rows] = np.linalg.norm(encoded, axis=1) > 0
        cached.update({keys[r]: vectors[r] for r in todo if present[r]})
        _write_cache(path, cached)
    if broken:
        names = ", ".join(catalog[r].id for r in broken[:5]) + (" …" if len(broken) > 5 else "")
        warnings.warn(
            f"{len(broken)} item(s) could not be encoded by {encoder.name} and are skipped: {names}", stacklevel=2
        )
    return vectors, present


def _encode_batch(
    encoder: EmbeddingEncoder, inputs: list[Any], batch_size: int, broken: list[int], rows: list[int]
) -> np.ndarray:
    """Encode a batch; if one input is bad (a corrupt image), encode one by one and record the bad rows."""
    try:
        return encoder.encode(inputs, batch_size=batch_size)
    except InputError:
        out = np.zeros((len(inputs), encoder.dim), dtype=np.float32)
        for i, value in enumerate(inputs):
            try:
                out[i] = encoder.encode([value])[0]
            except InputError:
                broken.append(rows[i])
        return out


def _progress(batches: range, show: bool, encoder: EmbeddingEncoder, total: int, batch_size: int):
    if not show:
        return batches
    from tqdm.auto import tqdm

    return tqdm(batches, desc=f"embedding {total} items ({encoder.name})", unit="batch")


def _slug(name: str) -> str:
    tail = Path(name).name or name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in tail)[:60] + "-" + digest


def _read_cache(path: Path) -> dict[str, np.ndarray]:
    """Cached vectors by content key; {} when the file is absent or fails validation (it is rebuilt)."""
    arrays = read_arrays(path, ("keys", "vectors"))
    if arrays is None or arrays["vectors"].ndim != 2 or len(arrays["keys"]) != len(arrays["vectors"]):
        return {}
    return dict(zip(arrays["keys"].tolist(), arrays["vectors"]))


def _write_cache(path: Path, entries: dict[str, np.ndarray]) -> None:
    write_arrays(path, {"keys": np.array(list(entries), dtype=str), "vectors": np.stack(list(entries.values()))})


class EmbeddingIndex:
    """Unit-norm item vectors of one modality with exact and approximate cosine search."""

    def __init__(self, vectors: np.ndarray, present: np.ndarray | None = None, *, model: str = "") -> None:
        self.vectors = normalize_rows(vectors)
        self.present = np.ones(len(vectors), dtype=bool) if present is None else present.astype(bool)
        self.model = model
        self.mean_vector = (
            self.vectors[self.present].mean(axis=0) if self.present.any() else np.zeros(vectors.shape[1], np.float32)
        )
        self._ann: Any = None

    def __len__(self) -> int:
        return len(self.vectors)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def scores(self, query: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine of ``query`` (one vector, or ``m`` as columns) with every item or the given rows.

        Items without a vector score 0. Several queries cost one pass over the matrix.
        """
        matrix = self.vectors if rows is None else self.vectors[rows]
        query = query.astype(np.float32)
        if query.ndim == 1 or len(matrix) <= SCORE_CHUNK:
            return matrix @ query
        # Several queries: BLAS is slow for very thin products over a big matrix; blocks of rows that
        # stay in cache while every query is applied are about twice as fast.
        out = np.empty((len(matrix), query.shape[1]), dtype=np.float32)
        for start in range(0, len(matrix), SCORE_CHUNK):
            np.matmul(matrix[start : start + SCORE_CHUNK], query, out=out[start : start + SCORE_CHUNK])
        return out

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and scores of the ``k`` nearest items, exact."""
        s = self.scores(query)
        k = min(k, len(s))
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top], kind="stable")]
        return top, s[top]

    def candidates(self, query: np.ndarray, k: int) -> np.ndarray:
        """Rows likely among the ``k`` best for ``query``: approximate above APPROXIMATE_ABOVE items."""
        if len(self) <= APPROXIMATE_ABOVE or not self._ensure_ann():
            return self.search(query, k)[0]
        _, rows = self._ann.search(query.reshape(1, -1).astype(np.float32), k)
        return rows[0][rows[0] >= 0]

    def _ensure_ann(self) -> bool:
        if self._ann is None:
            try:
                self._ann = build_ivf(self.vectors)
            except ImportError:
                self._ann = False
        return self._ann is not False


def build_ivf(vectors: np.ndarray, *, nprobe: int = 16, seed: int = 0) -> Any:
    """A FAISS IVF-Flat inner-product index over ``vectors`` (needs ``faiss-cpu``)."""
    import faiss

    n, dim = vectors.shape
    nlist = max(1, min(4096, int(4 * np.sqrt(n))))
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(seed)
    sample = vectors[rng.choice(n, size=min(n, nlist * 40), replace=False)]
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    index.nprobe = nprobe
    return index
