"""``study.yaml``: arms, allocation, counterbalancing and the visit schedule, validated at load.

A study names a battery per arm, how participants are allocated to arms
(permuted blocks within strata), which tasks are counterbalanced, and the
assessment visits with the training dose between them. Battery paths are
relative to the study file. Unknown keys are errors, as in battery files.
See ``configs/example_study.yaml`` for a documented example.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from cogtrain.config import Battery, _suggest, _validate, load_battery
from cogtrain.errors import ConfigError
from cogtrain.registry import all_tasks
from cogtrain.scoring.reliable import ReliableChangeSettings
from cogtrain.strict import StrictModel
from cogtrain.yamlio import load_yaml_mapping

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")


def _identifier(value: str) -> str:
    if not _NAME.match(value):
        raise ValueError("expected a name of letters, digits and _ starting with a letter (at most 32)")
    return value


Name = Annotated[str, AfterValidator(_identifier)]


class Arm(StrictModel):
    """One arm of the study: the battery its participants train with."""

    battery: Path = Field(description="Battery file, relative to the study file.")
    label: str = Field("", max_length=80, description="Name shown in reports (default: the arm's key).")
    ratio: int = Field(1, ge=1, le=10, description="Allocation weight: 2 allocates twice as many as an arm of 1.")


class Allocation(StrictModel):
    """Permuted-block randomisation within strata."""

    block_sizes: list[int] = Field([4], min_length=1,
                                   description="Block sizes drawn at random; each a multiple of the sum of ratios.")
    strata: dict[Name, list[Name]] = Field(
        default_factory=dict, description="Stratification factors and their levels, e.g. site: [A, B].")

    @model_validator(mode="after")
    def _levels(self) -> "Allocation":
        for factor, levels in self.strata.items():
            if len(levels) < 1 or len(set(levels)) != len(levels):
                raise ValueError(f"strata.{factor}: list each level once, at least one level")
        if any(size < 1 or size > 100 for size in self.block_sizes):
            raise ValueError("block_sizes: each block size must be 1 to 100")
        return self


class Counterbalance(StrictModel):
    """Which tasks get Williams-design orders by enrolment order within each arm."""

    tasks: list[str] | None = Field(
        None, description="Tasks whose order is counterbalanced (default: every task of the arm's battery); "
                          "other tasks keep their listed place.")


class Visit(StrictModel):
    """An assessment visit: when it is due and the training that precedes it."""

    name: Name
    day: int = Field(ge=0, le=3650, description="Target day, counted from the first visit (day 0).")
    window: tuple[int, int] = Field((0, 14), description="Days allowed before and after the target day.")
    training_before: int = Field(0, ge=0, le=1000,
                                 description="Training sessions between the previous visit and this one.")

    @model_validator(mode="after")
    def _window(self) -> "Visit":
        if min(self.window) < 0:
            raise ValueError(f"window: {list(self.window)}: expected [days before, days after], each >= 0")
        return self


class Schedule(StrictModel):
    """Assessment visits and the battery used at them."""

    assessment: Path = Field(description="Assessment battery (fixed difficulty, alternate forms), relative "
                                         "to the study file.")
    visits: list[Visit] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> "Schedule":
        names = [v.name for v in self.visits]
        if len(set(names)) != len(names):
            raise ValueError(f"visits: names must differ, got {names}")
        if self.visits[0].day != 0 or self.visits[0].training_before:
            raise ValueError("visits[0]: the first visit (baseline) is day 0 with no training before it")
        days = [v.day for v in self.visits]
        if days != sorted(set(days)):
            raise ValueError(f"visits: days must increase, got {days}")
        return self

    @property
    def training_sessions(self) -> int:
        """The whole training dose (sessions) of the study."""
        return sum(v.training_before for v in self.visits)


class AnalysisSettings(StrictModel):
    """Metrics of the group analysis, each ``"task.metric"``."""

    training: list[str] = Field(default_factory=list,
                                description="Metrics followed over training sessions (trajectories).")
    outcomes: list[str] = Field(default_factory=list,
                                description="Metrics compared between arms at assessment visits.")
    reference_arm: Name | None = Field(None, description="The arm the others are compared with (default: the "
                                                         "last arm listed, e.g. the control).")


class StudySimulation(StrictModel):
    """The simulated study of ``cogtrain demo --study``."""

    participants_per_arm: int = Field(12, ge=2, le=500)
    training_sessions: int | None = Field(
        None, ge=1, le=1000, description="Shortens each training dose of the schedule to at most this many "
                                         "sessions in the simulation (default: the schedule's dose).")
    ability: dict[str, float] = Field(
        default_factory=dict, description="Per task: mean starting ability of simulated participants "
                                          "(default: each battery's simulation.ability).")
    learning_rate: dict[Name, float] = Field(
        default_factory=dict, description="Per arm: relative gain in ability per training session "
                                          "(0.04 = +4 % of the starting ability per session).")
    ability_spread: float = Field(0.15, ge=0, le=0.5,
                                  description="Between-participant SD of starting ability, relative to the "
                                              "battery's simulated ability.")
    seed: int = Field(2026, ge=0, description="Seed of the simulated participants (not of the allocation).")


class StudyConfig(StrictModel):
    """A study file as written by a researcher."""

    name: str = Field(min_length=1)
    description: str = ""
    arms: dict[Name, Arm] = Field(min_length=2)
    allocation: Allocation = Field(default_factory=Allocation)
    counterbalance: Counterbalance = Field(default_factory=Counterbalance)
    schedule: Schedule
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)
    simulation: StudySimulation = Field(default_factory=StudySimulation)
    reliable_change: ReliableChangeSettings = Field(
        default_factory=ReliableChangeSettings,
        description="Published reference SD and test-retest reliability per 'task.metric' for responder "
                    "analysis (default: estimated from the study's own data, labelled sample-based).")

    @model_validator(mode="after")
    def _consistent(self) -> "StudyConfig":
        total = sum(arm.ratio for arm in self.arms.values())
        bad = [size for size in self.allocation.block_sizes if size % total]
        if bad:
            raise ValueError(f"allocation.block_sizes: {bad} not a multiple of {total}, the sum of the arms' "
                             "ratios (a block must hold every arm in its ratio)")
        unknown = sorted(set(self.simulation.learning_rate) - set(self.arms))
        if unknown:
            raise ValueError(f"simulation.learning_rate: unknown arm(s) {unknown}; arms: {sorted(self.arms)}")
        reference = self.analysis.reference_arm
        if reference is not None and reference not in self.arms:
            raise ValueError(f"analysis.reference_arm: {reference!r} is not an arm; arms: {sorted(self.arms)}")
        return self


@dataclass(frozen=True)
class Study:
    """A loaded study: its validated file, each arm's battery and the assessment battery."""

    path: Path
    config: StudyConfig
    arms: dict[str, Battery]
    assessment: Battery

    @property
    def reference_arm(self) -> str:
        """The arm the others are compared with."""
        return self.config.analysis.reference_arm or list(self.config.arms)[-1]

    def arm_label(self, arm: str) -> str:
        """The arm's name for people."""
        return self.config.arms[arm].label or arm

    def counterbalanced(self, arm: str) -> list[str]:
        """Tasks of ``arm`` whose order is counterbalanced, in listed order."""
        chosen = self.config.counterbalance.tasks
        names = self.arms[arm].task_names
        return names if chosen is None else [n for n in names if n in chosen]


