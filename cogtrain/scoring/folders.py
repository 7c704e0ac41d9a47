"""Find the participants, sessions and trial logs of a data folder (docs/data-format.md)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection

from cogtrain.errors import CogtrainError

SUBJECT_DIR = re.compile(r"sub-([A-Za-z0-9]+)")
SESSION_DIR = re.compile(r"ses-([0-9]+)")
#: Files a participant or session folder may hold besides sessions and trial logs.
KNOWN_FILES = {"state.json", "assessment_state.json", "session.json",
               # the participant's record (docs/programme.md)
               "participant.json", "battery.yaml", "profile.yaml", "audit.jsonl"}
#: Folders of the data folder that hold no participant: a study's allocation log (see docs/study.md).
KNOWN_FOLDERS = {"allocation"}


@dataclass(frozen=True)
class LogFile:
    """One ``<task>.csv`` trial log and where it was found.

    Attributes
    ----------
    path : Path
        The file.
    label : str
        Path relative to the data folder, for messages.
    participant : str
        ID from the ``sub-<ID>`` folder.
    session : int
        Number from the ``ses-<NNN>`` folder.
    task : str
        Task name (the file's stem).
    """

    path: Path
    label: str
    participant: str
    session: int
    task: str


@dataclass
class SessionFolder:
    """One ``sub-<ID>/ses-<NNN>`` folder."""

    path: Path
    label: str
    participant: str
    session: int
    logs: list[LogFile] = field(default_factory=list)


def find_sessions(data_dir: Path, tasks: Collection[str], warnings: list[str]) -> list[SessionFolder]:
    """List every session folder of ``data_dir`` with its trial logs of registered tasks.

    Folders and files that do not follow the contract are reported in
    ``warnings`` and not read (hidden files, such as lock files and
    temporary files of atomic writes, are passed over silently).

    Parameters
    ----------
    data_dir : Path
        The study's data folder.
    tasks : collection of str
        Names of the registered tasks.
    warnings : list of str
        Receives one line per ignored folder or file.

    Returns
    -------
    list of SessionFolder
        Sorted by participant and session.

    Raises
    ------
    CogtrainError
        If ``data_dir`` is missing, not a folder, or holds no session folder.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        what = "is not a folder" if data_dir.exists() else "does not exist"
        raise CogtrainError(f"data folder {data_dir} {what}")
    sessions: list[SessionFolder] = []
    for sub in _visible(data_dir):
        match = SUBJECT_DIR.fullmatch(sub.name)
        if sub.name in KNOWN_FOLDERS and sub.is_dir():
            continue
        if not (match and sub.is_dir()):
            warnings.append(f"{sub.name}: not a sub-<ID> participant folder; ignored")
            continue
        for ses in _visible(Path(sub.path)):
            ses_match = SESSION_DIR.fullmatch(ses.name)
            if ses_match and ses.is_dir():
                sessions.append(_session_folder(Path(ses.path), f"{sub.name}/{ses.name}", match[1],
                                                int(ses_match[1]), tasks, warnings))
            elif ses.name not in KNOWN_FILES:
                warnings.append(f"{sub.name}/{ses.name}: not a ses-<NNN> session folder; ignored")
    if not sessions:
        raise CogtrainError(f"data folder {data_dir} holds no sub-<ID>/ses-<NNN> session folders; nothing to read")
    sessions.sort(key=lambda s: (s.participant, s.session))
    return sessions


def _visible(folder: Path) -> list[os.DirEntry]:
    """Entries of ``folder`` without hidden ones, by name (scandir: no stat per entry)."""
    with os.scandir(folder) as entries:
        return sorted((e for e in entries if not e.name.startswith(".")), key=lambda e: e.name)


def _session_folder(folder: Path, label: str, participant: str, session: int,
                    tasks: Collection[str], warnings: list[str]) -> SessionFolder:
    found = SessionFolder(folder, label, participant, session)
    for entry in _visible(folder):
        name = f"{label}/{entry.name}"
        stem, dot, suffix = entry.name.rpartition(".")
        if dot and suffix == "csv" and entry.is_file():
            if stem in tasks:
                found.logs.append(LogFile(Path(entry.path), name, participant, session, stem))
            else:
                warnings.append(f"{name}: no registered task {stem!r} "
                                f"(registered: {', '.join(sorted(tasks)) or 'none'}); not scored")
        elif entry.name not in KNOWN_FILES:
            warnings.append(f"{name}: not a trial log or session.json; ignored")
    return found
