"""Serve the mmrec web app: ``python app.py [--catalog DIR] [--port N] [--host ADDR] [--study FILE]``.

Also the Hugging Face Space entry point. The catalog defaults to ``$MMREC_CATALOG``, else the demo
catalog in ``assets/demo_catalog``; the port to ``$PORT`` / ``$GRADIO_SERVER_PORT``, else 7860.
Request and upload limits come from the ``MMREC_MAX_*`` settings (see the README). ``--study FILE``
(or ``$MMREC_STUDY``) serves a user study instead: its data go to ``$MMREC_STUDY_DB`` or ``$MMREC_DATA_DIR``.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from threadpoolctl import threadpool_limits

from mmrec.cli import report_catalog_issues
from mmrec.config import setting
from mmrec.engine import Engine
from mmrec.errors import ModelUnavailableError, StudyError
from mmrec.process_memory import TRIM_EVERY_S, limit_arenas, trim_every
from mmrec.runtime_settings import RuntimeSettings
from mmrec.study import load_study
from mmrec.study.participation import StudyRun
from mmrec.study.store import open_store
from mmrec.ui import WebLimits, WebPolicy, serve, web

DEMO_CATALOG = Path(__file__).resolve().parent / "assets" / "demo_catalog"
BLAS_THREADS = 1
"""numpy's matrix products run on one thread in the server. With two, the idle BLAS worker spins for ~0.1 s
after every product, taking a core from Whisper and the other visitors: under 20 sessions, 104 -> 76 ms of
server CPU per action, and a lone voice rating's p50 519 -> 363 ms (``python -m mmrec.bench load``);
scoring a catalog of a few thousand items takes microseconds either way (200,000 items: 11 -> 20 ms)."""
MALLOC_ARENAS = 2
"""Threads allocate in two glibc arenas, not up to 16: each arena kept its own freed memory, so the server's
RSS followed how many threads had ever allocated at once (see :mod:`mmrec.process_memory`)."""


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="mmrec: the interactive multimodal recommender in a browser.")
    parser.add_argument(
        "--catalog", type=Path, default=Path(setting("catalog", str(DEMO_CATALOG))), help="catalog folder"
    )
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "0.0.0.0"), help="address to serve on")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("PORT") or os.environ.get("GRADIO_SERVER_PORT") or 7860)
    )
    parser.add_argument("--top", type=int, default=10, help="items per ranked list (default 10)")
    parser.add_argument(
        "--study", type=Path, default=setting("study"), help="a study file (YAML or JSON): serve that user study"
    )
    args = parser.parse_args(argv)
    threadpool_limits(BLAS_THREADS, user_api="blas")
    limit_arenas(MALLOC_ARENAS)  # before the models' and the server's threads start
    store = None
    try:
        limits = WebLimits.from_settings()
        if args.study:  # a bad study file or an unusable study log fails before the models load
            store = open_store(keep_media=load_study(args.study).keep_media)
    except (ValueError, StudyError) as e:
        sys.exit(f"error: {e}")
    engine = Engine.load(args.catalog, settings=RuntimeSettings.from_env(), progress=True)
    report_catalog_issues(engine.catalog)
    if engine.transcriber is not None:  # load Whisper now, not on the first voice rating
        try:
            engine.transcriber.load()
        except ModelUnavailableError as e:  # the status area and the voice tab say why
            warnings.warn(str(e), stacklevel=1)
    try:
        study = StudyRun.open(args.study, engine, store) if args.study else None
    except StudyError as e:
        sys.exit(f"error: {e}")
    print(f"* serving on http://{args.host}:{args.port}", file=sys.stderr)
    app = web(
        engine, top_k=args.top, host=args.host, port=args.port, limits=limits, policy=WebPolicy.from_settings(),
        study=study,
    )  # fmt: skip
    trim_every(TRIM_EVERY_S)
    serve(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
