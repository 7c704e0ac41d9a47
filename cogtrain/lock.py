"""The participant lock: one session at a time per participant, also on a shared drive.

The lock is ``sub-<ID>/.lock``, a small JSON file naming the host, the process
ID, the process's start time and a random token. It is created atomically
with its content (a temporary file linked into place), so no other run ever
sees it empty. A lock whose process is gone on this computer is taken over;
a lock of another computer, or one that cannot be read, is never taken over:
the message says how to clear it. See docs/robustness.md.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psutil

from cogtrain.errors import CogtrainError
from cogtrain.files import LOCK_LIMIT, UnreadableFile, read_limited

#: Largest process ID any supported system hands out (Windows IDs are 32-bit).
MAX_PID = 2**32 - 1
#: A process whose start time differs from the lock's by more than this is another process.
START_TOLERANCE_S = 1.0


class ParticipantLock:
    """Context manager refusing a second concurrent session for the same participant."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / ".lock"
        self.token = secrets.token_hex(8)
        self._held = False

    def __enter__(self) -> "ParticipantLock":
        content = json.dumps(_owner(self.token)).encode()
        for _ in range(3):
            if _create(self.path, content):
                self._held = True
                return self
            seen = _read(self.path)
            if seen is None:
                continue  # removed in the meantime: try again
            problem = _still_held(self.path, seen)
            if problem:
                raise CogtrainError(problem)
            _take_over(self.path, seen)
        raise CogtrainError(f"{self.path}: another run keeps taking the participant lock; try again")

    def __exit__(self, *exc: object) -> None:
        if not self._held:
            return
        self._held = False
        try:
            mine = _parse(_read(self.path) or b"").get("token") == self.token
        except ValueError:
            mine = False
        if mine:
            self.path.unlink(missing_ok=True)


def _owner(token: str) -> dict[str, Any]:
    me = psutil.Process()
    return {"host": socket.gethostname(), "pid": me.pid, "process_started": me.create_time(),
            "locked": datetime.now(timezone.utc).isoformat(timespec="seconds"), "token": token}


def _create(path: Path, content: bytes) -> bool:
    """Put a lock with ``content`` in place atomically; False if one exists."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lock.", suffix=".tmp")
    except OSError as exc:  # a read-only or full data folder: name the lock, not a temporary name
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links (FAT, some network shares)
            return _create_exclusive(path, content)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _create_exclusive(path: Path, content: bytes) -> bool:
    """Fallback: create with O_EXCL, then write (another run may briefly see it empty and waits)."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    return True


def _read(path: Path) -> bytes | None:
    """The lock's bytes, None if it is gone; an unreadable lock raises with how to clear it."""
    try:
        return read_limited(path, limit=LOCK_LIMIT, what="participant lock file")
    except UnreadableFile as exc:
        if not path.exists() and not path.is_symlink():
            return None
        raise CogtrainError(f"{exc}; if no cogtrain session is running for this participant, "
                            f"delete {path} and start again") from None


def _parse(content: bytes) -> dict[str, Any]:
    """The lock's fields; a lock of older versions holds only a process ID. ValueError if neither."""
    text = content.decode("utf-8", errors="replace").strip()
    if text.isascii() and text.lstrip("-").isdigit() and len(text) <= 20:
        return {"pid": int(text)}
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    return data


def _still_held(path: Path, content: bytes) -> str | None:
    """Why the lock is still held (a one-line message), or None if it is stale."""
    clear = f"if no cogtrain session is running for this participant, delete {path} and start again"
    try:
        owner = _parse(content)
    except ValueError:
        what = "empty" if not content.strip() else "not a cogtrain lock"
        return f"{path}: the participant lock file is {what}; {clear}"
    host, pid = owner.get("host"), owner.get("pid")
    since = f" since {owner['locked']}" if isinstance(owner.get("locked"), str) else ""
    if isinstance(host, str) and host != socket.gethostname():
        return (f"{path.parent}: a cogtrain session for this participant runs on computer {host!r} "
                f"(process {pid}{since}); {clear} (on {host!r})")
    if not isinstance(pid, int) or isinstance(pid, bool) or not 0 < pid <= MAX_PID:
        return None  # no process can have this ID: nobody holds the lock
    if not _alive(pid, owner.get("process_started")):
        return None
    return (f"{path.parent}: another cogtrain session is running for this participant (process {pid}{since}); "
            f"wait for it to finish, or {clear}")


def _alive(pid: int, started: Any) -> bool:
    """Whether process ``pid`` runs and is the one that took the lock (not a later one given the same ID)."""
    try:
        process = psutil.Process(pid)
        if isinstance(started, (int, float)) and not isinstance(started, bool):
            return abs(process.create_time() - started) <= START_TOLERANCE_S
        return process.is_running()
    except psutil.NoSuchProcess:
        return False
    except (psutil.AccessDenied, OverflowError, ValueError):
        return True  # exists but belongs to someone else, or cannot be asked: assume it runs


def _take_over(path: Path, seen: bytes) -> None:
    """Remove the stale lock whose content is ``seen``, and nothing else.

    The lock is renamed aside first; if another run has put a fresh lock in
    place in the meantime, that lock is put back.
    """
    aside = path.with_name(f".lock.{secrets.token_hex(8)}.stale")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return
    try:
        if read_limited(aside, limit=LOCK_LIMIT) != seen:
            try:
                os.link(aside, path)
            except OSError:
                pass
    except UnreadableFile:
        pass
    finally:
        aside.unlink(missing_ok=True)
