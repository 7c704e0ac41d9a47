"""Clinical events: recorded per participant, checked at the boundary."""
import json

import pytest

from cogtrain.cli import main
from cogtrain.clinical import read_events, record_event
from cogtrain.errors import UsageError


def test_events_are_appended_and_read_back_by_date(tmp_path):
    record_event(tmp_path, "P1", "2026-03-14", "steroids", note="  3 days   IV  ")
    record_event(tmp_path, "P1", "2026-03-01", "relapse")
    lines = (tmp_path / "sub-P1" / "events.jsonl").read_text().splitlines()
    assert [json.loads(line)["type"] for line in lines] == ["steroids", "relapse"]
    events = read_events(tmp_path / "sub-P1")
    assert [(e["date"], e["type"], e["note"]) for e in events] == [("2026-03-01", "relapse", ""),
                                                                  ("2026-03-14", "steroids", "3 days IV")]


@pytest.mark.parametrize("day, kind, note, message", [
    ("14/03/2026", "relapse", "", "YYYY-MM-DD"),
    ("2026-02-30", "relapse", "", "YYYY-MM-DD"),
    ("2999-01-01", "relapse", "", "past or today"),
    ("2026-03-01", "flu", "", "relapse, steroids, dmt_start, dmt_change, other"),
    ("2026-03-01", "other", " ", "needs --note"),
    ("2026-03-01", "relapse", "x" * 501, "at most 500"),
])
def test_bad_events_are_refused(tmp_path, day, kind, note, message):
    with pytest.raises(UsageError, match=message):
        record_event(tmp_path, "P1", day, kind, note)
    assert not (tmp_path / "sub-P1" / "events.jsonl").exists()


def test_cli_event(tmp_path, capsys):
    argv = ["event", "P1", "--date", "2026-03-01", "--type", "dmt_change", "--note", "ocrelizumab", "--data", str(tmp_path)]
    assert main(argv) == 0 and "recorded dmt_change on 2026-03-01" in capsys.readouterr().out
    assert main(argv[:3] + ["--type", "x", "--data", str(tmp_path)]) == 2
    assert main(["event", "P/1", "--date", "2026-03-01", "--type", "relapse", "--data", str(tmp_path)]) == 2
