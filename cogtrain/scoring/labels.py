"""How scores are named in reports and tables: read from the tasks' declarations.

A task declares its metrics and curves (:class:`cogtrain.task.Metric`,
:class:`cogtrain.task.Curve`); this module only adds what no task owns (the
domain composites) and a plain fallback for anything undeclared.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from cogtrain.task import Curve, Metric, TaskSpec

#: Value of the ``task`` column for domain composites (their ``metric`` is the domain).
COMPOSITE = "composite"


def domain_label(domain: str) -> str:
    """Display name of a cognitive domain.

    Examples
    --------
    >>> domain_label("working_memory")
    'Working memory'
    """
    return domain.replace("_", " ").capitalize()


def metric_info(tasks: Mapping[str, TaskSpec], task: str, metric: str) -> Metric:
    """Declaration of ``task``'s ``metric``; composites and undeclared metrics get a plain one.

    Examples
    --------
    >>> metric_info({}, "composite", "planning").label
    'Planning composite'
    >>> metric_info({}, "other", "mean_speed").direction
    'neither'
    """
    if task == COMPOSITE:
        return Metric(metric, f"{domain_label(metric)} composite", "z vs first session", "higher",
                      "Mean of the domain's z-scores against the first session.")
    spec = tasks.get(task)
    declared = spec.metric(metric) if spec else None
    return declared or Metric(metric, metric.replace("_", " "), "", "neither", "Not declared by the task.")


def curve_info(spec: TaskSpec, curve: str) -> Curve:
    """Declaration of one of ``spec``'s curves; an undeclared curve gets a plain one."""
    return spec.curve(curve) or Curve(curve, curve.replace("_", " "), "x", curve.replace("_", " "))


def metric_order(tasks: Mapping[str, TaskSpec]) -> dict[tuple[str, str], int]:
    """Rank of each declared ``(task, metric)``: tasks in registry order, metrics as declared."""
    keys = [(name, m.name) for name, spec in tasks.items() for m in spec.metrics]
    return {key: rank for rank, key in enumerate(keys)}


def with_direction(table: pd.DataFrame, tasks: Mapping[str, TaskSpec]) -> pd.DataFrame:
    """``table`` (with task and metric columns) plus ``direction``: which way each metric is better.

    Examples
    --------
    >>> with_direction(pd.DataFrame({"task": ["composite"], "metric": ["planning"]}), {})["direction"].tolist()
    ['higher']
    """
    pairs = table[["task", "metric"]].drop_duplicates()
    pairs["direction"] = [metric_info(tasks, t, m).direction for t, m in zip(pairs["task"], pairs["metric"])]
    return table.merge(pairs, on=["task", "metric"], how="left").set_axis(table.index)
