"""Per-participant adaptive state (``state.json``), carried from session to session."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from cogtrain.errors import CogtrainError
from cogtrain.files import read_json, write_json_atomic


class ParticipantState:
    """Read and update ``sub-<ID>/state.json`` (atomic writes only).

    The file holds, per task, what the task asked to carry over (its level,
    problems or words already used, ...).
    """

    def __init__(self, path: Path, participant: str):
        self.path = Path(path)
        self.data: dict = {"participant": participant, "updated": None, "tasks": {}}
        if self.path.exists():
            loaded = read_json(self.path)
            if not isinstance(loaded, dict) or not isinstance(loaded.get("tasks"), dict):
                raise CogtrainError(f"{self.path}: not a cogtrain state file (no 'tasks' mapping)")
            self.data = loaded

    def task(self, name: str) -> dict | None:
        """The carried state of one task, or None before its first session."""
        return self.data["tasks"].get(name)

    def update_task(self, name: str, carried: dict) -> None:
        """Store one task's carried state and write the file atomically."""
        self.data["tasks"][name] = carried
        self.data["updated"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        write_json_atomic(self.path, self.data)
