"""Core loop benchmark: text interaction latency, ranking latency by catalog size against a bare
numpy mat-vec + top-10 of the same vectors, simulated sessions with no model loaded, precompute, RSS.

python -m mmrec.bench.core --catalog ../shared/catalogs/luma --out bench-results/core.json
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from ..catalog import Catalog, Item, load_catalog
from ..engine import Engine
from ..events import Review
from ..index import embed_catalog
from ..item_store import ItemStore
from ..profile import Profile
from ..ranking import rank
from ..recommender_config import default_config
from ..scorers import build_scorers
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


def synthetic_store(n: int, dim: int, seed: int = 0) -> ItemStore:
    """An item store over ``n`` random unit vectors (ids and prices only); no model is loaded."""
    return ItemStore.synthetic(n=n, dim=dim, seed=seed)


def _random_profile(rng: np.random.Generator, dim: int) -> Profile:
    profile = Profile()
    for weight in (1.0, 1.0, -1.0):
        v = rng.standard_normal(dim).astype(np.float32)
        profile.add("text", v / np.linalg.norm(v), weight, "synthetic")
        profile.turn += 1
    return profile


def rank_latency(store: ItemStore, runs: int, seed: int = 1) -> dict:
    """``rank`` for a profile of two reviews and a rejected text (fresh query vectors each run), beside
    the floor: a bare numpy mat-vec of the same item matrix with one query and a top-10 by partition."""
    rng = np.random.default_rng(seed)
    vectors = store.spaces["text"].vectors
    config = default_config()
    scorers = build_scorers(store, config)

    def once() -> None:
        rank(store, _random_profile(rng, vectors.shape[1]), config, k=10, scorers=scorers)

    def bare() -> None:
        q = rng.standard_normal(vectors.shape[1]).astype(np.float32)
        s = vectors @ q
        top = np.argpartition(-s, 9)[:10]
        top[np.argsort(-s[top])]

    ranked = summarize_ms(time_calls(once, runs=runs))
    floor = summarize_ms(time_calls(bare, runs=runs))
    return {
        "what": f"rank {len(store):,} items",
        **ranked,
        "baseline_p95_ms": floor["p95_ms"],
        "p95_over_baseline": round(ranked["p95_ms"] / max(floor["p95_ms"], 1e-9), 2),
    }


def simulated_sessions(store: ItemStore, rankings: int, turns: int = 5, seed: int = 2) -> dict:
    """``rankings`` rankings of simulated users on the store's real item vectors, no model loaded.

    Each simulated user likes the best of a few shown items and dislikes the worst, ``turns`` times,
    then starts over: the load an offline evaluation or a study simulation puts on the ranker.
    """
    rng = np.random.default_rng(seed)
    config = default_config()
    scorers = build_scorers(store, config)
    spaces = [s for s in ("text", "image") if s in store.spaces]
    done = 0
    started = time.perf_counter()
    while done < rankings:
        profile = Profile(decay=config.decay)
        taste = store.spaces["text"].vectors[rng.integers(len(store))]
        shown = rank(store, profile, config, scorers=scorers)
        done += 1
        for _ in range(turns):
            if done >= rankings:
                break
            profile.turn += 1
            rows = [store.catalog.position(r.id) for r in shown]
            affinity = store.spaces["text"].vectors[rows] @ taste
            for row, weight in ((rows[int(np.argmax(affinity))], 1.0), (rows[int(np.argmin(affinity))], -0.7)):
                for space in spaces:
                    vector = store.item_vector(space, row)
                    if vector is not None:
                        profile.add(space, vector, weight, "simulated", item=store.catalog[row].id)
                (profile.liked if weight > 0 else profile.disliked).add(store.catalog[row].id)
            shown = rank(store, profile, config, scorers=scorers)
            done += 1
    seconds = time.perf_counter() - started
    return {
        "what": f"{rankings:,} simulated-session rankings ({len(store)} items, {'+'.join(spaces)}, no model)",
        "rankings_per_s": round(rankings / seconds, 1),
        "total_s": round(seconds, 2),
    }


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
    parser.add_argument("--simulated", type=int, default=10_000, help="rankings of simulated sessions (0: skip)")
    parser.add_argument("--out", type=Path, default=Path("bench-results/core.json"))
    args = parser.parse_args(argv)

    catalog = load_catalog(args.catalog)
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.load(catalog, image=False, speech=False, cache_dir=tmp)
        rows = [text_interaction(engine, args.runs), precompute(catalog, engine.modalities["text"].encoder)]
    rss_text = peak_rss_mb()
    dim = engine.modalities["text"].encoder.dim
    if args.simulated:
        # The Luma item vectors alone: the store is rebuilt from the engine's arrays, no encoder in the loop.
        store = ItemStore(engine.catalog, engine.store.spaces)
        rows.append(simulated_sessions(store, args.simulated))
    for n in (int(s) for s in args.sizes.split(",")):
        big = synthetic_store(n, dim)
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
