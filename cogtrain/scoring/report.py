"""Self-contained HTML reports: one per participant and an index across participants.

Figures are embedded as base64 PNG (and also saved as PNG and SVG files next
to the HTML). Text from data files is HTML-escaped.
"""
from __future__ import annotations

import html
import math
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Mapping

import pandas as pd

from cogtrain.scoring.compute import Scores
from cogtrain.scoring.labels import COMPOSITE, curve_info, domain_label, metric_info, metric_order
from cogtrain.scoring.plots import (composite_figure, curves_figure, dose_figure, level_figure, progress_figure,
                                    save_figure)
from cogtrain.scoring.progress import track
from cogtrain.scoring.reliable import RCI_CRITICAL
from cogtrain.task import TaskSpec

#: Reports are written by several processes when each gets at least this many participants.
PER_WORKER = 4
_JOB: tuple | None = None
CSS = """
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;font-size:18px;line-height:1.5;color:#111;
background:#fff;max-width:1200px;margin:0 auto;padding:1.5em}
h1{font-size:1.9em;margin-bottom:.2em}h2{font-size:1.45em;margin-top:1.6em;border-bottom:3px solid #0072B2}
h3{font-size:1.2em}table{border-collapse:collapse;margin:.8em 0}
th,td{border:1px solid #888;padding:.35em .7em;text-align:right}th{background:#E8F1F8}
td{white-space:nowrap}td:first-child,th:first-child{text-align:left}.better{background:#D9EFE6;font-weight:bold}
.worse{background:#F9E0D0;font-weight:bold}.changed{background:#EEE;font-weight:bold}
.note{background:#FFF8E1;border-left:6px solid #E69F00;padding:.6em 1em}.muted{color:#444}
img{max-width:100%;height:auto;display:block;margin:.6em 0}ul.warnings li{margin:.2em 0}
"""


