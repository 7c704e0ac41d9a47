"""A desktop launcher for ``cogtrain start`` on Linux (docs/home-use.md covers Windows and macOS).

The launcher is a Desktop Entry file (freedesktop.org Desktop Entry
Specification 1.5): double-clicking it runs this installation's Python with
``-m cogtrain start`` for one participant and data folder.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from cogtrain.errors import UsageError
from cogtrain.paths import check_participant

#: Characters that make an Exec argument need quoting (Desktop Entry Specification, "The Exec key").
RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
#: Characters escaped with a backslash inside a quoted Exec argument.
QUOTE_ESCAPED = set('"`$\\')


def applications_folder() -> Path:
    """The user's menu folder: ``$XDG_DATA_HOME/applications`` (default ``~/.local/share/applications``)."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "applications"


def exec_argument(arg: str) -> str:
    r"""One argument of the Exec key, quoted and escaped as the specification asks.

    >>> exec_argument("/usr/bin/python3")
    '/usr/bin/python3'
    >>> exec_argument("/home/ann/my data")
    '"/home/ann/my data"'
    >>> exec_argument('/data/50%')
    '/data/50%%'
    >>> print(exec_argument('/a"b$c'))
    "/a\\"b\\$c"
    """
    if any(ch in arg for ch in "\n\r"):
        raise UsageError(f"{arg!r}: a launcher cannot run a path with a line break; rename the folder")
    if arg and not RESERVED & set(arg):
        quoted = arg
    else:
        quoted = '"' + "".join("\\" + ch if ch in QUOTE_ESCAPED else ch for ch in arg) + '"'
    # The string escape of desktop files is applied before the quoting rule: a backslash is written twice.
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def launcher_text(participant: str | None, data: Path, python: str = sys.executable) -> str:
    """The Desktop Entry that runs ``cogtrain start [participant] --data DATA``."""
    if participant is not None:
        check_participant(participant)
    command = [python, "-m", "cogtrain", "start", *([participant] if participant else []),
               "--data", str(Path(data).resolve())]
    name = f"cogtrain {participant}" if participant else "cogtrain"
    return ("[Desktop Entry]\n"
            "Type=Application\n"
            f"Name={name}\n"
            "Comment=Start today's cognitive training session\n"
            f"Exec={' '.join(exec_argument(arg) for arg in command)}\n"
            "Terminal=false\n"
            "Categories=Education;\n")


def write_launcher(path: Path, participant: str | None, data: Path) -> Path:
    """Write the launcher to ``path`` (executable, as desktops ask of launchers on the desktop)."""
    from cogtrain.files import write_text_atomic

    text = launcher_text(participant, data)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    path.chmod(0o755)
    return path
