"""Study analysis from the log: progress, pass rates, interactions to first like, rank movement, modality
usage and questionnaire scores with bootstrap 95% intervals; as numbers (:func:`summarize`) and PNGs (:func:`plot`).

Rank movement of a liked item = its position in the participant's first list shown (the list length if it
was not there) minus its position in the list on screen when it was liked: > 0 means feedback brought it up.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from .export import event_rows
from .schema import studies
from .spec import Study
from .store import StudyStore

BOOTSTRAP = 2000


def summarize(store: StudyStore, study: Study, *, seed: int = 0) -> dict[str, Any]:
    """Every figure of the analysis, per condition, as plain JSON-ready numbers."""
    names = [c.name for c in study.conditions]
    people = store.participants_of()
    progress = {n: Counter() for n in names}
    for p in people:
        for n in p["conditions"]:
            progress[n][p["status"]] += 1
    first_like: dict[str, list[int]] = defaultdict(list)
    movement: dict[str, list[int]] = defaultdict(list)
    usage: dict[str, Counter] = {n: Counter() for n in names}
    attention: dict[str, list[bool]] = defaultdict(list)
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    state: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"n": 0, "liked": False, "first": None, "last": None}
    )
    for row in event_rows(store):
        cond, kind, payload = row["condition"], row["kind"], row["payload"]
        s = state[(row["participant_id"], cond)]
        if kind == "interaction":
            event = payload["record"].get("event", {})
            usage[cond][event.get("type", "?")] += 1
            s["n"] += 1
            if event.get("type") == "like":
                if not s["liked"]:
                    first_like[cond].append(s["n"])
                    s["liked"] = True
                if s["last"] is not None:
                    first_ids = s["first"]
                    start = first_ids.index(event["item"]) if event["item"] in first_ids else len(first_ids)
                    if event["item"] in s["last"]:
                        movement[cond].append(start - s["last"].index(event["item"]))
        elif kind == "list_shown":
            ids = [x["id"] for x in payload["shown"]]
            s["first"] = ids if s["first"] is None else s["first"]
            s["last"] = ids
        elif kind == "attention_check":
            attention[cond].append(bool(payload["passed"]))
        elif kind == "questionnaire":
            for construct, value in _construct_scores(study, payload["answers"]).items():
                scores[(cond, construct)].append(value)
    with store.engine.connect() as conn:
        withdrawn = sum(n for (n,) in conn.execute(studies.select().with_only_columns(studies.c.withdrawn)))
    rng = np.random.default_rng(seed)
    constructs = sorted({c for _, c in scores})
    return {
        "conditions": names,
        "participants": len(people),
        "withdrawn": withdrawn,
        "progress": {n: dict(progress[n]) for n in names},
        "completion_rate": {n: _rate(progress[n]["completed"], sum(progress[n].values())) for n in names},
        "attention_pass_rate": {n: _rate(sum(attention[n]), len(attention[n])) for n in names},
        "interactions_to_first_like": {n: _describe(first_like[n]) for n in names},
        "rank_movement_of_liked": {n: _describe(movement[n]) for n in names},
        "modality_usage": {n: dict(usage[n]) for n in names},
        "questionnaire": {
            n: {c: _bootstrap(scores[(n, c)], rng) for c in constructs if scores.get((n, c))} for n in names
        },
    }


def _construct_scores(study: Study, answers: dict[str, str]) -> dict[str, float]:
    """One participant's mean per construct, reverse-keyed items flipped (points + 1 - value)."""
    checks = {c.id for c in study.attention_checks}
    by_construct: dict[str, list[int]] = defaultdict(list)
    for item_id, label in answers.items():
        if item_id in checks:
            continue
        item = study.item(item_id)
        value = study.scale_value(label, item.points)
        by_construct[item.construct].append(item.points + 1 - value if item.reverse else value)
    return {c: float(np.mean(v)) for c, v in by_construct.items()}


