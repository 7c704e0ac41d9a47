"""Read trial logs of many sessions into one DataFrame per task, reporting bad lines.

Logs of the same task with the same header are joined into large byte chunks
and parsed with pandas' C reader in one call per chunk, so no Python code runs
per row. A chunk of plain logs (no quote, every line ended) is checked by
counting bytes: its first record has every field and it has exactly one
separator per field and line, so pandas either reads each line as one whole
row or refuses a longer line. Other chunks are split into
records first by :func:`cogtrain.scoring.csvcheck.scan_records`, which finds
malformed records.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cogtrain.files import LOG_LIMIT, UnreadableFile, read_limited
from cogtrain.scoring.csvcheck import drop_spans, scan_records
from cogtrain.scoring.folders import LogFile
from cogtrain.scoring.progress import track

#: Columns every trial log must have (docs/data-format.md); ``run`` and ``practice`` default to 1 and 0.
REQUIRED = ("participant", "session", "task", "block", "trial", "onset_s", "rt_s", "response", "correct")
NUMERIC = ("session", "block", "trial", "onset_s", "rt_s", "correct", "run", "practice")
#: Rows without these values cannot be placed and are skipped.
KEYS = ("participant", "session", "task", "block", "trial")
#: Largest block, trial and run number accepted: a larger one is not a real count but a damaged cell.
MAX_COUNT = 1_000_000
#: Helper columns added while reading: index of the source file and its line number.
FILE, LINE = "_file", "_line"
_CHUNK_BYTES = 32 * 2**20
_SHOWN_LINES = 5


@dataclass
class _Body:
    index: int
    data: bytes
    cut: bool



def read_logs(files: list[LogFile], warnings: list[str], progress: bool | None = None) -> dict[str, pd.DataFrame]:
    """Read trial logs into one DataFrame per task, skipping what cannot be scored.

    Every skipped file or line adds a warning naming the file (and lines).
    Besides the log's own columns, each DataFrame has ``_file`` (index into
    ``files``) and ``_line`` (line number in that file).

    Parameters
    ----------
    files : list of LogFile
        The trial logs to read.
    warnings : list of str
        Receives one line per problem.
    progress : bool or None
        Show a progress bar (None: only on a terminal).

    Returns
    -------
    dict of str to pandas.DataFrame
        Rows of every log by task name (tasks without readable rows are left out).
    """
    groups: dict[tuple[str, tuple[str, ...]], list[_Body]] = defaultdict(list)
    for index, log in enumerate(track(files, progress, "reading trial logs")):
        opened = _open(log, warnings)
        if opened is not None:
            columns, body = opened
            groups[(log.task, columns)].append(_Body(index, body[0], body[1]))
    frames: dict[str, list[pd.DataFrame]] = defaultdict(list)
    for (task, columns), bodies in groups.items():
        for chunk in _chunks(bodies):
            frames[task].append(_parse(chunk, columns, files, warnings))
    return {task: _check_rows(pd.concat(parts, ignore_index=True), files, task, warnings)
            for task, parts in sorted(frames.items())}


def _open(log: LogFile, warnings: list[str]) -> tuple[tuple[str, ...], tuple[bytes, bool]] | None:
    """Read a file's bytes and validate its header; None (with a warning) if unusable."""
    try:
        data = read_limited(log.path, limit=LOG_LIMIT, what="trial log")
    except UnreadableFile as exc:
        warnings.append(f"{log.label}: {exc.reason}; skipped")
        return None
    if not data.strip():
        warnings.append(f"{log.label}: empty file (no header); skipped")
        return None
    head, newline, body = data.partition(b"\n")
    try:
        columns = tuple(next(csv.reader([head.rstrip(b"\r").decode("utf-8-sig")])))
    except (UnicodeDecodeError, csv.Error):
        warnings.append(f"{log.label}: not a UTF-8 CSV trial log; skipped")
        return None
    missing = [c for c in REQUIRED if c not in columns]
    if missing or len(set(columns)) != len(columns):
        problem = f"missing columns {', '.join(missing)}" if missing else "repeated column names"
        warnings.append(f"{log.label}: not a trial log ({problem}); skipped")
        return None
    if head.endswith(b"\r"):  # saved with Windows line ends by another program
        body = body.replace(b"\r\n", b"\n")
    cut = bool(body) and not body.endswith(b"\n")
    return columns, (body + b"\n" if cut else body, cut)


def _chunks(bodies: list[_Body]) -> list[list[_Body]]:
    """Group bodies into chunks of about ``_CHUNK_BYTES``.

    A body with an odd number of quotes (a quoted cell cut short) gets a chunk
    of its own, so the open quote cannot swallow the rows of other files.
    """
    chunks: list[list[_Body]] = [[]]
    size = 0
    for body in bodies:
        if body.data.count(b'"') % 2:
            chunks.insert(0, [body])
            continue
        if size > _CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(body)
        size += len(body.data)
    return [c for c in chunks if c]


