"""Per-session free-recall scores and curves, vectorised over every session (no psychopy, no psifr).

The definitions are psifr's (Morton, 2020, JOSS 5(55):2669), applied to the
export of :func:`~cogtrain.tasks.recall.export.to_psifr` and pooled over the
lists of a session:

- A recall is *valid* when it is a study item of its list recalled for the first
  time in that recall period; intrusions and repetitions are not valid, and
  ``invalid`` entries are not recall events at all.
- ``spc``: for each serial position, the proportion of studied items recalled.
- ``pfr``: for each serial position, the proportion of lists whose first valid
  recall came from it, among lists with a valid recall that had that position.
- ``lag_crp``: for each lag, transitions made at that lag over transitions
  possible at that lag (Kahana, 1996), between successive valid recalls; a
  transition to or from an intrusion or a repetition is not counted, and the
  possible lags are those to items not yet recalled.
- ``temporal_factor``: mean over transitions of 1 − the percentile rank of the
  actual absolute lag among the possible absolute lags (average ranks for ties;
  undefined when one item was left) (Polyn, Norman & Kahana, 2009).

Curves and ``recall_prop``/``temporal_factor`` use the immediate recall of every
learning trial. Other metrics:

- ``delayed_recall_prop``: studied items recalled in the delayed recall, over the
  items of the lists recalled then.
- ``prop_retained``: items recalled in the delayed recall over items recalled at the
  last immediate recall of the same lists (Delis et al., CVLT-II long-delay retention).
- ``prior_list_intrusions``, ``extra_list_intrusions``, ``repetitions``: counts of
  recall events with that scoring rule, immediate and delayed.
- ``mean_list_length``, ``mean_words_recalled``: words per immediate list (the adaptive
  level) and studied words recalled per immediate list; with list length adapting to keep
  ``recall_prop`` near its criterion, these are what training moves.
- ``learning_slope`` (with learning trials): least-squares slope of the proportion
  recalled on learning trial number, over the session's immediate lists.
- ``recognition_hit_rate``, ``recognition_fa_rate`` (with recognition): share of old
  probes called old, and of new probes called old (unanswered probes left out);
  ``recognition_dprime`` from them with the log-linear correction (Hautus 1995).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from cogtrain.sdt import dprime_criterion
from cogtrain.sessionkeys import KEYS, session_ids, with_keys
from cogtrain.tasks.recall.export import psifr_layout, recall_rows

TASK = "recall"
LIST_KEYS = KEYS + ["list"]
METRIC_NAMES: tuple[str, ...] = (
    "recall_prop", "delayed_recall_prop", "prop_retained", "prior_list_intrusions",
    "extra_list_intrusions", "repetitions", "temporal_factor", "mean_list_length", "mean_words_recalled",
)
#: The columns of recall.csv that the scores read.
EVENT_COLUMNS = ("participant", "session", "test", "practice", "list", "phase", "trial_type", "position", "item",
                 "scoring_rule", "learning_trial")
#: Recall counts by scoring rule, as metrics.
RULE_METRICS = {"prior_list_intrusion": "prior_list_intrusions", "extra_list_intrusion": "extra_list_intrusions",
                "repetition": "repetitions"}


class Events(NamedTuple):
    """Study and recall events of psifr's lists, keyed by numbers (see :func:`events`)."""

    #: The rows of :func:`~cogtrain.tasks.recall.export.recall_rows` that have a participant and a session.
    rows: pd.DataFrame
    #: Each of ``rows``' session number.
    ids: np.ndarray
    #: ``participant, session`` of each session number.
    keys: pd.DataFrame
    #: One row per study event: id, lid, delayed, list, list_source, learning_trial, position, item, recalled.
    study: pd.DataFrame
    #: One row per recall event in output order: id, lid, delayed, list, output, item, input, valid.
    recall: pd.DataFrame
    #: The words, indexed by the ``item`` codes.
    items: pd.Index


