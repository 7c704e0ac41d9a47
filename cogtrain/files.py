"""Crash-safe file primitives: atomic JSON writes and a per-participant lock."""
from __future__ import annotations

import glob
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cogtrain.errors import CogtrainError


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON so that ``path`` holds either the old or the new content.

    The text goes to a temporary file in the same folder, is flushed and
    fsync'd, then renamed over ``path`` with :func:`os.replace`. Temporary
    files of ``path`` left by a process killed mid-write are removed.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes it private; give it the mode a new file would have
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False, default=str)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:  # a full disk or a folder gone read-only: say which file
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_json(path: Path) -> Any:
    """Read a JSON file, raising :class:`CogtrainError` naming the file if it is unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CogtrainError(f"{path}: cannot read JSON ({exc})") from exc


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class ParticipantLock:
    """Refuse a second concurrent session for the same participant.

    The lock is a file created with ``O_EXCL`` holding the owner's PID. A lock
    left by a process that no longer exists (a crash or a kill) is taken over.
    """

    def __init__(self, folder: Path):
        self.path = Path(folder) / ".lock"
        self._held = False

    def __enter__(self) -> "ParticipantLock":
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if self._owner_alive():
                    raise CogtrainError(
                        f"{self.path.parent}: another cogtrain session is running for this "
                        f"participant (lock file {self.path}); wait for it to finish"
                    ) from None
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            self._held = True
            return self
        raise CogtrainError(f"{self.path}: cannot take the participant lock")

    def _owner_alive(self) -> bool:
        try:
            pid = int(self.path.read_text().strip())
        except (OSError, ValueError):
            return False
        if pid == os.getpid():
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def __exit__(self, *exc: object) -> None:
        if self._held:
            self.path.unlink(missing_ok=True)
            self._held = False
