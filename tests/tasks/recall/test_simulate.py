"""The simulated participant: ability meaning, serial-position effects, contiguity, every scoring path."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cogtrain.tasks.recall.config import RecallSettings
from cogtrain.tasks.recall.metrics import curves, metrics, serial_events
from cogtrain.tasks.recall.scoring import RULES
from cogtrain.tasks.recall.simulate import misspell, recall_order, recall_probability


def test_ability_is_the_length_recalled_at_half() -> None:
    assert recall_probability(10, 10.0) == 0.5
    p = [recall_probability(n, 10.0) for n in range(6, 25)]
    assert all(a > b for a, b in zip(p, p[1:]))


def test_recall_order_is_contiguous() -> None:
    rng = np.random.default_rng(0)
    lags = []
    for _ in range(300):
        order = recall_order(12, 6, rng)
        assert len(set(order)) == 6 and all(0 <= i < 12 for i in order)
        lags += list(np.diff(order))
    lags = np.array(lags)
    assert np.mean(np.abs(lags) == 1) > 0.4 and np.mean(lags == 1) > np.mean(lags == -1)
    assert recall_order(5, 0, rng) == []


def test_misspell_changes_long_words_only() -> None:
    rng = np.random.default_rng(2)
    assert misspell("cat", rng) == "cat"
    wrong = misspell("elephant", rng)
    assert wrong != "elephant" and abs(len(wrong) - 8) <= 1


def test_every_scoring_rule_occurs(learning_data, many_lists_data) -> None:
    df = pd.concat([learning_data[0], many_lists_data])
    assert set(df["scoring_rule"].dropna()) == set(RULES)


def test_primacy_recency_and_contiguity(many_lists_data) -> None:
    study, _ = serial_events(many_lists_data)
    length = study.groupby(["participant", "session", "list"])["position"].transform("max")
    first = study.loc[study["position"].eq(1), "recalled"].mean()
    last = study.loc[study["position"].eq(length), "recalled"].mean()
    middle = study.loc[(study["position"] - length / 2).abs() <= 1, "recalled"].mean()
    assert first > middle and last > middle
    c = curves(many_lists_data)
    crp = c.loc[c["curve"].eq("lag_crp")].groupby("x")["value"].mean()
    assert crp.loc[1] > crp.loc[3] and crp.loc[-1] > crp.loc[-3] and crp.loc[1] > crp.loc[-1]
    tf = metrics(many_lists_data).query("metric == 'temporal_factor'")["value"]
    assert (tf > 0.6).all()


def test_list_length_settles_near_ability(tmp_path: Path, run_sessions) -> None:
    settings = RecallSettings(lists=4, practice_length=0, delayed={"enabled": False},
                              distractor={"enabled": False})
    _, states = run_sessions(tmp_path, settings, sessions=8, ability=13.0, seed=4)
    levels = [s["level"] for s in states]
    assert abs(np.mean(levels[-4:]) - 13.0) <= 3
