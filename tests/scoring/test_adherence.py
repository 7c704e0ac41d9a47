import pandas as pd
import pytest

from cogtrain.scoring.adherence import active_seconds, adherence, session_table


def _sessions(plan):
    started = pd.to_datetime(["2026-01-05T09:00Z", "2026-01-07T09:00Z", "2026-01-14T09:00Z", "2026-01-20T09:00Z"])
    return pd.DataFrame({
        "participant": "P", "session": [1, 2, 3, 4], "label": "x", "status": ["complete", "complete", "aborted",
                                                                               "complete"],
        "started": started, "ended": started, "duration_s": [1800, 2400, 600, 1500],
        "fatigue": [[{"after_task": "nback", "rating": 2}, {"after_task": "tower", "rating": 6}], [], [], []],
        "runs": 1, "battery": "b", "plan": plan, "config": [{}] * 4, "frontend": "simulated",
        "flags": [[], ["resumed"], [], []],
        "visit": "",
    })


ACTIVE = pd.DataFrame({"participant": "P", "session": [1, 2, 3], "active_s": [1200.0, 1500.0, 300.0]})


def test_dose_against_plan():
    plan = {"sessions_per_week": 3, "minutes_per_session": 30, "weeks": 8}
    row = adherence(_sessions([plan] * 4), ACTIVE).iloc[0]
    assert row["sessions_started"] == 4 and row["sessions_complete"] == 3
    assert row["minutes_trained"] == pytest.approx((1200 + 1500 + 300) / 60)  # active task time only
    assert row["planned_sessions"] == 24 and row["planned_minutes"] == 720
    assert row["sessions_pct_of_plan"] == pytest.approx(100 * 3 / 24)
    assert row["weeks_elapsed"] == 3  # 15 days after the first session: week 3
    assert row["sessions_due_by_last_date"] == 9
    assert row["sessions_pct_of_due"] == pytest.approx(100 * 3 / 9)


def test_no_plan_leaves_planned_values_empty():
    row = adherence(_sessions([None] * 4)).iloc[0]
    assert pd.isna(row["planned_sessions"]) and pd.isna(row["sessions_pct_of_plan"])


def test_session_table_fatigue():
    table = session_table(_sessions([None] * 4), ACTIVE)
    assert table.loc[0, "fatigue_ratings"] == "after nback: 2; after tower: 6"
    assert table.loc[0, "fatigue_mean"] == 4 and table.loc[0, "fatigue_max"] == 6
    assert table.loc[0, "fatigue_last"] == 6
    assert table["minutes"].tolist() == [30, 40, 10, 25]  # in the session, waits included
    assert table["active_minutes"].tolist()[:3] == [20, 25, 5] and pd.isna(table.loc[3, "active_minutes"])
    assert table.loc[1, "flags"] == ["resumed"]
    assert table["week"].tolist() == [1, 1, 2, 3]


def test_the_last_rating_of_a_session_is_labelled_end_of_session():
    sessions = _sessions([None] * 4)
    sessions.at[0, "fatigue"] = [{"after_task": "tower", "rating": 3}, {"after_task": "end", "rating": 5}]
    assert session_table(sessions).loc[0, "fatigue_ratings"] == "after tower: 3; end of session: 5"


def test_active_time_leaves_out_the_time_between_blocks():
    # block 1: 10 s to 12 s + 1 s RT; block 2 starts 5 minutes later: 300 s to 303 s + 0.5 s
    rows = pd.DataFrame({"participant": "P", "session": 1, "task": "t", "block": [1, 1, 2, 2],
                         "onset_s": [10.0, 12.0, 300.0, 303.0], "rt_s": [0.5, 1.0, float("nan"), 0.5]})
    assert active_seconds(rows)["active_s"].tolist() == [3.0 + 3.5]


def test_assessment_visits_are_counted_apart_from_the_training_dose():
    plan = {"sessions_per_week": 3, "minutes_per_session": 30, "weeks": 8}
    sessions = _sessions([plan] * 4)
    sessions.loc[0, "visit"] = "baseline"  # 2026-01-05; training from 2026-01-07 to 2026-01-20
    row = adherence(sessions, ACTIVE).iloc[0]
    assert (row["sessions_started"], row["sessions_complete"], row["visits_complete"]) == (3, 2, 1)
    assert row["minutes_trained"] == pytest.approx((1500 + 300) / 60)
    assert row["first_date"] == "2026-01-07" and row["weeks_elapsed"] == 2


def test_a_participant_with_only_a_visit_has_no_training_yet():
    sessions = _sessions([None] * 4).iloc[:1].assign(visit="baseline")
    row = adherence(sessions, ACTIVE).iloc[0]
    assert (row["participant"], row["sessions_started"], row["visits_complete"]) == ("P", 0, 1)
    assert row["first_date"] == "" and pd.isna(row["minutes_trained"])
