"""Per-session n-back scores from trial logs (no psychopy).

Every function takes the rows of any number of sessions (``nback.csv`` files
concatenated) and returns a tidy DataFrame. Practice rows are left out when a
``practice`` column is present. Signal-detection scores pool every decision of
the session: each trial is one decision per modality of its block.
"""
from __future__ import annotations

import pandas as pd
from cogtrain.sdt import dprime_criterion

from .config import MODALITIES

KEYS = ["participant", "session"]
TASK = "nback"

METRIC_NAMES: tuple[str, ...] = (
    "mean_n_level", "max_n_level", "hit_rate", "fa_rate", "dprime", "criterion",
    "accuracy", "mean_rt_hits_s",
)


def _scored(df: pd.DataFrame) -> pd.DataFrame:
    """Rows that count for scores (practice rows dropped)."""
    if "practice" in df:
        return df[pd.to_numeric(df["practice"], errors="coerce").fillna(0) == 0]
    return df


def decisions(df: pd.DataFrame) -> pd.DataFrame:
    """One row per trial and modality: participant, session, block, is_target, responded, rt_s, correct.

    Modalities whose columns are absent or empty on a row (single mode) are skipped.
    """
    df = _scored(df)
    parts = []
    for m in MODALITIES:
        if f"{m}_is_target" not in df:
            continue
        part = pd.DataFrame({
            "participant": df["participant"].to_numpy(),
            "session": df["session"].to_numpy(),
            "block": df["block"].to_numpy(),
            "modality": m,
            "is_target": pd.to_numeric(df[f"{m}_is_target"], errors="coerce").to_numpy(),
            "responded": pd.to_numeric(df[f"{m}_responded"], errors="coerce").to_numpy(),
            "rt_s": pd.to_numeric(df[f"{m}_rt_s"], errors="coerce").to_numpy(),
        })
        parts.append(part.dropna(subset=["is_target", "responded"]))
    if not parts:
        return pd.DataFrame(columns=KEYS + ["block", "modality", "is_target", "responded", "rt_s", "correct"])
    out = pd.concat(parts, ignore_index=True)
    out["is_target"] = out["is_target"].astype(bool)
    out["responded"] = out["responded"].astype(bool)
    out["correct"] = out["is_target"] == out["responded"]
    return out


def _block_levels(df: pd.DataFrame) -> pd.Series:
    """The n of each block: ``n_level`` indexed by participant, session and block."""
    return (df.assign(n_level=pd.to_numeric(df["n_level"], errors="coerce"))
              .groupby(KEYS + ["block"], sort=True)["n_level"].first())


def metrics_wide(df: pd.DataFrame) -> pd.DataFrame:
    """Wide table of every metric, one row per participant and session.

    Parameters
    ----------
    df : DataFrame
        Rows of ``nback.csv`` from one or more sessions.

    Returns
    -------
    DataFrame
        ``participant, session`` and one column per name in :data:`METRIC_NAMES`.
        ``hit_rate`` and ``fa_rate`` are the raw proportions; ``dprime`` and
        ``criterion`` use :func:`cogtrain.sdt.dprime_criterion`; ``mean_rt_hits_s`` is NaN
        for a session without hits.
    """
    df = _scored(df)
    d = decisions(df)
    if d.empty:
        return pd.DataFrame(columns=KEYS + list(METRIC_NAMES))
    d["hit"] = d["is_target"] & d["responded"]
    d["fa"] = ~d["is_target"] & d["responded"]
    d["hit_rt"] = d["rt_s"].where(d["hit"])
    g = d.groupby(KEYS, sort=True)
    t = pd.DataFrame({
        "targets": g["is_target"].sum(),
        "hits": g["hit"].sum(),
        "fas": g["fa"].sum(),
        "decisions": g.size(),
        "accuracy": g["correct"].mean(),
        "mean_rt_hits_s": g["hit_rt"].mean(),
    })
    t["nontargets"] = t["decisions"] - t["targets"]
    t["hit_rate"] = t["hits"] / t["targets"].where(t["targets"] > 0)
    t["fa_rate"] = t["fas"] / t["nontargets"].where(t["nontargets"] > 0)
    t["dprime"], t["criterion"] = dprime_criterion(t["hits"], t["targets"], t["fas"], t["nontargets"])
    levels = _block_levels(df).groupby(level=KEYS)
    t["mean_n_level"] = levels.mean()
    t["max_n_level"] = levels.max()
    return t.reset_index()[KEYS + list(METRIC_NAMES)]


def metrics(df: pd.DataFrame) -> pd.DataFrame:
    """Tidy per-session metrics: ``participant, session, task, metric, value``.

    Examples
    --------
    >>> rows = pd.DataFrame({"participant": "P1", "session": 1, "block": [1, 1, 2, 2],
    ...     "n_level": [2, 2, 3, 3], "letter_is_target": [1, 0, 1, 0],
    ...     "letter_responded": [1, 0, 0, 1], "letter_rt_s": [0.5, None, None, 0.7]})
    >>> m = metrics(rows).set_index("metric")["value"]
    >>> float(m["mean_n_level"]), float(m["hit_rate"]), float(m["accuracy"]), float(m["mean_rt_hits_s"])
    (2.5, 0.5, 0.5, 0.5)
    """
    wide = metrics_wide(df)
    long = wide.melt(id_vars=KEYS, value_vars=list(METRIC_NAMES), var_name="metric", value_name="value")
    long.insert(2, "task", TASK)
    order = {name: i for i, name in enumerate(METRIC_NAMES)}
    long = long.sort_values(KEYS + ["metric"], key=lambda s: s.map(order) if s.name == "metric" else s)
    long["value"] = long["value"].astype(float)
    return long.reset_index(drop=True)[KEYS + ["task", "metric", "value"]]


def curves(df: pd.DataFrame) -> pd.DataFrame:
    """n level by block: ``participant, session, task, curve="n_level", x=block, value=n``."""
    df = _scored(df)
    cols = KEYS + ["task", "curve", "x", "value"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    out = _block_levels(df).reset_index().rename(columns={"block": "x", "n_level": "value"})
    out["task"] = TASK
    out["curve"] = "n_level"
    out["value"] = out["value"].astype(float)
    return out[cols]
