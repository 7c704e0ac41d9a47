"""The participant's record: enrolled battery and profile, plan, arm, and an audit log of changes.

Files under ``DATA_DIR/sub-<ID>/`` (see docs/programme.md):

``participant.json``
    participant, created date, arm, language, plan, and for the battery and the
    profile: the file they were read from and the SHA-256 of their resolved settings.
``battery.yaml``, ``profile.yaml``
    Resolved copies: every task setting written out, so that the participant keeps
    the same settings whatever later changes to the source files or task defaults.
``audit.jsonl``
    Append-only: one JSON line per change (date, OS user, old and new hash, reason).
"""
from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from cogtrain.config import Battery, load_battery, load_profile
from cogtrain.errors import CogtrainError, UsageError
from cogtrain.files import append_json_line, read_json, read_json_lines, write_json_atomic, write_text_atomic
from cogtrain.paths import participant_dir
from cogtrain.text import available as available_languages

#: Key of the participant record holding a study enrolment (see cogtrain.study.enrol).
STUDY_KEY = "study"
RECORD_FILE = "participant.json"
BATTERY_COPY = "battery.yaml"
PROFILE_COPY = "profile.yaml"
AUDIT_LOG = "audit.jsonl"
#: A language tag such as ``en``, ``de`` or ``pt-BR`` (BCP 47 language and region).
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")


