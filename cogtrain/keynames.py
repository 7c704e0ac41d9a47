"""Key names as PsychoPy's keyboard reports them, checked once when a config is loaded."""
from __future__ import annotations

import re
import typing
from typing import Annotated

from pydantic import BaseModel, BeforeValidator

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


_KEY = BeforeValidator(key_name)

#: A validated key name, for config models.
KeyName = Annotated[str, _KEY]


def bound_keys(model: BaseModel, prefix: str = "") -> list[tuple[str, str]]:
    """``(key path, key name)`` of every key a settings model binds, nested models and lists included."""
    found = []
    for name, field in type(model).model_fields.items():
        value, path = getattr(model, name), f"{prefix}{field.alias or name}"
        if isinstance(value, BaseModel):
            found += bound_keys(value, f"{path}.")
        elif _is_key(field.annotation, field.metadata):
            found += [(path, k) for k in (value if isinstance(value, list) else [value])]
    return found


def _is_key(annotation: object, metadata: list) -> bool:
    if any(m is _KEY for m in metadata):
        return True
    args = typing.get_args(annotation)
    return any(a is _KEY for a in args) or any(_is_key(a, []) for a in args if typing.get_args(a))


def key_conflicts(battery_keys: BaseModel, tasks: dict[str, BaseModel]) -> list[str]:
    """Keys bound to two actions that can be asked for at the same moment, one line each.

    The quit key ends a session from any screen, so it must differ from every
    other key; continue and back share the instruction screens; the two
    answers of the quit question must differ.
    """
    battery = bound_keys(battery_keys, "keys.")
    task_keys = [(f"tasks.{name}.settings.{path}", key) for name, model in tasks.items()
                 for path, key in bound_keys(model)]
    groups = [("keys.quit", [b for b in battery if b[0] != "keys.quit"] + task_keys),
              ("keys.continue", [b for b in battery if b[0] == "keys.back"]),
              ("keys.confirm_quit", [b for b in battery if b[0] == "keys.cancel_quit"])]
    problems = []
    for action, others in groups:
        for key in [k for p, k in battery if p == action]:
            problems += [f"{action} and {path} are both {key!r}; give each action its own key"
                         for path, other in others if other == key]
    return problems
