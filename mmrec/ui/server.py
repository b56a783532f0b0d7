"""Serving the page: limits checked before any work, photos served by id, the Gradio app mounted.

The page is mounted on a FastAPI app of mmrec's own so that every request passes mmrec's limits
first: a request body over :attr:`WebLimits.max_request_bytes` (uploads: over the upload limit) is
refused with HTTP 413 before it is read, and catalog and example photos are served by item id or
example key, never by a server path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr
from fastapi import FastAPI, HTTPException
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from gradio import utils as gr_utils
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..catalog import Catalog
from ..config import setting
from .examples import EXAMPLE_ROUTE, Example
from .hardening import SecurityHeaders, UploadTypeGuard, WebPolicy, plain_response
from .render import ITEM_IMAGE_ROUTE

UPLOAD_ROUTE = "/gradio_api/upload"
MULTIPART_OVERHEAD = 64_000
"""Bytes of form framing allowed on top of the file itself in an upload request."""
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


@dataclass(frozen=True)
class WebLimits:
    """What one request may cost the server; each is an environment setting (see the README)."""

    max_upload_bytes: int = 20_000_000
    """``MMREC_MAX_UPLOAD_MB``: largest photo or clip a client may upload (refused at upload, not after)."""
    max_request_bytes: int = 2_000_000
    """``MMREC_MAX_REQUEST_KB``: largest body of any other request (a review is at most a few KB)."""
    upload_max_age_s: int = 900
    """``MMREC_UPLOAD_MAX_AGE_S``: uploads not yet used are deleted once this old (used ones at once)."""
    sweep_every_s: int = 300
    """``MMREC_UPLOAD_SWEEP_S``: how often the sweep for stale uploads runs."""
    max_visits: int = 200
    """``MMREC_MAX_VISITS``: visits (browser sessions) whose state the server keeps. Past it, the least recently
    active visit is forgotten (its next action starts a new session, saying so), so memory stays bounded. A
    visit costs ~0.27 MB of the server's RSS after 3 actions (~150 KB of objects, half of them the framework's
    copy of the page), ~0.6 MB after 40 (``python -m mmrec.bench load``): 200 of them take at most about a
    tenth of what the models take. The framework keeps 10,000, and a closed visit's for an hour."""

    @classmethod
    def from_settings(cls) -> WebLimits:
        """The defaults, overridden by the ``MMREC_*`` environment settings."""
        default = cls()

        def number(name: str, fallback: float) -> float:
            raw = setting(name)
            try:
                return float(raw) if raw is not None else fallback
            except ValueError as e:
                raise ValueError(f"MMREC_{name.upper()} must be a number, got {raw!r}") from e

        max_visits = int(number("max_visits", default.max_visits))
        if max_visits < 1:
            raise ValueError(f"MMREC_MAX_VISITS must be at least 1, got {max_visits}")
        return cls(
            max_upload_bytes=int(number("max_upload_mb", default.max_upload_bytes / 1e6) * 1e6),
            max_request_bytes=int(number("max_request_kb", default.max_request_bytes / 1e3) * 1e3),
            upload_max_age_s=int(number("upload_max_age_s", default.upload_max_age_s)),
            sweep_every_s=int(number("upload_sweep_s", default.sweep_every_s)),
            max_visits=max_visits,
        )

    def body_limit(self, path: str) -> int:
        """Largest request body accepted on ``path``."""
        if path.rstrip("/").endswith(UPLOAD_ROUTE):
            return self.max_upload_bytes + MULTIPART_OVERHEAD
        return self.max_request_bytes


class BodyLimit:
    """ASGI middleware refusing request bodies over a per-path limit with 413, before the app reads them.

    A declared ``Content-Length`` over the limit is refused at once; a body sent without one (chunked)
    is counted as it arrives and cut off at the limit.
    """

    def __init__(self, app: ASGIApp, *, limit: Callable[[str], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await plain_response(send, 413, f"request too large: the limit is {limit / 1e6:g} MB")
            return
        received = 0
        refused = started = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await plain_response(send, 413, f"request too large: the limit is {limit / 1e6:g} MB")
                    return {"type": "http.disconnect"}  # the app stops reading; its answer is dropped
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted_receive, tracked_send)


def media_routes(app: FastAPI, catalog: Catalog, examples: list[Example]) -> None:
    """Photos by item id and example key: the only files mmrec itself serves."""
    by_key = {ex.key: ex for ex in examples if ex.path.suffix.lower() in IMAGE_TYPES}

    def photo(path: os.PathLike[str] | None) -> FileResponse:
        if path is None or os.path.splitext(path)[1].lower() not in IMAGE_TYPES or not os.path.isfile(path):
            raise HTTPException(404, "no photo")
        kind = IMAGE_TYPES[os.path.splitext(path)[1].lower()]
        headers = {"Cache-Control": "public, max-age=3600"}
        return FileResponse(path, media_type=kind, headers=headers)

    @app.get(ITEM_IMAGE_ROUTE + "{item_id}")
    def item_photo(item_id: str) -> FileResponse:
        return photo(catalog.get(item_id).image if item_id in catalog else None)

    @app.get(EXAMPLE_ROUTE + "{key}")
    def example_photo(key: str) -> FileResponse:
        return photo(by_key[key].path if key in by_key else None)


def web_app(
    demo: gr.Blocks,
    catalog: Catalog,
    examples: list[Example],
    *,
    limits: WebLimits,
    policy: WebPolicy,
    host: str,
    port: int,
    options: dict[str, Any],
    routes: Callable[[FastAPI], None] | None = None,
) -> FastAPI:
    """The FastAPI app serving ``demo`` at ``/`` behind mmrec's limits and policy, with mmrec's photo routes
    and any ``routes`` (added before the page, so they take precedence)."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    # The last added is the outermost: headers go on every answer, 413s included.
    app.add_middleware(UploadTypeGuard, upload_folder=gr_utils.get_upload_folder())
    app.add_middleware(
        CORSMiddleware, allow_origins=list(policy.allowed_origins), allow_methods=["GET", "POST"], allow_headers=["*"]
    )
    app.add_middleware(BodyLimit, limit=limits.body_limit)
    app.add_middleware(SecurityHeaders, policy=policy)
    media_routes(app, catalog, examples)
    if routes is not None:
        routes(app)
    demo.state_session_capacity = limits.max_visits  # read by the state holder when the app is mounted
    app = gr.mount_gradio_app(
        app,
        demo,
        path="/",
        server_name=host,
        server_port=port,
        max_file_size=limits.max_upload_bytes,
        ssr_mode=False,
        enable_monitoring=False,
        **options,
    )
    # Gradio checks that a file named in a request was uploaded only once its app "has launched", which
    # launch() records and mounting does not: without this, any server file would be copied into the
    # upload folder on request.
    demo.has_launched = True
    return app
