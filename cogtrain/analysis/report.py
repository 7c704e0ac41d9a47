"""The group report: one self-contained HTML page for clinicians, with its figures and tables.

Every interval is a 95 % confidence interval; every measure states its
direction; differences are written as estimates with their intervals, and a
difference whose interval includes zero is never called an effect.
"""
from __future__ import annotations

import html
import math
import numbers
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from cogtrain.analysis.figures import dose_figure, outcome_figure, save_figure, title, trajectory_figure
from cogtrain.analysis.results import Results
from cogtrain.analysis.tables import TRAINED, TRANSFER, metric, term_label
from cogtrain.scoring.report import ASSETS

#: The participant reports' style sheet, embedded so that the group report is one file.
CSS = (ASSETS / "report.css").read_text(encoding="utf-8")
EXTRA_CSS = """
.banner{background:#FDECEA;border-left:6px solid #D55E00;padding:.6em 1em;font-weight:bold}
.flow td:first-child{white-space:normal}caption{text-align:left;font-weight:bold;padding:.3em 0}
td.text{text-align:left;white-space:normal}.grid{display:grid;grid-template-columns:1fr 1fr;gap:.5em}
"""


def fmt(value: object, digits: int = 2) -> str:
    """A number for a table: fixed decimals (never "-0.00"), empty for missing; text escaped."""
    if isinstance(value, str):
        return html.escape(value)
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer() and abs(value) >= 100):
        return f"{int(value)}"
    text = f"{value:.{digits}f}"
    return text.lstrip("-") if float(text) == 0 else text


def fmt_p(p: float) -> str:
    """A p value: three decimals, or "< 0.001"."""
    if not isinstance(p, float) or not math.isfinite(p):
        return ""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def fmt_ci(low: float, high: float, digits: int = 2) -> str:
    """A confidence interval as "low to high" (empty when not estimable)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return f"{fmt(low, digits)} to {fmt(high, digits)}"


def _table(frame: pd.DataFrame, columns: dict[str, str], caption: str = "", css: str = "",
           digits: int = 2) -> str:
    """An HTML table of ``columns`` (key → heading); a key ``a..b`` shows the interval of columns a and b."""
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns.values())
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for key in columns:
            if ".." in key:
                low, high = key.split("..")
                text = fmt_ci(row[low], row[high], digits)
            else:
                text = fmt_p(row[key]) if key == "p" else fmt(row[key], digits)
            align = " class='text'" if isinstance(row.get(key), str) else ""
            cells.append(f"<td{align}>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table class='{css}'>{cap}<tr>{head}</tr>{''.join(rows)}</table>"


def _people(results: Results, frame: pd.DataFrame) -> pd.DataFrame:
    """Arm labels, visit names and measure names for people instead of keys."""
    out = frame.copy()
    for column in ("arm", "reference"):
        if column in out:
            out[column] = out[column].map(results.labels)
    if "visit" in out:
        out["visit"] = out["visit"].map(lambda v: str(v).replace("_", " "))
    if "measure" in out:
        out["measure"] = out["measure"].map(lambda m: metric(m).label)
    return out


class _Figures:
    """Saves figures beside the report and returns their <img> tags."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.paths: list[Path] = []

    def img(self, fig, stem: str, alt: str) -> str:
        encoded, paths = save_figure(fig, self.folder, stem)
        self.paths += paths
        return f"<img src='data:image/png;base64,{encoded}' alt='{html.escape(alt)}'>"


def write_group_report(results: Results, folder: Path) -> tuple[Path, list[Path]]:
    """Write ``group_report.html`` and its figures (PNG and SVG) into ``folder``.

    Returns
    -------
    tuple
        The report's path and the figure files.
    """
    folder.mkdir(parents=True, exist_ok=True)
    figures = _Figures(folder / "figures")
    figures.folder.mkdir(exist_ok=True)
    study = results.data.study
    parts = [f"<h1>{html.escape(study.config.name)}: group report</h1>", _summary(results),
             _flow_section(results), _trajectory_section(results, figures)]
    for kind in (TRAINED, TRANSFER):
        parts.append(_outcome_section(results, figures, kind))
    parts += [_responder_section(results), _dose_section(results, figures), _methods(results)]
    page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(study.config.name)}: group report</title><style>{CSS}{EXTRA_CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>")
    path = folder / "group_report.html"
    path.write_text(page, encoding="utf-8")
    return path, figures.paths


def _summary(results: Results) -> str:
    data = results.data
    study = data.study
    counts = data.allocations["arm"].value_counts()
    arms = ", ".join(f"{html.escape(results.labels[a])} {int(counts.get(a, 0))}" for a in study.arms)
    visits = ", ".join(f"{html.escape(v.name.replace('_', ' '))} (day {v.day})" for v in study.config.schedule.visits)
    simulated = (data.sessions["frontend"] == "simulated").sum()
    banner = ""
    if simulated:
        banner = (f"<p class='banner'>{simulated} of {len(data.sessions)} sessions were run by the simulated "
                  "participant (cogtrain demo or --simulate): these are not real people's results.</p>")
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"{banner}<p><b>Participants allocated:</b> {len(data.allocations)} ({arms}). "
            f"<b>Visits:</b> {visits}. <b>Planned training:</b> {study.config.schedule.training_sessions} "
            f"sessions. Arms are compared with <b>{html.escape(results.labels[study.reference_arm])}</b>.</p>"
            f"<p class='muted'>Study file {html.escape(str(study.path))}; written {when}. All intervals are 95 % "
            "confidence intervals (CI). Each measure states whether higher or lower is better. Tables are also "
            "in CSV files beside this page.</p>")


