import json

import pandas as pd
import pytest

from cogtrain.errors import CogtrainError
from cogtrain.scoring.read import read_study

HEADER = "participant,session,task,block,trial,onset_s,rt_s,response,correct,run,practice,level\n"


def test_fixture_is_read_with_every_problem_named(study_dir, fake_tasks):
    study = read_study(study_dir, fake_tasks)
    assert study.warnings == [
        "sub-B2/ses-001/mystery.csv: no registered task 'mystery' (registered: fake); not scored",
        "sub-B2/ses-001/notes.txt: not a trial log or session.json; ignored",
        "sub-B2/ses-002: session aborted; trials logged before the abort are scored",
        "sub-A1/ses-003/fake.csv: skipped malformed line 4 (7 of 12 fields)",
        "sub-B2/ses-002/fake.csv: skipped malformed line 4 (7 of 12 fields); the last line has no line end "
        "(cut short by a crash)",
    ]
    rows = study.trials["fake"]
    assert len(rows) == 20
    assert rows.loc[(rows["participant"] == "A1") & (rows["session"] == 3), "_line"].tolist() == [2, 3, 5, 6]
    assert rows["response"].tolist()[11] == 'a, quoted "cell"'
    assert "2 participant(s), 5 session(s) (1 aborted, 4 complete), 5 trial log(s), 20 trial rows" in study.summary()


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode())


def test_missing_and_empty_data_folders_raise_one_line(tmp_path, fake_tasks):
    with pytest.raises(CogtrainError, match="does not exist"):
        read_study(tmp_path / "nope", fake_tasks)
    with pytest.raises(CogtrainError, match="no sub-<ID>/ses-<NNN> session folders"):
        read_study(tmp_path, fake_tasks)


