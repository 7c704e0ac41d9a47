"""Session metrics against hand-computed values (d' and c straight from scipy's norm.ppf)."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from cogtrain.tasks.nback import TASK
from cogtrain.tasks.nback.metrics import curves, metrics


def rows(participant, session, block, n, modality, outcomes, rt=0.5):
    """Trial rows for one modality from a list of (is_target, responded)."""
    out = []
    for i, (target, resp) in enumerate(outcomes, start=1):
        out.append({"participant": participant, "session": session, "task": "nback",
                    "block": block, "trial": i, "practice": 0, "n_level": n,
                    f"{modality}_is_target": int(target), f"{modality}_responded": int(resp),
                    f"{modality}_rt_s": rt + 0.01 * i if resp else np.nan})
    return out


def value(table, metric, participant="P1", session=1):
    sel = table[(table.metric == metric) & (table.participant == participant) & (table.session == session)]
    assert len(sel) == 1
    return float(sel.value.iloc[0])


def test_all_hits_and_no_false_alarms_single_modality():
    # 10 targets, all hit; 30 non-targets, no false alarm
    df = pd.DataFrame(rows("P1", 1, 1, 2, "letter", [(True, True)] * 10 + [(False, False)] * 30))
    m = metrics(df)
    # log-linear: H = (10 + 0.5) / (10 + 1), F = (0 + 0.5) / (30 + 1)
    h, f = 10.5 / 11, 0.5 / 31
    assert value(m, "hit_rate") == 1.0 and value(m, "fa_rate") == 0.0
    assert value(m, "dprime") == pytest.approx(norm.ppf(h) - norm.ppf(f), abs=1e-12)
    assert value(m, "criterion") == pytest.approx(-(norm.ppf(h) + norm.ppf(f)) / 2, abs=1e-12)
    assert value(m, "dprime") == pytest.approx(1.6906 + 2.1412, abs=1e-3)  # z(.9545) + |z(.0161)|
    assert value(m, "accuracy") == 1.0


def test_pooled_over_modalities_and_blocks():
    # block 1 (n=2): letter 4 targets 3 hits, 16 non-targets 2 FAs
    # block 2 (n=3): position 5 targets 5 hits, 15 non-targets 0 FAs
    # (modalities given on separate rows: the other modality's columns are empty)
    letter = rows("P1", 1, 1, 2, "letter",
                  [(True, True)] * 3 + [(True, False)] + [(False, True)] * 2 + [(False, False)] * 14)
    position = rows("P1", 1, 2, 3, "position", [(True, True)] * 5 + [(False, False)] * 15, rt=0.7)
    m = metrics(pd.DataFrame(letter + position))
    hits, targets, fas, nontargets = 8, 9, 2, 31
    h, f = (hits + 0.5) / (targets + 1), (fas + 0.5) / (nontargets + 1)   # 0.85, 0.078125
    assert value(m, "hit_rate") == pytest.approx(8 / 9)
    assert value(m, "fa_rate") == pytest.approx(2 / 31)
    assert value(m, "dprime") == pytest.approx(norm.ppf(0.85) - norm.ppf(0.078125), abs=1e-12)
    assert value(m, "criterion") == pytest.approx(-(norm.ppf(h) + norm.ppf(f)) / 2, abs=1e-12)
    assert value(m, "accuracy") == pytest.approx(37 / 40)
    assert value(m, "mean_n_level") == 2.5 and value(m, "max_n_level") == 3
    hit_rts = [0.51, 0.52, 0.53] + [0.71, 0.72, 0.73, 0.74, 0.75]
    assert value(m, "mean_rt_hits_s") == pytest.approx(np.mean(hit_rts))


def test_dual_rows_count_one_decision_per_modality_and_skip_practice():
    df = pd.DataFrame({
        "participant": "P1", "session": 1, "block": [0, 1, 1, 1, 1], "practice": [1, 0, 0, 0, 0],
        "n_level": [1, 2, 2, 2, 2],
        "letter_is_target": [1, 1, 0, 0, 1], "letter_responded": [0, 1, 0, 1, 0],
        "letter_rt_s": [np.nan, 0.4, np.nan, 0.9, np.nan],
        "position_is_target": [1, 0, 1, 0, 0], "position_responded": [0, 0, 1, 0, 0],
        "position_rt_s": [np.nan, np.nan, 0.6, np.nan, np.nan],
    })
    m = metrics(df)
    # block 1: letter hits 1/2, FAs 1/2; position hits 1/1, FAs 0/3 -> pooled 2/3 hits, 1/5 FAs
    assert value(m, "hit_rate") == pytest.approx(2 / 3)
    assert value(m, "fa_rate") == pytest.approx(1 / 5)
    h, f = 2.5 / 4, 1.5 / 6
    assert value(m, "dprime") == pytest.approx(norm.ppf(h) - norm.ppf(f), abs=1e-12)
    assert value(m, "accuracy") == pytest.approx(6 / 8)
    assert value(m, "mean_rt_hits_s") == pytest.approx(0.5)
    assert value(m, "mean_n_level") == 2  # the practice block (n=1) is not scored


def test_several_participants_and_sessions_at_once():
    a = rows("P1", 1, 1, 2, "letter", [(True, True), (False, False)])
    b = rows("P1", 2, 1, 3, "letter", [(True, False), (False, True)])
    c = rows("P2", 1, 1, 4, "letter", [(True, True), (False, True)])
    m = metrics(pd.DataFrame(a + b + c))
    assert list(m.columns) == ["participant", "session", "task", "metric", "value"]
    assert len(m) == 3 * len(TASK.metric_names)
    assert set(m.metric) == set(TASK.metric_names)
    assert (m.task == "nback").all()
    assert value(m, "accuracy", "P1", 1) == 1.0 and value(m, "accuracy", "P1", 2) == 0.0
    assert value(m, "max_n_level", "P2", 1) == 4
    assert math.isnan(value(m, "mean_rt_hits_s", "P1", 2))  # no hits: empty, not zero
    # d' of P1 session 2: H = 0.5/2, F = 1.5/2
    assert value(m, "dprime", "P1", 2) == pytest.approx(norm.ppf(0.25) - norm.ppf(0.75))


def test_n_level_curve_by_block():
    df = pd.DataFrame(rows("P1", 1, 0, 1, "letter", [(True, True)] * 2)
                      + rows("P1", 1, 1, 2, "letter", [(True, True)] * 3)
                      + rows("P1", 1, 2, 3, "letter", [(True, True)] * 3))
    df.loc[df.block == 0, "practice"] = 1
    c = curves(df)
    assert list(c.columns) == ["participant", "session", "task", "curve", "x", "value"]
    assert c.x.tolist() == [1, 2] and c.value.tolist() == [2.0, 3.0]
    assert (c.curve == "n_level").all() and (c.task == "nback").all()


def test_empty_input_gives_empty_tables():
    empty = pd.DataFrame(columns=["participant", "session", "block", "n_level", "letter_is_target",
                                  "letter_responded", "letter_rt_s"])
    assert metrics(empty).empty and curves(empty).empty