def _parse(chunk: list[_Body], columns: tuple[str, ...], files: list[LogFile],
           warnings: list[str]) -> pd.DataFrame:
    """Parse the joined bodies of one chunk, dropping malformed records with a warning."""
    buf = b"".join(b.data for b in chunk)
    if _plain(buf, chunk):
        frame = _parse_plain(buf, chunk, columns)
        if frame is not None:
            return frame
    found: list[str] = []
    sizes = np.fromiter((len(b.data) for b in chunk), dtype=np.int64, count=len(chunk))
    file_starts = np.cumsum(sizes) - sizes
    records = scan_records(buf)
    end = int(records.ends[-1]) + 1 if len(records.ends) else 0
    if end < len(buf):
        # A quote opened and never closed; only a file with an odd number of
        # quotes can end so, and such a file is a chunk of its own (_chunks).
        found.append(f"{files[chunk[-1].index].label}: skipped line {len(records.ends) + 2} to the end "
                     "(a quoted cell is never closed)")
        buf = buf[:end]
    position = np.searchsorted(file_starts, records.starts, side="right") - 1
    first = np.searchsorted(position, np.arange(len(chunk)), side="left")
    line = np.arange(len(position)) - first[position] + 2
    bad = (records.fields != len(columns)) & ~records.blank
    last_of = np.searchsorted(position, np.arange(len(chunk)), side="right") - 1
    cut = [i for i, b in enumerate(chunk) if b.cut and last_of[i] >= first[i]]
    bad[last_of[cut]] = True
    for i in np.unique(position[bad]):
        in_file = bad & (position == i)
        _warn_lines(files[chunk[i].index].label, line[in_file], len(columns),
                    records.fields[in_file], chunk[i].cut, found)
    keep = ~bad & ~records.blank
    if not keep.all():
        buf = drop_spans(buf, records.starts[~keep], records.ends[~keep])
    try:
        frame = _read_csv(buf, columns)
    except (pd.errors.ParserError, ValueError):
        frame = None
    if frame is None or len(frame) != int(keep.sum()):
        return _parse_files_one_by_one(chunk, columns, files, warnings)
    warnings.extend(found)
    source = np.fromiter((b.index for b in chunk), dtype=np.int32, count=len(chunk))
    frame[FILE] = source[position[keep]]
    frame[LINE] = line[keep].astype(np.int32)
    return frame


def _plain(buf: bytes, chunk: list[_Body]) -> bool:
    """True if every line end ends a record (no quote) and every last line is ended.

    Blank lines need no check: pandas skips them, and the count of rows then
    disagrees with the count of lines (:func:`_parse_plain`).
    """
    return not (any(b.cut for b in chunk) or b'"' in buf)


def _parse_plain(buf: bytes, chunk: list[_Body], columns: tuple[str, ...]) -> pd.DataFrame | None:
    """Parse a chunk of plain bodies (:func:`_plain`) without splitting records; None if a line is malformed.

    With the first record's fields complete, pandas reads every line as one
    row or raises on a line with more fields; with as many separators as
    whole lines need, no line then has fewer.
    """
    counts = np.fromiter((b.data.count(b"\n") for b in chunk), dtype=np.int64, count=len(chunk))
    rows = int(counts.sum())
    separators = len(columns) - 1
    if buf.count(b",") != separators * rows or buf[:buf.find(b"\n")].count(b",") != separators:
        return None
    try:
        frame = _read_csv(buf, columns)
    except (pd.errors.ParserError, ValueError):
        return None
    if len(frame) != rows:
        return None
    frame[FILE] = np.repeat(np.fromiter((b.index for b in chunk), dtype=np.int32, count=len(chunk)), counts)
    frame[LINE] = (np.arange(rows) - np.repeat(np.cumsum(counts) - counts, counts) + 2).astype(np.int32)
    return frame


def _parse_files_one_by_one(chunk: list[_Body], columns: tuple[str, ...], files: list[LogFile],
                            warnings: list[str]) -> pd.DataFrame:
    if len(chunk) == 1:
        warnings.append(f"{files[chunk[0].index].label}: lines could not be matched to rows; skipped")
        return pd.DataFrame({**{c: pd.Series(dtype=object) for c in columns},
                             FILE: pd.Series(dtype=np.int32), LINE: pd.Series(dtype=np.int32)})
    return pd.concat([_parse([b], columns, files, warnings) for b in chunk], ignore_index=True)


def _read_csv(buf: bytes, columns: tuple[str, ...]) -> pd.DataFrame:
    # Only an empty cell is missing: typed words such as "NA" or "null" stay text.
    # IDs stay text ("007" is not 7). Only LF ends a record, as in scan_records: a
    # carriage return is text (older logs left one unquoted inside a cell).
    return pd.read_csv(io.BytesIO(buf), header=None, names=list(columns), engine="c", lineterminator="\n",
                       dtype={"participant": str, "task": str},
                       keep_default_na=False, na_values=[""], skip_blank_lines=True,
                       encoding_errors="replace")


