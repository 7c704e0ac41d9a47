"""The one reading helper (regular files only, size caps, strict JSON) and atomic JSON writes."""
import json
import os
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogtrain import files
from cogtrain.files import UnreadableFile, read_json, read_limited, replace_file, write_json_atomic


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "state.json"
    write_json_atomic(path, {"a": 1})
    write_json_atomic(path, {"a": 2})
    assert json.loads(path.read_text()) == {"a": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_atomic_write_refuses_nan_rather_than_writing_unreadable_json(tmp_path):
    with pytest.raises(ValueError):
        write_json_atomic(tmp_path / "state.json", {"level": float("nan")})
    assert list(tmp_path.iterdir()) == []


def test_reads_a_regular_file(tmp_path):
    (tmp_path / "a.yaml").write_bytes(b"x: 1\n")
    assert read_limited(tmp_path / "a.yaml", limit=10) == b"x: 1\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "profile.yaml"
    os.mkfifo(fifo)
    result = {}
    reader = threading.Thread(target=lambda: result.update(error=_error(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert result["error"] == f"{fifo}: is a named pipe (FIFO), not a regular file; expected a profile"


def _error(path):
    with pytest.raises(UnreadableFile) as caught:
        read_limited(path, limit=1000, what="profile")
    return str(caught.value)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_device_is_refused_before_reading():
    assert "is a device, not a regular file" in _error("/dev/zero")


def test_folder_is_refused(tmp_path):
    assert _error(tmp_path) == f"{tmp_path}: is a folder, not a regular file; expected a profile"


def test_huge_file_is_refused_by_its_size_without_reading_it(tmp_path):
    huge = tmp_path / "state.json"
    with open(huge, "wb") as fh:  # sparse: 5 GB claimed, nothing allocated
        fh.truncate(5 * 1024**3)
    assert _error(huge) == f"{huge}: is {5 * 1024**3} bytes; a profile is at most 1000 bytes"


def test_file_growing_past_the_cap_is_refused(tmp_path, monkeypatch):
    grows = tmp_path / "a.yaml"
    grows.write_bytes(b"x" * 2000)
    real_fstat = os.fstat
    monkeypatch.setattr(files.os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 10, *real_fstat(fd)[7:])))
    assert "is over 1000 bytes" in _error(grows)


def test_missing_file_is_named(tmp_path):
    assert _error(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: file not found; expected a profile"


def test_windows_folder_open_error_is_reported_as_a_folder(tmp_path, monkeypatch):
    def refuse(*args):  # what Windows does when asked to open a folder
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(files.os, "open", refuse)
    assert _error(tmp_path) == f"{tmp_path}: is a folder; expected a profile"


@pytest.mark.parametrize("text, key, shown", [
    ('{"tasks": {"nback": {"level": NaN}}}', "tasks.nback.level", "NaN"),
    ('{"tasks": {"nback": {"level": -Infinity}}}', "tasks.nback.level", "-Infinity"),
    ('{"tasks": {"nback": {"level": 1e400}}}', "tasks.nback.level", "1e400"),
    ('{"runs": [{"n": 1}, {"n": ' + "9" * 5000 + '}]}', "runs[1].n", "999999999999…(5000 characters)"),
    ('[1e999]', "[0]", "1e999"),
    ('NaN', "(top level)", "NaN"),
])
def test_json_refuses_numbers_that_are_not_finite_or_absurdly_long(tmp_path, text, key, shown):
    path = tmp_path / "state.json"
    path.write_text(text)
    with pytest.raises(UnreadableFile) as caught:
        read_json(path, what="state file")
    assert str(caught.value) == (f"{path}: key {key}: {shown} is not a finite number of at most 30 digits; "
                                 "expected a state file written by cogtrain")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30 + 1, 10**30 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(), lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_json_within_limits_reads_as_the_standard_parser_reads_it(tmp_path_factory, value):
    path = tmp_path_factory.mktemp("json") / "a.json"
    path.write_text(json.dumps(value))
    assert repr(read_json(path)) == repr(json.loads(path.read_text()))  # same types, signs and key order


@pytest.mark.parametrize("text", [
    "[9223372036854775807, -9223372036854775808, 18446744073709551615]",
    "[9223372036854775808, -9223372036854775809, 18446744073709551616, 123456789012345678901234567890]",
    '{"a": 1, "a": 2.0, "b": -0, "c": -0.0, "d": 1E5, "e": 1e-400, "f": 4.9e-324}',
    '["\\ud800", "\\udc00x", "\\ud834\\udd1e", "\\u0000"]',
])
def test_json_edge_values_read_as_the_standard_parser_reads_them(tmp_path, text):
    (tmp_path / "a.json").write_text(text)
    assert repr(read_json(tmp_path / "a.json")) == repr(json.loads(text))


def test_words_nan_and_infinity_in_text_are_text(tmp_path):
    (tmp_path / "a.json").write_text('{"note": "NaN, Infinity, 1e400 and 1234567890123456789012345678901"}')
    assert read_json(tmp_path / "a.json") == {"note": "NaN, Infinity, 1e400 and 1234567890123456789012345678901"}


@pytest.mark.parametrize("content, problem", [
    (b'{"a": ', "not valid JSON (line 1, column 7"),
    (b'\xff\xfe{}', "not UTF-8 text (byte 0)"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
def test_json_problems_are_one_line_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "session.json"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as caught:
        read_json(path)
    assert str(caught.value).startswith(f"{path}: {problem}")
    assert "\n" not in str(caught.value)


def test_replace_is_retried_on_windows_while_another_program_holds_the_file(tmp_path, monkeypatch):
    source, target = tmp_path / "new", tmp_path / "state.json"
    source.write_text("new")
    calls = []
    real_replace = os.replace

    def busy_twice(a, b):
        calls.append(b)
        if len(calls) <= 2:
            raise PermissionError(13, "Access is denied")
        real_replace(a, b)
    monkeypatch.setattr(files, "WINDOWS", True)
    monkeypatch.setattr(files.os, "replace", busy_twice)
    replace_file(source, target)
    assert target.read_text() == "new" and len(calls) == 3


def test_replace_gives_up_on_windows_with_a_clear_error(tmp_path, monkeypatch):
    def always_busy(a, b):
        raise PermissionError(13, "Access is denied")
    monkeypatch.setattr(files, "WINDOWS", True)
    monkeypatch.setattr(files, "REPLACE_RETRY_S", 0.05)
    monkeypatch.setattr(files.os, "replace", always_busy)
    with pytest.raises(OSError) as caught:
        write_json_atomic(tmp_path / "state.json", {"a": 1})
    assert caught.value.filename == str(tmp_path / "state.json")
    assert "antivirus, backup or sync tool" in caught.value.strerror
    assert list(tmp_path.iterdir()) == []


def test_replace_is_not_retried_elsewhere(tmp_path, monkeypatch):
    calls = []

    def denied(a, b):
        calls.append(b)
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(files, "WINDOWS", False)
    monkeypatch.setattr(files.os, "replace", denied)
    with pytest.raises(PermissionError):
        replace_file(tmp_path / "a", tmp_path / "b")
    assert len(calls) == 1


def test_atomic_write_works_without_fchmod(tmp_path, monkeypatch):
    monkeypatch.delattr(files.os, "fchmod")  # as on Windows
    write_json_atomic(tmp_path / "state.json", {"a": 1})
    assert json.loads((tmp_path / "state.json").read_text()) == {"a": 1}


def test_reads_without_posix_open_flags(tmp_path, monkeypatch):
    """Windows has no O_NONBLOCK or O_NOCTTY (and has O_BINARY): the reader uses what exists."""
    for flag in ("O_NONBLOCK", "O_NOCTTY"):
        monkeypatch.delattr(files.os, flag, raising=False)
    monkeypatch.setattr(files.os, "O_BINARY", 0, raising=False)
    (tmp_path / "a.json").write_text('{"a": 1}')
    assert read_json(tmp_path / "a.json") == {"a": 1}
