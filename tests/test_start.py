"""``cogtrain start`` in a real window under Xvfb, driven by real X key events (xdotool).

The command runs as the participant would start it; the test waits for each screen's
screenshot to appear (the window is then drawing and reading keys) before it presses keys.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cogtrain.cli import main
from tests.conftest import REPO

pytestmark = pytest.mark.gui

SHORT = """
name: short programme battery
tasks:
  - task: nback
    settings: {blocks: 1, trials_per_block: 13, mode: single, modality: letter, stimulus_ms: 100, isi_ms: 200,
               practice: {enabled: false}}
display: {allow_unmeasured_refresh: true}  # Xvfb flips without vsync
breaks: {between_tasks: false, fatigue_rating: true}
checkin: {enabled: true}
plan: {sessions_per_week: 3, weeks: 8, minutes_per_session: 5}
"""
#: X key names (keysyms) pressed when a screen first appears; screens not listed get SPACE, task screens nothing.
KEYS = {"start": ["space"], "chooser": ["2", "space"], "checkin_hours_slept": ["7", "space"],
        "checkin_fatigue_now": ["3", "space"], "checkin_ms_change": ["1", "space"],
        "fatigue": ["1", "0", "space"], "end": ["space"]}
#: Screens drawn while the task runs by itself (no key is pressed on them).
SILENT = ("nback", "getting_ready")
#: Seconds the whole run may take before the test gives up (the window is then killed).
PATIENCE_S = 240


def drive(command: list[str], shots: Path, keys: dict[str, list[str]], env: dict) -> tuple[list[str], int, str]:
    """Run ``command``, pressing ``keys`` as each screen first appears; return screens seen, exit status, stderr."""
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    deadline = time.monotonic() + PATIENCE_S
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            for shot in sorted(shots.glob("*.png"), key=lambda p: p.stat().st_mtime_ns) if shots.exists() else []:
                name = shot.stem.split("_", 1)[1]
                if name in seen:
                    continue
                seen.append(name)
                time.sleep(0.3)  # the screen is polling its keys once its first frame was saved
                for key in keys.get(name, [] if name.startswith(SILENT) else ["space"]):
                    subprocess.run(["xdotool", "key", key], check=True)
                    time.sleep(0.15)
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
    _, err = proc.communicate(timeout=30)
    return seen, proc.returncode, err


@pytest.fixture
def enrolled(tmp_path, monkeypatch):
    """Two enrolled participants with the short battery; no machine set-up file."""
    if not shutil.which("xdotool"):
        pytest.skip("xdotool is needed to send real key events")
    battery = tmp_path / "short.yaml"
    battery.write_text(SHORT)
    data = tmp_path / "data"
    for participant in ("P0", "P1"):
        assert main(["enrol", participant, "--battery", str(battery), "--data", str(data)]) == 0
    machine = tmp_path / "machine.yaml"
    machine.write_text("{}\n")  # this computer fixes nothing: a user's own set-up file is not read
    env = {**os.environ, "COGTRAIN_MACHINE": str(machine)}
    return data, env


def test_start_to_summary_in_a_real_window(enrolled, tmp_path):
    data, env = enrolled
    shots = tmp_path / "shots"
    seen, status, err = drive([sys.executable, "-m", "cogtrain", "start", "--data", str(data), "--windowed",
                               "--screenshots", str(shots)], shots, KEYS, env)
    assert status == 0, err
    assert seen[:3] == ["chooser", "start", "getting_ready"]
    assert seen[3:6] == ["checkin_hours_slept", "checkin_fatigue_now", "checkin_ms_change"]
    assert seen[-2:] == ["fatigue", "end"]
    record = json.loads((data / "sub-P1" / "ses-001" / "session.json").read_text())
    assert record["status"] == "complete"
    assert [a["answer"] for a in record["checkin"]] == [7, 3, "no"]
    assert record["fatigue"][-1]["rating"] == 10
    assert not (data / "sub-P0" / "ses-001").exists()


def test_researcher_dialog_then_not_now_starts_nothing(enrolled, tmp_path):
    data, env = enrolled
    shots = tmp_path / "shots"
    keys = {"researcher": ["Down", "Right", "Return"], "start": ["Escape"]}
    seen, status, err = drive([sys.executable, "-m", "cogtrain", "start", "--researcher", "--data", str(data),
                               "--windowed", "--screenshots", str(shots)], shots, keys, env)
    assert status == 0, err
    assert seen == ["researcher", "start"]
    assert not list(data.glob("sub-*/ses-*"))


def test_many_participants_are_paged_in_the_chooser(enrolled, tmp_path):
    data, env = enrolled
    for number in range(2, 14):
        assert main(["enrol", f"P{number}", "--battery", str(tmp_path / "short.yaml"), "--data", str(data)]) == 0
    shots = tmp_path / "shots"
    keys = {"chooser_1": ["Page_Down"], "chooser_2": ["1", "space"], "start": ["2", "space"]}
    seen, status, err = drive([sys.executable, "-m", "cogtrain", "start", "--data", str(data), "--windowed",
                               "--screenshots", str(shots)], shots, keys, env)
    assert status == 0, err
    assert seen == ["chooser_1", "chooser_2", "start"]


def test_an_unfinished_session_is_continued_by_start_after_a_welcome_back_screen(enrolled, tmp_path):
    data, env = enrolled
    first = tmp_path / "first"
    keys = {**KEYS, "instructions_nback_1": ["Escape"], "confirm_quit": ["y"]}
    seen, status, err = drive([sys.executable, "-m", "cogtrain", "start", "P1", "--data", str(data), "--windowed",
                               "--screenshots", str(first)], first, keys, env)
    assert status == 3, err  # ended early: the same command continues it
    assert seen[-2:] == ["instructions_nback_1", "confirm_quit"]
    second = tmp_path / "second"
    seen, status, err = drive([sys.executable, "-m", "cogtrain", "start", "P1", "--data", str(data), "--windowed",
                               "--screenshots", str(second)], second, KEYS, env)
    assert status == 0, err
    assert seen[:3] == ["start", "getting_ready", "welcome_back"]
    assert not any(name.startswith("checkin") for name in seen)  # answered once per session
    assert [p.name for p in (data / "sub-P1").glob("ses-*")] == ["ses-001"]
    record = json.loads((data / "sub-P1" / "ses-001" / "session.json").read_text())
    assert record["status"] == "complete" and len(record["runs"]) == 2
