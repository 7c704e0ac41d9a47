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


def test_a_missing_record_and_a_link_to_nothing_are_told_apart(tmp_path):
    missing = _folder(tmp_path / "a", {})
    (missing.path / "session.json").unlink()
    dangling = _folder(tmp_path / "b", {})
    (dangling.path / "session.json").unlink()
    (dangling.path / "session.json").symlink_to(tmp_path / "gone.json")
    folder = _folder(tmp_path / "c", {})
    (folder.path / "session.json").unlink()
    (folder.path / "session.json").mkdir()
    warnings = []
    table = read_sessions([missing, dangling, folder], warnings)
    assert table["runs"].tolist() == [0, 0, 0] and table["status"].tolist() == ["unknown"] * 3
    assert warnings == [
        "sub-P1/ses-001/session.json missing; trials are scored, date and minutes unknown",
        "sub-P1/ses-001/session.json unreadable (file not found; expected a session record); trials are scored, "
        "date and minutes unknown",
        "sub-P1/ses-001/session.json unreadable (is a folder, not a regular file; expected a session record); "
        "trials are scored, date and minutes unknown"]


def test_every_key_of_a_record_is_read_whatever_its_kind(tmp_path):
    meta = {"participant": "P1", "session": 1, "status": "complete", "frontend": "",
            "runs": [{"frontend": "window"}], "checkin": [{"id": "sleep"}, 3], "fatigue": "junk",
            "config": {"name": "B", "plan": "weekly"}, "instructions": ["x"], "arm": "A", "visit": 2,
            "flags": {"slow": True, "late": False}, "duration_s": True}
    warnings = []
    row = read_sessions([_folder(tmp_path, meta)], warnings).iloc[0]
    assert (row["frontend"], row["runs"], row["checkin"], row["fatigue"]) == ("window", 1, [{"id": "sleep"}], [])
    assert (row["battery"], row["plan"], row["instructions"], row["arm"], row["visit"]) == ("B", None, {}, "A", "2")
    assert row["flags"] == ["slow"] and row["duration_s"] != row["duration_s"]
    assert warnings == []
