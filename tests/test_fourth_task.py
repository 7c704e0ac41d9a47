"""A fourth task that exists only in tests (tests/fake_task.py) is one folder's worth of code:
it runs, is scored, appears in the report with its own labels and gets correct BIDS sidecars
and codebook rows, with nothing about it in core code."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from cogtrain.cli import simulated_factory
from cogtrain.config import load_battery
from cogtrain.scoring import export_study, score_study
from cogtrain.scoring.codebook import codebook
from cogtrain.session import SessionRequest, run_session

BATTERY = """
name: fourth task
tasks:
  - task: fake
reliable_change:   # reference SDs give the domain composite (docs/reports.md)
  fake.accuracy: {sd: 0.2, reliability: 0.7, source: test values}
  fake.mean_level: {sd: 1.0, reliability: 0.8, source: test values}
"""


@pytest.fixture
def scored(fake_task, write_config, tmp_path):
    """Three simulated sessions of the test-only task, scored with reports."""
    battery = load_battery(write_config(BATTERY))
    data = tmp_path / "data"
    for seed in (1, 2, 3):
        outcome = run_session(battery, SessionRequest(participant="F1", data_dir=data, seed=seed),
                              simulated_factory(battery, {}))
        assert outcome.status == "complete"
    score_study(data, tmp_path / "scores", tasks={"fake": fake_task}, progress=False)
    return fake_task, data, tmp_path / "scores"


def test_every_declared_metric_and_curve_is_scored(scored):
    spec, _, out = scored
    scores = pd.read_csv(out / "session_scores.csv")
    own = scores[scores["task"] == "fake"]
    assert sorted(own["session"].unique()) == [1, 2, 3]
    assert own.groupby("session")["metric"].apply(sorted).tolist() == [sorted(spec.metric_names)] * 3
    assert set(scores.loc[scores["task"] == "composite", "metric"]) == {spec.domain}
    curves = pd.read_csv(out / "curves.csv")
    assert set(curves["curve"]) == {c.name for c in spec.curves}
    summary = pd.read_csv(out / "participant_summary.csv").set_index("metric")
    assert summary.loc["accuracy", "direction"] == spec.metric("accuracy").direction


def test_the_report_uses_the_tasks_own_labels(scored):
    spec, _, out = scored
    page = (out / "report" / "sub-F1.html").read_text(encoding="utf-8")
    assert f"<h2>{spec.title}</h2>" in page
    for metric in spec.metrics:
        assert f"{metric.label} ({metric.unit})" in page
    charts = json.loads(page.split("id='chart-data'>")[1].split("</script>")[0])
    curve = next(c for c in charts if c["title"] == spec.curves[0].label)  # the curve's figure
    assert curve["y"]["label"] == spec.curves[0].y_label
    assert "Test task composite" in page                              # its domain, named from the declaration


def test_bids_sidecars_describe_the_tasks_columns(scored, tmp_path):
    spec, data, _ = scored
    export_study(data, "bids", tmp_path / "bids", progress=False, tasks={"fake": spec})
    sidecar = json.loads((tmp_path / "bids" / "sub-F1" / "ses-001" / "beh" /
                          "sub-F1_ses-001_task-fake_beh.json").read_text())
    assert sidecar["TaskDescription"] == spec.title
    for column in spec.columns:
        entry = sidecar[column.name]
        assert entry["LongName"] == column.label and entry["Description"] == column.description
        assert entry.get("Units", "") == column.unit and entry.get("Levels", {}) == dict(column.levels)
    assert sidecar["correct"]["Levels"] == {"0": "incorrect", "1": "correct"}


def test_the_codebook_lists_the_task(fake_task):
    book = codebook({"fake": fake_task})
    rows = book[book["task"] == "fake"]
    assert set(rows.loc[rows["kind"] == "column", "name"]) == {c.name for c in fake_task.columns}
    assert set(rows.loc[rows["kind"] == "metric", "name"]) == {m.name for m in fake_task.metrics}
    assert set(rows.loc[rows["kind"] == "curve", "name"]) == {c.name for c in fake_task.curves}
