"""What a participant's page says: directions, no invented change, no invented plan (docs/reports.md)."""
import json
import re

import pandas as pd
import pytest

from cogtrain.registry import all_tasks
from cogtrain.scoring.report.participant import ParticipantTables, adherence_headline, participant_page

NO_PLAN = {"planned_sessions_per_week": float("nan"), "planned_minutes_per_session": float("nan"),
           "planned_weeks": float("nan"), "planned_sessions": float("nan"), "sessions_pct_of_plan": float("nan")}
PLAN = {"planned_sessions_per_week": 3.0, "planned_minutes_per_session": 30.0, "planned_weeks": 8.0,
        "planned_sessions": 24.0, "sessions_pct_of_plan": 100 * 2 / 24}


def _tables(sessions=(1, 2), plan=NO_PLAN, rci=float("nan"), metric="dprime", events=()):
    scores = pd.DataFrame([("P", s, "nback", m, v + s / 10) for s in sessions
                           for m, v in (("mean_n_level", 2.0), ("dprime", 1.0), ("mean_rt_hits_s", 0.7))],
                          columns=["participant", "session", "task", "metric", "value"])
    n = len(sessions)
    summary = pd.DataFrame([{"participant": "P", "task": "nback", "metric": metric, "n_sessions": n,
                             "first": 1.0, "last": 1.0 + (n - 1) / 10, "gain": (n - 1) / 10, "slope": 0.1,
                             "rci": rci}])
    started = pd.to_datetime([f"2026-03-0{s}T10:00Z" for s in sessions])
    table = pd.DataFrame({"participant": "P", "session": list(sessions), "battery": "b", "visit": "", "started": started,
                          "ended": started, "status": "complete", "runs": 1, "flags": [[] for _ in sessions],
                          "minutes": 30.0, "active_minutes": 20.0, "week": 1.0, "fatigue_mean": 3.0,
                          "fatigue_max": 4.0, "fatigue_last": 4.0, "fatigue_ratings": "end of session: 4"})
    dose = pd.Series({"participant": "P", "sessions_started": n, "sessions_complete": n, "visits_complete": 0,
                      "minutes_trained": 20.0 * n,
                      "first_date": "2026-03-01", "last_date": f"2026-03-0{n}", "sessions_due": 2, "as_of": "2026-03-04",
                      **plan})
    return ParticipantTables("P", scores, pd.DataFrame(columns=["participant", "session", "task", "curve", "x",
                                                               "value"]),
                             table, summary, dose,
                             pd.DataFrame(list(events), columns=["participant", "date", "type", "note"]),
                             {}, "configured reference SD", ())


def _charts(page: str) -> list[dict]:
    return json.loads(re.search(r"id='chart-data'>(.*?)</script>", page, re.S).group(1))


def test_one_session_shows_no_data_yet_never_a_change_of_zero():
    page = participant_page(_tables(sessions=(1,)), all_tasks())
    assert "no data yet" in page and "+0.00" not in page
    assert all(c["note"] == "No change yet: one session" for c in _charts(page) if c["x"]["label"] == "Session number"
               and c["title"] != "Fatigue" and "per session" not in c["title"])


def test_every_measure_states_its_direction_in_the_table_and_under_its_chart():
    page = participant_page(_tables(), all_tasks())
    assert "<td class='text'>higher is better</td>" in page
    subtitles = {c["title"]: c["subtitle"] for c in _charts(page)}
    assert subtitles["Mean n-back level"] == "Higher is better"
    assert subtitles["Sensitivity d'"] == "Higher is better"


def test_the_level_chart_spans_the_whole_level_range_with_whole_ticks():
    level = next(c for c in _charts(participant_page(_tables(), all_tasks())) if c["title"] == "Mean n-back level")
    assert (level["y"]["lo"], level["y"]["hi"]) == (1, 9)
    assert level["y"]["labels"] == [str(n) for n in range(1, 10)]


