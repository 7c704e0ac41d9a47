"""Write tables for spreadsheets and BIDS safely.

- A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
  formula (CSV injection, OWASP). Text cells starting so, header cells included,
  and not numbers such as ``-0.5``, get a leading single quote. Tabs and
  carriage returns at the start are treated the same way.
- Whole numbers are written as integers (``3``, not ``3.0``).
- CSV cells holding a quote, comma, CR or LF are quoted (RFC 4180); TSV cells
  are never quoted, so tabs and line breaks inside them become spaces, as TSV
  readers (BIDS) split on every tab and line end.
- Every file is written to a temporary name and renamed into place, so it is
  either absent, the previous version or complete.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from cogtrain.errors import CogtrainError
from cogtrain.triallog import csv_line

_TRIGGERS = r"^[=+\-@\t\r]"
#: Rows turned into text at once when writing a table (bounds the memory of writing a long table).
CHUNK_ROWS = 100_000
_SPECIAL = re.compile(r'[",\r\n]')
_BREAKS = re.compile(r"[\t\r\n]")
#: Whole floats up to this size are written as integers (exactly representable).
_EXACT = 2.0**53


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix a single quote to text cells a spreadsheet would run as a formula.

    Parameters
    ----------
    df : pandas.DataFrame
        Any table; only text (object or string) columns and the header are changed.

    Returns
    -------
    pandas.DataFrame
        A copy with neutralised text cells and column names; numbers and numeric text are unchanged.

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"a": ["=SUM(A1)", "-0.5", "-x", "ok"]}))["a"].tolist()
    ["'=SUM(A1)", '-0.5', "'-x", 'ok']
    >>> neutralise_formulas(pd.DataFrame({"=cmd()": [1]})).columns.tolist()
    ["'=cmd()"]
    """
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        out[column] = _neutralised(values)
    out.columns = _neutralised(pd.Series([str(c) for c in out.columns], dtype=object)).tolist()
    return out


def _neutralised(values: pd.Series) -> pd.Series:
    # Test each distinct value once: ID, task and metric columns repeat a few values.
    distinct = pd.Series(values.dropna().unique(), dtype=object)
    try:
        risky = distinct[distinct.str.contains(_TRIGGERS, regex=True, na=False)]
    except AttributeError:  # no text in this column
        return values
    risky = risky[pd.to_numeric(risky, errors="coerce").isna()]
    if not len(risky):
        return values
    mask = values.isin(risky)
    out = values.copy()
    out[mask] = "'" + values[mask]
    return out


def output_folder(path: Path) -> Path:
    """Create the output folder ``path``, or raise :class:`CogtrainError` naming it.

    Parameters
    ----------
    path : Path
        Folder to create (parents too).

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".cogtrain-write-test"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise CogtrainError(f"cannot write to output folder {path}: {exc.strerror or exc}") from None
    return path


def write_table(df: pd.DataFrame, path: Path, *, sep: str = ",", na_rep: str = "") -> Path:
    """Write ``df`` as CSV (or TSV with ``sep="\\t"``), formulas neutralised, atomically.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    path : Path
        Output file; its folder is created.
    sep : str, optional
        Field separator: ``","`` or ``"\\t"``.
    na_rep : str, optional
        Text of missing values (BIDS uses ``n/a``).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> out = write_table(pd.DataFrame({"n": [1.0, 2.5], "t": ["a\\tb", None]}),
    ...                   Path(tempfile.mkdtemp()) / "x.tsv", sep="\\t", na_rep="n/a")
    >>> out.read_text()
    'n\\tt\\n1\\ta b\\n2.5\\tn/a\\n'
    """
    path = Path(path)
    write_text_atomic(path, _table_text(df, sep, na_rep))
    return path


def _table_text(df: pd.DataFrame, sep: str, na_rep: str) -> Iterator[str]:
    """The text of :func:`write_table`: the header, then pieces of :data:`CHUNK_ROWS` rows (bounded memory)."""
    header = neutralise_formulas(df.iloc[:0]).columns.tolist()
    yield "\t".join(_one_line(pd.Series(header, dtype=object))) + "\n" if sep == "\t" else csv_line(header)
    numeric = [_is_number(df.iloc[:, i]) for i in range(df.shape[1])]
    clean = _one_line if sep == "\t" else _quoted
    for start in range(0, len(df), CHUNK_ROWS):
        # numbers are left as they are by neutralising, so their text needs no check either
        text = _as_text(neutralise_formulas(df.iloc[start:start + CHUNK_ROWS]), na_rep)
        cells = [text.iloc[:, i] if numeric[i] else clean(text.iloc[:, i]) for i in range(text.shape[1])]
        rows = cells[0].to_numpy(dtype=object)
        for column in cells[1:]:
            rows = rows + sep + column.to_numpy(dtype=object)
        yield "\n".join(rows.tolist()) + "\n"


def write_text_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (UTF-8) to a temporary file beside ``path`` and rename it into place.

    Parameters
    ----------
    path : Path
        Output file; its folder is created.
    text : str or iterable of str
        The whole content, or its pieces in order.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            for piece in [text] if isinstance(text, str) else text:
                fh.write(piece)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _as_text(df: pd.DataFrame, na_rep: str) -> pd.DataFrame:
    """Every cell as text: missing values as ``na_rep``, whole numbers without ``.0``."""
    text = pd.DataFrame({i: _column_text(df.iloc[:, i], na_rep) for i in range(df.shape[1])}, index=df.index)
    text.columns = df.columns
    return text


def _is_number(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _column_text(values: pd.Series, na_rep: str) -> pd.Series:
    missing = values.isna().to_numpy()
    if _is_number(values):
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            whole = (np.mod(numbers, 1) == 0) & (np.abs(numbers) < _EXACT)
        text = np.array([repr(v) for v in numbers.tolist()], dtype=object)  # faster than numpy's astype(str)
        if whole.any():
            text[whole] = [str(v) for v in numbers[whole].astype(np.int64).tolist()]
    else:
        text = np.array([_number_text(v) if isinstance(v, float) else str(v) for v in values.tolist()],
                        dtype=object)
    text[missing] = na_rep
    return pd.Series(text, index=values.index, dtype=object)


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < _EXACT else repr(value)


def _one_line(values: pd.Series) -> pd.Series:
    """TSV cells: tabs and line breaks become one space."""
    if not _BREAKS.search("".join(values.tolist())):
        return values
    return values.str.replace(r"[\t\r\n]+", " ", regex=True)


def _quoted(values: pd.Series) -> pd.Series:
    """CSV cells: quoted (quotes doubled) when they hold a quote, comma, CR or LF."""
    if not _SPECIAL.search("".join(values.tolist())):  # one scan of the whole column first
        return values
    needs = values.str.contains(_SPECIAL.pattern, regex=True)
    out = values.copy()
    out[needs] = '"' + values[needs].str.replace('"', '""', regex=False) + '"'
    return out
