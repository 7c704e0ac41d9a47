"""One participant's report: dose and adherence, timeline, domain composites, each task's measures.

What the page says is bound by docs/reports.md: every measure states its
direction; a single session shows "no change yet" instead of a gain of zero;
composites are z against a stated reference SD; a plan is only shown when one
was configured; minutes are active task time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from cogtrain.scoring.labels import COMPOSITE, domain_label, metric_info, metric_order
from cogtrain.scoring.reliable import RCI_CRITICAL
from cogtrain.scoring.report import figures
from cogtrain.scoring.report.page import Page, esc, num, table, when
from cogtrain.task import DIRECTION_TEXT, TaskSpec

NO_DATA_YET = "no data yet"


@dataclass(frozen=True)
class ParticipantTables:
    """One participant's rows of every score table (see :class:`cogtrain.scoring.compute.Scores`)."""

    participant: str
    scores: pd.DataFrame
    curves: pd.DataFrame
    sessions: pd.DataFrame
    summary: pd.DataFrame
    adherence: pd.Series
    events: pd.DataFrame
    references: Mapping[str, object]
    reference_note: str
    warnings: tuple[str, ...]
    content: str = ""
    """Digest of the participant's rows of every table (what decides whether the page is rebuilt)."""


def participant_page(data: ParticipantTables, tasks: Mapping[str, TaskSpec]) -> str:
    """The HTML of one participant's report.

    Parameters
    ----------
    data : ParticipantTables
        The participant's tables.
    tasks : mapping of str to TaskSpec
        Registered tasks: titles, metric and curve declarations, order of sections.

    Returns
    -------
    str
        The page.
    """
    page = Page(f"Report {data.participant}")
    clinical = data.events[data.events["source"] == "clinical"] if "source" in data.events else data.events
    dose = data.adherence
    values = _values_by_measure(data.scores)
    curves = _rows_by_curve(data.curves)
    summaries = _summaries_by_task(data.summary)
    page.add(f"<h1>Cognitive training report: participant {esc(data.participant)}</h1>",
             _overview(dose, data.sessions), _at_a_glance(data, summaries, tasks),
             "<h2>Timeline</h2>",
             page.chart(figures.timeline_chart(data.sessions, clinical),
                        "Filled: completed session; hollow: not completed. Dashed lines: session flags; "
                        "solid lines: clinical events."),
             _events_list(clinical),
             "<h2>Training dose</h2>", _dose_text(dose),
             "<div class='charts'>",
             page.chart(figures.sessions_per_week_chart(data.sessions, _planned(dose, "sessions_per_week"))),
             page.chart(figures.minutes_chart(data.sessions, _planned(dose, "minutes_per_session"))),
             page.chart(figures.fatigue_chart(data.sessions)), "</div>",
             _sessions_table(data.sessions))
    composites = {metric: v for (task, metric), v in values.items() if task == COMPOSITE}
    page.add("<h2>Overall progress by domain</h2>")
    if composites:
        page.add(f"<p>Each line is the mean, over a domain's leading measures, of the change since the first "
                 f"session in units of the reference SD ({esc(data.reference_note)}). 0 = as in the first "
                 "session; above 0 = better. See Methods.</p>",
                 page.chart(figures.composite_chart(composites)),
                 _measures_table(summaries.get(COMPOSITE, []), tasks))
    else:
        page.add(f"<p>No domain composites: {esc(data.reference_note)}.</p>")
    for name, spec in tasks.items():
        if any(task == name for task, _ in values):
            page.add(_task_section(page, spec, values, curves, summaries.get(name, []), tasks))
    page.add(_notes(data.warnings), _methods(data.references))
    return page.html()


def _task_section(page: Page, spec: TaskSpec, values: Mapping[tuple[str, str], list],
                  curves: Mapping[tuple[str, str], list], summary: list[dict], tasks: Mapping[str, TaskSpec]) -> str:
    parts = [f"<h2>{esc(spec.title)}</h2>", "<div class='charts'>"]
    parts += [page.chart(figures.metric_chart(values[spec.name, m.name], m))
              for m in spec.metrics if m.progress and (spec.name, m.name) in values]
    for curve in spec.curves:
        rows = curves.get((spec.name, curve.name))
        if rows:
            parts.append(page.chart(figures.track_chart(rows, curve) if curve.track
                                    else figures.within_session_chart(rows, curve)))
    parts += ["</div>", _measures_table(summary, tasks)]
    return "\n".join(parts)


def _values_by_measure(scores: pd.DataFrame) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """(task, metric) → [(session, value), ...], in plain Python (a page does many small look-ups)."""
    out: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for task, metric, session, value in zip(scores["task"].tolist(), scores["metric"].tolist(),
                                            scores["session"].tolist(), scores["value"].tolist()):
        out.setdefault((task, metric), []).append((int(session), float(value)))
    return out


