"""One evaluation: run the arms, summarise, replay a few failures in depth, write the report files."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..engine import Engine
from ..errors import MMRecError
from ..session_log import liked_together
from . import metrics, report
from .arms import Arm, get_arm
from .relevance import CatalogView
from .runner import Episode, run, run_episode
from .shoppers import ShopperOptions
from .voice import Speaker

HISTORY_SEED = 10_000
"""Seed of the simulated prior sessions, far from the evaluation's seeds (whose shoppers they must not be)."""
HISTORY_TURNS = 5


def evaluate(
    engine: Engine,
    arms: list[Arm],
    *,
    seeds: list[int],
    shoppers: int,
    turns: int = 5,
    voice_shoppers: int | None = None,
    out: Path | None = None,
    options: ShopperOptions | None = None,
    failures: int = 5,
    history_shoppers: int = 0,
    history: list[frozenset[str]] | None = None,
    progress=None,
) -> dict[str, Any]:
    """Run ``arms`` over the same seeded shoppers and return the summary; with ``out``, write the turn log
    (turns.jsonl), summary.json, report.md and success_at_10.png there.

    Arms fusing the collaborative scorer learn from a history of prior sessions: ``history`` (sets of
    items liked together, e.g. from a study log) plus ``history_shoppers`` simulated sessions of the
    fused default on seeds of their own (HISTORY_SEED), run first; the engine forgets them afterwards."""
    if turns < report.WITHIN:
        raise MMRecError(
            f"turns={turns}: at least {report.WITHIN}, the headline is success within {report.WITHIN} turns"
        )
    view = CatalogView(engine)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    voice_n = shoppers if voice_shoppers is None else min(voice_shoppers, shoppers)
    store = engine.store
    remembered = list(store.history)
    prior = list(history or [])
    if history_shoppers and any(a.uses_history for a in arms):
        prior += simulate_history(engine, history_shoppers, options=options)
    store.set_history(remembered + prior)
    with tempfile.TemporaryDirectory(prefix="mmrec-eval-voice-") as clips:
        try:
            episodes = run(
                engine,
                arms,
                seeds=seeds,
                shoppers=shoppers,
                turns=turns,
                voice_shoppers=voice_n,
                clips=Path(clips),
                options=options,
                log_path=out / "turns.jsonl" if out else None,
                progress=progress,
            )
        finally:
            store.set_history(remembered)
        groups = report.by_arm(episodes)
        names = list(groups)
        pairs = report.default_pairs(names)
        pairs += [
            (a.name, a.baseline)
            for a in arms
            if a.baseline in names and not {(a.name, a.baseline), (a.baseline, a.name)} & set(pairs)
        ]
        comparisons = [
            report.compare(groups, a, b, metric).to_dict() for metric in report.PAIRED_METRICS for a, b in pairs
        ]
        summary: dict[str, Any] = {
            "catalog": engine.catalog.name,
            "n_items": view.n,
            "seeds": seeds,
            "shoppers_per_seed": shoppers,
            "voice_shoppers_per_seed": voice_n,
            "encoders": {name: s.describe() for name, s in engine.status().items()},
            "arm_specs": {a.name: a.to_dict() for a in arms},
            "arms": {name: report.arm_summary(group, view.n) for name, group in groups.items()},
            "turns": turns,
            "random": report.random_baseline(episodes, view.grades_by_id, view.n),
            "history": {
                "sessions": len(prior),
                "simulated_shoppers": history_shoppers if any(a.uses_history for a in arms) else 0,
                "catalog_links": len(engine.catalog.links),
            },
            "comparisons": comparisons,
        }
        summary["acceptance"] = report.acceptance(summary)
        fused = next((a for a in arms if a.name == "fused"), None)
        if fused is not None and failures:
            speaker = Speaker(Path(clips)) if fused.parsed_policy().uses("voice") else None
            summary["failures"] = failure_examples(view, fused, groups["fused"], turns, failures, options, speaker)
    if out is not None:
        summary["files"] = {k: str(p) for k, p in report.write(summary, out).items()}
    return summary


def simulate_history(engine: Engine, shoppers: int, *, options: ShopperOptions | None = None) -> list[frozenset[str]]:
    """Items liked together in ``shoppers`` prior sessions (HISTORY_TURNS turns of the fused default: text,
    photo, then a like per turn) of HISTORY_SEED's shoppers."""
    episodes = run(
        engine,
        [get_arm("fused")],
        seeds=[HISTORY_SEED],
        shoppers=shoppers,
        turns=HISTORY_TURNS,
        voice_shoppers=0,
        options=options,
    )
    return liked_together(record for e in episodes for record in e.log)


def failure_examples(
    view: CatalogView,
    arm: Arm,
    group: list[Episode],
    turns: int,
    limit: int,
    options: ShopperOptions | None,
    speaker: Speaker | None,
) -> list[dict[str, Any]]:
    """Up to ``limit`` shoppers the arm failed (not in the top 10 within 3 turns), from distinct categories,
    replayed with the target's place in the whole ranking at every turn."""
    failed = [e for e in group if not metrics.hit_within(e.ranks, report.WITHIN)]
    picked: list[Episode] = []
    seen: set[str] = set()
    for e in failed:
        leaf = view.leaves[view.row(e.target)]
        if leaf not in seen:
            picked.append(e)
            seen.add(leaf)
        if len(picked) == limit:
            break
    out = []
    for e in picked:
        deep = run_episode(
            view,
            arm,
            seed=e.seed,
            index=e.shopper,
            target=view.row(e.target),
            turns=turns,
            speaker=speaker,
            options=options,
            deep=True,
        )
        steps = [
            {"turn": r["turn"], "type": ev["type"], "what": _what(ev), "understood": ev.get("understood", {})}
            for r in deep.log[: report.WITHIN]
            for ev in r["events"]
        ]
        out.append(
            {
                "target": e.target,
                "name": view.engine.catalog.get(e.target).name,
                "seed": e.seed,
                "shopper": e.shopper,
                "full_ranks": deep.full_ranks,
                "steps": steps,
            }
        )
    return out


def _what(event: dict[str, Any]) -> str:
    if event["type"] == "photo":
        return f"photo of {event['source']} ({', '.join(event['ops'])})"
    if event["type"] in ("like", "dislike"):
        return event["item"]
    return repr(event.get("said") or event.get("text", ""))
