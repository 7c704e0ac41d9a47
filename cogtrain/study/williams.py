"""Williams designs: task orders balanced for first-order carry-over.

A Williams square (Williams, 1949) of even order ``n`` is a Latin square in
which every task follows every other task exactly once. For odd ``n`` no
single square does that; the square together with its mirror image (each row
reversed) does, with ``2n`` orders (Williams, 1949; Jones & Kenward, 2014,
ch. 4).
"""
from __future__ import annotations


def williams_row(n: int, row: int) -> list[int]:
    """Row ``row % n`` of a Williams square of order ``n`` (0-based condition indices).

    The first row is 0, 1, n-1, 2, n-2, ...; row ``r`` adds ``r`` modulo ``n``.

    Examples
    --------
    >>> williams_row(4, 0), williams_row(4, 1)
    ([0, 1, 3, 2], [1, 2, 0, 3])
    """
    first, low, high = [0], 1, n - 1
    while len(first) < n:
        first.append(low)
        low += 1
        if len(first) < n:
            first.append(high)
            high -= 1
    return [(c + row) % n for c in first]


def williams_orders(n: int) -> list[list[int]]:
    """Every order of a carry-over-balanced Williams design of ``n`` conditions.

    ``n`` orders for even ``n``; for odd ``n`` the square and its mirror,
    ``2n`` orders. Each condition then comes first equally often and directly
    follows each other condition equally often.

    Examples
    --------
    >>> williams_orders(3)
    [[0, 1, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0], [0, 2, 1], [1, 0, 2]]
    """
    if n < 1:
        raise ValueError(f"a Williams design needs at least one condition, got {n}")
    square = [williams_row(n, r) for r in range(n)]
    return square if n % 2 == 0 else square + [row[::-1] for row in square]
