"""The machine set-up file: what one computer fixes for ``cogtrain start`` (docs/home-use.md).

A home computer lent to one participant names that participant and the data
folder, so that ``cogtrain start`` (or its desktop launcher) needs no argument.
The file is ``machine.yaml`` in the user's configuration folder, or the file
named by the environment variable ``COGTRAIN_MACHINE``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from pydantic import Field, field_validator

from cogtrain.errors import ConfigError, UsageError
from cogtrain.paths import check_participant
from cogtrain.strict import StrictModel

#: Environment variable naming another set-up file (a study laptop, a test).
ENV = "COGTRAIN_MACHINE"


class MachineSettings(StrictModel):
    """What ``machine.yaml`` may hold; every key is optional, any other key is an error."""

    participant: str | None = Field(None, description="The participant who trains on this computer.")
    data: Path | None = Field(None, description="The data folder; a relative path is taken from the "
                                                "folder of machine.yaml.")
    language: str | None = Field(None, description="Language of the screens shown before a participant is "
                                                   "chosen (the chooser): the tag of a catalogue in cogtrain/text/.")

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        from cogtrain.text import available

        if value is not None and value not in available():
            raise ValueError(f"no catalogue cogtrain/text/{value}.yaml; available: {', '.join(available())}")
        return value

    @field_validator("participant")
    @classmethod
    def _participant(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                check_participant(value)
            except UsageError:
                raise ValueError("expected 1 to 64 letters A-Z, a-z and digits 0-9") from None
        return value

    @field_validator("data", mode="before")
    @classmethod
    def _folder(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError("empty folder name; give a folder such as /home/anna/cogtrain-data")
        return value


def machine_file() -> Path:
    """Where this computer's set-up file is looked for.

    ``$COGTRAIN_MACHINE`` if set; else ``machine.yaml`` in ``cogtrain`` under the user's
    configuration folder: ``$XDG_CONFIG_HOME`` or ``~/.config`` on Linux,
    ``~/Library/Application Support`` on macOS, ``%APPDATA%`` on Windows.
    """
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "cogtrain" / "machine.yaml"


def load_machine(path: Path | None = None) -> MachineSettings:
    """This computer's settings (all unset when there is no set-up file in the usual place).

    Raises
    ------
    ConfigError
        For an unknown key or a bad value, naming the file, key and value, or when
        the file named by ``$COGTRAIN_MACHINE`` does not exist.
    """
    from cogtrain.config import _validate
    from cogtrain.yamlio import load_yaml_mapping

    named = path is None and bool(os.environ.get(ENV))
    path = Path(path) if path is not None else machine_file()
    if not path.exists():
        if named:
            raise ConfigError([f"{path}: no such machine set-up file (named by {ENV}); create it, or unset "
                               f"{ENV} to use none"])
        return MachineSettings()
    problems: list[str] = []
    settings = _validate(MachineSettings, load_yaml_mapping(path), path, problems)
    if settings is None:
        raise ConfigError(problems)
    if settings.data is not None and not settings.data.is_absolute():
        settings = settings.model_copy(update={"data": path.parent / settings.data})
    return settings
