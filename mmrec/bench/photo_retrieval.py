"""Photo-to-catalog retrieval quality of an image encoder, leave-one-out.

Every catalog item with a photo is a query; its own row is removed from the ranking, and the rest of
the catalog is ranked by cosine similarity of image embeddings. Reported:

* ``leaf_at_1`` — the top item has the query's leaf category (last level of ``categories[0]``);
* ``category_color_at_1`` — over queries whose category path *and* colour another item shares, the top
  item shares both (``leaf_color_at_1``: the same with the leaf category only);
* ``variant_recall_at_10`` — mean share of the query product's other variants (same ``parent_sku``
  or ``group``) found in the top 10.

For the visual-feature fallback, a second row evaluates its catalog-fitted projection, refitted for
every query on the other items' categories (fitting once with the query included would leak its label).

``--half even|odd`` keeps only the products (``parent_sku``/``group``) whose SHA-256 is even or odd: a
fixed development/evaluation split for choosing features on one half and reporting on the other.

Run: ``python -m mmrec.bench.photo_retrieval --catalog /work/shared/catalogs/luma [--half even] [--out JSON]``.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from ..catalog import Catalog, Item, load_catalog
from ..encoders.base import EmbeddingEncoder
from ..encoders.visual import VisualFeatureEncoder, fit_category_projection
from .common import peak_rss_mb, report

# Acceptance thresholds of the offline fallback encoder on the Luma catalog.
LEAF_AT_1_TARGET = 0.90
COLOR_AT_1_TARGET = 0.50


def group_of(item: Item) -> str | None:
    """The product an item is a variant of (``parent_sku`` in Luma, ``group`` in the demo catalog)."""
    value = item.extra.get("parent_sku") or item.extra.get("group")
    return str(value) if value else None


def in_half(item: Item, half: str) -> bool:
    """Whether the item's product (or the item itself, without one) hashes to the ``even``/``odd`` half."""
    key = group_of(item) or item.id
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == (0 if half == "even" else 1)


def retrieval_metrics(items: Sequence[Item], vectors: np.ndarray) -> dict[str, Any]:
    """Leave-one-out metrics of unit-row ``vectors`` (one per item, same order)."""
    if len(items) != len(vectors):
        raise ValueError(f"{len(items)} items but {len(vectors)} vectors")
    return similarity_metrics(items, vectors @ vectors.T)


def similarity_metrics(items: Sequence[Item], similarities: np.ndarray) -> dict[str, Any]:
    """Leave-one-out metrics of a query × item similarity matrix (row ``q`` ranks the catalog for item ``q``)."""
    sims = np.array(similarities, dtype=np.float64)
    np.fill_diagonal(sims, -np.inf)
    order = np.argsort(-sims, axis=1, kind="stable")
    top1 = order[:, 0]
    leaf = np.array([it.leaf_category for it in items], dtype=object)
    cat = np.array([it.category for it in items], dtype=object)
    color = np.array([it.color or "" for it in items], dtype=object)
    group = np.array([group_of(it) or "" for it in items], dtype=object)

    def at_1(match: Callable[[int], np.ndarray]) -> tuple[float, int]:
        hits = []
        for q in range(len(items)):
            same = match(q)
            same[q] = False
            if same.any():
                hits.append(bool(same[top1[q]]))
        return (float(np.mean(hits)) if hits else float("nan")), len(hits)

    leaf_at_1, n_leaf = at_1(lambda q: (leaf == leaf[q]) & (leaf[q] != ""))
    cc_at_1, n_cc = at_1(lambda q: (cat == cat[q]) & (color == color[q]) & (color[q] != ""))
    lc_at_1, n_lc = at_1(lambda q: (leaf == leaf[q]) & (color == color[q]) & (color[q] != ""))

    recalls = []
    for q in range(len(items)):
        if not group[q]:
            continue
        variants = set(np.flatnonzero(group == group[q])) - {q}
        if variants:
            recalls.append(len(variants & set(order[q, :10].tolist())) / len(variants))
    return {
        "queries": len(items),
        "leaf_at_1": round(leaf_at_1, 4),
        "leaf_queries": n_leaf,
        "category_color_at_1": round(cc_at_1, 4),
        "category_color_queries": n_cc,
        "leaf_color_at_1": round(lc_at_1, 4),
        "leaf_color_queries": n_lc,
        "variant_recall_at_10": round(float(np.mean(recalls)), 4) if recalls else float("nan"),
        "variant_queries": len(recalls),
    }


