"""export-features: the catalog's embeddings row-aligned with an item-id map, and a log's likes, in MMRec's layout."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from mmrec.catalog import load_catalog
from mmrec.cli import main
from mmrec.turn import SCHEMA


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.reader(f, delimiter="\t"))


def test_export_features_writes_mmrec_files(demo_catalog_dir: Path, cache_root: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MMREC_CACHE_DIR", str(cache_root))
    catalog = load_catalog(demo_catalog_dir)
    ids = catalog.ids
    log = tmp_path / "study.jsonl"
    liked = [ids[3], ids[1], ids[4], ids[2]]
    records = [
        {"schema": SCHEMA, "session": "s1", "participant": "p1", "turn": t + 1, "shown": [], "error": None,
         "interpretation": {"action": "like", "item": item, "weight": 1.0}}
        for t, item in enumerate(liked)
    ] + [
        {"schema": SCHEMA, "session": "s2", "participant": "p2", "turn": 1, "shown": [], "error": None,
         "interpretation": {"action": "dislike", "item": ids[0], "weight": -0.7}},
        {"schema": SCHEMA, "session": "s2", "participant": "p2", "turn": 2, "shown": [], "error": None,
         "interpretation": {"action": "like", "item": ids[5], "weight": 1.0}},
    ]  # fmt: skip
    log.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "export"
    assert main(["export-features", "--catalog", str(demo_catalog_dir), "--out", str(out), "--log", str(log)]) == 0

    text, image = np.load(out / "text_feat.npy"), np.load(out / "image_feat.npy")
    assert text.dtype == np.float32 and text.shape[0] == image.shape[0] == len(catalog)
    np.testing.assert_allclose(np.linalg.norm(text, axis=1), 1.0, atol=1e-4)
    mapping = _rows(out / "i_id_mapping.csv")
    assert mapping[0] == ["asin", "itemID"] and [r[0] for r in mapping[1:]] == ids
    assert [int(r[1]) for r in mapping[1:]] == list(range(len(ids)))

    inter = _rows(out / f"{catalog.name}.inter")
    assert inter[0] == ["userID", "itemID", "rating", "timestamp", "x_label"]
    p1 = [r for r in inter[1:] if r[0] == "0"]
    assert [ids[int(r[1])] for r in p1] == liked and [r[4] for r in p1] == ["0", "0", "1", "2"]
    assert [(ids[int(r[1])], r[4]) for r in inter[1:] if r[0] == "1"] == [(ids[5], "0")]  # dislikes are left out
    assert _rows(out / "u_id_mapping.csv")[1:] == [["p1", "0"], ["p2", "1"]]
    assert json.loads((out / "export.json").read_text())["items"] == len(catalog)
