"""Where mmrec keeps things and which models it uses: argument, else environment variable, else default."""

from __future__ import annotations

import os
from pathlib import Path

ENV_CACHE_DIR = "MMREC_CACHE_DIR"


def cache_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The cache root: ``override``, else ``$MMREC_CACHE_DIR``, else ``~/.cache/mmrec``; created on demand."""
    root = Path(override or os.environ.get(ENV_CACHE_DIR) or Path.home() / ".cache" / "mmrec").expanduser()
    root.mkdir(parents=True, exist_ok=True)
    return root


def setting(name: str, default: str | None = None) -> str | None:
    """An environment setting ``MMREC_<NAME>``; empty values count as unset."""
    value = os.environ.get(f"MMREC_{name.upper()}", "").strip()
    return value or default
