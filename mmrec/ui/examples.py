"""Example reviews, photos and voice clips offered on the page, reviews and photos from the served catalog.

Example media are named to the client by a short key (``photo-1``, ``voice-2``), never by a server
path: the page shows photo thumbnails from the server's example route, and choosing one loads it
into the input by key.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..catalog import Catalog
from .render import esc

ROOT = Path(__file__).resolve().parents[2]
VOICE_EXAMPLES = ROOT / "assets" / "voice" / "examples"
PHOTO_EXAMPLES = ROOT / "assets" / "examples" / "photos"
AUDIO_SUFFIXES = (".wav", ".ogg", ".mp3", ".flac", ".m4a", ".webm")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
EXAMPLE_ROUTE = "/media/example/"
"""Where the server serves an example photo by key."""


@dataclass(frozen=True)
class Example:
    """A photo or clip the page offers: its key for the client, a label, and the file behind it."""

    key: str
    label: str
    path: Path


def example_reviews(catalog: Catalog) -> list[str]:
    """A few reviews in this catalog's own words (its commonest categories and colours)."""
    leaves = [c for c, _ in Counter(i.leaf_category for i in catalog if i.leaf_category).most_common(2)] or ["item"]
    colors = [c for c, _ in Counter(i.color for i in catalog if i.color).most_common(2)] or ["black"]
    other = colors[1] if len(colors) > 1 else colors[0]
    return [
        f"Show me {leaves[0].lower()} in {colors[0].lower()}",
        f"Something cheaper please, and not {other.lower()}",
        "I love this one, five stars!",
        "Too flashy for me. I prefer simple, comfortable things",
        f"More {leaves[-1].lower()} like this, but more premium",
    ]


def example_photos(catalog: Catalog, count: int = 4) -> list[Example]:
    """Example photos of this catalog's products: the snapshots in ``assets/examples/photos`` of items it
    holds (``photos.jsonl`` names each one's item), then product photos of categories not yet shown."""
    labelled: list[tuple[Path, str]] = []
    shown: set[str] = set()
    for record in _jsonl(PHOTO_EXAMPLES / "photos.jsonl"):
        path, item_id = PHOTO_EXAMPLES / record.get("file", ""), record.get("item", "")
        if item_id in catalog and path.suffix.lower() in PHOTO_SUFFIXES and path.is_file():
            labelled.append((path, path.stem.replace("_", " ")))
            shown.add(catalog.get(item_id).category)
    for item in catalog:
        if item.image is not None and item.category not in shown:
            labelled.append((item.image, item.name))
            shown.add(item.category)
    return [Example(f"photo-{n}", label, path) for n, (path, label) in enumerate(labelled[:count], 1)]


def example_voices() -> list[Example]:
    """Voice clips in ``assets/voice/examples``, labelled with what is said (from ``clips.jsonl``)."""
    clips = sorted(p for p in VOICE_EXAMPLES.glob("*") if p.suffix.lower() in AUDIO_SUFFIXES)
    said = {Path(r.get("file", "")).stem: r.get("text") or "" for r in _jsonl(VOICE_EXAMPLES.parent / "clips.jsonl")}
    return [
        Example(f"voice-{n}", f"“{said[p.stem]}”" if said.get(p.stem) else p.stem, p) for n, p in enumerate(clips, 1)
    ]


def _jsonl(path: Path) -> list[dict]:
    """The records of a JSON-lines file (none when it is absent)."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def render_examples(examples: list[Example], *, title: str, thumbnails: bool) -> str:
    """Buttons under ``title`` that load an example into its input; photo examples show a thumbnail."""
    buttons = []
    for ex in examples:
        picture = (
            f'<img src="{EXAMPLE_ROUTE}{esc(ex.key)}" alt="{esc(ex.label)}" width="56" height="56" loading="lazy">'
            if thumbnails
            else ""
        )
        buttons.append(
            f'<button type="button" class="mm-example" data-action="example" data-key="{esc(ex.key)}" '
            f'aria-label="Use example: {esc(ex.label)}">{picture}<span>{esc(ex.label)}</span></button>'
        )
    if not buttons:
        return ""
    return (
        f'<div class="mm-examples-box"><p class="mm-examples-title">{esc(title)}</p>'
        f'<div class="mm-examples" role="group" aria-label="{esc(title)}">{"".join(buttons)}</div></div>'
    )
