"""Training dose: sessions and minutes done against the plan in the battery config.

The plan is the config's optional ``plan`` mapping: ``sessions_per_week``,
``minutes_per_session`` and ``weeks`` (MS cognitive-training trials typically
plan 2-5 sessions of 20-60 min a week for 5-12 weeks). Week 1 starts at the
participant's first training session; a session counts as done when its
status is ``complete``. Minutes trained are *active task time*: from the first
to the last trial of each scored block (:func:`active_seconds`), so
instructions, breaks and waits (such as the delay before delayed recall) do
not count; every training session counts, aborted ones included. A study's
assessment visits are not training: they are counted apart
(``visits_complete``) and left out of the dose (see docs/study.md).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cogtrain.session import END_OF_SESSION

PLAN_KEYS = ("sessions_per_week", "minutes_per_session", "weeks")
ADHERENCE_COLUMNS = [
    "participant", "sessions_started", "sessions_complete", "visits_complete", "minutes_trained", "first_date", "last_date",
    "weeks_elapsed", "planned_sessions_per_week", "planned_minutes_per_session", "planned_weeks",
    "planned_sessions", "planned_minutes", "sessions_pct_of_plan", "minutes_pct_of_plan",
    "sessions_due_by_last_date", "sessions_pct_of_due", "fatigue_mean",
]


def active_seconds(rows: pd.DataFrame) -> pd.DataFrame:
    """Active task time per session: the span from the first to the last trial of each block, summed.

    A block's span runs from its first trial's onset to its last trial's onset plus
    response time (the onset alone when there was no response). Time between blocks
    (instructions, breaks, waits) is not counted.

    Parameters
    ----------
    rows : pandas.DataFrame
        Scored trial rows of any tasks: participant, session, task, block, onset_s, rt_s.

    Returns
    -------
    pandas.DataFrame
        participant, session, active_s.

    Examples
    --------
    >>> rows = pd.DataFrame({"participant": "P", "session": 1, "task": "t", "block": [1, 1, 2, 2],
    ...                      "onset_s": [10.0, 12.0, 100.0, 103.0], "rt_s": [0.5, 1.0, None, 0.5]})
    >>> active_seconds(rows)["active_s"].tolist()
    [6.5]
    """
    keys = ["participant", "session", "task", "block"]
    ends = rows["onset_s"] + rows["rt_s"].fillna(0.0)
    spans = rows[keys].assign(start=rows["onset_s"], end=ends).groupby(keys).agg(start=("start", "min"),
                                                                                end=("end", "max"))
    spans = (spans["end"] - spans["start"]).clip(lower=0).rename("active_s").reset_index()
    return spans.groupby(["participant", "session"], as_index=False)["active_s"].sum()


def session_table(sessions: pd.DataFrame, active: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per session: date, status, minutes, active minutes, flags and fatigue ratings.

    Parameters
    ----------
    sessions : pandas.DataFrame
        Sessions as read (see :func:`cogtrain.scoring.sessionmeta.read_sessions`).
    active : pandas.DataFrame, optional
        Active task seconds per session (:func:`active_seconds`); sessions without
        any, or without a (possible) start date, get an empty ``active_minutes``.

    Returns
    -------
    pandas.DataFrame
        participant, session, battery, visit (an assessment visit's name, else empty), started,
        ended, status, runs, flags, minutes (in the
        session, waits included), active_minutes, week, fatigue_mean, fatigue_max,
        fatigue_last, fatigue_ratings (text such as ``"after <task>: 3; end of session: 5"``).
    """
    out = sessions[["participant", "session", "battery", "visit", "started", "ended", "status", "runs",
                    "flags"]].copy()
    out["minutes"] = sessions["duration_s"] / 60.0
    if active is None:
        active = pd.DataFrame(columns=["participant", "session", "active_s"])
    active_s = out[["participant", "session"]].merge(active, on=["participant", "session"], how="left")["active_s"]
    out["active_minutes"] = pd.to_numeric(active_s, errors="coerce").to_numpy() / 60.0
    # a session whose date is unknown or impossible is left out of the dose, its task time included
    out.loc[out["started"].isna(), "active_minutes"] = math.nan
    first = sessions.groupby("participant")["started"].transform("min")
    out["week"] = np.floor((sessions["started"] - first).dt.total_seconds() / (7 * 86400)) + 1
    ratings = sessions["fatigue"].map(_ratings)
    out["fatigue_mean"] = ratings.map(lambda r: math.fsum(r) / len(r) if r else math.nan)
    out["fatigue_max"] = ratings.map(lambda r: max(r) if r else math.nan)
    out["fatigue_last"] = ratings.map(lambda r: r[-1] if r else math.nan)
    out["fatigue_ratings"] = sessions["fatigue"].map(_describe_fatigue)
    return out


