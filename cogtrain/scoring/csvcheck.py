"""Find malformed records in trial-log bytes without a Python loop per row.

A crash can leave the last line of a trial log cut short and a kill can leave a
line without all its fields (``--resume`` then ends that line and appends new
rows after it). Counting the field separators of every record with numpy finds
such lines in one vectorised pass; only the few bad records are handled in Python.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_QUOTE, _NEWLINE, _COMMA = ord('"'), ord("\n"), ord(",")


@dataclass(frozen=True)
class Records:
    """Byte spans and field counts of the CSV records in a buffer.

    Attributes
    ----------
    starts, ends : numpy.ndarray
        Offset of each record's first byte and of its terminating newline.
    fields : numpy.ndarray
        Number of fields in each record (separators outside quotes + 1).
    """

    starts: np.ndarray
    ends: np.ndarray
    fields: np.ndarray

    @property
    def blank(self) -> np.ndarray:
        """True for empty records (a bare line end or ``\\r\\n``)."""
        return self.ends == self.starts


def scan_records(buf: bytes) -> Records:
    """Split a CSV buffer into records and count the fields of each.

    Quotes follow RFC 4180: a separator or newline counts only outside a quoted
    field. The parity of the running count of ``"`` tells whether a byte is
    inside quotes (a doubled ``""`` inside a field flips it twice).

    Parameters
    ----------
    buf : bytes
        CSV data without its header, ending with a newline.

    Returns
    -------
    Records
        One entry per record.
    """
    arr = np.frombuffer(buf, dtype=np.uint8)
    newline = arr == _NEWLINE
    comma = arr == _COMMA
    if _QUOTE in arr:
        # uint8 wraps at 256, which keeps the parity.
        outside = (np.cumsum(arr == _QUOTE, dtype=np.uint8) & 1) == 0
        newline &= outside
        comma &= outside
    ends = np.flatnonzero(newline)
    starts = np.empty_like(ends)
    starts[:1] = 0
    starts[1:] = ends[:-1] + 1
    # Separators before each record's end, minus those before the previous end.
    before_end = np.searchsorted(np.flatnonzero(comma), ends)
    fields = np.diff(before_end, prepend=0) + 1
    return Records(starts=starts, ends=ends, fields=fields)


def drop_spans(buf: bytes, starts: np.ndarray, ends: np.ndarray) -> bytes:
    """Return ``buf`` without the records spanning ``starts[i]..ends[i]`` (newline included).

    Parameters
    ----------
    buf : bytes
        The CSV data.
    starts, ends : numpy.ndarray
        Sorted spans of the records to remove (few: only malformed lines).

    Returns
    -------
    bytes
        The remaining records, in order.
    """
    pieces, pos = [], 0
    for start, end in zip(starts.tolist(), ends.tolist()):
        pieces.append(buf[pos:start])
        pos = end + 1
    pieces.append(buf[pos:])
    return b"".join(pieces)
