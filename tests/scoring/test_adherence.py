import pandas as pd
import pytest

from cogtrain.scoring.adherence import adherence, session_table


def _sessions(plan):
    started = pd.to_datetime(["2026-01-05T09:00Z", "2026-01-07T09:00Z", "2026-01-14T09:00Z", "2026-01-20T09:00Z"])
    return pd.DataFrame({
        "participant": "P", "session": [1, 2, 3, 4], "label": "x", "status": ["complete", "complete", "aborted",
                                                                               "complete"],
        "started": started, "ended": started, "duration_s": [1800, 2400, 600, 1500],
        "fatigue": [[{"after_task": "nback", "rating": 2}, {"after_task": "tower", "rating": 6}], [], [], []],
        "runs": 1, "battery": "b", "plan": plan, "config": [{}] * 4, "frontend": "simulated",
    })


def test_dose_against_plan():
    plan = {"sessions_per_week": 3, "minutes_per_session": 30, "weeks": 8}
    row = adherence(_sessions([plan] * 4)).iloc[0]
    assert row["sessions_started"] == 4 and row["sessions_complete"] == 3
    assert row["minutes_trained"] == pytest.approx((1800 + 2400 + 600 + 1500) / 60)
    assert row["planned_sessions"] == 24 and row["planned_minutes"] == 720
    assert row["sessions_pct_of_plan"] == pytest.approx(100 * 3 / 24)
    assert row["weeks_elapsed"] == 3  # 15 days after the first session: week 3
    assert row["sessions_due_by_last_date"] == 9
    assert row["sessions_pct_of_due"] == pytest.approx(100 * 3 / 9)


def test_no_plan_leaves_planned_values_empty():
    row = adherence(_sessions([None] * 4)).iloc[0]
    assert pd.isna(row["planned_sessions"]) and pd.isna(row["sessions_pct_of_plan"])


def test_session_table_fatigue():
    table = session_table(_sessions([None] * 4))
    assert table.loc[0, "fatigue_ratings"] == "after nback: 2; after tower: 6"
    assert table.loc[0, "fatigue_mean"] == 4 and table.loc[0, "fatigue_max"] == 6
    assert table["week"].tolist() == [1, 1, 2, 3]
