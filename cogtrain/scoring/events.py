"""``events.csv``: clinical events and session check-in answers, one a row, for the report timeline."""
from __future__ import annotations

import pandas as pd

from cogtrain.clinical import read_events
from cogtrain.errors import CogtrainError
from cogtrain.scoring.read import Study

#: Columns of ``events.csv``.
EVENT_COLUMNS = ("participant", "date", "session", "source", "type", "value", "note")


def events_table(study: Study) -> pd.DataFrame:
    """Clinical events (``source`` ``clinical``) and check-in answers (``source`` ``checkin``).

    Parameters
    ----------
    study : Study
        The data folder as read; an unreadable events log adds a warning to
        ``study.warnings`` and is skipped.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVENT_COLUMNS`, sorted by participant and date: ``date`` is
        YYYY-MM-DD, ``session`` empty for clinical events, ``type`` the event type
        or the check-in question's id, ``value`` the answer (empty for events).
    """
    rows = []
    participants = sorted(set(study.sessions["participant"])) if len(study.sessions) else []
    for participant in participants:
        try:
            events = read_events(study.data_dir / f"sub-{participant}")
        except CogtrainError as exc:
            study.warnings.append(f"{exc}; its events are left out of events.csv")
            continue
        rows += [{"participant": participant, "date": str(e.get("date") or ""), "session": pd.NA,
                  "source": "clinical", "type": str(e.get("type") or ""), "value": "", "note": str(e.get("note") or "")}
                 for e in events]
    sessions = study.sessions
    for participant, session, started, checkin in zip(sessions["participant"], sessions["session"],
                                                      sessions["started"], sessions["checkin"]):
        day = started.date().isoformat() if pd.notna(started) else ""
        rows += [{"participant": participant, "date": day, "session": session, "source": "checkin",
                  "type": str(answer.get("id")), "value": "" if answer.get("answer") is None else answer["answer"],
                  "note": ""}
                 for answer in checkin]
    table = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    table["session"] = table["session"].astype("Int64")
    return table.sort_values(["participant", "date", "session"], kind="stable", ignore_index=True)
