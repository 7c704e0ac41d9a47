"""Recall metrics and curves equal psifr's (Morton, 2020) on simulated, exported data.

psifr is a test dependency only; cogtrain's metrics never import it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from cogtrain.tasks.recall.export import to_psifr
from cogtrain.tasks.recall.metrics import METRIC_NAMES, curves, metrics

fr = pytest.importorskip("psifr.fr", reason="psifr (a test dependency) is not installed")

DATASETS = ["learning_data", "many_lists_data"]


def _frame(name: str, request: pytest.FixtureRequest) -> pd.DataFrame:
    data = request.getfixturevalue(name)
    return data[0] if isinstance(data, tuple) else data


def _psifr_by_session(df: pd.DataFrame, phase: str):
    ev = to_psifr(df)
    ev = ev.loc[ev["phase"].eq(phase)]
    for (participant, session), part in ev.groupby(["subject", "session"]):
        yield participant, session, fr.merge_free_recall(part)


def _curve(ours: pd.DataFrame, participant: str, session: int, name: str) -> pd.Series:
    sel = ours.loc[ours["participant"].eq(participant) & ours["session"].eq(session) & ours["curve"].eq(name)]
    return sel.set_index("x")["value"]


@pytest.mark.parametrize("name", DATASETS)
def test_curves_equal_psifr(name: str, request: pytest.FixtureRequest) -> None:
    df = _frame(name, request)
    ours = curves(df)
    n = 0
    for participant, session, merged in _psifr_by_session(df, "immediate"):
        spc = fr.spc(merged).set_index("input")["recall"]
        pd.testing.assert_series_equal(_curve(ours, participant, session, "spc"), spc, check_names=False,
                                       check_index_type=False)
        pnr = fr.pnr(merged).query("output == 1 and possible > 0").set_index("input")["prob"]
        pd.testing.assert_series_equal(_curve(ours, participant, session, "pfr"), pnr, check_names=False,
                                       check_index_type=False)
        crp = fr.lag_crp(merged).query("possible > 0").set_index("lag")["prob"]
        crp.index = crp.index.astype(int)
        pd.testing.assert_series_equal(_curve(ours, participant, session, "lag_crp"), crp, check_names=False,
                                       check_index_type=False)
        n += 1
    assert n == df.groupby(["participant", "session"]).ngroups


@pytest.mark.parametrize("name", DATASETS)
def test_scalar_metrics_equal_psifr(name: str, request: pytest.FixtureRequest) -> None:
    df = _frame(name, request)
    ours = metrics(df).set_index(["participant", "session", "metric"])["value"]
    for participant, session, merged in _psifr_by_session(df, "immediate"):
        tf = fr.lag_rank(merged)["rank"].iloc[0]
        assert ours[(participant, session, "temporal_factor")] == pytest.approx(tf, abs=1e-12)
        prop = merged.query("study")["recall"].mean()
        assert ours[(participant, session, "recall_prop")] == pytest.approx(prop, abs=1e-12)
    for participant, session, merged in _psifr_by_session(df, "delayed"):
        prop = merged.query("study")["recall"].mean()
        assert ours[(participant, session, "delayed_recall_prop")] == pytest.approx(prop, abs=1e-12)


def test_prior_list_intrusions_match_psifr(learning_data) -> None:
    df, _ = learning_data
    ours = metrics(df).set_index(["participant", "session", "metric"])["value"]
    for participant, session, merged in _psifr_by_session(df, "immediate"):
        rows = df.loc[df["session"].eq(session) & df["phase"].eq("immediate") & df["test"].eq("recall")]
        practice_plis = (rows["scoring_rule"].eq("prior_list_intrusion") & rows["source_list"].eq(0)).sum()
        psifr_plis = merged.loc[merged["prior_list"].notna() & merged["repeat"].eq(0)].drop_duplicates(
            ["list", "output"])
        delayed = df.loc[df["session"].eq(session) & df["phase"].eq("delayed")
                         & df["scoring_rule"].eq("prior_list_intrusion")]
        total = ours[(participant, session, "prior_list_intrusions")]
        assert total == len(psifr_plis) + practice_plis + len(delayed)


def test_every_metric_for_every_session(learning_data) -> None:
    df, _ = learning_data
    m = metrics(df)
    wanted = set(METRIC_NAMES) | {"learning_slope", "recognition_hit_rate", "recognition_fa_rate",
                                  "recognition_dprime"}
    table = m.pivot_table(index="session", columns="metric", values="value")
    assert set(table.columns) == wanted and table.notna().all().all()
    assert set(m.columns) == {"participant", "session", "task", "metric", "value"}
    assert (table["recognition_hit_rate"] > table["recognition_fa_rate"]).all()
    for session, rows in df.loc[df["test"].eq("recognition") & df["response"].notna()].groupby("session"):
        old, new = rows[rows["probe"].eq("old")], rows[rows["probe"].eq("new")]
        h = (old["response"].eq("old").sum() + 0.5) / (len(old) + 1)  # log-linear (Hautus 1995)
        f = (new["response"].eq("old").sum() + 0.5) / (len(new) + 1)
        assert table.loc[session, "recognition_dprime"] == pytest.approx(norm.ppf(h) - norm.ppf(f))
    assert ((table["prop_retained"] > 0) & (table["prop_retained"] <= 1.5)).all()


def test_hand_computed_fixture() -> None:
    """One list of 4 words, recalls 3, 4, intrusion, 2, 3 (repeat); computed by hand."""
    base = {"participant": "H", "session": 1, "test": "recall", "list": 1, "phase": "immediate",
            "practice": 0, "learning_trial": 1}
    study = [{**base, "trial_type": "study", "position": i + 1, "item": w} for i, w in enumerate("abcd")]
    recall = [{**base, "trial_type": "recall", "position": i + 1, "item": w, "scoring_rule": r}
              for i, (w, r) in enumerate([("c", "exact"), ("d", "exact"), ("x", "extra_list_intrusion"),
                                          ("b", "typo"), ("c", "repetition")])]
    df = pd.DataFrame(study + recall)
    m = metrics(df).set_index("metric")["value"]
    # recalled b, c, d of 4; one transition c->d (lag +1, possible lags -2, -1, +1 from 3 to {1,2,4})
    assert m["recall_prop"] == 0.75 and m["repetitions"] == 1 and m["extra_list_intrusions"] == 1
    assert m["mean_list_length"] == 4 and m["mean_words_recalled"] == 3
    # |lag| 1 vs possible {2, 1, 1}: ranks 1.5 of 3 -> percentile 0.25 -> factor 0.75
    assert m["temporal_factor"] == pytest.approx(0.75)
    c = curves(df).set_index(["curve", "x"])["value"]
    assert list(c["spc"]) == [0.0, 1.0, 1.0, 1.0] and list(c["pfr"]) == [0.0, 0.0, 1.0, 0.0]
    assert c[("lag_crp", 1)] == 1.0 and c[("lag_crp", -1)] == 0.0 and c[("lag_crp", -2)] == 0.0
    assert np.isnan(m["delayed_recall_prop"])


def test_partial_sessions(learning_data) -> None:
    df, _ = learning_data
    assert metrics(df.loc[df["practice"].eq(1)]).empty and curves(df.loc[df["practice"].eq(1)]).empty
    immediate_only = metrics(df.loc[df["phase"].eq("immediate")])
    assert immediate_only["value"].dtype == float
    table = immediate_only.pivot_table(index="session", columns="metric", values="value", dropna=False)
    assert table["delayed_recall_prop"].isna().all() and table["recall_prop"].notna().all()


def test_recalls_without_study_rows_are_counted_and_proportions_left_empty() -> None:
    """A log cut before its word lists (no study rows) still counts its intrusions; nothing is a proportion."""
    base = {"participant": "H", "session": 1, "test": "recall", "list": 1, "phase": "immediate", "practice": 0,
            "learning_trial": 1, "trial_type": "recall"}
    df = pd.DataFrame([{**base, "position": 1, "item": "x", "scoring_rule": "extra_list_intrusion"},
                       {**base, "position": 2, "item": "y", "scoring_rule": "prior_list_intrusion"}])
    m = metrics(df).set_index("metric")["value"]
    assert m["extra_list_intrusions"] == 1 and m["prior_list_intrusions"] == 1 and m["repetitions"] == 0
    assert m[["recall_prop", "temporal_factor", "mean_list_length", "prop_retained"]].isna().all()
    assert curves(df).empty
