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
