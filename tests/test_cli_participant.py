"""The command line for an enrolled participant: enrolled settings, overrides, continuation."""
import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from cogtrain.cli import main
from tests.conftest import CONFIGS, REPO

BATTERY = str(CONFIGS / "ms_training.yaml")
PROFILE = str(CONFIGS / "profiles" / "example_low_vision_tremor.yaml")


@pytest.fixture
def enrolled(tmp_path):
    data = tmp_path / "data"
    assert main(["enrol", "P1", "--battery", BATTERY, "--profile", PROFILE, "--data", str(data)]) == 0
    return data


def session_json(data, number=1):
    return json.loads((data / "sub-P1" / f"ses-{number:03d}" / "session.json").read_text())


def test_run_without_config_applies_the_enrolled_profile(enrolled, capsys):
    assert main(["run", "--participant", "P1", "--simulate", "--data", str(enrolled)]) == 0
    record = session_json(enrolled)
    assert record["config"]["display"]["text_height"] == 0.065
    assert record["config"]["breaks"]["min_duration_s"] == 60
    nback = next(t for t in record["config"]["tasks"] if t["task"] == "nback")["settings"]
    assert nback["mode"] == "single" and nback["modality"] == "letter" and nback["keys"]["letter"] == "return"
    enrolment = json.loads((enrolled / "sub-P1" / "participant.json").read_text())
    assert record["profile"]["sha256"] == enrolment["profile"]["sha256"]
    assert record["battery_sha256"] == enrolment["battery"]["sha256"]
    assert record["override"] is None and record["flags"] == []
    log = pd.read_csv(enrolled / "sub-P1" / "ses-001" / "nback.csv")
    assert "letter_stimulus" in log and "position_stimulus" not in log  # single letter n-back, as profiled


@pytest.mark.parametrize("extra, named", [
    (["--profile", str(CONFIGS / "profiles" / "example_low_vision_tremor.yaml"), "--override"], "nothing to override"),
    ([str(CONFIGS / "nback.yaml")], "battery"),
    (["--profile", "{other}"], "profile"),
])
def test_other_settings_need_override(enrolled, tmp_path, capsys, extra, named):
    other = tmp_path / "other.yaml"
    other.write_text("display: {preset: large_print}\n")
    argv = ["run", *[a.replace("{other}", str(other)) for a in extra], "--participant", "P1", "--simulate",
            "--data", str(enrolled)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err and "Traceback" not in err
    assert not (enrolled / "sub-P1" / "ses-001").exists()


def test_override_with_reason_is_recorded_and_flagged(enrolled, tmp_path, capsys):
    other = tmp_path / "other.yaml"
    other.write_text("display: {preset: large_print}\n")
    argv = ["run", "--participant", "P1", "--simulate", "--data", str(enrolled), "--profile", str(other),
            "--override"]
    assert main(argv) == 2 and "--reason" in capsys.readouterr().err
    assert main(argv + ["--reason", "own glasses forgotten"]) == 0
    record = session_json(enrolled)
    assert record["override"]["reason"] == "own glasses forgotten"
    assert record["override"]["difference"].startswith(f"profile {other} differs from the enrolled one (display.preset")
    assert [f["flag"] for f in record["flags"]] == ["settings_override"]
    assert record["profile"]["path"] == str(other)


def test_profile_change_is_flagged_in_the_next_session(enrolled, tmp_path):
    assert main(["run", "--participant", "P1", "--simulate", "--data", str(enrolled)]) == 0
    other = tmp_path / "other.yaml"
    other.write_text("display: {preset: large_print}\n")
    assert main(["participant", "P1", "--set-profile", str(other), "--reason", "better vision",
                 "--data", str(enrolled)]) == 0
    assert main(["run", "--participant", "P1", "--simulate", "--data", str(enrolled)]) == 0
    assert [f["flag"] for f in session_json(enrolled, 2)["flags"]] == ["profile_changed"]


def test_not_enrolled_without_config_is_one_clear_line(tmp_path, capsys):
    assert main(["run", "--participant", "P9", "--simulate", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not enrolled" in err and "cogtrain enrol P9" in err


def test_sigterm_then_plain_run_continues_the_same_session(enrolled):
    cmd = [sys.executable, "-m", "cogtrain", "run", "--participant", "P1", "--simulate", "--data", str(enrolled)]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = enrolled / "sub-P1" / "ses-001" / "recall.csv"
    deadline = time.monotonic() + 60
    while not (log.exists() and log.stat().st_size > 0) and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the simulated session finished before the signal arrived")
    assert proc.returncode == 130 and "Traceback" not in err
    assert session_json(enrolled)["status"] == "aborted"
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env=os.environ, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "session 1 complete" in done.stdout
    assert sorted(p.name for p in (enrolled / "sub-P1").glob("ses-*")) == ["ses-001"]
    record = session_json(enrolled)
    assert record["status"] == "complete" and len(record["runs"]) == 2
    assert [f["flag"] for f in record["flags"]] == ["aborted", "resumed"]
