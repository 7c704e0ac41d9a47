"""Per-session scores of the tower task, vectorised over every participant and session.

Scores use planning problems (``problem_type == "plan"``, or every row when
the column is absent) outside practice:

- ``problems``: number of problems; ``mean_min_moves``: their mean difficulty.
- ``prop_solved``: proportion solved (goal reached); ``prop_min_moves``:
  proportion solved in the minimum number of moves.
- ``mean_excess_moves``: moves beyond the minimum, over solved problems.
- ``mean_planning_time_s``: time from the problem's onset to the first move
  (pick-up of the first piece), over problems with a move.
- ``mean_execution_time_s``: first move to the end, over solved problems.
- ``rule_violations``: attempted illegal moves (sum).
- ``max_min_moves``: hardest problem solved (its minimum moves).

Totals in the style of the Tower of London-Drexel University (TOL-DX; Culbertson
& Zillmer, 2001, Multi-Health Systems), summed over the session's problems:
``total_move_score`` (moves beyond the minimum, unsolved problems counting the
moves they took; the manual's cap for unfinished problems is not applied),
``total_correct`` (solved in the minimum), ``total_initiation_time_s``,
``total_execution_time_s``, ``total_problem_solving_time_s`` (onset to end) and
``time_violations`` (problems ended by the time limit).

Sessions with yoked motor problems also get, after Owen et al. (1990,
Neuropsychologia 28, 1021-1034): ``mean_motor_planning_time_s``,
``mean_motor_execution_time_s``, ``initial_thinking_time_s`` (planning minus
motor first-move latency) and ``subsequent_thinking_time_s`` (execution minus
motor execution), differences of session means.
"""
from __future__ import annotations

import pandas as pd

KEYS = ["participant", "session"]

#: Metrics reported for every session.
METRIC_NAMES: tuple[str, ...] = (
    "problems", "mean_min_moves", "prop_solved", "prop_min_moves", "mean_excess_moves",
    "mean_planning_time_s", "mean_execution_time_s", "rule_violations", "max_min_moves",
    "total_move_score", "total_correct", "total_initiation_time_s", "total_execution_time_s",
    "total_problem_solving_time_s", "time_violations",
)

TASK = "tower"


def _scored(df: pd.DataFrame, problem_type: str) -> pd.DataFrame:
    """Rows of one problem type, practice left out."""
    keep = pd.Series(True, index=df.index)
    if "practice" in df:
        keep &= df["practice"].fillna(0).astype(int) == 0
    if "problem_type" in df:
        keep &= df["problem_type"].fillna("plan") == problem_type
    elif problem_type != "plan":
        keep &= False
    return df if keep.all() else df[keep]


