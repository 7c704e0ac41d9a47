"""Crash safety: kills, torn writes, a full disk and a read-only data folder never lose finished trials."""
from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cogtrain.files import write_json_atomic
from cogtrain.paths import existing_sessions
from tests.conftest import REPO, load_script
from tests.conftest import SMALL_NBACK as SMALL


def cogtrain(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cogtrain", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=120, **kwargs)


def run_args(config: Path, data: Path, *extra: str) -> list:
    return ["run", config, "--participant", "P1", "--simulate", "--data", data, *extra]


def test_fault_test_script_passes_with_a_few_kills(write_config, tmp_path, capsys):
    fault_test = load_script("fault_test")
    assert fault_test.main(["--config", str(write_config(SMALL)), "--kills", "2", "--seed", "5",
                            "--dilation", "0.01", "--work", str(tmp_path / "work")]) == 0
    out = capsys.readouterr().out
    assert "corrupt files                           0" in out and out.rstrip().endswith("PASS")


def test_kill_after_each_persistence_point_keeps_the_levels_of_an_uninterrupted_run(write_config, tmp_path,
                                                                                   capsys):
    fault_test = load_script("fault_test")
    assert fault_test.main(["--targeted", "--config", str(write_config(SMALL)), "--seed", "5",
                            "--work", str(tmp_path / "work")]) == 0
    out = capsys.readouterr().out
    assert "state.json levels equal to the reference   6/6" in out and out.rstrip().endswith("PASS")


def test_session_folder_without_session_json_is_reused(tmp_path):
    sub = tmp_path / "sub-P1"
    (sub / "ses-001").mkdir(parents=True)  # killed before the first save
    assert existing_sessions(sub) == []
    write_json_atomic(sub / "ses-001" / "session.json", {})
    assert existing_sessions(sub) == [1]


def test_temporary_files_of_a_killed_write_are_cleaned_up(tmp_path):
    stale = tmp_path / ".state.json.abc123.tmp"
    stale.write_text('{"half": ')
    other = tmp_path / ".session.json.x.tmp"
    other.write_text("")
    write_json_atomic(tmp_path / "state.json", {"ok": True})
    assert not stale.exists() and other.exists()
    assert json.loads((tmp_path / "state.json").read_text()) == {"ok": True}


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_full_disk_is_one_clear_line_and_keeps_the_data(write_config, tmp_path):
    """The kernel refuses writes past 12 kB per file (RLIMIT_FSIZE), as a full disk refuses them.

    The trial log (about 17 kB for 12 blocks) reaches the limit; session.json (about 9 kB) does not.
    """
    config, data = write_config(SMALL.replace("blocks: 2", "blocks: 12")), tmp_path / "data"
    proc = subprocess.run([sys.executable, "-m", "cogtrain", *map(str, run_args(config, data, "--seed", "4"))],
                          cwd=REPO, capture_output=True, text=True, timeout=120,
                          preexec_fn=_limit_file_size(12_000))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    folder = data / "sub-P1" / "ses-001"
    assert "nback.csv" in proc.stderr and f"the trials finished so far are saved in {folder}" in proc.stderr
    kept = pd.read_csv(folder / "nback.csv")
    assert len(kept) > 20 and json.loads((folder / "session.json").read_text())["status"] == "aborted"
    resumed = cogtrain(*run_args(config, data, "--resume"))
    assert resumed.returncode == 0, resumed.stderr
    log = pd.read_csv(folder / "nback.csv")
    assert log.notna().sum(axis=1).min() >= 11  # no row cut short by the refused write is left behind
    assert json.loads((folder / "session.json").read_text())["status"] == "complete"


@contextlib.contextmanager
def read_only(folder: Path):
    """Make ``folder`` read-only: a read-only bind mount as root (who ignores permissions), else chmod."""
    if os.geteuid() != 0:
        paths = [folder, *folder.rglob("*")]
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path in paths:
                path.chmod(0o755 if path.is_dir() else 0o644)
        return
    mounted = subprocess.run(["mount", "--bind", folder, folder], capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("running as root without the right to mount: cannot make a folder read-only")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", folder], check=True, capture_output=True)
        yield
    finally:
        subprocess.run(["umount", folder], check=True)


def test_read_only_data_folder_is_one_clear_line_and_keeps_the_data(write_config, tmp_path):
    """A session was interrupted, then its data folder became read-only: each command says so in one line."""
    config, data = write_config(SMALL), tmp_path / "data"
    assert cogtrain(*run_args(config, data, "--seed", "4")).returncode == 0
    record = data / "sub-P1" / "ses-001" / "session.json"
    session = json.loads(record.read_text())
    session["status"], session["progress"]["done"] = "aborted", session["progress"]["done"][:1]
    write_json_atomic(record, session)
    before = {p: p.read_bytes() for p in record.parent.iterdir()}
    with read_only(data):
        for extra in (["--resume"], []):
            proc = cogtrain(*run_args(config, data, *extra))
            assert proc.returncode == 1, proc.stderr
            assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
            assert ("Read-only file system" in proc.stderr or "Permission denied" in proc.stderr)
            assert f"{data / 'sub-P1' / '.lock'}: " in proc.stderr  # refused before anything was written
            assert "saved" not in proc.stderr and "kept" not in proc.stderr
    assert {p: p.read_bytes() for p in record.parent.iterdir()} == before


def test_atomic_json_gets_the_mode_of_a_new_file(tmp_path):
    write_json_atomic(tmp_path / "state.json", {})
    (tmp_path / "plain.txt").write_text("")
    assert (tmp_path / "state.json").stat().st_mode == (tmp_path / "plain.txt").stat().st_mode