def test_broken_files_are_skipped_with_reasons(tmp_path, fake_tasks):
    ses = tmp_path / "sub-P1" / "ses-001"
    _write(ses, "fake.csv", b"")
    _write(tmp_path / "sub-P1" / "ses-002", "fake.csv", b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    _write(tmp_path / "sub-P1" / "ses-003", "fake.csv", "a,b,c\n1,2,3\n")
    _write(tmp_path / "sub-P1" / "ses-003", "session.json", "{not json")
    _write(tmp_path / "sub-P1" / "ses-004", "fake.csv", HEADER)
    _write(tmp_path, "notes.txt", "x")
    study = read_study(tmp_path, fake_tasks)
    text = "\n".join(study.warnings)
    assert "notes.txt: not a sub-<ID> participant folder; ignored" in text
    assert "sub-P1/ses-001/fake.csv: empty file (no header); skipped" in text
    assert "sub-P1/ses-002/fake.csv: not a UTF-8 CSV trial log; skipped" in text
    assert "sub-P1/ses-003/fake.csv: not a trial log (missing columns participant, session" in text
    assert "sub-P1/ses-003/session.json unreadable" in text
    assert "sub-P1/ses-001/session.json missing" in text
    assert study.n_rows == 0  # only ses-004 (header, no rows) is a readable log
    assert len(study.sessions) == 4


def test_rows_from_another_folder_or_with_garbage_are_reported(tmp_path, fake_tasks):
    ses = tmp_path / "sub-P1" / "ses-001"
    _write(ses, "fake.csv", HEADER
           + "P1,1,fake,1,1,1.0,0.5,k,1,1,0,2\n"
           + "P9,1,fake,1,2,1.0,0.5,k,1,1,0,2\n"
           + "P1,1,fake,1,3,1.0,0.5,k,yes,1,0,2\n"
           + "P1,1,fake,,4,1.0,0.5,k,1,1,0,2\n")
    _write(ses, "session.json", json.dumps({"participant": "P2", "session": 1, "status": "running",
                                            "ended": None}))
    study = read_study(tmp_path, fake_tasks)
    text = "\n".join(study.warnings)
    assert "sub-P1/ses-001/session.json names participant 'P2'; the folder name is used" in text
    assert "sub-P1/ses-001: session did not end (status 'running')" in text
    assert "sub-P1/ses-001/fake.csv: line 3 name another participant, session or task" in text
    assert "sub-P1/ses-001/fake.csv: line 4 have a non-numeric correct; left empty" in text
    assert "sub-P1/ses-001/fake.csv: line 5 lack participant, session, task, block or trial; skipped" in text
    assert study.trials["fake"]["trial"].tolist() == [1, 3]


def test_ids_with_leading_zeros_stay_text(tmp_path, fake_tasks):
    _write(tmp_path / "sub-007" / "ses-001", "fake.csv",
           HEADER.replace(",run,practice", "") + "007,1,fake,1,1,1.0,,,0,3\n")
    study = read_study(tmp_path, fake_tasks)
    rows = study.trials["fake"]
    assert rows["participant"].tolist() == ["007"]
    assert rows[["run", "practice"]].values.tolist() == [[1, 0]]  # absent columns: defaults


def test_windows_line_ends_are_read(tmp_path, fake_tasks):
    text = HEADER + "P1,1,fake,1,1,1.0,0.5,k,1,1,0,2\n" + "P1,1,fake,1,2,2.0,,,0,1,0,3\n"
    _write(tmp_path / "sub-P1" / "ses-001", "fake.csv", text.replace("\n", "\r\n"))
    study = read_study(tmp_path, fake_tasks)
    rows = study.trials["fake"]
    assert rows["level"].tolist() == [2, 3] and rows["correct"].tolist() == [1, 0]
    assert [w for w in study.warnings if "fake.csv" in w] == []


def test_an_unclosed_quote_costs_only_its_own_file(tmp_path, fake_tasks):
    good = HEADER + "P1,1,fake,1,1,1.0,0.5,k,1,1,0,2\n"
    _write(tmp_path / "sub-P1" / "ses-001", "fake.csv", good)
    _write(tmp_path / "sub-P1" / "ses-002", "fake.csv",
           good.replace("P1,1,", "P1,2,") + 'P1,2,fake,1,2,2.0,0.5,"half a cell\nP1,2,fake,1,3,3.0,0.5,k,1,2,0,2\n')
    _write(tmp_path / "sub-P1" / "ses-003", "fake.csv", good.replace("P1,1,", "P1,3,") + "P1,3,fake,1,2,2.0,\xff\n")
    study = read_study(tmp_path, fake_tasks)
    rows = study.trials["fake"]
    assert rows.groupby("session").size().to_dict() == {1: 1, 2: 1, 3: 1}
    assert "sub-P1/ses-002/fake.csv: skipped line 3 to the end (a quoted cell is never closed)" in study.warnings
    assert any(w.startswith("sub-P1/ses-003/fake.csv: skipped malformed line 3") for w in study.warnings)


def _rows(participant, session, count, level="1"):
    return "".join(f"{participant},{session},fake,1,{t},0.5,0.4,x,1,1,0,{level}\n" for t in range(1, count + 1))


def test_plain_logs_read_fast_keep_their_file_and_line(tmp_path, fake_tasks):
    """Logs with no quote or odd line are read without splitting records: rows still know file and line."""
    for session, count in [(1, 3), (2, 4)]:
        _write(tmp_path / "sub-P1" / f"ses-{session:03d}", "fake.csv", HEADER + _rows("P1", session, count))
    bad = HEADER + _rows("P1", 3, 2) + "P1,3,fake,1,3,0.5,0.4,x,1,1,0,high\n"
    _write(tmp_path / "sub-P1" / "ses-003", "fake.csv", bad)
    study = read_study(tmp_path, fake_tasks)
    rows = study.trials["fake"]
    assert [study.files[i].label for i in rows["_file"]] == [f"sub-P1/ses-00{s}/fake.csv"
                                                           for s, n in [(1, 3), (2, 4), (3, 3)] for _ in range(n)]
    assert rows["_line"].tolist() == [2, 3, 4, 2, 3, 4, 5, 2, 3, 4]
    assert rows["level"].tolist()[-1] == "high"


@pytest.mark.parametrize("first, later", [
    ("P1,1,fake,1,1,0.5,0.4,x,1,1,0,1,extra\n", "P1,1,fake,1,2,0.5,0.4,x,1,1,0\n"),  # separators add up
    ("P1,1,fake,1,1,0.5,0.4,x,1,1,0,1\n", "P1,1,fake,1,2,0.5,0.4,x,1,1,0,1,extra\n"),
    ("P1,1,fake,1,1,0.5,0.4,x,1,1,0\n", "P1,1,fake,1,2,0.5,0.4,x,1,1,0,1\n"),
])
def test_a_line_with_too_many_or_too_few_fields_is_never_shifted_into_columns(tmp_path, fake_tasks, first, later):
    text = HEADER + first + later + "P1,1,fake,1,3,0.5,0.4,x,1,1,0,7\n"
    _write(tmp_path / "sub-P1" / "ses-001", "fake.csv", text)
    study = read_study(tmp_path, fake_tasks)
    rows = study.trials["fake"]
    assert rows["level"].tolist()[-1] == 7
    complete = [line for line, text in [(2, first), (3, later)] if text.count(",") == 11]
    assert rows["_line"].tolist() == [*complete, 4]
    assert any("skipped malformed line" in w for w in study.warnings)


@pytest.mark.parametrize("body", [
    "P1,1,fake,1,1,0.5,0.4,x,1,1,0,1\n\nP1,1,fake,1,2,0.5,0.4,x,1,1,0,2\n",        # a blank line
    "\nP1,1,fake,1,1,0.5,0.4,x,1,1,0,1\n",                                          # a blank first line
    "P1,1,fake,1,1,0.5,0.4,x\ry,1,1,0,1\nP1,1,fake,1,2,0.5,0.4,x,1,1,0,2\n",       # a carriage return in a cell
    "P1,1,fake,1,1,0.5,0.4,x,1,1,0,1\n   \nP1,1,fake,1,2,0.5,0.4,x,1,1,0,2\n",     # a line of spaces
    "P1,1,fake,1,1,0.5,0.4,x,1,1,0,1\nP1,1,fake,1,2,0.5,0.4,x,1,1,0,2,3\n",        # one field too many
])
def test_plain_logs_read_as_the_record_scan_reads_them(tmp_path, fake_tasks, monkeypatch, body):
    """The byte-count path gives the rows, lines and warnings of the path that splits every record."""
    from cogtrain.scoring import triallogs

    _write(tmp_path / "sub-P1" / "ses-001", "fake.csv", HEADER + body)
    fast = read_study(tmp_path, fake_tasks)
    monkeypatch.setattr(triallogs, "_plain", lambda buf, chunk: False)
    scanned = read_study(tmp_path, fake_tasks)
    pd.testing.assert_frame_equal(fast.trials["fake"], scanned.trials["fake"])
    assert fast.warnings == scanned.warnings