def _flow_section(results: Results) -> str:
    flow = results.flow.assign(step=results.flow["step"].str.replace("_", " "))
    flow = flow.pivot(index="step", columns="arm", values="n")
    flow = flow.reindex(index=results.flow["step"].str.replace("_", " ").unique(), columns=list(results.labels))
    flow = flow.rename(columns=results.labels).reset_index()
    columns = {"step": "Step", **{label: label for label in results.labels.values()}}
    adherence = _people(results, results.adherence_summary)
    return ("<h2>Participant flow and adherence</h2>"
            + _table(flow, columns, "Participants at each step (CONSORT-style flow)", "flow")
            + _table(adherence, {"arm": "Arm", "n": "Allocated", "sessions_mean": "Training sessions, mean",
                                 "sessions_sd": "SD", "pct_of_dose_mean": "% of planned dose, mean",
                                 "pct_of_dose_sd": "SD", "minutes_mean": "Minutes trained, mean",
                                 "minutes_sd": "SD"},
                     "Training dose by arm (complete sessions; active minutes, interrupted sessions included)"))


def _model_sentence(results: Results, measure: str, fit, interaction_prefix: str) -> str:
    """Plain words for each interaction term of a fitted model."""
    lines = []
    for _, row in fit.table[fit.table["term"].str.contains(":")].iterrows():
        label = _term(results, row["term"])
        verdict = ("its 95 % CI includes 0: no difference shown" if row["ci_low"] <= 0 <= row["ci_high"]
                   else "difference shown")
        lines.append(f"<li>{html.escape(label)}: {row['estimate']:+.3f} {interaction_prefix} (95 % CI "
                     f"{row['ci_low']:.3f} to {row['ci_high']:.3f}; p {fmt_p(row['p'])}); {verdict}.</li>")
    return f"<ul>{''.join(lines)}</ul>" if lines else ""


def _term(results: Results, term: str) -> str:
    return term_label(term, results.labels)


def _model_table(results: Results, fit) -> str:
    table = fit.table.assign(term=fit.table["term"].map(lambda t: _term(results, t)))
    note = f"<p class='note'>{html.escape(fit.note)}</p>" if fit.note else ""
    return (f"<p class='muted'>Linear mixed model (statsmodels MixedLM, REML): <code>{html.escape(fit.formula)}"
            f"</code>, {html.escape(fit.random)}; {fit.n_participants} participants, {fit.n_observations} "
            f"observations{'' if fit.converged else '; the fit did not converge cleanly: read with care'}.</p>"
            + note + _table(table, {"term": "Term", "estimate": "Estimate", "ci_low..ci_high": "95 % CI",
                                    "p": "p"}, digits=3))


def _trajectory_section(results: Results, figures: _Figures) -> str:
    parts = ["<h2>Training trajectories</h2>",
             "<p>Mean of each arm at each training session, with its 95 % CI. In the model, <i>session</i> "
             "counts complete training sessions from 0; the <i>session × arm</i> term is how much faster (per "
             "session) an arm's mean changed than the reference arm's.</p>"]
    for measure in results.trajectories["measure"].unique():
        parts.append(f"<h3>{html.escape(title(measure))}</h3>")
        parts.append(figures.img(trajectory_figure(results.trajectories, measure, results.labels),
                                 f"trajectory_{measure}", title(measure)))
        fit = results.training_models.get(measure)
        if fit is not None:
            parts.append(_model_sentence(results, measure, fit, "per session"))
            parts.append(_model_table(results, fit))
    return "".join(parts)


