import numpy as np
import pytest

from mmrec.catalog import Catalog, Item
from mmrec.encoders.text import HashingTextEncoder
from mmrec.index import EmbeddingIndex, build_ivf, embed_catalog


class CountingEncoder(HashingTextEncoder):
    """The real hashing encoder, counting how many inputs it was asked to encode."""

    def __init__(self) -> None:
        super().__init__(dim=64)
        self.encoded = 0

    def encode(self, inputs, **kwargs):
        self.encoded += len(inputs)
        return super().encode(inputs, **kwargs)


def catalog_of(names: list[str]) -> Catalog:
    return Catalog([Item(id=f"i{n}", name=name) for n, name in enumerate(names)])


def test_catalog_embeddings_are_cached_and_only_new_items_encoded(tmp_path):
    encoder = CountingEncoder()
    first, present = embed_catalog(catalog_of(["red hoodie", "blue jacket"]), encoder, Item.text, cache_root=tmp_path)
    assert encoder.encoded == 2 and present.all()
    again, _ = embed_catalog(catalog_of(["red hoodie", "blue jacket"]), encoder, Item.text, cache_root=tmp_path)
    assert encoder.encoded == 2
    np.testing.assert_array_equal(first, again)
    embed_catalog(catalog_of(["red hoodie", "blue jacket", "green tee"]), encoder, Item.text, cache_root=tmp_path)
    assert encoder.encoded == 3


def test_a_damaged_cache_file_is_rebuilt(tmp_path):
    encoder = CountingEncoder()
    embed_catalog(catalog_of(["a"]), encoder, Item.text, cache_root=tmp_path)
    for f in (tmp_path / "embeddings").iterdir():
        f.write_bytes(b"garbage")
    vectors, present = embed_catalog(catalog_of(["a"]), encoder, Item.text, cache_root=tmp_path)
    assert present.all() and encoder.encoded == 2


def test_exact_search_returns_nearest_first():
    rng = np.random.default_rng(0)
    index = EmbeddingIndex(rng.standard_normal((500, 16)))
    rows, scores = index.search(index.vectors[42], 5)
    assert rows[0] == 42 and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert list(scores) == sorted(scores, reverse=True)


def test_ivf_index_recalls_most_exact_neighbours():
    pytest.importorskip("faiss")
    rng = np.random.default_rng(1)
    centres = rng.standard_normal((50, 32))
    points = centres[rng.integers(0, 50, 20_000)] + 0.5 * rng.standard_normal((20_000, 32))
    index = EmbeddingIndex(points)
    ann = build_ivf(index.vectors, nprobe=32)
    hits = 0
    for q in index.vectors[rng.integers(0, 20_000, 20)] + 0.05 * rng.standard_normal((20, 32)).astype(np.float32):
        q /= np.linalg.norm(q)
        exact = set(index.search(q, 10)[0])
        _, found = ann.search(q[None], 10)
        hits += len(exact & set(found[0]))
    assert hits / 200 >= 0.8


def test_scoring_several_queries_at_once_matches_one_by_one():
    rng = np.random.default_rng(2)
    index = EmbeddingIndex(rng.standard_normal((10_000, 24)))
    queries = rng.standard_normal((24, 3)).astype(np.float32)
    together = index.scores(queries)
    for j in range(3):
        np.testing.assert_allclose(together[:, j], index.scores(queries[:, j]), rtol=1e-5, atol=1e-5)
