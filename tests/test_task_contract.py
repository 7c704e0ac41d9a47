"""Every registered task keeps its declarations (CONTRIBUTING.md, "What a task declares")."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from cogtrain.cli import main
from cogtrain.columns import COMMON
from cogtrain.config import deep_merge
from cogtrain.registry import all_tasks
from cogtrain.scoring import score_study
from cogtrain.task import TaskSpec
from tests.conftest import load_script

TASKS = list(all_tasks().values())


@pytest.fixture(scope="module", params=TASKS, ids=[t.name for t in TASKS])
def simulated(request, tmp_path_factory) -> tuple[TaskSpec, Path, Path]:
    """One simulated session of the task with its documented defaults, scored."""
    spec = request.param
    root = tmp_path_factory.mktemp(spec.name)
    battery = root / "battery.yaml"
    battery.write_text(yaml.safe_dump({"name": "contract", "tasks": [{"task": spec.name}]}))
    assert main(["run", str(battery), "--participant", "C1", "--simulate", "--seed", "1",
                 "--data", str(root / "data")]) == 0
    score_study(root / "data", root / "scores", reports=False, progress=False)
    return spec, root / "data" / "sub-C1" / "ses-001" / f"{spec.name}.csv", root / "scores"


@pytest.mark.parametrize("spec", TASKS, ids=[t.name for t in TASKS])
def test_defaults_file_equals_the_settings_model(spec: TaskSpec) -> None:
    documented = yaml.safe_load(spec.defaults.read_text(encoding="utf-8"))
    assert spec.settings_model(**documented) == spec.settings_model()


@pytest.mark.parametrize("spec", TASKS, ids=[t.name for t in TASKS])
def test_the_screenshot_tour_knows_the_task(spec: TaskSpec) -> None:
    """scripts/screenshot_tour.py shortens the task to one block with settings the task accepts."""
    tour = load_script("screenshot_tour").TOUR_PROFILE["task_settings"]
    assert spec.name in tour, f"scripts/screenshot_tour.py: TOUR_PROFILE has no settings for {spec.name}"
    documented = yaml.safe_load(spec.defaults.read_text(encoding="utf-8"))
    spec.settings_model(**deep_merge(documented, tour[spec.name]))


def test_every_logged_column_is_declared(simulated) -> None:
    spec, log, _ = simulated
    logged = list(pd.read_csv(log, nrows=0).columns)
    declared = [c.name for c in (*COMMON, *spec.columns)]
    assert [c for c in logged if c not in declared] == []


def test_columns_with_a_unit_hold_numbers_and_categorical_ones_their_levels(simulated) -> None:
    """BIDS tools read a column with Units as numbers and check values against Levels."""
    spec, log, _ = simulated
    rows = pd.read_csv(log, dtype=str, keep_default_na=False)
    for column in (*COMMON, *spec.columns):
        values = rows[column.name][rows[column.name] != ""] if column.name in rows else pd.Series(dtype=str)
        if column.unit:
            assert pd.to_numeric(values, errors="coerce").notna().all(), column.name
        if column.levels:
            assert set(values) <= set(column.levels), column.name


def test_one_session_reports_every_declared_metric_and_nothing_undeclared(simulated) -> None:
    spec, _, scores = simulated
    session = pd.read_csv(scores / "session_scores.csv")
    reported = set(session.loc[session["task"] == spec.name, "metric"])
    assert set(spec.metric_names) <= reported
    assert reported <= {m.name for m in spec.metrics}
    curves = pd.read_csv(scores / "curves.csv")
    assert set(curves.loc[curves["task"] == spec.name, "curve"]) <= {c.name for c in spec.curves}
