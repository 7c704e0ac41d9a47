"""Integer session keys for trial rows, so that per-session scores group on numbers, not on text."""
from __future__ import annotations

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