def _rows_by_curve(curves: pd.DataFrame) -> dict[tuple[str, str], list[tuple[int, float, float]]]:
    """(task, curve) → [(session, x, value), ...] with finite values."""
    out: dict[tuple[str, str], list[tuple[int, float, float]]] = {}
    for task, curve, session, x, value in zip(curves["task"].tolist(), curves["curve"].tolist(),
                                              curves["session"].tolist(), curves["x"].tolist(),
                                              curves["value"].tolist()):
        if x == x and value == value:
            out.setdefault((task, curve), []).append((int(session), float(x), float(value)))
    return out


def _summaries_by_task(summary: pd.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in summary.to_dict("records"):
        out.setdefault(row["task"], []).append(row)
    return out


def _overview(dose: pd.Series, sessions: pd.DataFrame) -> str:
    battery = ", ".join(sorted({b for b in sessions["battery"].tolist() if b})) or "unknown"
    dates = f"{dose['first_date']} to {dose['last_date']}" if dose["first_date"] else "dates unknown"
    return (f"<p class='muted'>Battery: {esc(battery)} &middot; {dates} &middot; "
            f"{int(dose['sessions_complete'])} of {int(dose['sessions_started'])} training sessions completed"
            + (f" &middot; {int(dose['visits_complete'])} assessment visit(s)" if dose["visits_complete"] else "")
            + "</p>")


def adherence_headline(dose: Mapping) -> str:
    """"On schedule", "Behind by N sessions" or "No training plan configured", in words.

    Examples
    --------
    >>> adherence_headline({"planned_sessions": 24.0, "sessions_complete": 4, "sessions_due": 6,
    ...                     "as_of": "2026-03-01"})
    'Behind by 2 sessions (4 done of 6 due by 2026-03-01; 24 planned)'
    >>> adherence_headline({"planned_sessions": float("nan"), "sessions_complete": 4})
    'No training plan configured: adherence is not judged'
    """
    if not dose["planned_sessions"] == dose["planned_sessions"]:
        return "No training plan configured: adherence is not judged"
    done, due = int(dose["sessions_complete"]), int(dose["sessions_due"])
    behind = due - done
    counts = f"({done} done of {due} due by {dose['as_of']}; {int(dose['planned_sessions'])} planned)"
    if behind <= 0:
        return f"On schedule {counts}"
    return f"Behind by {behind} session{'s' if behind != 1 else ''} {counts}"


def _at_a_glance(data: ParticipantTables, summaries: Mapping[str, list[dict]], tasks: Mapping[str, TaskSpec]) -> str:
    dose = data.adherence
    points = [f"<span class='headline'>{esc(adherence_headline(dose))}</span>",
              f"{num(dose['minutes_trained'], 0)} minutes of active task time (waits and breaks left out)."]
    for row in summaries.get(COMPOSITE, []):
        change = (f"{num(row['gain'], signed=True)} z since the first session" if row["n_sessions"] >= 2
                  else NO_DATA_YET + " (one session)")
        points.append(f"{esc(domain_label(row['metric']))} composite: {change}.")
    rows = [r for task_rows in summaries.values() for r in task_rows]
    if any(r["rci"] == r["rci"] for r in rows):
        reliable = [r for r in rows if abs(r["rci"]) > RCI_CRITICAL]
        signs = [metric_info(tasks, r["task"], r["metric"]).sign * r["rci"] for r in reliable]
        better, worse = sum(s > 0 for s in signs), sum(s < 0 for s in signs)
        points.append(f"Reliable change (|RCI| &gt; 1.96): {better} measure(s) improved, {worse} declined, "
                      f"{len(reliable) - better - worse} changed with no better direction.")
    return "<div class='note'><b>At a glance</b><ul>" + "".join(f"<li>{p}</li>" for p in points) + "</ul></div>"


def _planned(dose: pd.Series, key: str) -> float | None:
    value = dose[f"planned_{key}"]
    return float(value) if value == value else None


def _dose_text(dose: pd.Series) -> str:
    done = (f"<p><b>{int(dose['sessions_complete'])}</b> training sessions completed "
            f"({int(dose['sessions_started'])} started), <b>{num(dose['minutes_trained'], 0)}</b> minutes of "
            f"active task time.</p>")
    if not dose["planned_sessions"] == dose["planned_sessions"]:
        return done + "<p>No training plan is configured in the battery, so no plan is shown.</p>"
    return done + (
        f"<p>Plan (from the battery): {num(dose['planned_sessions_per_week'], 0)} sessions a week of "
        f"{num(dose['planned_minutes_per_session'], 0)} minutes for {num(dose['planned_weeks'], 0)} weeks "
        f"= {num(dose['planned_sessions'], 0)} sessions. Done: {num(dose['sessions_pct_of_plan'], 0)} % of "
        f"the planned sessions; {esc(adherence_headline(dose)).lower()}.</p>")


def _sessions_table(sessions: pd.DataFrame) -> str:
    rows = [[str(int(s.session)), when(s.started), esc(s.status) + (f" ({esc(s.visit)} visit)" if s.visit else ""),
             num(s.active_minutes, 0), num(s.minutes, 0),
             str(int(s.runs)), esc(", ".join(s.flags)) or "&ndash;", esc(s.fatigue_ratings) or "&ndash;"]
            for s in sessions.sort_values("session").itertuples()]
    return table(["Session", "Date (UTC)", "Status", "Active minutes", "Minutes in session", "Starts", "Flags",
                  "Fatigue ratings (0-10)"], rows, text=(1, 2, 6, 7))


def _measures_table(summary: list[dict], tasks: Mapping[str, TaskSpec]) -> str:
    """Change of each measure, with its direction; "no data yet" with fewer than two sessions."""
    if not summary:
        return ""
    order = metric_order(tasks)
    rows = []
    for s in sorted(summary, key=lambda r: (order.get((r["task"], r["metric"]), len(order)), r["metric"])):
        metric = metric_info(tasks, s["task"], s["metric"])
        unit = f" ({esc(metric.unit)})" if metric.unit else ""
        css, verdict = _verdict(s["rci"], metric.direction)
        n = int(s["n_sessions"])
        rows.append([f"{esc(metric.label)}{unit}", esc(DIRECTION_TEXT[metric.direction]),
                     str(n), num(s["first"]), num(s["last"]) if n >= 2 else "&ndash;",
                     num(s["gain"], signed=True) if n >= 2 else NO_DATA_YET,
                     num(s["slope"], signed=True) if n >= 3 else "&ndash;",
                     f"<td class='{css}'>{num(s['rci'], signed=True)}{verdict}</td>"])
    return table(["Measure", "Direction", "Sessions", "First", "Last", "Change (last &minus; first)",
                  "Slope per session", "RCI"], rows, text=(0, 1))


def _verdict(rci: float, direction: str) -> tuple[str, str]:
    if not (rci == rci and abs(rci) > RCI_CRITICAL):
        return "", ""
    if direction == "neither":
        return "changed", " reliable change"
    improved = (rci > 0) == (direction == "higher")
    return ("better", " &#9650; reliable improvement") if improved else ("worse", " &#9660; reliable decline")


def _events_list(events: pd.DataFrame) -> str:
    if events.empty:
        return "<p class='muted'>No clinical events recorded.</p>"
    days = [figures.calendar_day(d) for d in events["date"]]
    items = "".join(f"<li>{d:%Y-%m-%d}: {esc(t)}" + (f" &ndash; {esc(n)}" if isinstance(n, str) and n else "")
                    + "</li>" for d, t, n in zip(days, events["type"], events["note"]) if d is not None)
    return f"<p>Clinical events:</p><ul>{items}</ul>"


def _notes(warnings: tuple[str, ...]) -> str:
    if not warnings:
        return "<h2>Data notes</h2><p>All files of this participant were read without problems.</p>"
    return "<h2>Data notes</h2><ul class='warnings'>" + "".join(f"<li>{esc(w)}</li>" for w in warnings) + "</ul>"


def _methods(references: Mapping[str, object]) -> str:
    refs = "".join(f"<li>{esc(k)}: SD {r.sd:g}, r<sub>xx</sub> {r.reliability:g}"
                   + (f", practice effect {r.practice_effect:g}" if r.practice_effect is not None else "")
                   + f" ({esc(r.source)})</li>" for k, r in references.items())
    refs = f"<ul>{refs}</ul>" if refs else "<p>No reference values are configured, so no RCI is computed.</p>"
    return (
        "<h2>Methods</h2><p><b>Change</b> = last minus first session; shown only from two sessions on. "
        "<b>Slope</b> = least-squares change per session, from three sessions on. <b>RCI</b> (Reliable Change "
        "Index, Jacobson &amp; Truax, 1991) = (last &minus; first) / S<sub>diff</sub>, S<sub>diff</sub> = "
        "&radic;(2&middot;SE&sup2;), SE = SD&middot;&radic;(1 &minus; r<sub>xx</sub>); with a practice effect, "
        "the practice effect is subtracted from the change first (Chelune et al., 1993). |RCI| &gt; 1.96 is a "
        "reliable change (p &lt; .05). Reference values:</p>" + refs +
        "<p><b>Composites</b>: for each leading measure of a domain, z = sign &times; (value &minus; first-session "
        "value) / SD, where SD is the configured reference SD or, when none is configured, the SD of the "
        "first-session values of all participants scored together (stated above the chart); never the "
        "participant's own sessions. Sign is &minus;1 where lower is better. A domain composite is the mean z "
        "of its measures. <b>Axes</b>: proportions are drawn from 0 to 1, adaptive levels over their whole "
        "range, other measures over at least a minimum span, so that small changes look small. "
        "<b>Active minutes</b>: from the first to the last trial of each scored block; instructions, breaks "
        "and waits are left out. <b>Practice</b> trials and blocks re-run after a resumed session are not "
        "scored.</p>")
