"""How the report names metrics and curves, their units, and which direction is better.

Metrics not listed here are shown by name, without a direction.
"""
from __future__ import annotations

from typing import NamedTuple


class MetricLabel(NamedTuple):
    """Display name, unit and direction (+1 higher is better, -1 lower is better, 0 neither)."""

    name: str
    unit: str
    better: int


METRICS: dict[str, MetricLabel] = {
    "nback.mean_n_level": MetricLabel("Mean n-back level", "n", +1),
    "nback.max_n_level": MetricLabel("Highest n-back level", "n", +1),
    "nback.hit_rate": MetricLabel("Hit rate", "proportion", +1),
    "nback.fa_rate": MetricLabel("False-alarm rate", "proportion", -1),
    "nback.dprime": MetricLabel("Sensitivity d'", "z units", +1),
    "nback.criterion": MetricLabel("Criterion c", "z units", 0),
    "nback.accuracy": MetricLabel("Accuracy", "proportion", +1),
    "nback.mean_rt_hits_s": MetricLabel("Mean RT on hits", "s", -1),
    "tower.problems": MetricLabel("Problems attempted", "count", 0),
    "tower.prop_solved": MetricLabel("Problems solved", "proportion", +1),
    "tower.prop_min_moves": MetricLabel("Solved in minimum moves", "proportion", +1),
    "tower.mean_excess_moves": MetricLabel("Excess moves", "moves", -1),
    "tower.mean_planning_time_s": MetricLabel("Planning time", "s", 0),
    "tower.mean_execution_time_s": MetricLabel("Execution time", "s", -1),
    "tower.rule_violations": MetricLabel("Rule violations", "count", -1),
    "tower.max_min_moves": MetricLabel("Hardest problem solved", "minimum moves", +1),
    "tower.mean_min_moves": MetricLabel("Mean problem difficulty", "minimum moves", +1),
    "tower.total_move_score": MetricLabel("Total move score (excess moves)", "moves", -1),
    "tower.total_correct": MetricLabel("Solved in minimum moves", "count", +1),
    "tower.total_initiation_time_s": MetricLabel("Total initiation time", "s", 0),
    "tower.total_execution_time_s": MetricLabel("Total execution time", "s", -1),
    "tower.total_problem_solving_time_s": MetricLabel("Total problem-solving time", "s", -1),
    "tower.time_violations": MetricLabel("Time violations", "count", -1),
    "recall.recall_prop": MetricLabel("Immediate recall", "proportion", +1),
    "recall.delayed_recall_prop": MetricLabel("Delayed recall", "proportion", +1),
    "recall.prop_retained": MetricLabel("Retained at delay", "proportion", +1),
    "recall.prior_list_intrusions": MetricLabel("Prior-list intrusions", "count", -1),
    "recall.extra_list_intrusions": MetricLabel("Extra-list intrusions", "count", -1),
    "recall.repetitions": MetricLabel("Repetitions", "count", -1),
    "recall.temporal_factor": MetricLabel("Temporal clustering", "score 0-1", 0),
    "recall.learning_slope": MetricLabel("Learning slope", "proportion per trial", +1),
    "recall.recognition_hit_rate": MetricLabel("Recognition hit rate", "proportion", +1),
    "recall.recognition_fa_rate": MetricLabel("Recognition false alarms", "proportion", -1),
    "recall.recognition_dprime": MetricLabel("Recognition d'", "z units", +1),
    "recall.mean_list_length": MetricLabel("List length", "words", +1),
    "recall.mean_words_recalled": MetricLabel("Words recalled per list", "words", +1),
}

#: Metrics plotted over sessions in each task's progress figure (others: the task's first metrics).
PROGRESS: dict[str, tuple[str, ...]] = {
    "nback": ("mean_n_level", "max_n_level", "dprime"),
    "tower": ("mean_min_moves", "max_min_moves", "prop_solved"),
    "recall": ("mean_list_length", "mean_words_recalled", "delayed_recall_prop"),
}

#: Axis labels of curves (x label, y label), in the order they are drawn.
CURVES: dict[str, tuple[str, str]] = {
    "n_level": ("Block", "n-back level (n)"),
    "min_moves": ("Problem", "Problem difficulty (minimum moves)"),
    "spc": ("Serial position", "Proportion recalled"),
    "pfr": ("Serial position", "Probability of first recall"),
    "lag_crp": ("Lag (positions)", "Conditional response probability"),
    "planning_time_s": ("Problem difficulty (minimum moves)", "Mean planning time (s)"),
}

#: Curves that track difficulty through a session (x = block or problem number): drawn across
#: all sessions in order, with what one x step is. Other curves are drawn within a session.
TRACKS: dict[str, str] = {"n_level": "blocks", "min_moves": "problems"}

#: Metrics entering each domain composite, with their sign (+1: higher is better). Every
#: task adapts its difficulty to hold accuracy near a criterion, so accuracy alone barely
#: moves with training: each domain is led by its adaptive level (n, minimum moves, words
#: per list) and the amount done at that level.
COMPOSITE: dict[str, int] = {
    "nback.mean_n_level": +1,
    "nback.dprime": +1,
    "nback.mean_rt_hits_s": -1,
    "tower.mean_min_moves": +1,
    "tower.max_min_moves": +1,
    "tower.mean_excess_moves": -1,
    "recall.mean_list_length": +1,
    "recall.mean_words_recalled": +1,
    "recall.delayed_recall_prop": +1,
}

DOMAINS: dict[str, str] = {
    "working_memory": "Working memory",
    "planning": "Planning",
    "verbal_memory": "Verbal memory",
}


def metric_label(task: str, metric: str) -> MetricLabel:
    """Label of ``task.metric`` (the bare name, no unit and no direction if unknown)."""
    if task == "composite":
        return MetricLabel(f"{DOMAINS.get(metric, metric)} composite", "z vs first session", +1)
    return METRICS.get(f"{task}.{metric}", MetricLabel(metric.replace("_", " "), "", 0))