def photo_items(catalog: Catalog, half: str | None = None) -> list[Item]:
    """The catalog's items with a photo (of one :func:`in_half`, if given)."""
    return [it for it in catalog if it.image is not None and (half is None or in_half(it, half))]


def evaluate(
    catalog: Catalog, encoder: EmbeddingEncoder, *, half: str | None = None, progress: bool = False
) -> dict[str, Any]:
    """Encode the catalog's photos (of one :func:`in_half`, if given) and compute :func:`retrieval_metrics`."""
    items = photo_items(catalog, half)
    t0 = time.perf_counter()
    vectors = encoder.encode([it.image for it in items], progress=progress)
    seconds = time.perf_counter() - t0
    return _row(catalog, half, encoder.name, retrieval_metrics(items, vectors), seconds)


def evaluate_fitted(
    catalog: Catalog,
    base: VisualFeatureEncoder,
    *,
    half: str | None = None,
    raw: np.ndarray | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """:func:`evaluate` for the catalog-fitted projection of ``base``, honestly: each query's row comes
    from a projection fitted on the other items' categories (``raw``: ``base`` vectors of
    :func:`photo_items`, computed here if not given)."""
    items = photo_items(catalog, half)
    t0 = time.perf_counter()
    if raw is None:
        raw = base.encode([it.image for it in items], progress=progress)
    labels = np.array([it.category for it in items], dtype=object)
    described = np.abs(raw).sum(axis=1) > 0  # as the engine fits: photos the encoder gave a vector
    sims = np.zeros((len(items), len(items)))
    for q in tqdm(range(len(items)), desc="refitting per query", disable=not progress):
        train = (np.arange(len(items)) != q) & (labels != "") & described
        vectors = fit_category_projection(raw[train], list(labels[train])).apply(raw)
        sims[q] = vectors @ vectors[q]
    seconds = time.perf_counter() - t0
    return _row(catalog, half, f"{base.name}+catalog-lda (refit per query)", similarity_metrics(items, sims), seconds)


def _row(catalog: Catalog, half: str | None, encoder: str, metrics: dict[str, Any], seconds: float) -> dict[str, Any]:
    name = catalog.name if half is None else f"{catalog.name} ({half} half)"
    return {"catalog": name, "encoder": encoder, **metrics, "encode_s": round(seconds, 2)}


def main(argv: list[str] | None = None) -> None:
    from ..encoders.registry import load_encoder
    from ..runtime_settings import RuntimeSettings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, action="append", required=True, help="catalog folder (repeatable)")
    parser.add_argument("--half", choices=["even", "odd"], help="only products whose SHA-256 has this parity")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)

    settings = RuntimeSettings.from_env()
    encoder = load_encoder("image", cache_dir=settings.cache_dir, **settings.encoder("image"))
    print(f"image encoder: {encoder.status.describe()}")
    rows = []
    for path in args.catalog:
        catalog = load_catalog(path)
        if isinstance(encoder, VisualFeatureEncoder):  # also the variant fitted to the catalog's categories
            items = photo_items(catalog, args.half)
            t0 = time.perf_counter()
            raw = encoder.encode([it.image for it in items], progress=True)
            metrics = retrieval_metrics(items, raw)
            rows.append(_row(catalog, args.half, encoder.name, metrics, time.perf_counter() - t0))
            rows.append(evaluate_fitted(catalog, encoder, half=args.half, raw=raw, progress=True))
        else:
            rows.append(evaluate(catalog, encoder, half=args.half, progress=True))
    report(
        "photo retrieval (leave-one-out)",
        rows,
        args.out,
        extra={"encoder_status": encoder.status.describe(), "peak_rss_mb": peak_rss_mb()},
    )


if __name__ == "__main__":
    main()
