"""Battery configuration: YAML → validated, typed settings, with every error reported at once.

A battery file names the tasks to run and overrides any of their defaults
(``tasks/<name>/defaults.yaml``). A participant profile (``--profile``) can
override display, keys, breaks and task settings for one person.
"""
from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cogtrain.errors import ConfigError
from cogtrain.registry import all_tasks
from cogtrain.task import TaskSettings
from cogtrain.yamlio import load_yaml_mapping

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _hex(value: str) -> str:
    if not isinstance(value, str) or not HEX_COLOUR.match(value):
        raise ValueError("expected a colour like '#FFFFFF'")
    return value.upper()


class DisplaySettings(_Strict):
    """How the window looks. Sizes are fractions of the screen height."""

    fullscreen: bool = Field(True, description="Full screen (False: a window of `size`).")
    size: tuple[int, int] = Field((1280, 800), description="Window size in pixels when not full screen.")
    screen: int = Field(0, ge=0, description="Monitor index.")
    background: str = "#000000"
    foreground: str = "#FFFFFF"
    accent: str = Field("#FFD700", description="Highlights (selected peg, active cell).")
    font: str = "DejaVu Sans"
    text_height: float = Field(0.05, gt=0.01, le=0.2,
                               description="Text height as a fraction of screen height (0.05 = 54 px at 1080).")
    wrap_width: float = Field(1.2, gt=0.2, le=3.0, description="Line width in screen heights.")

    _colours = field_validator("background", "foreground", "accent")(_hex)


class KeySettings(_Strict):
    """Battery-wide keys (task response keys live in each task's settings)."""

    continue_: list[str] = Field(["space"], alias="continue", min_length=1,
                                 description="Advance instructions and messages.")
    back: list[str] = Field(["left"], description="Go back one instruction page.")
    quit: list[str] = Field(["escape"], min_length=1, description="Ask to end the session.")
    confirm_quit: list[str] = Field(["y"], min_length=1)
    cancel_quit: list[str] = Field(["n"], min_length=1)


class BreakSettings(_Strict):
    """Breaks between tasks."""

    between_tasks: bool = True
    fatigue_rating: bool = Field(True, description="Ask for a 0-10 fatigue rating at each break.")
    min_duration_s: float = Field(0.0, ge=0, le=3600,
                                  description="Shortest break before continuing is allowed (0: self-paced).")


class SimulationSettings(_Strict):
    """The simulated participant used by ``--simulate``."""

    ability: dict[str, float] = Field(default_factory=dict,
                                      description="Per task: difficulty level at threshold.")
    rt_median_s: float = Field(0.65, gt=0.05, le=10)
    rt_sigma: float = Field(0.3, ge=0, le=2, description="SD of log RT.")
    lapse_rate: float = Field(0.03, ge=0, le=0.5)
    reading_s: float = Field(4.0, ge=0, le=120, description="Time spent on each instruction page.")


class TrainingPlan(_Strict):
    """The planned training dose, for adherence in reports."""

    sessions_per_week: float = Field(3, gt=0, le=14)
    minutes_per_session: float = Field(30, gt=0, le=240)
    weeks: int = Field(8, ge=1, le=104)


class TaskEntry(_Strict):
    """One task of the battery and its overrides of the task's defaults."""

    task: str
    settings: dict[str, Any] = Field(default_factory=dict)


class BatteryConfig(_Strict):
    """A battery file as written by a researcher."""

    name: str = Field(min_length=1)
    description: str = ""
    display: DisplaySettings = Field(default_factory=DisplaySettings)
    keys: KeySettings = Field(default_factory=KeySettings)
    order: Literal["fixed", "random", "latin_square"] = Field(
        "fixed", description="Task order: as listed, seeded random per session, or a Latin square row per participant.")
    tasks: list[TaskEntry] = Field(min_length=1)
    breaks: BreakSettings = Field(default_factory=BreakSettings)
    simulation: SimulationSettings = Field(default_factory=SimulationSettings)
    plan: TrainingPlan = Field(default_factory=TrainingPlan)


