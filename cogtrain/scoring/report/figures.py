"""The charts of a participant's report, built from that participant's tables.

Each function returns a :class:`~cogtrain.scoring.report.charts.Chart`; what a
chart shows is decided here (see :mod:`cogtrain.scoring.report.charts` for the
axis rules) and the browser only draws it.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from cogtrain.scoring.report.charts import (GREY, OKABE_ITO, Axis, Chart, points, series, session_axis,
                                            ticks_between, value_axis)
from cogtrain.scoring.labels import domain_label
from cogtrain.task import DIRECTION_TEXT, Curve, Metric

ONE_SESSION = "No change yet: one session"
FATIGUE_SCALE = (0.0, 10.0)


def metric_chart(values: Sequence[tuple[int, float]], metric: Metric) -> Chart:
    """One metric over sessions, on an axis that does not overstate change.

    Parameters
    ----------
    values : sequence of (session, value)
        One participant's values of the metric (NaN left out).
    metric : Metric
        The metric's declaration (label, unit, direction, bounds).

    Returns
    -------
    Chart
    """
    values = sorted((s, v) for s, v in values if v == v)
    sessions, ys = [s for s, _ in values], [v for _, v in values]
    one = len(set(sessions)) < 2
    return Chart(
        title=metric.label, description=f"{metric.label} by session ({DIRECTION_TEXT[metric.direction]})",
        x=session_axis(sessions),
        y=value_axis(ys, axis_label(metric.label, metric.unit), metric.unit, metric.bounds, metric.integer),
        series=[series("points" if one else "line", points(sessions, ys))],
        note=ONE_SESSION if one else "", subtitle=DIRECTION_TEXT[metric.direction].capitalize())


def composite_chart(by_domain: Mapping[str, Sequence[tuple[int, float]]]) -> Chart:
    """Domain composites over sessions (z against the stated reference SD), 0 = first session."""
    lines, every = [], []
    for i, (domain, values) in enumerate(sorted(by_domain.items())):
        values = sorted(values)
        every += values
        lines.append(series("line" if len(values) > 1 else "points", points(*zip(*values)), i, domain_label(domain)))
    sessions = [s for s, _ in every]
    return Chart(title="Domain composites", description="Domain composites by session, in z units against the "
                 "reference SD; 0 is the first session, above 0 is better", x=session_axis(sessions),
                 y=value_axis([v for _, v in every] + [0.0], "Change from first session (z)", "z units"),
                 series=lines, hlines=[{"at": 0.0, "label": "first session", "color": GREY, "dash": True}],
                 width=640, height=320, subtitle="Higher is better",
                 note=ONE_SESSION if len(set(sessions)) < 2 else "")


def track_chart(rows: Sequence[tuple[int, float, float]], curve: Curve) -> Chart:
    """A difficulty track (a level per block or problem, rows of session, x, value) across sessions in order."""
    rows = sorted(rows)
    values = [v for _, _, v in rows]
    starts = [i for i, (s, _, _) in enumerate(rows) if i == 0 or rows[i - 1][0] != s]
    ends = starts[1:] + [len(rows)]
    shown = sorted({round(i * (len(starts) - 1) / 11) for i in range(12)}) if len(starts) > 12 else \
        range(len(starts))
    x = Axis(f"Session number ({curve.track} in order)", 0.5, len(rows) + 0.5,
             tuple((starts[i] + ends[i]) / 2 + 0.5 for i in shown), tuple(str(rows[starts[i]][0]) for i in shown))
    return Chart(title=curve.label, description=f"{curve.label}, every {curve.track[:-1]} of every session in order",
                 x=x, y=value_axis(values, curve.y_label, bounds=curve.bounds, integer=curve.integer),
                 series=[series("step", points(range(1, len(rows) + 1), values), size=3)],
                 bands=[[a + 0.5, b + 0.5] for k, (a, b) in enumerate(zip(starts, ends)) if k % 2],
                 width=880, height=300)


def within_session_chart(rows: Sequence[tuple[int, float, float]], curve: Curve) -> Chart:
    """A curve within sessions (rows of session, x, value): first and last session in colour, others grey."""
    by_session: dict[int, list[tuple[float, float]]] = {}
    for session, x, value in sorted(rows):
        by_session.setdefault(session, []).append((x, value))
    first, last = min(by_session), max(by_session)
    lines = [{**series("line", points(*zip(*own))), "color": GREY, "width": 1.2, "marker": "none"}
             for session, own in by_session.items() if session not in (first, last)]
    lines += [series("line", points(*zip(*by_session[s])), i, f"Session {s} ({tag})")
              for i, (s, tag) in enumerate(((first, "first"), (last, "last"))) if i == 0 or last != first]
    xs = [x for _, x, _ in rows]
    x = Axis(curve.x_label, min(xs) - 0.5, max(xs) + 0.5, ticks_between(min(xs), max(xs), integer=True))
    return Chart(title=curve.label, description=f"{curve.label}: first and last session", x=x,
                 y=value_axis([v for _, _, v in rows], curve.y_label, bounds=curve.bounds, integer=curve.integer),
                 series=lines, width=440)


def sessions_per_week_chart(sessions: pd.DataFrame, planned_per_week: float | None) -> Chart:
    """Sessions started and completed in each week of training, with the plan when there is one."""
    weeks = sessions.dropna(subset=["week"])
    counts = weeks.assign(complete=weeks["status"] == "complete").groupby("week")["complete"].agg(["sum", "size"])
    top = max([float(counts["size"].max()) if len(counts) else 1.0, planned_per_week or 0.0, 1.0])
    hlines = ([{"at": float(planned_per_week), "label": "planned", "color": OKABE_ITO[1], "dash": True}]
              if planned_per_week else [])
    week_numbers = [int(w) for w in counts.index] or [1]
    return Chart(title="Sessions per week", description="Sessions started and completed per week of training",
                 x=Axis("Week of training", min(week_numbers) - 0.5, max(week_numbers) + 0.5,
                        ticks_between(min(week_numbers), max(week_numbers), integer=True)),
                 y=Axis("Sessions", 0.0, top + 1, ticks_between(0, top + 1, integer=True)),
                 series=[{**series("bars", points(counts.index, counts["size"]), label="started"), "color": GREY},
                         series("bars", points(counts.index, counts["sum"]), 0, "completed")],
                 hlines=hlines)


def minutes_chart(sessions: pd.DataFrame, planned_minutes: float | None) -> Chart:
    """Minutes in each session and, inside them, active task minutes; the planned session length if any."""
    total, active = sessions["minutes"], sessions["active_minutes"]
    top = max([float(total.max()) if total.notna().any() else 0.0, planned_minutes or 0.0, 1.0])
    hlines = ([{"at": float(planned_minutes), "label": "planned session", "color": OKABE_ITO[1], "dash": True}]
              if planned_minutes else [])
    return Chart(title="Minutes per session", description="Minutes in each session (waits and breaks included) and "
                 "minutes of active task time", x=session_axis(sessions["session"]),
                 y=value_axis([0.0, top * 1.2], "Minutes", "minutes"),
                 series=[{**series("bars", points(sessions["session"], total), label="in session"),
                          "color": "#BBBBBB", "share": 0.7},
                         series("bars", points(sessions["session"], active), 2, "active", share=0.4)],
                 hlines=hlines)


def fatigue_chart(sessions: pd.DataFrame) -> Chart:
    """Fatigue ratings per session on the full 0-10 scale: the mean and the rating at the session's end."""
    rated = sessions.dropna(subset=["fatigue_mean"])
    lines = [series("line" if len(rated) > 1 else "points", points(rated["session"], rated["fatigue_mean"]), 3,
                    "mean of the session"),
             series("points", points(sessions["session"], sessions["fatigue_last"]), 1, "last rating",
                    hollow=True)]
    return Chart(title="Fatigue", subtitle="0 = not at all tired, 10 = extremely tired",
                 description="Fatigue ratings per session, 0 to 10",
                 x=session_axis(sessions["session"]),
                 y=Axis("Fatigue rating", *FATIGUE_SCALE, ticks_between(*FATIGUE_SCALE, integer=True)),
                 series=lines, note="" if len(rated) else "No fatigue ratings")


