import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogtrain.scoring.change import summarise_change
from cogtrain.scoring.reliable import ReferenceValues


def _scores():
    return pd.DataFrame({
        "participant": ["P"] * 4 + ["Q"] * 3,
        "session": [1, 2, 4, 5, 1, 2, 3],
        "task": "nback",
        "metric": "mean_n_level",
        "value": [1.0, 1.5, 2.5, 2.0, 3.0, np.nan, 2.0],
    })


def test_gain_slope_and_rci_match_hand_computation():
    refs = {"P": {"nback.mean_n_level": ReferenceValues(sd=0.6, reliability=0.75, source="test")}}
    out = summarise_change(_scores(), refs).set_index("participant")
    p = out.loc["P"]
    assert p["n_sessions"] == 4 and p["first"] == 1.0 and p["last"] == 2.0
    assert p["gain"] == pytest.approx(1.0)
    assert p["slope"] == pytest.approx(np.polyfit([1, 2, 4, 5], [1.0, 1.5, 2.5, 2.0], 1)[0])
    se = 0.6 * math.sqrt(1 - 0.75)
    assert p["rci"] == pytest.approx((2.0 - 1.0) / math.sqrt(2 * se**2))
    assert p["rci_variant"] == "jacobson_truax1991" and p["reference_sd"] == 0.6 and p["reliability"] == 0.75
    q = out.loc["Q"]  # session 2 missing: left out of every statistic
    assert q["n_sessions"] == 2 and q["gain"] == pytest.approx(-1.0)
    assert q["slope"] == pytest.approx(np.polyfit([1, 3], [3.0, 2.0], 1)[0])
    assert math.isnan(q["rci"])  # no reference values for Q


def test_practice_adjusted_rci():
    refs = {"P": {"nback.mean_n_level": ReferenceValues(sd=0.6, reliability=0.75, practice_effect=0.4,
                                                        source="test")}}
    p = summarise_change(_scores(), refs).set_index("participant").loc["P"]
    assert p["rci"] == pytest.approx((1.0 - 0.4) / math.sqrt(2 * (0.6 * math.sqrt(0.25)) ** 2))
    assert p["rci_variant"] == "chelune1993_practice_adjusted"


def test_single_session_has_no_slope_or_rci():
    one = _scores().iloc[:1]
    refs = {"P": {"nback.mean_n_level": ReferenceValues(sd=1, reliability=0.5, source="t")}}
    row = summarise_change(one, refs).iloc[0]
    assert row["gain"] == 0 and math.isnan(row["slope"]) and math.isnan(row["rci"])


def test_empty_scores_give_an_empty_summary():
    empty = _scores().iloc[:0]
    assert summarise_change(empty).empty


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.floats(-100, 100)), min_size=2, max_size=12,
                unique_by=lambda t: t[0]))
def test_slope_and_gain_agree_with_numpy_for_any_sessions(points):
    sessions, values = zip(*points)
    scores = pd.DataFrame({"participant": "P", "session": sessions, "task": "t", "metric": "m", "value": values})
    row = summarise_change(scores).iloc[0]
    order = np.argsort(sessions)
    assert row["gain"] == pytest.approx(values[order[-1]] - values[order[0]])
    assert row["slope"] == pytest.approx(np.polyfit(sessions, values, 1)[0], rel=1e-6, abs=1e-6)
