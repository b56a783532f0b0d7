"""``python -m mmrec.evaluation``: simulated shoppers on a catalog, arms compared, report files written.

python -m mmrec.evaluation --catalog ../shared/catalogs/luma --seeds 3 --shoppers 100 --out bench-results/eval
python -m mmrec evaluate --configs default.json learned.json --first-seed 100 --out bench-results/ab
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..engine import Engine
from ..errors import MMRecError
from ..session_log import liked_together, read_log
from .arms import DEFAULT_ARMS, DEFAULT_POLICY, Arm, available_arms, config_arms, get_arm
from .experiment import evaluate
from .shoppers import ShopperOptions

ROOT = Path(__file__).resolve().parents[2]
LUMA = ROOT.parent / "shared" / "catalogs" / "luma"
DEMO = ROOT / "assets" / "demo_catalog"


def default_catalog() -> Path:
    """Luma beside the repository when present, else the demo catalog."""
    return LUMA if (LUMA / "items.jsonl").is_file() else DEMO


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The evaluation's options, on ``parser`` (e.g. a ``mmrec evaluate`` subcommand) or a new one."""
    p = parser or argparse.ArgumentParser(prog="python -m mmrec.evaluation", description=__doc__.split("\n")[0])
    p.add_argument("--catalog", type=Path, default=None, help="catalog folder (default: Luma if present, else demo)")
    p.add_argument(
        "--arms",
        default=None,
        help=f"comma-separated arms of: {', '.join(available_arms())} (default: all of them, or none with --configs)",
    )
    p.add_argument(
        "--configs",
        type=Path,
        nargs="+",
        default=[],
        help="saved recommender configs, one arm each (named by their 'name' key or file stem); the first is "
        "the reference the others are compared with",
    )
    p.add_argument("--policy", default=DEFAULT_POLICY, help=f"shopper policy of --configs arms ({DEFAULT_POLICY})")
    p.add_argument("--seeds", type=int, default=3, help="number of seeds (default 3)")
    p.add_argument("--first-seed", type=int, default=0, help="seeds run first-seed.. (held-out shoppers: another)")
    p.add_argument("--shoppers", type=int, default=100, help="shoppers per seed and arm (default 100)")
    p.add_argument("--voice-shoppers", type=int, default=15, help="shoppers per seed in voice arms (default 15)")
    p.add_argument("--turns", type=int, default=5, help="turns per shopper (default 5)")
    p.add_argument("--error-rate", type=float, default=0.1, help="list-feedback error rate (default 0.1)")
    p.add_argument(
        "--history-shoppers",
        type=int,
        default=200,
        help="simulated prior sessions the collaborative arms learn co-likes from (default 200)",
    )
    p.add_argument("--history", type=Path, nargs="+", default=[], help="logs of prior sessions (study export...)")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "evaluation", help="output folder")
    p.add_argument("--threads", type=int, default=1, help="torch threads (default 1: fastest on shared CPUs)")
    p.add_argument("--cache-dir", type=Path, default=None, help="mmrec cache root")
    return p


def selected_arms(names: str | None, configs: list[Path], policy: str = DEFAULT_POLICY) -> list[Arm]:
    """The named arms (default: every arm when no config is given), then one arm per config file."""
    if names is None:
        names = "" if configs else ",".join(DEFAULT_ARMS)
    arms = [get_arm(name.strip()) for name in names.split(",") if name.strip()] + config_arms(configs, policy)
    clash = sorted({a.name for a in arms if [b.name for b in arms].count(a.name) > 1})
    if clash:
        raise MMRecError(f"two arms are named {', '.join(clash)}; rename a config (its 'name' key or file)")
    return arms


def run_from_args(args: argparse.Namespace) -> int:
    """Run the evaluation the parsed ``args`` describe; print the Markdown report. The hook for ``mmrec evaluate``."""
    try:
        arms = selected_arms(args.arms, args.configs, args.policy)
        policies = [a.parsed_policy() for a in arms]
        import torch

        torch.set_num_threads(args.threads)
        engine = Engine.load(
            args.catalog or default_catalog(),
            image=any(p.uses("photo") for p in policies),
            speech=any(p.uses("voice") for p in policies),
            cache_dir=args.cache_dir,
        )
        summary = evaluate(
            engine,
            arms,
            seeds=list(range(args.first_seed, args.first_seed + args.seeds)),
            shoppers=args.shoppers,
            turns=args.turns,
            voice_shoppers=args.voice_shoppers,
            out=args.out,
            options=ShopperOptions(error_rate=args.error_rate),
            history_shoppers=args.history_shoppers,
            history=liked_together(read_log(args.history)) if args.history else None,
            progress=lambda msg: print(msg, file=sys.stderr, flush=True),
        )
    except MMRecError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print((args.out / "report.md").read_text())
    for name, path in summary["files"].items():
        print(f"wrote {name}: {path}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_from_args(build_parser().parse_args(argv))
