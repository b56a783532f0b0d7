"""Every benchmark and the evaluation in one run: JSON per part, a Markdown summary and PNG plots.

    python -m mmrec.bench all [--catalog DIR] [--full] [--out bench-results/all]

The short form (default, a few minutes) runs each benchmark with few repetitions and the evaluation
with one seed and few shoppers; ``--full`` runs the documented full form (3 seeds x 100 shoppers per
arm, 15 voice shoppers per seed, 200 simulated prior sessions, more repetitions). Parts:

- each benchmark of :mod:`mmrec.bench` (``<name>.json``); one that cannot run here (no browser, no
  espeak-ng...) is listed as failed with its error, and the rest go on;
- the evaluation of every arm (``evaluation/``: report.md, summary.json, turns.jsonl, success_at_10.png);
- learned fusion: weights fitted (``fit-weights``) on the evaluation's turns, then the default and the
  learned config compared on held-out shoppers (seeds from HELD_OUT_SEED) under the fused policy and
  under list feedback alone (``learned/<policy>/``).

Written: ``summary.md``, ``all.json``, ``success_at_10.png``, ``latency.png`` (p50/p95 per action),
``scale.png`` (ranking 1k..1M exact vs approximate, recall@10).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import time
import traceback
from pathlib import Path
from typing import Any

from ..evaluation.arms import DEFAULT_POLICY
from . import BENCHMARKS
from . import summary as summary_module
from .common import machine

ROOT = Path(__file__).resolve().parents[2]
HELD_OUT_SEED = 100
"""First seed of the held-out shoppers the learned weights are judged on (training uses 0, 1, 2)."""
HELD_OUT_POLICIES = (DEFAULT_POLICY, "feedback")
"""Shopper policies the learned and the default weights are compared under (the fused default first)."""
SHORT_ARMS = ("fused", "text", "voice", "photo", "feedback", "feedback-collab")


def benchmark_argv(name: str, catalog: Path, out: Path, full: bool) -> list[str] | None:
    """The arguments ``name`` runs with in this report (None: not applicable to the catalog)."""
    json_out = ["--out", str(out / f"{name}.json")]
    reviews = catalog / "reviews.jsonl"
    argv = {
        "core": ["--catalog", str(catalog), "--runs", "60" if full else "20", "--sizes", "1000,100000"]
        + ["--simulated", "10000" if full else "1000"],
        "scale": ["--sizes", "1000,10000,100000,1000000", "--runs", "20" if full else "8"],
        "sentiment_eval": ["--reviews", str(reviews)] if reviews.is_file() else None,
        "speech": ["--catalog", str(catalog), "--runs", "5" if full else "2"],
        "photo": ["--catalog", str(catalog), "--runs", "30" if full else "8"],
        "photo_retrieval": ["--catalog", str(catalog)],
        "photo_robustness": ["--catalog", str(catalog)] + ([] if full else ["--sample", "200"]),
        "study_log": ["--runs", "300" if full else "50"],
        "ui": ["--catalog", str(catalog), "--runs", "10" if full else "3", "--startup-runs", "2" if full else "1"],
        "limits": ["--catalog", str(catalog), "--runs", "20" if full else "5"],
        "understanding": [],
        "study_flow": ["--catalog", str(catalog)],
        "load": ["--catalog", str(catalog)] + ([] if full else ["--short"]),
    }[name]
    return None if argv is None else argv + json_out


def run_benchmark(name: str, argv: list[str]) -> dict[str, Any]:
    """Run one benchmark's ``main`` in this process; its status, time and error (never raises)."""
    started = time.perf_counter()
    try:
        code = importlib.import_module(f"mmrec.bench.{name}").main(argv)
        status = "ok" if code in (None, 0) else f"exit {code}"
        error = ""
    except (Exception, SystemExit) as e:  # one benchmark that cannot run here must not stop the report
        status, error = "failed", f"{type(e).__name__}: {e}".strip()
        traceback.print_exc()
    return {"name": name, "status": status, "seconds": round(time.perf_counter() - started, 1), "error": error}


