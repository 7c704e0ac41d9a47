"""Key names as PsychoPy's keyboard reports them, checked once when a config is loaded."""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator

#: Names of the keys a config may use (PsychoPy's keyboard names, lower case).
KEY_NAME = re.compile(
    r"[a-z0-9]|f[1-9]|f1[0-2]|num_[0-9]|num_(?:enter|add|subtract|multiply|divide|decimal)"
    r"|space|return|tab|escape|backspace|delete|insert|home|end|pageup|pagedown"
    r"|left|right|up|down|[lr]shift|[lr]ctrl|[lr]alt"
    r"|comma|period|slash|backslash|semicolon|apostrophe|minus|equal|bracketleft|bracketright|grave"
)


def key_name(value: object) -> str:
    """Return ``value`` as a lower-case key name, or raise ValueError saying what is expected."""
    name = value.strip().lower() if isinstance(value, str) else value
    if isinstance(name, int) and not isinstance(name, bool) and 0 <= name <= 9:
        name = str(name)
    if not isinstance(name, str) or not KEY_NAME.fullmatch(name):
        raise ValueError("expected a key name such as 'a', '5', 'space', 'return', 'left', 'f1' or 'num_4'")
    return name


#: A validated key name, for config models.
KeyName = Annotated[str, BeforeValidator(key_name)]
