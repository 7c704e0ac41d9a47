"""Integer session keys for trial rows, so that per-session scores group on numbers, not on text."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

KEYS = ["participant", "session"]


def session_ids(df: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Number each row's (participant, session), in the order of a sort by participant then session.

    Grouping on these numbers gives the groups of ``df.groupby(["participant", "session"])``,
    in the same order, without hashing the participant's text again for every table.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows with ``participant`` and ``session``.

    Returns
    -------
    rows : pandas.DataFrame
        ``df`` without the rows that lack a participant or a session (as a groupby leaves them out).
    ids : numpy.ndarray
        The session number of each of ``rows`` (int64, 0 .. number of sessions − 1).
    keys : pandas.DataFrame
        ``participant, session`` of each number: row ``i`` holds the keys of number ``i``.

    Examples
    --------
    >>> rows, ids, keys = session_ids(pd.DataFrame({"participant": ["B", "A", "B"], "session": [2, 5, 1]}))
    >>> ids.tolist(), keys.values.tolist()
    ([2, 0, 1], [['A', 5], ['B', 1], ['B', 2]])
    """
    participant, participants = pd.factorize(df["participant"], sort=True)
    session, sessions = pd.factorize(df["session"], sort=True)
    known = (participant >= 0) & (session >= 0)
    if not known.all():
        df, participant, session = df[known], participant[known], session[known]
    pair = participant.astype(np.int64) * len(sessions) + session
    if len(pair) and (pair[1:] >= pair[:-1]).all():  # sorted by participant and session, as the rows are read
        starts = np.ones(len(pair), dtype=bool)
        starts[1:] = pair[1:] != pair[:-1]
        ids, pairs = np.cumsum(starts) - 1, pair[starts]
    else:
        ids, pairs = pd.factorize(pair, sort=True)
    keys = pd.DataFrame({"participant": participants.take(pairs // len(sessions)),
                         "session": sessions.take(pairs % len(sessions))})
    return df, ids.astype(np.int64, copy=False), keys


def with_keys(keys: pd.DataFrame, ids: np.ndarray, **columns) -> pd.DataFrame:
    """``participant, session`` of session numbers ``ids``, then ``columns``, as a new frame."""
    out = keys.take(ids).reset_index(drop=True)
    for name, values in columns.items():
        out[name] = values
    return out


def sort_codes(values: pd.Series) -> np.ndarray:
    """Integer codes that sort as ``values`` sort (missing values last)."""
    codes, uniques = pd.factorize(values, sort=True)
    return np.where(codes >= 0, codes, len(uniques))


def lex_order(keys: list[np.ndarray]) -> np.ndarray:
    """Row positions of a stable sort by integer arrays, the first array first (``np.lexsort`` of them reversed).

    When their ranges allow, the keys are combined into one 64-bit number: one sort instead of one per key.

    Examples
    --------
    >>> lex_order([np.array([2, 1, 2, 1]), np.array([0, 5, -3, 5])]).tolist()
    [1, 3, 2, 0]
    """
    if not len(keys[0]):
        return np.arange(0)
    shifted = [np.asarray(k, dtype=np.int64) - np.min(k) for k in keys]
    sizes = [int(k.max()) + 1 for k in shifted]
    if math.prod(sizes) >= 2 ** 63:
        return np.lexsort(keys[::-1])
    combined = shifted[0]
    for key, size in zip(shifted[1:], sizes[1:]):
        combined = combined * size + key
    if (combined[1:] >= combined[:-1]).all():  # already in order, as rows are read
        return np.arange(len(combined))
    return np.argsort(combined, kind="stable")


def stable_order(df: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Row positions of ``df.sort_values(columns, kind="stable")``, comparing each column's text once.

    Examples
    --------
    >>> stable_order(pd.DataFrame({"m": ["b", "a", "b"], "s": [2, 9, 1]}), ["m", "s"]).tolist()
    [1, 2, 0]
    """
    return lex_order([sort_codes(df[c]) for c in columns]) if columns else np.arange(len(df))


def sorted_groups(df: pd.DataFrame, keys: list[str], then: str) -> tuple[np.ndarray, np.ndarray]:
    """The order of a stable sort of ``df`` by ``keys`` then ``then``, and the group number of each sorted row.

    Group numbers count the distinct ``keys`` in sorted order, as ``groupby(keys, sort=True)``
    numbers its groups.

    Examples
    --------
    >>> order, group = sorted_groups(pd.DataFrame({"m": ["b", "a", "b"], "s": [2, 9, 1]}), ["m"], "s")
    >>> order.tolist(), group.tolist()
    ([1, 2, 0], [0, 1, 1])
    """
    codes = [sort_codes(df[k]) for k in keys]
    order = lex_order(codes + [sort_codes(df[then])])
    starts = np.zeros(len(order), dtype=bool)
    starts[:1] = True
    for c in codes:
        c = c[order]
        starts[1:] |= c[1:] != c[:-1]
    return order, np.cumsum(starts) - 1
