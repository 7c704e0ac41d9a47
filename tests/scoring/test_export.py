from dataclasses import replace

import pytest

from cogtrain.errors import CogtrainError, UsageError
from cogtrain.scoring import export_study
from cogtrain.scoring.export import export_formats
from cogtrain.task import Export
from tests.scoring.conftest import make_spec


def _written(rows, out_dir):
    path = out_dir / "fake_long.csv"
    rows.to_csv(path, index=False)
    return [path], f"wrote {len(rows)} rows"


LONG = Export("fakelong", "fake rows in a long table", _written)


def test_a_task_export_is_offered_and_written_from_its_scored_rows(study_dir, tmp_path):
    tasks = {"fake": replace(make_spec(), exports=(LONG,))}
    assert export_formats(tasks) == ["bids", "parquet", "fakelong"]
    result = export_study(study_dir, "fakelong", tmp_path / "out", progress=False, tasks=tasks)
    assert result.paths == [tmp_path / "out" / "fake_long.csv"]
    assert "wrote 18 rows" in result.summary_text  # the scored rows: practice and superseded rows left out


def test_unknown_format_lists_the_formats(study_dir, tmp_path):
    tasks = {"fake": replace(make_spec(), exports=(LONG,))}
    with pytest.raises(UsageError, match="choose one of: bids, parquet, fakelong"):
        export_study(study_dir, "psifr", tmp_path / "out", progress=False, tasks=tasks)


def test_no_rows_of_the_exporting_task_is_one_clear_error(study_dir, tmp_path):
    tasks = {"fake": make_spec(), "other": make_spec("other", exports=(LONG,))}
    with pytest.raises(CogtrainError, match="no scored other rows to export in fakelong format"):
        export_study(study_dir, "fakelong", tmp_path / "out", progress=False, tasks=tasks)
