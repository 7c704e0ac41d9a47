"""Strict YAML reading: safe, UTF-8 only, no aliases, no duplicate keys, bounded size."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cogtrain.errors import ConfigError
from cogtrain.files import CONFIG_LIMIT, UnreadableFile, read_limited


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (no alias bombs) and duplicate keys."""

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases (*name) are not allowed in cogtrain files", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML hook
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is not a plain value", key_node.start_mark) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def load_yaml_mapping(path: Path) -> dict[str, Any]:
    """Read a YAML file whose top level must be a mapping.

    Raises
    ------
    ConfigError
        Naming the file (and line) for a missing, unreadable, non-UTF-8, empty,
        oversized or malformed file, or a top level that is not a mapping.
    """
    path = Path(path)
    try:
        raw = read_limited(path, limit=CONFIG_LIMIT, what="YAML file")
    except UnreadableFile as exc:
        raise ConfigError([str(exc)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"]) from None
    if "\x00" in text:
        raise ConfigError([f"{path}: contains NUL bytes; expected a YAML text file"])
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - strict subclass of SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError([f"{path}:{where} invalid YAML: {problem}"]) from None
    except RecursionError:
        raise ConfigError([f"{path}: nesting too deep"]) from None
    if data is None:
        raise ConfigError([f"{path}: file is empty; expected a mapping of settings"])
    if not isinstance(data, dict):
        raise ConfigError([f"{path}: top level is a {type(data).__name__}; expected a mapping of settings"])
    return data
