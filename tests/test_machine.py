"""The machine set-up file: where it is looked for, and its strict validation."""
import pytest

from cogtrain.errors import ConfigError
from cogtrain.machine import load_machine, machine_file


def test_the_environment_variable_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("COGTRAIN_MACHINE", str(tmp_path / "m.yaml"))
    assert machine_file() == tmp_path / "m.yaml"


def test_on_linux_it_lives_in_the_user_config_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("COGTRAIN_MACHINE", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert machine_file() == tmp_path / "cfg" / "cogtrain" / "machine.yaml"


def test_no_file_fixes_nothing(tmp_path, monkeypatch):
    settings = load_machine(tmp_path / "absent.yaml")
    assert settings.participant is None and settings.data is None
    monkeypatch.setattr("cogtrain.machine.machine_file", lambda: tmp_path / "absent.yaml")
    monkeypatch.delenv("COGTRAIN_MACHINE", raising=False)
    assert load_machine().participant is None


def test_a_file_named_by_the_environment_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("COGTRAIN_MACHINE", str(tmp_path / "typo.yaml"))
    with pytest.raises(ConfigError, match="typo.yaml: no such machine set-up file .named by COGTRAIN_MACHINE"):
        load_machine()


def test_participant_and_data_are_read_and_a_relative_folder_is_taken_from_the_file(tmp_path):
    path = tmp_path / "conf" / "machine.yaml"
    path.parent.mkdir()
    path.write_text("participant: P7\ndata: ../study data\n")
    settings = load_machine(path)
    assert settings.participant == "P7"
    assert settings.data == tmp_path / "conf" / ".." / "study data"


@pytest.mark.parametrize("text, message", [
    ("participnt: P1\n", "participnt: unknown key (did you mean 'participant'?)"),
    ("participant: ../P1\n", "participant: '../P1' is not valid"),
    ("participant: 12\n", "participant: 12 is not valid"),
    ("data: ''\n", "data: '' is not valid (empty folder name"),
    ("language: xx\n", "language: 'xx' is not valid (no catalogue cogtrain/text/xx.yaml"),
    ("- P1\n", "machine.yaml"),
])
def test_bad_files_are_one_clear_error_naming_file_and_key(tmp_path, text, message):
    path = tmp_path / "machine.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_machine(path)
    assert str(path) in str(err.value) and message in str(err.value)
