"""Uploaded media by content: a sha256 reference for turn records and an optional content-addressed folder.

A turn record never keeps a temporary upload path (the web framework deletes it): it keeps
``{"sha256": ..., "kind": "image" | "audio", "bytes": n}``. A :class:`MediaFolder` keeps the bytes
under ``<root>/<sha[:2]>/<sha>`` so a recorded session can be replayed later.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .errors import InputError

MEDIA_KINDS = ("image", "audio")


def media_bytes(value: Any, kind: str) -> bytes:
    """The bytes that stand for an upload: a file's content, raw bytes, or an in-memory value encoded
    losslessly (an image as PNG, a ``(rate, samples)`` clip as float32 WAV-free ``.npy``)."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, (str, os.PathLike)):
        try:
            return Path(value).read_bytes()
        except OSError as e:
            raise InputError(f"cannot read the {kind} file {value}: {e.strerror or e}") from e
    buffer = io.BytesIO()
    if kind == "audio" and isinstance(value, tuple) and len(value) == 2:
        rate, samples = value
        np.save(buffer, np.asarray(samples), allow_pickle=False)
        return f"rate={int(rate)}\n".encode() + buffer.getvalue()
    if kind == "image":
        from PIL import Image

        image = value if isinstance(value, Image.Image) else Image.fromarray(np.asarray(value))
        image.save(buffer, format="PNG")
        return buffer.getvalue()
    raise InputError(f"cannot reference a {kind} given as {type(value).__name__}")


def media_ref(data: bytes, kind: str) -> dict[str, Any]:
    """The turn record's reference to ``data``."""
    return {"sha256": hashlib.sha256(data).hexdigest(), "kind": kind, "bytes": len(data)}


class MediaSink(Protocol):
    """Where a session puts the bytes of each upload it references."""

    def put(self, data: bytes, kind: str) -> Any: ...


class MediaFolder:
    """A content-addressed folder of uploads: ``put`` stores bytes once, ``path`` finds them by sha256."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def put(self, data: bytes, kind: str = "") -> str:
        """Store ``data`` (atomically, once) and return its sha256 (the folder is by content, whatever ``kind``)."""
        digest = hashlib.sha256(data).hexdigest()
        target = self._path(digest)
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
        return digest

    def path(self, sha256: str) -> Path | None:
        """Where the upload with this sha256 is kept, or None when it is not."""
        target = self._path(sha256)
        return target if target.is_file() else None

    def _path(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise InputError(f"not a sha256 digest: {digest!r}")
        return self.root / digest[:2] / digest
