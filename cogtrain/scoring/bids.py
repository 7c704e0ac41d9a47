"""Export a data folder as BIDS behavioural data (BIDS 1.9, "Behavioral experiments").

Layout written::

    dataset_description.json  README  participants.tsv  participants.json
    sub-<ID>/sub-<ID>_sessions.tsv (+ .json)
    sub-<ID>/ses-<NNN>/beh/sub-<ID>_ses-<NNN>_task-<label>_beh.tsv (+ .json), <label> the task name
    in letters and digits only

Every readable row is exported (practice rows and rows of blocks re-run after
a resume included, marked by ``practice`` and ``superseded``); missing values
are ``n/a``; each TSV has a sidecar describing every column, with the
instructions the participant was shown and, when the battery config's
``dataset`` section gives them, the institution. ``dataset_description.json``
takes ``Authors`` and ``License`` from that section too.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

import cogtrain
from cogtrain.scoring.bids_columns import describe_column
from cogtrain.scoring.progress import track
from cogtrain.scoring.read import Study
from cogtrain.scoring.rows import mark_superseded
from cogtrain.scoring.tables import write_table
from cogtrain.task import TaskSpec

BIDS_VERSION = "1.9.0"
NA = "n/a"


def write_bids(study: Study, tasks: Mapping[str, TaskSpec], out_dir: Path,
               progress: bool | None = None) -> list[Path]:
    """Write the BIDS dataset.

    Parameters
    ----------
    study : Study
        What was read from the data folder.
    tasks : mapping of str to TaskSpec
        Registered tasks (titles for sidecars).
    out_dir : Path
        Dataset root (created).
    progress : bool or None
        Show a progress bar (None: only on a terminal).

    Returns
    -------
    list of Path
        Files written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = _dataset_files(study, tasks, out_dir)
    for participant, sessions in study.sessions.groupby("participant"):
        written += _sessions_file(participant, sessions, out_dir)
    items = [(task, key, rows) for task in study.trials
             for key, rows in _exportable(study.task_rows(task)).groupby(["participant", "session"])]
    meta = study.sessions.set_index(["participant", "session"])
    for task, (participant, session), rows in track(items, progress, "writing BIDS files"):
        stem = f"sub-{participant}_ses-{int(session):03d}_task-{task_label(task)}_beh"
        folder = out_dir / f"sub-{participant}" / f"ses-{int(session):03d}" / "beh"
        written.append(write_table(rows, folder / f"{stem}.tsv", sep="\t", na_rep=NA))
        spec = tasks.get(task)
        sidecar = {"TaskName": task, "TaskDescription": spec.title if spec else task,
                   **_session_keys(meta.loc[(participant, int(session))], task),
                   **{c: _column_entry(c, spec, task, rows[c]) for c in rows.columns}}
        written.append(_write_json(folder / f"{stem}.json", sidecar))
    return written


def task_label(task: str) -> str:
    """The task's BIDS label: letters and digits only (``symbol_digit`` → ``symboldigit``).

    BIDS splits file names at ``_`` and ``-``; the sidecar's ``TaskName`` keeps the task's own name.

    Examples
    --------
    >>> task_label("symbol_digit")
    'symboldigit'
    """
    return re.sub(r"[^A-Za-z0-9]", "", task)


#: Sidecar keys (BIDS) filled from the battery config's ``dataset`` section.
_INSTITUTION = {"InstitutionName": "institution_name", "InstitutionAddress": "institution_address",
                "InstitutionalDepartmentName": "institution_department"}


def _session_keys(session: pd.Series, task: str) -> dict[str, Any]:
    """Instructions shown in this session, and the institution from its config."""
    keys: dict[str, Any] = {}
    pages = session["instructions"].get(task)
    if isinstance(pages, list) and pages:
        keys["Instructions"] = "\n\n".join(map(str, pages))
    dataset = _dataset_section(session["config"])
    keys.update({key: dataset[name] for key, name in _INSTITUTION.items() if dataset.get(name)})
    return keys


def _dataset_section(config: Any) -> dict[str, Any]:
    section = config.get("dataset") if isinstance(config, dict) else None
    return section if isinstance(section, dict) else {}