def run_evaluation(catalog: Path, out: Path, full: bool) -> dict[str, Any]:
    """The evaluation of every arm, then learned vs default weights on held-out shoppers."""
    from ..engine import Engine
    from ..evaluation import evaluate, get_arm
    from ..evaluation.arms import DEFAULT_ARMS, config_arms
    from ..learned_fusion import fit_weights, learned_config
    from ..recommender_config import default_config
    from ..session_log import read_log, shown_lists

    seeds, shoppers, voice, history = ([0, 1, 2], 100, 15, 200) if full else ([0], 20, 3, 50)
    engine = Engine.load(catalog, image=True, speech=True)
    arms = [get_arm(a) for a in (DEFAULT_ARMS if full else SHORT_ARMS)]
    started = time.perf_counter()
    summary = evaluate(
        engine,
        arms,
        seeds=seeds,
        shoppers=shoppers,
        voice_shoppers=voice,
        history_shoppers=history,
        out=out / "evaluation",
    )
    seconds = time.perf_counter() - started
    learned_dir = out / "learned"
    learned_dir.mkdir(parents=True, exist_ok=True)
    base = default_config()
    fit = fit_weights(shown_lists(read_log(out / "evaluation" / "turns.jsonl")), base)
    paths = [learned_dir / "default.json", learned_dir / "learned.json"]
    base.save(paths[0])
    learned_config(base, fit, "learned").save(paths[1])
    held_out = {
        policy: evaluate(
            engine,
            config_arms(paths, policy),
            seeds=[HELD_OUT_SEED + s for s in seeds],
            shoppers=shoppers,
            history_shoppers=history,  # the same prior sessions: the learned collaborative weight expects them
            out=learned_dir / policy.replace("+", "-"),
            failures=0,
        )
        for policy in HELD_OUT_POLICIES
    }
    return {"evaluation": summary, "evaluation_seconds": round(seconds, 1), "fit": fit.to_dict(), "held_out": held_out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    luma = ROOT.parent / "shared" / "catalogs" / "luma"
    default = luma if (luma / "items.jsonl").is_file() else ROOT / "assets" / "demo_catalog"
    parser.add_argument("--catalog", type=Path, default=default, help="catalog (default: Luma if present, else demo)")
    parser.add_argument("--full", action="store_true", help="the full form (see above); default: the short form")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "all")
    parser.add_argument("--skip", default="", help="comma-separated benchmarks not to run")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)  # the evaluation and the encoders' single queries are fastest on one thread here
    args.out.mkdir(parents=True, exist_ok=True)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    started = time.perf_counter()
    steps = []
    for name in (n for n in BENCHMARKS if n != "all" and n not in skip):
        bench_argv = benchmark_argv(name, args.catalog, args.out, args.full)
        if bench_argv is None:
            steps.append({"name": name, "status": "not applicable", "seconds": 0.0, "error": ""})
            continue
        steps.append(run_benchmark(name, bench_argv))
    results = run_evaluation(args.catalog, args.out, args.full)

    payload = {
        "form": "full" if args.full else "short",
        "catalog": str(args.catalog),
        "machine": machine(),
        "load_average": list(os.getloadavg()),
        "seconds": round(time.perf_counter() - started, 1),
        "benchmarks": steps,
        "benchmark_results": {
            s["name"]: json.loads((args.out / f"{s['name']}.json").read_text())
            for s in steps
            if (args.out / f"{s['name']}.json").is_file()
        },
        **results,
    }
    (args.out / "all.json").write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    plot = args.out / "evaluation" / "success_at_10.png"
    if plot.is_file():
        shutil.copy(plot, args.out / "success_at_10.png")
    summary_module.plot_latency(payload, args.out / "latency.png")
    summary_module.plot_scale(payload, args.out / "scale.png")
    (args.out / "summary.md").write_text(summary_module.markdown(payload))
    print((args.out / "summary.md").read_text())
    print(f"wrote {args.out}/summary.md, all.json and the plots")
    return 0


if __name__ == "__main__":
    main()
