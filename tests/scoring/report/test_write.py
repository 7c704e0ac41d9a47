"""Reports are rebuilt only for participants whose inputs changed (docs/reports.md)."""
from pathlib import Path

import pandas as pd

from cogtrain.scoring.compute import compute_scores
from cogtrain.scoring.read import read_study
from cogtrain.scoring.report import write_reports

AS_OF = pd.Timestamp("2026-04-01", tz="UTC")
STUDY = Path(__file__).parents[2] / "data" / "scoring" / "study"


def _scores(tasks):
    study = read_study(STUDY, tasks, progress=False)
    return compute_scores(study, tasks), tasks, study.warnings


def _stamps(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("sub-*.html")}


def test_unchanged_participants_are_not_rewritten_and_changed_ones_are(tmp_path, fake_tasks):
    scores, tasks, warnings = _scores(fake_tasks)
    folder = tmp_path / "report"
    write_reports(scores, tasks, warnings, folder, progress=False, as_of=AS_OF)
    first = _stamps(folder)
    pages = {p.name: p.read_text() for p in folder.glob("sub-*.html")}
    write_reports(scores, tasks, warnings, folder, progress=False, as_of=AS_OF)
    assert _stamps(folder) == first

    changed = scores.session_scores["participant"] == "B2"
    scores.session_scores.loc[changed, "value"] += 1.0
    write_reports(scores, tasks, warnings, folder, progress=False, as_of=AS_OF)
    after = _stamps(folder)
    assert after["sub-A1.html"] == first["sub-A1.html"]
    assert after["sub-B2.html"] != first["sub-B2.html"]
    assert (folder / "sub-B2.html").read_text() != pages["sub-B2.html"]


def test_pages_reused_from_a_previous_folder_equal_a_fresh_build(tmp_path, fake_tasks):
    scores, tasks, warnings = _scores(fake_tasks)
    write_reports(scores, tasks, warnings, tmp_path / "old", progress=False, as_of=AS_OF)
    write_reports(scores, tasks, warnings, tmp_path / "new", progress=False, as_of=AS_OF,
                  previous=tmp_path / "old")
    write_reports(scores, tasks, warnings, tmp_path / "fresh", progress=False, as_of=AS_OF)
    for name in ("sub-A1.html", "sub-B2.html", "index.html", "report.js", "digests.json"):
        assert (tmp_path / "new" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


def test_sessions_are_due_until_the_visit_that_ends_training_not_until_today():
    from cogtrain.scoring.report import _with_due

    days = pd.to_datetime(["2026-01-01T10:00Z", "2026-01-02T10:00Z", "2026-01-05T10:00Z", "2026-01-08T10:00Z",
                           "2026-01-12T10:00Z"])
    sessions = pd.DataFrame({"started": days, "status": "complete",
                             "visit": ["baseline", "", "", "", "post"]})
    dose = pd.Series({"planned_sessions_per_week": 3.0, "planned_sessions": 24.0})
    today = pd.Timestamp("2026-11-30", tz="UTC")
    ended = _with_due(dose, sessions, today)
    assert (ended["sessions_due"], ended["as_of"]) == (5, "2026-01-12")  # first training 01-02: 1 + 3 x 10/7
    training_goes_on = _with_due(dose, sessions.iloc[:4], today)
    assert (training_goes_on["sessions_due"], training_goes_on["as_of"]) == (24, "2026-11-30")
