"""What the participant reads before and after a session: the start line and the end summary.

Text from the participant's records in their language's catalogue (no window
here); ``cogtrain start`` and the session runner show it (docs/home-use.md). Only what is recorded or
configured is said: no plan, no "of 24"; no earlier session, no "last time".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from cogtrain.text import Catalogue

@dataclass(frozen=True)
class StartInfo:
    """The facts the start screen states.

    Attributes
    ----------
    session : int
        Number of the session that will run (the unfinished one when ``continuing``).
    planned : int or None
        Sessions in the participant's plan (None: no plan configured).
    minutes : float or None
        Planned minutes a session (None: no plan configured).
    last : date or None
        Local day of the participant's last session (None before the first).
    continuing : bool
        The session is an unfinished one that is continued.
    """

    session: int
    planned: int | None
    minutes: float | None
    last: date | None
    continuing: bool

    def text(self, today: date, catalogue: Catalogue) -> str:
        """The start screen's lines: the session, its planned length and the last session.

        >>> from cogtrain.text import load
        >>> print(StartInfo(5, 24, 35, date(2026, 3, 2), False).text(date(2026, 3, 5), load("en")))
        Session 5 of 24
        About 35 minutes
        Last session 3 days ago
        >>> print(StartInfo(1, None, None, None, False).text(date(2026, 3, 5), load("en")))
        Session 1
        Your first session
        >>> print(StartInfo(4, 24, 35, date(2026, 3, 4), True).text(date(2026, 3, 5), load("en")))
        Session 4 of 24
        Last session yesterday
        We continue where you stopped last time.
        """
        text = catalogue.text
        if self.planned is not None and self.session <= self.planned:
            lines = [text("start.session_of", number=self.session, planned=self.planned)]
        else:
            lines = [text("start.session", number=self.session)]
        if self.minutes is not None and not self.continuing:  # a continued session takes less: not stated
            lines.append(text("start.minutes", minutes=f"{self.minutes:g}"))
        days = None if self.last is None else (today - self.last).days
        lines.append(text("start.first") if days is None else text("start.last_today") if days <= 0
                     else text("start.last_yesterday") if days == 1 else text("start.last_days", days=days))
        if self.continuing:
            lines.append(text("start.continue"))
        return "\n".join(lines)


def last_day(records: Iterable[dict[str, Any]]) -> date | None:
    """Local day of the latest run recorded in ``records`` (session.json contents), or None.

    >>> last_day([{"runs": [{"started": "2026-03-01T09:00:00+00:00"}]}]).isoformat()
    '2026-03-01'
    """
    times = []
    for record in records:
        for run in record.get("runs") or []:
            stamp = run.get("started") if isinstance(run, dict) else None
            try:
                moment = datetime.fromisoformat(str(stamp))
            except ValueError:
                continue
            times.append(moment.astimezone() if moment.tzinfo else moment)
    return max(times).date() if times else None


def level_line(catalogue: Catalogue, title: str, before: float | None, today: float) -> str:
    """One task's line of the end summary: the level reached today against last time.

    ``before`` is the level the task's variant carried into the session (where the
    last session ended), None when the variant never ran before.

    >>> from cogtrain.text import load
    >>> level_line(load("en"), "N-back", 3, 2)
    'N-back: level 2 today, level 3 last time. Levels go up and down from day to day.'
    >>> level_line(load("en"), "Tower", None, 4)
    'Tower: level 4 today.'
    """
    text, now = catalogue.text, f"{today:g}"
    if before is None:
        return text("session.level_first", task=title, today=now)
    if today > before:
        return text("session.level_up", task=title, today=now, before=f"{before:g}")
    if today == before:
        return text("session.level_same", task=title, today=now)
    return text("session.level_down", task=title, today=now, before=f"{before:g}")


def end_summary(catalogue: Catalogue, session: int, levels: list[tuple[str, float | None, float]], done: int,
                planned: int | None, assessment: bool = False) -> str:
    """The end-of-session summary: levels against last time, sessions done against the plan, thanks.

    ``levels`` holds ``(task title, level before, level today)`` of the tasks that
    adapt their level (none for an assessment visit). ``done`` counts training
    sessions; an ``assessment`` visit is thanked for the tests, not for training.

    >>> from cogtrain.text import load
    >>> print(end_summary(load("en"), 5, [("N-back", 2, 3)], done=5, planned=24))
    Session 5 is complete.
    <BLANKLINE>
    N-back: level 3 today, up from level 2 last time.
    A higher level means a harder task.
    <BLANKLINE>
    Sessions done: 5 of 24.
    Thank you for training today.
    >>> print(end_summary(load("en"), 1, [], done=1, planned=None))
    Session 1 is complete.
    <BLANKLINE>
    Sessions done: 1.
    Thank you for training today.
    >>> print(end_summary(load("en"), 10, [], done=8, planned=24, assessment=True))
    Session 10 is complete.
    <BLANKLINE>
    Sessions done: 8 of 24.
    Thank you for doing the tests today.
    """
    text = catalogue.text
    parts = [text("session.end", number=session), ""]
    if levels:
        parts += [*(level_line(catalogue, *entry) for entry in levels), text("session.level_direction"), ""]
    parts.append(text("session.sessions_done_of", done=done, planned=planned) if planned is not None
                 else text("session.sessions_done", done=done))
    parts.append(text("session.thanks_assessment") if assessment else text("session.thanks"))
    return "\n".join(parts)


def level_of(state: Any) -> float | None:
    """The ``level`` of a task's carried state, if it has a numeric one.

    >>> level_of({"level": 3}), level_of(None), level_of({"level": True})
    (3.0, None, None)
    """
    level = state.get("level") if isinstance(state, dict) else None
    return float(level) if isinstance(level, (int, float)) and not isinstance(level, bool) else None

