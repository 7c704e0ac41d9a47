"""Hostile data folders: ``cogtrain score`` scores what it can and warns about the rest, never a traceback."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cogtrain.cli import main
from tests.conftest import REPO
from tests.conftest import SMALL_NBACK as SMALL


def cogtrain(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cogtrain", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def simulated(root, battery: str, runs, data_name: str = "data"):
    """Sessions of ``battery`` (YAML text) simulated into ``root/data_name``, one per (participant, seed)."""
    config = root / "battery.yaml"
    config.write_text(battery, encoding="utf-8")
    data = root / data_name
    for participant, seed in runs:
        assert main(["run", str(config), "--participant", participant, "--simulate", "--data", str(data),
                     "--seed", str(seed)]) == 0
    return data


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """Two good sessions of P1 plus foreign, binary, truncated and corrupt files."""
    root = tmp_path_factory.mktemp("messy")
    data = simulated(root, SMALL, [("P1", 1), ("P1", 2)])
    sub = data / "sub-P1"
    (data / "notes.txt").write_text("lab notes")
    (data / "random_dir").mkdir()
    (sub / "ses-999").mkdir()
    (sub / "ses-999" / "nback.csv").write_bytes(bytes(range(256)) * 8)
    (sub / "ses-999" / "session.json").write_text('{"broken": ')
    (data / "sub-X2" / "ses-001").mkdir(parents=True)
    (data / "sub-X2" / "ses-001" / "nback.csv").write_text("a,b\n1,2\n")
    with open(sub / "ses-001" / "nback.csv", "a") as fh:
        fh.write('P1,1,nback,2,9,"unterminated\n')
    (sub / "ses-002" / "tower.csv").write_bytes(b"\xff\xfe\x00garbage")
    (sub / "ses-002" / ".DS_Store").write_bytes(b"\x00\x01\x02")
    out = root / "scores"
    return data, out, cogtrain("score", data, "--out", out)


def test_scores_what_it_can_and_exits_0(messy):
    _data, out, proc = messy
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    scores = pd.read_csv(out / "session_scores.csv")
    assert set(scores["participant"].astype(str)) == {"P1"} and set(scores["session"]) == {1, 2}


@pytest.mark.parametrize("name", ["notes.txt", "random_dir", "sub-P1/ses-999/nback.csv", "sub-P1/ses-999/session.json",
                                  "sub-X2/ses-001/nback.csv", "sub-P1/ses-002/tower.csv", "sub-P1/ses-001/nback.csv"])
def test_every_bad_file_is_named_in_a_warning(messy, name):
    _data, _out, proc = messy
    warnings = [line for line in (proc.stdout + proc.stderr).splitlines() if "warning" in line]
    assert any(name in line for line in warnings), f"no warning names {name}"


def test_foreign_files_are_left_untouched(messy):
    data, _out, _proc = messy
    assert (data / "notes.txt").read_text() == "lab notes"
    assert (data / "sub-P1" / "ses-999" / "session.json").read_text() == '{"broken": '


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_data_folder_that_is_not_a_folder_is_one_clear_line(tmp_path, kind):
    target = tmp_path / "nowhere"
    if kind == "file":
        target.write_text("not a folder")
    proc = cogtrain("score", target, "--out", tmp_path / "out")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and str(target) in proc.stderr


TOWER_IDS = ["a\rb", "tab\there", "nul\0byte", "line\nbreak", 'quote " comma ,']
TOWER = """
name: odd ids
tasks:
  - task: tower
    settings:
      puzzle: tol
      practice_problems: 0
      blocks: 1
      problems:
""" + "".join(f"        - {{start: 'RG|B|', goal: '{goal}', id: {json.dumps(i)}}}\n"
              for i, goal in zip(TOWER_IDS, ["R|G|B", "RB|G|", "R|GB|", "G|R|B", "GR|B|"])) + """
