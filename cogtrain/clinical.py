"""Clinical context beside the training: events (relapses, treatment changes) per participant.

``cogtrain event ID --date D --type T [--note TEXT]`` appends one line to
``DATA_DIR/sub-<ID>/events.jsonl`` (never rewritten); scoring lists the events,
with the session check-in answers, in ``events.csv`` (docs/programme.md).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from cogtrain.errors import UsageError
from cogtrain.files import append_json_line, read_json_lines
from cogtrain.paths import participant_dir

EVENTS_FILE = "events.jsonl"
#: Event types and what they mean.
EVENT_TYPES: dict[str, str] = {
    "relapse": "an MS relapse (new or worse symptoms for more than 24 hours)",
    "steroids": "a course of corticosteroids",
    "dmt_start": "a disease-modifying treatment started",
    "dmt_change": "a disease-modifying treatment changed or stopped",
    "other": "anything else that may affect training (say what in the note)",
}
MAX_NOTE = 500


def record_event(data_dir: Path, participant: str, day: str, kind: str, note: str = "") -> dict[str, Any]:
    """Append a clinical event of ``participant`` and return it.

    Raises
    ------
    UsageError
        For a date that is not YYYY-MM-DD or lies in the future, an unknown type,
        an ``other`` event without a note, or a note longer than 500 characters.
    """
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise UsageError(f"--date {day!r}: expected a date as YYYY-MM-DD, e.g. 2026-03-14") from None
    if len(day) != 10 or when > datetime.now(timezone.utc).date():
        raise UsageError(f"--date {day!r}: expected a past or today's date as YYYY-MM-DD")
    if kind not in EVENT_TYPES:
        raise UsageError(f"--type {kind!r}: expected one of {', '.join(EVENT_TYPES)}")
    note = " ".join(note.split())
    if kind == "other" and not note:
        raise UsageError("--type other needs --note TEXT saying what happened")
    if len(note) > MAX_NOTE:
        raise UsageError(f"--note is {len(note)} characters; at most {MAX_NOTE}")
    folder = participant_dir(data_dir, participant)
    folder.mkdir(parents=True, exist_ok=True)
    entry = {"date": when.isoformat(), "type": kind, "note": note,
             "recorded": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    append_json_line(folder / EVENTS_FILE, entry)
    return entry


def read_events(sub_dir: Path) -> list[dict[str, Any]]:
    """The clinical events of one participant folder, oldest first by date (malformed lines raise)."""
    entries = [e for e in read_json_lines(Path(sub_dir) / EVENTS_FILE, what="events log") if isinstance(e, dict)]
    return sorted(entries, key=lambda e: str(e.get("date")))
