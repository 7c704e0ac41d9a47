"""Williams designs balance first-order carry-over: checked by counting, for n = 2 to 7."""
from collections import Counter

import pytest

from cogtrain.study.williams import williams_orders


@pytest.mark.parametrize("n", range(2, 8))
def test_every_task_comes_at_every_position_equally_often(n):
    orders = williams_orders(n)
    assert len(orders) == (n if n % 2 == 0 else 2 * n)
    assert all(sorted(order) == list(range(n)) for order in orders)
    for position in range(n):
        assert set(Counter(order[position] for order in orders).values()) == {len(orders) // n}


@pytest.mark.parametrize("n", range(2, 8))
def test_every_task_follows_every_other_equally_often(n):
    orders = williams_orders(n)
    pairs = Counter((order[i], order[i + 1]) for order in orders for i in range(n - 1))
    assert len(pairs) == n * (n - 1)  # every ordered pair of different tasks occurs
    assert set(pairs.values()) == {1 if n % 2 == 0 else 2}


def test_one_square_of_three_is_not_balanced_which_is_why_the_mirror_is_added():
    square = williams_orders(3)[:3]
    pairs = Counter((order[i], order[i + 1]) for order in square for i in range(2))
    assert sorted(pairs.values()) != [1] * 6
    assert williams_orders(3) == [[0, 1, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0], [0, 2, 1], [1, 0, 2]]


def test_no_conditions_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        williams_orders(0)