breaks: {between_tasks: false, fatigue_rating: false}
"""


@pytest.fixture(scope="module")
def odd_ids(tmp_path_factory):
    """Tower problem ids with CR, tab, NUL, LF, quote and comma, run twice; a third log as older versions wrote it."""
    root = tmp_path_factory.mktemp("odd_ids")
    data = simulated(root, TOWER, [("P1", 1), ("P1", 2)])
    assert main(["validate", str(root / "battery.yaml")]) == 0
    legacy = data / "sub-P1" / "ses-003"
    legacy.mkdir()
    # Older versions left a bare CR unquoted inside a cell; readers that end a line there saw extra rows.
    text = (data / "sub-P1" / "ses-001" / "tower.csv").read_text(encoding="utf-8").replace('"a\rb"', "a\rb")
    (legacy / "tower.csv").write_text(text.replace("P1,1,tower", "P1,3,tower"), encoding="utf-8", newline="")
    meta = json.loads((data / "sub-P1" / "ses-001" / "session.json").read_text(encoding="utf-8"))
    (legacy / "session.json").write_text(json.dumps({**meta, "session": 3}), encoding="utf-8")
    return root, data


def test_odd_problem_ids_round_trip_exactly(odd_ids):
    _root, data = odd_ids
    log = pd.read_csv(data / "sub-P1" / "ses-001" / "tower.csv", dtype=str, keep_default_na=False)
    assert log["problem_id"].tolist() == TOWER_IDS


@pytest.mark.parametrize("command", ["score", "export"])
def test_odd_problem_ids_are_scored_and_exported(odd_ids, command):
    root, data = odd_ids
    out = root / command
    extra = ["--no-report"] if command == "score" else ["--format", "bids"]
    proc = cogtrain(command, data, "--out", out, *extra)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "warning:" not in proc.stdout, proc.stdout
    if command == "score":
        scores = pd.read_csv(out / "session_scores.csv")
        problems = scores[scores["metric"] == "problems"].set_index("session")["value"]
        assert problems.to_dict() == {1: 5, 2: 5, 3: 5}
    else:
        tsv = (out / "sub-P1" / "ses-003" / "beh" / "sub-P1_ses-003_task-tower_beh.tsv").read_text(encoding="utf-8")
        rows = tsv.split("\n")
        assert len(rows) == 1 + 5 + 1 and rows[-1] == ""
        ids = pd.read_csv(io.StringIO(tsv), sep="\t", dtype=str, quoting=csv.QUOTE_NONE)["problem_id"]
        assert ids.tolist() == ["a b", "tab here", "nul\0byte", "line break", 'quote " comma ,']


@pytest.fixture(scope="module")
def distorted(tmp_path_factory):
    """P1's two sessions scored clean, then again beside inputs that would distort them if taken at face value."""
    root = tmp_path_factory.mktemp("distorted")
    clean = simulated(root, SMALL, [("P1", 1), ("P1", 2), ("P2", 3)], "clean")
    data = root / "data"
    shutil.copytree(clean, data)
    p1, p2 = data / "sub-P1", data / "sub-P2"
    log = p1 / "ses-001" / "nback.csv"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text("".join(lines + lines[-3:]), encoding="utf-8")          # three trials appended twice
    shutil.copytree(p1 / "ses-002", p1 / "ses-2")                           # one session, two folders
    log2 = p1 / "ses-002" / "nback.csv"
    last = log2.read_text(encoding="utf-8").splitlines()[-1].split(",")
    huge = [",".join(last[:3] + [block, trial] + last[5:]) + "\n"
            for block, trial in (("1e30", "1"), ("1", "99999999999999999999"), ("-1", "1"), ("1.5", "2"))]
    with open(log2, "a", encoding="utf-8") as fh:                         # impossible block and trial numbers
        fh.writelines(huge)
    (p1 / "ses-003").mkdir()                                                # an empty session folder
    (p1 / "ses-99999999999999999999").mkdir()                               # a session number out of range
    meta_path = p2 / "ses-001" / "session.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["ended"] = "9999-12-31T23:59:59+00:00"                             # impossible end
    meta["duration_s"] = -5
    meta["config"]["plan"] = {"sessions_per_week": 0, "minutes_per_session": 0, "weeks": 0}
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    outside = root / "outside"
    shutil.copytree(clean / "sub-P1", outside / "sub-P9")
    (data / "sub-P9").symlink_to(outside / "sub-P9")                        # a participant outside the data
    (p1 / "ses-002" / "tower.csv").symlink_to(outside / "sub-P9" / "ses-001" / "nback.csv")
    results = {}
    for name, folder in (("clean", clean), ("distorted", data)):
        out = root / f"out-{name}"
        proc = cogtrain("score", folder, "--out", out, "--no-report")
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        results[name] = (out, proc.stdout)
    return results


def test_distorting_inputs_leave_the_scores_unchanged(distorted):
    for table in ("session_scores.csv", "participant_summary.csv", "curves.csv"):
        clean = (distorted["clean"][0] / table).read_bytes()
        assert (distorted["distorted"][0] / table).read_bytes() == clean, table


def test_dose_counts_each_session_once_and_never_an_impossible_date(distorted):
    adherence = pd.read_csv(distorted["distorted"][0] / "adherence.csv", dtype={"participant": str})
    adherence = adherence.set_index("participant")
    assert adherence.loc["P1", "sessions_started"] == 2 and "P9" not in adherence.index
    assert pd.isna(adherence.loc["P2", "minutes_trained"]) and pd.isna(adherence.loc["P2", "last_date"])
    ratios = adherence[[c for c in adherence if c.endswith("_pct_of_plan") or c.endswith("_pct_of_due")]]
    assert ratios.loc["P2"].isna().all() and not np.isinf(ratios.to_numpy(dtype=float)).any()


@pytest.mark.parametrize("name, words", [
    ("sub-P1/ses-001/nback.csv", "repeat an earlier row exactly"),
    ("sub-P1/ses-002/nback.csv", "have a block, trial or run that is not a whole number from 0 to 1000000"),
    ("sub-P1/ses-2", "a second folder of session 2 beside sub-P1/ses-002"),
    ("sub-P1/ses-003", "empty session folder"),
    ("sub-P1/ses-99999999999999999999", "not a ses-<NNN> session folder"),
    ("sub-P2/ses-001/session.json", "impossible dates"),
    ("sub-P9", "symbolic link leading outside the data folder"),
    ("sub-P1/ses-002/tower.csv", "symbolic link leading outside the data folder"),
])
def test_each_distorting_input_is_named_in_a_warning(distorted, name, words):
    warnings = (distorted["distorted"][0] / "warnings.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith(name) and words in line for line in warnings), warnings
