"""Participant-facing text: one catalogue per language, ``cogtrain/text/<language>.yaml``.

A catalogue is a YAML mapping of sections to texts; a text is found by its
dotted key (``screens.continue``). Values are filled in by name
(``"Press {key} to continue"``); a text that counts something has a ``one``
and an ``other`` form, chosen by its ``{n}``. English (``en.yaml``) is the
reference: every shipped catalogue has exactly its keys and placeholders.
How to add a language: docs/translating.md.
"""
from __future__ import annotations

import functools
import string
from pathlib import Path
from typing import Any

import yaml

from cogtrain.errors import CogtrainError

FOLDER = Path(__file__).resolve().parent
#: The catalogue every other one is checked against.
REFERENCE = "en"
#: Forms of a text that depends on a count ``{n}``.
PLURAL_FORMS = ("one", "other")


class TextError(CogtrainError):
    """A text key or placeholder that the catalogue does not have."""


def available() -> list[str]:
    """Language tags of the shipped catalogues, sorted."""
    return sorted(path.stem for path in FOLDER.glob("*.yaml"))


def placeholders(template: str) -> set[str]:
    """Names of the ``{placeholders}`` of ``template``."""
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(template)
            if field is not None}


def flatten(data: Any, path: Path, prefix: str = "") -> dict[str, str | dict[str, str]]:
    """Dotted key → text (or ``{one, other}``) of a catalogue's nested sections."""
    if not isinstance(data, dict):
        raise TextError(f"{path}: {prefix.rstrip('.') or 'top level'}: expected a mapping of keys to texts")
    found: dict[str, str | dict[str, str]] = {}
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, str):
            found[key] = value
        elif isinstance(value, dict) and set(value) == set(PLURAL_FORMS) \
                and all(isinstance(v, str) for v in value.values()):
            found[key] = dict(value)
        elif isinstance(value, dict):
            found.update(flatten(value, path, f"{key}."))
        else:
            raise TextError(f"{path}: {key}: expected a text, or a mapping of keys to texts; got {value!r}")
    return found


class Catalogue:
    """The texts of one language.

    Parameters
    ----------
    language : str
        Its tag, the file's name (``en``, ``de``, ``pt-BR``).
    entries : dict
        Dotted key → text, or ``{"one": ..., "other": ...}`` for a counted text.
    """

    def __init__(self, language: str, entries: dict[str, str | dict[str, str]]):
        self.language = language
        self.entries = entries

    def text(self, key: str, /, **values: Any) -> str:
        """The text of ``key`` with its placeholders filled in from ``values`` (all of them, no others).

        A counted text takes its form from ``n``. Raises :class:`TextError` on an
        unknown key or a placeholder given or missing.

        >>> load("en").text("session.place_block", number=2, blocks=6)
        'block 2 of 6'
        """
        if key not in self.entries:
            raise TextError(f"{FOLDER / (self.language + '.yaml')}: no text {key!r}")
        entry = self.entries[key]
        if isinstance(entry, dict):
            if "n" not in values:
                raise TextError(f"text {key!r} depends on a count: give n")
            entry = entry["one" if values["n"] == 1 else "other"]
        wanted = placeholders(entry)
        if wanted != set(values) and not (isinstance(self.entries[key], dict) and wanted == set(values) - {"n"}):
            raise TextError(f"text {key!r} of {self.language}.yaml takes {sorted(wanted)}, given {sorted(values)}")
        return entry.format(**values)

    def task_title(self, task: str, default: str) -> str:
        """The title of ``task`` as participants read it: its section's ``title``.

        ``default`` (the task's own title) is for a task that ships outside ``tasks/`` and so has
        no section here; every shipped task has one in every catalogue (tests/test_text.py).
        """
        entry = self.entries.get(f"{task}.title")
        return entry if isinstance(entry, str) else default

    def decimal(self, value: float, places: int) -> str:
        """``value`` with ``places`` decimals and the language's decimal mark (1.5, 1,5)."""
        return f"{value:.{places}f}".replace(".", self.text("numbers.decimal_mark"))

    def key_label(self, name: str) -> str:
        """How key ``name`` is written on screen: the catalogue's word for it, else its name in capitals."""
        entry = self.entries.get(f"keys.{name}")
        return entry if isinstance(entry, str) else name.upper()


@functools.lru_cache(maxsize=None)
def load(language: str) -> Catalogue:
    """The catalogue of ``language``; :class:`TextError` naming the languages there are if it has none."""
    path = FOLDER / f"{language}.yaml"
    if language not in available():
        raise TextError(f"no catalogue {path} for language {language!r}; available: {', '.join(available())}")
    with path.open(encoding="utf-8") as handle:
        return Catalogue(language, flatten(yaml.safe_load(handle), path))
