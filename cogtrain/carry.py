"""A task's carried progress per variant: a level reached in one variant never starts another.

A task with variants (:meth:`cogtrain.task.TaskSettings.variant`: dual or
single n-back, Tower of London or Hanoi) keeps, in its ``state.json`` entry,
one carried state per variant: ``{"variants": {"dual": {...}, "single_letter": {...}}}``.
A task without variants keeps its carried state as the entry itself. Entries
written before variants existed are moved to the variant that last ran
(:func:`migrate`; docs/programme.md).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cogtrain.config import deep_merge
from cogtrain.errors import CogtrainError
from cogtrain.files import read_json, write_json_atomic
from cogtrain.paths import existing_sessions, session_dir
from cogtrain.registry import all_tasks
from cogtrain.state import ParticipantState
from cogtrain.task import TaskSettings
from cogtrain.yamlio import load_yaml_mapping


def carried_for(entry: dict | None, settings: TaskSettings) -> dict | None:
    """The carried state for the variant ``settings`` run, from a task's ``state.json`` entry.

    >>> from cogtrain.tasks.nback.config import NbackSettings
    >>> entry = {"variants": {"dual": {"level": 4}}}
    >>> carried_for(entry, NbackSettings(mode="dual")), carried_for(entry, NbackSettings(mode="single"))
    ({'level': 4}, None)
    """
    variant = settings.variant()
    if variant is None or entry is None:
        return entry
    variants = entry.get("variants")
    return variants.get(variant) if isinstance(variants, dict) else None


def with_carried(entry: dict | None, settings: TaskSettings, carried: dict) -> dict:
    """A task's ``state.json`` entry with ``carried`` stored for the variant ``settings`` run.

    >>> from cogtrain.tasks.nback.config import NbackSettings
    >>> with_carried({"variants": {"dual": {"level": 4}}}, NbackSettings(mode="single"), {"level": 2})
    {'variants': {'dual': {'level': 4}, 'single_position': {'level': 2}}}
    """
    variant = settings.variant()
    if variant is None:
        return carried
    variants = dict((entry or {}).get("variants") or {})
    variants[variant] = carried
    return {"variants": variants}


def migrate(state: ParticipantState, sub_dir: Path, participant: str) -> list[str]:
    """Move entries written before variants existed to the variant that last ran; return what moved.

    The variant is read from the newest session record that ran the task; without
    one, the task's default settings decide. The file is written only if anything moved.
    """
    tasks = all_tasks()
    moved = []
    for name, entry in list(state.data["tasks"].items()):
        if name not in tasks or not isinstance(entry, dict) or "variants" in entry:
            continue
        variant = _last_variant(name, sub_dir, participant) or _settings(name, {}).variant()
        if variant is not None:
            state.data["tasks"][name] = {"variants": {variant: entry}}
            moved.append(f"{name} -> {name} ({variant})")
    if moved:
        write_json_atomic(state.path, state.data)
    return moved


def _last_variant(task: str, sub_dir: Path, participant: str) -> str | None:
    for number in reversed(existing_sessions(Path(sub_dir))):
        try:
            record = read_json(session_dir(Path(sub_dir).parent, participant, number) / "session.json")
        except CogtrainError:
            continue
        entries = (record.get("config") or {}).get("tasks") if isinstance(record, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and entry.get("task") == task and isinstance(entry.get("settings"), dict):
                try:
                    return _settings(task, entry["settings"]).variant()
                except ValidationError:
                    return None
    return None


def _settings(task: str, settings: dict[str, Any]) -> TaskSettings:
    spec = all_tasks()[task]
    return spec.settings_model.model_validate(deep_merge(load_yaml_mapping(spec.defaults), settings))
