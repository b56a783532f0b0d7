"""What hostile or merely large input costs before it is refused or served (p50/p95 over runs).

    python -m mmrec.bench limits [--catalog DIR] [--runs 20] [--out bench-results/limits.json]

Rows: reading a review of 100 characters (the baseline) against one at the 5,000-character cap
(real review sentences, and one unpunctuated clause packed with catalog words), refusing a 1 MB
review, and refusing a two-hour audio file; each with its ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from ..audio import load_audio, write_wav
from ..catalog import load_catalog
from ..errors import MMRecError
from ..understanding import Vocabulary, understand
from .common import peak_rss_mb, report, summarize_ms, time_calls

ROOT = Path(__file__).resolve().parents[2]
REVIEWS = ROOT / "mmrec" / "understanding" / "train_reviews.jsonl"


def _refused(fn) -> None:
    try:
        fn()
    except MMRecError:
        return
    raise AssertionError("expected the input to be refused")


def _real_review(chars: int) -> str:
    """Review sentences we wrote, joined and cut at a word to at most ``chars`` characters."""
    texts = [json.loads(line)["text"] for line in REVIEWS.read_text(encoding="utf-8").splitlines() if line.strip()]
    joined = " ".join(texts)
    return joined[: joined.rfind(" ", 0, chars + 1)]


def _packed_clause(vocabulary: Vocabulary, chars: int) -> str:
    words = [w.lower() for w in (*vocabulary.colors, *vocabulary.categories, *vocabulary.attributes)]
    out: list[str] = []
    i = 0
    while len(" ".join(out)) < chars - 40:
        out.append(("not " if i % 3 == 0 else "") + words[i % len(words)])
        i += 1
    return " ".join(out)[:chars]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cost of large and hostile inputs before refusal or use.")
    parser.add_argument("--catalog", type=Path, default=ROOT / "assets" / "demo_catalog")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "limits.json")
    args = parser.parse_args(argv)
    vocabulary = Vocabulary.from_catalog(load_catalog(args.catalog))
    cases = {
        "review, 100 chars (baseline)": lambda: understand(short, vocabulary),
        "review, 5,000 chars of real reviews": lambda: understand(real, vocabulary),
        "review, 5,000 chars, one clause of catalog words": lambda: understand(packed, vocabulary),
        "review of 1 MB '<script ' refused": lambda: _refused(lambda: understand(hostile, vocabulary)),
    }
    short, real, packed, hostile = (
        _real_review(100),
        _real_review(5000),
        _packed_clause(vocabulary, 5000),
        "<script " * 131072,
    )
    with tempfile.TemporaryDirectory() as folder:
        long_clip = write_wav(Path(folder) / "two_hours.wav", np.zeros(7200 * 1000, np.float32), 1000)
        cases["two-hour audio file refused"] = lambda: _refused(lambda: load_audio(long_clip))
        rows = []
        baseline = None
        for what, fn in cases.items():
            stats = summarize_ms(time_calls(fn, runs=args.runs))
            baseline = baseline or stats["p95_ms"]
            rows.append({"what": what, **stats, "p95_vs_baseline": round(stats["p95_ms"] / baseline, 2)})
    report("limits", rows, args.out, {"catalog": str(args.catalog), "peak_rss_mb": peak_rss_mb()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
