"""The ranking-scale benchmark measures the library's own exact and approximate paths, and restores the switch."""

from __future__ import annotations

from mmrec import index, ranking
from mmrec.bench.scale import approximate_above, scale_row


def test_scale_row_compares_exact_and_approximate_ranking_of_the_same_profiles():
    threshold = ranking.APPROXIMATE_ABOVE
    row = scale_row(3000, 16, runs=3)
    assert row["n"] == 3000 and row["library_uses"] == "exact"
    assert 0.5 <= row["recall_at_10"] <= 1.0  # clustered items: the IVF candidates hold most of the exact top 10
    assert row["exact_p95_ms"] > 0 and row["approx_p95_ms"] > 0
    assert ranking.APPROXIMATE_ABOVE == index.APPROXIMATE_ABOVE == threshold


def test_the_switch_is_moved_only_inside_the_block():
    with approximate_above(0):
        assert ranking.APPROXIMATE_ABOVE == index.APPROXIMATE_ABOVE == 0
    assert ranking.APPROXIMATE_ABOVE == index.APPROXIMATE_ABOVE > 0
