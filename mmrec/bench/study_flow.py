"""What a study of many simultaneous participants costs per action: 1 against N scripted participants.

    python -m mmrec.bench.study_flow [--participants 20] [--think-s 0.5] [--postgres URL] [--out FILE]

Each participant is a thread walking the participant flow the page calls (:mod:`mmrec.study.participation`):
consent, background, task start (first list logged), reviews and likes, finish, questionnaire. The study
steps take one shared lock, as they share one queue slot on the served page; reviews and likes run side by
side, as on the page's own queues (:data:`mmrec.ui.page.WORKERS`). A step's time is its wait plus its work:
model, ranking and the committed write. Participants pause ``--think-s`` (jittered)
between steps. Measured on the demo catalog (text encoder, no image or speech models), on SQLite
(``synchronous=FULL``) and on PostgreSQL when a URL to an empty database is given. Reviews differ per
participant, so each is really encoded (no query cache hit).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from ..engine import Engine
from ..events import Like, Review
from ..study.participation import StudyRun
from ..study.spec import parse_study
from ..study.store import open_store
from .common import report, summarize_ms

ROOT = Path(__file__).resolve().parents[2]
SPEC = {
    "title": "bench",
    "background": [{"id": "age", "text": "Age?", "type": "number"}],
    "task": "Find a jacket.",
    "conditions": [
        {"name": "likes and text", "inputs": ["text", "list-feedback"]},
        {"name": "text", "inputs": ["text"]},
    ],
}
STUDY_STEPS = {"consent", "background", "task_start", "finish", "questionnaire"}
REVIEWS = ("a warm waterproof jacket for hiking", "cheaper please", "not black", "something lighter for summer")


def participant(run: StudyRun, lock: threading.Lock, think_s: float, who: str, times: dict[str, list[float]]) -> None:
    """One scripted participant named ``who``; the seconds of each step are appended to ``times[step]``."""
    rng = random.Random(who)

    def step(name: str, action) -> object:
        time.sleep(think_s * rng.uniform(0.5, 1.5))
        started = time.perf_counter()
        with lock if name in STUDY_STEPS else contextlib.nullcontext():
            out = action()
        times[name].append(time.perf_counter() - started)
        return out

    p = step("consent", lambda: run.enroll({}))
    step("background", lambda: p.answer_background({"age": 30}))
    session = step("task_start", p.start_task)
    for n, text in enumerate(REVIEWS):
        words = f"{text}, for {who}"  # each participant's words are new to the engine's query cache
        step("review", lambda words=words: session.submit(Review(words)))
        if "like" in session.config.inputs:
            step("like", lambda n=n: session.submit(Like(session.shown[n + 1].id)))
    step("finish", p.finish_task)
    step("questionnaire", lambda: p.answer_questionnaire({it.id: "Agree" for it in p.questionnaire()}))


def measure(engine: Engine, url: str, directory: Path, store_name: str, n: int, think_s: float) -> list[dict]:
    store = open_store(url, directory=directory)
    run = StudyRun(parse_study(SPEC), SPEC, store, engine)
    participant(run, threading.Lock(), 0.0, f"warm-up {store_name} {n}", defaultdict(list))  # models, pool
    times: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    threads = [
        threading.Thread(target=participant, args=(run, lock, think_s, f"{store_name} {n} {i}", times))
        for i in range(n)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    store.close()
    every = [s for v in times.values() for s in v]
    rows = [{"store": store_name, "participants": n, "action": a, **summarize_ms(v)} for a, v in times.items()]
    rows.append({"store": store_name, "participants": n, "action": "every action", **summarize_ms(every)})
    rows[-1]["wall_s"] = round(wall, 1)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--think-s", type=float, default=0.5, help="mean pause between a participant's steps")
    parser.add_argument("--postgres", help="URL of an empty PostgreSQL database to measure too")
    parser.add_argument("--catalog", type=Path, default=ROOT / "assets" / "demo_catalog")
    parser.add_argument("--out", type=Path, default=Path("bench-results/study_flow.json"))
    args = parser.parse_args(argv)
    engine = Engine.load(args.catalog, image=False, speech=False)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        stores = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
        for name, url in stores:
            for n in (1, args.participants):
                directory = Path(tmp) / f"{name}-{n}"
                directory.mkdir()
                url_n = url or f"sqlite:///{directory / 'study.sqlite'}"
                rows += measure(engine, url_n, directory, name, n, args.think_s)
    extra = {"think_s": args.think_s, "load_average": os.getloadavg(), "catalog": str(args.catalog)}
    report("study flow: seconds per participant action, 1 vs N simultaneous participants", rows, args.out, extra)


if __name__ == "__main__":
    main()