def _per_problem(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per problem with the quantities the session scores aggregate."""
    solved = rows["solved"].fillna(0).astype(bool)
    moves, minimum = rows["moves"].astype(float), rows["min_moves"].astype(float)
    end_reason = rows["end_reason"] if "end_reason" in rows else pd.Series("", index=rows.index)
    return pd.DataFrame({
        "participant": rows["participant"], "session": rows["session"],
        "min_moves": minimum,
        "solved": solved.astype(float),
        "in_min": (solved & (moves == minimum)).astype(float),
        "excess": (moves - minimum).where(solved),
        "move_score": (moves - minimum).clip(lower=0),
        "planning": rows["planning_time_s"].astype(float),
        "execution": rows["execution_time_s"].astype(float),
        "execution_solved": rows["execution_time_s"].astype(float).where(solved),
        "total_time": rows["total_time_s"].astype(float) if "total_time_s" in rows
        else rows["planning_time_s"].astype(float).fillna(0) + rows["execution_time_s"].astype(float).fillna(0),
        "violations": rows["rule_violations"].fillna(0).astype(float),
        "min_solved": minimum.where(solved),
        "time_violation": (end_reason == "time_limit").astype(float),
    })


def _long(wide: pd.DataFrame) -> pd.DataFrame:
    out = wide.reset_index().melt(id_vars=KEYS, var_name="metric", value_name="value")
    out.insert(2, "task", TASK)
    return out


def metrics(df: pd.DataFrame) -> pd.DataFrame:
    """Session scores of the tower task.

    Parameters
    ----------
    df : DataFrame
        Tower log rows of any number of participants and sessions, as read by
        ``pandas.read_csv`` (booleans as 0/1).

    Returns
    -------
    DataFrame
        Columns ``participant, session, task, metric, value``.

    Examples
    --------
    >>> rows = pd.DataFrame({"participant": "P1", "session": 1, "min_moves": [3, 4],
    ...     "moves": [3, 6], "solved": [1, 1], "planning_time_s": [2.0, 4.0],
    ...     "execution_time_s": [3.0, 5.0], "rule_violations": [0, 1]})
    >>> m = metrics(rows).set_index("metric")["value"]
    >>> float(m["prop_min_moves"]), float(m["mean_excess_moves"]), float(m["total_move_score"])
    (0.5, 1.0, 2.0)
    """
    g = _per_problem(_scored(df, "plan")).groupby(KEYS)
    wide = pd.DataFrame({
        "problems": g.size(),
        "mean_min_moves": g["min_moves"].mean(),
        "prop_solved": g["solved"].mean(),
        "prop_min_moves": g["in_min"].mean(),
        "mean_excess_moves": g["excess"].mean(),
        "mean_planning_time_s": g["planning"].mean(),
        "mean_execution_time_s": g["execution_solved"].mean(),
        "rule_violations": g["violations"].sum(),
        "max_min_moves": g["min_solved"].max(),
        "total_move_score": g["move_score"].sum(),
        "total_correct": g["in_min"].sum(),
        "total_initiation_time_s": g["planning"].sum(),
        "total_execution_time_s": g["execution"].sum(),
        "total_problem_solving_time_s": g["total_time"].sum(),
        "time_violations": g["time_violation"].sum(),
    }, columns=list(METRIC_NAMES))
    out = [_long(wide)]
    motor_rows = _scored(df, "motor")
    if len(motor_rows):
        m = _per_problem(motor_rows).groupby(KEYS)
        motor = pd.DataFrame({
            "mean_motor_planning_time_s": m["planning"].mean(),
            "mean_motor_execution_time_s": m["execution_solved"].mean(),
        })
        motor["initial_thinking_time_s"] = wide["mean_planning_time_s"] - motor["mean_motor_planning_time_s"]
        motor["subsequent_thinking_time_s"] = (wide["mean_execution_time_s"]
                                               - motor["mean_motor_execution_time_s"])
        out.append(_long(motor))
    return pd.concat(out, ignore_index=True)


def curves(df: pd.DataFrame) -> pd.DataFrame:
    """Curves of the tower task.

    - ``min_moves``: the difficulty (minimum moves) of each planning problem,
      x = problem number in the session (1, 2, ...), i.e. the staircase's track.
    - ``planning_time_s``: mean planning time, x = minimum moves.

    Returns
    -------
    DataFrame
        Columns ``participant, session, task, curve, x, value``.
    """
    rows = _scored(df, "plan")
    order = [c for c in ("block", "trial") if c in rows]
    rows = rows.sort_values(KEYS + order, kind="stable")
    track = rows[KEYS].assign(curve="min_moves", x=rows.groupby(KEYS).cumcount() + 1,
                              value=rows["min_moves"].astype(float))
    planning = (rows.groupby(KEYS + ["min_moves"])["planning_time_s"].mean().rename("value")
                .reset_index().rename(columns={"min_moves": "x"}).assign(curve="planning_time_s"))
    out = pd.concat([track, planning], ignore_index=True)
    out.insert(2, "task", TASK)
    return out[["participant", "session", "task", "curve", "x", "value"]]
