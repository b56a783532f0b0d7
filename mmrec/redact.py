"""Text a web client may see, with server paths taken out.

Model and decoding errors name files ("weights … are not in the cache /root/.cache/mmrec/open_clip").
Useful on a console, they tell a stranger how the server is laid out. :func:`redact` replaces every
absolute path with the last part of its name, or a plain word for a folder it knows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])(?:~|[A-Za-z]:)?(?:[/\\][^\s/\\'\"<>|:;,()\[\]{}]+)+[/\\]?")


def redact(text: str, known: Mapping[str, str] | None = None) -> str:
    """``text`` with absolute paths removed: a known folder (and what lies inside it) becomes its label,
    any other path its last name, e.g. ``'/root/.cache/mmrec/open_clip'`` -> ``'the model cache'``."""
    folders = {form: label for path, label in (known or {}).items() for form in (str(path), os.path.realpath(path))}
    labels = sorted(folders.items(), key=lambda kv: -len(kv[0]))

    def replace(match: re.Match[str]) -> str:
        path = match.group()
        for folder, label in labels:
            if path == folder or path.startswith(folder.rstrip("/\\") + os.sep):
                return label
        name = Path(path.rstrip("/\\")).name
        return name or "a server folder"

    return _ABSOLUTE_PATH.sub(replace, text)
