"""Per-participant adaptive state (``state.json``), carried from session to session.

``state.json`` is a copy kept for speed: the record of truth is each session's
``session.json``, where every finished block stores the task's carried state
under a commit number that rises with every block. Before a session starts,
the participant state is checked against the session records and repaired
from them when a run was stopped between the two writes of a block, or when
``state.json`` is damaged. See docs/robustness.md.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from cogtrain.errors import CogtrainError
from cogtrain.files import UnreadableFile, read_json, write_json_atomic
from cogtrain.resumable import whole_number

WHAT = "participant state file (state.json)"


class ParticipantState:
    """Read, repair and update ``sub-<ID>/state.json`` (atomic writes only).

    The file holds, per task, what the task asked to carry over (its level,
    problems or words already used, ...) under ``tasks``, and under
    ``commits`` the commit number of the session record each entry came from.

    Parameters
    ----------
    path : Path
        ``sub-<ID>/state.json``.
    participant : str
        The participant ID (from the folder name).
    """

    def __init__(self, path: Path, participant: str):
        self.path = Path(path)
        self.data: dict[str, Any] = {"participant": participant, "updated": None, "tasks": {}, "commits": {}}
        self.notes: list[str] = []
        self.damage: str | None = None
        if self.path.exists() or self.path.is_symlink():
            try:
                self.data = _checked(read_json(self.path, what=WHAT), participant)
            except UnreadableFile as exc:
                self.damage = exc.reason
            except ValueError as exc:
                self.damage = str(exc)

    def task(self, name: str) -> dict | None:
        """The carried state of one task, or None before its first session."""
        return self.data["tasks"].get(name)

    def next_commit(self) -> int:
        """The commit number of the next finished block."""
        return max(self.data["commits"].values(), default=0) + 1

    def reconcile(self, records: Iterable[tuple[str, dict]]) -> None:
        """Bring the state up to the latest block committed in any session record.

        ``records`` are ``(label, session.json content)`` pairs. An entry newer
        than the state's (a run killed between the two writes of a block) is
        copied in; a damaged ``state.json`` is rebuilt from the records, and
        the damaged file kept beside it. Each repair adds a line to
        :attr:`notes`. Raises :class:`CogtrainError` if the file is damaged
        and no record holds a state to rebuild it from.
        """
        newest: dict[str, tuple[int, dict, str]] = {}
        for label, record in records:
            for name, commit, carried in committed(record):
                if commit > newest.get(name, (0,))[0]:
                    newest[name] = (commit, carried, label)
        if self.damage is not None:
            self._rebuild(newest)
            return
        changed = []
        for name, (commit, carried, label) in sorted(newest.items()):
            if commit > self.data["commits"].get(name, 0):
                self.data["tasks"][name] = carried
                self.data["commits"][name] = commit
                changed.append(f"{name} from {label}")
        if changed:
            self.notes.append(f"{self.path}: brought up to date with the last finished block(s) "
                              f"({', '.join(changed)}); the last run stopped before saving it")
            self._save()

    def _rebuild(self, newest: dict[str, tuple[int, dict, str]]) -> None:
        if not newest:
            raise CogtrainError(
                f"{self.path}: {self.damage}; no session record holds a level to rebuild it from: restore "
                "the file from a backup, or delete it to start every task at its first-session level")
        kept = self.path.with_name(f"state.damaged-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.json")
        self.path.replace(kept)
        self.data["tasks"] = {name: carried for name, (_, carried, _) in newest.items()}
        self.data["commits"] = {name: commit for name, (commit, _, _) in newest.items()}
        self.notes.append(f"{self.path}: {self.damage}; rebuilt from the session records "
                          f"({', '.join(sorted({label for _, _, label in newest.values()}))}); "
                          f"the damaged file is kept as {kept.name}")
        self.damage = None
        self._save()

    def update_task(self, name: str, carried: dict, commit: int) -> None:
        """Store one task's carried state (committed under ``commit``) and write the file atomically."""
        self.data["tasks"][name] = carried
        self.data["commits"][name] = commit
        self._save()

    def _save(self) -> None:
        self.data["updated"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        write_json_atomic(self.path, self.data)


def _checked(data: Any, participant: str) -> dict[str, Any]:
    """The loaded state if its structure is cogtrain's; ValueError naming the key otherwise."""
    if not isinstance(data, dict):
        raise ValueError(f"top level is a {type(data).__name__}, expected a mapping")
    tasks = data.get("tasks")
    if not isinstance(tasks, dict):
        raise ValueError("key tasks: missing or not a mapping of task names to their state")
    for name, entry in tasks.items():
        if not isinstance(entry, dict):
            raise ValueError(f"key tasks.{name}: a {type(entry).__name__}, expected a mapping")
    commits = data.setdefault("commits", {})  # files of earlier versions have none
    if not isinstance(commits, dict) or not all(whole_number(v) and v >= 0 for v in commits.values()):
        raise ValueError("key commits: expected a mapping of task names to whole numbers")
    return {**data, "participant": participant}


def committed(record: dict) -> list[tuple[str, int, dict]]:
    """``(task, commit, carried state)`` of each task's last finished block in a session record.

    Entries of a damaged record that do not have this shape are left out.
    """
    progress = record.get("progress") if isinstance(record, dict) else None
    carried = progress.get("carried") if isinstance(progress, dict) else None
    if not isinstance(carried, dict):
        return []
    return [(name, entry["commit"], entry["state"]) for name, entry in carried.items()
            if isinstance(entry, dict) and whole_number(entry.get("commit")) and entry["commit"] > 0
            and isinstance(entry.get("state"), dict)]


