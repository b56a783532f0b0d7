"""The web app (the only package that imports gradio): HTML rendering, the page, and the server.

``serve(engine)`` runs the page behind mmrec's request limits (see :mod:`.server`); ``web(engine)``
is the same app as an ASGI application, for running it another way.
"""

from __future__ import annotations

from fastapi import FastAPI

from ..engine import Engine
from .page import App, Visit, build_app, launch_options
from .server import WebLimits, web_app

__all__ = ["App", "Visit", "WebLimits", "build_app", "serve", "web"]


def web(
    engine: Engine,
    *,
    top_k: int = 10,
    host: str = "0.0.0.0",
    port: int = 7860,
    limits: WebLimits | None = None,
    inline_images: bool = False,
) -> FastAPI:
    """The page for ``engine`` as an ASGI app, behind ``limits`` (default: from the ``MMREC_*`` settings)."""
    limits = limits or WebLimits.from_settings()
    demo, app = build_app(engine, top_k=top_k, limits=limits, inline_images=inline_images)
    return web_app(demo, app.catalog, app.examples, limits=limits, host=host, port=port, options=launch_options())


def serve(
    engine: Engine, *, top_k: int = 10, host: str = "0.0.0.0", port: int = 7860, limits: WebLimits | None = None
) -> None:
    """Serve the page for ``engine`` on ``host:port`` until interrupted."""
    import uvicorn

    uvicorn.run(
        web(engine, top_k=top_k, host=host, port=port, limits=limits), host=host, port=port, log_level="warning"
    )