def timeline_chart(sessions: pd.DataFrame, events: pd.DataFrame) -> Chart:
    """Sessions by date (hollow when not complete, labelled with their flags) and clinical events."""
    dated = [(calendar_day(d), s, status, f)
             for d, s, status, f in zip(sessions["started"].tolist(), sessions["session"].tolist(),
                                        sessions["status"].tolist(), sessions["flags"].tolist())
             if calendar_day(d) is not None]
    happened = [(calendar_day(d), t, n)
                for d, t, n in zip(events["date"].tolist(), events["type"].tolist(), events["note"].tolist())
                if calendar_day(d) is not None]
    days = [d for d, *_ in dated] + [d for d, *_ in happened]
    first = min(days) if days else None
    span = max((max(days) - first).days, 6) if days else 6
    day = (lambda d: float((d - first).days))
    done = [day(d) for d, _, status, _ in dated if status == "complete"]
    undone = [day(d) for d, _, status, _ in dated if status != "complete"]
    lines = [series("points", points(done, [1.0] * len(done)), 0, "complete session", size=7),
             series("points", points(undone, [1.0] * len(undone)), 1, "not completed", hollow=True, size=7)]
    flagged = [{"at": day(d), "label": f"{int(s)}: {', '.join(f)}", "color": OKABE_ITO[4], "dash": True}
               for d, s, _, f in dated if f]
    marked = [{"at": day(d), "label": f"{t}" + (f" ({n})" if isinstance(n, str) and n else ""),
               "color": OKABE_ITO[6], "dash": False} for d, t, n in happened]
    ticks = ticks_between(0, span, integer=True)
    labels = tuple((first + pd.Timedelta(days=t)).strftime("%d %b") for t in ticks) if first else ()
    return Chart(title="Sessions and events by date",
                 description="Sessions by date, with session flags and clinical events",
                 x=Axis("Date", -0.5, span + 0.5, ticks if first else (), labels),
                 y=Axis("", 0.0, 2.0, ()), series=lines, vlines=marked + flagged, hide_y=True,
                 width=880, height=190, note="" if first else "Session dates unknown")


def calendar_day(value: object) -> pd.Timestamp | None:
    """The calendar day of a date or timestamp (time zone dropped), or None when it is not a date."""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    if stamp is pd.NaT or stamp != stamp:
        return None
    return (stamp.tz_localize(None) if stamp.tzinfo else stamp).normalize()


def axis_label(label: str, unit: str) -> str:
    """``"Label (unit)"``, or the label alone when it has no unit."""
    return f"{label} ({unit})" if unit else label
