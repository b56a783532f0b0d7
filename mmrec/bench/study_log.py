"""Study-log write latency per event: ``log_turn`` (interaction + list shown, one transaction) and ``log_event``.

python -m mmrec.bench.study_log [--postgres postgresql+psycopg://...] [--runs 300] --out bench-results/study_log.json

SQLite with ``synchronous=FULL`` (the default) and ``NORMAL`` (WAL: a power cut may lose the last commits,
a process crash loses none), and PostgreSQL when a URL is given.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from ..study.spec import parse_study
from ..study.store import open_store
from .common import report, summarize_ms, time_calls

STUDY = {"title": "bench", "task": "t", "conditions": [{"name": "a"}, {"name": "b"}]}


def _record(turn: int) -> dict:
    shown = [
        {"id": f"item-{i:05d}", "score": 0.9 - i / 100, "features": {"text": 0.61, "image": 0.42, "prior": 0.1},
         "contributions": {"text": 0.61, "image": 0.34, "prior": 0.01}, "reason": "close to your review “warm jacket”"}
        for i in range(10)
    ]  # fmt: skip
    return {
        "schema": 1, "session": "bench", "turn": turn, "at": "2026-01-01T00:00:00.000Z",
        "event": {"type": "review", "text": "a warm waterproof jacket"}, "understood": {"label": "positive"},
        "config_id": "cfg", "encoders": {"text": "minilm"}, "shown": shown, "latency_ms": 20.0, "error": None,
    }  # fmt: skip


def measure(name: str, url: str, directory: Path, runs: int, synchronous: str = "FULL") -> list[dict]:
    store = open_store(url, directory=directory, synchronous=synchronous)
    study = parse_study(STUDY)
    participant = store.enroll(store.register(study, STUDY), study).participant
    turns = iter(range(1, 10**9))
    rows = [
        {"store": name, "call": "log_turn", **summarize_ms(time_calls(lambda: store.log_turn(participant, "a", _record(next(turns))), runs=runs, warmup=5))},
        {"store": name, "call": "log_event", **summarize_ms(time_calls(lambda: store.log_event(participant, "page_load", {"ua": "bench"}), runs=runs, warmup=5))},
    ]  # fmt: skip
    store.close()
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="a PostgreSQL URL (an empty database) to measure too")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("bench-results/study_log.json"))
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for sync in ("FULL", "NORMAL"):
            directory = Path(tmp) / sync
            url = f"sqlite:///{directory / 'study.sqlite'}"
            directory.mkdir()
            rows += measure(f"sqlite {sync}", url, directory, args.runs, synchronous=sync)
        if args.postgres:
            rows += measure("postgresql", args.postgres, Path(tmp), args.runs)
    report("study log write latency per event", rows, args.out, {"runs": args.runs})


if __name__ == "__main__":
    main()
