"""Command line: ``python -m mmrec session --catalog DIR [--top K]`` and friends.

``session`` reads one JSON interaction per stdin line and writes one JSON answer per line to stdout
(see :mod:`mmrec.events` for the contract); progress and warnings go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from .catalog import Catalog
from .engine import Engine
from .errors import MMRecError
from .events import MAX_LINE_BYTES
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


def run_session(session: Session, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
    """Answer every non-blank input line with exactly one JSON line; no line, however malformed, ends the session.

    Lines are read as bytes (``sys.stdin.buffer`` by default), at most MAX_LINE_BYTES at a time, so a huge
    line is refused without being held in memory and a line that is not UTF-8 gets its own answer.
    """
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    for line in _lines(stdin, MAX_LINE_BYTES):
        if not line.strip():
            continue
        stdout.write(_answer_line(session.submit_json(line)))
        stdout.flush()
    return 0


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[bytes]:
    """The lines of ``stream``; of a line longer than ``max_bytes``, only its first ``max_bytes + 1`` bytes."""
    while line := stream.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := stream.readline(max_bytes + 1)) and not rest.endswith(b"\n"):
                pass
        yield line


def _answer_line(answer: dict[str, Any]) -> bytes:
    """One answer as a UTF-8 JSON line; text that UTF-8 cannot carry (lone surrogates) is written as JSON escapes."""
    try:
        return (json.dumps(answer, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(answer) + "\n").encode("ascii")
    except (TypeError, ValueError) as e:  # a value JSON cannot hold is a bug; it must not end the session
        error = f"something went wrong writing this answer ({type(e).__name__})"
        return _answer_line({"turn": answer.get("turn"), "error": error})
