"""The Linux desktop launcher of ``cogtrain start``."""
import os
import shutil
import subprocess
import sys

import pytest

from cogtrain.cli import main
from cogtrain.launcher import launcher_text
from tests.conftest import REPO


def split_exec(line: str) -> list[str]:
    """The arguments of an Exec value, read as the Desktop Entry Specification 1.5 says (independently)."""
    line = line.replace("\\\\", "\\").replace("%%", "%")  # the string escape, then the field-code escape
    args, current, quoted, i = [], "", False, 0
    while i < len(line):
        ch = line[i]
        if quoted and ch == "\\" and line[i + 1] in '"`$\\':
            current, i = current + line[i + 1], i + 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == " " and not quoted:
            args.append(current)
            current = ""
        else:
            current += ch
        i += 1
    return args + [current]


def exec_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("Exec="))[len("Exec="):]


@pytest.fixture
def enrolled(tmp_path):
    data = tmp_path / "my data"
    assert main(["enrol", "P1", "--battery", str(REPO / "configs" / "nback.yaml"), "--data", str(data)]) == 0
    return data


def test_the_command_writes_an_executable_desktop_entry_running_start(tmp_path, enrolled, capsys):
    out = tmp_path / "apps" / "cogtrain-P1.desktop"
    assert main(["desktop-launcher", "P1", "--data", str(enrolled), "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("[Desktop Entry]\nType=Application\nName=cogtrain P1\n")
    assert "Terminal=false\n" in text
    assert exec_line(text) == f'{sys.executable} -m cogtrain start P1 --data "{tmp_path / "my data"}"'
    assert os.access(out, os.X_OK)
    assert str(out) in capsys.readouterr().out
    if shutil.which("desktop-file-validate"):
        assert subprocess.run(["desktop-file-validate", str(out)]).returncode == 0


def test_reserved_characters_are_quoted_so_a_shell_like_split_gives_the_arguments_back(tmp_path):
    folder = tmp_path / 'a "quoted" $HOME `x` 50%'
    line = exec_line(launcher_text(None, folder, python="/opt/py 3/python"))
    assert split_exec(line) == ["/opt/py 3/python", "-m", "cogtrain", "start", "--data", str(folder)]


def test_a_bad_participant_id_is_refused(tmp_path):
    assert main(["desktop-launcher", "../P1", "--out", str(tmp_path / "x.desktop")]) == 2
    assert not (tmp_path / "x.desktop").exists()


def test_a_line_break_in_the_folder_is_refused(tmp_path):
    with pytest.raises(Exception, match="line break"):
        launcher_text("P1", tmp_path / "a\nb")


def test_a_folder_as_out_gets_the_launcher_inside_it(tmp_path, enrolled):
    assert main(["desktop-launcher", "P1", "--data", str(enrolled), "--out", str(tmp_path)]) == 0
    assert exec_line((tmp_path / "cogtrain-P1.desktop").read_text()).endswith(f'"{enrolled}"')


def test_a_launcher_for_someone_not_enrolled_or_withdrawn_is_refused(tmp_path, enrolled, capsys):
    assert main(["desktop-launcher", "P2", "--data", str(enrolled), "--out", str(tmp_path / "x.desktop")]) == 2
    assert "not enrolled" in capsys.readouterr().err
    assert main(["participant", "P1", "--withdraw", "--reason", "moved", "--data", str(enrolled)]) == 0
    assert main(["desktop-launcher", "P1", "--data", str(enrolled), "--out", str(tmp_path / "x.desktop")]) == 2
    assert not (tmp_path / "x.desktop").exists()
