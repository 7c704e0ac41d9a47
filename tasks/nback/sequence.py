"""Stimulus streams with exact numbers of targets and lures (no psychopy).

A stream is a sequence of codes ``0..k-1``. At trial ``i`` (0-based):

* **target**: the stimulus equals the one ``n`` trials back;
* **lure**: not a target, but equal to the one ``n-1`` or ``n+1`` trials back
  (an ``n-1`` lure exists only for ``n >= 2``);
* **plain**: neither.

The generator fixes the numbers of targets and lures first, draws their
positions among the scorable trials (``i >= n``) from the seeded generator,
then fills the stream trial by trial so that no plain trial matches by
accident. :func:`classify` recomputes the roles from the stream alone, so the
counts can be checked independently of how the stream was built.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Cells of the 3×3 grid used for positions, numbered row by row from the top
#: left (0..8). The centre (4) holds the fixation cross and is never a stimulus:
#: eight locations, as in Jaeggi et al. (2008) and Brain Workshop.
GRID_CELLS: tuple[int, ...] = (0, 1, 2, 3, 5, 6, 7, 8)

#: Attempts at filling a stream before the role positions are drawn again,
#: and role draws before giving up.
_FILLS_PER_DRAW = 20
_MAX_DRAWS = 200


class GenerationError(ValueError):
    """The requested counts cannot be placed in a block of this length."""


@dataclass(frozen=True)
class Stream:
    """One modality's stream for one block.

    Attributes
    ----------
    codes : ndarray of int
        Stimulus codes, one per trial.
    is_target, is_lure : ndarray of bool
        Roles per trial (as designed, and equal to :func:`classify` of ``codes``).
    """

    codes: np.ndarray
    is_target: np.ndarray
    is_lure: np.ndarray


def rounded_count(rate: float, scorable: int) -> int:
    """Number of targets (or lures) for a rate: ``rate * scorable`` rounded half up.

    Examples
    --------
    >>> rounded_count(0.3, 26), rounded_count(0.1, 26), rounded_count(0.25, 10)
    (8, 3, 3)
    """
    return int(np.floor(rate * scorable + 0.5))


def classify(codes, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Roles of every trial of a stream, from the codes alone.

    Parameters
    ----------
    codes : sequence
        Stimuli in presentation order (any comparable values).
    n : int
        The n of the block.

    Returns
    -------
    is_target, is_lure : ndarray of bool

    Examples
    --------
    >>> t, l = classify(["C", "H", "C", "C", "K"], 2)
    >>> t.astype(int).tolist(), l.astype(int).tolist()
    ([0, 0, 1, 0, 0], [0, 0, 0, 1, 0])
    """
    codes = np.asarray(codes)
    size = len(codes)

    def back(lag: int) -> np.ndarray:
        out = np.zeros(size, dtype=bool)
        if 0 < lag < size:
            out[lag:] = codes[lag:] == codes[:-lag]
        return out

    is_target = back(n)
    near = back(n + 1) | (back(n - 1) if n >= 2 else np.zeros(size, dtype=bool))
    return is_target, near & ~is_target