def write_reports(scores: Scores, tasks: Mapping[str, TaskSpec], warnings: list[str], folder: Path,
                  progress: bool | None = None) -> list[Path]:
    """Write ``sub-<ID>.html`` for every participant and ``index.html``.

    Parameters
    ----------
    scores : Scores
        Computed tables.
    tasks : mapping of str to TaskSpec
        Registered tasks (titles, order).
    warnings : list of str
        Reading and scoring warnings; each report lists those about its participant.
    folder : Path
        The report folder (created).
    progress : bool or None
        Show a progress bar (None: only on a terminal).

    Returns
    -------
    list of Path
        The participant reports, then the index.
    """
    folder.mkdir(parents=True, exist_ok=True)
    participants = sorted(scores.sessions["participant"].unique())
    workers = min(os.cpu_count() or 1, len(participants) // PER_WORKER)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        # Forked workers inherit the tables; only participant IDs and paths cross processes.
        global _JOB
        _JOB = (scores, tasks, warnings, folder)
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                paths = list(track(pool.map(_report_in_worker, participants), progress, "writing reports",
                                   total=len(participants)))
        finally:
            _JOB = None
    else:
        paths = [participant_report(p, scores, tasks, warnings, folder)
                 for p in track(participants, progress, "writing reports")]
    paths.append(index_report(scores, warnings, folder))
    return paths


def _report_in_worker(participant: str) -> Path:
    return participant_report(participant, *_JOB)


def participant_report(participant: str, scores: Scores, tasks: Mapping[str, TaskSpec],
                       warnings: list[str], folder: Path) -> Path:
    """Write one participant's report and its figures.

    Parameters
    ----------
    participant : str
        ID without ``sub-``.
    scores : Scores
        Computed tables (all participants).
    tasks : mapping of str to TaskSpec
        Registered tasks.
    warnings : list of str
        All warnings; those naming ``sub-<ID>`` are shown.
    folder : Path
        The report folder.

    Returns
    -------
    Path
        The HTML file.
    """
    stem = f"sub-{participant}"
    own_scores = scores.session_scores[scores.session_scores["participant"] == participant]
    own_curves = scores.curves[scores.curves["participant"] == participant]
    own_sessions = scores.sessions[scores.sessions["participant"] == participant].sort_values("session")
    dose = scores.adherence[scores.adherence["participant"] == participant].iloc[0]
    summary = scores.summary[scores.summary["participant"] == participant]
    parts = [f"<h1>Cognitive training report: participant {html.escape(participant)}</h1>",
             _overview(dose, own_sessions), _key_points(dose, summary, tasks),
             "<h2>Training dose</h2>", _dose_text(dose),
             _figure_html(dose_figure(own_sessions, dose["planned_sessions_per_week"],
                                      dose["planned_minutes_per_session"]), folder, f"{stem}_dose",
                          "Sessions per week, minutes per session and fatigue ratings against the plan"),
             _sessions_table(own_sessions)]
    if (own_scores["task"] == "composite").any():
        parts += ["<h2>Overall progress by domain</h2>",
                  "<p>Each line is the mean of a domain's z-scores against the first session "
                  "(0 = as in the first session; above 0 = better). See Methods.</p>",
                  _figure_html(composite_figure(own_scores), folder, f"{stem}_composite",
                               "Domain composites over sessions"),
                  _metrics_table(summary[summary["task"] == COMPOSITE], tasks)]
    for name, spec in tasks.items():
        if (own_scores["task"] == name).any():
            parts.append(_task_section(spec, tasks, own_scores, own_curves, summary, folder, stem))
    parts += [_notes(participant, warnings), _methods(scores.references.get(participant, {}))]
    path = folder / f"{stem}.html"
    path.write_text(_page(f"Report {participant}", parts), encoding="utf-8")
    return path


def _task_section(spec: TaskSpec, tasks: Mapping[str, TaskSpec], scores: pd.DataFrame, curves: pd.DataFrame,
                  summary: pd.DataFrame, folder: Path, stem: str) -> str:
    task, title = spec.name, spec.title
    present = scores.loc[scores["task"] == task, "metric"].unique().tolist()
    wanted = [m.name for m in spec.metrics if m.progress and m.name in present] or present[:3]
    parts = [f"<h2>{html.escape(title)}</h2>",
             _figure_html(progress_figure(scores, task, [metric_info(tasks, task, m) for m in wanted]), folder,
                          f"{stem}_{task}_progress", f"{title}: progress over sessions")]
    own = curves[curves["task"] == task]
    present = set(own["curve"])
    declared = [c.name for c in spec.curves]
    names = [curve_info(spec, c) for c in [c for c in declared if c in present] + sorted(present - set(declared))]
    for curve in [c for c in names if c.track]:
        parts.append(_figure_html(level_figure(own[own["curve"] == curve.name], curve), folder,
                                  f"{stem}_{task}_{curve.name}", f"{title}: {curve.y_label}"))
    within = [c for c in names if not c.track]
    if within:
        parts.append(_figure_html(curves_figure(own, within), folder, f"{stem}_{task}_curves",
                                  f"{title}: " + ", ".join(c.y_label for c in within)))
    parts.append(_metrics_table(summary[summary["task"] == task], tasks))
    return "\n".join(parts)


def _figure_html(figure, folder: Path, stem: str, alt: str) -> str:
    encoded, _ = save_figure(figure, folder, stem)
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}">'


def _overview(dose: pd.Series, sessions: pd.DataFrame) -> str:
    battery = ", ".join(sorted({b for b in sessions.get("battery", pd.Series(dtype=str)) if b})) or "unknown"
    dates = f"{dose['first_date']} to {dose['last_date']}" if dose["first_date"] else "dates unknown"
    return (f"<p class='muted'>Battery: {html.escape(battery)} &middot; {dates} &middot; "
            f"{int(dose['sessions_complete'])} of {int(dose['sessions_started'])} sessions completed</p>")


def _key_points(dose: pd.Series, summary: pd.DataFrame, tasks: Mapping[str, TaskSpec]) -> str:
    """A few sentences at the top: dose, domain composites and reliable changes."""
    points = []
    if dose["planned_sessions"] == dose["planned_sessions"]:
        points.append(f"Completed {int(dose['sessions_complete'])} of {_num(dose['planned_sessions'], 0)} planned "
                      f"sessions ({_num(dose['sessions_pct_of_plan'], 0)} %).")
    for row in summary[summary["task"] == COMPOSITE].itertuples():
        points.append(f"{html.escape(domain_label(row.metric))} composite: "
                      f"{_num(row.gain, signed=True)} z since the first session.")
    reliable = summary[summary["rci"].abs() > RCI_CRITICAL]
    verdicts = [_verdict(r.rci, metric_info(tasks, r.task, r.metric).sign)[1] for r in reliable.itertuples()]
    if summary["rci"].notna().any():
        better = sum("improvement" in v for v in verdicts)
        worse = sum("decline" in v for v in verdicts)
        points.append(f"Reliable change (|RCI| &gt; 1.96): {better} measure(s) improved, {worse} declined, "
                      f"{len(verdicts) - better - worse} changed without a better direction.")
    items = "".join(f"<li>{p}</li>" for p in points)
    return f"<div class='note'><b>At a glance</b><ul>{items}</ul></div>" if points else ""


