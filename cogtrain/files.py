"""Crash-safe file primitives: the one way cogtrain reads a file, and atomic JSON writes.

Every file cogtrain reads (configs, profiles, word pools, ``state.json``,
``session.json``, the participant lock, trial logs) goes through
:func:`read_limited`. It refuses what is not a regular file (a folder, a named
pipe, a device, a socket) *before* reading, so a FIFO cannot hang a session,
and it never reads more than a size cap, so ``/dev/zero`` or a multi-gigabyte
file cannot exhaust memory. :func:`read_json` adds strict JSON on top. See
docs/robustness.md for what is checked and how it was tested.
"""
from __future__ import annotations

import glob
import json
import math
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from cogtrain.errors import CogtrainError

#: Size caps, in bytes, of the files cogtrain reads.
CONFIG_LIMIT = 1_000_000  # battery configs and participant profiles (YAML)
RECORD_LIMIT = 16_000_000  # state.json and session.json
LOCK_LIMIT = 4_096  # the participant lock
LOG_LIMIT = 256_000_000  # one trial log (a session's log is well under 1 MB)

#: Whether this is Windows (a name of its own so tests can simulate the platform).
WINDOWS = sys.platform == "win32"
#: Seconds ``os.replace`` is retried for on Windows while another program holds the file.
REPLACE_RETRY_S = 2.0

_MAX_INT_DIGITS = 30
#: Files without a run of this many digits are parsed with orjson (it reads a longer integer as a float).
_FAST_DIGITS = 19
#: Byte table mapping every digit to ``0`` and everything else to a space (to find long runs of digits fast).
_DIGITS = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))


