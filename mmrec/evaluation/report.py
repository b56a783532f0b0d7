"""Summaries of a run: per-arm metrics per turn with bootstrap intervals, paired comparisons, a Markdown
table, a JSON file and a PNG of success@10 per turn."""

from __future__ import annotations

import json
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from . import metrics
from .runner import Episode
from .stats import Comparison, Estimate, bootstrap_ci, bootstrap_stat, paired_bootstrap

KS = (1, 5, 10)
WITHIN = 3
SINGLE_MODALITIES = ("text", "voice", "photo", "feedback")


def by_arm(episodes: list[Episode]) -> dict[str, list[Episode]]:
    """Episodes grouped per arm (in first-seen order), each group sorted by (seed, shopper)."""
    groups: dict[str, list[Episode]] = defaultdict(list)
    for e in episodes:
        groups[e.arm].append(e)
    return {arm: sorted(group, key=lambda e: e.key) for arm, group in groups.items()}


def arm_summary(group: list[Episode], n_items: int, k: int = 10) -> dict[str, Any]:
    """Every metric of one arm, per turn, with bootstrap intervals over its shoppers."""
    turns = len(group[0].ranks)
    hit = lambda kk: np.array([[metrics.success_at(r, kk) for r in e.ranks] for e in group])  # noqa: E731
    per_turn: dict[str, list[Estimate]] = {f"success@{kk}": _columns(hit(kk)) for kk in KS}
    per_turn["ndcg@10"] = _columns(np.array([e.ndcg for e in group]))
    per_turn["mrr"] = _columns(np.array([[metrics.reciprocal_rank(r) for r in e.ranks] for e in group]))
    per_turn["diversity"] = _columns(np.array([e.diversity for e in group]))
    per_turn["coverage"] = [
        bootstrap_stat(len(group), lambda idx, t=t: metrics.coverage([group[i].shown[t] for i in idx], n_items))
        for t in range(turns)
    ]
    first = [metrics.first_hit(e.ranks, k) for e in group]
    censored = np.array([turns if f is None else f for f in first], dtype=float)
    median = float(np.median(censored))
    return {
        "n": len(group),
        "seeds": sorted({e.seed for e in group}),
        "per_turn": {m: [e.to_dict() for e in ests] for m, ests in per_turn.items()},
        f"within_{WITHIN}": bootstrap_ci(np.array([metrics.hit_within(e.ranks, WITHIN, k) for e in group])).to_dict(),
        f"within_{WITHIN}_per_seed": {
            str(s): round(float(np.mean([metrics.hit_within(e.ranks, WITHIN, k) for e in group if e.seed == s])), 4)
            for s in sorted({e.seed for e in group})
        },
        "first_hit_median": None if median >= turns else median,
        "found_by_last_turn": round(float(np.mean([f is not None for f in first])), 4),
        "errors": int(sum(e.errors for e in group)),
    }


def _columns(values: np.ndarray) -> list[Estimate]:
    return [bootstrap_ci(values[:, t]) for t in range(values.shape[1])]


def random_baseline(episodes: list[Episode], grades_of, n_items: int, k: int = 10) -> dict[str, Any]:
    """What a uniformly random top-``k`` list would score, per turn (the same at every turn)."""
    targets = sorted({e.target for e in episodes})
    return {
        **{f"success@{kk}": round(metrics.random_success(kk, n_items), 4) for kk in KS},
        f"within_{WITHIN}": round(metrics.random_success(k, n_items, lists=WITHIN + 1), 4),
        "mrr": round(metrics.random_mrr(k, n_items), 4),
        "ndcg@10": round(float(np.mean([metrics.random_ndcg(grades_of(t), k) for t in targets])), 4),
    }


PAIRED_METRICS = {
    f"success@10 within {WITHIN} turns": lambda e: metrics.hit_within(e.ranks, WITHIN),
    f"MRR@10 at turn {WITHIN}": lambda e: metrics.reciprocal_rank(e.ranks[WITHIN]),
}
"""Per-shopper values the arms are compared on: the headline, and a finer one that sees rank changes."""


