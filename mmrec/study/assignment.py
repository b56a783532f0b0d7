"""Which condition(s), in which order, a participant gets: permuted blocks, a URL parameter, or counterbalancing.

Balanced assignment is a pure function of a slot number; the store hands out slots from the database
inside a transaction, so several app replicas share one sequence.
"""

from __future__ import annotations

import itertools
import random

from ..errors import StudyError
from .spec import Study

MAX_PERMUTED = 4
"""Up to this many conditions a within-subject study cycles through every order; above it, a Latin square."""


def arms(study: Study) -> list[tuple[str, ...]]:
    """The units that are randomised: single conditions, or (within-subject) condition orders."""
    names = [c.name for c in study.conditions]
    if not study.assignment.within_subject:
        return [(n,) for n in names]
    if len(names) <= MAX_PERMUTED:
        return list(itertools.permutations(names))
    return [tuple(names[(row + col) % len(names)] for col in range(len(names))) for row in range(len(names))]


def balanced(study: Study, slot: int) -> tuple[str, ...]:
    """The arm of the ``slot``-th participant (0-based): each block of len(arms) slots is a seeded permutation."""
    units = arms(study)
    block, offset = divmod(slot, len(units))
    order = list(range(len(units)))
    random.Random(f"{study.assignment.seed}:{block}").shuffle(order)
    return units[order[offset]]


def from_url(study: Study, params: dict[str, str]) -> tuple[str, ...]:
    """The condition named by the study's URL parameter (then, within-subject, the others in file order)."""
    name = params.get(study.assignment.param)
    if name is None:
        raise StudyError(f"the link has no {study.assignment.param!r} parameter naming the condition")
    first = study.condition(name).name
    if not study.assignment.within_subject:
        return (first,)
    return (first, *(c.name for c in study.conditions if c.name != first))
