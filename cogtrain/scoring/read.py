"""Read a whole data folder: sessions, trial logs and what could not be read."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Mapping

import pandas as pd

from cogtrain.scoring.folders import LogFile, SessionFolder, find_sessions
from cogtrain.scoring.rows import scored_rows
from cogtrain.scoring.sessionmeta import read_sessions
from cogtrain.scoring.triallogs import FILE, LINE, read_logs
from cogtrain.task import TaskSpec


@dataclass
class Study:
    """Everything read from a data folder.

    Attributes
    ----------
    data_dir : Path
        The folder that was read.
    trials : dict of str to pandas.DataFrame
        All readable rows of each task's logs (practice and superseded rows
        included), with ``_file`` and ``_line`` locating each row.
    files : list of LogFile
        The trial logs, indexed by ``_file``.
    sessions : pandas.DataFrame
        One row per session folder (see :func:`cogtrain.scoring.sessionmeta.read_sessions`).
    warnings : list of str
        One line per file, line or session that was skipped or is suspect.
    """

    data_dir: Path
    trials: dict[str, pd.DataFrame]
    files: list[LogFile]
    sessions: pd.DataFrame
    warnings: list[str]

    @property
    def n_rows(self) -> int:
        """Number of trial rows read (all tasks)."""
        return sum(len(df) for df in self.trials.values())

    def task_rows(self, task: str) -> pd.DataFrame:
        """Rows of one task without the helper columns (empty frame if none)."""
        df = self.trials.get(task)
        if df is None:
            return pd.DataFrame()
        return df.drop(columns=[FILE, LINE])

    def scored_rows(self, task: str) -> pd.DataFrame:
        """Rows of one task that are scored, practice and superseded rows left out (empty frame if none)."""
        return scored_rows(self.task_rows(task)) if task in self.trials else pd.DataFrame()

    def summary(self, shown_warnings: int = 20) -> str:
        """Human-readable lines: participants, sessions, rows per task, and the first warnings."""
        participants = self.sessions["participant"].nunique()
        statuses = self.sessions["status"].value_counts().to_dict()
        status_text = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        lines = [f"read {self.data_dir}: {participants} participant(s), {len(self.sessions)} session(s) "
                 f"({status_text}), {len(self.files)} trial log(s), {self.n_rows} trial rows"]
        lines += [f"  {task}: {len(df)} rows" for task, df in self.trials.items()]
        lines.append(f"{len(self.warnings)} warning(s)")
        lines += [f"  warning: {w}" for w in self.warnings[:shown_warnings]]
        if len(self.warnings) > shown_warnings:
            lines.append(f"  ... and {len(self.warnings) - shown_warnings} more")
        return "\n".join(lines)


def read_study(data_dir: Path, tasks: Mapping[str, TaskSpec], progress: bool | None = None,
               only: Collection[str] | None = None) -> Study:
    """Read every session folder of ``data_dir``.

    Parameters
    ----------
    data_dir : Path
        Holds ``sub-<ID>/ses-<NNN>/`` folders (docs/data-format.md).
    tasks : mapping of str to TaskSpec
        Registered tasks; logs of other names are reported and not read.
    progress : bool or None
        Show a progress bar (None: only on a terminal).
    only : collection of str, optional
        Read the logs of these tasks only (default: every registered task).

    Returns
    -------
    Study
        The tables read and the warnings.

    Raises
    ------
    CogtrainError
        If the folder is missing or holds no session folder.
    """
    warnings: list[str] = []
    folders = find_sessions(Path(data_dir), set(tasks), warnings)
    return read_folders(Path(data_dir), folders, warnings, progress, only)


def read_folders(data_dir: Path, folders: list[SessionFolder], warnings: list[str],
                 progress: bool | None = None, only: Collection[str] | None = None,
                 logs_known: Collection[str] = ()) -> Study:
    """Read the session folders found by :func:`find_sessions` (all of them, or some participants').

    Parameters
    ----------
    data_dir : Path
        The data folder they belong to.
    folders : list of SessionFolder
        Session folders to read, sorted by participant and session.
    warnings : list of str
        Warnings so far; the reading adds its own and the Study keeps the list.
    progress : bool or None
        Show a progress bar (None: only on a terminal).
    only : collection of str, optional
        Read the logs of these tasks only.
    logs_known : collection of str, optional
        Labels of session folders whose trial logs are not read (their rows
        come from elsewhere, e.g. the columnar cache); their session.json is.

    Returns
    -------
    Study
        The tables read and the warnings.
    """
    sessions = read_sessions(folders, warnings)
    files = [log for folder in folders if folder.label not in logs_known
             for log in folder.logs if only is None or log.task in only]
    for folder in folders:
        if not folder.logs:
            warnings.append(f"{folder.label}: no trial logs; listed for attendance only")
    trials = read_logs(files, warnings, progress)
    return Study(Path(data_dir), trials, files, sessions, warnings)
