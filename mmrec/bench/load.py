"""Many people on the served page at once: per-action p50/p95 for 1 against N sessions, errors, leaks, RSS.

    python -m mmrec.bench load [--short] [--runs 3] [--sessions 20] [--seconds 120] [--think-s 3] [--visits 500]
                               [--out FILE]

``python app.py`` serves the catalog on 127.0.0.1 (with its API schema on, which ``gradio_client`` reads);
each session is one ``gradio_client`` client (its own session hash and page state) in a thread, calling the
page's own events: reviews, likes, photos ("More like this") and voice ratings, with the example photos and
clips the page offers. A session pauses ``--think-s`` on average (jittered 0.5-1.5x) between actions. One
session alone (each kind of action in turn), then ``--sessions`` at once, timed client-side (upload
included), ``--runs`` times over on the same server; each action's p95 ratio (N sessions against one) is
given per run and over all runs pooled.
Then short visits until ``--visits`` sessions have been served; the server's RSS is taken after each run and
after the visits (each time once it has been idle past its next trim of freed memory), and its growth is
from after the first run's N sessions to after all the visits.

Every answer is checked: no exception, no refusal, and a history holding only this session's actions (each
review carries a session marker; the newest turn number equals the session's own count of actions).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import ssl
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..process_memory import TRIM_EVERY_S
from .common import report, summarize_ms
from .ui import start_app, stop_app

ROOT = Path(__file__).resolve().parents[2]
ACTIONS = {"review": 0.35, "like": 0.35, "photo": 0.15, "voice": 0.15}
"""Action kind -> its share of a session's actions."""
REVIEWS = (
    "a warm jacket for running, not black",
    "something cheaper please",
    "I love comfortable simple things",
    "more colourful, like a summer dress",
    "sneakers for everyday walking",
)
MARKER = re.compile(r"\[s(\d+)\]")
LATEST_TURN = re.compile(r'class="mm-turn">(\d+)<')
ALONE = "1 session"
"""The phase in which one session acts by itself."""
MESSAGES = slice(6, 10)
"""Where the four message boxes sit among a page event's outputs (the visit's state is not returned)."""


