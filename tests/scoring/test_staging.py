"""Outputs of score and export replace the previous ones all at once, never mixed with them."""
import pytest

from conftest import make_spec

from cogtrain.scoring import score_study
from cogtrain.scoring.staging import PREFIX, Staging
from tests.conftest import REPO, load_script


def test_previous_outputs_are_replaced_and_other_files_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("old a")
    (out / "gone.csv").write_text("from an earlier run")
    (out / "notes.txt").write_text("the analyst's")
    with Staging(out, ["*.csv"]) as folder:
        (folder / "a.csv").write_text("new a")
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "notes.txt"]
    assert (out / "a.csv").read_text() == "new a" and (out / "notes.txt").read_text() == "the analyst's"


def test_a_failed_run_leaves_the_previous_outputs_as_they_were(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("old a")
    with pytest.raises(RuntimeError), Staging(out, ["*.csv"]) as folder:
        (folder / "a.csv").write_text("half")
        raise RuntimeError("disk full")
    assert [p.name for p in out.iterdir()] == ["a.csv"] and (out / "a.csv").read_text() == "old a"


def test_staging_left_by_a_killed_run_is_removed(tmp_path):
    out = tmp_path / "out"
    (out / f"{PREFIX}killed" / "report").mkdir(parents=True)
    with Staging(out, ["*.csv"]) as folder:
        (folder / "a.csv").write_text("new")
    assert [p.name for p in out.iterdir()] == ["a.csv"]


def test_a_stale_report_does_not_survive_no_report(study_dir, tmp_path):
    tasks = {"fake": make_spec()}
    out = tmp_path / "out"
    score_study(study_dir, out, tasks=tasks, progress=False)
    assert (out / "report" / "index.html").exists()
    (out / "extra.csv").write_text("the analyst's own table")
    score_study(study_dir, out, tasks=tasks, progress=False, reports=False)
    assert not (out / "report").exists() and (out / "extra.csv").exists()
    assert (out / "session_scores.csv").exists()


def test_killed_score_leaves_absent_or_complete_tables(tmp_path):
    """A fast subset of scripts/kill_score.py: 3 kills at random moments, reports included."""
    counts = load_script("kill_score").run(kills=3, participants=1, sessions=1, seed=3, work=tmp_path,
                                           no_report=False, config=REPO / "configs" / "nback.yaml")
    assert counts["attempts"] == 3 and counts["recovered"] == 3
    assert not [k for k in counts if k.startswith("BAD")], counts
