"""The contract every score source honours, and the reasons it can give for an item."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from ..profile_summary import ProfileSummary


@dataclass(frozen=True)
class Reason:
    """One clause an explanation may use.

    ``kind`` is ``toward`` (pulled up by an interaction), ``away`` (pushed down), ``matches`` /
    ``clashes`` (named terms) or ``note`` (a fact used when nothing else applies); among several
    ``toward`` or ``away`` clauses the strongest (largest ``|strength|``) is told.
    """

    kind: str
    strength: float
    text: str


class Scorer(ABC):
    """A score source: raw per-item scores for a profile summary over candidate rows.

    Raw scores are unweighted (the ranker multiplies by the config's weight for :attr:`name`, in one
    place) and about zero for a typical item, so a contribution reads as "above or below average".
    A row's score depends on the summary and that row alone, never on which other rows are scored.
    """

    name: str

    @abstractmethod
    def active(self, summary: ProfileSummary) -> bool:
        """Whether this source has evidence to score with (inactive sources contribute nothing)."""

    @abstractmethod
    def score(self, summary: ProfileSummary, rows: np.ndarray) -> np.ndarray:
        """Raw float32 scores of the catalog ``rows`` (positions), one per row."""

    def bound(self, summary: ProfileSummary, rows: np.ndarray) -> np.ndarray:
        """An upper bound of :meth:`score` on ``rows``, cheaper where it can be (by default the score).

        Over a large catalog the ranker scores exactly only the rows whose fused bound could still
        reach the list, so a cheap, tight bound makes ranking faster without changing it.
        """
        return self.score(summary, rows)

    def candidates(self, summary: ProfileSummary, k: int) -> np.ndarray | None:
        """Up to ``k`` rows this source would rank high (for large catalogs), or None to nominate none."""
        return None

    def reasons(self, summary: ProfileSummary, row: int, contribution: float) -> list[Reason]:
        """Clauses explaining what this source did to item ``row`` (its weighted ``contribution``)."""
        return []

    def label(self, summary: ProfileSummary, row: int) -> str | None:
        """A few words naming what this source found in item ``row`` (its bar's caption), or None for
        the source's own name."""
        return None