def settings_hash(settings: dict[str, Any] | None) -> str | None:
    """SHA-256 of resolved settings as canonical JSON (sorted keys), or None for no settings.

    >>> settings_hash({"b": 1, "a": [1.5]}) == settings_hash({"a": [1.5], "b": 1})
    True
    """
    if settings is None:
        return None
    text = json.dumps(settings, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resolved_profile(path: Path | None) -> dict[str, Any] | None:
    """The validated settings of a profile file (None for no profile)."""
    return None if path is None else load_profile(path).model_dump(mode="json", exclude_unset=True)


def first_difference(ours: Any, theirs: Any, where: str = "") -> str | None:
    """The first key path where two settings trees differ, with both values, or None if equal.

    >>> first_difference({"a": {"b": 1}}, {"a": {"b": 2}})
    'a.b: 1 instead of 2'
    """
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in [*ours, *(k for k in theirs if k not in ours)]:
            found = first_difference(ours.get(key), theirs.get(key), f"{where}.{key}" if where else str(key))
            if found:
                return found
        return None
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for i, (a, b) in enumerate(zip(ours, theirs)):
            found = first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        return None
    if ours == theirs:
        return None
    return f"{where or '(whole file)'}: {_short(ours)} instead of {_short(theirs)}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if value is not None else "(not set)"
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass(frozen=True)
class Plan:
    """The planned dose: sessions a week, minutes a session, weeks."""

    sessions_per_week: float
    minutes_per_session: float
    weeks: int

    @property
    def sessions(self) -> int:
        """Sessions planned in all (at least one)."""
        return max(1, round(self.sessions_per_week * self.weeks))

    def as_dict(self) -> dict[str, Any]:
        """The plan as stored in ``participant.json``."""
        return {"sessions_per_week": self.sessions_per_week, "minutes_per_session": self.minutes_per_session,
                "weeks": self.weeks, "sessions": self.sessions}


@dataclass(frozen=True)
class Enrolment:
    """A participant's record as read from ``sub-<ID>/participant.json``."""

    folder: Path
    data: dict[str, Any]

    @property
    def participant(self) -> str:
        """The participant ID."""
        return str(self.data["participant"])

    @property
    def battery_file(self) -> Path:
        """The resolved copy of the enrolled battery."""
        return self.folder / BATTERY_COPY

    @property
    def profile_file(self) -> Path | None:
        """The resolved copy of the enrolled profile, or None when enrolled without one."""
        return self.folder / PROFILE_COPY if self.data.get("profile") else None

    @property
    def battery_hash(self) -> str:
        """SHA-256 of the enrolled battery's resolved settings."""
        return str(self.data["battery"]["sha256"])

    @property
    def profile_hash(self) -> str | None:
        """SHA-256 of the enrolled profile's settings (None without a profile)."""
        return (self.data.get("profile") or {}).get("sha256")

    @property
    def language(self) -> str | None:
        """The language of the participant's screens (None: the battery's); an error if it has no catalogue."""
        language = self.data.get("language")
        if language is not None and language not in available_languages():
            raise CogtrainError(f"{self.folder / RECORD_FILE}: language: {language!r} has no catalogue "
                                f"cogtrain/text/{language}.yaml; available: {', '.join(available_languages())}")
        return language

    @property
    def arm(self) -> str | None:
        """The study arm, if any."""
        return self.data.get("arm")

    @property
    def plan(self) -> Plan | None:
        """The planned dose (None when neither the battery nor the enrolment configured one)."""
        plan = self.data["plan"]
        return None if plan is None else Plan(plan["sessions_per_week"], plan["minutes_per_session"], plan["weeks"])

    @property
    def in_study(self) -> bool:
        """Whether the participant was enrolled in a study (their record holds :data:`STUDY_KEY`)."""
        return STUDY_KEY in self.data

    def refuse_if_withdrawn(self) -> None:
        """Raise :class:`UsageError` if the participant withdrew: they run no further sessions."""
        withdrawn = self.data.get("withdrawn")
        if withdrawn:
            raise UsageError(f"participant {self.participant} withdrew on {withdrawn.get('date')} "
                             f"({withdrawn.get('reason')}); no further sessions")

    def battery(self) -> Battery:
        """The enrolled battery with the enrolled profile applied."""
        return load_battery(self.battery_file, profile=self.profile_file)

    def audit(self) -> list[dict[str, Any]]:
        """Every line of the audit log, oldest first."""
        return read_json_lines(self.folder / AUDIT_LOG, what="audit log")


def load_enrolment(data_dir: Path, participant: str) -> Enrolment | None:
    """The participant's record, or None if the participant is not enrolled.

    Raises
    ------
    CogtrainError
        If ``participant.json`` exists but is not a record of this participant.
    """
    folder = participant_dir(data_dir, participant)
    path = folder / RECORD_FILE
    if not path.exists():
        return None
    data = read_json(path)
    if not isinstance(data, dict) or data.get("participant") != participant \
            or not isinstance(data.get("battery"), dict) or not isinstance(data.get("plan", {}), (dict, type(None))):
        raise CogtrainError(f"{path}: not the cogtrain record of participant {participant} "
                            "(expected keys participant, battery, plan)")
    return Enrolment(folder, data)


def enrolled_participants(data_dir: Path) -> list[str]:
    """IDs of every enrolled participant in ``data_dir``, numbers in them in numeric order (P2 before P10)."""
    root = Path(data_dir)
    if not root.is_dir():
        return []
    return sorted((p.name[4:] for p in root.glob("sub-*") if (p / RECORD_FILE).is_file()), key=_natural)


def _natural(text: str) -> list[tuple[int, int | str]]:
    """Sort key putting runs of digits in numeric order.

    >>> sorted(["P10", "P2", "p1", "Q1"], key=_natural)
    ['p1', 'P2', 'P10', 'Q1']
    """
    return [(0, int(part)) if part.isdigit() else (1, part.lower()) for part in re.split(r"(\d+)", text) if part]


def enrol(data_dir: Path, participant: str, battery_path: Path, profile_path: Path | None = None,
          arm: str | None = None, language: str | None = None, plan: dict[str, float] | None = None,
          extra: dict[str, Any] | None = None) -> Enrolment:
    """Enrol a participant: validate the battery and profile, write their resolved copies and the record.

    Parameters
    ----------
    data_dir : Path
        The study's data folder.
    participant : str
        Participant ID (letters and digits).
    battery_path, profile_path : Path
        The battery YAML and, optionally, the participant's profile YAML.
    arm : str, optional
        Study arm, stored under the key ``arm``.
    language : str, optional
        Language tag of participant-facing text (``en``, ``pt-BR``).
    plan : dict, optional
        Any of ``sessions_per_week``, ``minutes_per_session``, ``weeks``; the rest
        comes from the battery's ``plan:``.
    extra : dict, optional
        Further keys of the record (for example a study's strata).

    Raises
    ------
    UsageError
        If the participant is already enrolled, or an option is malformed.
    ConfigError
        If the battery or the profile is invalid.
    """
    folder = participant_dir(data_dir, participant)
    if (folder / RECORD_FILE).exists():
        raise UsageError(f"{folder / RECORD_FILE}: participant {participant} is already enrolled; "
                         f"see it with 'cogtrain participant {participant}'")
    if language is not None and not LANGUAGE.fullmatch(language):
        raise UsageError(f"--language {language!r}: expected a language tag such as en, de or pt-BR")
    if language is not None and language not in available_languages():
        raise UsageError(f"--language {language!r}: no catalogue cogtrain/text/{language}.yaml; available: "
                         f"{', '.join(available_languages())} (docs/translating.md adds one)")
    if arm is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", arm):
        raise UsageError(f"--arm {arm!r}: use 1 to 64 letters, digits, '_' or '-'")
    battery = load_battery(battery_path)
    profile = resolved_profile(profile_path)
    if profile_path is not None:
        load_battery(battery_path, profile=profile_path)  # the pair must validate together too
    planned = _plan(battery, plan or {})
    resolved = battery.resolved()
    record = {
        "participant": participant,
        "created": _now(),
        "arm": arm,
        "language": language,
        "plan": None if planned is None else planned.as_dict(),
        "battery": {"source": str(battery_path), "name": battery.config.name, "sha256": settings_hash(resolved)},
        "profile": None if profile is None else {"source": str(profile_path), "sha256": settings_hash(profile)},
        **(extra or {}),
    }
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(folder / BATTERY_COPY, _yaml(resolved, f"battery {battery_path}"))
    if profile is not None:
        write_text_atomic(folder / PROFILE_COPY, _yaml(profile, f"profile {profile_path}"))
    _append_audit(folder, {"action": "enrol", "battery_sha256": record["battery"]["sha256"],
                           "profile_sha256": settings_hash(profile), "arm": arm})
    write_json_atomic(folder / RECORD_FILE, record)
    return Enrolment(folder, record)


def _plan(battery: Battery, options: dict[str, float]) -> Plan | None:
    """The battery's ``plan:`` with ``options`` over it; None if neither gives one.

    Raises
    ------
    UsageError
        If the battery has no plan and the options give only part of one.
    """
    if battery.config.plan is not None:
        return Plan(**{**battery.config.plan.model_dump(), **options})
    if not options:
        return None
    missing = [f"--{key.replace('_', '-')}" for key in ("sessions_per_week", "minutes_per_session", "weeks")
               if key not in options]
    if missing:
        raise UsageError(f"{battery.path} has no plan: give {', '.join(missing)} as well, or none of the plan options")
    return Plan(**options)


def set_profile(data_dir: Path, participant: str, profile_path: Path, reason: str) -> Enrolment:
    """Change the enrolled profile, logging date, OS user, old and new hash and ``reason``.

    Raises
    ------
    UsageError
        If the participant is not enrolled, the reason is empty, or the profile
        does not validate with the enrolled battery.
    """
    enrolment = require_enrolment(data_dir, participant)
    reason = reason.strip()
    if not reason:
        raise UsageError("--set-profile needs --reason TEXT saying why the profile changes")
    profile = resolved_profile(profile_path)
    load_battery(enrolment.battery_file, profile=profile_path)
    new_hash = settings_hash(profile)
    write_text_atomic(enrolment.folder / PROFILE_COPY, _yaml(profile, f"profile {profile_path}"))
    _append_audit(enrolment.folder, {"action": "set_profile", "old_sha256": enrolment.profile_hash,
                                     "new_sha256": new_hash, "reason": reason})
    data = {**enrolment.data, "profile": {"source": str(profile_path), "sha256": new_hash}}
    write_json_atomic(enrolment.folder / RECORD_FILE, data)
    return Enrolment(enrolment.folder, data)


def withdraw(data_dir: Path, participant: str, reason: str) -> Enrolment:
    """Record that the participant withdrew (date and ``reason`` under the key ``withdrawn``), and audit it.

    Raises
    ------
    UsageError
        If the participant is not enrolled, has already withdrawn, or the reason is empty.
    """
    enrolment = require_enrolment(data_dir, participant)
    reason = reason.strip()
    if not reason:
        raise UsageError("--withdraw needs --reason TEXT saying why the participant withdraws")
    earlier = enrolment.data.get("withdrawn")
    if earlier:
        raise UsageError(f"participant {participant} already withdrew on {earlier.get('date')}")
    _append_audit(enrolment.folder, {"action": "withdraw", "reason": reason})
    data = {**enrolment.data, "withdrawn": {"date": _now(), "reason": reason}}
    write_json_atomic(enrolment.folder / RECORD_FILE, data)
    return Enrolment(enrolment.folder, data)


def require_enrolment(data_dir: Path, participant: str) -> Enrolment:
    """The participant's record; :class:`UsageError` naming ``cogtrain enrol`` if there is none."""
    enrolment = load_enrolment(data_dir, participant)
    if enrolment is None:
        raise UsageError(f"participant {participant} is not enrolled in {data_dir}; "
                         f"enrol them with 'cogtrain enrol {participant} --battery CONFIG'")
    return enrolment


def _yaml(settings: dict[str, Any], source: str) -> str:
    header = (f"# Resolved copy of the {source}, written by cogtrain at enrolment.\n"
              "# The participant's sessions use this copy; change it with 'cogtrain participant --set-profile'.\n")
    return header + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)


def _append_audit(folder: Path, entry: dict[str, Any]) -> None:
    """Append one line to the audit log (never rewritten)."""
    append_json_line(folder / AUDIT_LOG, {"date": _now(), "user": _os_user(), **entry})


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): record the number
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