def _dose_text(dose: pd.Series) -> str:
    minutes = dose["minutes_trained"]
    done = (f"<p><b>{int(dose['sessions_complete'])}</b> sessions completed "
            f"({int(dose['sessions_started'])} started), <b>{_num(minutes, 0)}</b> minutes trained "
            f"over {_num(dose['weeks_elapsed'], 0)} week(s).</p>")
    if not dose["planned_sessions"] == dose["planned_sessions"]:
        return done + "<p class='note'>No training plan in the battery config: adherence cannot be judged.</p>"
    plan = (f"<p>Plan: {_num(dose['planned_sessions_per_week'], 0)} sessions a week of "
            f"{_num(dose['planned_minutes_per_session'], 0)} minutes for {_num(dose['planned_weeks'], 0)} weeks "
            f"= {_num(dose['planned_sessions'], 0)} sessions, {_num(dose['planned_minutes'], 0)} minutes.</p>"
            f"<p>Done: <b>{_num(dose['sessions_pct_of_plan'], 0)} %</b> of planned sessions and "
            f"<b>{_num(dose['minutes_pct_of_plan'], 0)} %</b> of planned minutes; "
            f"<b>{_num(dose['sessions_pct_of_due'], 0)} %</b> of the {_num(dose['sessions_due_by_last_date'], 0)} "
            f"sessions due by the last session date.</p>")
    return done + plan


def _sessions_table(sessions: pd.DataFrame) -> str:
    rows = "".join(
        f"<tr><td>{int(s.session)}</td><td>{_date(s.started)}</td><td>{html.escape(str(s.status))}</td>"
        f"<td>{_num(s.minutes, 0)}</td><td>{int(s.runs)}</td>"
        f"<td>{html.escape(s.fatigue_ratings) or '&ndash;'}</td></tr>"
        for s in sessions.itertuples())
    return ("<table><tr><th>Session</th><th>Date</th><th>Status</th><th>Minutes</th><th>Starts</th>"
            f"<th>Fatigue ratings (0-10)</th></tr>{rows}</table>")


def _metrics_table(summary: pd.DataFrame, tasks: Mapping[str, TaskSpec]) -> str:
    if summary.empty:
        return ""
    order = metric_order(tasks)
    rank = [order.get(key, len(order)) for key in zip(summary["task"], summary["metric"])]
    rows = []
    for s in summary.assign(_rank=rank).sort_values(["_rank", "metric"], kind="stable").itertuples():
        label = metric_info(tasks, s.task, s.metric)
        unit = f" ({html.escape(label.unit)})" if label.unit else ""
        css, verdict = _verdict(s.rci, label.sign)
        rows.append(f"<tr><td>{html.escape(label.label)}{unit}</td><td>{s.n_sessions}</td><td>{_num(s.first)}</td>"
                    f"<td>{_num(s.last)}</td><td>{_num(s.gain, signed=True)}</td>"
                    f"<td>{_num(s.slope, signed=True)}</td><td class='{css}'>{_num(s.rci, signed=True)}"
                    f"{verdict}</td></tr>")
    return ("<table><tr><th>Measure</th><th>Sessions</th><th>First</th><th>Last</th><th>Gain</th>"
            "<th>Slope per session</th><th>RCI</th></tr>" + "".join(rows) + "</table>")


def _verdict(rci: float, sign: int) -> tuple[str, str]:
    if not (rci == rci and abs(rci) > RCI_CRITICAL):
        return "", ""
    if sign == 0:
        return "changed", " reliable change"
    improved = (rci > 0) == (sign > 0)
    return ("better", " &#9650; reliable improvement") if improved else ("worse", " &#9660; reliable decline")


def _notes(participant: str, warnings: list[str]) -> str:
    own = [w for w in warnings if f"sub-{participant}/" in w or w.endswith(f"sub-{participant}")]
    if not own:
        return "<h2>Data notes</h2><p>All files of this participant were read without problems.</p>"
    items = "".join(f"<li>{html.escape(w)}</li>" for w in own)
    return f"<h2>Data notes</h2><ul class='warnings'>{items}</ul>"


