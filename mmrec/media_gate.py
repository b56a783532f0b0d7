"""Which server files a client may hand to mmrec as media, decided in one place.

A web client names an uploaded photo or clip by a server path. Anything it names is hostile until
checked: the path is resolved (symlinks, ``..``) and must lie inside one of the gate's folders (the
web framework's upload folder, the served catalog's photos). Every refusal reads the same, whether
or not the path exists, so replies never tell a stranger which files exist on the server.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import MediaAccessError

REFUSED = "this file cannot be used here: upload a photo or audio clip from your device"
"""The one answer to every path that is outside the allowed folders, missing, or not a regular file."""
KEPT_UPLOAD_BYTES = 32_000_000
"""Bytes of recently read (and deleted) uploads kept in memory, newest first. The framework names an upload
by its content's hash, so visitors sending the same photo or clip (an example, a shared picture) are given one
path: whoever sends theirs after the first has been read gets the kept bytes instead of a refusal."""


@dataclass(frozen=True)
class Media:
    """Bytes a client uploaded, with the name it gave the file (never the server path)."""

    name: str
    data: bytes


class MediaGate:
    """Media folders a client may name; everything else is refused with :data:`REFUSED`."""

    def __init__(self, folders: Iterable[str | os.PathLike[str]], *, consume: Iterable[str | os.PathLike[str]] = ()):
        consumed = [_real(f) for f in consume]
        self.folders = tuple(dict.fromkeys([*(_real(f) for f in folders), *consumed]))
        self.consume = tuple(consumed)
        """Folders whose files are deleted once read: uploads are used once, then removed."""
        self._kept: OrderedDict[Path, bytes] = OrderedDict()
        self._lock = threading.Lock()
        """Held from looking up kept bytes to deleting the file: a concurrent reader of the same upload finds
        either the file or its kept bytes, never neither."""

    def resolve(self, path: str | os.PathLike[str]) -> Path:
        """The real path of ``path`` if it is a regular file inside an allowed folder; else MediaAccessError."""
        if not isinstance(path, (str, os.PathLike)) or not str(path) or "\x00" in str(path):
            raise MediaAccessError(REFUSED)
        try:
            real = _real(path)
            inside = any(real.is_relative_to(folder) for folder in self.folders)
            if not inside or not real.is_file():
                raise MediaAccessError(REFUSED)
        except (OSError, ValueError) as e:
            raise MediaAccessError(REFUSED) from e
        return real

    def read(self, path: str | os.PathLike[str], *, max_bytes: int) -> Media:
        """The bytes of an allowed file of at most ``max_bytes``; an upload is deleted once read (and kept
        in memory a while, see :data:`KEPT_UPLOAD_BYTES`). Safe from many threads."""
        with self._lock:
            kept = self._kept_upload(path)
            if kept is not None and len(kept) <= max_bytes:
                self._discard(_real(path))  # the same bytes uploaded again (same name): that copy goes too
                return Media(Path(str(path)).name, kept)
            real = self.resolve(path)
            size = real.stat().st_size
            if size > max_bytes:
                self._discard(real)
                raise MediaAccessError(f"the file is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:g} MB")
            data = real.read_bytes()
            if self._is_upload(real):
                self._keep(real, data)
                self._discard(real)
            return Media(Path(str(path)).name, data)

    def _kept_upload(self, path: str | os.PathLike[str]) -> bytes | None:
        if not isinstance(path, (str, os.PathLike)) or "\x00" in str(path):
            return None
        data = self._kept.get(_real(path))
        if data is not None:
            self._kept.move_to_end(_real(path))
        return data

    def _keep(self, real: Path, data: bytes) -> None:
        self._kept[real] = data
        while self._kept and sum(map(len, self._kept.values())) > KEPT_UPLOAD_BYTES:
            self._kept.popitem(last=False)

    def _is_upload(self, real: Path) -> bool:
        return any(real.is_relative_to(f) for f in self.consume)

    def _discard(self, real: Path) -> None:
        """Delete ``real`` if it is an upload. Its folder (named by the content's hash) stays: the framework
        may be storing the same bytes into it for another visitor right now, and fails (HTTP 500) if the
        folder vanishes between its ``mkdir`` and its ``rename``."""
        if self._is_upload(real):
            real.unlink(missing_ok=True)


def _real(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.realpath(os.path.expanduser(os.fspath(path))))
