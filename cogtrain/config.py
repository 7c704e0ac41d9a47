"""Battery configuration: YAML → validated, typed settings, with every error reported at once.

A battery file names the tasks to run and overrides any of their defaults
(``tasks/<name>/defaults.yaml``). A participant profile (``--profile``) can
override display, keys, breaks and task settings for one person.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from cogtrain.contrast import MIN_SHAPE_CONTRAST, MIN_TEXT_CONTRAST, contrast_ratio
from cogtrain.errors import ConfigError
from cogtrain.keynames import KeyName, key_conflicts
from cogtrain.registry import all_tasks
from cogtrain.scoring.reliable import ReliableChangeSettings
from cogtrain.strict import StrictModel
from cogtrain.timing import other_unit
from cogtrain.task import TaskSettings
from cogtrain.text import REFERENCE
from cogtrain.text import available as available_languages
from cogtrain.yamlio import load_yaml_mapping

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class _Strict(StrictModel):
    model_config = ConfigDict(populate_by_name=True)  # extra keys stay forbidden (StrictModel)


def _hex(value: str) -> str:
    if not isinstance(value, str) or not HEX_COLOUR.match(value):
        raise ValueError("expected a colour like '#FFFFFF'")
    return value.upper()


#: Text heights (fractions of the screen height) the screens are laid out for. Below 0.02 text is too
#: small to read on any screen (the window also refuses text under 20 px on the actual screen); above
#: 0.065 not every screen fits a 4:3 window (scripts/check_layout.py: at 0.08 the check-in scale's
#: numbers overlap and Tower's ball letters shrink under 20 px at 800x600).
TEXT_HEIGHT_RANGE = (0.02, 0.065)

#: Display presets: each sets the keys it lists; keys written beside the preset (or in a
#: participant profile) win. ``high_contrast`` is pure white and yellow on black (21:1 and
#: 19.6:1); ``large_print`` has text 1.3 times the standard height (70 px at 1080p; the line width
#: stays within a 5:4 screen).
PRESETS: dict[str, dict[str, Any]] = {
    "standard": {},
    "high_contrast": {"background": "#000000", "foreground": "#FFFFFF", "accent": "#FFFF00",
                      "text_height": 0.06},
    "large_print": {"text_height": 0.065},
}


class DisplaySettings(_Strict):
    """How the window looks. Sizes are fractions of the screen height.

    Text must keep a WCAG 2.x contrast of at least 7:1 with the background and the
    accent (selected pegs, active cells) at least 3:1: lower contrasts are config errors.
    """

    preset: Literal["standard", "high_contrast", "large_print"] = Field(
        "standard", description="Starting point for the keys below: standard, high_contrast or large_print.")
    fullscreen: bool = Field(True, description="Full screen (False: a window of `size`).")
    size: tuple[int, int] = Field((1280, 800), description="Window size in pixels when not full screen.")
    screen: int = Field(0, ge=0, le=16, description="Monitor index.")
    background: str = "#000000"
    foreground: str = Field("#FFFFFF", description="Text colour: at least 7:1 contrast with the background.")
    accent: str = Field("#FFD700", description="Highlights (selected peg, active cell): at least 3:1 "
                                               "contrast with the background.")
    font: str = Field("DejaVu Sans", min_length=1, max_length=100)
    text_height: float = Field(0.05, description="Text height as a fraction of screen height (0.05 = 54 px at "
                                                 "1080), from 0.02 to 0.065.")
    wrap_width: float = Field(1.2, gt=0.2, le=3.0, description="Line width in screen heights.")
    allow_unmeasured_refresh: bool = Field(
        False, description="Run timed tasks even when the refresh rate could not be measured, is unstable "
                           "or lies outside 50-240 Hz (durations are then converted at an assumed 60 Hz, "
                           "recorded as assumed).")
    speak_instructions: bool = Field(False, description="Read instructions and messages aloud with a "
                                                        "text-to-speech engine (espeak-ng), if one is installed.")

    _colours = field_validator("background", "foreground", "accent")(_hex)

    @model_validator(mode="before")
    @classmethod
    def _apply_preset(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("preset"), str):
            return {**PRESETS.get(data["preset"], {}), **data}
        return data

    @field_validator("text_height")
    @classmethod
    def _text_fits(cls, value: float) -> float:
        low, high = TEXT_HEIGHT_RANGE
        if not low <= value <= high:
            raise ValueError(f"expected {low:g} to {high:g} of the screen height: below {low:g} text is too small to "
                             f"read, above {high:g} the screens do not all fit a 4:3 window (large_print is 0.065)")
        return value

    @field_validator("size")
    @classmethod
    def _window_size(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not all(200 <= v <= 16384 for v in value):
            raise ValueError("expected [width, height] in pixels, each 200 to 16384")
        return value

    @field_validator("foreground", "accent")
    @classmethod
    def _contrast(cls, value: str, info: ValidationInfo) -> str:
        background = info.data.get("background")
        if background is None:
            return value  # the background itself is invalid and reported
        needed = MIN_TEXT_CONTRAST if info.field_name == "foreground" else MIN_SHAPE_CONTRAST
        ratio = contrast_ratio(value, background)
        if ratio < needed:
            raise ValueError(f"contrast with background {background} is {ratio:.1f}:1; at least "
                             f"{needed:g}:1 is needed (WCAG 2) — choose a lighter or darker colour, "
                             "or preset: high_contrast")
        return value


class KeySettings(_Strict):
    """Battery-wide keys (task response keys live in each task's settings)."""

    continue_: list[KeyName] = Field(["space"], alias="continue", min_length=1,
                                     description="Advance instructions and messages.")
    back: list[KeyName] = Field(["left"], description="Go back one instruction page.")
    quit: list[KeyName] = Field(["escape"], min_length=1, description="Ask to end the session.")
    confirm_quit: list[KeyName] = Field(["y"], min_length=1)
    cancel_quit: list[KeyName] = Field(["n"], min_length=1)


class CheckinQuestion(_Strict):
    """One question of the check-in: a number on a scale, or yes / no."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="Name of the answer in events.csv.")
    prompt: str | None = Field(None, min_length=1, max_length=200, description=(
        "The question; leave it out for a default question (hours_slept, fatigue_now, ms_change), "
        "whose words come from the participant's language catalogue."))
    kind: Literal["scale", "yes_no"] = "scale"
    low: int = Field(0, ge=0, le=24)
    high: int = Field(10, ge=1, le=24)
    anchors: tuple[str, str] | None = Field(None, description="Labels of the two ends of a scale.")

    @model_validator(mode="after")
    def _range(self) -> "CheckinQuestion":
        if self.kind == "scale" and not self.low < self.high:
            raise ValueError(f"low {self.low} must be below high {self.high}")
        if self.prompt is None and self.id not in CHECKIN_TEXT:
            raise ValueError(f"question {self.id!r} needs a prompt (only {', '.join(CHECKIN_TEXT)} have "
                             "default words)")
        return self


#: Catalogue keys (prompt, low end, high end) of the default questions' words (cogtrain/text/).
CHECKIN_TEXT = {
    "hours_slept": ("checkin.hours_slept", "checkin.hours_slept_low", "checkin.hours_slept_high"),
    "fatigue_now": ("fatigue.prompt", "fatigue.low", "fatigue.high"),
    "ms_change": ("checkin.ms_change", None, None),
}
#: The default check-in: sleep, fatigue now, and any change in the participant's MS or its treatment.
DEFAULT_CHECKIN = (
    {"id": "hours_slept", "low": 0, "high": 12},
    {"id": "fatigue_now", "low": 0, "high": 10},
    {"id": "ms_change", "kind": "yes_no"},
)


class CheckinSettings(_Strict):
    """Self-paced questions at the start of each session (see docs/programme.md)."""

    enabled: bool = Field(False, description="Ask the check-in questions when a session starts.")
    questions: list[CheckinQuestion] = Field(
        default_factory=lambda: [CheckinQuestion(**q) for q in DEFAULT_CHECKIN], min_length=1, max_length=10)

    @field_validator("questions")
    @classmethod
    def _unique(cls, questions: list[CheckinQuestion]) -> list[CheckinQuestion]:
        ids = [q.id for q in questions]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"question id(s) {', '.join(repeated)} used twice; give each question its own id")
        return questions


class BreakSettings(_Strict):
    """Breaks between tasks."""

    between_tasks: bool = True
    fatigue_rating: bool = Field(True, description="Ask for a 0-10 fatigue rating at each break.")
    min_duration_s: float = Field(0.0, ge=0, le=3600,
                                  description="Shortest break before continuing is allowed (0: self-paced).")


class SimulationSettings(_Strict):
    """The simulated participant used by ``--simulate``."""

    ability: dict[str, typing.Annotated[float, Field(gt=0, allow_inf_nan=False, strict=True)]] = Field(
        default_factory=dict, description="Per task: difficulty level at threshold (a positive number).")
    rt_median_s: float = Field(0.65, gt=0.05, le=10)
    rt_sigma: float = Field(0.3, ge=0, le=2, description="SD of log RT.")
    lapse_rate: float = Field(0.03, ge=0, le=0.5)
    reading_s: float = Field(4.0, ge=0, le=120, description="Time spent on each instruction page.")


class TrainingPlan(_Strict):
    """The planned training dose, for adherence in reports."""

    sessions_per_week: float = Field(3, gt=0, le=14)
    minutes_per_session: float = Field(30, gt=0, le=240)
    weeks: int = Field(8, ge=1, le=104)


class DatasetSettings(_Strict):
    """Who collected the study's data, written into exports (BIDS ``dataset_description.json`` and sidecars)."""

    authors: list[str] = Field([], description="People who collected the data, as they want to be cited.")
    license: str = Field("", description="Licence of the data, e.g. 'CC0' or 'CC-BY-4.0'.")
    institution_name: str = Field("", description="Institution in charge of the testing.")
    institution_address: str = Field("", description="Its postal address.")
    institution_department: str = Field("", description="Its department.")


class TaskEntry(_Strict):
    """One task of the battery and its overrides of the task's defaults."""

    task: str
    settings: dict[str, Any] = Field(default_factory=dict)


class BatteryConfig(_Strict):
    """A battery file as written by a researcher."""

    name: str = Field(min_length=1)
    description: str = ""
    language: str = Field(REFERENCE, description="Language of the participant's screens: the tag of a catalogue "
                                                 "in cogtrain/text/ (docs/translating.md).")
    purpose: Literal["training", "assessment"] = Field(
        "training", description="training: practice sessions; assessment: fixed-difficulty outcome measures at "
                                "study visits, whose carried state (forms used) is kept apart from training's.")
    display: DisplaySettings = Field(default_factory=DisplaySettings)
    keys: KeySettings = Field(default_factory=KeySettings)
    order: Literal["fixed", "random", "latin_square"] = Field(
        "fixed", description="Task order: as listed, seeded random per session, or a Latin square row per participant.")
    tasks: list[TaskEntry] = Field(min_length=1)
    breaks: BreakSettings = Field(default_factory=BreakSettings)
    checkin: CheckinSettings = Field(default_factory=CheckinSettings)
    simulation: SimulationSettings = Field(default_factory=SimulationSettings)
    plan: TrainingPlan | None = Field(
        None, description="The planned dose; without one, reports judge no adherence (none is assumed).")
    dataset: DatasetSettings = Field(default_factory=DatasetSettings,
                                     description="Authors, licence and institution for exported datasets.")
    reliable_change: ReliableChangeSettings = Field(
        default_factory=ReliableChangeSettings,
        description="Per 'task.metric': reference SD and test-retest reliability for the RCI in reports.")

    @field_validator("language")
    @classmethod
    def _catalogue(cls, language: str) -> str:
        if language not in available_languages():
            raise ValueError(f"no catalogue cogtrain/text/{language}.yaml; available: "
                             f"{', '.join(available_languages())}")
        return language


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

    def in_language(self, language: str) -> "Battery":
        """The same battery with the participant's screens in ``language`` (an enrolment's choice)."""
        return dataclasses.replace(self, config=self.config.model_copy(update={"language": language}))

    def resolved(self) -> dict[str, Any]:
        """The resolved configuration as plain data (for session.json)."""
        data = self.config.model_dump(mode="json", by_alias=True)
        for entry in data["tasks"]:
            entry["settings"] = self.task_settings[entry["task"]].model_dump(mode="json", by_alias=True)
        return data


def deep_merge(base: dict, override: dict) -> dict:
    """Return ``base`` updated by ``override``, merging nested mappings.

    A duration in one unit replaces the same duration in the other (``isi_frames``
    overrides a default ``isi_ms``).
    """
    merged = dict(base)
    for key in override:
        other = other_unit(key)
        if other is not None and other not in override:
            merged.pop(other, None)
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
    blame = None
    if profile is not None:
        prof = _validate(ProfileConfig, load_yaml_mapping(profile), Path(profile), problems)
        if prof is not None:
            blame = _profile_blame(path, Path(profile), prof, raw.get("tasks"))
            problems += _profile_tasks_not_in_battery(path, Path(profile), prof, raw.get("tasks"))
            raw = _apply_profile(raw, prof)
    config = _validate(BatteryConfig, raw, path, problems, blame=blame)
    # Each task's settings are checked even when other sections have errors: all problems at once.
    entries = [(e.task, e.settings) for e in config.tasks] if config is not None else _raw_entries(raw)
    settings = _task_settings(entries, path, problems, blame)
    if config is not None:
        problems += _unknown_task_keys(config, path)
        problems += [f"{path}: {problem}" for problem in key_conflicts(config.keys, settings)]
    if problems:
        raise ConfigError(problems)
    return Battery(path=path, config=config, task_settings=settings)


def load_window_settings(path: Path, profile: Path | None = None) -> tuple[DisplaySettings, KeySettings, str]:
    """The display, keys and language of a battery (with a profile applied), without loading its tasks.

    A first screen opens sooner so (``cogtrain start``); :func:`load_battery`
    still checks the whole battery before a session runs.

    Raises
    ------
    ConfigError
        With every problem of the profile, the display, the keys or the language.
    """
    path = Path(path)
    raw = load_yaml_mapping(path)
    problems: list[str] = []
    if profile is not None:
        prof = _validate(ProfileConfig, load_yaml_mapping(profile), Path(profile), problems)
        if prof is not None:
            raw = _apply_profile(raw, prof)
    display = _validate(DisplaySettings, raw.get("display") or {}, path, problems, prefix=("display",))
    keys = _validate(KeySettings, raw.get("keys") or {}, path, problems, prefix=("keys",))
    language = raw.get("language", REFERENCE)
    if language not in available_languages():
        problems.append(f"{path}: language: {language!r} has no catalogue cogtrain/text/{language}.yaml; "
                        f"available: {', '.join(available_languages())}")
    if problems:
        raise ConfigError(problems)
    return display, keys, language


def _raw_entries(raw: dict) -> list[tuple[Any, dict]]:
    """(task, settings) of the well-formed task entries of a battery that failed validation elsewhere."""
    tasks = raw.get("tasks")
    if not isinstance(tasks, list):
        return []
    return [(e.get("task"), e.get("settings") or {})
            if isinstance(e, dict) and isinstance(e.get("settings") or {}, dict) else (None, {}) for e in tasks]


def _task_settings(entries: list[tuple[Any, dict]], path: Path, problems: list[str],
                   blame: Blame | None) -> dict[str, TaskSettings]:
    """Validate each task entry's settings over the task's defaults; problems are added to ``problems``."""
    tasks = all_tasks()
    settings: dict[str, TaskSettings] = {}
    seen: set[str] = set()
    for i, (task, overrides) in enumerate(entries):
        where = f"tasks[{i}]"
        if not isinstance(task, str):
            continue  # malformed entry: already reported by the battery's own validation
        if task not in tasks:
            problems.append(f"{path}: {where}.task: unknown task {task!r}{_suggest(task, list(tasks))}; "
                            f"known tasks: {', '.join(tasks)}")
            continue
        if task in seen:
            problems.append(f"{path}: {where}.task: {task!r} is listed twice; list each task once")
            continue
        seen.add(task)
        spec = tasks[task]
        model = _validate(spec.settings_model, deep_merge(load_yaml_mapping(spec.defaults), overrides), path,
                          problems, prefix=("tasks", i, "settings"), blame=blame)
        if model is not None:
            settings[task] = model
    return settings


def _unknown_task_keys(config: BatteryConfig, path: Path) -> list[str]:
    """Problems of keys naming a task that is not registered (simulation abilities, reliable change)."""
    tasks = list(all_tasks())
    problems = [f"{path}: {_key_path(('simulation', 'ability', task))}: unknown task{_suggest(task, tasks)}"
                for task in config.simulation.ability if task not in tasks]
    for key in config.reliable_change.root:
        task = key.partition(".")[0]
        if task not in tasks:
            problems.append(f"{path}: {_key_path(('reliable_change', key))}: unknown task {task!r}"
                            f"{_suggest(task, tasks)}")
    return problems


def _profile_tasks_not_in_battery(path: Path, profile_path: Path, profile: ProfileConfig, tasks: Any) -> list[str]:
    """A profile's settings for a task the battery does not run would be lost: each is a problem."""
    listed = [e.get("task") for e in tasks if isinstance(e, dict)] if isinstance(tasks, list) else []
    return [f"{profile_path}: {_key_path(('task_settings', task))}: task {task!r} is not in the battery {path} "
            f"(its tasks: {', '.join(map(str, listed)) or 'none'}){_suggest(task, [str(t) for t in listed])}; "
            "these settings would be lost"
            for task in profile.task_settings if task not in listed]


def load_profile(path: Path) -> ProfileConfig:
    """Read and validate a participant profile on its own.

    Raises
    ------
    ConfigError
        With every problem found, each naming the file, key path and value.
    """
    problems: list[str] = []
    profile = _validate(ProfileConfig, load_yaml_mapping(path), Path(path), problems)
    if profile is None:
        raise ConfigError(problems)
    return profile


def _apply_profile(raw: dict, profile: ProfileConfig) -> dict:
    display = profile.display
    if isinstance(display.get("preset"), str):  # the profile's preset outranks the battery's display keys
        display = {**PRESETS.get(display["preset"], {}), **display}
    merged = deep_merge(raw, {k: v for k, v in (("display", display), ("keys", profile.keys),
                                                 ("breaks", profile.breaks)) if v})
    if profile.task_settings and isinstance(merged.get("tasks"), list):
        merged["tasks"] = [
            {**entry, "settings": deep_merge(entry.get("settings") or {},
                                             profile.task_settings.get(entry.get("task"), {}))}
            if isinstance(entry, dict) else entry
            for entry in merged["tasks"]
        ]
    return merged


#: Maps a key path of the merged battery to the file and key path the value came from.
Blame = Callable[[tuple], tuple[Path, tuple]]


def _profile_blame(path: Path, profile_path: Path, profile: ProfileConfig, tasks: Any) -> Blame:
    """Name the profile, and its own key path, for values the profile set."""
    names = [e.get("task") if isinstance(e, dict) else None for e in tasks] if isinstance(tasks, list) else []

    def blame(loc: tuple) -> tuple[Path, tuple]:
        if len(loc) > 1 and loc[0] in ("display", "keys", "breaks") and loc[1] in getattr(profile, loc[0]):
            return profile_path, loc
        if len(loc) > 3 and loc[0] == "tasks" and loc[2] == "settings" and isinstance(loc[1], int) \
                and loc[1] < len(names) and loc[3] in profile.task_settings.get(names[loc[1]], {}):
            return profile_path, ("task_settings", names[loc[1]]) + loc[3:]
        return path, loc

    return blame


def _validate(model: type[BaseModel], data: Any, path: Path, problems: list[str],
              prefix: tuple = (), blame: Blame | None = None) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            full = prefix + tuple(err["loc"])
            where, shown = blame(full) if blame else (path, full)
            problems.append(_describe(model, err, where, shown))
        return None


def _describe(model: type[BaseModel], err: dict, path: Path, shown: tuple) -> str:
    loc = tuple(err["loc"])
    key = _key_path(shown) or "(top level)"
    if err["type"] == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = _suggest(str(loc[-1]), allowed)
        known = f"; allowed keys: {', '.join(allowed)}" if allowed and not hint else ""
        return f"{path}: {key}: unknown key{hint}{known}"
    if err["type"] == "missing":
        return f"{path}: {key}: required key is missing"
    msg = err["msg"].replace("Value error, ", "")
    value = err.get("input")
    if err["type"] == "value_error" and isinstance(value, dict):  # a check across keys: the message names them
        return f"{path}: {key}: {msg}"
    return f"{path}: {key}: {_short(value)} is not valid ({msg})"


def _key_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            if not text.isprintable() or len(text) > 60:  # a key with a line break or a very long key
                text = _short(text)
            out += f".{text}" if out else text
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
