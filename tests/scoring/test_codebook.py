import shutil

import pandas as pd
import pytest

from cogtrain.cli import main
from cogtrain.columns import COMMON
from cogtrain.registry import all_tasks
from cogtrain.scoring import score_study
from cogtrain.scoring.codebook import SCORE_FILES, codebook
from tests.scoring.conftest import DATA, make_spec

TASKS = {"fake": make_spec()}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Score tables of tests/data/scoring/study."""
    root = tmp_path_factory.mktemp("codebook")
    shutil.copytree(DATA / "study", root / "data")
    score_study(root / "data", root / "scores", tasks=TASKS, progress=False, reports=False)
    return root / "scores"


def test_score_tables_have_exactly_the_codebook_columns(written):
    for name, (_, columns) in SCORE_FILES.items():
        assert list(pd.read_csv(written / name, nrows=0).columns) == [c.name for c in columns], name


def test_summary_says_which_way_each_metric_is_better(written):
    summary = pd.read_csv(written / "participant_summary.csv").set_index(["task", "metric"])["direction"]
    assert summary[("fake", "accuracy")].unique().tolist() == ["higher"]      # declared by the task
    assert summary[("fake", "mean_level")].unique().tolist() == ["neither"]


def test_codebook_has_every_declared_column_metric_and_curve():
    book = codebook(TASKS)
    rows = book.set_index(["kind", "task", "name"])
    assert rows.loc[("metric", "fake", "accuracy"), ["label", "unit", "direction"]].tolist() == [
        "Fake accuracy", "proportion", "higher"]
    assert rows.loc[("column", "fake", "level"), "file"] == "sub-<ID>/ses-<NNN>/fake.csv"
    assert rows.loc[("curve", "fake", "n_level"), "description"].startswith("x: Block; value: Level")
    assert {c.name for c in COMMON} <= set(book.loc[book["kind"] == "column", "name"])
    assert book["description"].ne("").all()


def test_codebook_command_writes_every_registered_task(tmp_path):
    assert main(["codebook", "--out", str(tmp_path / "dictionary.csv")]) == 0
    book = pd.read_csv(tmp_path / "dictionary.csv", keep_default_na=False)
    for name, spec in all_tasks().items():
        metrics = book[(book["kind"] == "metric") & (book["task"] == name)]
        assert metrics["name"].tolist() == [m.name for m in spec.metrics]
        assert set(metrics["direction"]) <= {"higher", "lower", "neither"}


def test_codebook_into_a_folder_is_one_clear_error(tmp_path, capsys):
    assert main(["codebook", "--out", str(tmp_path)]) != 0
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(tmp_path) in err