def _outcome_section(results: Results, figures: _Figures, kind: str) -> str:
    heading = "Assessment outcomes: trained tasks" if kind == TRAINED else \
        "Assessment outcomes: untrained tasks (transfer)"
    summary = results.outcome_summary
    measures = summary.loc[summary["kind"] == kind, "measure"].unique() if len(summary) else []
    if not len(measures):
        return (f"<h2>{heading}</h2><p>No {'trained' if kind == TRAINED else 'untrained'} outcome was measured: "
                "every outcome task is " + ("untrained." if kind == TRAINED else "also trained by an arm.") + "</p>")
    visits = [v.name for v in results.data.study.config.schedule.visits]
    parts = [f"<h2>{heading}</h2>",
             "<p>Fixed-difficulty measures at the assessment visits. <i>Change</i> is the visit minus baseline "
             "per participant. Hedges' g compares the arms' changes (arm minus reference, in SD units); "
             "<i>favours</i> reads g with the measure's direction and names no arm when its CI includes 0.</p>"]
    for measure in measures:
        own = _people(results, summary[summary["measure"] == measure])
        own.loc[own["visit"] == visits[0].replace("_", " "), ["change_mean", "change_ci_low", "change_ci_high"]] = math.nan
        parts.append(f"<h3>{html.escape(title(measure))}</h3>")
        parts.append(figures.img(outcome_figure(summary, measure, results.labels, visits), f"outcome_{measure}",
                                 title(measure)))
        parts.append(_table(own, {"visit": "Visit", "arm": "Arm", "n": "n", "mean": "Mean", "ci_low..ci_high": "95 % CI",
                                  "change_mean": "Change from baseline", "change_ci_low..change_ci_high": "95 % CI"},
                            "Values and change from baseline"))
        effects = _people(results, results.effects[results.effects["measure"] == measure])
        parts.append(_table(effects, {"visit": "Visit", "arm": "Arm", "reference": "vs", "difference":
                                      "Difference in change", "diff_ci_low..diff_ci_high": "95 % CI", "p": "p",
                                      "g": "Hedges' g", "g_ci_low..g_ci_high": "95 % CI of g",
                                      "favours": "Favours"}, "Between-arm difference in change"))
        fit = results.outcome_models.get(measure)
        if fit is not None:
            parts.append("<p>Group × time: the <i>visit × arm</i> terms are the arm's extra change from baseline "
                         "compared with the reference arm's.</p>")
            parts.append(_model_sentence(results, measure, fit, "units"))
            parts.append(_model_table(results, fit))
    return "".join(parts)


def _responder_section(results: Results) -> str:
    table = results.responder_summary
    if table.empty:
        return "<h2>Reliable change</h2><p>No outcome has a later visit to compare with baseline yet.</p>"
    table = _people(results, table)
    references = "".join(f"<li><b>{html.escape(m)}</b>, {html.escape(v)}: {html.escape(r)}</li>"
                         for m, v, r in table.drop_duplicates(["measure", "visit"])[["measure", "visit", "rci_reference"]]
                         .itertuples(index=False))
    return ("<h2>Reliable change: responders per arm</h2>"
            "<p>A participant changed reliably when the Reliable Change Index (Jacobson &amp; Truax, 1991) exceeds "
            "1.96 in size: <i>improved</i> in the measure's better direction, <i>declined</i> in the other. "
            "References used (<i>sample-based</i> = estimated from this study's own data, not published norms; "
            "with small samples they are imprecise; empty counts: the RCI could not be computed, for the "
            "reason given):</p>"
            f"<ul>{references}</ul>"
            + _table(table, {"measure": "Measure", "visit": "Visit", "arm": "Arm", "n": "n", "improved": "Improved",
                             "no_reliable_change": "No reliable change", "declined": "Declined",
                             "pct_improved": "% improved"}))


def _dose_section(results: Results, figures: _Figures) -> str:
    if results.dose_points.empty:
        return "<h2>Dose and response</h2><p>No outcome has a later visit yet.</p>"
    parts = ["<h2>Dose and response</h2>",
             "<p>Minutes of training (all training sessions) against change from baseline at the "
             f"{html.escape(str(results.dose_points['visit'].iloc[0]))} visit, per arm, with Spearman's rank "
             "correlation. This is an association between people who trained more and their change, not an "
             "effect of the dose.</p>"]
    parts.append("<div class='grid'>" + "".join(
        figures.img(dose_figure(results.dose_points, measure, results.labels), f"dose_{measure}", title(measure))
        for measure in results.dose_points["measure"].unique()) + "</div>")
    table = _people(results, results.dose_table)
    parts.append(_table(table, {"measure": "Measure", "arm": "Arm", "n": "n", "spearman_rho": "Spearman's rho",
                                "p": "p"}))
    return "".join(parts)


def _methods(results: Results) -> str:
    warnings = results.data.warnings
    shown = "".join(f"<li>{html.escape(w)}</li>" for w in warnings[:30])
    more = f"<li>... and {len(warnings) - 30} more (warnings.txt)</li>" if len(warnings) > 30 else ""
    files = "".join(f"<li>{html.escape(p.name)}</li>" for p in results.tables)
    return ("<h2>Methods</h2><ul>"
            "<li>Means: 95 % CI from the t distribution (mean ± t<sub>.975, n−1</sub> · SD / √n).</li>"
            "<li>Hedges' g: the difference of mean changes over the pooled SD, times J = 1 − 3 / (4(n₁ + n₂) − 9); "
            "its 95 % CI is g ± 1.96 · SE (Hedges &amp; Olkin, 1985). The raw difference has Welch's 95 % CI and "
            "p.</li>"
            "<li>Mixed models: statsmodels MixedLM fitted by REML; CIs are Wald intervals. A random-slope model "
            "that does not converge is refitted with random intercepts only, and the report says so.</li>"
            "<li>Only complete sessions count as sessions done and enter the analysis; minutes are "
            "active task time (waits and breaks left out), interrupted sessions included.</li></ul>"
            f"<h3>Files</h3><ul>{files}</ul>"
            + (f"<h3>Warnings while reading</h3><ul class='warnings'>{shown}{more}</ul>" if warnings else ""))
