"""``cogtrain start``: from a desktop icon to the end of a session in one window (docs/home-use.md).

The window opens on the start screen before the battery's tasks are loaded, so
that its first frame comes quickly (scripts/bench_timing.py measures it). The
session then runs in the same window through the session runner, which
continues an unfinished session by itself; the refresh rate is measured when
the participant chooses Start.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cogtrain.config import DisplaySettings, KeySettings, load_window_settings
from cogtrain.enrolment import Enrolment, enrolled_participants, require_enrolment
from cogtrain.errors import UsageError
from cogtrain.machine import load_machine
from cogtrain.paths import existing_sessions, participant_dir
from cogtrain.programme import StartInfo, last_day
from cogtrain.text import REFERENCE
from cogtrain.text import load as load_catalogue

#: Reason recorded when the researcher dialog starts a new session over an unfinished one.
NEW_SESSION_REASON = "a new session was chosen in the researcher dialog of cogtrain start"
#: The look of the screens shown before a participant is chosen.
CHOOSER_DISPLAY = {"preset": "large_print"}


@dataclass
class StartChoice:
    """What the start screens decided: who runs, where their data go, and the open window."""

    participant: str
    data: Path
    frontend: object
    new_session: bool = False
    handed_over: bool = False
    """The window was given to the session runner (which closes it)."""

    def factory(self, seed: int, start_s: float, session: int) -> object:
        """The session's frontend: this window, its refresh rate measured and its clock started."""
        self.handed_over = True
        self.frontend.measure_refresh()
        self.frontend.restart_clock(start_s)
        return self.frontend


def start_info(data: Path, participant: str, enrolment: Enrolment) -> StartInfo:
    """The start screen's facts from the participant's plan and session records.

    A study participant's session numbers count assessment visits as well, while
    the plan counts training: their start screen states no "of N" (docs/study.md).
    """
    from cogtrain.session import is_unfinished, last_record, session_records

    last = last_record(data, participant)
    continuing = is_unfinished(last)
    sessions = existing_sessions(participant_dir(data, participant))
    number = int(last.data["session"]) if continuing else (max(sessions) + 1 if sessions else 1)
    plan = enrolment.plan
    return StartInfo(session=number, planned=plan.sessions if plan and not enrolment.in_study else None,
                     minutes=plan.minutes_per_session if plan else None,
                     last=last_day(record for _, record in session_records(participant_dir(data, participant))
                                   if isinstance(record, dict)),
                     continuing=continuing)


def open_start(participant: str | None, data: Path | None, windowed: bool = False,
               screenshots: Path | None = None, researcher: bool = False) -> StartChoice | None:
    """Show the start screens; return the choice with its window open, or None for Not now.

    Without ``participant`` (here or in the machine set-up file) a chooser of the
    enrolled participants comes first; ``researcher`` shows the start dialog instead.

    Raises
    ------
    UsageError
        If nobody is enrolled in the data folder, or the participant is not enrolled.
    """
    machine = load_machine()
    data = Path(data or machine.data or "data")
    participant = participant or machine.participant
    new_session = False
    if participant is None or researcher:
        asked = _ask_who(data, participant, researcher, machine.language or REFERENCE, windowed, screenshots)
        if asked is None:
            return None
        participant, new_session = asked
    enrolment = require_enrolment(data, participant)
    enrolment.refuse_if_withdrawn()
    display, keys, language = load_window_settings(enrolment.battery_file, enrolment.profile_file)
    info = start_info(data, participant, enrolment)
    if new_session and info.continuing:
        info = StartInfo(info.session + 1, info.planned, info.minutes, info.last, continuing=False)
    from cogtrain.startview import menu
    from cogtrain.window import WindowFrontend

    fe = WindowFrontend(display, keys, windowed=windowed, screenshots=screenshots, refresh_probe=None,
                        catalogue=load_catalogue(enrolment.language or language))
    try:
        text = fe.catalogue.text
        if menu(fe, info.text(date.today(), fe.catalogue), [text("start.start"), text("start.not_now")],
                screen="start", preselect=0) != 0:
            fe.close()
            return None
    except BaseException:
        fe.close()
        raise
    return StartChoice(participant, data, fe, new_session=new_session)


def _ask_who(data: Path, participant: str | None, researcher: bool, language: str, windowed: bool,
             screenshots: Path | None) -> tuple[str, bool] | None:
    """``(participant, new session?)`` from the chooser or the researcher dialog; None if left."""
    everyone = enrolled_participants(data)
    if not everyone:
        raise UsageError(f"nobody is enrolled in {data}: enrol a participant with "
                         "'cogtrain enrol ID --battery CONFIG', or give the data folder with --data")
    if participant is not None and participant not in everyone:
        require_enrolment(data, participant)  # says what is wrong with this participant
    from cogtrain.startview import dialog, menu
    from cogtrain.window import WindowFrontend

    fe = WindowFrontend(DisplaySettings(**CHOOSER_DISPLAY), KeySettings(), windowed=windowed,
                        screenshots=screenshots, refresh_probe=None, catalogue=load_catalogue(language))
    try:
        if not researcher:
            index = menu(fe, fe.catalogue.text("start.who"), everyone, screen="chooser")
            return None if index is None else (everyone[index], False)
        first = everyone.index(participant) if participant in everyone else 0
        text = fe.catalogue.text
        fields = [(text("start.participant"), everyone[first:] + everyone[:first]),
                  (text("start.session_field"), [text("start.continue_or_next"), text("start.new_session")]),
                  (text("start.battery"), [text("start.enrolled")])]
        answer = dialog(fe, text("start.dialog_title"), fields, screen="researcher", note=text("start.dialog_note"))
        return None if answer is None else (fields[0][1][answer[0]], answer[1] == 1)
    finally:
        fe.close()