class ProfileConfig(_Strict):
    """A participant profile: personal overrides of a battery (keys, display, timing)."""

    display: dict[str, Any] = Field(default_factory=dict)
    keys: dict[str, Any] = Field(default_factory=dict)
    breaks: dict[str, Any] = Field(default_factory=dict)
    task_settings: dict[str, dict[str, Any]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Battery:
    """A fully resolved battery: validated battery settings and each task's typed settings."""

    path: Path
    config: BatteryConfig
    task_settings: dict[str, TaskSettings]

    @property
    def task_names(self) -> list[str]:
        """Tasks in the order listed."""
        return [entry.task for entry in self.config.tasks]

    def resolved(self) -> dict[str, Any]:
        """The resolved configuration as plain data (for session.json)."""
        data = self.config.model_dump(mode="json", by_alias=True)
        for entry in data["tasks"]:
            entry["settings"] = self.task_settings[entry["task"]].model_dump(mode="json", by_alias=True)
        return data


def deep_merge(base: dict, override: dict) -> dict:
    """Return ``base`` updated by ``override``, merging nested mappings."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_battery(path: Path, profile: Path | None = None) -> Battery:
    """Read and validate a battery file (and optional participant profile).

    Raises
    ------
    ConfigError
        With every problem found, each naming the file, key path, value and expectation.
    """
    path = Path(path)
    raw = load_yaml_mapping(path)
    problems: list[str] = []
    if profile is not None:
        prof = _validate(ProfileConfig, load_yaml_mapping(profile), Path(profile), problems)
        if prof is not None:
            raw = _apply_profile(raw, prof)
    config = _validate(BatteryConfig, raw, path, problems)
    if config is None:
        raise ConfigError(problems)
    tasks = all_tasks()
    settings: dict[str, TaskSettings] = {}
    for i, entry in enumerate(config.tasks):
        where = f"tasks[{i}]"
        if entry.task not in tasks:
            hint = _suggest(entry.task, list(tasks))
            problems.append(f"{path}: {where}.task: unknown task {entry.task!r}{hint}; "
                            f"known tasks: {', '.join(tasks)}")
            continue
        if entry.task in settings:
            problems.append(f"{path}: {where}.task: {entry.task!r} is listed twice; list each task once")
            continue
        spec = tasks[entry.task]
        defaults = load_yaml_mapping(spec.defaults)
        model = _validate(spec.settings_model, deep_merge(defaults, entry.settings), path, problems,
                          prefix=("tasks", i, "settings"))
        if model is not None:
            settings[entry.task] = model
    for task in config.simulation.ability:
        if task not in tasks:
            problems.append(f"{path}: simulation.ability.{task}: unknown task{_suggest(task, list(tasks))}")
    if problems:
        raise ConfigError(problems)
    return Battery(path=path, config=config, task_settings=settings)


def _apply_profile(raw: dict, profile: ProfileConfig) -> dict:
    merged = deep_merge(raw, {k: v for k, v in (("display", profile.display), ("keys", profile.keys),
                                                 ("breaks", profile.breaks)) if v})
    if profile.task_settings and isinstance(merged.get("tasks"), list):
        merged["tasks"] = [
            {**entry, "settings": deep_merge(entry.get("settings") or {},
                                             profile.task_settings.get(entry.get("task"), {}))}
            if isinstance(entry, dict) else entry
            for entry in merged["tasks"]
        ]
    return merged


def _validate(model: type[BaseModel], data: Any, path: Path, problems: list[str],
              prefix: tuple = ()) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            problems.append(_describe(model, err, path, prefix))
        return None


def _describe(model: type[BaseModel], err: dict, path: Path, prefix: tuple) -> str:
    loc = tuple(err["loc"])
    key = _key_path(prefix + loc) or "(top level)"
    if err["type"] == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = _suggest(str(loc[-1]), allowed)
        known = f"; allowed keys: {', '.join(allowed)}" if allowed and not hint else ""
        return f"{path}: {key}: unknown key{hint}{known}"
    if err["type"] == "missing":
        return f"{path}: {key}: required key is missing"
    value = _short(err.get("input"))
    msg = err["msg"].replace("Value error, ", "")
    return f"{path}: {key}: {value} is not valid ({msg})"


def _key_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggest(word: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Names of the keys allowed at ``loc`` inside ``model`` (for suggestions)."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if _is_model(annotation):
            field = annotation.model_fields.get(part) or next(
                (f for f in annotation.model_fields.values() if f.alias == part), None)
            if field is None:
                return []
            annotation = field.annotation
        else:  # list[X] or dict[K, X]: step into X
            args = typing.get_args(annotation)
            if not args:
                return []
            annotation = args[-1]
    annotation = _unwrap(annotation)
    if _is_model(annotation):
        return [f.alias or name for name, f in annotation.model_fields.items()]
    return []


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _unwrap(annotation: Any) -> Any:
    """Strip ``Optional[...]`` down to its non-None member."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return next((m for m in members if _is_model(m)), members[0])
    return annotation
