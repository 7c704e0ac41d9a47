"""Conversion of recall logs to psifr's long format (Morton, 2020, JOSS 5(55):2669).

The task declares :data:`PSIFR` as its extra export: ``cogtrain export --format
psifr`` calls :func:`write_psifr` on the scored ``recall.csv`` rows of all
sessions. :func:`to_psifr` converts rows; :func:`psifr_table` then numbers ``list``
on across a participant's sessions, so psifr's default merge keys (subject, list,
item) never join lists of different sessions; ``session_list`` keeps the
session's own list number.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from cogtrain.scoring.tables import write_table
from cogtrain.sessionkeys import lex_order, session_ids
from cogtrain.task import Export

#: psifr's required columns, first in the output.
PSIFR_COLUMNS: tuple[str, ...] = ("subject", "list", "trial_type", "position", "item")
#: Extra recall columns carried into the export, when present.
EXTRA_COLUMNS: tuple[str, ...] = (
    "session", "phase", "list_source", "form", "learning_trial", "list_length", "raw_response",
    "scoring_rule", "edit_distance", "list_lag", "source_list", "onset_s", "rt_s", "delay_s",
)
#: Whole-number columns (read as floats when a column has empty cells).
INTEGER_COLUMNS: tuple[str, ...] = ("form", "learning_trial", "list_length", "edit_distance", "list_lag",
                                    "source_list")
_KEY = ["participant", "session", "list"]


def recall_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Study and recall rows of the free-recall test, without practice and recognition rows."""
    keep = df["test"].eq("recall")
    if "practice" in df:
        keep &= df["practice"].fillna(0).astype(int).eq(0)
    return df.loc[keep]


def to_psifr(df: pd.DataFrame) -> pd.DataFrame:
    """Turn recall.csv rows (any number of participants and sessions) into psifr's long format.

    - One *list* in psifr is one study + recall set. Immediate sets keep their
      ``list`` number. Each delayed recall of list *L* becomes a new list,
      numbered after the session's last list, with ``list_source`` = *L* and a
      copy of *L*'s study rows, so psifr can score it; ``phase`` tells them apart.
      List numbers stay unique within a participant's session.
    - Recall rows scored ``invalid`` (empty or non-word entries) are left out and
      the output positions of the remaining recalls renumbered 1, 2, …; psifr
      would otherwise count them as intrusions. Recognition and practice rows are
      left out.
    - ``item`` is the scored word (a corrected typo, the singular of a plural),
      so psifr matches recalls to study items exactly as cogtrain scored them.
    - ``subject`` is the participant ID. psifr matches prior-list intrusions
      within a subject, so analyse one session at a time (or use a subject key
      combining participant and session) when lists of different sessions share
      numbers.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of ``recall.csv`` as read by ``pandas.read_csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``subject, list, trial_type, position, item`` then the recall
        columns of :data:`EXTRA_COLUMNS`, sorted by subject, session, list,
        trial type (study first) and position.

    Examples
    --------
    >>> rows = pd.DataFrame({
    ...     "participant": "P1", "session": 1, "test": "recall", "list": 1,
    ...     "phase": ["immediate", "immediate", "immediate", "immediate", "delayed"],
    ...     "trial_type": ["study", "study", "recall", "recall", "recall"],
    ...     "position": [1, 2, 1, 2, 1],
    ...     "item": ["cat", "pen", "pen", "", "cat"],
    ...     "scoring_rule": [None, None, "exact", "invalid", "typo"]})
    >>> to_psifr(rows)[["list", "trial_type", "position", "item", "phase", "list_source"]]
       list trial_type  position item      phase  list_source
    0     1      study         1  cat  immediate            1
    1     1      study         2  pen  immediate            1
    2     1     recall         1  pen  immediate            1
    3     2      study         1  cat    delayed            1
    4     2      study         2  pen    delayed            1
    5     2     recall         1  cat    delayed            1
    """
    rows = recall_rows(df).astype({"list": int, "position": int})
    rows, ids, _ = session_ids(rows)
    layout = psifr_layout(rows, ids)
    out = rows.take(layout.source).rename(columns={"participant": "subject"}).reset_index(drop=True)
    out["list_source"] = out["list"]
    out["list"] = layout.list
    out["position"] = layout.position
    out.loc[layout.copy, "phase"] = "delayed"
    extra = [c for c in EXTRA_COLUMNS if c in out]
    counts = {c: "Int64" for c in INTEGER_COLUMNS if c in out}
    return out[list(PSIFR_COLUMNS) + extra].astype(counts)


class Layout(NamedTuple):
    """Where the rows of psifr's long format come from (see :func:`psifr_layout`)."""

    #: Position in the recall rows of each psifr row.
    source: np.ndarray
    #: psifr's list number.
    list: np.ndarray
    #: Serial position of a study row; output position of a recall row.
    position: np.ndarray
    #: True for a study row copied into a delayed recall's list.
    copy: np.ndarray