@dataclass
class Tally:
    """What every session saw: seconds per (run, phase, action), errors, refusals and leaks; the server's CPU."""

    times: dict[tuple[int, str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    """(run, phase, action kind) -> seconds of each answer."""
    errors: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    server_cpu_s: float = 0.0
    """CPU seconds the server spent during the N-session phases."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, run: int, phase: str, kind: str, seconds: float) -> None:
        with self.lock:
            self.times[run, phase, kind].append(seconds)

    def seconds(self, phase: str, kind: str | None = None, run: int | None = None) -> list[float]:
        """The answers' seconds in ``phase``: for ``kind`` (None: every kind), of ``run`` (None: every run)."""
        return [
            t
            for (r, p, k), ts in self.times.items()
            if p == phase and kind in (None, k) and run in (None, r)
            for t in ts
        ]

    def note(self, bucket: list[str], text: str) -> None:
        with self.lock:
            bucket.append(text[:300])


@dataclass
class Media:
    """What the sessions send: catalog item ids to like or rate, example photos, voice clips."""

    items: list[str]
    photos: list[Path]
    clips: list[Path]


class Visitor:
    """One browser session, numbered ``sid``, on a (reused) ``gradio_client`` client."""

    def __init__(self, client: Any, sid: int, media: Media, tally: Tally, rng: random.Random) -> None:
        client.reset_session()  # a fresh session hash: a new visit, its own page state
        self.client, self.sid, self.media, self.tally, self.rng = client, sid, media, tally, rng
        self.turns = 0

    def act(self, kind: str, phase: str, run: int = 0) -> None:
        """Send one action of ``kind`` and check its answer; its seconds go to ``phase`` of ``run``."""
        from gradio_client import handle_file

        item = self.rng.choice(self.media.items)
        if kind == "review":
            args: tuple[Any, ...] = ("", f"[s{self.sid}] {self.rng.choice(REVIEWS)}")
        elif kind == "like":
            args = (item,)
        elif kind == "photo":
            args = ("", handle_file(str(self.rng.choice(self.media.photos))))
        else:
            args = (item, handle_file(str(self.rng.choice(self.media.clips))))
        api = {"review": "/on_review", "like": "/on_like", "photo": "/on_photo_more", "voice": "/on_voice"}[kind]
        started = time.perf_counter()
        try:
            out = self.client.predict(*args, api_name=api)
        except Exception as e:  # any failure of the served app is counted, never raised
            self.tally.note(self.tally.errors, f"s{self.sid} {kind}: {type(e).__name__}: {e}")
            return
        self.tally.add(run, phase, kind, time.perf_counter() - started)
        self.turns += 1
        self._check(kind, out)

    def _check(self, kind: str, out: tuple[Any, ...]) -> None:
        said = [m for m in out[MESSAGES] if isinstance(m, str) and m.strip()]
        if said:
            self.tally.note(self.tally.refusals, f"s{self.sid} {kind}: {said[0]}")
        if not isinstance(out[2], str):  # refused before it reached the session: no new turn
            self.turns -= 1
            return
        history = out[2]
        others = {int(n) for n in MARKER.findall(history)} - {self.sid}
        latest = LATEST_TURN.search(history)
        if others:
            self.tally.note(self.tally.leaks, f"s{self.sid} saw the reviews of sessions {sorted(others)}")
        if latest is None or int(latest.group(1)) != self.turns:
            seen = latest.group(1) if latest else "none"
            self.tally.note(self.tally.leaks, f"s{self.sid}: newest turn {seen}, but it sent {self.turns} actions")

    def run(self, phase: str, until: float, think_s: float, run: int = 0, *, evenly: bool = False) -> None:
        """Act with jittered pauses of ``think_s`` until ``until``: kinds drawn by :data:`ACTIONS`, or with
        ``evenly`` each kind in turn (so a lone session's p95 of a voice rating rests on as many samples as a
        like's: drawn by weight, a 60 s run had ~6)."""
        kinds, weights = list(ACTIONS), list(ACTIONS.values())
        time.sleep(self.rng.uniform(0, think_s))  # sessions do not start in step
        turn = 0
        while time.monotonic() < until:
            kind = kinds[turn % len(kinds)] if evenly else self.rng.choices(kinds, weights)[0]
            self.act(kind, phase, run)
            turn += 1
            time.sleep(think_s * self.rng.uniform(0.5, 1.5))


def in_threads(count: int, work: Callable[[int], None]) -> None:
    """``work(0)`` ... ``work(count - 1)``, each in its own thread; returns when all are done."""
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def rss_mb(pid: int) -> float:
    """Resident set size of process ``pid``, in MiB, once it has been idle past its next trim of freed memory
    (:data:`~mmrec.process_memory.TRIM_EVERY_S`): what it keeps, not the garbage of the last seconds."""
    import psutil

    time.sleep(TRIM_EVERY_S + 2)
    return round(psutil.Process(pid).memory_info().rss / 2**20, 1)


def crowd(sessions: int) -> str:
    """The phase in which ``sessions`` sessions act at once."""
    return f"{sessions} sessions"


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) process ``pid`` has used so far."""
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def clients(url: str, count: int) -> list[Any]:
    """``count`` clients of ``url`` sharing one TLS context.

    ``gradio_client`` opens a new ``httpx`` client for each request, and each builds its TLS context
    afresh (about 30 ms of CPU, several times per action) unless given one: on the loopback that made
    the load generator burn more CPU than the server it measures.
    """
    from gradio_client import Client

    tls = ssl.create_default_context()
    return [Client(url, verbose=False, download_files=False, ssl_verify=tls) for _ in range(count)]


def measure(url: str, pid: int, media: Media, args: argparse.Namespace) -> tuple[Tally, dict[str, float]]:
    """Run the phases (warm-up, 1 session, N sessions, short visits) against ``url``; RSS of ``pid``."""
    tally = Tally()
    pool = clients(url, args.sessions)
    warm = Visitor(pool[0], 0, media, tally, random.Random(0))
    for kind in ACTIONS:
        warm.act(kind, "warm-up")

    def one_run(run: int, alone: int) -> int:
        """Session ``alone`` by itself, then the next ``args.sessions`` at once; the next free session number."""
        Visitor(pool[0], alone, media, tally, random.Random(alone)).run(
            ALONE, time.monotonic() + args.single_seconds, args.single_think_s, run, evenly=True
        )
        until, cpu = time.monotonic() + args.seconds, cpu_s(pid)
        in_threads(
            args.sessions,
            lambda n: Visitor(pool[n], alone + 1 + n, media, tally, random.Random(alone + 1 + n)).run(
                crowd(args.sessions), until, args.think_s, run
            ),
        )
        tally.server_cpu_s += cpu_s(pid) - cpu
        return alone + 1 + args.sessions

    served, rss = 1, {}
    for run in range(args.runs):
        served = one_run(run, served)
        rss[f"after {served} sessions"] = rss_mb(pid)
    short = max(0, args.visits - served)
    workers = min(args.sessions, short) or 1

    def visits(n: int) -> None:
        for sid in range(served + n, served + short, workers):
            visitor = Visitor(pool[n], sid, media, tally, random.Random(sid))
            for kind in ("review", "like", "photo"):
                visitor.act(kind, "short visits")

    in_threads(workers, visits)
    rss[f"after {served + short} sessions"] = rss_mb(pid)
    for client in pool:
        client.close()
    return tally, rss


def p95_ratio(tally: Tally, sessions: int, kind: str, run: int | None = None) -> float | None:
    """p95 of ``kind`` with ``sessions`` at once over its p95 alone (of one run, or pooled); None if unmeasured."""
    alone, many = tally.seconds(ALONE, kind, run), tally.seconds(crowd(sessions), kind, run)
    if not alone or not many:
        return None
    return round(summarize_ms(many)["p95_ms"] / summarize_ms(alone)["p95_ms"], 2)


def rows_of(tally: Tally, sessions: int, runs: int) -> list[dict[str, Any]]:
    """Per action: p50/p95 alone and with ``sessions`` at once over all runs, their p95 ratio, and each run's."""
    rows = []
    for kind in ACTIONS:
        alone, many = tally.seconds(ALONE, kind), tally.seconds(crowd(sessions), kind)
        if not alone or not many:
            continue
        one, lots = summarize_ms(alone), summarize_ms(many)
        by_run = [p95_ratio(tally, sessions, kind, run) for run in range(runs)]
        rows.append(
            {
                "action": kind,
                "n_1": one["n"],
                "p50_1_ms": one["p50_ms"],
                "p95_1_ms": one["p95_ms"],
                f"n_{sessions}": lots["n"],
                f"p50_{sessions}_ms": lots["p50_ms"],
                f"p95_{sessions}_ms": lots["p95_ms"],
                "p95_ratio": round(lots["p95_ms"] / one["p95_ms"], 2),
                "p95_ratio_by_run": " ".join("-" if r is None else f"{r:.2f}" for r in by_run),
                "worst_run_ratio": max((r for r in by_run if r is not None), default=None),
            }
        )
    return rows


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Serve the catalog, load it, and return the rows and checks (also printed and written to ``--out``)."""
    from ..catalog import load_catalog
    from ..ui.examples import PHOTO_EXAMPLES, VOICE_EXAMPLES

    catalog = load_catalog(args.catalog)
    media = Media(
        items=[item.id for item in catalog][:50],
        photos=sorted(PHOTO_EXAMPLES.glob("*.jpg")),
        clips=sorted(VOICE_EXAMPLES.glob("rated_*.ogg")),
    )
    with tempfile.TemporaryDirectory(prefix="mmrec-load-") as tmp:
        log = Path(tmp) / "app.log"
        env = {"MMREC_API_DOCS": "on", "GRADIO_TEMP_DIR": str(Path(tmp) / "uploads")}
        proc, url = start_app(args.catalog, log=log, env=env)
        try:
            started = time.monotonic()
            tally, rss = measure(url, proc.pid, media, args)
            seconds = round(time.monotonic() - started, 1)
        finally:
            stop_app(proc)
    rows = rows_of(tally, args.sessions, args.runs)
    first, *_, last = [*rss.values()] * 2  # one value when no short visits were run
    checks = {
        "errors": len(tally.errors),
        "refusals": len(tally.refusals),
        "cross_session_leaks": len(tally.leaks),
        "rss_mb": rss,
        "rss_growth": round(last / first - 1, 4),
        "server_cpu_ms_per_action": round(1000 * tally.server_cpu_s / max(1, len(tally.seconds(crowd(args.sessions))))),
        "worst_p95_ratio": max((r["p95_ratio"] for r in rows), default=None),
        "worst_run_p95_ratio": max((r["worst_run_ratio"] for r in rows), default=None),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "seconds": seconds,
        "examples": (tally.errors + tally.refusals + tally.leaks)[:10],
    }
    report("load", rows, args.out, {"settings": {k: str(v) for k, v in vars(args).items()}, "checks": checks})
    for name, value in checks.items():
        print(f"{name}: {value}")
    return {"rows": rows, "checks": checks}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Per-action latency of 1 against N simultaneous sessions on the page.")
    p.add_argument("--catalog", type=Path, default=ROOT / "assets" / "demo_catalog")
    p.add_argument("--runs", type=int, default=3, help="times the 1-session and N-session phases are repeated")
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--seconds", type=float, default=120, help="how long the N sessions act")
    p.add_argument("--think-s", type=float, default=3.0, help="mean pause between a session's actions")
    p.add_argument("--single-seconds", type=float, default=60, help="how long the lone session acts")
    p.add_argument("--single-think-s", type=float, default=1.0)
    p.add_argument("--visits", type=int, default=500, help="sessions served in all (short visits after the N)")
    p.add_argument("--short", action="store_true", help="a ~30 s check: 1 run, 4 sessions for 15 s, 40 visits")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "load.json")
    return p


def options(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's settings (``--short`` sets its own sizes)."""
    args = parser().parse_args(argv)
    if args.short:
        args.runs, args.sessions, args.seconds, args.single_seconds, args.visits = 1, 4, 15, 8, 40
    return args


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    run(options(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
