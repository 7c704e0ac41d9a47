"""Write tables for spreadsheets safely: formula-like text cells are neutralised.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (CSV injection, OWASP). Text cells starting so, and not numbers such
as ``-0.5``, get a leading single quote. Tabs and carriage returns at the start
are treated the same way.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from cogtrain.errors import CogtrainError

_TRIGGERS = r"^[=+\-@\t\r]"


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix a single quote to text cells a spreadsheet would run as a formula.

    Parameters
    ----------
    df : pandas.DataFrame
        Any table; only text (object or string) columns are changed.

    Returns
    -------
    pandas.DataFrame
        A copy with neutralised text cells; numbers and numeric text are unchanged.

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"a": ["=SUM(A1)", "-0.5", "-x", "ok"]}))["a"].tolist()
    ["'=SUM(A1)", '-0.5', "'-x", 'ok']
    """
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        # Test each distinct value once: ID, task and metric columns repeat a few values.
        distinct = pd.Series(values.dropna().unique(), dtype=object)
        try:
            risky = distinct[distinct.str.contains(_TRIGGERS, regex=True, na=False)]
        except AttributeError:  # no text in this column
            continue
        risky = risky[pd.to_numeric(risky, errors="coerce").isna()]
        if len(risky):
            mask = values.isin(risky)
            out.loc[mask, column] = "'" + values[mask]
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
    """Write ``df`` as CSV (or TSV with ``sep="\\t"``) with formulas neutralised.

    CSV cells are quoted where needed (RFC 4180). TSV cells are never quoted:
    tabs and line breaks inside text become spaces instead, as TSV readers
    (BIDS) split on every tab and line end.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    path : Path
        Output file; its folder is created.
    sep : str, optional
        Field separator.
    na_rep : str, optional
        Text of missing values (BIDS uses ``n/a``).

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = neutralise_formulas(_no_tabs(df) if sep == "\t" else df)
    quoting = csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL
    safe.to_csv(path, sep=sep, index=False, na_rep=na_rep, lineterminator="\n", quoting=quoting)
    return path


def _no_tabs(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]):
            try:
                spaced = out[column].str.replace(r"[\t\r\n]+", " ", regex=True)
            except AttributeError:  # no text in this column
                continue
            out[column] = spaced.where(spaced.notna(), out[column])
    return out