def compare(groups: dict[str, list[Episode]], a: str, b: str, metric: str) -> Comparison:
    """Paired bootstrap of ``metric`` (a key of PAIRED_METRICS), A minus B, on the shoppers both arms met."""
    ea, eb = {e.key: e for e in groups[a]}, {e.key: e for e in groups[b]}
    keys = sorted(set(ea) & set(eb))
    value = PAIRED_METRICS[metric]
    va, vb = np.array([value(ea[key]) for key in keys]), np.array([value(eb[key]) for key in keys])
    return paired_bootstrap(va, vb, names=(a, b), metric=metric)


def default_pairs(arms: list[str], reference: str = "fused") -> list[tuple[str, str]]:
    """The reference arm (else the first arm, e.g. the first ``--configs`` file) against every other arm."""
    if reference not in arms:
        reference = arms[0] if arms else reference
    return [(reference, other) for other in arms if other != reference]


def markdown(summary: dict[str, Any]) -> str:
    """The report as Markdown: the arms table, the comparisons, the acceptance check and failure examples."""
    arms, rnd = summary["arms"], summary["random"]
    turns = summary["turns"]
    show = [t for t in range(1, min(turns, 5) + 1)]
    head = [
        "arm",
        "policy",
        "n",
        *[f"s@10 t{t}" for t in show],
        f"s@10 ≤{WITHIN} turns [95% CI]",
        "× random",
        f"NDCG@10 t{WITHIN}",
        f"MRR t{WITHIN}",
        "first hit (median turn)",
        f"coverage t{WITHIN}",
        f"ILD t{WITHIN}",
    ]
    rows = []
    ranked = sorted(arms.items(), key=lambda kv: -kv[1][f"within_{WITHIN}"]["mean"])
    for name, a in ranked:
        w = a[f"within_{WITHIN}"]
        pt = a["per_turn"]
        rows.append(
            [
                f"**{name}**" if name == ranked[0][0] else name,
                summary["arm_specs"][name]["policy"],
                str(a["n"]),
                *[f"{pt['success@10'][t]['mean']:.2f}" for t in show],
                f"{w['mean']:.3f} [{w['low']:.3f}, {w['high']:.3f}]",
                f"{w['mean'] / rnd[f'within_{WITHIN}']:.1f}×",
                f"{pt['ndcg@10'][WITHIN]['mean']:.3f}",
                f"{pt['mrr'][WITHIN]['mean']:.3f}",
                "-" if a["first_hit_median"] is None else f"{a['first_hit_median']:g}",
                f"{pt['coverage'][WITHIN]['mean']:.3f}",
                f"{pt['diversity'][WITHIN]['mean']:.3f}",
            ]
        )
    rows.append(
        [
            "random",
            "-",
            "-",
            *[f"{rnd['success@10']:.2f}"] * len(show),
            f"{rnd[f'within_{WITHIN}']:.3f}",
            "1.0×",
            f"{rnd['ndcg@10']:.3f}",
            f"{rnd['mrr']:.3f}",
            "-",
            "-",
            "-",
        ]
    )
    lines = [
        f"# Evaluation: {summary['catalog']} ({summary['n_items']} items)",
        "",
        f"Seeds {summary['seeds']}, {turns} turns, success@10 = target in the top 10 at that turn "
        f"(t0 = the first list, before any action); bold = best arm. Random: k/N per list.",
        "",
        _table(head, rows),
        "",
        "## Paired comparisons (same shoppers)",
        "",
    ]
    lines.append(
        _table(
            ["A vs B", "metric", "A − B [95% CI]", "verdict"],
            [
                [
                    f"{c['a']} vs {c['b']}",
                    c["metric"],
                    f"{c['diff']['mean']:+.3f} [{c['diff']['low']:+.3f}, "
                    f"{c['diff']['high']:+.3f}] (n={c['diff']['n']})",
                    c["verdict"],
                ]
                for c in summary["comparisons"]
            ],
        )
    )
    lines += ["", "## Acceptance", "", *[f"- {line}" for line in summary["acceptance"]]]
    if summary.get("failures"):
        lines += ["", "## Failure examples (fused arm, target not in the top 10 within 3 turns)", ""]
        for f in summary["failures"]:
            lines.append(f"- **{f['target']}** ({f['name']}); full rank per turn {f['full_ranks']}")
            lines += [f"  - turn {s['turn']} {s['type']}: {s['what']} → {s['understood']}" for s in f["steps"]]
    return "\n".join(lines) + "\n"


