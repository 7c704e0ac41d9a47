"""Where a participant's files live (docs/data-format.md)."""
from __future__ import annotations

import os
import re
from pathlib import Path

from cogtrain.errors import UsageError

PARTICIPANT_ID = re.compile(r"[A-Za-z0-9]{1,64}")
SESSION_DIR = re.compile(r"ses-([0-9]{3,})")
#: Names Windows reserves for devices in any folder (data may live on a shared drive).
WINDOWS_RESERVED = re.compile(r"(?i)(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])")


def check_participant(participant: str) -> str:
    """Return ``participant`` if it is 1–64 letters and digits, else raise :class:`UsageError`."""
    if not isinstance(participant, str) or not PARTICIPANT_ID.fullmatch(participant):
        raise UsageError(f"--participant {participant!r}: use 1 to 64 letters A-Z, a-z and digits 0-9 only "
                         "(no spaces, dots, dashes or slashes)")
    if WINDOWS_RESERVED.fullmatch(participant):
        raise UsageError(f"--participant {participant!r}: Windows reserves this name for a device; "
                         "choose another ID")
    return participant


def participant_dir(data_dir: Path, participant: str) -> Path:
    """``DATA_DIR/sub-<ID>``."""
    return Path(data_dir) / f"sub-{check_participant(participant)}"


def session_dir(data_dir: Path, participant: str, session: int) -> Path:
    """``DATA_DIR/sub-<ID>/ses-<NNN>``."""
    return participant_dir(data_dir, participant) / f"ses-{session:03d}"


def existing_sessions(sub_dir: Path) -> list[int]:
    """Session numbers whose folder holds a ``session.json`` (of any kind: an odd one is reported when read).

    A folder without one (a session killed before its first save) is not a
    session: its number is used again by the next one.
    """
    if not sub_dir.is_dir():
        return []
    found = [SESSION_DIR.fullmatch(p.name) for p in sub_dir.iterdir() if os.path.lexists(p / "session.json")]
    return sorted(int(m.group(1)) for m in found if m)
