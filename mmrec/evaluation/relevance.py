"""What a shopper could see of the catalog: product groups, leaf categories, colours, and graded relevance.

Graded relevance of an item to a target: 2 for the target, 1 for the same product in another colour or
an item of the same leaf category and colour, else 0. A leaf is a node of the category tree, so a men's
tee (Men/Tops/Tees) and a women's tee (Women/Tops/Tees) are in different leaves. Every field used here is
visible on a product page.
"""

from __future__ import annotations

import numpy as np

from ..catalog import Item
from ..engine import Engine
from .language import base_name, generic_words

GROUP_FIELDS = ("parent_sku", "group")
"""Catalog fields naming the product an item is a colour variant of (Luma: parent_sku; demo: group)."""


def product_of(item: Item) -> str:
    """The product ``item`` is a variant of: its group field, else its base name."""
    for name in GROUP_FIELDS:
        if item.extra.get(name):
            return str(item.extra[name])
    return base_name(item)


class CatalogView:
    """Per-item arrays the simulation needs, built once per engine."""

    def __init__(self, engine: Engine) -> None:
        catalog = engine.catalog
        self.engine = engine
        self.n = len(catalog)
        self.products = np.array([product_of(item) for item in catalog], dtype=object)
        self.leaves = np.array([item.category for item in catalog], dtype=object)
        """The main category path of each item: its leaf node."""
        self.colours = np.array([item.color or "" for item in catalog], dtype=object)
        self.prices = np.array([item.price if item.price else np.nan for item in catalog], dtype=float)
        self.text_vectors = engine.modalities["text"].index.vectors
        self.generic_words = generic_words(catalog)

    def row(self, item_id: str) -> int:
        return self.engine.catalog.position(item_id)

    def grades(self, target: int) -> np.ndarray:
        """Graded relevance of every item to ``target`` (2 / 1 / 0)."""
        same_product = self.products == self.products[target]
        same_look = (self.leaves == self.leaves[target]) & (self.colours == self.colours[target])
        if not self.colours[target]:
            same_look = np.zeros(self.n, dtype=bool)
        out = np.where(same_product | same_look, 1, 0).astype(np.int8)
        out[target] = 2
        return out

    def siblings(self, target: int) -> np.ndarray:
        """Rows of the target's other colour variants."""
        rows = np.flatnonzero(self.products == self.products[target])
        return rows[rows != target]

    def grades_by_id(self, item_id: str) -> np.ndarray:
        return self.grades(self.row(item_id))
