"""Choose the trial rows that count: the latest run of each block, practice left out."""
from __future__ import annotations

import pandas as pd

BLOCK_KEYS = ["participant", "session", "task", "block"]


def latest_runs(df: pd.DataFrame) -> pd.Series:
    """Mark rows of the last run that has their block.

    When a session is resumed (``--resume``), the unfinished block is run again
    with a higher ``run``; its earlier rows are superseded. For each
    (participant, session, task, block) only rows of the highest ``run`` that
    has that block are kept.

    Parameters
    ----------
    df : pandas.DataFrame
        Trial rows with participant, session, task, block and run.

    Returns
    -------
    pandas.Series of bool
        True for rows that are not superseded.
    """
    run = df["run"]
    if run.notna().all() and run.min() == run.max():  # one run: no session was resumed, nothing superseded
        return pd.Series(True, index=df.index)
    latest = df.groupby(BLOCK_KEYS, sort=False, dropna=False)["run"].transform("max")
    return run == latest


def scored_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Return the rows that are scored: not superseded and not practice.

    Parameters
    ----------
    df : pandas.DataFrame
        Trial rows as read (``run`` and ``practice`` numeric).

    Returns
    -------
    pandas.DataFrame
        The selected rows, index reset.
    """
    keep = latest_runs(df) & (df["practice"] != 1)
    return df.loc[keep].reset_index(drop=True)


def mark_superseded(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``superseded`` (1 for rows of a block re-run later, else 0), as exports write it.

    Parameters
    ----------
    df : pandas.DataFrame
        Trial rows as read.

    Returns
    -------
    pandas.DataFrame
        A copy with the ``superseded`` column.
    """
    return df.assign(superseded=(~latest_runs(df)).astype(int))
