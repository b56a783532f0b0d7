from collections import Counter
from itertools import permutations

import pytest

from mmrec.errors import StudyError
from mmrec.study.assignment import arms, balanced, from_url
from mmrec.study.spec import parse_study


def study(n=2, **assignment):
    names = [f"c{i}" for i in range(n)]
    return parse_study(
        {"title": "T", "task": "t", "conditions": [{"name": x} for x in names], "assignment": assignment}
    )


@pytest.mark.parametrize("n", [2, 3])
def test_balanced_blocks_keep_conditions_within_one_over_100_participants(n):
    s = study(n, seed=7)
    counts = Counter(balanced(s, slot)[0] for slot in range(100))
    assert len(counts) == n and max(counts.values()) - min(counts.values()) <= 1
    for block in range(100 // n):  # every complete block is a permutation of the conditions
        assert sorted(balanced(s, block * n + i)[0] for i in range(n)) == sorted(counts)


def test_balanced_is_seeded_and_reproducible():
    assert [balanced(study(3, seed=1), i) for i in range(30)] == [balanced(study(3, seed=1), i) for i in range(30)]
    assert [balanced(study(3, seed=1), i) for i in range(30)] != [balanced(study(3, seed=2), i) for i in range(30)]


def test_within_subject_counterbalances_every_order():
    s = study(3, within_subject=True)
    orders = Counter(balanced(s, slot) for slot in range(60))
    assert set(orders) == set(permutations(["c0", "c1", "c2"])) and set(orders.values()) == {10}
    for position in range(3):
        assert Counter(o[position] for o in orders.elements()) == {"c0": 20, "c1": 20, "c2": 20}


def test_many_conditions_use_a_latin_square():
    square = arms(study(5, within_subject=True))
    assert len(square) == 5
    for position in range(5):
        assert sorted(row[position] for row in square) == [f"c{i}" for i in range(5)]


def test_url_assignment_names_the_condition_or_says_what_is_valid():
    s = study(2, method="url", param="arm")
    assert from_url(s, {"arm": "c1"}) == ("c1",)
    with pytest.raises(StudyError, match="unknown condition 'x'; valid: c0, c1"):
        from_url(s, {"arm": "x"})
    with pytest.raises(StudyError, match="no 'arm' parameter"):
        from_url(s, {})
