"""``cogtrain analyze``: compute every group table of a study and write them with the group report."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cogtrain.analysis import tables as t
from cogtrain.analysis.data import StudyData, load_study_data
from cogtrain.analysis.stats import MixedFit
from cogtrain.scoring.tables import output_folder, write_table
from cogtrain.study.config import Study


@dataclass
class Results:
    """Every table of the group analysis (see :mod:`cogtrain.analysis.tables`)."""

    data: StudyData
    labels: dict[str, str]
    flow: pd.DataFrame
    adherence: pd.DataFrame
    adherence_summary: pd.DataFrame
    trajectories: pd.DataFrame
    training_models: dict[str, MixedFit]
    outcome_values: pd.DataFrame
    outcome_summary: pd.DataFrame
    effects: pd.DataFrame
    outcome_models: dict[str, MixedFit]
    responders: pd.DataFrame
    responder_summary: pd.DataFrame
    dose_points: pd.DataFrame
    dose_table: pd.DataFrame
    tables: list[Path] = field(default_factory=list)


def analyse(data: StudyData) -> Results:
    """Compute every table from a study's data."""
    labels = {arm: data.study.arm_label(arm) for arm in data.study.arms}
    per_participant, summary = t.adherence(data)
    values = t.outcome_values(data)
    responders, responder_summary = t.responders(data, values)
    points, dose = t.dose_response(data, values, per_participant)
    return Results(data, labels, t.flow(data), per_participant, summary, t.trajectories(data),
                   t.training_models(data), values, t.outcome_summary(values), t.effect_sizes(data, values, labels),
                   t.outcome_models(data, values), responders, responder_summary, points, dose)


def write_tables(results: Results, out: Path) -> list[Path]:
    """Write the tidy CSV tables (formula-like text neutralised) and return their paths."""
    named = {
        "flow.csv": results.flow,
        "adherence.csv": results.adherence,
        "adherence_by_arm.csv": results.adherence_summary,
        "allocation.csv": results.data.allocations.assign(
            task_order=results.data.allocations["task_order"].map(" ".join)),
        "withdrawals.csv": results.data.withdrawals,
        "study_sessions.csv": results.data.sessions.assign(started=results.data.sessions["started"].map(_iso)),
        "trajectories.csv": results.trajectories,
        "training_models.csv": t.model_table(results.training_models, results.labels),
        "outcomes.csv": results.outcome_values,
        "outcome_summary.csv": results.outcome_summary,
        "effect_sizes.csv": results.effects,
        "outcome_models.csv": t.model_table(results.outcome_models, results.labels),
        "responders.csv": results.responders,
        "responder_summary.csv": results.responder_summary,
        "dose_response.csv": results.dose_points,
        "dose_response_summary.csv": results.dose_table,
    }
    return [write_table(table, out / name) for name, table in named.items()]


def _iso(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") and value == value else ""


def analyze_study(data_dir: Path, study: Study, out: Path) -> tuple[Results, Path]:
    """Analyse a study's data folder and write tables, figures and ``group_report.html`` to ``out``.

    Returns
    -------
    tuple
        The results and the report's path.
    """
    from cogtrain.analysis.report import write_group_report

    out = output_folder(out)
    results = analyse(load_study_data(Path(data_dir), study))
    results.tables = write_tables(results, out)
    (out / "warnings.txt").write_text("".join(f"{w}\n" for w in results.data.warnings), encoding="utf-8")
    report, _ = write_group_report(results, out)
    return results, report
