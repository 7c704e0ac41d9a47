"""Small task specs that follow the contract, for scoring tests without the real tasks."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cogtrain.task import Column, Curve, Metric, TaskSession, TaskSettings, TaskSpec

DATA = Path(__file__).parents[1] / "data" / "scoring"
KEYS = ["participant", "session", "task"]


def fake_metrics(df: pd.DataFrame) -> pd.DataFrame:
    """accuracy = mean correct, mean_level = mean level, trials = rows, per session."""
    wide = df.groupby(KEYS).agg(accuracy=("correct", "mean"), mean_level=("level", "mean"),
                                trials=("trial", "size")).reset_index()
    return wide.melt(id_vars=KEYS, var_name="metric", value_name="value")


def fake_curves(df: pd.DataFrame) -> pd.DataFrame:
    """Mean level per block (curve ``n_level``)."""
    out = df.groupby(KEYS + ["block"])["level"].mean().reset_index()
    return out.rename(columns={"block": "x", "level": "value"}).assign(curve="n_level")


FAKE_METRICS = (Metric("accuracy", "Fake accuracy", "proportion", "higher", "Mean of correct.", progress=True),
                Metric("mean_level", "Fake mean level", "level", "neither", "Mean level.", progress=True),
                Metric("trials", "Fake trials", "count", "neither", "Scored rows."))


def make_spec(name: str = "fake", domain: str = "working_memory", metrics=fake_metrics,
              curves=fake_curves, exports=()) -> TaskSpec:
    """A TaskSpec whose run/view/simulator are never used by scoring."""
    return TaskSpec(name=name, title=f"{name.title()} task", domain=domain, settings_model=TaskSettings,
                    defaults=Path("defaults.yaml"), log_columns=lambda settings: ["level"], session=TaskSession,
                    view="none:View", simulator="none:Sim", compute_metrics=metrics, compute_curves=curves,
                    metrics=FAKE_METRICS, columns=(Column("level", "Level", "Difficulty level of the trial."),),
                    curves=(Curve("n_level", "Level by block", "Block", "Level", track="blocks"),), exports=exports)


@pytest.fixture
def fake_tasks() -> dict[str, TaskSpec]:
    return {"fake": make_spec()}


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/data/scoring/study."""
    target = tmp_path / "data"
    shutil.copytree(DATA / "study", target)
    return target
