"""A careless operator's caches: unusable, unwritable, truncated, tampered, NaN; each degrades, none crashes."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from mmrec.cache_files import cache_health, read_arrays, write_arrays
from mmrec.engine import Engine
from mmrec.events import Review
from mmrec.session import Session


def _load(catalog: Path, cache: Path) -> Engine:
    return Engine.load(catalog, image=False, speech=False, cache_dir=cache)


def _ranks_by_text(engine: Engine) -> None:
    turn = Session(engine, top_k=3).submit(Review("a warm waterproof jacket for hiking"))
    assert turn.error is None
    assert any(abs(r.contributions.get("text", 0.0)) > 1e-4 for r in turn.ranked)


def _embedding_cache(cache: Path) -> Path:
    (found,) = (cache / "embeddings").glob("*-text.npz")
    return found


def test_arrays_round_trip_and_any_tampering_is_refused(tmp_path):
    path = tmp_path / "c.npz"
    assert write_arrays(path, {"keys": np.array(["a", "b"]), "vectors": np.eye(2, dtype=np.float32)})
    np.testing.assert_array_equal(read_arrays(path, ("keys", "vectors"))["vectors"], np.eye(2))
    with pytest.warns(UserWarning, match="lacks other"):
        assert read_arrays(path, ("keys", "other")) is None
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.warns(UserWarning, match="c.npz (is unreadable|checksum mismatch)"):
        assert read_arrays(path, ("keys",)) is None
    np.savez(path, keys=np.array(["a"]))  # an older cache, without a checksum
    with pytest.warns(UserWarning, match="no checksum"):
        assert read_arrays(path, ("keys",)) is None


def test_a_cache_path_that_cannot_be_a_folder_is_replaced_for_this_run_and_said(demo_catalog_dir, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    with pytest.warns(UserWarning, match="cannot be used.*temporary folder"):
        engine = _load(demo_catalog_dir, blocker)
    status = engine.status()["cache"]
    assert status.available and status.degraded and "temporary folder" in status.reason
    _ranks_by_text(engine)


def test_a_cache_that_cannot_be_written_still_serves(demo_catalog_dir, tmp_path):
    (tmp_path / "embeddings").write_text("not a folder: every embedding write fails")
    with pytest.warns(UserWarning, match="not written"):
        engine = _load(demo_catalog_dir, tmp_path)
    _ranks_by_text(engine)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through directory permissions")
def test_a_read_only_cache_is_read_and_reported(tmp_path):
    tmp_path.chmod(0o555)
    try:
        root, problem = cache_health(tmp_path)
    finally:
        tmp_path.chmod(0o755)
    assert root == tmp_path and "not writable" in problem


def test_a_truncated_embedding_cache_is_rebuilt(demo_catalog_dir, tmp_path):
    _load(demo_catalog_dir, tmp_path)
    cache = _embedding_cache(tmp_path)
    cache.write_bytes(cache.read_bytes()[:100])
    with pytest.warns(UserWarning, match="is unreadable.*rebuilding"):
        engine = _load(demo_catalog_dir, tmp_path)
    _ranks_by_text(engine)
    assert read_arrays(cache, ("keys", "vectors")) is not None


def test_nan_embeddings_in_the_cache_are_not_trusted(demo_catalog_dir, tmp_path):
    _load(demo_catalog_dir, tmp_path)
    cache = _embedding_cache(tmp_path)
    arrays = read_arrays(cache, ("keys", "vectors"))
    write_arrays(cache, {"keys": arrays["keys"], "vectors": np.full_like(arrays["vectors"], np.nan)})
    with pytest.warns(UserWarning, match="non-finite"):
        engine = _load(demo_catalog_dir, tmp_path)
    assert np.isfinite(engine.store.spaces["text"].vectors).all()
    _ranks_by_text(engine)


@pytest.mark.parametrize("damage", ["garbage", "wrong shape"])
def test_a_corrupt_sentiment_head_is_retrained(demo_catalog_dir, tmp_path, damage):
    engine = _load(demo_catalog_dir, tmp_path)
    head = engine.sentiment.cache_path()
    if damage == "garbage":
        head.write_bytes(b"\x00not an npz")
    else:
        write_arrays(head, {"weights": np.zeros(3), "threshold": np.array(0.0), "cv_accuracy": np.array(0.5),
                            "cv_balanced_accuracy": np.array(0.5), "n_train": np.array(1)})  # fmt: skip
    again = _load(demo_catalog_dir, tmp_path)
    assert again.sentiment.name.startswith("logreg+lexicon/")
    assert again.sentiment_of("I love it, wonderful quality") > 0 > again.sentiment_of("awful, it broke at once")
