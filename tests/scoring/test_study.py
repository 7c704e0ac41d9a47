import json
import math
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from conftest import DATA, make_spec

from cogtrain.errors import CogtrainError
from cogtrain.scoring import score_study


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """Scores and reports of tests/data/scoring/study, written once for this module."""
    out = tmp_path_factory.mktemp("scored")
    return score_study(DATA / "study", out, tasks={"fake": make_spec()}, progress=False), out


def test_session_scores_leave_out_practice_superseded_and_bad_lines(scored):
    _, out = scored
    scores = pd.read_csv(out / "session_scores.csv", dtype={"participant": str})
    wide = scores.pivot_table(index=["participant", "session"], columns="metric", values="value")
    # hand-computed from tests/data/scoring/study (see the CSV files)
    assert wide["accuracy"].tolist() == [0.5, 1.0, 0.75, 0.75, 0.5]
    assert wide["mean_level"].tolist() == [1.5, 2.5, 3.5, 2.0, 2.0]
    assert wide["trials"].tolist() == [4, 4, 4, 4, 2]


def test_participant_summary_matches_polyfit_and_rci_formula(scored):
    _, out = scored
    summary = pd.read_csv(out / "participant_summary.csv").set_index(["participant", "metric"])
    level = summary.loc[("A1", "mean_level")]
    assert level["gain"] == pytest.approx(3.5 - 1.5)
    assert level["slope"] == pytest.approx(np.polyfit([1, 2, 3], [1.5, 2.5, 3.5], 1)[0])
    s_diff = math.sqrt(2 * (1.0 * math.sqrt(1 - 0.8)) ** 2)  # config: sd 1.0, reliability 0.8
    assert level["rci"] == pytest.approx(2.0 / s_diff)
    accuracy = summary.loc[("A1", "accuracy")]
    assert accuracy["slope"] == pytest.approx(np.polyfit([1, 2, 3], [0.5, 1.0, 0.75], 1)[0])
    s_diff = math.sqrt(2 * (0.2 * math.sqrt(1 - 0.7)) ** 2)  # sd 0.2, reliability 0.7, practice 0.05
    assert accuracy["rci"] == pytest.approx((0.25 - 0.05) / s_diff)
    assert accuracy["rci_variant"] == "chelune1993_practice_adjusted"
    assert accuracy["rci_source"] == "fixture values"
    assert math.isnan(summary.loc[("A1", "trials"), "rci"])


def test_aborted_and_truncated_sessions_are_scored_with_warnings(scored):
    result, out = scored
    assert "sub-B2/ses-002: session aborted; trials logged before the abort are scored" in result.warnings
    assert any(w.startswith("sub-B2/ses-002/fake.csv: skipped malformed line 4") for w in result.warnings)
    sessions = pd.read_csv(out / "sessions.csv", dtype={"participant": str}).set_index(["participant", "session"])
    assert sessions.loc[("B2", 2), "status"] == "aborted"
    assert sessions.loc[("B2", 2), "minutes"] == 10
    assert "5 warning(s)" in result.summary_text and "fake 18" in result.summary_text


def test_curves_and_outputs_written(scored):
    result, out = scored
    curves = pd.read_csv(out / "curves.csv", dtype={"participant": str})
    assert list(curves.columns) == ["participant", "session", "task", "curve", "x", "value"]
    assert curves.loc[curves["participant"] == "A1", "value"].tolist() == [1, 2, 2, 3, 3, 4]
    assert [p.name for p in result.report_paths] == ["sub-A1.html", "sub-B2.html", "index.html"]
    for shared in ("report.js", "report.css", "digests.json"):
        assert (out / "report" / shared).stat().st_size > 0


def test_report_carries_its_charts_and_flags_reliable_change(scored):
    _, out = scored
    page = (out / "report" / "sub-A1.html").read_text()
    charts = json.loads(re.search(r"id='chart-data'>(.*?)</script>", page, re.S).group(1))
    assert page.count("<figure data-chart=") == len(charts) >= 6
    assert "<script src='report.js'></script>" in page
    assert "+3.16 reliable change" in page  # |RCI| > 1.96, the fake's mean_level declares no direction
    assert "Fake mean level (level)" in page and "Fake accuracy (proportion)" in page  # the task's own labels
    assert "no better direction" in page and "higher is better" in page
    assert "25 % of the planned sessions" in page
    assert "sub-A1/ses-003/fake.csv: skipped malformed line 4" in page
    assert "sub-B2" not in page
    index = (out / "report" / "index.html").read_text()
    assert "href='sub-A1.html'" in index and "href='sub-B2.html'" in index


def test_a_failing_task_costs_only_its_own_scores(study_dir, fake_tasks, tmp_path):
    def broken(df):
        raise ValueError("boom")

    tasks = {**fake_tasks, "other": make_spec("other", metrics=broken)}
    (study_dir / "sub-A1" / "ses-001" / "other.csv").write_text(
        (study_dir / "sub-A1" / "ses-001" / "fake.csv").read_text().replace(",fake,", ",other,"))
    result = score_study(study_dir, tmp_path / "out", tasks=tasks, progress=False, reports=False)
    assert "sub-A1/ses-001/other.csv: metrics failed (ValueError: boom); skipped, other files scored" in result.warnings
    scores = pd.read_csv(tmp_path / "out" / "session_scores.csv")
    assert set(scores["task"]) == {"fake"}


def test_missing_data_folder_is_one_clear_error(tmp_path, fake_tasks):
    with pytest.raises(CogtrainError, match="does not exist"):
        score_study(tmp_path / "missing", tmp_path / "out", tasks=fake_tasks)


def test_unwritable_output_folder_is_one_clear_error(study_dir, fake_tasks, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CogtrainError, match="cannot write to output folder"):
        score_study(study_dir, blocker / "out", tasks=fake_tasks, progress=False)


def test_all_warnings_are_written_to_a_file(scored):
    result, out = scored
    assert (out / "warnings.txt").read_text().splitlines() == result.warnings


def test_a_log_the_metrics_fail_on_costs_only_that_log(study_dir, fake_tasks, tmp_path):
    def fails_on_a_letter(df):
        if df["response"].astype(str).str.contains("poison").any():
            raise ValueError("cannot score 'poison'")
        return fake_tasks["fake"].compute_metrics(df)

    poisoned = study_dir / "sub-A1" / "ses-002" / "fake.csv"
    lines = poisoned.read_text().splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[7] = "poison"  # the response of the first trial
    poisoned.write_text("".join([lines[0], ",".join(cells)] + lines[2:]))
    tasks = {"fake": replace(fake_tasks["fake"], compute_metrics=fails_on_a_letter)}
    result = score_study(study_dir, tmp_path / "out", tasks=tasks, progress=False, reports=False)
    assert ("sub-A1/ses-002/fake.csv: metrics failed (ValueError: cannot score 'poison'); skipped, other files scored"
            in result.warnings)
    scores = pd.read_csv(tmp_path / "out" / "session_scores.csv", dtype={"participant": str})
    fake = scores[scores["task"] == "fake"]
    scored = set(zip(fake["participant"], fake["session"]))
    assert scored == {("A1", 1), ("A1", 3), ("B2", 1), ("B2", 2)}