def acceptance(summary: dict[str, Any], fused: str = "fused", target: float = 0.80) -> list[str]:
    """The issue's two acceptance checks, in words."""
    arms = summary["arms"]
    if fused not in arms:
        return [f"no {fused!r} arm in this run"]
    w = arms[fused][f"within_{WITHIN}"]
    out = [
        f"{fused}: success@10 within {WITHIN} turns = {w['mean']:.3f} [{w['low']:.3f}, {w['high']:.3f}]; "
        f"target ≥ {target:.2f}: {'met' if w['mean'] >= target else 'NOT met'}"
    ]
    singles = {a: arms[a][f"within_{WITHIN}"]["mean"] for a in SINGLE_MODALITIES if a in arms}
    if singles:
        best = max(singles, key=lambda a: singles[a])
        headline = next(iter(PAIRED_METRICS))
        verdict = next(
            (
                c["verdict"]
                for c in summary["comparisons"]
                if {c["a"], c["b"]} == {fused, best} and c["metric"] == headline
            ),
            "",
        )
        met = w["mean"] >= singles[best] or "no clear difference" in verdict
        out.append(
            f"best single modality: {best} ({singles[best]:.3f}); fusion at least as good: "
            f"{'yes' if met else 'NO'} — {verdict}"
        )
    return out


def _table(head: list[str], rows: list[list[str]]) -> str:
    return "\n".join(
        ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in rows]
    )


def plot(summary: dict[str, Any], path: Path) -> bool:
    """success@10 per turn per arm, with 95% bands, and the random baseline; False (and a warning) when
    matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        warnings.warn("matplotlib is not installed: the evaluation writes no plot", stacklevel=2)
        return False

    fig, ax = plt.subplots(figsize=(10, 5), dpi=110)
    markers = "osD^v<>ph*"
    for i, (name, a) in enumerate(summary["arms"].items()):
        est = a["per_turn"]["success@10"]
        t = np.arange(len(est))
        mean = np.array([e["mean"] for e in est])
        main = name == "fused"  # the fused default on top, thicker
        (line,) = ax.plot(
            t,
            mean,
            marker=markers[i % len(markers)],
            lw=3 if main else 1.3,
            zorder=3 if main else 2,
            color=f"C{i % 10}",
            label=f"{name} (n={a['n']})",
        )
        ax.fill_between(t, [e["low"] for e in est], [e["high"] for e in est], color=line.get_color(), alpha=0.12)
    ax.axhline(summary["random"]["success@10"], color="gray", linestyle="--", label="random (k/N)")
    ax.set(
        xlabel="turn (0 = first list)",
        ylabel="success@10",
        ylim=(0, 1.02),
        title=f"success@10 per turn — {summary['catalog']}",
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def write(summary: dict[str, Any], out: Path) -> dict[str, Path]:
    """summary.json, report.md and (with matplotlib) success_at_10.png in ``out``; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "summary.json", "markdown": out / "report.md"}
    paths["json"].write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    paths["markdown"].write_text(markdown(summary))
    if plot(summary, out / "success_at_10.png"):
        paths["plot"] = out / "success_at_10.png"
    return paths
