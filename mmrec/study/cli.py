"""``python -m mmrec study export --db URL --format csv|jsonl|parquet --out FILE [--no-free-text]``.

Hook it into ``mmrec/cli.py`` with :func:`add_study_parser` on the top-level subparsers and
:func:`run_study` for ``args.command == "study"``; ``python -m mmrec.study.cli`` runs it alone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import MMRecError
from .export import FORMATS, export
from .store import open_store


def add_study_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``study`` command (with its ``export`` subcommand) to a subparsers object."""
    study = commands.add_parser("study", help="user-study data: export")
    sub = study.add_subparsers(dest="study_command", required=True)
    ex = sub.add_parser("export", help="stream the study log to a file")
    ex.add_argument("--db", help="database URL (default: $MMREC_STUDY_DB, else the SQLite file in $MMREC_DATA_DIR)")
    ex.add_argument("--format", choices=FORMATS, required=True)
    ex.add_argument("--out", type=Path, required=True)
    ex.add_argument("--no-free-text", action="store_true", help="drop review text, transcripts and free-text answers")
    return study


def run_study(args: argparse.Namespace) -> int:
    """Run a parsed ``study`` command; errors go to stderr with exit code 1."""
    try:
        store = open_store(args.db)
        try:
            n = export(store, args.format, args.out, free_text=not args.no_free_text)
        finally:
            store.close()
    except MMRecError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {n} rows to {args.out}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mmrec")
    add_study_parser(parser.add_subparsers(dest="command", required=True))
    return run_study(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
