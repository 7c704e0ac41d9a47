"""Domain composites: mean z-score of a domain's metrics against the participant's first session.

Definition (per participant p, session s, domain d)::

    z[p, s, m] = sign[m] * (x[p, s, m] - x[p, s0, m]) / sd[p, m]
    composite[p, s, d] = mean of z[p, s, m] over the metrics m of domain d with a value

``s0`` is the participant's first session with a value of metric m, so every
composite starts at 0 and rises when performance improves. ``sign`` is +1 when
higher is better and -1 when lower is better (e.g. reaction times, excess
moves). The metrics are those a task declares with ``composite=True``
(:class:`cogtrain.task.Metric`), their sign its direction. ``sd`` is a stated
between-person reference SD, never the participant's own sessions (three
sessions' SD turns 57 ms into 1.8 z): the reference SD of the metric from the
battery's ``reliable_change`` settings when given, else the study's baseline SD,
the SD (ddof=1) of the first-session values of all participants scored together,
when at least :data:`MIN_BASELINE_PARTICIPANTS` have one and most of them differ
(an adaptive level that every participant starts at is set by the battery, not
measured). Metrics with neither are left out of the composite. The domain of a metric is its own ``domain``
when declared, else its task's ``TaskSpec.domain``.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from cogtrain.scoring.reliable import ReferenceValues
from cogtrain.sessionkeys import sorted_groups
from cogtrain.task import TaskSpec

#: Fewest participants whose first sessions give a study baseline SD.
MIN_BASELINE_PARTICIPANTS = 5
#: Largest share of participants with the same first-session value for a study baseline SD: beyond it
#: the value is the battery's start level rather than a difference between people, and its tiny SD
#: would turn a few levels of training into tens of z.
MAX_SAME_BASELINE = 0.5
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
        Participant → ``"task.metric"`` → reference values (their ``sd`` is used first).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPONENT_COLUMNS`, one row per participant, session and metric.
    """
    df = scores.astype({"task": str, "metric": str}).merge(composite_metrics(tasks), on=["task", "metric"])
    df = df.assign(key=df["task"] + "." + df["metric"]).dropna(subset=["value"])
    if df.empty:
        return pd.DataFrame(columns=COMPONENT_COLUMNS)
    order, group = sorted_groups(df, ["participant", "key"], "session")
    df = df.take(order).reset_index(drop=True)
    first = np.flatnonzero(np.diff(group, prepend=-1))  # each participant's first session of each metric
    df["baseline"] = df["value"].to_numpy()[first][group]
    baselines = df["baseline"].iloc[first].groupby(df["key"].iloc[first])
    set_by_battery = baselines.agg(lambda v: v.round(9).value_counts().iloc[0] / len(v)) > MAX_SAME_BASELINE
    study_sd = baselines.std().where((baselines.size() >= MIN_BASELINE_PARTICIPANTS) & ~set_by_battery)
    reference = pd.DataFrame([(p, k, ref.sd) for p, refs in (references or {}).items() for k, ref in refs.items()],
                             columns=["participant", "key", "ref_sd"])
    df = df.merge(reference, on=["participant", "key"], how="left").set_axis(df.index)
    ref_sd = df["ref_sd"].astype(float)
    df["sd"] = ref_sd.fillna(df["key"].map(study_sd))
    df["sd_source"] = np.where(ref_sd.notna(), "reference", "study_baseline")
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