def is_study_file(path: Path) -> bool:
    """Whether ``path`` is a readable YAML mapping with a study's ``arms`` and ``schedule`` keys."""
    try:
        raw = load_yaml_mapping(Path(path))
    except ConfigError:
        return False
    return "arms" in raw and "schedule" in raw


def load_study(path: Path) -> Study:
    """Read and validate a study file and every battery it names.

    Raises
    ------
    ConfigError
        With every problem found, each naming the file, key path, value and expectation.
    """
    path = Path(path)
    problems: list[str] = []
    config = _validate(StudyConfig, load_yaml_mapping(path), path, problems)
    if config is None:
        raise ConfigError(problems)
    arms = {name: _battery(path, ("arms", name, "battery"), arm.battery, problems)
            for name, arm in config.arms.items()}
    assessment = _battery(path, ("schedule", "assessment"), config.schedule.assessment, problems)
    if config.counterbalance.tasks is not None:
        for name, battery in arms.items():
            missing = sorted(set(config.counterbalance.tasks) - set(battery.task_names if battery else ()))
            if battery and missing:
                problems.append(f"{path}: counterbalance.tasks: {missing} not in arm {name!r}'s battery "
                                f"(its tasks: {', '.join(battery.task_names)})")
    problems += _unknown_metrics(path, config)
    if problems:
        raise ConfigError(problems)
    return Study(path=path, config=config, arms=arms, assessment=assessment)


def _battery(study: Path, key: tuple[str, ...], relative: Path, problems: list[str]) -> Battery | None:
    where = study.parent / relative
    try:
        battery = load_battery(where)
    except ConfigError as exc:
        problems.extend(f"{study}: {'.'.join(key)}: {problem}" for problem in exc.problems)
        return None
    expected = "assessment" if key[0] == "schedule" else "training"
    if battery.config.purpose != expected:
        problems.append(f"{study}: {'.'.join(key)}: {where} has purpose: {battery.config.purpose}; expected "
                        f"purpose: {expected}")
    return battery


def _unknown_metrics(path: Path, config: StudyConfig) -> list[str]:
    """One problem per analysis metric or simulated ability naming no registered task or metric."""
    tasks = all_tasks()
    problems = [f"{path}: simulation.ability.{task}: unknown task{_suggest(task, list(tasks))}"
                for task in config.simulation.ability if task not in tasks]
    for key in ("training", "outcomes"):
        for i, name in enumerate(getattr(config.analysis, key)):
            task, _, metric = name.partition(".")
            known = [f"{t}.{m.name}" for t, spec in tasks.items() for m in spec.metrics]
            if name not in known:
                problems.append(f"{path}: analysis.{key}[{i}]: {name!r} is not a 'task.metric' of a registered "
                                f"task{_suggest(name, known)}")
    return problems
