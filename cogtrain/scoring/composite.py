"""Domain composites: mean z-score of a domain's metrics against the participant's first session.

Definition (per participant p, session s, domain d)::

    z[p, s, m] = sign[m] * (x[p, s, m] - x[p, s0, m]) / sd[p, m]
    composite[p, s, d] = mean of z[p, s, m] over the metrics m of domain d with a value

``s0`` is the participant's first session with a value of metric m, so every
composite starts at 0 and rises when performance improves. ``sign`` is +1 when
higher is better and -1 when lower is better (e.g. reaction times, excess
moves). The metrics are those a task declares with ``composite=True``
(:class:`cogtrain.task.Metric`), their sign its direction. ``sd`` is the reference
SD of the metric from the battery's ``reliable_change`` settings when given
(so composites are in units of between-person SD, comparable across
participants); otherwise the SD of the participant's own values across
sessions (ddof=1), so the composite then reads as "own SDs from the start".
Metrics with no spread and no reference SD are left out. The domain of a
metric is its own ``domain`` when declared, else its task's ``TaskSpec.domain``.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from cogtrain.scoring.reliable import ReferenceValues
from cogtrain.task import TaskSpec

COMPONENT_COLUMNS = ["participant", "session", "domain", "task", "metric", "sign", "value", "baseline",
                     "sd", "sd_source", "z"]


def composite_metrics(tasks: Mapping[str, TaskSpec]) -> pd.DataFrame:
    """The metrics that enter a domain composite: task, metric, domain and sign (+1 or -1)."""
    rows = [(name, m.name, m.domain or spec.domain, m.sign)
            for name, spec in tasks.items() for m in spec.metrics if m.composite]
    return pd.DataFrame(rows, columns=["task", "metric", "domain", "sign"])


def composite_components(scores: pd.DataFrame, tasks: Mapping[str, TaskSpec],
                         references: dict[str, dict[str, ReferenceValues]] | None = None) -> pd.DataFrame:
    """z-score each composite metric against the participant's first session.

    Parameters
    ----------
    scores : pandas.DataFrame
        Tidy session scores: participant, session, task, metric, value.
    tasks : mapping of str to TaskSpec
        The tasks whose declared composite metrics are used.
    references : dict, optional
        Participant → ``"task.metric"`` → reference values (their ``sd`` is used).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPONENT_COLUMNS`, one row per participant, session and metric.
    """
    df = scores.astype({"task": str, "metric": str}).merge(composite_metrics(tasks), on=["task", "metric"])
    df = df.assign(key=df["task"] + "." + df["metric"]).dropna(subset=["value"])
    df = df.sort_values(["participant", "key", "session"], ignore_index=True)
    if df.empty:
        return pd.DataFrame(columns=COMPONENT_COLUMNS)
    by_metric = df.groupby(["participant", "key"])["value"]
    df["baseline"] = by_metric.transform("first")
    own_sd = by_metric.transform("std")
    reference = pd.DataFrame([(p, k, ref.sd) for p, refs in (references or {}).items() for k, ref in refs.items()],
                             columns=["participant", "key", "ref_sd"])
    df = df.merge(reference, on=["participant", "key"], how="left").set_axis(df.index)
    ref_sd = df["ref_sd"].astype(float)
    df["sd"] = ref_sd.fillna(own_sd)
    df["sd_source"] = np.where(ref_sd.notna(), "reference", "own_sessions")
    df = df[df["sd"] > 0]
    df["z"] = df["sign"] * (df["value"] - df["baseline"]) / df["sd"]
    df["sign"] = df["sign"].astype(int)
    return df[COMPONENT_COLUMNS].reset_index(drop=True)


def domain_composites(components: pd.DataFrame) -> pd.DataFrame:
    """Average the z-scores of each domain into tidy session scores.

    Parameters
    ----------
    components : pandas.DataFrame
        Output of :func:`composite_components`.

    Returns
    -------
    pandas.DataFrame
        participant, session, task (``"composite"``), metric (the domain), value.
    """
    out = components.groupby(["participant", "session", "domain"], as_index=False)["z"].mean()
    out = out.rename(columns={"domain": "metric", "z": "value"})
    out.insert(2, "task", "composite")
    return out[["participant", "session", "task", "metric", "value"]]
