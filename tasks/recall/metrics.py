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

import numpy as np
import pandas as pd

from cogtrain.sdt import dprime_criterion
from cogtrain.tasks.recall.export import recall_rows, to_psifr

TASK = "recall"
KEYS = ["participant", "session"]
LIST_KEYS = KEYS + ["list"]
METRIC_NAMES: tuple[str, ...] = (
    "recall_prop", "delayed_recall_prop", "prop_retained", "prior_list_intrusions",
    "extra_list_intrusions", "repetitions", "temporal_factor", "mean_list_length", "mean_words_recalled",
)


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
    ev = to_psifr(df).rename(columns={"subject": "participant"})
    cols = LIST_KEYS + ["phase", "list_source", "learning_trial", "position", "item"]
    cols = [c for c in cols if c in ev]
    study = ev.loc[ev["trial_type"].eq("study"), cols].reset_index(drop=True)
    recall = ev.loc[ev["trial_type"].eq("recall"), LIST_KEYS + ["phase", "position", "item"]]
    recall = recall.rename(columns={"position": "output"}).merge(
        study[LIST_KEYS + ["item", "position"]].rename(columns={"position": "input"}),
        on=LIST_KEYS + ["item"], how="left")
    recall = recall.sort_values(LIST_KEYS + ["output"], kind="stable").reset_index(drop=True)
    recall["valid"] = recall["input"].notna() & ~recall.duplicated(LIST_KEYS + ["item"])
    hits = recall.loc[recall["valid"], LIST_KEYS + ["item"]].assign(recalled=True)
    study = study.merge(hits, on=LIST_KEYS + ["item"], how="left")
    study["recalled"] = study["recalled"].fillna(False).astype(bool)
    return study, recall


def transitions(recall: pd.DataFrame, study: pd.DataFrame) -> pd.DataFrame:
    """Every counted transition with every lag possible at it.

    Returns
    -------
    pandas.DataFrame
        One row per (transition, available item): participant, session, list,
        output (of the "from" recall), actual (lag made), possible (lag to the
        available item).
    """
    nxt = recall.groupby(LIST_KEYS)[["valid", "input"]].shift(-1)
    made = recall.loc[recall["valid"] & nxt["valid"].fillna(False).astype(bool), LIST_KEYS + ["output", "input"]]
    made = made.assign(actual=nxt.loc[made.index, "input"] - made["input"])
    first = recall.loc[recall["valid"], LIST_KEYS + ["input", "output"]].rename(
        columns={"input": "position", "output": "recalled_at"})
    pool = study[LIST_KEYS + ["position"]].merge(first, on=LIST_KEYS + ["position"], how="left")
    pairs = made.merge(pool, on=LIST_KEYS)
    pairs = pairs.loc[pairs["recalled_at"].isna() | (pairs["recalled_at"] > pairs["output"])]
    return pairs.assign(possible=pairs["position"] - pairs["input"])[
        LIST_KEYS + ["output", "actual", "possible"]]


def _temporal_factor(pairs: pd.DataFrame) -> pd.Series:
    a, p = pairs["actual"].abs(), pairs["possible"].abs()
    per = pairs.assign(less=p < a, equal=p == a).groupby(LIST_KEYS + ["output"]).agg(
        less=("less", "sum"), equal=("equal", "sum"), n=("less", "size"))
    pct = (per["less"] + (per["equal"] - 1) / 2) / (per["n"] - 1).where(per["n"] > 1)
    return (1 - pct).groupby(KEYS).mean()


def _prop(study: pd.DataFrame, phase: str) -> pd.Series:
    return study.loc[study["phase"].eq(phase)].groupby(KEYS)["recalled"].mean()


def _list_means(study: pd.DataFrame) -> pd.DataFrame:
    per_list = study.loc[study["phase"].eq("immediate")].groupby(LIST_KEYS)["recalled"].agg(["size", "sum"])
    return per_list.groupby(level=KEYS).mean().rename(
        columns={"size": "mean_list_length", "sum": "mean_words_recalled"})


def _retained(study: pd.DataFrame) -> pd.Series:
    per_list = study.groupby(LIST_KEYS + ["phase", "list_source"], as_index=False)["recalled"].sum()
    delayed = per_list.loc[per_list["phase"].eq("delayed")]
    immediate = per_list.loc[per_list["phase"].eq("immediate"), LIST_KEYS + ["recalled"]]
    both = delayed.merge(immediate.rename(columns={"list": "list_source", "recalled": "before"}),
                         on=KEYS + ["list_source"])
    sums = both.groupby(KEYS)[["recalled", "before"]].sum()
    return sums["recalled"] / sums["before"].where(sums["before"] > 0)


