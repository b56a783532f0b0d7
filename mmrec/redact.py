"""Text a web client may see, with server paths taken out.

Model and decoding errors name files ("weights … are not in the cache /root/.cache/mmrec/open_clip").
Useful on a console, they tell a stranger how the server is laid out. :func:`redact` replaces every
absolute path with the last part of its name.
"""

from __future__ import annotations

import re
from pathlib import Path

_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])(?:~|[A-Za-z]:)?(?:[/\\][^\s/\\'\"<>|:;,()\[\]{}]+)+[/\\]?")


def redact(text: str) -> str:
    """``text`` with every absolute path cut to its last name, e.g. ``'/root/.cache/mmrec/open_clip'`` -> ``'open_clip'``."""
    return _ABSOLUTE_PATH.sub(lambda m: Path(m.group().rstrip("/\\")).name or "a server folder", text)
