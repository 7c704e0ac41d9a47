"""Simulated sessions through the real command line, then score, report and export."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cogtrain.registry import all_tasks

ROOT = Path(__file__).parents[2]
CONFIG = ROOT / "configs" / "ms_training.yaml"

pytestmark = pytest.mark.skipif(
    not CONFIG.exists() or not {"nback", "tower", "recall"} <= set(all_tasks()),
    reason="needs configs/ms_training.yaml and the nback, tower and recall tasks")


def cogtrain(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cogtrain", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """Two simulated sessions of the full battery, scored."""
    root = tmp_path_factory.mktemp("e2e")
    data, out = root / "data", root / "scores"
    for _ in range(2):
        run = cogtrain("run", str(CONFIG), "--participant", "E2E", "--simulate", "--data", str(data))
        assert run.returncode == 0, run.stderr
    score = cogtrain("score", str(data), "--out", str(out))
    assert score.returncode == 0, score.stderr
    return data, out, score.stdout


def test_score_reads_everything_and_reports_metrics_of_every_task(study):
    data, out, stdout = study
    assert "1 participant(s), 2 session(s) (2 complete), 6 trial log(s)" in stdout
    assert "0 warning(s)" in stdout
    scores = pd.read_csv(out / "session_scores.csv", dtype={"participant": str})
    assert set(scores["participant"]) == {"E2E"} and set(scores["session"]) == {1, 2}
    for name, spec in all_tasks().items():
        reported = set(scores.loc[scores["task"] == name, "metric"])
        assert set(spec.metric_names) <= reported, name
    assert set(scores.loc[scores["task"] == "composite", "metric"]) == {"working_memory", "planning",
                                                                        "verbal_memory"}
    summary = pd.read_csv(out / "participant_summary.csv")
    assert (summary["n_sessions"] == 2).all()
    curves = pd.read_csv(out / "curves.csv")
    assert {"n_level", "spc", "pfr", "lag_crp"} <= set(curves["curve"])


def test_report_has_dose_and_every_task(study):
    _, out, _ = study
    page = (out / "report" / "sub-E2E.html").read_text()
    for text in ("Training dose", "of planned sessions", "N-back", "Word lists", "Tower", "Methods"):
        assert text in page
    assert page.count("data:image/png;base64,") >= 6
    assert (out / "report" / "index.html").exists()


def test_psifr_export_merges_in_psifr(study, tmp_path):
    fr = pytest.importorskip("psifr.fr")
    data, _, _ = study
    done = cogtrain("export", str(data), "--format", "psifr", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "recall_psifr.csv")
    assert table.groupby(["subject", "list"])["session"].nunique().max() == 1
    merged = fr.merge_free_recall(table, list_keys=["session", "phase"])
    assert merged["study"].sum() == (table["trial_type"] == "study").sum()


def test_bids_export_describes_every_column(study, tmp_path):
    data, _, _ = study
    done = cogtrain("export", str(data), "--format", "bids", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    tsvs = sorted(tmp_path.glob("sub-E2E/ses-*/beh/*_beh.tsv"))
    assert len(tsvs) == 6
    for tsv in tsvs:
        sidecar = json.loads(tsv.with_suffix(".json").read_text())
        header = tsv.read_text().split("\n", 1)[0].split("\t")
        assert all(column in sidecar for column in header)