def _rate(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


def _describe(values: list[int]) -> dict[str, Any]:
    return {"n": len(values), "mean": round(float(np.mean(values)), 3) if values else None, "values": values}


def _bootstrap(values: list[float], rng: np.random.Generator) -> dict[str, Any]:
    """Mean with a percentile bootstrap 95% interval."""
    x = np.asarray(values, dtype=float)
    means = rng.choice(x, size=(BOOTSTRAP, x.size), replace=True).mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {
        "n": int(x.size),
        "mean": round(float(x.mean()), 3),
        "low": round(float(low), 3),
        "high": round(float(high), 3),
    }


def plot(summary: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write one PNG per figure of ``summary`` to ``out_dir``; return their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    names = summary["conditions"]
    x = np.arange(len(names))
    written = []

    def save(fig: Any, name: str) -> None:
        fig.tight_layout()
        path = out_dir / f"{name}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)

    fig, ax = plt.subplots(figsize=(6, 3.5))
    statuses = ("consented", "active", "completed")
    bottom = np.zeros(len(names))
    for status in statuses:
        counts = np.array([summary["progress"][n].get(status, 0) for n in names])
        ax.bar(x, counts, bottom=bottom, label=status)
        bottom += counts
    for i, n in enumerate(names):
        rate = summary["attention_pass_rate"][n]
        note = f"completed {percent(summary['completion_rate'][n])}\nattention ok {percent(rate)}"
        ax.text(i, bottom[i], note, ha="center", va="bottom", fontsize=8)
    ax.set(xticks=x, xticklabels=names, ylabel="participants", title="Progress per condition")
    ax.set_ylim(0, max(bottom.max(), 1) * 1.6)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, loc="upper center", ncol=len(statuses))
    save(fig, "progress")

    for key, title, ylabel in (
        ("interactions_to_first_like", "Interactions up to the first like", "interactions"),
        ("rank_movement_of_liked", "Rank gained by liked items (first list → when liked)", "positions gained"),
    ):
        fig, ax = plt.subplots(figsize=(6, 3.5))
        data = [summary[key][n]["values"] or [np.nan] for n in names]
        ax.boxplot(data, tick_labels=names, showmeans=True)
        for i, values in enumerate(data, start=1):
            ax.scatter(np.full(len(values), i) + np.linspace(-0.08, 0.08, len(values)), values, s=12, alpha=0.6)
        if all(np.isnan(v).all() for v in map(np.asarray, data)):
            ax.text(0.5, 0.5, "no data yet", transform=ax.transAxes, ha="center", color="grey")
        ax.set(title=title, ylabel=ylabel)
        save(fig, key)

    fig, ax = plt.subplots(figsize=(6, 3.5))
    kinds = sorted({k for n in names for k in summary["modality_usage"][n]})
    width = 0.8 / max(len(kinds), 1)
    for j, kind in enumerate(kinds):
        ax.bar(
            x + j * width - 0.4 + width / 2,
            [summary["modality_usage"][n].get(kind, 0) for n in names],
            width,
            label=kind,
        )
    ax.set(xticks=x, xticklabels=names, ylabel="interactions", title="Inputs used per condition")
    ax.legend(fontsize=8)
    save(fig, "modality_usage")

    fig, ax = plt.subplots(figsize=(7, 3.8))
    constructs = sorted({c for n in names for c in summary["questionnaire"][n]})
    width = 0.8 / max(len(names), 1)
    for j, n in enumerate(names):
        rows = [summary["questionnaire"][n].get(c) for c in constructs]
        means = [r["mean"] if r else np.nan for r in rows]
        err = [[r["mean"] - r["low"] if r else 0 for r in rows], [r["high"] - r["mean"] if r else 0 for r in rows]]
        pos = np.arange(len(constructs)) + j * width - 0.4 + width / 2
        ax.bar(pos, means, width, yerr=err, capsize=3, label=n)
    ax.set(xticks=np.arange(len(constructs)), ylabel="mean score", ylim=(1, None))
    ax.set_xticklabels([c.replace("_", " ") for c in constructs], fontsize=8)
    ax.set_title("Questionnaire per construct (bootstrap 95% CI)")
    ax.legend(fontsize=8)
    save(fig, "questionnaire")
    return written


def percent(rate: float | None) -> str:
    """A rate as a whole percentage, "–" when there is nothing to rate yet."""
    return "–" if rate is None else f"{rate:.0%}"
