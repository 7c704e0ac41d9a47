"""Write tables for spreadsheets safely: formula-like text cells are neutralised.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (CSV injection, OWASP). Text cells starting so, and not numbers such
as ``-0.5``, get a leading single quote. Tabs and carriage returns at the start
are treated the same way.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

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
        try:
            risky = values.str.contains(_TRIGGERS, regex=True, na=False)
        except AttributeError:  # no text in this column
            continue
        if risky.any():
            risky &= pd.to_numeric(values.where(risky), errors="coerce").isna()
            out.loc[risky, column] = "'" + values[risky]
    return out


def write_table(df: pd.DataFrame, path: Path, *, sep: str = ",", na_rep: str = "") -> Path:
    """Write ``df`` as CSV (or TSV with ``sep="\\t"``) with formulas neutralised.

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
    neutralise_formulas(df).to_csv(path, sep=sep, index=False, na_rep=na_rep, lineterminator="\n")
    return path
