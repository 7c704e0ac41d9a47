"""Per-session n-back scores from trial logs (no psychopy).

Every function takes the rows of any number of sessions (``nback.csv`` files
concatenated) and returns a tidy DataFrame. Practice rows are left out when a
``practice`` column is present. Signal-detection scores pool every decision of
the session: each trial is one decision per modality of its block.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cogtrain.sdt import dprime_criterion
from cogtrain.sessionkeys import KEYS, session_ids, with_keys

from .config import MODALITIES

TASK = "nback"

METRIC_NAMES: tuple[str, ...] = (
    "mean_n_level", "max_n_level", "hit_rate", "fa_rate", "dprime", "criterion",
    "accuracy", "mean_rt_hits_s",
)


def _scored(df: pd.DataFrame) -> pd.DataFrame:
    """Rows that count for scores (practice rows dropped)."""
    if "practice" in df:
        scored = pd.to_numeric(df["practice"], errors="coerce").fillna(0) == 0
        return df if scored.all() else df[scored]
    return df


def _numbers(df: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)


def decisions(df: pd.DataFrame, ids: np.ndarray) -> dict[str, np.ndarray]:
    """One entry per trial and modality: id (the row's session number), is_target, responded, rt_s.

    Modalities whose columns are absent or empty on a row (single mode) are skipped;
    the decisions of the first modality come first, each in the order of ``df``.
    """
    parts = []
    for m in MODALITIES:
        if f"{m}_is_target" in df:
            target, responded = _numbers(df, f"{m}_is_target"), _numbers(df, f"{m}_responded")
            made = ~(np.isnan(target) | np.isnan(responded))
            parts.append({"id": ids[made], "is_target": target[made] != 0, "responded": responded[made] != 0,
                          "rt_s": _numbers(df, f"{m}_rt_s")[made]})
    return {name: np.concatenate([p[name] for p in parts]) if parts else np.array([])
            for name in ("id", "is_target", "responded", "rt_s")}


def _block_levels(df: pd.DataFrame, ids: np.ndarray) -> pd.Series:
    """The n of each block: ``n_level`` indexed by session number and block."""
    return (pd.Series(_numbers(df, "n_level"))
            .groupby([ids, df["block"].to_numpy()], sort=True).first().rename_axis(["id", "block"]))


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
    df, ids, keys = session_ids(_scored(df))
    d = decisions(df, ids)
    if not len(d["id"]):
        return pd.DataFrame(columns=KEYS + list(METRIC_NAMES))
    hit = d["is_target"] & d["responded"]

    def count(selected: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(d["id"] if selected is None else d["id"][selected], minlength=len(keys))

    n = count()
    made = np.flatnonzero(n)
    t = pd.DataFrame({
        "targets": count(d["is_target"]), "hits": count(hit), "fas": count(~d["is_target"] & d["responded"]),
        "decisions": n, "correct": count(d["is_target"] == d["responded"]),
    }).iloc[made]
    t["accuracy"] = t["correct"] / t["decisions"]
    t["mean_rt_hits_s"] = pd.Series(d["rt_s"][hit]).groupby(d["id"][hit]).mean()
    t["nontargets"] = t["decisions"] - t["targets"]
    t["hit_rate"] = t["hits"] / t["targets"].where(t["targets"] > 0)
    t["fa_rate"] = t["fas"] / t["nontargets"].where(t["nontargets"] > 0)
    t["dprime"], t["criterion"] = dprime_criterion(t["hits"], t["targets"], t["fas"], t["nontargets"])
    levels = _block_levels(df, ids).groupby(level="id")
    t["mean_n_level"] = levels.mean()
    t["max_n_level"] = levels.max()
    return with_keys(keys, made, **{name: t[name].to_numpy() for name in METRIC_NAMES})


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
    values = wide[list(METRIC_NAMES)].to_numpy(dtype=float)
    long = with_keys(wide[KEYS], np.repeat(np.arange(len(wide)), len(METRIC_NAMES)), task=TASK,
                     metric=np.tile(np.array(METRIC_NAMES, dtype=object), len(wide)), value=values.ravel())
    return long.astype({"task": "str", "metric": "str"})


def curves(df: pd.DataFrame) -> pd.DataFrame:
    """n level by block: ``participant, session, task, curve="n_level", x=block, value=n``."""
    df, ids, keys = session_ids(_scored(df))
    cols = KEYS + ["task", "curve", "x", "value"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    levels = _block_levels(df, ids)
    return with_keys(keys, levels.index.get_level_values("id").to_numpy(), task=TASK, curve="n_level",
                     x=levels.index.get_level_values("block").to_numpy(), value=levels.to_numpy(dtype=float))