def generate_stream(rng: np.random.Generator, n: int, n_trials: int, alphabet: int,
                    n_targets: int, n_lures: int) -> Stream:
    """Draw one stream with exactly ``n_targets`` targets and ``n_lures`` lures.

    Parameters
    ----------
    rng : numpy.random.Generator
        The block's seeded generator (the same state gives the same stream).
    n : int
        The n of the block (1..9).
    n_trials : int
        Length of the stream.
    alphabet : int
        Number of distinct stimuli (at least 6).
    n_targets, n_lures : int
        Exact counts, placed among the scorable trials ``n .. n_trials-1``.

    Raises
    ------
    GenerationError
        If the counts do not fit in the block.
    """
    if n < 1 or alphabet < 6:
        raise GenerationError(f"need n >= 1 and at least 6 stimuli, got n={n}, stimuli={alphabet}")
    scorable = n_trials - n
    lure_slots = scorable - n_targets - (1 if n == 1 else 0)  # n=1: trial 1 cannot be a 2-back lure
    if n_targets < 0 or n_lures < 0 or n_targets > scorable or n_lures > max(lure_slots, 0):
        raise GenerationError(
            f"cannot place {n_targets} targets and {n_lures} lures in {scorable} scorable trials "
            f"({n_trials} trials at n={n})")
    for _ in range(_MAX_DRAWS):
        lags = _draw_roles(rng, n, n_trials, n_targets, n_lures)
        if lags is None:
            continue
        for _ in range(_FILLS_PER_DRAW):
            codes = _fill(rng, n, lags, alphabet)
            if codes is None:
                continue
            is_target, is_lure = classify(codes, n)
            # The roles read back from the stream must be the roles drawn.
            if np.array_equal(is_target, lags == n) and np.array_equal(is_lure, (lags > 0) & (lags != n)):
                return Stream(codes=codes, is_target=is_target, is_lure=is_lure)
    raise GenerationError(  # pragma: no cover - not reached for validated settings
        f"could not build a stream with {n_targets} targets and {n_lures} lures "
        f"in {n_trials} trials at n={n}; lower target_rate or lure_rate")


def _draw_roles(rng: np.random.Generator, n: int, n_trials: int, n_targets: int,
                n_lures: int) -> np.ndarray | None:
    """Lag each trial must copy: n (target), n-1 or n+1 (lure), 0 (plain); None if infeasible."""
    lags = np.zeros(n_trials, dtype=int)
    scorable = np.arange(n, n_trials)
    targets = rng.choice(scorable, size=n_targets, replace=False)
    lags[targets] = n
    free = scorable[lags[scorable] == 0]
    if n == 1:
        free = free[free >= 2]
    lures = rng.choice(free, size=n_lures, replace=False)
    # Balance n-1 and n+1 lures (an n+1 lure needs i >= n+1, an n-1 lure needs
    # n >= 2). A lure at i needs s[p] != s[p-1] for one trial p (see
    # _distinct_from_previous), so p must not be fixed to copy its predecessor
    # (lag 1): choose each lure's lag so that no such pair arises.
    used = {n - 1: 0, n + 1: 0}
    needs_differ: set[int] = set()
    for i in lures:
        options = [lag for lag in (n - 1, n + 1) if lag >= 1 and i - lag >= 0]
        options.sort(key=lambda lag: (used[lag], rng.random()))
        for lag in options:
            p = _distinct_from_previous(i, lag, n)
            if lags[p] != 1 and not (lag == 1 and i in needs_differ):
                lags[i] = lag
                used[lag] += 1
                needs_differ.add(p)
                break
        else:
            return None
    return lags


def _distinct_from_previous(i: int, lag: int, n: int) -> int:
    """Trial p such that a lure at i (copying ``lag`` back) needs s[p] != s[p-1]."""
    return i - n + 1 if lag == n - 1 else i - n


def _fill(rng: np.random.Generator, n: int, lags: np.ndarray, alphabet: int) -> np.ndarray | None:
    """Fill the stream given the roles; None when a fixed copy breaks a constraint."""
    size = len(lags)
    differ = np.zeros(size, dtype=bool)  # s[p] must differ from s[p-1]
    for i in np.flatnonzero((lags > 0) & (lags != n)):
        differ[_distinct_from_previous(i, lags[i], n)] = True
    codes = np.full(size, -1, dtype=int)
    for i in range(size):
        if lags[i]:
            value = codes[i - lags[i]]
            if differ[i] and value == codes[i - 1]:
                return None
            codes[i] = value
            continue
        banned = {codes[i - lag] for lag in (n - 1, n, n + 1) if lag >= 1 and i - lag >= 0}
        if differ[i]:
            banned.add(codes[i - 1])
        nxt = i + 1
        if nxt < size and lags[nxt] and differ[nxt] and nxt - lags[nxt] < i:
            banned.add(codes[nxt - lags[nxt]])  # so that the fixed copy at i+1 differs from s[i]
        allowed = [c for c in range(alphabet) if c not in banned]
        if not allowed:
            return None
        codes[i] = allowed[rng.integers(len(allowed))]
    return codes
