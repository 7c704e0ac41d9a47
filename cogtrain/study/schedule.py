"""What a study participant does next: an assessment visit, a training session, or nothing yet.

The first visit (baseline) comes first. Each later visit is due when its
window opens (target day minus the days allowed before it, counted from the
baseline date) or, if training precedes it, as soon as that training dose is
done. Until then the participant trains. A visit taken after its window is
still due, and marked late.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Sequence

from cogtrain.config import Battery
from cogtrain.study.config import Study


@dataclass(frozen=True)
class PastSession:
    """A complete session of the participant: its number, date and visit (None: training)."""

    session: int
    day: date
    visit: str | None


@dataclass(frozen=True)
class Due:
    """What is due next.

    Attributes
    ----------
    kind : str
        ``"visit"``, ``"training"`` or ``"wait"`` (nothing until a date) or ``"done"``.
    visit : str or None
        The visit due (for ``"visit"``) or awaited (for ``"wait"``).
    battery : Battery or None
        The battery to run (None for ``"wait"`` and ``"done"``).
    text : str
        One line for the researcher, e.g. "post visit due (day 56; window 53 to 70; today day 57)".
    late : bool
        The visit is past its window.
    """

    kind: Literal["visit", "training", "wait", "done"]
    visit: str | None
    battery: Battery | None
    text: str
    late: bool = False


def next_due(study: Study, arm: str, past: Sequence[PastSession], today: date) -> Due:
    """Decide what ``arm``'s participant with complete sessions ``past`` does on ``today``.

    Parameters
    ----------
    study : Study
        The loaded study.
    arm : str
        The participant's arm.
    past : sequence of PastSession
        The participant's complete sessions.
    today : date
        The day of the session to run.

    Returns
    -------
    Due
    """
    visits = study.config.schedule.visits
    done = {s.visit: s for s in past if s.visit}
    if visits[0].name not in done:
        return Due("visit", visits[0].name, study.assessment, f"{visits[0].name} visit due")
    baseline = done[visits[0].name].day
    previous = done[visits[0].name]
    for visit in visits[1:]:
        if visit.name in done:
            previous = done[visit.name]
            continue
        trained = sum(1 for s in past if s.visit is None and s.session > previous.session)
        target = baseline + timedelta(days=visit.day)
        opens, closes = target - timedelta(days=visit.window[0]), target + timedelta(days=visit.window[1])
        window = (f"day {visit.day}, {opens.isoformat()} to {closes.isoformat()}; "
                  f"today day {(today - baseline).days}")
        dose_done = visit.training_before > 0 and trained >= visit.training_before
        if today >= opens or dose_done:
            late = today > closes
            return Due("visit", visit.name, study.assessment,
                       f"{visit.name} visit due ({window}{'; LATE: past its window' if late else ''})", late)
        if trained < visit.training_before:
            return Due("training", None, study.arms[arm],
                       f"training session {trained + 1} of {visit.training_before} before the {visit.name} visit")
        return Due("wait", visit.name, None, f"nothing due: the {visit.name} visit opens on {opens.isoformat()}")
    return Due("done", None, None, "every study visit is done")
