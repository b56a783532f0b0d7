"""Command line: ``python -m mmrec session --catalog DIR [--top K]`` and friends.

``session`` reads one JSON interaction per stdin line and writes one JSON answer per line to stdout
(see :mod:`mmrec.events` for the contract); progress and warnings go to stderr. ``--log FILE`` also
appends every turn's record (:mod:`mmrec.turn`) to FILE. ``config show`` prints the effective
recommender config; ``replay LOG.jsonl`` re-runs recorded sessions and reports how each list differs;
``fit-weights LOG.jsonl --out weights.json`` learns fusion weights from logged lists
(:mod:`mmrec.learned_fusion`); ``export-features`` writes embeddings in MMRec's format.
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
from .evaluation import cli as evaluation
from .events import MAX_LINE_BYTES
from .media import MediaFolder
from .recommender_config import load_config
from .runtime_settings import RuntimeSettings
from .session import Session
from .study.cli import add_study_parser, run_study

DEMO_CATALOG = Path(__file__).resolve().parent.parent / "assets" / "demo_catalog"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mmrec", description="Multimodal interactive recommender.")
    commands = parser.add_subparsers(dest="command", required=True)
    session = commands.add_parser("session", help="run a headless session: JSON lines in, JSON lines out")
    session.add_argument(
        "--catalog", type=Path, default=DEMO_CATALOG, help="catalog folder (default: the demo catalog)"
    )
    session.add_argument("--top", type=int, help="items per ranked list (default: the config's, 10)")
    session.add_argument("--diversity", type=float, help="MMR diversity in [0, 1) (default: the config's, 0 = off)")
    session.add_argument("--config", type=Path, help="recommender config JSON (default: the shipped defaults)")
    session.add_argument("--log", type=Path, help="append each turn's replayable record to this JSON-lines file")
    session.add_argument("--media", type=Path, help="keep uploaded media here by sha256 (for replay)")
    session.add_argument("--text-model", help="sentence-transformers model name or folder")
    session.add_argument("--no-image", action="store_true", help="do not load the image encoder")
    session.add_argument("--no-speech", action="store_true", help="do not load the speech model")
    status = commands.add_parser(
        "status", help="load the catalog and models; print which encoders are live and the catalog's issues"
    )
    status.add_argument("--catalog", type=Path, default=DEMO_CATALOG)
    config = commands.add_parser("config", help="show the effective recommender config")
    config.add_argument("action", choices=["show"])
    config.add_argument("--config", type=Path, help="config JSON overriding the shipped defaults")
    replay = commands.add_parser("replay", help="re-run recorded sessions and report how each list differs")
    replay.add_argument("log", type=Path, help="JSON lines of turn records")
    replay.add_argument("--config", type=Path, help="rank under this config instead of the recorded one")
    replay.add_argument("--catalog", type=Path, default=DEMO_CATALOG)
    replay.add_argument("--media", type=Path, help="media folder the session kept (photos, voice clips)")
    evaluation.build_parser(commands.add_parser("evaluate", help="simulated shoppers: does fusion help, how fast?"))
    export = commands.add_parser("export-features", help="catalog embeddings (and a log's likes) in MMRec's format")
    export.add_argument("--catalog", type=Path, default=DEMO_CATALOG)
    export.add_argument("--out", type=Path, required=True, help="folder to write text_feat.npy, image_feat.npy ...")
    export.add_argument("--log", type=Path, nargs="+", help="JSON-lines logs whose likes become <catalog>.inter")
    fit = commands.add_parser("fit-weights", help="learn fusion weights from logged sessions; write a config")
    fit.add_argument("log", type=Path, nargs="+", help="JSON lines: study export, session --log or evaluation turns")
    fit.add_argument("--out", type=Path, required=True, help="config JSON to write (load it with --config)")
    fit.add_argument("--base", type=Path, help="config whose other settings the learned one keeps (default: shipped)")
    fit.add_argument("--name", default="learned", help="name of the learned config (default: learned)")
    fit.add_argument("--c", type=float, default=1.0, help="inverse L2 regularisation strength (default 1.0)")
    add_study_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "evaluate":
        return evaluation.run_from_args(args)
    if args.command == "study":
        return run_study(args)
    settings = RuntimeSettings.from_env()  # the only place the CLI reads the environment

    try:
        if args.command == "config":
            print(load_config(args.config).to_json(), end="")
            return 0
        if args.command == "status":
            engine = Engine.load(args.catalog, settings=settings, progress=True)
            report_catalog_issues(engine.catalog)
            print(json.dumps(status_report(engine), indent=2, ensure_ascii=False))
            return 0
        if args.command == "replay":
            return _replay(args, settings)
        if args.command == "fit-weights":
            return _fit_weights(args)
        if args.command == "export-features":
            return _export_features(args, settings)
        overrides = {k: v for k, v in (("top_k", args.top), ("diversity", args.diversity)) if v is not None}
        recommender = load_config(args.config, **overrides)
        engine = Engine.load(
            args.catalog,
            settings=settings.with_cli(text_model=args.text_model, image=not args.no_image, speech=not args.no_speech),
            progress=sys.stderr.isatty(),
        )
    except MMRecError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    report_catalog_issues(engine.catalog)
    listeners = (_append_records(args.log),) if args.log else ()
    return run_session(Session(engine, config=recommender, listeners=listeners, media_dir=args.media))


def _append_records(path: Path):
    """A listener appending each turn's record to ``path`` as one JSON line."""

    def append_record(session: Session, turn) -> None:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(turn.to_record(), ensure_ascii=False) + "\n")

    return append_record


def _replay(args: argparse.Namespace, settings: RuntimeSettings) -> int:
    from .replay import encoder_differences, read_records, replay

    records = list(read_records(args.log))
    config = load_config(args.config) if args.config else None
    engine = Engine.load(args.catalog, settings=settings, progress=sys.stderr.isatty())
    media = MediaFolder(args.media) if args.media else None
    recorded = next((r.get("encoders") for r in records if r.get("encoders")), {})
    if models := encoder_differences(recorded, engine.encoder_versions()):
        print(f"warning: {models}; lists may differ for that reason alone", file=sys.stderr)
    diffs = replay(records, engine, config=config, media=media)
    for diff in diffs:
        print(diff.describe())
    differ = sum(not d.same for d in diffs)
    print(f"{len(diffs) - differ} of {len(diffs)} turns reproduce the recorded list; {differ} differ")
    return 0


def _fit_weights(args: argparse.Namespace) -> int:
    from .learned_fusion import fit_weights, learned_config
    from .session_log import read_log, shown_lists

    base = load_config(args.base)
    result = fit_weights(shown_lists(read_log(args.log)), base, c=args.c)
    learned_config(base, result, args.name).save(args.out)
    print(json.dumps(result.to_dict(), indent=2))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _export_features(args: argparse.Namespace, settings: RuntimeSettings) -> int:
    from .feature_export import export_features
    from .session_log import read_log

    engine = Engine.load(args.catalog, settings=settings.with_cli(speech=False), progress=sys.stderr.isatty())
    records = read_log(args.log) if args.log else None
    for role, path in export_features(engine, args.out, records).items():
        print(f"wrote {role}: {path}")
    return 0


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
