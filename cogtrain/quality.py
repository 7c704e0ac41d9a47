"""Data-quality flags of a session: stored in ``session.json``, listed in ``sessions.csv``.

A flag marks something an analyst should know before trusting a session's
numbers (docs/programme.md lists what each one means). Flags are added as
things happen and never removed: ``aborted`` stays on a session that was later
continued to completion, beside ``resumed``.
"""
from __future__ import annotations

from typing import Any

#: Every flag, with what it tells the analyst.
FLAGS: dict[str, str] = {
    "resumed": "the session was continued in a later run after it stopped early",
    "aborted": "the session stopped early at least once (Escape, a crash, a kill or a closed window)",
    "abandoned": "the session was left unfinished and a new one started instead",
    "settings_override": "other settings than the enrolled battery or profile were used, with a reason",
    "profile_changed": "the profile differs from the one used in the participant's previous session",
    "screen_changed": "the window size differs from the participant's previous session",
    "host_changed": "the computer differs from the participant's previous session",
    "refresh_unmeasured": "the display's refresh rate could not be measured",
    "refresh_changed": "the display's refresh rate differs from the participant's previous session",
}


def add_flag(record: dict[str, Any], flag: str, detail: str) -> None:
    """Add ``flag`` with a one-line ``detail`` to a session record (``session.json`` data).

    Raises
    ------
    ValueError
        If ``flag`` is not one of :data:`FLAGS` (a programming error, never user input).

    Examples
    --------
    >>> record = {}
    >>> add_flag(record, "resumed", "run 2 continued at tower block 3")
    >>> record["flags"]
    [{'flag': 'resumed', 'detail': 'run 2 continued at tower block 3'}]
    """
    if flag not in FLAGS:
        raise ValueError(f"unknown data-quality flag {flag!r}; known: {', '.join(FLAGS)}")
    record.setdefault("flags", []).append({"flag": flag, "detail": detail})


def flag_names(record: dict[str, Any]) -> list[str]:
    """The distinct flags of a session record, in the order of :data:`FLAGS` (unknown names dropped).

    >>> flag_names({"flags": [{"flag": "resumed"}, {"flag": "aborted"}, {"flag": "resumed"}, "junk"]})
    ['resumed', 'aborted']
    """
    flags = record.get("flags") if isinstance(record, dict) else None
    found = {f.get("flag") for f in flags if isinstance(f, dict)} if isinstance(flags, list) else set()
    return [name for name in FLAGS if name in found]
