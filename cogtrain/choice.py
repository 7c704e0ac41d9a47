"""Which battery and profile a participant's next session runs, and why (``run`` and ``start`` share it).

A participant who is not enrolled runs the CONFIG given. An enrolled one runs
the enrolled battery and profile; a study participant runs what the study's
schedule says is due today: the assessment battery (with the enrolled
profile) at a visit, the arm's battery in the allocated task order otherwise.
An unfinished session is continued with the battery it started with, unless
a new session is asked for. Other settings than these are refused unless
overridden with a reason. See docs/cli.md (``run``) and docs/study.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cogtrain.config import Battery, load_battery
from cogtrain.enrolment import Enrolment, first_difference, load_enrolment, resolved_profile, settings_hash
from cogtrain.errors import UsageError


@dataclass(frozen=True)
class Choice:
    """The settings of the next session and what a study says about it.

    Attributes
    ----------
    battery : Battery
        The battery to run, with the profile applied.
    settings : dict
        Where the settings came from, for session.json (``SessionRequest.settings``).
    arm, visit : str or None
        The study arm, and the visit this session is (None: training or no study).
    task_order : tuple of str or None
        The study's counterbalanced task order (None: the battery's own rule).
    due : str or None
        One line for the researcher saying which study session this is.
    """

    battery: Battery
    settings: dict[str, Any]
    arm: str | None = None
    visit: str | None = None
    task_order: tuple[str, ...] | None = None
    due: str | None = field(default=None)


@dataclass(frozen=True)
class _Expected:
    """The battery file an enrolled participant should run now, and its study context."""

    battery_file: Path
    arm: str | None
    visit: str | None = None
    task_order: tuple[str, ...] | None = None
    due: str | None = None


def choose(data_dir: Path, participant: str, config: Path | None = None, profile: Path | None = None,
           override: bool = False, reason: str | None = None, new_session: bool = False,
           today: date | None = None) -> Choice:
    """The battery (with profile) the participant's next session uses, and its provenance.

    Parameters
    ----------
    data_dir : Path
        The data folder.
    participant : str
        The participant ID.
    config, profile : Path or None
        A battery or profile given on the command line (None: the enrolled ones).
    override : bool
        Run an enrolled participant with another ``config`` or ``profile``; needs ``reason``.
    reason : str or None
        Why settings are overridden.
    new_session : bool
        A new session is asked for: an unfinished one is not continued, so a
        study participant runs what is due today.
    today : date or None
        The day of the session, for a study's schedule (default: today).

    Raises
    ------
    UsageError
        If the participant is not enrolled and no ``config`` is given, if other
        settings are given without ``override`` and ``reason``, or if a study
        participant has nothing due.
    """
    enrolment = load_enrolment(data_dir, participant)
    if enrolment is None:
        if config is None:
            raise UsageError(f"participant {participant} is not enrolled in {data_dir}: give a CONFIG, "
                             f"or enrol them first with 'cogtrain enrol {participant} --battery CONFIG'")
        if override:
            raise UsageError(f"--override: participant {participant} is not enrolled; there is nothing to override")
        return _choice(config, profile, None, _Expected(config, None))
    enrolment.refuse_if_withdrawn()
    expected = _expected(data_dir, enrolment, new_session, today or date.today())
    differences = []
    if config is not None:
        found = first_difference(load_battery(config).resolved(), load_battery(expected.battery_file).resolved())
        if found:
            differences.append(f"battery {config} differs from the {_what(expected)} ({found})")
    if profile is not None:
        found = first_difference(resolved_profile(profile), resolved_profile(enrolment.profile_file))
        if found:
            differences.append(f"profile {profile} differs from the enrolled one ({found})")
    if differences and not override:
        raise UsageError(f"participant {participant} is enrolled with other settings: {'; '.join(differences)}; "
                         "leave out CONFIG and --profile to use the enrolled ones, or add --override --reason TEXT")
    overridden = None
    if override:
        if not differences:
            raise UsageError("--override: CONFIG and --profile are the enrolled ones; there is nothing to override")
        if not (reason or "").strip():
            raise UsageError("--override needs --reason TEXT saying why other settings are used")
        overridden = {"reason": reason.strip(), "difference": "; ".join(differences)}
    return _choice(config or expected.battery_file, profile or enrolment.profile_file, overridden, expected,
                   enrolment.language)


def _choice(battery_path: Path, profile_path: Path | None, override: dict | None, expected: _Expected,
            language: str | None = None) -> Choice:
    """Load the battery with the profile (in the enrolled ``language``, if any) and record where both came from."""
    profile = resolved_profile(profile_path)
    settings = {"battery_sha256": settings_hash(load_battery(battery_path).resolved()),
                "profile": None if profile is None else {"path": str(profile_path), "sha256": settings_hash(profile)},
                "override": override}
    battery = load_battery(battery_path, profile=profile_path)
    if language is not None:
        battery = battery.in_language(language)
    return Choice(battery, settings, expected.arm, expected.visit, expected.task_order, expected.due)


def _what(expected: _Expected) -> str:
    """How the expected battery is named in a refusal."""
    return f"{expected.visit} visit's assessment battery" if expected.visit else "enrolled one"


def _expected(data_dir: Path, enrolment: Enrolment, new_session: bool, today: date) -> _Expected:
    """The enrolled battery, or for a study participant the session the schedule makes due."""
    from cogtrain.study.enrol import study_session, unfinished_session

    if not enrolment.in_study:
        return _Expected(enrolment.battery_file, enrolment.arm)
    unfinished = None if new_session else unfinished_session(data_dir, enrolment.participant)
    due = study_session(data_dir, enrolment, today, continuing=unfinished)
    if due.battery is None:
        raise UsageError(f"participant {enrolment.participant}: {due.due.text}")
    battery_file = enrolment.battery_file if due.due.kind == "training" else due.battery.path
    return _Expected(battery_file, due.arm, due.due.visit if due.due.kind == "visit" else None,
                     due.task_order, due.due.text)
