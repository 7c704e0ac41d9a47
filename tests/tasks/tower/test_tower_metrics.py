"""Session scores against hand-computed values."""
import math

import pandas as pd
import pytest

from cogtrain.tasks.tower.metrics import METRIC_NAMES, curves, metrics

# Two sessions of P1 (session 2 has a practice row and a yoked copy), one of P2.
ROWS = [
    # participant, session, block, trial, practice, type, min, moves, solved, plan, exec, total, viol, end
    ("P1", 1, 1, 1, 0, "plan", 3, 3, 1, 2.0, 3.0, 5.0, 0, "solved"),
    ("P1", 1, 1, 2, 0, "plan", 4, 6, 1, 4.0, 5.0, 9.0, 1, "solved"),
    ("P1", 1, 1, 3, 0, "plan", 5, 2, 0, 6.0, 8.0, 14.0, 2, "time_limit"),
    ("P1", 2, 0, 1, 1, "plan", 2, 9, 1, 9.0, 9.0, 18.0, 5, "solved"),
    ("P1", 2, 1, 1, 0, "plan", 4, 4, 1, 3.0, 4.0, 7.0, 0, "solved"),
    ("P1", 2, 1, 2, 0, "motor", 4, 4, 1, 1.0, 2.5, 3.5, 0, "solved"),
    ("P2", 1, 1, 1, 0, "plan", 2, 0, 0, None, None, 30.0, 0, "gave_up"),
]
COLS = ["participant", "session", "block", "trial", "practice", "problem_type", "min_moves", "moves",
        "solved", "planning_time_s", "execution_time_s", "total_time_s", "rule_violations", "end_reason"]


@pytest.fixture
def scores():
    out = metrics(pd.DataFrame(ROWS, columns=COLS))
    assert list(out.columns) == ["participant", "session", "task", "metric", "value"]
    return out.set_index(["participant", "session", "metric"])["value"].sort_index()


def test_session_one_by_hand(scores):
    s = scores.loc[("P1", 1)]
    assert s["problems"] == 3 and s["mean_min_moves"] == 4
    assert s["prop_solved"] == pytest.approx(2 / 3) and s["prop_min_moves"] == pytest.approx(1 / 3)
    assert s["mean_excess_moves"] == 1.0  # (0 + 2) / 2 solved
    assert s["mean_planning_time_s"] == 4.0 and s["mean_execution_time_s"] == 4.0  # (3 + 5) / 2 solved
    assert s["rule_violations"] == 3 and s["max_min_moves"] == 4
    assert s["total_move_score"] == 2  # 0 + 2 + max(2 - 5, 0)
    assert s["total_correct"] == 1 and s["time_violations"] == 1
    assert s["total_initiation_time_s"] == 12 and s["total_execution_time_s"] == 16
    assert s["total_problem_solving_time_s"] == 28


def test_practice_is_left_out_and_motor_rows_give_thinking_times(scores):
    s = scores.loc[("P1", 2)]
    assert s["problems"] == 1 and s["rule_violations"] == 0
    assert s["mean_motor_planning_time_s"] == 1.0 and s["initial_thinking_time_s"] == 2.0
    assert s["subsequent_thinking_time_s"] == 1.5
    assert "initial_thinking_time_s" not in scores.loc[("P1", 1)]


def test_nothing_solved_gives_empty_means(scores):
    s = scores.loc[("P2", 1)]
    assert s["prop_solved"] == 0 and math.isnan(s["mean_excess_moves"]) and math.isnan(s["max_min_moves"])
    assert math.isnan(s["mean_planning_time_s"]) and s["total_move_score"] == 0
    assert set(METRIC_NAMES) <= set(s.index)


def test_curves():
    out = curves(pd.DataFrame(ROWS, columns=COLS))
    track = out[(out.curve == "min_moves") & (out.participant == "P1") & (out.session == 1)]
    assert track["x"].tolist() == [1, 2, 3] and track["value"].tolist() == [3, 4, 5]
    planning = out[(out.curve == "planning_time_s") & (out.participant == "P1") & (out.session == 1)]
    assert planning.set_index("x")["value"].to_dict() == {3: 2.0, 4: 4.0, 5: 6.0}
    assert list(out.columns) == ["participant", "session", "task", "curve", "x", "value"]