def _methods(references: Mapping[str, object]) -> str:
    refs = "".join(f"<li>{html.escape(k)}: SD {r.sd:g}, r<sub>xx</sub> {r.reliability:g}"
                   + (f", practice effect {r.practice_effect:g}" if r.practice_effect is not None else "")
                   + f" ({html.escape(r.source)})</li>" for k, r in references.items())
    refs = f"<ul>{refs}</ul>" if refs else "<p>No reference values are configured, so no RCI is computed.</p>"
    return (
        "<h2>Methods</h2><p><b>Gain</b> = last minus first session. <b>Slope</b> = least-squares change "
        "per session. <b>RCI</b> (Reliable Change Index, Jacobson &amp; Truax, 1991) = (last &minus; first) / "
        "S<sub>diff</sub>, S<sub>diff</sub> = &radic;(2&middot;SE&sup2;), SE = SD&middot;&radic;(1 &minus; "
        "r<sub>xx</sub>); with a practice effect, the practice effect is subtracted from the gain first "
        "(Chelune et al., 1993). |RCI| &gt; 1.96 is a reliable change (p &lt; .05). Reference values:</p>"
        + refs +
        "<p><b>Composites</b>: for each metric, z = sign &times; (value &minus; first-session value) / SD, with "
        "the reference SD when configured, else the SD of the participant's own sessions; sign is &minus;1 "
        "where lower is better (reaction times, excess moves). A domain composite is the mean z of its "
        "metrics. <b>Practice</b> trials and blocks re-run after a resumed session are not scored.</p>")


def index_report(scores: Scores, warnings: list[str], folder: Path) -> Path:
    """Write ``index.html``: one row per participant with dose and change, linking to the reports.

    Parameters
    ----------
    scores : Scores
        Computed tables.
    warnings : list of str
        All warnings (listed at the end).
    folder : Path
        The report folder.

    Returns
    -------
    Path
        The index file.
    """
    summary = scores.summary
    reliable = summary[summary["rci"].abs() > RCI_CRITICAL]
    composites = summary[summary["task"] == COMPOSITE].pivot(index="participant", columns="metric",
                                                               values="gain")
    domains = list(composites.columns)
    head = "".join(f"<th>{html.escape(domain_label(d))} composite gain (z)</th>" for d in domains)
    rows = []
    for a in scores.adherence.itertuples():
        gains = "".join(f"<td>{_num(composites.at[a.participant, d], signed=True)}</td>"
                        if a.participant in composites.index else "<td>&ndash;</td>" for d in domains)
        has_rci = summary.loc[summary["participant"] == a.participant, "rci"].notna().any()
        n_reliable = int((reliable["participant"] == a.participant).sum()) if has_rci else "&ndash;"
        rows.append(f"<tr><td><a href='sub-{html.escape(a.participant)}.html'>{html.escape(a.participant)}</a></td>"
                    f"<td>{a.sessions_complete} / {a.sessions_started}</td><td>{_num(a.sessions_pct_of_plan, 0)}</td>"
                    f"<td>{_num(a.minutes_trained, 0)}</td><td>{a.first_date}</td><td>{a.last_date}</td>"
                    f"{gains}<td>{n_reliable}</td></tr>")
    table = ("<table><tr><th>Participant</th><th>Sessions completed / started</th><th>% of planned sessions</th>"
             f"<th>Minutes trained</th><th>First session</th><th>Last session</th>{head}"
             "<th>Measures with reliable change</th></tr>" + "".join(rows) + "</table>")
    notes = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
    parts = ["<h1>Cognitive training: all participants</h1>", table,
             "<p class='muted'>Composite gain: change of the domain composite from the first to the last "
             "session, in z units. Reliable change (|RCI| &gt; 1.96) needs reference values in the battery's "
             "<code>reliable_change</code> settings; &ndash; means none were configured.</p>",
             "<h2>Data notes</h2>",
             f"<ul class='warnings'>{notes}</ul>" if notes else "<p>All files were read without problems.</p>"]
    path = folder / "index.html"
    path.write_text(_page("Cognitive training: all participants", parts), encoding="utf-8")
    return path


def _page(title: str, parts: list[str]) -> str:
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


def _num(value: float, digits: int = 2, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "&ndash;"
    if abs(value) < 0.5 * 10**-digits:
        value = 0.0  # no "-0.00"
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    return text.replace("-", "&minus;")


def _date(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, pd.Timestamp) else "unknown"
