"""``cogtrain export``: BIDS and the tasks' own export formats (docs/cli.md)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from cogtrain.errors import CogtrainError, UsageError
from cogtrain.registry import all_tasks
from cogtrain.scoring.bids import write_bids
from cogtrain.scoring.parquet_export import write_parquet_export
from cogtrain.scoring.read import read_study
from cogtrain.scoring.staging import Staging
from cogtrain.task import Export, TaskSpec

BIDS = "bids"
#: What the BIDS export owns in the output folder: replaced on every export, other files left alone.
#: A task's export owns the files it writes.
BIDS_OUTPUTS = ("dataset_description.json", "README", "participants.tsv", "participants.json", "sub-*")
PARQUET = "parquet"
#: What the Parquet export owns in the output folder.
PARQUET_OUTPUTS = ("trials", "scores")


@dataclass
class ExportResult:
    """What :func:`export_study` read and wrote.

    Attributes
    ----------
    summary_text : str
        What was read and written, and the warnings.
    warnings : list of str
        One line per file, line or session skipped or suspect.
    paths : list of Path
        Files written.
    """

    summary_text: str
    warnings: list[str]
    paths: list[Path]


def task_exports(tasks: Mapping[str, TaskSpec]) -> dict[str, tuple[str, Export]]:
    """Export formats the tasks declare: format name → (task, export)."""
    return {export.name: (name, export) for name, spec in tasks.items() for export in spec.exports}


def export_formats(tasks: Mapping[str, TaskSpec]) -> list[str]:
    """Every format ``cogtrain export`` writes: ``bids``, ``parquet`` and the tasks' own."""
    return [BIDS, PARQUET, *task_exports(tasks)]


def export_study(data_dir: Path, fmt: str, out_dir: Path, *, progress: bool | None = None,
                 tasks: Mapping[str, TaskSpec] | None = None) -> ExportResult:
    """Export every session of ``data_dir`` in a standard format.

    Parameters
    ----------
    data_dir : Path
        Folder of ``sub-<ID>/ses-<NNN>/`` session folders.
    fmt : str
        ``bids``: a BIDS behavioural dataset of all tasks (see :mod:`cogtrain.scoring.bids`);
        ``parquet``: hive-partitioned trial rows and the score tables (see
        :mod:`cogtrain.scoring.parquet_export`); or a format a task declares (:class:`cogtrain.task.Export`), written from that
        task's scored rows.
    out_dir : Path
        Output folder (created).
    progress : bool or None, optional
        Show progress bars (None: only when stderr is a terminal).
    tasks : mapping of str to TaskSpec, optional
        Tasks to read (default: every registered task).

    Returns
    -------
    ExportResult
        Summary, warnings and files written.

    Raises
    ------
    CogtrainError
        Unknown format, missing or empty data folder, output folder not
        writable, or no scored rows of the task a format exports.
    """
    tasks = dict(all_tasks() if tasks is None else tasks)
    exports = task_exports(tasks)
    if fmt not in export_formats(tasks):
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(export_formats(tasks))}")
    if fmt == PARQUET:
        with Staging(out_dir, PARQUET_OUTPUTS) as staging:
            scored, paths = write_parquet_export(Path(data_dir), tasks, staging, progress)
            final = [Path(out_dir) / p.relative_to(staging) for p in paths]
        return ExportResult(f"{scored.summary()}\nwrote {len(final)} Parquet files to {out_dir}",
                            list(scored.warnings), final)
    task, export = exports.get(fmt, (None, None))
    study = read_study(Path(data_dir), tasks, progress, only=None if task is None else {task})
    with Staging(out_dir, BIDS_OUTPUTS if export is None else ()) as staging:
        if export is None:
            paths = write_bids(study, tasks, staging, progress)
            done = f"wrote a BIDS dataset of {len(paths)} files to {out_dir}"
        else:
            rows = study.scored_rows(task)
            if rows.empty:
                raise CogtrainError(f"{data_dir}: no scored {task} rows to export in {fmt} format")
            paths, done = export.write(rows, staging)
            done = done.replace(str(staging), str(out_dir))
        final = [Path(out_dir) / p.relative_to(staging) for p in paths]
    return ExportResult(f"{study.summary()}\n{done}", list(study.warnings), final)
