import json

from cogtrain.scoring.folders import SessionFolder
from cogtrain.scoring.sessionmeta import read_sessions


def _folder(tmp_path, meta):
    path = tmp_path / "sub-P1" / "ses-001"
    path.mkdir(parents=True)
    (path / "session.json").write_text(json.dumps(meta))
    return SessionFolder(path, "sub-P1/ses-001", "P1", 1)


def test_minutes_fall_back_to_start_and_end_and_odd_values_are_ignored(tmp_path):
    meta = {"participant": "P1", "session": 1, "status": "complete", "started": "2026-01-05T09:00:00+00:00",
            "ended": "2026-01-05T09:45:00+00:00", "duration_s": None, "fatigue": [{"rating": 4}, "junk"],
            "runs": "not a list", "config": {"name": "B", "plan": {"weeks": 6}}}
    warnings = []
    row = read_sessions([_folder(tmp_path, meta)], warnings).iloc[0]
    assert row["duration_s"] == 45 * 60
    assert row["fatigue"] == [{"rating": 4}] and row["runs"] == 1
    assert row["battery"] == "B" and row["plan"] == {"weeks": 6}
    assert warnings == []


def test_a_json_list_is_reported(tmp_path):
    warnings = []
    table = read_sessions([_folder(tmp_path, [1, 2])], warnings)
    assert table.iloc[0]["status"] == "unknown"
    assert warnings == ["sub-P1/ses-001/session.json is not a JSON object; trials are scored, date and minutes "
                        "unknown"]


def test_flags_and_abandoned_sessions(tmp_path):
    meta = {"participant": "P1", "session": 1, "status": "abandoned", "started": "2026-01-05T09:00:00+00:00",
            "flags": [{"flag": "resumed", "detail": "run 2"}, {"flag": "aborted", "detail": "run 1"},
                      {"flag": "abandoned", "detail": "new session"}, {"flag": "resumed", "detail": "run 3"}]}
    warnings = []
    row = read_sessions([_folder(tmp_path, meta)], warnings).iloc[0]
    assert row["flags"] == ["abandoned", "aborted", "resumed"]
    assert warnings == ["sub-P1/ses-001: session abandoned for a new one; trials logged before are scored"]


def test_events_table_lists_clinical_events_and_checkin_answers(tmp_path):
    from cogtrain.clinical import record_event
    from cogtrain.scoring.events import events_table
    from cogtrain.scoring.read import Study

    meta = {"participant": "P1", "session": 1, "status": "complete", "started": "2026-01-05T09:00:00+00:00",
            "checkin": [{"id": "hours_slept", "answer": 6}, {"id": "ms_change", "answer": "yes"}, "junk"]}
    sessions = read_sessions([_folder(tmp_path, meta)], [])
    record_event(tmp_path, "P1", "2026-01-04", "relapse", "left arm")
    table = events_table(Study(tmp_path, {}, [], sessions, []))
    assert table.astype(object).fillna("").astype(str).values.tolist() == [
        ["P1", "2026-01-04", "", "clinical", "relapse", "", "left arm"],
        ["P1", "2026-01-05", "1", "checkin", "hours_slept", "6", ""],
        ["P1", "2026-01-05", "1", "checkin", "ms_change", "yes", ""],
    ]
