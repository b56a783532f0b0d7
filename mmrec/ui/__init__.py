"""The web app (the only package that imports gradio): HTML rendering, the page, and the server.

``web(engine)`` is the page behind mmrec's request limits and web policy as an ASGI application
(see :mod:`.server`, :mod:`.hardening`); ``serve(app)`` runs it. ``web(engine, study=run)`` serves a
user study instead (:mod:`.study_page`), with its admin view (:mod:`.admin`) when a token is set.
"""

from __future__ import annotations

from fastapi import FastAPI

from ..engine import Engine
from ..study.participation import StudyRun
from .admin import admin_routes, admin_token
from .hardening import WebPolicy
from .page import App, Visit, build_app, launch_options
from .server import WebLimits, web_app
from .study_page import build_study_app

__all__ = ["App", "Visit", "WebLimits", "WebPolicy", "build_app", "serve", "web"]


def web(
    engine: Engine,
    *,
    top_k: int = 10,
    host: str = "0.0.0.0",
    port: int = 7860,
    limits: WebLimits | None = None,
    policy: WebPolicy | None = None,
    inline_images: bool = False,
    study: StudyRun | None = None,
) -> FastAPI:
    """The page for ``engine`` as an ASGI app, behind ``limits`` and ``policy`` (default: the ``MMREC_*`` settings).

    With ``study``, the page is that study's participant flow, and ``/admin`` its admin view when
    ``MMREC_ADMIN_TOKEN`` is set.
    """
    limits = limits or WebLimits.from_settings()
    policy = policy or WebPolicy.from_settings()
    if study is None:
        demo, app = build_app(engine, top_k=top_k, limits=limits, inline_images=inline_images)
    else:
        demo, app = build_study_app(engine, study, limits=limits, inline_images=inline_images)
    token = admin_token() if study is not None else None
    routes = (lambda api: admin_routes(api, study, token)) if token else None
    options = launch_options(api_docs=policy.api_docs)
    return web_app(
        demo,
        app.catalog,
        app.examples,
        limits=limits,
        policy=policy,
        host=host,
        port=port,
        options=options,
        routes=routes,
    )


def serve(app: FastAPI, *, host: str, port: int) -> None:
    """Run ``app`` (from :func:`web`) on ``host:port`` until interrupted."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning")
