"""Export free-recall rows in psifr's long format (Morton, 2020, JOSS 5(55):2669).

The recall task's :func:`cogtrain.tasks.recall.export.to_psifr` does the
conversion (delayed recalls become lists of their own with a copy of their
study items). This module then numbers ``list`` on across a participant's
sessions, so psifr's default merge keys (subject, list, item) never join lists
of different sessions; ``session_list`` keeps the session's own list number.
"""
from __future__ import annotations

import importlib

import pandas as pd

from cogtrain.errors import CogtrainError

#: Module of the recall task that converts its rows (``to_psifr``).
CONVERTER = "cogtrain.tasks.recall.export"


def psifr_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Recall rows → psifr long format with ``list`` unique within each participant.

    Parameters
    ----------
    rows : pandas.DataFrame
        Scored ``recall.csv`` rows of any number of participants and sessions.

    Returns
    -------
    pandas.DataFrame
        ``subject, list, trial_type, position, item, session, session_list`` and
        the other recall columns, ready for ``psifr.fr.merge_free_recall``.
    """
    try:
        to_psifr = importlib.import_module(CONVERTER).to_psifr
    except (ImportError, AttributeError) as exc:
        raise CogtrainError(f"psifr export needs the recall task ({CONVERTER}.to_psifr): {exc}") from None
    table = to_psifr(rows)
    lists = table[["subject", "session", "list"]].drop_duplicates().sort_values(["subject", "session", "list"])
    lists["psifr_list"] = lists.groupby("subject").cumcount() + 1
    table = table.rename(columns={"list": "session_list"}).merge(
        lists.rename(columns={"list": "session_list"}), on=["subject", "session", "session_list"], how="left")
    table["list"] = table.pop("psifr_list")
    first = ["subject", "list", "trial_type", "position", "item", "session", "session_list"]
    return table[first + [c for c in table.columns if c not in first]]
