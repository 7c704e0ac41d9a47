"""Change across sessions: first, last, gain, least-squares slope and RCI per metric."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cogtrain.scoring.reliable import ReferenceValues, rci_variant, reliable_change_index
from cogtrain.sessionkeys import sorted_groups

KEYS = ["participant", "task", "metric"]
SUMMARY_COLUMNS = KEYS + ["n_sessions", "first_session", "last_session", "first", "last", "gain", "slope",
                          "rci", "rci_variant", "reference_sd", "reliability", "practice_effect",
                          "rci_source"]


def summarise_change(scores: pd.DataFrame,
                     references: dict[str, dict[str, ReferenceValues]] | None = None) -> pd.DataFrame:
    """Summarise each participant's metrics across sessions.

    For each participant, task and metric (sessions with a missing value left
    out): ``n_sessions``; ``first``/``last``, the values at the lowest and
    highest session number; ``gain`` = last - first; ``slope``, the
    least-squares slope of value on session number (units per session; NaN
    with fewer than two sessions)::

        slope = (n Σxy - Σx Σy) / (n Σx² - (Σx)²)

    and ``rci``, the Reliable Change Index of last versus first when reference
    values are configured for ``"task.metric"`` (see
    :func:`cogtrain.scoring.reliable.reliable_change_index`), else empty.

    Parameters
    ----------
    scores : pandas.DataFrame
        Tidy session scores: participant, session, task, metric, value.
    references : dict, optional
        Participant → ``"task.metric"`` → reference values.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS`, one row per participant, task and metric.
    """
    df = scores.dropna(subset=["value"])
    if df.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    order, group = sorted_groups(df, KEYS, "session")
    x = df["session"].to_numpy(dtype=float)[order]
    y = df["value"].to_numpy(dtype=float)[order]
    grouped = pd.DataFrame({"x": x, "y": y, "xy": x * y, "xx": x * x}).groupby(group, sort=True)
    sums = grouped[["x", "y", "xy", "xx"]].sum()
    n = grouped.size().to_numpy(dtype=float)
    denominator = n * sums["xx"].to_numpy() - sums["x"].to_numpy() ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(denominator > 0,
                         (n * sums["xy"].to_numpy() - sums["x"].to_numpy() * sums["y"].to_numpy())
                         / denominator, np.nan)
    ends = grouped.agg(first_session=("x", "first"), last_session=("x", "last"),
                       first=("y", "first"), last=("y", "last"))
    first_rows = order[np.flatnonzero(np.diff(group, prepend=-1))]
    out = pd.concat([df[KEYS].take(first_rows).reset_index(drop=True), ends.reset_index(drop=True)], axis=1)
    out.insert(3, "n_sessions", n.astype(int))
    out["gain"] = out["last"] - out["first"]
    out["slope"] = slope
    out[["first_session", "last_session"]] = out[["first_session", "last_session"]].astype(int)
    return _add_rci(out, references or {})[SUMMARY_COLUMNS]


def _add_rci(out: pd.DataFrame, references: dict[str, dict[str, ReferenceValues]]) -> pd.DataFrame:
    rows = [
        (p, t, m, ref.sd, ref.reliability, ref.practice_effect, rci_variant(ref), ref.source)
        for p, refs in references.items() for key, ref in refs.items()
        for t, m in [key.split(".", 1)]
    ]
    table = pd.DataFrame(rows, columns=KEYS + ["reference_sd", "reliability", "practice_effect",
                                               "rci_variant", "rci_source"])
    out = out.merge(table, on=KEYS, how="left")
    rci = reliable_change_index(out["first"], out["last"], out["reference_sd"], out["reliability"],
                                out["practice_effect"].astype(float).fillna(0.0))
    out["rci"] = np.where(out["n_sessions"] >= 2, rci, np.nan)
    return out
