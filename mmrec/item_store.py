"""What ranking and explanations read: the catalog and its per-item arrays, with no model loaded.

An :class:`ItemStore` holds the catalog, one :class:`~mmrec.index.EmbeddingIndex` per embedding space
(``text``, ``image``, ``clip_text``...), prices, colours, term and category masks, the rating
prior, and which items go together (catalog links, items liked together in prior sessions). The
:class:`~mmrec.engine.Engine` builds one from real encoders; :meth:`ItemStore.synthetic` builds one from given or random vectors, so rankings can be simulated and tested without MiniLM.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from functools import cached_property

import numpy as np
from scipy import sparse

from .catalog import Catalog, Item
from .index import EmbeddingIndex
from .item_graph import item_graph


class ItemStore:
    """Catalog + per-space item indexes + per-item arrays (prices, colours, masks, rating prior)."""

    def __init__(self, catalog: Catalog, spaces: Mapping[str, EmbeddingIndex]) -> None:
        self.catalog = catalog
        self.spaces: dict[str, EmbeddingIndex] = dict(spaces)
        self.prices = np.array([item.price if item.price is not None else np.nan for item in catalog])
        self.prior, self.prior_note = rating_prior(catalog)
        self.colors = np.array([(item.color or "").lower() for item in catalog], dtype=object)
        self.leaves = [item.leaf_category for item in catalog]
        self._item_leaves = [item.leaf_names() for item in catalog]
        self._item_terms = [_terms_of(item, leaves) for item, leaves in zip(catalog, self._item_leaves, strict=True)]
        self._masks: dict[tuple[str, str], np.ndarray] = {}
        self.history: list[frozenset[str]] = []
        """Items liked together in prior sessions (what the collaborative scorer learns from)."""
        self._masks_lock = threading.Lock()

    @classmethod
    def synthetic(
        cls,
        vectors: Mapping[str, np.ndarray] | None = None,
        *,
        n: int = 100,
        dim: int = 16,
        catalog: Catalog | None = None,
        seed: int = 0,
    ) -> ItemStore:
        """A store over ``vectors`` (space name -> ``(n, dim)`` array; random ``text`` vectors when
        omitted) and ``catalog`` (numbered items with prices when omitted)."""
        if vectors is None:
            rng = np.random.default_rng(seed)
            vectors = {"text": rng.standard_normal((n, dim), dtype=np.float32)}
        n = len(next(iter(vectors.values())))
        if catalog is None:
            catalog = Catalog(
                [Item(id=f"s{i}", name=f"synthetic {i}", price=float(10 + i % 90)) for i in range(n)],
                name=f"synthetic-{n}",
            )
        return cls(catalog, {name: EmbeddingIndex(v, model="synthetic") for name, v in vectors.items()})

    def __len__(self) -> int:
        return len(self.catalog)

    @cached_property
    def catalog_ref(self) -> dict[str, str]:
        """``{"name", "hash"}`` of the catalog, for turn records."""
        return {"name": self.catalog.name, "hash": self.catalog.content_hash()}

    @cached_property
    def item_graph(self) -> sparse.csr_matrix:
        """Which items go together: catalog links and :attr:`history` (:mod:`mmrec.item_graph`)."""
        return item_graph(self.catalog, self.history)

    def set_history(self, liked_together: Iterable[frozenset[str]]) -> None:
        """Prior sessions' sets of liked items (:attr:`history`); sessions started later score with them."""
        self.history = list(liked_together)
        self.__dict__.pop("item_graph", None)

    def item_vector(self, space: str, row: int) -> np.ndarray | None:
        """Item ``row``'s unit vector in ``space``, or None when it has none there."""
        index = self.spaces[space]
        return index.vectors[row] if index.present[row] else None

    def term_mask(self, term: str) -> np.ndarray:
        """Which items a vocabulary term (category, colour, attribute word) describes."""
        return self._mask("term", term.lower(), self._item_terms)

    def category_mask(self, leaf: str) -> np.ndarray:
        """Which items list ``leaf`` as the last level of any of their categories, or as a part of it
        (:meth:`~mmrec.catalog.Item.leaf_names`)."""
        return self._mask("leaf", leaf, self._item_leaves)

    def _mask(self, kind: str, key: str, sets: list[set[str]]) -> np.ndarray:
        """The mask of ``key``, built once and shared read-only by every session (safe from many threads)."""
        with self._masks_lock:
            mask = self._masks.get((kind, key))
            if mask is None:
                mask = np.array([key in s for s in sets], dtype=bool)
                mask.setflags(write=False)
                self._masks[kind, key] = mask
            return mask


def _terms_of(item: Item, leaves: set[str]) -> set[str]:
    """The lower-cased words ``item`` carries: attribute words, its colour, and its ``leaves``."""
    words = {w.lower() for w in item.attribute_words()}
    if item.color:
        words.add(item.color.lower())
    words.update(leaf.lower() for leaf in leaves)
    return words


def rating_prior(catalog: Catalog) -> tuple[np.ndarray, list[str]]:
    """Per item: a damped mean customer rating mapped to [-1, 1], and a note like '4.5★ (6 reviews)'."""
    sums = np.zeros(len(catalog))
    counts = np.zeros(len(catalog))
    for review in catalog.reviews:
        for item_id in review.item_ids:
            row = catalog.position(item_id)
            sums[row] += review.rating
            counts[row] += 1
    damped = (sums + 3.0 * 2) / (counts + 2)  # two phantom 3-star reviews
    notes = [f"{s / c:.1f}★ from {int(c)} review{'s' if c > 1 else ''}" if c else "" for s, c in zip(sums, counts)]
    return (damped - 3.0) / 2.0, notes
