"""Cache files of named arrays: written atomically with a checksum, validated on every read.

A cache is a convenience, never a source of truth: :func:`read_arrays` returns None for a file that is
absent or bad (not a readable ``.npz``, arrays missing, checksum mismatch, non-finite floats), warning
once about a bad one so that it is rebuilt; :func:`write_arrays` returns False with a warning when the
cache cannot be written, so a read-only cache works read-only. :func:`cache_health` says at start-up
whether a cache root can be used at all.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

CHECKSUM = "__sha256__"


def checksum(arrays: Mapping[str, np.ndarray]) -> str:
    """sha256 of every array's name, dtype, shape and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        value = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}|{value.dtype.str}|{value.shape}|".encode())
        digest.update(value.tobytes())
    return digest.hexdigest()


def write_arrays(path: Path, arrays: Mapping[str, np.ndarray]) -> bool:
    """Write ``arrays`` (no pickled objects) to ``path`` atomically; False if the cache is not writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays, **{CHECKSUM: np.array(checksum(arrays))})
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as e:
        warnings.warn(f"cache {path.name} not written ({e.strerror or e}); working without it", stacklevel=2)
        return False
    return True


def read_arrays(path: Path, names: Iterable[str]) -> dict[str, np.ndarray] | None:
    """The arrays ``names`` of the cache file ``path``, or None if it is absent or fails validation."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if CHECKSUM not in data.files:
                return _bad(path, "has no checksum (an older format)")
            stored = str(data[CHECKSUM])
            arrays = {name: data[name] for name in data.files if name != CHECKSUM}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        return _bad(path, f"is unreadable ({type(e).__name__})")
    missing = [n for n in names if n not in arrays]
    if missing:
        return _bad(path, f"lacks {', '.join(missing)}")
    if checksum(arrays) != stored:
        return _bad(path, "checksum mismatch")
    if any(a.dtype.kind == "f" and not np.isfinite(a).all() for a in arrays.values()):
        return _bad(path, "holds non-finite values")
    return arrays


def cache_health(root: Path) -> tuple[Path, str | None]:
    """A usable cache root and, when it is not ``root`` itself or is read-only, a plain reason why.

    A root that cannot be created (a file in the way, no permission) is replaced by a temporary
    folder for this process; an existing read-only root is kept and read, nothing is written to it.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        fallback = Path(tempfile.mkdtemp(prefix="mmrec-cache-"))
        return fallback, f"cache {root} cannot be used ({e.strerror or e}); caching in a temporary folder instead"
    try:
        probe_writable(root)
    except OSError as e:
        return root, f"cache {root} is not writable ({e.strerror or e}); using what it holds, recomputing the rest"
    return root, None


def probe_writable(folder: Path) -> None:
    """Create and delete a file in ``folder``; OSError when it cannot be written (read-only, full, not a folder)."""
    fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-probe-")
    os.close(fd)
    os.unlink(probe)


def _bad(path: Path, why: str) -> None:
    warnings.warn(f"cache file {path.name} {why}; rebuilding it", stacklevel=3)
    return None