def events(df: pd.DataFrame) -> Events:
    """Study and recall events of every psifr list, matched within each list.

    ``id`` is the session number (:func:`cogtrain.sessionkeys.session_ids`), ``lid``
    numbers psifr's lists in session and list order, ``delayed`` tells a delayed
    recall's list, ``item`` codes the word (−1 when empty). A recall's ``input`` is
    the serial position of its study item (NaN for intrusions); it is ``valid`` when
    it is the first recall of a study item of the list.
    """
    rows = recall_rows(df[[c for c in EVENT_COLUMNS if c in df]])
    rows, ids, keys = session_ids(rows.astype({"list": int, "position": int}))
    layout = psifr_layout(rows, ids)
    source = layout.source
    kind = rows["trial_type"]
    study = kind.eq("study").to_numpy(dtype=bool, na_value=False)[source]
    recall = kind.eq("recall").to_numpy(dtype=bool, na_value=False)[source]
    codes, items = pd.factorize(rows["item"])
    session, lists = ids[source], layout.list
    starts = np.ones(len(session), dtype=bool)
    starts[1:] = (session[1:] != session[:-1]) | (lists[1:] != lists[:-1])
    table = pd.DataFrame({
        "id": session, "lid": np.cumsum(starts) - 1,
        "delayed": layout.copy | ~rows["phase"].eq("immediate").to_numpy(dtype=bool, na_value=False)[source],
        "list": lists, "list_source": rows["list"].to_numpy()[source],
        "learning_trial": rows["learning_trial"].to_numpy(dtype=float, na_value=np.nan)[source],
        "position": layout.position, "item": codes[source]})
    studied = table.loc[study].reset_index(drop=True)
    recalls = table.loc[recall, ["id", "lid", "delayed", "list", "position", "item"]].rename(
        columns={"position": "output"}).merge(studied[["lid", "item", "position"]].rename(
            columns={"position": "input"}), on=["lid", "item"], how="left")
    word = len(items) + 1  # (lid, item) as one number: lid * word + item + 1

    def in_list(table: pd.DataFrame) -> pd.Series:
        return table["lid"] * word + table["item"] + 1

    recalls["valid"] = recalls["input"].notna() & ~in_list(recalls).duplicated()
    studied["recalled"] = in_list(studied).isin(in_list(recalls.loc[recalls["valid"]]))
    return Events(rows, ids, keys, studied, recalls, items)


