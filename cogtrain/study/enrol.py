"""Study participants: enrolment with allocation, and which session is due next.

Enrolling in a study allocates an arm and a task order (see
:mod:`cogtrain.study.allocation`) and writes the participant's record
(:mod:`cogtrain.enrolment`) with the arm's battery, the arm under the key
``arm``, and under ``study`` the study file, stratum and task order. Each
later session is the visit or training session the schedule says is due.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cogtrain.config import Battery, load_battery
from cogtrain.enrolment import STUDY_KEY, Enrolment, enrol, load_enrolment
from cogtrain.errors import CogtrainError, ConfigError, UsageError
from cogtrain.files import read_json
from cogtrain.paths import existing_sessions, participant_dir
from cogtrain.session import is_unfinished, last_record
from cogtrain.study.allocation import Allocation, AllocationLog
from cogtrain.study.config import Study, load_study
from cogtrain.study.schedule import Due, PastSession, next_due



def enrol_in_study(study: Study, data_dir: Path, participant: str, strata: dict[str, str],
                   profile: Path | None = None, language: str | None = None,
                   now: datetime | None = None) -> Allocation:
    """Allocate ``participant`` (stratum from ``strata``), log it, and write their record.

    Everything that can be checked is checked before the allocation is drawn,
    so a refused enrolment never uses up a place in a block.

    Raises
    ------
    UsageError
        If the participant is already enrolled or allocated, or the strata do not fit the study.
    ConfigError
        If the profile does not validate with every arm's battery and the assessment battery.
    """
    if load_enrolment(data_dir, participant) is not None:
        raise UsageError(f"participant {participant} is already enrolled; see 'cogtrain participant {participant}'")
    for battery in [*study.arms.values(), study.assessment]:
        try:
            load_battery(battery.path, profile=profile)  # refused now rather than at a session
        except ConfigError as exc:
            raise ConfigError([f"{problem} (with the study's battery {battery.path})"
                               for problem in exc.problems]) from None
    allocation = AllocationLog(data_dir).allocate(study, participant, strata, now=now)
    enrol(data_dir, participant, study.path.parent / study.config.arms[allocation.arm].battery,
          profile_path=profile, arm=allocation.arm, language=language,
          extra={STUDY_KEY: {"file": str(study.path.resolve()), "name": study.config.name,
                             "stratum": allocation.stratum, "task_order": allocation.task_order,
                             "order_row": allocation.order_row, "allocated": allocation.allocated}})
    return allocation


@dataclass(frozen=True)
class StudySession:
    """The session due for a study participant: what, with which battery, and how to record it."""

    due: Due
    battery: Battery | None
    arm: str
    task_order: tuple[str, ...] | None


def study_session(data_dir: Path, record: Enrolment, today: date,
                  continuing: tuple[int, str | None] | None = None) -> StudySession:
    """The session ``record``'s participant is due on ``today`` (a visit, training, or nothing).

    Training uses the enrolled battery (and profile) in the allocated task
    order; visits use the study's assessment battery in its own order.
    ``continuing`` is an unfinished session to go on with, as ``(number, visit)``
    (see :func:`unfinished_session`): it is what is due, whatever the schedule says.

    Raises
    ------
    UsageError
        If the participant withdrew.
    CogtrainError
        If the record's study file cannot be loaded.
    """
    entry = record.data.get(STUDY_KEY)
    if not isinstance(entry, dict) or "file" not in entry:
        raise CogtrainError(f"{record.folder}: the record names no study file")
    record.refuse_if_withdrawn()
    study = load_study(Path(entry["file"]))
    arm = str(record.arm)
    if continuing is not None:
        number, visit = continuing
        due = (Due("visit", visit, study.assessment, f"continuing session {number}, the {visit} visit")
               if visit else Due("training", None, None, f"continuing session {number}, training"))
    else:
        due = next_due(study, arm, past_sessions(data_dir, record.participant), today)
    if due.kind == "training":
        return StudySession(due, record.battery(), arm, tuple(entry.get("task_order") or ()) or None)
    return StudySession(due, due.battery, arm, None)


def unfinished_session(data_dir: Path, participant: str) -> tuple[int, str | None] | None:
    """The participant's last session as ``(number, visit)`` if a plain run continues it, else None."""
    last = last_record(data_dir, participant)
    if not is_unfinished(last):
        return None
    visit = last.data.get("visit")
    return int(last.data["session"]), (str(visit) if visit else None)


def past_sessions(data_dir: Path, participant: str) -> list[PastSession]:
    """The participant's complete sessions, with their date and visit, from each ``session.json``."""
    sub = participant_dir(data_dir, participant)
    past = []
    for number in existing_sessions(sub):
        meta = read_json(sub / f"ses-{number:03d}" / "session.json")
        if not isinstance(meta, dict) or meta.get("status") != "complete":
            continue
        try:
            day = datetime.fromisoformat(str(meta.get("started"))).date()
        except ValueError:
            raise CogtrainError(f"{sub}/ses-{number:03d}/session.json: 'started' is not a date and time "
                                f"({meta.get('started')!r}); the visit schedule needs it") from None
        past.append(PastSession(number, day, meta.get("visit") or None))
    return past