def test_no_plan_configured_shows_no_plan_and_judges_no_adherence():
    page = participant_page(_tables(plan=NO_PLAN), all_tasks())
    assert "No training plan configured: adherence is not judged" in page
    assert "planned" not in json.dumps(_charts(page))
    assert "Plan (from the battery)" not in page


def test_a_configured_plan_is_shown_with_the_adherence_headline():
    page = participant_page(_tables(plan=PLAN), all_tasks())
    assert "On schedule (2 done of 2 due by 2026-03-04; 24 planned)" in page
    assert "Plan (from the battery): 3 sessions a week of 30 minutes for 8 weeks" in page


@pytest.mark.parametrize("done, due, words", [(4, 6, "Behind by 2 sessions"), (5, 6, "Behind by 1 session "),
                                             (6, 6, "On schedule"), (7, 6, "On schedule")])
def test_adherence_headline_counts_sessions_due(done, due, words):
    dose = {"planned_sessions": 24.0, "sessions_complete": done, "sessions_due": due, "as_of": "2026-03-04"}
    assert adherence_headline(dose).startswith(words)


@pytest.mark.parametrize("metric, rci, verdict", [
    ("dprime", 2.5, "reliable improvement"),       # higher is better
    ("dprime", -2.5, "reliable decline"),
    ("mean_rt_hits_s", -2.5, "reliable improvement"),  # lower is better
    ("mean_rt_hits_s", 2.5, "reliable decline"),
    ("criterion", 2.5, "reliable change"),         # no better direction
])
def test_reliable_changes_are_named_with_the_measures_direction(metric, rci, verdict):
    assert verdict in participant_page(_tables(metric=metric, rci=rci), all_tasks())


@pytest.mark.parametrize("rci", [1.96, -1.5, float("nan")])
def test_changes_within_the_critical_value_are_not_flagged(rci):
    assert "reliable" not in participant_page(_tables(rci=rci), all_tasks()).split("<h2>Methods")[0]


def test_flags_and_clinical_events_are_on_the_timeline():
    tables = _tables(events=[("P", pd.Timestamp("2026-03-02"), "relapse", "optic neuritis")])
    tables.sessions.at[1, "flags"] = ["resumed", "refresh_unmeasured"]
    page = participant_page(tables, all_tasks())
    timeline = next(c for c in _charts(page) if c["title"] == "Sessions and events by date")
    labels = [v["label"] for v in timeline["vlines"]]
    assert "relapse (optic neuritis)" in labels and "2: resumed, refresh_unmeasured" in labels
    assert "<td class='text'>resumed, refresh_unmeasured</td>" in page


def test_clinical_events_from_the_events_table_are_listed_and_check_in_answers_are_not():
    events = [("P", "2026-03-02", "clinical", "steroids", "5 days"), ("P", "2026-03-01", "checkin", "slept", "")]
    tables = _tables()
    tables = ParticipantTables(**{**tables.__dict__, "events": pd.DataFrame(
        events, columns=["participant", "date", "source", "type", "note"])})
    page = participant_page(tables, all_tasks())
    assert "<li>2026-03-02: steroids &ndash; 5 days</li>" in page and "slept" not in page


def test_text_from_files_is_escaped():
    tables = _tables(events=[("P", pd.Timestamp("2026-03-02"), "other", "<script>alert(1)</script>")])
    page = participant_page(tables, all_tasks())
    assert "<script>alert" not in page.split("id='chart-data'")[0]
    assert "<\\/script>" in page  # inside the chart data, the tag cannot close the script


def test_a_participant_without_any_session_date_still_gets_a_page():
    tables = _tables()
    tables.sessions["started"] = pd.NaT
    timeline = next(c for c in _charts(participant_page(tables, all_tasks()))
                    if c["title"] == "Sessions and events by date")
    assert timeline["note"] == "Session dates unknown" and timeline["series"][0]["xy"] == []