def _warn_lines(label: str, lines: np.ndarray, expected: int, fields: np.ndarray, cut: bool,
                warnings: list[str]) -> None:
    shown = [f"{ln} ({f} of {expected} fields)" for ln, f in zip(lines[:_SHOWN_LINES], fields)]
    why = "; the last line has no line end (cut short by a crash)" if cut else ""
    warnings.append(f"{label}: skipped malformed {_some_lines(shown, len(lines))}{why}")


def _some_lines(shown: list[str], count: int) -> str:
    """``line 3`` or ``lines 3, 4, ... and 2 more``: the first of ``count`` lines, described by ``shown``."""
    more = f" and {count - _SHOWN_LINES} more" if count > _SHOWN_LINES else ""
    return f"{'line' if count == 1 else 'lines'} {', '.join(shown[:_SHOWN_LINES])}{more}"


def _check_rows(frame: pd.DataFrame, files: list[LogFile], task: str, warnings: list[str]) -> pd.DataFrame:
    """Coerce numeric columns and drop rows that disagree with their folder or lack keys."""
    if "run" not in frame:
        frame["run"] = 1
    if "practice" not in frame:
        frame["practice"] = 0
    for column in NUMERIC:
        _to_number(frame, column, files, warnings)
    frame["run"] = frame["run"].fillna(1)
    frame["practice"] = frame["practice"].fillna(0)
    source = frame[FILE].to_numpy()
    folder_session = np.array([f.session for f in files], dtype=np.float64)[source]
    elsewhere = (_differs(frame["participant"], [f.participant for f in files], source)
                 | (frame["session"].to_numpy(dtype=np.float64) != folder_session)
                 | _differs(frame["task"], [task], np.zeros(len(frame), dtype=np.intp)))
    unplaced = frame[list(KEYS)].isna().any(axis=1).to_numpy()
    counts = frame[["block", "trial", "run"]].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore"):
        impossible = ~unplaced & ((counts < 0) | (counts > MAX_COUNT) | (counts % 1 != 0)).any(axis=1)
    _warn_rows(frame, files, elsewhere & ~unplaced,
               "name another participant, session or task than their folder and file", "skipped", warnings)
    _warn_rows(frame, files, unplaced, "lack participant, session, task, block or trial", "skipped",
               warnings)
    _warn_rows(frame, files, impossible & ~elsewhere,
               f"have a block, trial or run that is not a whole number from 0 to {MAX_COUNT}", "skipped", warnings)
    frame = frame.loc[~(elsewhere | unplaced | impossible)].reset_index(drop=True)
    return _drop_repeated_rows(frame, files, warnings)


def _differs(values: pd.Series, expected: list[str], which: np.ndarray) -> np.ndarray:
    """True where ``values[i]`` is not ``expected[which[i]]`` (a missing value never matches).

    Compares integer codes of the distinct values instead of the texts of every row.
    """
    codes, distinct = pd.factorize(values)  # a missing value has code -1
    index = {value: i for i, value in enumerate(distinct)}
    wanted = np.array([index.get(value, -2) for value in expected], dtype=np.int64)
    return codes != wanted[which]


def _drop_repeated_rows(frame: pd.DataFrame, files: list[LogFile], warnings: list[str]) -> pd.DataFrame:
    """Keep one of rows repeated exactly (a trial appended twice, or a log copied into a second folder)."""
    keys = ["participant", "session", "task", "block", "trial", "run"]
    candidates = frame.duplicated(keys, keep=False).to_numpy()
    if not candidates.any():
        return frame
    content = [c for c in frame.columns if c not in (FILE, LINE)]
    repeated = np.zeros(len(frame), dtype=bool)
    repeated[candidates] = frame.loc[candidates].duplicated(content, keep="first").to_numpy()
    _warn_rows(frame, files, repeated, "repeat an earlier row exactly (same block, trial and run)",
               "counted once", warnings)
    return frame.loc[~repeated].reset_index(drop=True)


def _to_number(frame: pd.DataFrame, column: str, files: list[LogFile], warnings: list[str]) -> None:
    if pd.api.types.is_numeric_dtype(frame[column]):
        return
    numbers = pd.to_numeric(frame[column], errors="coerce")
    _warn_rows(frame, files, (numbers.isna() & frame[column].notna()).to_numpy(),
               f"have a non-numeric {column}", "left empty", warnings)
    frame[column] = numbers


def _warn_rows(frame: pd.DataFrame, files: list[LogFile], mask: np.ndarray, what: str,
               outcome: str, warnings: list[str]) -> None:
    if not mask.any():
        return
    hits = frame.loc[mask, [FILE, LINE]]
    for index, lines in hits.groupby(FILE)[LINE]:
        shown = [str(ln) for ln in lines.iloc[:_SHOWN_LINES]]
        warnings.append(f"{files[index].label}: {_some_lines(shown, len(lines))} {what}; {outcome}")
