"""``cogtrain score``: read a data folder, score it and write tables and reports."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pandas as pd

from cogtrain.registry import all_tasks
from cogtrain.scoring.cache import StudyCache
from cogtrain.scoring.compute import Scores
from cogtrain.scoring.distributed import dask_runner
from cogtrain.scoring.engine import BATCH_BYTES, MIN_SPREAD_BYTES, ScoredStudy, score_data
from cogtrain.scoring.processes import forked_map, process_runner
from cogtrain.scoring.report import write_reports
from cogtrain.scoring.staging import Staging
from cogtrain.scoring.tables import write_table, write_text_atomic
from cogtrain.task import TaskSpec

#: Batches per worker of a Dask cluster: enough to even out workers of different speeds.
BATCHES_PER_WORKER = 2


@dataclass
class ScoreResult:
    """What :func:`score_study` read and wrote.

    Attributes
    ----------
    summary_text : str
        Lines for the user: participants, sessions, rows, warnings, outputs.
    warnings : list of str
        One line per file, line or session skipped or suspect.
    report_paths : list of Path
        The HTML reports (one per participant, then ``index.html``).
    table_paths : list of Path
        The CSV tables written.
    timings : dict of str to float
        Seconds spent reading and scoring, writing tables and writing reports.
    """

    summary_text: str
    warnings: list[str]
    report_paths: list[Path]
    table_paths: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def score_study(data_dir: Path, out_dir: Path, *, progress: bool | None = None,
                tasks: Mapping[str, TaskSpec] | None = None, reports: bool = True,
                cache: Path | None = None, jobs: int = 1, workers: int | None = None,
                scheduler: str | None = None) -> ScoreResult:
    """Score every session in ``data_dir`` and write the results to ``out_dir``.

    Writes ``session_scores.csv``, ``participant_summary.csv``, ``curves.csv``
    (docs/data-format.md), ``sessions.csv`` (date, status, minutes, fatigue per
    session), ``adherence.csv`` (dose against plan), ``composite_components.csv``
    (the z-scores behind the domain composites), ``events.csv`` (clinical events and
    check-in answers), ``warnings.txt`` (every
    warning, one a line) and ``report/`` (one HTML
    report per participant, ``index.html``, and every figure as PNG and SVG).
    All are written aside and then replace the previous run's outputs at once
    (:mod:`cogtrain.scoring.staging`): an interrupted run leaves those as they
    were, and ``report/`` of an earlier run does not survive ``reports=False``.

    Parameters
    ----------
    data_dir : Path
        Folder of ``sub-<ID>/ses-<NNN>/`` session folders.
    out_dir : Path
        Output folder (created).
    progress : bool or None, optional
        Show progress bars (None: only when stderr is a terminal).
    tasks : mapping of str to TaskSpec, optional
        Tasks to score (default: every registered task).
    reports : bool, optional
        Write the HTML reports and figures (default True).
    cache : Path, optional
        Columnar cache folder: unchanged participants are taken from it and it
        is updated (default: none; see :mod:`cogtrain.scoring.cache`).
    jobs : int, optional
        Worker processes on this computer (default 1: score in this process;
        see :mod:`cogtrain.scoring.processes`).
    workers : int, optional
        Score on a local Dask cluster of this many worker processes.
    scheduler : str, optional
        Score on the Dask cluster of this scheduler address.

    Returns
    -------
    ScoreResult
        Summary, warnings and paths written.

    Raises
    ------
    CogtrainError
        If ``data_dir`` is missing or holds no session folders, or ``out_dir``
        cannot be written.
    """
    tasks = dict(all_tasks() if tasks is None else tasks)
    clock = time.perf_counter()
    store = StudyCache(cache, Path(data_dir), tasks) if cache is not None else None
    with Staging(out_dir, OUTPUTS) as staging:
        if workers or scheduler:
            with dask_runner(scheduler=scheduler, workers=workers) as (runner, slots):
                study = score_data(Path(data_dir), tasks, cache=store, progress=progress, runner=runner,
                                   spread=slots * BATCHES_PER_WORKER)
        else:
            # the workers' batches together hold no more than one batch of a single process
            study = score_data(Path(data_dir), tasks, cache=store, progress=progress, runner=process_runner(jobs),
                               batch_bytes=max(BATCH_BYTES // jobs, MIN_SPREAD_BYTES), spread=jobs)
        scores = study.scores
        timings = {"read_score_s": time.perf_counter() - clock}
        clock = time.perf_counter()
        tables = write_tables(scores, staging, jobs)
        write_text_atomic(staging / WARNINGS_FILE, "".join(f"{w}\n" for w in study.warnings))
        timings["tables_s"] = time.perf_counter() - clock
        clock = time.perf_counter()
        report_paths = (write_reports(scores, tasks, study.warnings, staging / "report", progress,
                                      previous=Path(out_dir) / "report") if reports else [])
        timings["report_s"] = time.perf_counter() - clock
    out_dir = Path(out_dir)
    tables = [out_dir / p.name for p in tables]
    report_paths = [out_dir / "report" / p.name for p in report_paths]
    return ScoreResult(_summary(study, scores, tables, report_paths, out_dir / WARNINGS_FILE, cache),
                       list(study.warnings), report_paths, tables, timings)


TABLES = ("session_scores.csv", "participant_summary.csv", "curves.csv", "sessions.csv", "adherence.csv",
          "composite_components.csv", "events.csv")
WARNINGS_FILE = "warnings.txt"
#: What ``score`` owns in its output folder: replaced on every run, other files left alone.
OUTPUTS = (*TABLES, WARNINGS_FILE, "report")


def table_frames(scores: Scores) -> dict[str, pd.DataFrame]:
    """The score tables by output name (``session_scores``, ``participant_summary``, ...).

    Parameters
    ----------
    scores : Scores
        Computed tables.

    Returns
    -------
    dict of str to pandas.DataFrame
        Name (the CSV file's stem) → table.
    """
    return {
        "session_scores": scores.session_scores,
        "participant_summary": scores.summary,
        "curves": scores.curves,
        "sessions": scores.sessions,
        "adherence": scores.adherence,
        "composite_components": scores.components,
        "events": scores.events,
    }


def write_tables(scores: Scores, out_dir: Path, jobs: int = 1) -> list[Path]:
    """Write the score tables as CSV (formula-like text neutralised, dates as ISO 8601 text).

    Parameters
    ----------
    scores : Scores
        Computed tables.
    out_dir : Path
        Output folder.
    jobs : int, optional
        Worker processes writing tables at the same time, largest tables first
        (default 1: one after the other in this process).

    Returns
    -------
    list of Path
        Files written, in the order of :func:`table_frames`.
    """
    named = table_frames(scores)
    sessions = named["sessions"]
    named["sessions"] = sessions.assign(started=sessions["started"].map(_iso), ended=sessions["ended"].map(_iso),
                                        flags=sessions["flags"].map(";".join))
    largest_first = sorted(named, key=lambda name: -named[name].size)
    written = {path.stem: path for path in
               forked_map(lambda name: write_table(named[name], out_dir / f"{name}.csv"), largest_first, jobs)}
    return [written[name] for name in named]


def _iso(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") and value == value else ""


def _summary(study: ScoredStudy, scores: Scores, tables: list[Path], reports: list[Path], warnings_file: Path,
             cache: Path | None) -> str:
    scored = ", ".join(f"{task} {n}" for task, n in scores.rows_scored.items()) or "none"
    lines = [study.summary(),
             f"scored rows (practice and superseded rows left out): {scored}",
             f"cache: {cache} (safe to delete: the next run reads everything again)" if cache else "cache: none",
             f"wrote {len(tables)} tables to {tables[0].parent} (all warnings in {warnings_file.name})"]
    if reports:
        lines.append(f"wrote {len(reports)} HTML reports to {reports[0].parent}")
    return "\n".join(lines)
