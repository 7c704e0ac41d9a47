"""The participant lock: atomic with its content, only the owner removes it, odd contents, other hosts."""
import json
import os
import socket
import subprocess
import sys

import psutil
import pytest

from cogtrain import lock as lockmod
from cogtrain.errors import CogtrainError
from cogtrain.lock import ParticipantLock


def held_message(folder):
    with pytest.raises(CogtrainError) as caught:
        with ParticipantLock(folder):
            pass
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_lock_records_host_pid_and_start_and_is_removed_on_exit(tmp_path):
    with ParticipantLock(tmp_path) as held:
        owner = json.loads((tmp_path / ".lock").read_text())
        assert owner["host"] == socket.gethostname() and owner["pid"] == os.getpid()
        assert owner["token"] == held.token
        assert abs(owner["process_started"] - psutil.Process().create_time()) < 1
        assert [p.name for p in tmp_path.iterdir()] == [".lock"]  # no temporary file left
    assert list(tmp_path.iterdir()) == []


def test_lock_is_never_visible_without_its_content(tmp_path, monkeypatch):
    """The lock appears by linking a finished file: at the moment it exists it is complete."""
    seen = []
    real_link = os.link

    def link_and_look(source, target):
        real_link(source, target)
        seen.append(json.loads(open(target).read()))
    monkeypatch.setattr(lockmod.os, "link", link_and_look)
    with ParticipantLock(tmp_path):
        pass
    assert seen and seen[0]["pid"] == os.getpid()


def test_empty_lock_is_not_taken_over_and_says_how_to_clear_it(tmp_path):
    (tmp_path / ".lock").write_text("")
    message = held_message(tmp_path)
    assert message == (f"{tmp_path / '.lock'}: the participant lock file is empty; if no cogtrain session "
                       f"is running for this participant, delete {tmp_path / '.lock'} and start again")
    assert (tmp_path / ".lock").exists()


@pytest.mark.parametrize("content", ["0", "-1", "99999999999999999999", str(2**40), "999999999"])
def test_lock_of_an_impossible_or_dead_process_is_taken_over(tmp_path, content):
    (tmp_path / ".lock").write_text(content)
    with ParticipantLock(tmp_path):
        assert json.loads((tmp_path / ".lock").read_text())["pid"] == os.getpid()
    assert not (tmp_path / ".lock").exists()


def test_lock_of_a_process_that_ended_is_taken_over(tmp_path):
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / ".lock").write_text(child.stdout.strip())
    with ParticipantLock(tmp_path):
        pass


def test_pid_reused_by_another_process_is_not_an_owner(tmp_path):
    owner = {"host": socket.gethostname(), "pid": os.getppid(), "process_started": 1.0, "token": "x"}
    (tmp_path / ".lock").write_text(json.dumps(owner))
    with ParticipantLock(tmp_path):
        pass


def test_running_owner_blocks_with_its_process_id(tmp_path):
    parent = psutil.Process(os.getppid())
    owner = {"host": socket.gethostname(), "pid": parent.pid, "process_started": parent.create_time(),
             "locked": "2026-11-30T10:00:00+00:00", "token": "x"}
    (tmp_path / ".lock").write_text(json.dumps(owner))
    message = held_message(tmp_path)
    assert f"another cogtrain session is running for this participant (process {parent.pid} " \
           "since 2026-11-30T10:00:00+00:00); wait for it to finish, or if no cogtrain session" in message


def test_lock_of_another_computer_is_never_taken_over(tmp_path):
    owner = {"host": "studylaptop7", "pid": 4242, "locked": "2026-11-30T10:00:00+00:00", "token": "x"}
    (tmp_path / ".lock").write_text(json.dumps(owner))
    message = held_message(tmp_path)
    assert "runs on computer 'studylaptop7' (process 4242 since 2026-11-30T10:00:00+00:00)" in message
    assert f"delete {tmp_path / '.lock'} and start again (on 'studylaptop7')" in message


@pytest.mark.parametrize("content", ["garbage", "[1, 2]", "\x00\x01", '{"pid": "12"'])
def test_unreadable_lock_contents_are_refused_with_how_to_clear(tmp_path, content):
    (tmp_path / ".lock").write_text(content)
    assert "not a cogtrain lock; if no cogtrain session is running" in held_message(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_lock_that_is_a_fifo_is_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / ".lock")
    assert "is a named pipe (FIFO), not a regular file" in held_message(tmp_path)


def test_exit_removes_only_its_own_lock(tmp_path):
    first = ParticipantLock(tmp_path)
    first.__enter__()
    (tmp_path / ".lock").unlink()  # e.g. deleted by hand while the first run still runs
    with ParticipantLock(tmp_path) as second:
        first.__exit__(None, None, None)
        assert json.loads((tmp_path / ".lock").read_text())["token"] == second.token
    assert not (tmp_path / ".lock").exists()


def test_take_over_does_not_remove_a_lock_another_run_just_took(tmp_path):
    stale = b"999999999"
    (tmp_path / ".lock").write_bytes(b'{"pid": 1, "token": "fresh"}')  # replaced after it was judged stale
    lockmod._take_over(tmp_path / ".lock", stale)
    assert json.loads((tmp_path / ".lock").read_text())["token"] == "fresh"
    assert [p.name for p in tmp_path.iterdir()] == [".lock"]


def test_liveness_uses_psutil_not_signals(tmp_path, monkeypatch):
    """On Windows os.kill(pid, 0) sends CTRL_C_EVENT; the lock must never call it."""
    def no_kill(*args):
        raise AssertionError("os.kill called")
    monkeypatch.setattr(os, "kill", no_kill)
    (tmp_path / ".lock").write_text(str(os.getppid()))
    assert "another cogtrain session is running" in held_message(tmp_path)


def test_file_system_without_hard_links_falls_back_to_exclusive_create(tmp_path, monkeypatch):
    def no_links(*args):
        raise OSError(1, "Operation not permitted")
    monkeypatch.setattr(lockmod.os, "link", no_links)
    with ParticipantLock(tmp_path):
        assert json.loads((tmp_path / ".lock").read_text())["pid"] == os.getpid()
        assert "another cogtrain session is running" in held_message(tmp_path)
    assert list(tmp_path.iterdir()) == []
