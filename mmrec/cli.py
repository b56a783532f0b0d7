"""Command line: ``python -m mmrec session --catalog DIR [--top K]`` and friends.

``session`` reads one JSON interaction per stdin line and writes one JSON answer per line to stdout
(see :mod:`mmrec.events` for the contract); progress and warnings go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .engine import Engine
from .errors import MMRecError
from .ranking import FusionWeights
from .session import Session

DEMO_CATALOG = Path(__file__).resolve().parent.parent / "assets" / "demo_catalog"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mmrec", description="Multimodal interactive recommender.")
    commands = parser.add_subparsers(dest="command", required=True)
    session = commands.add_parser("session", help="run a headless session: JSON lines in, JSON lines out")
    session.add_argument(
        "--catalog", type=Path, default=DEMO_CATALOG, help="catalog folder (default: the demo catalog)"
    )
    session.add_argument("--top", type=int, default=10, help="items per ranked list (default 10)")
    session.add_argument("--diversity", type=float, default=0.0, help="MMR diversity in [0, 1) (default 0: off)")
    session.add_argument("--text-model", help="sentence-transformers model name or folder")
    session.add_argument("--no-image", action="store_true", help="do not load the image encoder")
    session.add_argument("--no-speech", action="store_true", help="do not load the speech model")
    status = commands.add_parser(
        "status", help="load the catalog and models; print which encoders are live and the catalog's issues"
    )
    status.add_argument("--catalog", type=Path, default=DEMO_CATALOG)
    args = parser.parse_args(argv)

    try:
        if args.command == "status":
            engine = Engine.load(args.catalog, progress=True)
            report_catalog_issues(engine.catalog)
            print(json.dumps(status_report(engine), indent=2, ensure_ascii=False))
            return 0
        engine = Engine.load(
            args.catalog,
            text_model=args.text_model,
            image=not args.no_image,
            speech=not args.no_speech,
            progress=sys.stderr.isatty(),
        )
    except MMRecError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    report_catalog_issues(engine.catalog)
    if not 0 <= args.diversity < 1:
        parser.error("--diversity must be in [0, 1)")
    return run_session(Session(engine, top_k=args.top, weights=FusionWeights(), diversity=args.diversity))


def status_report(engine: Engine) -> dict[str, Any]:
    """What ``status`` prints: each modality's encoder or why it is off, and the catalog's issues."""
    catalog = engine.catalog
    report: dict[str, Any] = {name: s.describe() for name, s in engine.status().items()}
    report["catalog"] = {"name": catalog.name, "items": len(catalog), "issues": [str(i) for i in catalog.issues]}
    return report


def report_catalog_issues(catalog: Catalog) -> None:
    """One ``catalog: line N (id): what was done`` line on stderr per record skipped or fixed at loading."""
    for issue in catalog.issues:
        print(f"catalog: {issue}", file=sys.stderr)


def run_session(session: Session, stdin=sys.stdin, stdout=sys.stdout) -> int:
    """Answer every non-blank input line with exactly one JSON line."""
    for line in stdin:
        if not line.strip():
            continue
        stdout.write(json.dumps(session.submit_json(line.strip()), ensure_ascii=False) + "\n")
        stdout.flush()
    return 0
