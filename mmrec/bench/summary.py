"""The Markdown summary and PNG plots of ``python -m mmrec.bench all`` (from its ``all.json`` payload)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from ..evaluation import report

COLLABORATIVE_PAIRS = (("fused-collab", "fused"), ("feedback-collab", "feedback"))
DETAIL_FIELDS = ("beam", "clip_s")
"""Numeric row fields that tell timed actions apart (speech: beam width, clip length)."""


def latency_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Every timed action of every benchmark (a row's ``p50_ms``/``p95_ms``, or ``<x>_p50_ms``/``<x>_p95_ms``
    pairs such as a photo's upload and turn), labelled by the row's text fields; the scale benchmark has
    its own section."""
    out = []
    for name, result in payload.get("benchmark_results", {}).items():
        if name == "scale":
            continue
        for row in result.get("rows", []):
            label = " / ".join(
                [str(v) for v in row.values() if isinstance(v, str)]
                + [f"{k} {row[k]}" for k in DETAIL_FIELDS if k in row]
            )
            for key in [k for k in row if k.endswith("p50_ms") and k[:-6] + "p95_ms" in row]:
                what = f"{label} / {key[:-7]}" if key[:-6] else label
                out.append({"bench": name, "what": what, "p50_ms": row[key], "p95_ms": row[key[:-6] + "p95_ms"]})
    return out


def scale_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return payload.get("benchmark_results", {}).get("scale", {}).get("rows", [])


def _table(head: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in r) + " |" for r in rows])


def _evaluation_section(summary: dict[str, Any]) -> list[str]:
    text = report.markdown(summary).split("\n## Failure examples")[0]
    return [("#" + line) if line.startswith("#") else line for line in text.splitlines()]


def _learned_section(payload: dict[str, Any]) -> list[str]:
    fit = payload["fit"]
    policies = payload["held_out"]
    first = next(iter(policies.values()))
    base = first["arm_specs"]["default"]["config"]["weights"]
    rows = [[name, f"{base.get(name, 0.0):g}", f"{w:.3f}"] for name, w in fit["weights"].items()]
    arms = [
        [
            policy,
            name,
            str(a["n"]),
            str(report.Estimate(**a["within_3"])),
            str(report.Estimate(**a["per_turn"]["mrr"][3])),
        ]
        for policy, held in policies.items()
        for name, a in held["arms"].items()
    ]
    verdicts = [
        f"- {policy}, {c['metric']}: {c['verdict']}" for policy, held in policies.items() for c in held["comparisons"]
    ]
    return [
        "## Learned fusion (fit-weights) on held-out shoppers",
        "",
        f"Fitted on {fit['lists']} logged lists ({fit['pairs']} ordered pairs) of the evaluation above; "
        f"gain-weighted pair accuracy default {fit['pair_accuracy']['base']:.3f} → learned "
        f"{fit['pair_accuracy']['learned']:.3f}. Held-out shoppers: seeds {first['seeds']}.",
        "",
        _table(["scorer", "default weight", "learned weight"], rows),
        "",
        _table(["policy", "config", "n", "s@10 ≤3 turns [95% CI]", "MRR t3 [95% CI]"], arms),
        "",
        *verdicts,
    ]


def _collaborative_section(summary: dict[str, Any]) -> list[str]:
    found = [
        c
        for c in summary["comparisons"]
        if (c["a"], c["b"]) in COLLABORATIVE_PAIRS or (c["b"], c["a"]) in COLLABORATIVE_PAIRS
    ]
    if not found:
        return []
    h = summary.get("history", {})
    return [
        "## Collaborative scorer (catalog links + co-likes of prior sessions)",
        "",
        f"History: {h.get('sessions', 0)} prior sessions with two or more likes (of {h.get('simulated_shoppers', 0)} "
        f"simulated shoppers on their own seed); {h.get('catalog_links', 0)} catalog links.",
        "",
        *[f"- {c['a']} vs {c['b']}, {c['metric']}: {c['verdict']}" for c in found],
    ]