def _rule_counts(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.loc[rows["trial_type"].eq("recall")]
    counts = pd.crosstab([rows["participant"], rows["session"]], rows["scoring_rule"])
    wanted = {"prior_list_intrusion": "prior_list_intrusions",
              "extra_list_intrusion": "extra_list_intrusions", "repetition": "repetitions"}
    return counts.reindex(columns=list(wanted), fill_value=0).rename(columns=wanted)


def _learning_slope(study: pd.DataFrame) -> pd.Series:
    imm = study.loc[study["phase"].eq("immediate")]
    per_list = imm.groupby(LIST_KEYS, as_index=False).agg(x=("learning_trial", "first"), y=("recalled", "mean"))
    g = per_list.groupby(KEYS)
    xm, ym = g["x"].transform("mean"), g["y"].transform("mean")
    terms = per_list.assign(sxy=(per_list["x"] - xm) * (per_list["y"] - ym), sxx=(per_list["x"] - xm) ** 2)
    sums = terms.groupby(KEYS)[["sxy", "sxx"]].sum()
    return (sums["sxy"] / sums["sxx"].where(sums["sxx"] > 0)).dropna()


def _recognition(df: pd.DataFrame) -> pd.DataFrame:
    rec = df.loc[df["test"].eq("recognition") & df["response"].notna()]
    counts = (rec.assign(said_old=rec["response"].eq("old")).groupby(KEYS + ["probe"])["said_old"]
              .agg(["sum", "size"]).unstack("probe").reindex(columns=["old", "new"], level=1).fillna(0))
    hits, olds = counts[("sum", "old")], counts[("size", "old")]
    fas, news = counts[("sum", "new")], counts[("size", "new")]
    table = pd.DataFrame({"recognition_hit_rate": hits / olds.where(olds > 0),
                          "recognition_fa_rate": fas / news.where(news > 0)})
    table["recognition_dprime"], _ = dprime_criterion(hits, olds, fas, news)
    return table


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
    rows = recall_rows(df)
    if rows.empty:
        return pd.DataFrame(columns=KEYS + ["task", "metric", "value"])
    study, recall = serial_events(df)
    sessions = pd.MultiIndex.from_frame(rows[KEYS].drop_duplicates().sort_values(KEYS))
    pairs = transitions(recall.loc[recall["phase"].eq("immediate")], study.loc[study["phase"].eq("immediate")])
    wide = pd.DataFrame(index=sessions)
    wide["recall_prop"] = _prop(study, "immediate")
    wide["delayed_recall_prop"] = _prop(study, "delayed")
    wide["prop_retained"] = _retained(study)
    wide = wide.join(_rule_counts(rows))
    wide["temporal_factor"] = _temporal_factor(pairs) if len(pairs) else np.nan
    wide = wide.join(_list_means(study))[list(METRIC_NAMES)]
    if study["learning_trial"].fillna(1).max() > 1:
        wide["learning_slope"] = _learning_slope(study)
    if df["test"].eq("recognition").any():
        wide = wide.join(_recognition(df))
    long = wide.astype(float).rename_axis(index=KEYS).reset_index().melt(id_vars=KEYS, var_name="metric", value_name="value")
    return long.assign(task=TASK)[KEYS + ["task", "metric", "value"]]


def spc(study: pd.DataFrame) -> pd.DataFrame:
    """Serial position curve: ``participant, session, x`` (serial position), ``value``."""
    return (study.groupby(KEYS + ["position"])["recalled"].mean().rename("value")
            .rename_axis(KEYS + ["x"]).reset_index())


def pfr(recall: pd.DataFrame, study: pd.DataFrame) -> pd.DataFrame:
    """Probability of first recall by serial position (psifr ``pnr`` at output 1)."""
    first = recall.loc[recall["valid"]].drop_duplicates(LIST_KEYS)
    possible = study.merge(first[LIST_KEYS], on=LIST_KEYS).groupby(KEYS + ["position"]).size()
    actual = (first.assign(position=first["input"].astype(int)).groupby(KEYS + ["position"]).size()
              .reindex(possible.index, fill_value=0))
    return (actual / possible).rename("value").rename_axis(KEYS + ["x"]).reset_index()


def lag_crp(pairs: pd.DataFrame) -> pd.DataFrame:
    """Lag-conditional response probability (lags with at least one possible transition, 0 excluded)."""
    made = pairs.drop_duplicates(LIST_KEYS + ["output"]).groupby(KEYS + ["actual"]).size()
    possible = pairs.groupby(KEYS + ["possible"]).size()
    possible = possible.loc[possible.index.get_level_values("possible") != 0]
    value = made.rename_axis(KEYS + ["x"]).reindex(possible.index.rename(KEYS + ["x"]), fill_value=0)
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
    study, recall = serial_events(df)
    study = study.loc[study["phase"].eq("immediate")]
    recall = recall.loc[recall["phase"].eq("immediate")]
    parts = {"spc": spc(study), "pfr": pfr(recall, study), "lag_crp": lag_crp(transitions(recall, study))}
    out = pd.concat([p.assign(curve=name) for name, p in parts.items()], ignore_index=True)
    out["x"] = out["x"].astype(int)
    return out.assign(task=TASK)[KEYS + ["task", "curve", "x", "value"]]
