"""Web-surface defaults for a public deployment: security headers, CORS, uploads served as what they are.

Each is an ASGI middleware on mmrec's FastAPI app, so it covers every response, the framework's
included. :class:`WebPolicy` holds the settings (environment variables at the edge).
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import setting

FILE_ROUTE = "/gradio_api/file="
API_SCHEMA_ROUTES = ("/gradio_api/openapi.json", "/gradio_api/info")
HF_SPACE_ANCESTORS = "https://huggingface.co https://*.hf.space"
"""A Space is shown inside a frame on huggingface.co."""

# What an uploaded file must start with to be served back under its name's type.
_MAGIC: dict[str, tuple[tuple[int, bytes], ...]] = {
    ".jpg": ((0, b"\xff\xd8\xff"),),
    ".jpeg": ((0, b"\xff\xd8\xff"),),
    ".png": ((0, b"\x89PNG\r\n\x1a\n"),),
    ".gif": ((0, b"GIF87a"), (0, b"GIF89a")),
    ".webp": ((8, b"WEBP"),),
    ".heic": ((4, b"ftyp"),),
    ".heif": ((4, b"ftyp"),),
    ".wav": ((8, b"WAVE"),),
    ".ogg": ((0, b"OggS"),),
    ".oga": ((0, b"OggS"),),
    ".opus": ((0, b"OggS"),),
    ".webm": ((0, b"\x1a\x45\xdf\xa3"),),
    ".flac": ((0, b"fLaC"),),
    ".mp3": ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2")),
    ".m4a": ((4, b"ftyp"),),
    ".mp4": ((4, b"ftyp"),),
}


@dataclass(frozen=True)
class WebPolicy:
    """Who may frame or call the app, and whether its API schema is public."""

    frame_ancestors: str = "'self'"
    """``MMREC_FRAME_ANCESTORS``: CSP frame-ancestors (on a Space, huggingface.co is added)."""
    allowed_origins: tuple[str, ...] = ()
    """``MMREC_ALLOWED_ORIGINS``: other origins (comma-separated) allowed to call the app from a browser."""
    api_docs: bool = False
    """``MMREC_API_DOCS=on``: publish the API schema (``/gradio_api/info``, ``openapi.json``) and its link."""

    @classmethod
    def from_settings(cls) -> WebPolicy:
        ancestors = setting("frame_ancestors") or (
            "'self' " + HF_SPACE_ANCESTORS if os.environ.get("SPACE_ID") else "'self'"
        )
        origins = tuple(o.strip() for o in (setting("allowed_origins") or "").split(",") if o.strip())
        return cls(ancestors, origins, (setting("api_docs") or "off").lower() in ("on", "1", "true", "yes"))

    def content_security_policy(self) -> str:
        """A CSP the page itself passes: the framework needs inline scripts and styles and ``new Function``."""
        return "; ".join(
            (
                "default-src 'self'",
                "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data: blob:",
                "media-src 'self' data: blob:",
                "font-src 'self' data:",
                "connect-src 'self'",
                "worker-src 'self' blob:",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                f"frame-ancestors {self.frame_ancestors}",
            )
        )


class SecurityHeaders:
    """Adds nosniff, a CSP with frame-ancestors, a referrer policy and a permissions policy to every response;
    answers 404 for the API schema unless the policy publishes it."""

    def __init__(self, app: ASGIApp, *, policy: WebPolicy) -> None:
        self.app = app
        self.policy = policy
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"content-security-policy", policy.content_security_policy().encode()),
            (b"referrer-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(self), microphone=(self), geolocation=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if policy.frame_ancestors.strip() == "'self'":
            self.headers.append((b"x-frame-options", b"SAMEORIGIN"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.policy.api_docs and scope["path"].rstrip("/") in API_SCHEMA_ROUTES:
            await plain_response(send, 404, "not found")
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


class UploadTypeGuard:
    """Serves an uploaded file back only when its bytes are what its name says (a photo or a clip);
    an HTML page renamed ``.png``, or any other kind of file, is refused with 403."""

    def __init__(self, app: ASGIApp, *, upload_folder: str | os.PathLike[str]) -> None:
        self.app = app
        self.folder = Path(os.path.realpath(upload_folder))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(FILE_ROUTE):
            named = urllib.parse.unquote(scope["path"].removeprefix(FILE_ROUTE))
            real = Path(os.path.realpath(named))
            if real.is_relative_to(self.folder) and not looks_like_its_name(real):
                await plain_response(send, 403, "this file is not served")
                return
        await self.app(scope, receive, send)


def looks_like_its_name(path: Path) -> bool:
    """True when ``path`` is a photo or audio file whose first bytes match its extension."""
    signatures = _MAGIC.get(path.suffix.lower())
    if signatures is None:
        return False
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return True  # nothing to serve: the framework answers 404
    return any(head[at : at + len(magic)] == magic for at, magic in signatures)


async def plain_response(send: Send, status: int, text: str) -> None:
    """Answer the request with ``status`` and a short plain-text body."""
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
