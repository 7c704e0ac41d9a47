"""``cogtrain export --format parquet``: read back by DuckDB, the tables equal the CSV tables."""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from cogtrain.cli import main
from tests.conftest import load_script

TABLES = ("session_scores", "participant_summary", "curves", "sessions", "adherence", "composite_components",
          "events")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A simulated study of three participants, scored to CSV and exported to Parquet."""
    root = tmp_path_factory.mktemp("parquet")
    bench = load_script("bench_scoring")
    templates = bench.simulate_templates(root / "templates", 2)
    data = root / "data"
    bench.synthesise(templates, data, participants=3, sessions=2)
    assert main(["score", str(data), "--out", str(root / "csv"), "--no-report", "--no-cache"]) == 0
    assert main(["export", str(data), "--format", "parquet", "--out", str(root / "parquet")]) == 0
    return data, root / "csv", root / "parquet"


def cells(frame: pd.DataFrame) -> list[tuple]:
    """Every cell as a comparable value: numbers as float, missing or empty as None, dates as ISO text, lists as CSV
    text."""
    def cell(value):
        if isinstance(value, (list, tuple, np.ndarray)):  # a list in Parquet is ';'-joined text in CSV
            return ";".join(value) or None
        if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)):
            return None
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        try:
            return float(value)
        except (TypeError, ValueError):
            return str(value)
    return [tuple(cell(v) for v in row) for row in frame.itertuples(index=False)]


@pytest.mark.parametrize("table", TABLES)
def test_score_tables_read_back_by_duckdb_equal_the_csv_tables(exported, table):
    _, csv, parquet = exported
    back = duckdb.sql(f"SELECT * FROM read_parquet('{parquet / 'scores' / table}.parquet')").df()
    expected = pd.read_csv(csv / f"{table}.csv", dtype={"participant": str}, keep_default_na=False,
                           na_values=[""])
    assert list(back.columns) == list(expected.columns)
    assert cells(back) == cells(expected)


def test_trial_rows_are_hive_partitioned_by_task_and_complete(exported):
    data, _, parquet = exported
    rows = duckdb.sql(f"SELECT task, participant, count(*) AS n, sum(practice) AS practice FROM "
                      f"read_parquet('{parquet}/trials/*/*.parquet', hive_partitioning=true, union_by_name=true) "
                      "GROUP BY ALL ORDER BY ALL").df()
    logged = [(log.stem, log.parent.parent.name[4:], len(log.read_text().splitlines()) - 1)
              for log in sorted(data.glob("sub-*/ses-*/*.csv"))]
    expected = pd.DataFrame(logged, columns=["task", "participant", "n"]).groupby(["task", "participant"],
                                                                                  as_index=False)["n"].sum()
    assert rows[["task", "participant", "n"]].astype(str).values.tolist() == expected.astype(str).values.tolist()
    assert (rows["practice"] > 0).all()
    kinds = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{parquet}/trials/task=nback/data.parquet', "
                       "hive_partitioning=false)").df()
    types = dict(zip(kinds["column_name"], kinds["column_type"]))
    assert types["participant"] == "VARCHAR" and types["rt_s"] == "DOUBLE" and "task" not in types
