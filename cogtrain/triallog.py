"""The trial log: one CSV row per trial, on disk before the next trial begins."""
from __future__ import annotations

import csv
import math
import os
import re
from pathlib import Path
from typing import Any, Mapping, Sequence

from cogtrain.errors import CogtrainError

#: How far back from the end an unfinished last line is looked for.
TAIL_BYTES = 65536

#: Columns every trial log starts with (docs/data-format.md), plus ``run`` (which
#: start of the session wrote the row: 1, then 2 after a first ``--resume``)
#: and ``practice`` (1 for practice rows, which scoring leaves out).
COMMON_COLUMNS: tuple[str, ...] = (
    "participant", "session", "task", "block", "trial",
    "onset_s", "rt_s", "response", "correct", "run", "practice",
)


#: A cell holding one of these is quoted (RFC 4180). A bare carriage return counts:
#: most CSV readers (pandas, spreadsheets) end a line there.
_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def csv_line(cells: Sequence[str]) -> str:
    r"""One CSV record ending in ``\n``; cells with a quote, comma, CR or LF are quoted.

    Examples
    --------
    >>> csv_line(["a", "b,c", "x\ry"])
    'a,"b,c","x\ry"\n'
    """
    return ",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' if _NEEDS_QUOTES.search(c) else c
                    for c in cells) + "\n"


def format_cell(value: Any) -> str:
    """Render one value for the CSV: empty for None/NaN, 1/0 for booleans, 6 decimals for floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


class TrialLog:
    """Append-only CSV trial log with a header fixed when the file is opened.

    Every :meth:`write` flushes and fsyncs the row, so a crash or a kill loses
    at most the trial in progress. Reopening an existing log (``--resume``)
    appends after checking that the header is the same.

    Parameters
    ----------
    path : Path
        The CSV file.
    columns : sequence of str
        Task-specific columns, appended after :data:`COMMON_COLUMNS`.
    fixed : mapping
        Values repeated on every row (participant, session, task, run).
    """

    def __init__(self, path: Path, columns: Sequence[str], fixed: Mapping[str, Any]):
        self.path = Path(path)
        self.columns = list(COMMON_COLUMNS) + [c for c in columns if c not in COMMON_COLUMNS]
        self.fixed = dict(fixed)
        if self.path.exists():
            self._drop_unfinished_line()
        exists = self.path.exists() and self.path.stat().st_size > 0
        if exists:
            with open(self.path, newline="", encoding="utf-8", errors="replace") as fh:
                header = next(csv.reader(fh), [])
            if header != self.columns:
                raise CogtrainError(f"{self.path}: not this task's trial log (its header differs); "
                                    "move the file away to continue")
        self._fh = open(self.path, "a", newline="", encoding="utf-8")
        if not exists:
            self._write_line(self.columns)

    def _drop_unfinished_line(self) -> None:
        """Cut off a last line left incomplete by a crash or a full disk (a row never fully written).

        Ending it with a newline instead would leave a row with missing fields in the log.
        An unfinished header leaves an empty file, which gets a new header.
        """
        with open(self.path, "rb+") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - TAIL_BYTES))
            tail = fh.read()
            if not tail or tail.endswith(b"\n"):
                return
            end = tail.rfind(b"\n")
            if end < 0 and size > TAIL_BYTES:
                raise CogtrainError(f"{self.path}: ends with an unfinished line over {TAIL_BYTES} bytes long; "
                                    "not a trial log (move the file away to continue)")
            fh.truncate(size - len(tail) + end + 1)
            fh.flush()
            os.fsync(fh.fileno())

    def _write_line(self, cells: Sequence[str]) -> None:
        try:
            self._fh.write(csv_line(cells))
            self._fh.flush()
            os.fsync(self._fh.fileno())
        except OSError as exc:  # a full disk or a folder gone read-only: say which file
            raise OSError(exc.errno, exc.strerror, str(self.path)) from None

    def write(self, row: Mapping[str, Any]) -> None:
        """Write one trial. Keys must be known columns; missing ones are left empty."""
        unknown = set(row) - set(self.columns)
        if unknown:
            raise KeyError(f"{self.path.name}: row has undeclared columns {sorted(unknown)}")
        merged = {**self.fixed, **row}
        self._write_line([format_cell(merged.get(c)) for c in self.columns])

    def close(self) -> None:
        """Close the file (rows are already on disk)."""
        try:
            self._fh.close()
        except OSError:
            pass  # only the bytes of a row whose failed write was already reported were still buffered

    def __enter__(self) -> "TrialLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
