"""The catalog's embeddings and a log's interactions in MMRec's layout, to train on them elsewhere.

    python -m mmrec export-features --catalog DIR --out DIR [--log LOG.jsonl ...]

Files written to ``out`` (MMRec, github.com/enoche/MMRec, reads this layout):

- ``text_feat.npy``: float32 ``(n_items, d)``, row ``i`` = the item whose ``itemID`` is ``i``;
- ``image_feat.npy``: the same for photos (zero rows for items without one), when a photo encoder is live;
- ``i_id_mapping.csv``: tab-separated ``asin`` (the catalog id) and ``itemID``;
- with a log: ``<catalog>.inter`` (tab-separated ``userID itemID rating timestamp x_label``: the items
  each user liked, in turn order; per user the last like is test (2), the one before it validation (1),
  the rest training (0), for users with three or more likes, else all training) and ``u_id_mapping.csv``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np

from .engine import Engine
from .session_log import interactions


def export_features(engine: Engine, out: Path, records: list[dict[str, Any]] | None = None) -> dict[str, Path]:
    """Write the files of the module docstring to ``out``; the paths written, by role."""
    out.mkdir(parents=True, exist_ok=True)
    catalog = engine.catalog
    written = {"text": out / "text_feat.npy", "items": out / "i_id_mapping.csv"}
    np.save(written["text"], engine.store.spaces["text"].vectors.astype(np.float32))
    if "image" in engine.store.spaces:
        index = engine.store.spaces["image"]
        written["image"] = out / "image_feat.npy"
        np.save(written["image"], (index.vectors * index.present[:, None]).astype(np.float32))
    _write_tsv(written["items"], ("asin", "itemID"), ((item.id, row) for row, item in enumerate(catalog)))
    if records is not None:
        written.update(_write_interactions(catalog, out, records))
    (out / "export.json").write_text(
        json.dumps(
            {
                "catalog": engine.store.catalog_ref,
                "items": len(catalog),
                "encoders": engine.encoder_versions(),
                "files": {k: p.name for k, p in written.items()},
            },
            indent=2,
        )
        + "\n"
    )
    return written


def _write_interactions(catalog, out: Path, records: list[dict[str, Any]]) -> dict[str, Path]:
    by_user: dict[str, list] = {}
    for i in interactions(records):
        if i.value > 0 and i.item in catalog:
            by_user.setdefault(i.user, []).append(i)
    users = {user: n for n, user in enumerate(by_user)}
    rows = []
    for user, uid in users.items():
        mine = by_user[user]
        for position, i in enumerate(mine):
            from_end = len(mine) - position
            label = 0 if len(mine) < 3 or from_end > 2 else 3 - from_end
            rows.append((uid, catalog.position(i.item), 1, i.turn, label))
    paths = {"interactions": out / f"{catalog.name}.inter", "users": out / "u_id_mapping.csv"}
    _write_tsv(paths["interactions"], ("userID", "itemID", "rating", "timestamp", "x_label"), rows)
    _write_tsv(paths["users"], ("user_id", "userID"), users.items())
    return paths


def _write_tsv(path: Path, head: tuple[str, ...], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(head)
        writer.writerows(rows)
