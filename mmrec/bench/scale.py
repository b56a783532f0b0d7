"""Ranking scale: ``rank`` over 1k..1M items scored exactly against through the approximate index.

    python -m mmrec.bench scale [--sizes 1000,10000,100000,1000000] [--runs 20] [--out bench-results/scale.json]

Items are clustered synthetic unit vectors (``--dim``, MiniLM's 384 by default: 1,000 centres, each item
a centre plus noise, so neighbours exist as in real embeddings; uniform random vectors have none). A
profile likes two items and dislikes a third. Per size, the same profiles are ranked twice by the same
:func:`~mmrec.ranking.rank`: *exact* scores every item; *approximate* scores only the candidates the
FAISS IVF index (:func:`~mmrec.index.build_ivf`) nominates, as ``rank`` does by itself above
``APPROXIMATE_ABOVE`` items (the switch is moved for the measurement). Rows: p50/p95 of both, the
ratio, recall@10 of the approximate top 10 against the exact one, and which mode the library uses.
"""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import numpy as np

from .. import index as index_module
from .. import ranking
from ..item_store import ItemStore
from ..profile import Profile
from ..recommender_config import default_config
from ..scorers import build_scorers
from .common import peak_rss_mb, report, summarize_ms

CENTRES = 1000
NOISE = 0.6
"""Noise norm relative to a unit centre: an item's cosine to its own centre is about 0.85."""


def clustered_store(n: int, dim: int, seed: int = 0) -> ItemStore:
    """``n`` items around CENTRES random centres (vectors are normalised by the index)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((CENTRES, dim), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):  # in blocks: the noise of 1M x 384 at once would double the memory
        stop = min(n, start + 100_000)
        noise = rng.standard_normal((stop - start, dim), dtype=np.float32) * (NOISE / np.sqrt(dim))
        vectors[start:stop] = centres[rng.integers(CENTRES, size=stop - start)] + noise
    return ItemStore.synthetic({"text": vectors})


def _profile(store: ItemStore, rng: np.random.Generator) -> Profile:
    profile = Profile()
    rows = rng.integers(len(store), size=3)
    for row, weight in zip(rows, (1.0, 1.0, -0.7)):
        profile.add("text", store.spaces["text"].vectors[row], weight, "bench", item=store.catalog[int(row)].id)
        profile.turn += 1
    return profile


@contextmanager
def approximate_above(n: int):
    """Make ``rank`` (and the index) switch to approximate candidates above ``n`` items."""
    with mock.patch.object(ranking, "APPROXIMATE_ABOVE", n), mock.patch.object(index_module, "APPROXIMATE_ABOVE", n):
        yield


def scale_row(n: int, dim: int, runs: int, seed: int = 1) -> dict:
    """Exact and approximate ranking of ``n`` items: latency, recall@10, index build time."""
    store = clustered_store(n, dim)
    config = default_config().with_overrides(explanations=False)
    scorers = build_scorers(store, config)
    rng = np.random.default_rng(seed)
    profiles = [_profile(store, rng) for _ in range(runs + 1)]
    started = time.perf_counter()
    with approximate_above(0):
        store.spaces["text"]._ensure_ann()
    build_s = time.perf_counter() - started
    lists: dict[str, list[list[str]]] = {}
    times: dict[str, list[float]] = {}
    for mode, threshold in (("exact", n), ("approximate", 0)):
        with approximate_above(threshold):
            for i, profile in enumerate(profiles):
                t0 = time.perf_counter()
                ranked = ranking.rank(store, profile, config, k=10, scorers=scorers)
                if i:  # the first is a warm-up
                    times.setdefault(mode, []).append(time.perf_counter() - t0)
                    lists.setdefault(mode, []).append([r.id for r in ranked])
    exact, approx = summarize_ms(times["exact"]), summarize_ms(times["approximate"])
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(lists["approximate"], lists["exact"])])
    return {
        "what": f"rank {n:,} items",
        "n": n,
        "exact_p50_ms": exact["p50_ms"],
        "exact_p95_ms": exact["p95_ms"],
        "approx_p50_ms": approx["p50_ms"],
        "approx_p95_ms": approx["p95_ms"],
        "approx_over_exact_p95": round(approx["p95_ms"] / max(exact["p95_ms"], 1e-9), 3),
        "recall_at_10": round(float(recall), 3),
        "ivf_build_s": round(build_s, 1),
        "library_uses": "approximate" if n > index_module.APPROXIMATE_ABOVE else "exact",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=20, help="timed rankings per size and mode")
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--out", type=Path, default=Path("bench-results/scale.json"))
    args = parser.parse_args(argv)
    rows = [scale_row(int(s), args.dim, args.runs) for s in args.sizes.split(",")]
    report("ranking scale: exact vs approximate", rows, args.out, {"dim": args.dim, "peak_rss_mb": peak_rss_mb()})


if __name__ == "__main__":
    main()