def markdown(payload: dict[str, Any]) -> str:
    """The whole report as Markdown."""
    lines = [
        f"# mmrec benchmark report ({payload['form']} form)",
        "",
        f"Catalog `{payload['catalog']}`; {payload['machine']['cpus']} CPUs, Python {payload['machine']['python']}; "
        f"load average at the end {', '.join(f'{x:.2f}' for x in payload['load_average'])}; "
        f"{payload['seconds'] / 60:.1f} min in all. Plots: success_at_10.png, latency.png, scale.png.",
        "",
        *_evaluation_section(payload["evaluation"]),
        "",
        *_collaborative_section(payload["evaluation"]),
        "",
        *_learned_section(payload),
        "",
    ]
    scale = scale_rows(payload)
    if scale:
        lines += [
            "## Ranking scale: exact vs approximate (FAISS IVF)",
            "",
            _table(
                ["items", "exact p50 / p95 ms", "approx p50 / p95 ms", "recall@10", "IVF build s", "library uses"],
                [
                    [
                        f"{r['n']:,}",
                        f"{r['exact_p50_ms']:.1f} / {r['exact_p95_ms']:.1f}",
                        f"{r['approx_p50_ms']:.1f} / {r['approx_p95_ms']:.1f}",
                        f"{r['recall_at_10']:.3f}",
                        r["ivf_build_s"],
                        r["library_uses"],
                    ]
                    for r in scale
                ],
            ),
            "",
        ]
    latency = latency_rows(payload)
    if latency:
        lines += [
            "## Latency per action",
            "",
            _table(
                ["benchmark", "action", "p50 ms", "p95 ms"],
                [[r["bench"], r["what"], r["p50_ms"], r["p95_ms"]] for r in latency],
            ),
            "",
        ]
    lines += [
        "## Benchmarks run",
        "",
        _table(
            ["benchmark", "status", "seconds", "error"],
            [[s["name"], s["status"], s["seconds"], s["error"][:160]] for s in payload["benchmarks"]],
        ),
    ]
    return "\n".join(lines) + "\n"


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        warnings.warn("matplotlib is not installed: no plots", stacklevel=3)
        return None
    return plt


def plot_latency(payload: dict[str, Any], path: Path) -> bool:
    """p50 and p95 per timed action, log scale; False when there is nothing to plot or no matplotlib."""
    rows = latency_rows(payload)
    plt = _pyplot()
    if not rows or plt is None:
        return False
    labels = [f"{r['bench']}: {r['what']}"[:60] for r in rows]
    fig, ax = plt.subplots(figsize=(10, 0.32 * len(rows) + 1.5), dpi=110)
    y = range(len(rows))
    ax.barh([i + 0.2 for i in y], [r["p95_ms"] for r in rows], height=0.4, label="p95", color="C1")
    ax.barh([i - 0.2 for i in y], [r["p50_ms"] for r in rows], height=0.4, label="p50", color="C0")
    ax.set_yticks(list(y), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set(xscale="log", xlabel="milliseconds (log)", title="latency per action")
    ax.legend()
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def plot_scale(payload: dict[str, Any], path: Path) -> bool:
    """Ranking p95 by catalog size, exact and approximate, with recall@10 of the approximate top 10."""
    rows = scale_rows(payload)
    plt = _pyplot()
    if not rows or plt is None:
        return False
    n = [r["n"] for r in rows]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    ax.plot(n, [r["exact_p95_ms"] for r in rows], marker="o", label="exact p95")
    ax.plot(n, [r["approx_p95_ms"] for r in rows], marker="s", label="approximate (IVF) p95")
    ax.set(xscale="log", yscale="log", xlabel="items", ylabel="rank p95 (ms, log)", title="ranking scale")
    ax.grid(alpha=0.3)
    recall = ax.twinx()
    recall.plot(n, [r["recall_at_10"] for r in rows], color="C2", linestyle="--", marker="^", label="recall@10")
    recall.set(ylim=(0, 1.05), ylabel="recall@10 vs exact")
    handles = ax.get_legend_handles_labels()[0] + recall.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True
