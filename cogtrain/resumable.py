"""Check a ``session.json`` before ``--resume`` trusts it (hand-edited, damaged or foreign records).

Every value the runner reads back is checked for its type and a sensible
range; a problem is one line naming the file and key and saying what to do.
The participant and session number always come from the folder names, never
from the record's editable fields. See docs/robustness.md.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cogtrain.config import Battery
from cogtrain.errors import CogtrainError, UsageError

#: Longest plausible session, in seconds (a record claiming more is damaged).
MAX_DURATION_S = 7 * 24 * 3600.0
STATUSES = ("running", "aborted")
_BLOCK_KEY = re.compile(r"([A-Za-z0-9_]+):(\d{1,6})")


def check_resumable(data: Any, path: Path, battery: Battery, participant: str, number: int) -> list[str]:
    """Raise if the record cannot be resumed with ``battery``; return notes on fields set from the folder.

    Parameters
    ----------
    data : Any
        The parsed ``session.json``.
    path : Path
        Its path, for messages.
    battery : Battery
        The battery the session is resumed with: its configuration must be the record's.
    participant, number : str, int
        From the folder names ``sub-<ID>/ses-<NNN>``.

    Raises
    ------
    UsageError
        The session is complete, or was started with another configuration.
    CogtrainError
        A damaged record: one line naming the file and key and saying what to do.
    """
    def fail(key: str, problem: str) -> CogtrainError:
        return CogtrainError(f"{path}: key {key}: {problem}; the session record is damaged: restore it from a "
                             "backup, or leave out --resume to start a new session")

    if not isinstance(data, dict):
        raise CogtrainError(f"{path}: top level is a {type(data).__name__}, not a session record; restore it "
                            "from a backup, or leave out --resume to start a new session")
    if data.get("status") == "complete":
        raise UsageError(f"--resume: session {number} of {participant} is already complete")
    if data.get("config") != battery.resolved():
        raise UsageError(f"--resume: {battery.path} differs from the configuration session {number} "
                         f"started with ({data.get('config_path')}); resume with the same file")
    task_names = battery.task_names
    if data.get("status") not in STATUSES:
        raise fail("status", f"{_show(data.get('status'))}, expected one of {', '.join(STATUSES)}")
    seed = data.get("seed")
    if not whole_number(seed) or not 0 <= seed < 2**63:
        raise fail("seed", f"{_show(seed)}, expected a whole number from 0 to 2^63-1")
    order = data.get("task_order")
    if not isinstance(order, list) or sorted(map(str, order)) != sorted(task_names) or len(set(order)) != len(order):
        raise fail("task_order", f"{_show(order)}, expected each of {', '.join(task_names)} once")
    _list_of_dicts(data, "runs", fail)
    _list_of_dicts(data, "fatigue", fail)
    duration = data.get("duration_s")
    if isinstance(duration, bool) or not isinstance(duration, (int, float)) or not 0 <= duration <= MAX_DURATION_S:
        raise fail("duration_s", f"{_show(duration)}, expected seconds from 0 to {MAX_DURATION_S:.0f}")
    _check_started(data.get("started"), fail)
    carried_start = data.get("carried_start")
    if not isinstance(carried_start, dict):
        raise fail("carried_start", "missing or not a mapping")
    for name in task_names:
        if carried_start.get(name) is not None and not isinstance(carried_start[name], dict):
            raise fail(f"carried_start.{name}", f"{_show(carried_start[name])}, expected a mapping")
    _check_progress(data.get("progress"), task_names, fail)
    notes = []
    for key, value, label in (("participant", participant, "participant"), ("session", number, "session number")):
        if data.get(key) != value:
            notes.append(f"{path}: key {key} says {_show(data.get(key))}; using {label} {value} from the folder name")
            data[key] = value
    return notes


def _check_progress(progress: Any, task_names: list[str], fail) -> None:
    if not isinstance(progress, dict):
        raise fail("progress", "missing or not a mapping")
    done = progress.get("done")
    if not isinstance(done, list):
        raise fail("progress.done", f"{_show(done)}, expected a list of finished blocks")
    for i, key in enumerate(done):
        match = _BLOCK_KEY.fullmatch(key) if isinstance(key, str) else None
        if not match or match.group(1) not in task_names:
            raise fail(f"progress.done[{i}]", f"{_show(key)}, expected TASK:BLOCK of a task of this battery")
    for section in ("snapshots", "carried"):
        entries = progress.setdefault(section, {})  # records of earlier versions have no "carried"
        if not isinstance(entries, dict):
            raise fail(f"progress.{section}", f"{_show(entries)}, expected a mapping of task names")
        for name, entry in entries.items():
            if name not in task_names:
                raise fail(f"progress.{section}.{name}", "a task that is not in this battery")
            if not isinstance(entry, dict):
                raise fail(f"progress.{section}.{name}", f"{_show(entry)}, expected a mapping")
    for name, entry in progress["carried"].items():
        if not whole_number(entry.get("commit")) or entry["commit"] < 1 or not isinstance(entry.get("state"), dict):
            raise fail(f"progress.carried.{name}", "expected a commit number and a state mapping")


def _check_started(started: Any, fail) -> None:
    if started is None:
        return
    try:
        when = datetime.fromisoformat(started)
    except (TypeError, ValueError):
        raise fail("started", f"{_show(started)}, expected an ISO 8601 date and time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    if not datetime(2000, 1, 1, tzinfo=timezone.utc) <= when <= datetime.now(timezone.utc) + timedelta(days=1):
        raise fail("started", f"{_show(started)} is not a possible start (before 2000 or in the future)")


def _list_of_dicts(data: dict, key: str, fail) -> None:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise fail(key, f"{_show(value)}, expected a list of mappings")


def whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."
