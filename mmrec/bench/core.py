"""Core loop benchmark: text interaction latency, ranking latency by catalog size, precompute, RSS.

python -m mmrec.bench.core --catalog ../shared/catalogs/luma --out bench-results/core.json
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from ..catalog import Catalog, Item, load_catalog
from ..engine import Engine, Modality
from ..events import Review
from ..index import EmbeddingIndex, embed_catalog
from ..profile import Profile
from ..ranking import rank
from ..session import Session
from .common import peak_rss_mb, report, summarize_ms, time_calls

REVIEWS = [
    "I want a warm jacket for running, not black",
    "love soft hoodies for the gym",
    "too expensive, show me something cheaper",
    "I hate wool, it itches",
    "a light tee for hot summer runs",
    "something for yoga, in blue",
    "great bag for travel with lots of pockets",
    "these pants were too tight and the seams ripped",
]


OPENERS = ["", "Honestly, ", "Hi! ", "Well, ", "So, ", "Okay, ", "Hmm, ", "Right, "]


def text_interaction(engine: Engine, runs: int) -> dict:
    """End-to-end ``Session.submit(Review)``: understand + encode + profile update + rank top 10.

    Every text is new to the engine (no remembered embedding), as a user's next review would be.
    """
    session = Session(engine)
    texts = [opener + review for opener in OPENERS for review in REVIEWS]
    assert runs + 1 <= len(texts), f"at most {len(texts) - 1} runs"
    samples = []
    for i in range(runs + 1):
        if i % len(REVIEWS) == 0:
            session.profile = Profile()
        t0 = time.perf_counter()
        turn = session.submit(Review(texts[i]))
        samples.append(time.perf_counter() - t0)
        assert turn.error is None, turn.error
    return {"what": f"text interaction ({len(engine.catalog)} items)", **summarize_ms(samples[1:])}


def synthetic_engine(n: int, dim: int, text_encoder, seed: int = 0) -> Engine:
    """An engine over ``n`` random unit vectors (ids only), reusing the real text encoder."""
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((n, dim), dtype=np.float32)
    catalog = Catalog(
        [Item(id=f"s{i}", name=f"synthetic {i}", price=float(10 + i % 90)) for i in range(n)], name=f"synthetic-{n}"
    )
    return Engine(catalog, {"text": Modality("text", EmbeddingIndex(vectors, model="random"), text_encoder)})


def rank_latency(engine: Engine, runs: int, seed: int = 1) -> dict:
    """``rank`` for a profile of a review, a like and a dislike (fresh query vectors each run)."""
    rng = np.random.default_rng(seed)
    dim = engine.modalities["text"].index.dim

    def once() -> None:
        profile = Profile()
        for weight in (1.0, 1.0, -1.0):
            v = rng.standard_normal(dim).astype(np.float32)
            profile.add("text", v / np.linalg.norm(v), weight, "synthetic")
            profile.turn += 1
        rank(engine, profile, k=10)

    return {"what": f"rank {len(engine.catalog):,} items", **summarize_ms(time_calls(once, runs=runs))}


def precompute(catalog: Catalog, encoder) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        embed_catalog(catalog, encoder, Item.text, cache_root=Path(tmp))
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        embed_catalog(catalog, encoder, Item.text, cache_root=Path(tmp))
        warm = time.perf_counter() - t0
    return {
        "what": f"text precompute ({len(catalog)} items)",
        "items_per_s": round(len(catalog) / cold, 1),
        "cold_s": round(cold, 2),
        "cached_s": round(warm, 3),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalog", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--out", type=Path, default=Path("bench-results/core.json"))
    args = parser.parse_args(argv)

    catalog = load_catalog(args.catalog)
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.load(catalog, image=False, speech=False, cache_dir=tmp)
        rows = [text_interaction(engine, args.runs), precompute(catalog, engine.modalities["text"].encoder)]
    rss_text = peak_rss_mb()
    encoder = engine.modalities["text"].encoder
    for n in (int(s) for s in args.sizes.split(",")):
        big = synthetic_engine(n, encoder.dim, encoder)
        rows.append(rank_latency(big, runs=max(10, args.runs // (1 if n <= 100_000 else 3))))
        del big
    report(
        "core loop",
        rows,
        args.out,
        {"peak_rss_mb_text_session": rss_text, "peak_rss_mb_total": peak_rss_mb()},
    )
    print(f"peak RSS with the text encoder loaded (session on {catalog.name}): {rss_text} MiB")


if __name__ == "__main__":
    main()
