"""Simulated sessions through the real command line, then score, report and export."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
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
    assert "1 participant(s), 2 session(s) (2 complete), 8 trial log(s)" in stdout  # 4 tasks, 2 sessions
    assert "0 warning(s)" in stdout
    scores = pd.read_csv(out / "session_scores.csv", dtype={"participant": str})
    assert set(scores["participant"]) == {"E2E"} and set(scores["session"]) == {1, 2}
    for name, spec in all_tasks().items():
        reported = set(scores.loc[scores["task"] == name, "metric"])
        assert set(spec.metric_names) <= reported, name
    # one participant and no configured reference SD: no composite (never z against own sessions)
    assert "composite" not in set(scores["task"])
    summary = pd.read_csv(out / "participant_summary.csv")
    assert (summary["n_sessions"] == 2).all()
    curves = pd.read_csv(out / "curves.csv")
    assert {"n_level", "spc", "pfr", "lag_crp"} <= set(curves["curve"])


def test_report_has_dose_and_every_task(study):
    _, out, _ = study
    page = (out / "report" / "sub-E2E.html").read_text()
    for text in ("Training dose", "of the planned sessions", "N-back", "Word lists", "Tower", "Methods"):
        assert text in page
    assert page.count("<figure data-chart=") >= 12
    assert (out / "report" / "index.html").exists()


def test_psifr_export_merges_in_psifr(study, tmp_path):
    fr = pytest.importorskip("psifr.fr")
    data, _, _ = study
    done = cogtrain("export", str(data), "--format", "psifr", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "0 warning(s)" in done.stdout  # the other tasks' logs are not foreign files
    table = pd.read_csv(tmp_path / "recall_psifr.csv")
    assert table.groupby(["subject", "list"])["session"].nunique().max() == 1
    merged = fr.merge_free_recall(table, list_keys=["session", "phase"])
    assert merged["study"].sum() == (table["trial_type"] == "study").sum()


def test_bids_export_describes_every_column(study, tmp_path):
    data, _, _ = study
    done = cogtrain("export", str(data), "--format", "bids", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    tsvs = sorted(tmp_path.glob("sub-E2E/ses-*/beh/*_beh.tsv"))
    assert len(tsvs) == 8
    for tsv in tsvs:
        sidecar = json.loads(tsv.with_suffix(".json").read_text())
        header = tsv.read_text().split("\n", 1)[0].split("\t")
        assert all(column in sidecar for column in header)


def _run_until_killed(data: Path, participant: str, rows: int) -> None:
    """Start a simulated session and kill it (SIGKILL) once nback.csv has ``rows`` lines."""
    log = data / f"sub-{participant}" / "ses-001" / "nback.csv"
    process = subprocess.Popen([sys.executable, "-m", "cogtrain", "run", str(CONFIG), "--participant", participant,
                                "--simulate", "--data", str(data)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if log.exists() and log.read_bytes().count(b"\n") >= rows:
            process.kill()
            break
        time.sleep(0.002)
    process.wait()
    if process.returncode != -signal.SIGKILL:
        pytest.skip("the simulated session ended before it could be killed")


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    """K1: killed during n-back, then resumed. K2: killed, and its last line cut short."""
    data = tmp_path_factory.mktemp("crash") / "data"
    _run_until_killed(data, "K1", 60)
    resumed = cogtrain("run", str(CONFIG), "--participant", "K1", "--simulate", "--data", str(data), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    _run_until_killed(data, "K2", 40)
    log = data / "sub-K2" / "ses-001" / "nback.csv"
    log.write_bytes(log.read_bytes()[:-7])  # a crash in the middle of writing the last row
    out = data.parent / "scores"
    score = cogtrain("score", str(data), "--out", str(out))
    assert score.returncode == 0, score.stderr
    return data, out, score.stdout


def test_killed_then_resumed_block_is_scored_once(crashed):
    data, out, _ = crashed
    log = pd.read_csv(data / "sub-K1" / "ses-001" / "nback.csv")
    assert set(log["run"]) == {1, 2}
    rerun = set(log.loc[log["run"] == 2, "block"]) & set(log.loc[log["run"] == 1, "block"])
    assert len(rerun) == 1  # the block that was cut by the kill
    curves = pd.read_csv(out / "curves.csv", dtype={"participant": str})
    levels = curves[(curves["participant"] == "K1") & (curves["curve"] == "n_level")]
    assert levels["x"].is_unique  # one n-level per block: the re-run block counted once
    scores = pd.read_csv(out / "session_scores.csv", dtype={"participant": str})
    assert not scores[scores["participant"] == "K1"].empty


def test_killed_session_and_cut_line_are_named(crashed):
    _, out, stdout = crashed
    warnings = (out / "warnings.txt").read_text()
    assert "sub-K2/ses-001: session did not end (status 'running'" in warnings
    assert "sub-K2/ses-001/nback.csv: skipped malformed line" in warnings
    assert "the last line has no line end (cut short by a crash)" in warnings
    assert "sub-K1" not in warnings
    page = (out / "report" / "sub-K2.html").read_text()
    assert "session did not end" in page
