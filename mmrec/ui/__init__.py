"""The web app (the only package that imports gradio): HTML rendering, the page, and the server.

``serve(engine)`` runs the page behind mmrec's request limits (see :mod:`.server`); ``web(engine)``
is the same app as an ASGI application, for running it another way.
"""

from __future__ import annotations

from fastapi import FastAPI

from ..engine import Engine
from .hardening import WebPolicy
from .page import App, Visit, build_app, launch_options
from .server import WebLimits, web_app

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
) -> FastAPI:
    """The page for ``engine`` as an ASGI app, behind ``limits`` and ``policy`` (default: the ``MMREC_*`` settings)."""
    limits = limits or WebLimits.from_settings()
    policy = policy or WebPolicy.from_settings()
    demo, app = build_app(engine, top_k=top_k, limits=limits, inline_images=inline_images)
    options = launch_options(api_docs=policy.api_docs)
    return web_app(demo, app.catalog, app.examples, limits=limits, policy=policy, host=host, port=port, options=options)


def serve(
    engine: Engine,
    *,
    top_k: int = 10,
    host: str = "0.0.0.0",
    port: int = 7860,
    limits: WebLimits | None = None,
    policy: WebPolicy | None = None,
) -> None:
    """Serve the page for ``engine`` on ``host:port`` until interrupted."""
    import uvicorn

    app = web(engine, top_k=top_k, host=host, port=port, limits=limits, policy=policy)
    uvicorn.run(app, host=host, port=port, log_level="warning")