def serial_events(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Study and recall events matched within each list.

    Returns
    -------
    study : pandas.DataFrame
        One row per study event: participant, session, list, phase, list_source,
        learning_trial, position, item, recalled (bool).
    recall : pandas.DataFrame
        One row per recall event in output order: participant, session, list,
        phase, output, item, input (serial position, NaN for intrusions) and
        valid (first recall of a study item of the list).
    """
    ev = events(df)

    def named(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        out = table.assign(phase=np.where(table["delayed"], "delayed", "immediate"),
                           item=ev.items.take(table["item"].to_numpy(), allow_fill=True))
        out = out[["list", "phase"] + columns].astype({"phase": "str"})
        return pd.concat([ev.keys.take(table["id"].to_numpy()).reset_index(drop=True), out], axis=1)

    study = named(ev.study.astype({"learning_trial": "Int64"}),
                  ["list_source", "learning_trial", "position", "item", "recalled"])
    return study, named(ev.recall, ["output", "item", "input", "valid"])


def transitions(recall: pd.DataFrame, study: pd.DataFrame) -> pd.DataFrame:
    """Every counted transition with every lag possible at it.

    Parameters
    ----------
    recall, study : pandas.DataFrame
        Events of some lists (:func:`events`).

    Returns
    -------
    pandas.DataFrame
        One row per (transition, available item): id, lid, transition (its number,
        in list and output order), output (of the "from" recall), actual (lag made),
        possible (lag to the available item).
    """
    lid, valid = recall["lid"].to_numpy(), recall["valid"].to_numpy()
    position = recall["input"].to_numpy(dtype=float)
    to_next = np.zeros(len(recall), dtype=bool)
    to_next[:-1] = valid[:-1] & valid[1:] & (lid[:-1] == lid[1:])
    made = np.flatnonzero(to_next)
    first = recall.loc[recall["valid"], ["lid", "input", "output"]].rename(
        columns={"input": "position", "output": "recalled_at"})
    pool = study[["lid", "position"]].merge(first, on=["lid", "position"], how="left")
    pool_lid = pool["lid"].to_numpy()
    start = np.searchsorted(pool_lid, lid[made], "left")
    count = np.searchsorted(pool_lid, lid[made], "right") - start
    transition = np.repeat(np.arange(len(made)), count)
    row = start[transition] + np.arange(len(transition)) - np.repeat(np.cumsum(count) - count, count)
    output = recall["output"].to_numpy()[made][transition]
    recalled_at = pool["recalled_at"].to_numpy(dtype=float)[row]
    keep = np.isnan(recalled_at) | (recalled_at > output)
    transition, row, output = transition[keep], row[keep], output[keep]
    return pd.DataFrame({
        "id": recall["id"].to_numpy()[made][transition], "lid": lid[made][transition], "transition": transition,
        "output": output, "actual": (position[made + 1] - position[made])[transition],
        "possible": pool["position"].to_numpy()[row] - position[made][transition]})


def _temporal_factor(pairs: pd.DataFrame) -> pd.Series:
    transition = pairs["transition"].to_numpy()
    actual, possible = np.abs(pairs["actual"].to_numpy()), np.abs(pairs["possible"].to_numpy())
    size = transition.max() + 1
    n = np.bincount(transition, minlength=size)
    less = np.bincount(transition[possible < actual], minlength=size)
    equal = np.bincount(transition[possible == actual], minlength=size)
    session = np.zeros(size, dtype=np.int64)
    session[transition] = pairs["id"].to_numpy()
    counted = n > 0
    pct = (less + (equal - 1) / 2) / np.where(n > 1, n - 1, np.nan)
    return pd.Series(1 - pct[counted]).groupby(session[counted]).mean()


def _prop(study: pd.DataFrame, delayed: bool) -> pd.Series:
    return study.loc[study["delayed"] == delayed].groupby("id")["recalled"].mean()


def _list_means(study: pd.DataFrame) -> pd.DataFrame:
    per_list = study.loc[~study["delayed"]].groupby(["id", "lid"])["recalled"].agg(["size", "sum"])
    return per_list.groupby(level="id").mean().rename(
        columns={"size": "mean_list_length", "sum": "mean_words_recalled"})


def _retained(study: pd.DataFrame) -> pd.Series:
    per_list = study.groupby(["id", "lid", "delayed", "list_source"], as_index=False)["recalled"].sum()
    delayed = per_list.loc[per_list["delayed"]]
    immediate = per_list.loc[~per_list["delayed"], ["id", "list_source", "recalled"]]
    both = delayed.merge(immediate.rename(columns={"recalled": "before"}), on=["id", "list_source"])
    sums = both.groupby("id")[["recalled", "before"]].sum()
    return sums["recalled"] / sums["before"].where(sums["before"] > 0)


def _rule_counts(rows: pd.DataFrame, ids: np.ndarray, sessions: int) -> pd.DataFrame:
    """Recall rows per scoring rule of each session; empty for a session none of whose recalls has a rule."""
    rule = rows["scoring_rule"].where(rows["trial_type"].eq("recall"))
    ruled = rule.notna().to_numpy()
    counts = pd.DataFrame({name: np.bincount(ids[rule.eq(value).to_numpy(dtype=bool, na_value=False)],
                                             minlength=sessions) for value, name in RULE_METRICS.items()})
    return counts.loc[np.bincount(ids[ruled], minlength=sessions) > 0]


def _learning_slope(study: pd.DataFrame) -> pd.Series:
    imm = study.loc[~study["delayed"]]
    per_list = imm.groupby(["id", "lid"], as_index=False).agg(x=("learning_trial", "first"), y=("recalled", "mean"))
    g = per_list.groupby("id")
    xm, ym = g["x"].transform("mean"), g["y"].transform("mean")
    terms = per_list.assign(sxy=(per_list["x"] - xm) * (per_list["y"] - ym), sxx=(per_list["x"] - xm) ** 2)
    sums = terms.groupby("id")[["sxy", "sxx"]].sum()
    return (sums["sxy"] / sums["sxx"].where(sums["sxx"] > 0)).dropna()


def _recognition(df: pd.DataFrame) -> pd.DataFrame:
    rec = df.loc[df["test"].eq("recognition") & df["response"].notna()]
    rec, ids, keys = session_ids(rec)
    counts = (pd.DataFrame({"id": ids, "probe": rec["probe"].to_numpy(), "said_old": rec["response"].eq("old").to_numpy()})
              .groupby(["id", "probe"])["said_old"].agg(["sum", "size"]).unstack("probe")
              .reindex(columns=["old", "new"], level=1).fillna(0))
    hits, olds = counts[("sum", "old")], counts[("size", "old")]
    fas, news = counts[("sum", "new")], counts[("size", "new")]
    table = pd.DataFrame({"recognition_hit_rate": hits / olds.where(olds > 0),
                          "recognition_fa_rate": fas / news.where(news > 0)})
    table["recognition_dprime"], _ = dprime_criterion(hits, olds, fas, news)
    return table.set_index(pd.MultiIndex.from_frame(keys.take(table.index)))


def metrics(df: pd.DataFrame) -> pd.DataFrame:
    """Per-session recall metrics (see the module docstring for definitions).

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of ``recall.csv`` of any number of participants and sessions.

    Returns
    -------
    pandas.DataFrame
        ``participant, session, task, metric, value``; every metric of
        :data:`METRIC_NAMES` for every session (NaN when undefined, e.g. no
        delayed recall), plus the optional ones that apply.
    """
    if recall_rows(df).empty:
        return pd.DataFrame(columns=KEYS + ["task", "metric", "value"])
    ev = events(df)
    study, recall = ev.study, ev.recall
    pairs = transitions(recall.loc[~recall["delayed"]], study.loc[~study["delayed"]])
    wide = pd.DataFrame(index=pd.RangeIndex(len(ev.keys)))
    wide["recall_prop"] = _prop(study, delayed=False)
    wide["delayed_recall_prop"] = _prop(study, delayed=True)
    wide["prop_retained"] = _retained(study)
    wide = wide.join(_rule_counts(ev.rows, ev.ids, len(ev.keys)))
    wide["temporal_factor"] = _temporal_factor(pairs) if len(pairs) else np.nan
    wide = wide.join(_list_means(study))[list(METRIC_NAMES)]
    if study["learning_trial"].fillna(1).max() > 1:
        wide["learning_slope"] = _learning_slope(study)
    wide.index = pd.MultiIndex.from_frame(ev.keys)
    if df["test"].eq("recognition").any():
        wide = wide.join(_recognition(df))
    long = wide.astype(float).reset_index().melt(id_vars=KEYS, var_name="metric", value_name="value")
    return long.assign(task=TASK)[KEYS + ["task", "metric", "value"]]


def spc(study: pd.DataFrame) -> pd.DataFrame:
    """Serial position curve: ``id, x`` (serial position), ``value``."""
    return study.groupby(["id", "position"])["recalled"].mean().rename("value").rename_axis(["id", "x"]).reset_index()


def pfr(recall: pd.DataFrame, study: pd.DataFrame) -> pd.DataFrame:
    """Probability of first recall by serial position (psifr ``pnr`` at output 1)."""
    first = recall.loc[recall["valid"]].drop_duplicates("lid")
    possible = study.merge(first[["lid"]], on="lid").groupby(["id", "position"]).size()
    actual = (first.assign(position=first["input"].astype(int)).groupby(["id", "position"]).size()
              .reindex(possible.index, fill_value=0))
    return (actual / possible).rename("value").rename_axis(["id", "x"]).reset_index()


def lag_crp(pairs: pd.DataFrame) -> pd.DataFrame:
    """Lag-conditional response probability (lags with at least one possible transition, 0 excluded)."""
    made = pairs.drop_duplicates("transition").groupby(["id", "actual"]).size()
    possible = pairs.groupby(["id", "possible"]).size()
    possible = possible.loc[possible.index.get_level_values("possible") != 0]
    value = made.rename_axis(["id", "x"]).reindex(possible.index.rename(["id", "x"]), fill_value=0)
    return (value / possible.to_numpy()).rename("value").reset_index()


def curves(df: pd.DataFrame) -> pd.DataFrame:
    """``spc``, ``pfr`` and ``lag_crp`` of the immediate recalls, per session.

    Returns
    -------
    pandas.DataFrame
        ``participant, session, task, curve, x, value``.
    """
    if recall_rows(df).empty:
        return pd.DataFrame(columns=KEYS + ["task", "curve", "x", "value"])
    ev = events(df)
    study = ev.study.loc[~ev.study["delayed"]]
    recall = ev.recall.loc[~ev.recall["delayed"]]
    parts = {"spc": spc(study), "pfr": pfr(recall, study), "lag_crp": lag_crp(transitions(recall, study))}
    out = pd.concat([p.assign(curve=name) for name, p in parts.items()], ignore_index=True)
    return with_keys(ev.keys, out["id"].to_numpy(), task=TASK, curve=out["curve"].to_numpy(),
                     x=out["x"].astype(int).to_numpy(), value=out["value"].to_numpy())
