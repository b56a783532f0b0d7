"""Which items go together: the catalog's store links and items liked in the same prior sessions.

:func:`item_graph` is a sparse symmetric ``(n, n)`` matrix, zero on the diagonal, the sum of two parts
in [0, 1] each:

- links (``links.jsonl``), weighted by kind: up-sell links join alternatives to one another (on Luma all
  325 stay within their category), related and cross-sell links mostly join complements (49 of 464 and
  49 of 664 stay within a category), so they count a quarter;
- co-likes: the cosine similarity of two items' columns in the session x item matrix of liked items
  (item-item collaborative filtering, as ``implicit``'s CosineRecommender computes it).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy import sparse

from .catalog import Catalog

LINK_WEIGHTS = {"upsell": 1.0, "related": 0.25, "crosssell": 0.25}
"""Weight of a link by kind (module docstring); kinds not listed count as related."""


def link_matrix(catalog: Catalog) -> sparse.csr_matrix:
    """Store links between the items of linked products, symmetric, the strongest kind per pair."""
    n = len(catalog)
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for link in catalog.links:
        weight = LINK_WEIGHTS.get(link.kind, LINK_WEIGHTS["related"])
        for a in link.source:
            for b in link.target:
                rows.append(catalog.position(a))
                cols.append(catalog.position(b))
                values.append(weight)
    if not rows:
        return sparse.csr_matrix((n, n), dtype=np.float32)
    # A pair linked several times (both ways, several kinds) keeps its strongest weight, not the sum.
    r, c, v = np.array(rows + cols), np.array(cols + rows), np.array(values + values, dtype=np.float32)
    order = np.lexsort((-v, c, r))
    r, c, v = r[order], c[order], v[order]
    first = np.r_[True, (r[1:] != r[:-1]) | (c[1:] != c[:-1])]
    out = sparse.csr_matrix((v[first], (r[first], c[first])), shape=(n, n), dtype=np.float32)
    out.setdiag(0)
    out.eliminate_zeros()
    return out


def co_liked_matrix(catalog: Catalog, sessions: Iterable[frozenset[str]]) -> sparse.csr_matrix:
    """Cosine similarity of items over the sessions that liked them (ids not in the catalog are ignored)."""
    n = len(catalog)
    rows: list[int] = []
    cols: list[int] = []
    for s, liked in enumerate(sessions):
        for item_id in liked:
            if item_id in catalog:
                rows.append(s)
                cols.append(catalog.position(item_id))
    if not rows:
        return sparse.csr_matrix((n, n), dtype=np.float32)
    likes = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(max(rows) + 1, n))
    likes.data[:] = 1.0  # an item liked twice in one session counts once
    counts = (likes.T @ likes).tocsr()
    degree = counts.diagonal()
    scale = sparse.diags(1.0 / np.sqrt(np.maximum(degree, 1.0)).astype(np.float32))
    out = (scale @ counts @ scale).tocsr().astype(np.float32)
    out.setdiag(0)
    out.eliminate_zeros()
    return out


def item_graph(catalog: Catalog, sessions: Iterable[frozenset[str]] = ()) -> sparse.csr_matrix:
    """Links plus co-likes (module docstring)."""
    return (link_matrix(catalog) + co_liked_matrix(catalog, sessions)).tocsr()
