"""The command line: the real entry point, one-line errors, exit statuses."""
import json
import subprocess
import sys

import pytest

from cogtrain.cli import main
from tests.conftest import CONFIGS

FAKE = "name: cli test\ntasks:\n  - task: fake\n"


def test_python_dash_m_lists_tasks():
    done = subprocess.run([sys.executable, "-m", "cogtrain", "list-tasks"], capture_output=True, text=True)
    assert done.returncode == 0 and "nback" in done.stdout
    lines = done.stdout.splitlines()
    starts = {len(line) - len(line.split(None, 1)[1]) for line in lines}
    assert len(starts) == 1, lines  # titles start in one column, however long the task names


@pytest.mark.parametrize("config", sorted(CONFIGS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_configs_validate(config):
    assert main(["validate", str(config)]) == 0


def test_required_configs_exist():
    assert {"ms_training.yaml", "nback.yaml", "tower.yaml", "recall.yaml"} <= {p.name for p in CONFIGS.glob("*.yaml")}


def test_validate_lists_every_problem_and_exits_2(fake_task, write_config, capsys):
    path = write_config(FAKE + "order: sideways\nbreaks: {nap: 1}\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith(str(path)) for line in err)


@pytest.mark.parametrize("argv, message", [
    (["run", "{cfg}", "--participant", "../evil"], "letters"),
    (["run", "{cfg}", "--participant", "P1", "--session", "0"], "must be between 1 and 9999"),
    (["run", "{cfg}", "--participant", "P1", "--simulate", "--sim-ability", "fake"], "TASK=LEVEL"),
    (["run", "{cfg}", "--participant", "P1", "--simulate", "--sim-ability", "nope=2"], "unknown task"),
    (["run", "{cfg}", "--participant", "P1", "--sim-ability", "fake=2"], "needs --simulate"),
    (["run", "{cfg}"], "--participant"),
    (["frobnicate"], "invalid choice"),
])
def test_usage_errors_are_one_line_with_status_2(fake_task, write_config, capsys, tmp_path, argv, message):
    cfg = str(write_config(FAKE))
    argv = [a.replace("{cfg}", cfg) for a in argv] + ["--data", str(tmp_path)] * (argv[0] == "run")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_simulated_run_writes_a_session(fake_task, write_config, tmp_path, capsys):
    cfg = str(write_config(FAKE))
    assert main(["run", cfg, "--participant", "P7", "--simulate", "--sim-ability", "fake=2",
                 "--data", str(tmp_path), "--seed", "11"]) == 0
    assert "session 1 complete" in capsys.readouterr().out
    record = json.loads((tmp_path / "sub-P7" / "ses-001" / "session.json").read_text())
    assert record["seed"] == 11 and record["runs"][0]["frontend"] == "simulated"


def test_unwritable_data_folder_is_a_clear_error(fake_task, write_config, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["run", str(write_config(FAKE)), "--participant", "P1", "--simulate",
                 "--data", str(blocker / "data")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(blocker) in err and "Traceback" not in err


def test_sigterm_leaves_a_resumable_aborted_session(tmp_path):
    """A terminated run is recorded as aborted (not left 'running') and resumes to completion."""
    import os
    import signal
    import time

    from tests.conftest import REPO

    cmd = [sys.executable, "-m", "cogtrain", "run", str(CONFIGS / "ms_training.yaml"), "--participant", "T1",
           "--simulate", "--data", str(tmp_path), "--seed", "3"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    record = tmp_path / "sub-T1" / "ses-001" / "session.json"
    deadline = time.monotonic() + 30
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    if proc.returncode == 0:
        pytest.skip("the simulated session finished before the signal arrived")
    assert proc.returncode == 130 and "Traceback" not in err and "--resume" in err
    assert json.loads(record.read_text())["status"] == "aborted"
    done = subprocess.run(cmd + ["--resume"], cwd=REPO, capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert json.loads(record.read_text())["status"] == "complete"


def test_score_without_reports_writes_tables_only(fake_task, write_config, tmp_path, capsys):
    cfg = str(write_config(FAKE))
    assert main(["run", cfg, "--participant", "P2", "--simulate", "--data", str(tmp_path / "data")]) == 0
    assert main(["score", str(tmp_path / "data"), "--out", str(tmp_path / "out"), "--no-report"]) == 0
    scores = (tmp_path / "out" / "session_scores.csv").read_text()
    assert "P2,1,fake,accuracy," in scores
    assert not (tmp_path / "out" / "report").exists()


def test_score_jobs_spreads_participants_over_worker_processes(fake_task, write_config, tmp_path, monkeypatch):
    from cogtrain.scoring import engine, study

    cfg, data = str(write_config(FAKE)), tmp_path / "data"
    for participant in ("P1", "P2", "P3"):
        assert main(["run", cfg, "--participant", participant, "--simulate", "--data", str(data)]) == 0
    assert main(["score", str(data), "--out", str(tmp_path / "one"), "--no-report", "--jobs", "1"]) == 0
    monkeypatch.setattr(engine, "MIN_SPREAD_BYTES", 1)  # a batch per participant, however small
    monkeypatch.setattr(study, "MIN_SPREAD_BYTES", 1)
    assert main(["score", str(data), "--out", str(tmp_path / "three"), "--no-report", "--jobs", "3",
                 "--no-cache"]) == 0
    for table in ("session_scores.csv", "sessions.csv", "adherence.csv"):
        assert (tmp_path / "three" / table).read_text() == (tmp_path / "one" / table).read_text()


@pytest.mark.parametrize("argv, message", [
    (["--jobs", "0"], "argument --jobs: '0' must be between 1 and 1024"),
    (["--jobs", "2", "--workers", "2"], "argument --workers: not allowed with argument --jobs"),
])
def test_score_refuses_impossible_spreads(tmp_path, capsys, argv, message):
    (tmp_path / "data").mkdir()
    assert main(["score", str(tmp_path / "data"), "--out", str(tmp_path / "out"), *argv]) == 2
    assert message in capsys.readouterr().err


# --- small but real: inputs that used to slip through -------------------------------------------------------
@pytest.mark.parametrize("argv, message", [
    (["--session", "٣"], "'٣' is not a whole number written with the digits 0-9"),
    (["--session", "１２"], "is not a whole number written with the digits 0-9"),
    (["--seed", "߇"], "is not a whole number written with the digits 0-9"),
    (["--data", ""], "empty folder name; give a folder such as ./data"),
    (["--data", "  "], "empty folder name"),
])
def test_odd_numbers_and_empty_folders_are_refused(fake_task, write_config, capsys, tmp_path, monkeypatch, argv,
                                                   message):
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(write_config(FAKE)), "--participant", "P1", "--simulate", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert [p.name for p in tmp_path.iterdir()] == ["battery.yaml"] or not any(tmp_path.glob("sub-*"))


@pytest.mark.parametrize("participant", ["CON", "nul", "Com1", "LPT9", "aux", "PRN"])
def test_windows_reserved_ids_are_refused(fake_task, write_config, capsys, tmp_path, participant):
    assert main(["run", str(write_config(FAKE)), "--participant", participant, "--simulate",
                 "--data", str(tmp_path / "data")]) == 2
    assert "Windows reserves this name" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_resume_with_nothing_to_resume_creates_no_folder(fake_task, write_config, capsys, tmp_path):
    assert main(["run", str(write_config(FAKE)), "--participant", "P1", "--simulate", "--resume",
                 "--data", str(tmp_path / "data")]) == 2
    assert "has no session to resume" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_error_before_anything_was_written_does_not_claim_data_were_kept(fake_task, write_config, tmp_path,
                                                                         capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["run", str(write_config(FAKE)), "--participant", "P1", "--simulate",
                 "--data", str(blocker / "data")]) == 1
    err = capsys.readouterr().err
    assert "kept" not in err and "saved" not in err and "--resume" not in err


def test_error_after_trials_were_written_says_where_they_are(fake_task, write_config, tmp_path, capsys,
                                                            monkeypatch):
    from tests.fake_task import FakeSimulator

    def disk_full(self, block, trial, level):
        if (block, trial) == (2, 1):
            raise OSError(28, "No space left on device", "fake.csv")
        return real(self, block, trial, level)
    real = FakeSimulator.trial
    monkeypatch.setattr(FakeSimulator, "trial", disk_full)
    assert main(["run", str(write_config(FAKE)), "--participant", "P1", "--simulate",
                 "--data", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert f"the trials finished so far are saved in {tmp_path / 'data' / 'sub-P1' / 'ses-001'}; " \
           "continue with --resume" in err
