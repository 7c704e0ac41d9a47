"""The open registry of tasks: every package under ``cogtrain.tasks`` that defines ``TASK``."""
from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import cogtrain.tasks
from cogtrain.task import TaskSpec


@cache
def all_tasks() -> dict[str, TaskSpec]:
    """Return the registered tasks by name, in alphabetical order."""
    found: dict[str, TaskSpec] = {}
    for info in sorted(pkgutil.iter_modules(cogtrain.tasks.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"cogtrain.tasks.{info.name}")
        spec = getattr(module, "TASK", None)
        if isinstance(spec, TaskSpec):
            found[spec.name] = spec
    return found


def get_task(name: str) -> TaskSpec:
    """Return one task's spec; KeyError names the known tasks."""
    tasks = all_tasks()
    if name not in tasks:
        raise KeyError(f"unknown task {name!r}; known tasks: {', '.join(tasks)}")
    return tasks[name]


def load_object(ref: str) -> type:
    """Import ``"package.module:Name"`` lazily (views import psychopy only when used)."""
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)
