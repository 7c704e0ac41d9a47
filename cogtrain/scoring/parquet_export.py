"""``cogtrain export --format parquet``: trial rows and score tables as Parquet (see docs/scaling.md).

Layout written::

    trials/task=<task>/data.parquet    every readable trial row of the task, hive-partitioned by task
    scores/<table>.parquet             session_scores, participant_summary, curves, sessions,
                                       adherence, composite_components (as the CSV tables)

Trial rows keep every column of the task's logs plus ``superseded`` (1 for rows
of a block re-run after a resume); practice rows are marked by ``practice``.
The ``task`` column is the folder name (``task=<task>``), as hive-partitioned
readers (DuckDB, Dask, Spark, R arrow) expect. The study is read in batches of
participants, so memory stays bounded; DuckDB joins each task's batches into one
file with one schema (a column that is text in some batches is text throughout).
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Mapping

import duckdb
import pandas as pd

from cogtrain.scoring.cache import write_parquet
from cogtrain.scoring.engine import ScoredStudy, score_data
from cogtrain.scoring.rows import mark_superseded
from cogtrain.scoring.study import table_frames
from cogtrain.task import TaskSpec


def write_parquet_export(data_dir: Path, tasks: Mapping[str, TaskSpec], out_dir: Path,
                         progress: bool | None = None) -> tuple[ScoredStudy, list[Path]]:
    """Read and score ``data_dir`` and write the Parquet export to ``out_dir``.

    Parameters
    ----------
    data_dir : Path
        Folder of ``sub-<ID>/ses-<NNN>/`` session folders.
    tasks : mapping of str to TaskSpec
        Tasks to read and score.
    out_dir : Path
        Output folder (exists).
    progress : bool or None, optional
        Show a progress bar (None: only on a terminal).

    Returns
    -------
    tuple
        What was read and scored, and the files written.
    """
    staging = out_dir / ".trials-batches"
    shutil.rmtree(staging, ignore_errors=True)
    batches = [0]

    def keep(rows: dict[str, pd.DataFrame]) -> None:
        for task, frame in rows.items():
            if len(frame):
                write_parquet(mark_superseded(frame).drop(columns=["task"]),
                              staging / task / f"{batches[0]:05d}.parquet")
        batches[0] += 1

    study = score_data(Path(data_dir), tasks, progress=progress, rows_sink=keep)
    paths = []
    for folder in sorted(staging.iterdir()) if staging.is_dir() else ():
        target = out_dir / "trials" / f"task={folder.name}" / "data.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        parts = str(folder / "*.parquet").replace("'", "''")
        duckdb.sql(f"COPY (SELECT * FROM read_parquet('{parts}', union_by_name=true)) "
                   f"TO '{str(target).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
        paths.append(target)
    shutil.rmtree(staging, ignore_errors=True)
    for name, table in table_frames(study.scores).items():
        paths.append(out_dir / "scores" / f"{name}.parquet")
        write_parquet(table, paths[-1])
    return study, paths