def adherence(sessions: pd.DataFrame, active: pd.DataFrame | None = None) -> pd.DataFrame:
    """Summarise each participant's training dose against their plan.

    ``sessions_due_by_last_date`` = planned sessions per week × weeks elapsed
    (whole weeks from the first to the last session date, counting the
    current one), capped at the planned total.

    Parameters
    ----------
    sessions : pandas.DataFrame
        Sessions as read (its ``plan`` column holds each session's plan).
    active : pandas.DataFrame, optional
        Active task seconds per session (:func:`active_seconds`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ADHERENCE_COLUMNS`, one row per participant; planned
        values are empty when no session of the participant has a plan.
    """
    table = session_table(training_sessions(sessions), active).assign(complete=lambda t: t["status"] == "complete")
    grouped = table.groupby("participant", sort=True)
    dates = grouped["started"].agg(["min", "max"])
    visits = completed_visits(sessions).groupby("participant").size()
    out = pd.DataFrame({
        "sessions_started": grouped.size(),
        "sessions_complete": grouped["complete"].sum().astype(int),
        "minutes_trained": grouped["active_minutes"].sum(min_count=1),
        "first_date": dates["min"].dt.strftime("%Y-%m-%d"),
        "last_date": dates["max"].dt.strftime("%Y-%m-%d"),
        "weeks_elapsed": grouped["week"].max(),
        "fatigue_mean": grouped["fatigue_mean"].mean(),
    }).reindex(sorted(sessions["participant"].unique()))
    out = out.fillna({"sessions_started": 0, "sessions_complete": 0, "first_date": "", "last_date": ""})
    out = out.astype({"sessions_started": int, "sessions_complete": int})
    out["visits_complete"] = visits.reindex(out.index).fillna(0).astype(int)
    out = out.join(_latest_plans(sessions)).rename_axis("participant").reset_index()
    return _add_plan_ratios(out)[ADHERENCE_COLUMNS]


def training_sessions(sessions: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``sessions`` that are training, not a study's assessment visit."""
    return sessions[sessions["visit"] == ""]


def completed_visits(sessions: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``sessions`` that are a study's assessment visit, completed."""
    return sessions[(sessions["visit"] != "") & (sessions["status"] == "complete")]


def _add_plan_ratios(out: pd.DataFrame) -> pd.DataFrame:
    # A plan of 0 (or less) is no plan: its percentages are empty, never infinite.
    per_week, minutes, weeks = (_positive(out[f"planned_{key}"]) for key in PLAN_KEYS)
    out["planned_sessions"] = per_week * weeks
    out["planned_minutes"] = out["planned_sessions"] * minutes
    out["sessions_pct_of_plan"] = 100 * out["sessions_complete"] / out["planned_sessions"]
    out["minutes_pct_of_plan"] = 100 * out["minutes_trained"] / out["planned_minutes"]
    due = np.minimum(per_week * out["weeks_elapsed"], out["planned_sessions"])
    out["sessions_due_by_last_date"] = due
    out["sessions_pct_of_due"] = 100 * out["sessions_complete"] / _positive(due)
    return out


def _positive(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.where((numbers > 0) & np.isfinite(numbers))


def _latest_plans(sessions: pd.DataFrame) -> pd.DataFrame:
    """planned_<key> columns from the plan of each participant's latest session that has one."""
    with_plan = sessions[sessions["plan"].map(lambda p: isinstance(p, dict))].sort_values("session")
    latest = with_plan.groupby("participant")["plan"].last()
    plans = pd.DataFrame(latest.tolist(), index=latest.index).reindex(columns=list(PLAN_KEYS))
    plans = plans.apply(pd.to_numeric, errors="coerce")
    return plans.add_prefix("planned_")


def _ratings(fatigue: list[dict]) -> list[float]:
    return [float(f["rating"]) for f in fatigue if isinstance(f.get("rating"), (int, float))]


def _describe_fatigue(fatigue: list[dict]) -> str:
    return "; ".join(f"{_when_rated(f.get('after_task'))}: {f['rating']:g}" for f in fatigue
                     if isinstance(f.get("rating"), (int, float)))


def _when_rated(after_task: object) -> str:
    return "end of session" if after_task == END_OF_SESSION else f"after {after_task or '?'}"


def sessions_due(first: pd.Timestamp, per_week: float, planned: float, as_of: pd.Timestamp) -> int:
    """Sessions of a plan due by ``as_of``: the first on its day, then ``per_week`` a week, up to ``planned``.

    Examples
    --------
    >>> first = pd.Timestamp("2026-01-05", tz="UTC")
    >>> [sessions_due(first, 3, 24, first + pd.Timedelta(days=d)) for d in (0, 2, 3, 7, 365)]
    [1, 1, 2, 4, 24]
    """
    days = max((as_of - first).total_seconds() / 86400, 0.0)
    return int(min(planned, math.floor(per_week * days / 7 + 1e-9) + 1))
