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
#: Session numbers run from 1 to this (as ``cogtrain run --session`` accepts).
MAX_SESSION = 9999
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
    temporary files of atomic writes, are passed over silently); so are
    symbolic links leading outside ``data_dir``, empty session folders, and
    a second folder of one session number (``ses-1`` beside ``ses-001``).

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
    inside = _Inside(data_dir, warnings)
    for sub in inside.entries(data_dir, ""):
        match = SUBJECT_DIR.fullmatch(sub.name)
        if sub.name in KNOWN_FOLDERS and sub.is_dir():
            continue
        if not (match and sub.is_dir()):
            warnings.append(f"{sub.name}: not a sub-<ID> participant folder; ignored")
            continue
        found: dict[int, SessionFolder] = {}
        sub_dir = data_dir / sub.name
        for ses in inside.entries(sub_dir, f"{sub.name}/"):
            ses_match = SESSION_DIR.fullmatch(ses.name)
            label = f"{sub.name}/{ses.name}"
            number = int(ses_match[1]) if ses_match else 0
            if not (ses_match and ses.is_dir() and 1 <= number <= MAX_SESSION):
                if ses.name not in KNOWN_FILES:
                    warnings.append(f"{label}: not a ses-<NNN> session folder (numbers 1 to {MAX_SESSION}); ignored")
                continue
            folder = _session_folder(sub_dir / ses.name, label, match[1], number, tasks, inside, warnings)
            if folder is not None:
                _add_once(found, folder, warnings)
        sessions += found.values()
    if not sessions:
        raise CogtrainError(f"data folder {data_dir} holds no sub-<ID>/ses-<NNN> session folders; nothing to read")
    sessions.sort(key=lambda s: (s.participant, s.session))
    return sessions


class _Inside:
    """Lists folder entries, leaving out hidden ones and symbolic links that lead outside the data folder."""

    def __init__(self, root: Path, warnings: list[str]):
        self.root = root.resolve()
        self.warnings = warnings

    def entries(self, folder: Path, label: str) -> list[os.DirEntry]:
        """Entries of ``folder`` by name (scandir: no stat per entry, except for links)."""
        with os.scandir(folder) as found:
            visible = sorted((e for e in found if not e.name.startswith(".")), key=lambda e: e.name)
        return [e for e in visible if not (e.is_symlink() and self._leads_out(e, label))]

    def _leads_out(self, entry: os.DirEntry, label: str) -> bool:
        target = Path(entry.path).resolve()
        if target.is_relative_to(self.root):
            return False
        self.warnings.append(f"{label}{entry.name}: a symbolic link leading outside the data folder "
                             f"(to {target}); not followed")
        return True


def _add_once(found: dict[int, SessionFolder], folder: SessionFolder, warnings: list[str]) -> None:
    """Keep one folder per session number: ``ses-001`` before ``ses-1``, else the first by name."""
    other = found.get(folder.session)
    if other is None:
        found[folder.session] = folder
        return
    canonical = f"ses-{folder.session:03d}"
    keep, drop = (folder, other) if folder.path.name == canonical else (other, folder)
    found[folder.session] = keep
    warnings.append(f"{drop.label}: a second folder of session {folder.session} beside {keep.label}; "
                    f"only {keep.label} is read (merge or rename the folders)")


def _session_folder(folder: Path, label: str, participant: str, session: int, tasks: Collection[str],
                    inside: _Inside, warnings: list[str]) -> SessionFolder | None:
    """The folder's trial logs; None (with a warning) for an empty folder, which is no session."""
    found = SessionFolder(folder, label, participant, session)
    entries = inside.entries(folder, f"{label}/")
    if not entries:
        warnings.append(f"{label}: empty session folder; not counted as a session")
        return None
    for entry in entries:
        name = f"{label}/{entry.name}"
        stem, dot, suffix = entry.name.rpartition(".")
        if dot and suffix == "csv" and entry.is_file():
            if stem in tasks:
                found.logs.append(LogFile(folder / entry.name, name, participant, session, stem))
            else:
                warnings.append(f"{name}: no registered task {stem!r} "
                                f"(registered: {', '.join(sorted(tasks)) or 'none'}); not scored")
        elif entry.name not in KNOWN_FILES:
            warnings.append(f"{name}: not a trial log or session.json; ignored")
    return found