def _column_entry(column: str, spec: TaskSpec | None, task: str, values: pd.Series) -> dict[str, Any]:
    """The column's description; a unit is declared only for a column of numbers.

    BIDS reads a column with ``Units`` as numeric, so a column of lists such as
    ``3.280;4.149`` gives its unit in the description instead.
    """
    entry = describe_column(column, spec, task)
    if "Units" in entry and not pd.api.types.is_numeric_dtype(values):
        units = entry.pop("Units")
        entry["Description"] = f"{entry['Description']} Values in {units}; several are separated by ';'."
    return entry


def _exportable(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return rows
    rows = mark_superseded(rows)
    for column in ("session", "block", "trial", "run", "practice", "correct"):
        if column in rows and (rows[column].dropna() % 1 == 0).all():
            rows[column] = rows[column].astype("Int64")
    return rows


def _dataset_files(study: Study, tasks: Mapping[str, TaskSpec], out_dir: Path) -> list[Path]:
    names = sorted({b for b in study.sessions["battery"] if b})
    description = {
        "Name": f"cogtrain: {', '.join(names)}" if names else "cogtrain training study",
        "BIDSVersion": BIDS_VERSION,
        "DatasetType": "raw",
        "GeneratedBy": [{"Name": "cogtrain", "Version": cogtrain.__version__,
                         "Description": "cogtrain export --format bids"}],
    }
    latest = study.sessions.sort_values("started", na_position="first")["config"].map(_dataset_section)
    authors = [a for section in latest for a in [section.get("authors")] if a]
    licences = [section["license"] for section in latest if section.get("license")]
    if authors:
        description["Authors"] = [str(a) for a in authors[-1]]
    if licences:
        description["License"] = str(licences[-1])
    readme = out_dir / "README"
    titles = ", ".join(tasks[t].title if t in tasks else t for t in study.trials)
    readme.write_text(
        f"Behavioural data of a computerized cognitive-training study (cogtrain: {titles}),\n"
        "exported with `cogtrain export --format bids`.\n\n"
        "Each sub-<ID>/ses-<NNN>/beh/ folder holds one trial log per task (one row per trial,\n"
        "or per event where a task logs events); the JSON sidecar next to each\n"
        "TSV describes every column. Practice trials (practice = 1) and blocks re-run after a\n"
        "resumed session (superseded = 1) are included and marked; cogtrain's scores leave\n"
        "them out. sub-<ID>/sub-<ID>_sessions.tsv lists each session's date, status and\n"
        "minutes trained.\n", encoding="utf-8")
    counts = study.sessions.groupby("participant").size()
    participants = pd.DataFrame({"participant_id": "sub-" + counts.index.astype(str),
                                 "n_sessions": counts.to_numpy()})
    return [
        _write_json(out_dir / "dataset_description.json", description), readme,
        write_table(participants, out_dir / "participants.tsv", sep="\t", na_rep=NA),
        _write_json(out_dir / "participants.json", {
            "participant_id": {"LongName": "Participant", "Description": "Participant label (sub-<ID>)."},
            "n_sessions": {"LongName": "Sessions", "Description": "Number of session folders found."}}),
    ]


def _sessions_file(participant: str, sessions: pd.DataFrame, out_dir: Path) -> list[Path]:
    started = sessions["started"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    table = pd.DataFrame({
        "session_id": [f"ses-{s:03d}" for s in sessions["session"]],
        "acq_time": started.where(sessions["started"].notna(), None),
        "status": sessions["status"],
        "minutes_trained": np.round(sessions["duration_s"] / 60.0, 2),
    })
    folder = out_dir / f"sub-{participant}"
    sidecar = {
        "session_id": {"LongName": "Session", "Description": "Session label."},
        "acq_time": {"LongName": "Start time", "Description": "When the session started (UTC)."},
        "status": {"LongName": "Status", "Description": "How the session ended.",
                   "Levels": {"complete": "all blocks done", "aborted": "ended early by the participant or "
                              "researcher", "running": "did not end (interrupted)", "unknown": "no session.json"}},
        "minutes_trained": {"LongName": "Minutes trained", "Description": "Session time trained.",
                            "Units": "min"},
    }
    return [write_table(table, folder / f"sub-{participant}_sessions.tsv", sep="\t", na_rep=NA),
            _write_json(folder / f"sub-{participant}_sessions.json", sidecar)]


def _write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
