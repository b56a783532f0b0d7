"""Where mmrec keeps its caches and what the edge reads from the environment.

Components take their cache root as an argument; :class:`~mmrec.runtime_settings.RuntimeSettings`
resolves ``MMREC_CACHE_DIR`` and the model choices once, and the web edge reads its own ``MMREC_*``
settings through :func:`setting`.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_CACHE_DIR = Path.home() / ".cache" / "mmrec"


def cache_dir(root: str | os.PathLike[str] | None = None) -> Path:
    """The cache root ``root`` (default ``~/.cache/mmrec``), created on demand."""
    path = Path(root or DEFAULT_CACHE_DIR).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def setting(name: str, default: str | None = None) -> str | None:
    """An environment setting ``MMREC_<NAME>``; empty values count as unset."""
    value = os.environ.get(f"MMREC_{name.upper()}", "").strip()
    return value or default
