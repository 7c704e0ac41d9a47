"""``cogtrain export``: psifr and BIDS exports of a data folder."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from cogtrain.errors import CogtrainError, UsageError
from cogtrain.registry import all_tasks
from cogtrain.scoring.bids import write_bids
from cogtrain.scoring.psifr_export import psifr_table
from cogtrain.scoring.read import read_study
from cogtrain.scoring.tables import output_folder, write_table
from cogtrain.task import TaskSpec

FORMATS = ("psifr", "bids")
PSIFR_FILE = "recall_psifr.csv"


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


def export_study(data_dir: Path, fmt: str, out_dir: Path, *, progress: bool | None = None,
                 tasks: Mapping[str, TaskSpec] | None = None) -> ExportResult:
    """Export every session of ``data_dir`` in a standard format.

    Parameters
    ----------
    data_dir : Path
        Folder of ``sub-<ID>/ses-<NNN>/`` session folders.
    fmt : {"psifr", "bids"}
        ``psifr``: ``OUT_DIR/recall_psifr.csv``, scored recall rows in psifr's
        long format (see :mod:`cogtrain.scoring.psifr_export`). ``bids``: a BIDS
        behavioural dataset of all tasks (see :mod:`cogtrain.scoring.bids`).
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
        writable, or no recall rows for psifr.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    tasks = dict(all_tasks() if tasks is None else tasks)
    study = read_study(Path(data_dir), tasks, progress, only={"recall"} if fmt == "psifr" else None)
    out_dir = output_folder(out_dir)
    if fmt == "psifr":
        rows = study.scored_rows("recall")
        if rows.empty:
            raise CogtrainError(f"{data_dir}: no scored recall rows to export in psifr format")
        table = psifr_table(rows)
        paths = [write_table(table, out_dir / PSIFR_FILE)]
        invalid = int(((rows["trial_type"] == "recall") & (rows["scoring_rule"] == "invalid")).sum())
        done = (f"wrote {len(table)} psifr rows to {paths[0]}; left out {invalid} invalid recall entries "
                "(empty or not a word), which psifr would count as intrusions")
    else:
        paths = write_bids(study, tasks, out_dir, progress)
        done = f"wrote a BIDS dataset of {len(paths)} files to {out_dir}"
    return ExportResult(f"{study.summary()}\n{done}", list(study.warnings), paths)