class UnreadableFile(CogtrainError):
    """A file cogtrain cannot or will not read; ``str()`` is one line naming the file.

    Attributes
    ----------
    path : Path
        The file.
    reason : str
        What is wrong with it and what was expected.
    """

    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def read_limited(path: Path, *, limit: int, what: str = "file") -> bytes:
    """Read a whole regular file of at most ``limit`` bytes.

    The file is opened without blocking, checked with ``fstat`` on the open
    descriptor (so it cannot be swapped between the check and the read), and
    read up to ``limit + 1`` bytes whatever size it claims.

    Parameters
    ----------
    path : Path
        The file.
    limit : int
        Largest size accepted, in bytes.
    what : str
        What the file should be, for messages ("battery config", "state file").

    Raises
    ------
    UnreadableFile
        Missing, not a regular file (folder, FIFO, device, socket), larger than
        ``limit``, or unreadable; the message names the file.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile(path, f"file not found; expected a {what}") from None
    except OSError as exc:
        if os.path.isdir(path):  # Windows refuses to open a folder instead of opening it
            raise UnreadableFile(path, f"is a folder; expected a {what}") from None
        raise UnreadableFile(path, f"cannot be read ({exc.strerror}); expected a {what}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(path, f"is {_kind(info.st_mode)}, not a regular file; expected a {what}")
        if info.st_size > limit:
            raise UnreadableFile(path, f"is {info.st_size} bytes; a {what} is at most {limit} bytes")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise UnreadableFile(path, f"is over {limit} bytes; a {what} is at most {limit} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFile(path, f"cannot be read ({exc.strerror}); expected a {what}") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")]
    return next((name for test, name in kinds if test(mode)), "a special file")


class _Bad:
    """A JSON number or constant that cogtrain refuses (NaN, infinity, 1e400, a 5000-digit integer)."""

    def __init__(self, text: str):
        self.text = text if len(text) <= 24 else f"{text[:12]}…({len(text)} characters)"


def _int(text: str) -> int | _Bad:
    return int(text) if len(text.lstrip("-")) <= _MAX_INT_DIGITS else _Bad(text)


def read_json(path: Path, *, limit: int = RECORD_LIMIT, what: str = "JSON file") -> Any:
    """Read a strict JSON file through :func:`read_limited`.

    NaN, infinities, numbers that overflow to infinity (``1e400``) and
    integers of more than 30 digits are refused, naming the key they sit under.

    Raises
    ------
    UnreadableFile
        As :func:`read_limited`, or not UTF-8, not JSON, nested too deeply, or
        holding a refused number; the message names the file (and the key).
    """
    raw = read_limited(path, limit=limit, what=what)
    digits = raw.translate(_DIGITS)
    if b"0" * _FAST_DIGITS not in digits:
        try:  # orjson parses what it accepts as json does, and refuses NaN, infinities and 1e400
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # the strict reading below names the problem, or accepts what orjson does not (e.g. "\ud800")
    try:
        refused: list[_Bad] = []

        def refuse(text: str) -> _Bad:
            refused.append(_Bad(text))
            return refused[-1]

        def finite(text: str) -> float | _Bad:
            value = float(text)
            return value if math.isfinite(value) else refuse(text)

        # Integers go through a check only when the text holds a run of more than 30 digits (rare; the
        # check per integer costs more than the parsing); the tree is searched only when a number was refused.
        long_digits = b"0" * (_MAX_INT_DIGITS + 1) in digits
        data = json.loads(raw.decode("utf-8"), parse_float=finite, parse_constant=refuse,
                          **({"parse_int": _int} if long_digits else {}))
        bad = _find_bad(data, "") if refused or long_digits else None
    except UnicodeDecodeError as exc:
        raise UnreadableFile(path, f"not UTF-8 text (byte {exc.start}); expected a {what}") from None
    except json.JSONDecodeError as exc:
        raise UnreadableFile(path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                             f"expected a {what}") from None
    except RecursionError:
        raise UnreadableFile(path, f"nested too deeply; expected a {what}") from None
    if bad is not None:
        key, value = bad
        raise UnreadableFile(path, f"key {key or '(top level)'}: {value.text} is not a finite number of "
                             f"at most {_MAX_INT_DIGITS} digits; expected a {what} written by cogtrain")
    return data


def _find_bad(value: Any, key: str) -> tuple[str, _Bad] | None:
    """The key path and value of the first refused number in a parsed JSON tree, or None."""
    if isinstance(value, _Bad):
        return key, value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for name, item in items:
        found = _find_bad(item, f"{key}[{name}]" if isinstance(name, int) else f"{key}.{name}" if key else name)
        if found:
            return found
    return None


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON so that ``path`` holds either the old or the new content."""
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) so that ``path`` holds either the old or the new content.

    The text goes to a temporary file in the same folder, is flushed and
    fsync'd, then moved over ``path`` with :func:`replace_file`. Temporary
    files of ``path`` left by a process killed mid-write are removed.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):  # POSIX: mkstemp makes it private; give it the mode a new file would have
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        replace_file(Path(tmp), path)
    except OSError as exc:  # a full disk or a folder gone read-only: say which file
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


def append_json_line(path: Path, entry: Any) -> None:
    """Append ``entry`` as one JSON line to ``path``, fsync'd (logs that are never rewritten)."""
    line = json.dumps(entry, ensure_ascii=False, allow_nan=False) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_json_lines(path: Path, *, what: str = "log") -> list[Any]:
    """Every line of a JSON-lines file written by :func:`append_json_line` (none if it does not exist).

    Raises
    ------
    UnreadableFile
        If the file cannot be read or a line is not JSON (naming the line).
    """
    if not Path(path).exists():
        return []
    text = read_limited(path, limit=RECORD_LIMIT, what=what).decode("utf-8", errors="replace")
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            raise UnreadableFile(path, f"line {number} is not JSON; the {what} was edited by hand") from None
    return entries


def replace_file(source: Path, target: Path) -> None:
    """``os.replace(source, target)``, retried for a while on Windows.

    On Windows an antivirus, backup or sync program that has ``target`` open
    makes the rename fail with "access denied" for a moment. After
    :data:`REPLACE_RETRY_S` seconds the error says so.
    """
    deadline = time.monotonic() + REPLACE_RETRY_S
    delay = 0.01
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if not WINDOWS:
                raise
            if time.monotonic() >= deadline:
                raise PermissionError(exc.errno, f"{exc.strerror} (another program, such as an antivirus, "
                                      "backup or sync tool, keeps the file open; close it and try again)",
                                      str(target)) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; its renames are durable without this
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
