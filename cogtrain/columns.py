"""Columns every trial log has, declared like a task's own columns (docs/data-format.md).

A task declares its own columns (:class:`cogtrain.task.Column` in its ``TaskSpec``);
:func:`column_info` finds the declaration of any column of a task's log.
"""
from __future__ import annotations

from cogtrain.task import Column, TaskSpec

#: Levels of a 0/1 column.
BINARY = {"0": "no", "1": "yes"}

#: The columns :data:`cogtrain.triallog.COMMON_COLUMNS` of every trial log, in that order.
COMMON: tuple[Column, ...] = (
    Column("participant", "Participant", "Participant ID (without the sub- prefix)."),
    Column("session", "Session", "Training session number (1 = first session)."),
    Column("task", "Task", "Name of the cogtrain task that wrote the row."),
    Column("block", "Block", "Block number within the session; practice blocks are 0."),
    Column("trial", "Trial", "Trial number within the block, from 1."),
    Column("onset_s", "Onset", "Trial onset from the start of the session.", "s"),
    Column("rt_s", "Response time", "Time from onset to the response; empty without a response.", "s"),
    Column("response", "Response", "The participant's response as logged by the task."),
    Column("correct", "Correct", "Whether the response was correct.",
           levels={"0": "incorrect", "1": "correct"}),
    Column("run", "Start of the session", "1 for rows written when the session was started, 2, 3, ... for "
           "rows written after each resume of the session."),
    Column("practice", "Practice", "Practice rows are not scored.",
           levels={"0": "scored trial", "1": "practice trial"}),
)

#: Columns exports add to a trial log.
EXPORTED: tuple[Column, ...] = (
    Column("superseded", "Superseded", "1 when the block was run again after a resume (a later run has this "
           "block); such rows are not scored.", levels=BINARY),
)


def column_info(spec: TaskSpec | None, name: str, task: str = "") -> Column:
    """Declaration of column ``name`` of a task's log.

    Parameters
    ----------
    spec : TaskSpec or None
        The task (None: a task this installation does not know).
    name : str
        Column name.
    task : str, optional
        Name of the task, for the description of an undeclared column.

    Returns
    -------
    Column
        The common, export or task declaration; for an undeclared column, one that
        says so (the unit ``s`` when the name ends in ``_s``).

    Examples
    --------
    >>> column_info(None, "rt_s").unit
    's'
    >>> column_info(None, "speed_s", "other").description
    "Column 'speed_s' of the other task's trial log (not declared by the task)."
    """
    for column in (*COMMON, *EXPORTED, *(spec.columns if spec else ())):
        if column.name == name:
            return column
    return Column(name, name.replace("_", " ").capitalize(),
                  f"Column {name!r} of the {task or 'unknown'} task's trial log (not declared by the task).",
                  "s" if name.endswith("_s") else "")
