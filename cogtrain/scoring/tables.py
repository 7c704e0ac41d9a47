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
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cogtrain.errors import CogtrainError
from cogtrain.triallog import csv_line

_TRIGGERS = r"^[=+\-@\t\r]"
#: Rows turned into text at once when writing a table (bounds the memory of writing a long table).
CHUNK_ROWS = 100_000
_SPECIAL = r'[",\r\n]'
_BREAKS = r"[\t\r\n]"
#: Arrow type of cell text (64-bit offsets: a piece of a table may exceed 2 GB).
_TEXT = pa.large_string()
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
        if _is_text(out[column]):
            out[column] = _neutralised(out[column])
    out.columns = _header(df)
    return out


def _header(df: pd.DataFrame) -> list[str]:
    """The column names as neutralised text."""
    return _neutralised(pd.Series([str(c) for c in df.columns], dtype=object)).tolist()


def _is_text(values: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)


def _neutralised(values: pd.Series) -> pd.Series:
    # Test each distinct value once: ID, task and metric columns repeat a few values.
    if isinstance(values.dtype, pd.CategoricalDtype):  # its categories may not hold the quoted text
        values = values.astype(object)
    distinct = pd.Series(values.dropna().unique(), dtype=object)
    try:
        risky = distinct[distinct.str.contains(_TRIGGERS, regex=True, na=False)]
    except AttributeError:  # no text in this column
        return values
    risky = _formula_like(risky.tolist())
    if not risky:
        return values
    mask = values.isin(risky)
    out = values.copy()
    out[mask] = "'" + values[mask]
    return out


def _neutralised_text(text: pa.Array) -> pa.Array:
    """:func:`_neutralised` of an Arrow text array."""
    distinct = pc.unique(text.drop_null())
    starts = pc.match_substring_regex(distinct, _TRIGGERS)
    if not pc.any(starts).as_py():
        return text
    risky = _formula_like(distinct.filter(starts).to_pylist())
    if not risky:
        return text
    prefixed = pc.binary_join_element_wise(_scalar("'"), text, _scalar(""))
    return pc.if_else(pc.is_in(text, pa.array(risky, _TEXT)), prefixed, text)


def _formula_like(starting: list[str]) -> list[str]:
    """The texts of ``starting`` (each starting with a formula trigger) that are not numbers such as ``-0.5``."""
    numbers = pd.to_numeric(pd.Series(starting, dtype=object), errors="coerce")
    return [v for v, text in zip(starting, numbers.isna()) if text]


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


def _table_text(df: pd.DataFrame, sep: str, na_rep: str) -> Iterator[bytes]:
    """The UTF-8 text of :func:`write_table`: the header, then pieces of :data:`CHUNK_ROWS` rows (bounded memory).

    Cells are turned into text column by column with Arrow; each distinct
    number is formatted once, with Python's own ``repr``.
    """
    header = _header(df)
    if sep == "\t":
        yield ("\t".join(_one_line(pa.array(header, _TEXT)).to_pylist()) + "\n").encode()
    else:
        yield csv_line(header).encode()
    numeric = [_is_number(df.iloc[:, i]) for i in range(df.shape[1])]
    clean = _one_line if sep == "\t" else _quoted
    for start in range(0, len(df), CHUNK_ROWS):
        chunk = df.iloc[start:start + CHUNK_ROWS]
        # numbers are left as they are by neutralising, so their text needs no check either
        cells = [_number_text_cells(chunk.iloc[:, i], na_rep) if numeric[i]
                 else clean(_text_cells(chunk.iloc[:, i], na_rep)) for i in range(chunk.shape[1])]
        cells[-1] = pc.binary_join_element_wise(cells[-1], _scalar("\n"), _scalar(""))
        rows = pc.binary_join_element_wise(*cells, _scalar(sep))
        offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset:rows.offset + len(rows) + 1]
        yield memoryview(rows.buffers()[2])[offsets[0]:offsets[-1]]


def write_text_atomic(path: Path, text: str | Iterable[str | bytes]) -> None:
    """Write ``text`` (UTF-8) to a temporary file beside ``path`` and rename it into place.

    Parameters
    ----------
    path : Path
        Output file; its folder is created.
    text : str or iterable of str or bytes
        The whole content, or its pieces in order (bytes are UTF-8 text).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in [text] if isinstance(text, str) else text:
                fh.write(piece.encode() if isinstance(piece, str) else piece)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _is_number(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _number_text_cells(values: pd.Series, na_rep: str) -> pa.Array:
    """Numbers as text: whole ones as integers (no ``.0``), others as ``repr`` of the float64, missing as ``na_rep``."""
    if pd.api.types.is_integer_dtype(values):
        ints = pa.array(values, from_pandas=True)
        low, high = pc.min_max(ints).values()
        if low.as_py() is None or -_EXACT < low.as_py() and high.as_py() < _EXACT:  # else: as floats, as below
            return pc.fill_null(pc.cast(ints, _TEXT), _scalar(na_rep))
    numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
    codes, distinct = pd.factorize(numbers)  # 0.0 and -0.0 are one value: both are written "0"
    codes[codes < 0] = len(distinct)  # missing: the last text
    return pa.array([_number_text(v) for v in distinct.tolist()] + [na_rep], _TEXT).take(pa.array(codes))


def _text_cells(values: pd.Series, na_rep: str) -> pa.Array:
    """Cells that are not numbers, neutralised: text as it is, floats as :func:`_number_text`, else ``str``."""
    if isinstance(values.dtype, pd.StringDtype):
        text = pa.array(values, _TEXT, from_pandas=True)  # several chunks when the column was joined
        text = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
        return pc.fill_null(_neutralised_text(text), _scalar(na_rep))
    if _is_text(values):
        values = _neutralised(values)
    missing = values.isna().to_numpy()
    text = [na_rep if gone else _number_text(v) if isinstance(v, float) else str(v)
            for v, gone in zip(values.tolist(), missing.tolist())]
    return pa.array(text, _TEXT)


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < _EXACT else repr(value)


def _one_line(text: pa.Array) -> pa.Array:
    """TSV cells: tabs and line breaks become one space."""
    if not pc.any(pc.match_substring_regex(text, _BREAKS)).as_py():
        return text
    return pc.replace_substring_regex(text, f"{_BREAKS}+", " ")


def _quoted(text: pa.Array) -> pa.Array:
    """CSV cells: quoted (quotes doubled) when they hold a quote, comma, CR or LF."""
    needs = pc.match_substring_regex(text, _SPECIAL)
    if not pc.any(needs).as_py():
        return text
    quote = _scalar('"')
    quoted = pc.binary_join_element_wise(quote, pc.replace_substring(text, '"', '""'), quote, _scalar(""))
    return pc.if_else(needs, quoted, text)


def _scalar(text: str) -> pa.Scalar:
    return pa.scalar(text, _TEXT)
