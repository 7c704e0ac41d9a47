"""BIDS sidecar entries (LongName, Description, Units, Levels) of trial-log columns.

Every column is described from its declaration (:func:`cogtrain.columns.column_info`),
so every column of every exported TSV is described.
"""
from __future__ import annotations

from typing import Any

from cogtrain.columns import column_info
from cogtrain.task import TaskSpec


def describe_column(column: str, spec: TaskSpec | None, task: str) -> dict[str, Any]:
    """Sidecar entry of one column.

    Parameters
    ----------
    column : str
        Column name.
    spec : TaskSpec or None
        The task that wrote the log (None when unknown).
    task : str
        Name of that task (named in the description of an undeclared column).

    Returns
    -------
    dict
        LongName and Description, plus Units and Levels where declared.

    Examples
    --------
    >>> describe_column("correct", None, "other")["Levels"]
    {'0': 'incorrect', '1': 'correct'}
    """
    info = column_info(spec, column, task)
    entry: dict[str, Any] = {"LongName": info.label, "Description": info.description}
    if info.unit:
        entry["Units"] = info.unit
    if info.levels:
        entry["Levels"] = dict(info.levels)
    return entry