def psifr_layout(rows: pd.DataFrame, ids: np.ndarray) -> Layout:
    """The rows of psifr's long format (:func:`to_psifr`) as positions in ``rows``, with their list numbers.

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`recall_rows` with whole-number ``list`` and ``position``.
    ids : numpy.ndarray
        Each row's session number, numbered in participant then session order
        (:func:`cogtrain.sessionkeys.session_ids`).

    Returns
    -------
    Layout
        The psifr rows, sorted by session, list, trial type (study first) and position.
    """
    phase, kind = rows["phase"], rows["trial_type"]
    lists, position = rows["list"].to_numpy(), rows["position"].to_numpy()
    immediate = phase.eq("immediate").to_numpy(dtype=bool, na_value=False)
    delayed = (phase.eq("delayed") & kind.eq("recall")).to_numpy(dtype=bool, na_value=False)
    study = kind.eq("study").to_numpy(dtype=bool, na_value=False)
    mapping = delayed_lists(ids, lists, delayed)
    numbers = mapping.to_numpy()
    where = mapping.index.get_indexer(pd.MultiIndex.from_arrays([ids, lists]))
    copies = np.flatnonzero(immediate & study & (where >= 0))
    recalls = np.flatnonzero(delayed)
    source = np.concatenate([np.flatnonzero(immediate), copies, recalls])
    new_list = np.concatenate([lists[immediate], numbers[where[copies]], numbers[where[recalls]]])
    copy = np.repeat([False, True, False], [immediate.sum(), len(copies), len(recalls)])
    invalid = (kind.eq("recall") & rows["scoring_rule"].eq("invalid")).to_numpy(dtype=bool, na_value=False)
    keep = ~invalid[source]
    source, new_list, copy = source[keep], new_list[keep], copy[keep]
    order = lex_order([ids[source], new_list, ~study[source], position[source]])
    source, new_list, copy = source[order], new_list[order], copy[order]
    out_position = position[source].copy()
    recall = np.flatnonzero(kind.eq("recall").to_numpy(dtype=bool, na_value=False)[source])
    session, recall_list = ids[source][recall], new_list[recall]
    starts = np.ones(len(recall), dtype=bool)  # each list's first recall
    starts[1:] = (session[1:] != session[:-1]) | (recall_list[1:] != recall_list[:-1])
    number = np.arange(len(recall))
    out_position[recall] = number - np.maximum.accumulate(np.where(starts, number, 0)) + 1
    return Layout(source, new_list, out_position, copy)


def delayed_lists(ids: np.ndarray, lists: np.ndarray, delayed: np.ndarray) -> pd.Series:
    """Number given to each delayed recall set: after the session's last list, in list order.

    Every delayed recall period leaves at least one row (an empty, ``invalid``
    entry when nothing was typed), so the sets are known from the log alone.

    Parameters
    ----------
    ids, lists : numpy.ndarray
        Each recall row's session number and list.
    delayed : numpy.ndarray of bool
        True for the rows of a delayed recall.

    Returns
    -------
    pandas.Series
        The delayed list's number, indexed by session number and the list recalled.
    """
    last = pd.Series(lists).groupby(ids).max()
    tested = pd.MultiIndex.from_arrays([ids[delayed], lists[delayed]]).unique().sort_values()
    session = tested.get_level_values(0)
    rank = pd.Series(session).groupby(session).cumcount().to_numpy() + 1
    return pd.Series(last.reindex(session).to_numpy() + rank, index=tested)


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
    table = to_psifr(rows)
    lists = table[["subject", "session", "list"]].drop_duplicates().sort_values(["subject", "session", "list"])
    lists["psifr_list"] = lists.groupby("subject").cumcount() + 1
    table = table.rename(columns={"list": "session_list"}).merge(
        lists.rename(columns={"list": "session_list"}), on=["subject", "session", "session_list"], how="left")
    table["list"] = table.pop("psifr_list")
    first = ["subject", "list", "trial_type", "position", "item", "session", "session_list"]
    return table[first + [c for c in table.columns if c not in first]]


def write_psifr(rows: pd.DataFrame, out_dir: Path) -> tuple[list[Path], str]:
    """Write ``recall_psifr.csv`` (:func:`psifr_table` of ``rows``) into ``out_dir``.

    Returns
    -------
    tuple of (list of Path, str)
        The file written and what it holds and leaves out.
    """
    table = psifr_table(rows)
    path = write_table(table, out_dir / "recall_psifr.csv")
    invalid = int((rows["trial_type"].eq("recall") & rows["scoring_rule"].eq("invalid")).sum())
    return [path], (f"wrote {len(table)} psifr rows to {path}; left out {invalid} invalid recall entries "
                    "(empty or not a word), which psifr would count as intrusions")


PSIFR = Export("psifr", "scored free-recall rows in psifr's long format (recall_psifr.csv)", write_psifr)
