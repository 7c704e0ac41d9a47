"""Figures of the clinician report (matplotlib, Agg backend, no pyplot state).

Colours are the Okabe & Ito (2008) colour-blind-safe palette; lines also
differ by marker so they are told apart in grey print. Fonts are large.
"""
from __future__ import annotations

import base64
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from cogtrain.scoring.labels import COMPOSITE, domain_label  # noqa: E402
from cogtrain.task import Curve, Metric  # noqa: E402

#: Okabe & Ito (2008), darkest first so the first lines contrast most on white.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
GREY = "#BBBBBB"
#: y-axis text for a metric's unit (the metric's name is the panel title).
AXIS_UNITS = {"s": "Time (s)", "proportion": "Proportion (0-1)", "count": "Count",
              "moves": "Moves", "minimum moves": "Minimum moves", "z units": "z units"}
STYLE = {
    "font.size": 15, "axes.titlesize": 16, "axes.labelsize": 15, "xtick.labelsize": 13,
    "ytick.labelsize": 13, "legend.fontsize": 13, "axes.spines.top": False, "axes.spines.right": False,
    "svg.fonttype": "none", "figure.dpi": 100, "axes.axisbelow": True,
}


def _figure(panels: int, height: float = 4.2, width: float | None = None) -> tuple[Figure, list]:
    # Fixed margins: a constrained layout would double the drawing time.
    width = width or min(5.2 * panels, 15.6)
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height))
        axes = fig.subplots(1, panels, squeeze=False)[0]
    fig.subplots_adjust(left=0.9 / width * (1.0 if panels > 1 else 1.1), right=0.98, bottom=0.75 / height,
                        top=1 - 0.45 / height, wspace=0.45)
    return fig, list(axes)


def _session_axis(ax, sessions: np.ndarray) -> None:
    ax.set_xlabel("Session number")
    ax.set_xticks(sessions if len(sessions) <= 12 else np.unique(np.linspace(sessions.min(), sessions.max(), 10)
                                                                 .round().astype(int)))
    ax.grid(axis="y", color="#DDDDDD")


def progress_figure(scores: pd.DataFrame, task: str, metrics: list[Metric]) -> Figure:
    """Selected metrics of one task over sessions, one panel per metric.

    Parameters
    ----------
    scores : pandas.DataFrame
        One participant's session scores (session, task, metric, value).
    task : str
        The task.
    metrics : list of Metric
        Declarations of the metrics to plot (those present).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = _figure(len(metrics))
    with matplotlib.rc_context(STYLE):
        for i, (ax, metric) in enumerate(zip(axes, metrics)):
            data = scores[(scores["task"] == task) & (scores["metric"] == metric.name)].sort_values("session")
            ax.plot(data["session"], data["value"], marker=MARKERS[i % 8], markersize=8, linewidth=2.5,
                    color=OKABE_ITO[i % 8])
            ax.set_title(metric.label)
            ax.set_ylabel(AXIS_UNITS.get(metric.unit, metric.unit) or metric.label)
            _session_axis(ax, data["session"].to_numpy())
            if task == COMPOSITE:
                ax.axhline(0, color=GREY, linewidth=1)
    return fig


def composite_figure(scores: pd.DataFrame) -> Figure:
    """Domain composites (z against the first session) over sessions, one line per domain."""
    fig, (ax,) = _figure(1, height=4.6, width=9)
    with matplotlib.rc_context(STYLE):
        data = scores[scores["task"] == COMPOSITE]
        for i, (domain, own) in enumerate(data.groupby("metric")):
            own = own.sort_values("session")
            ax.plot(own["session"], own["value"], marker=MARKERS[i % 8], markersize=8, linewidth=2.5,
                    color=OKABE_ITO[i % 8], label=domain_label(domain))
        ax.axhline(0, color=GREY, linewidth=1)
        ax.set_ylabel("Composite (z vs first session)")
        ax.legend(frameon=False, loc="best")
        _session_axis(ax, np.sort(data["session"].unique()))
    return fig


def level_figure(curves: pd.DataFrame, curve: Curve) -> Figure:
    """A difficulty track (``curve.track`` is what one x step is) over all sessions in order, sessions
    shaded alternately."""
    fig, (ax,) = _figure(1, height=4.4, width=12)
    with matplotlib.rc_context(STYLE):
        data = curves.sort_values(["session", "x"]).reset_index(drop=True)
        position = np.arange(1, len(data) + 1)
        ax.step(position, data["value"], where="mid", color=OKABE_ITO[0], linewidth=2.5)
        ax.plot(position, data["value"], "o", color=OKABE_ITO[0], markersize=5)
        starts = data.groupby("session").head(1).index.to_numpy()
        ends = np.append(starts[1:], len(data))
        for k, (a, b) in enumerate(zip(starts, ends)):
            if k % 2:
                ax.axvspan(a + 0.5, b + 0.5, color="#F2F2F2", zorder=0)
        sessions = data["session"].iloc[starts].to_numpy()
        shown = np.unique(np.linspace(0, len(starts) - 1, min(len(starts), 12)).round().astype(int))
        ax.set_xticks((starts[shown] + ends[shown]) / 2 + 0.5, [str(s) for s in sessions[shown]])
        ax.set_xlabel(f"Session number ({curve.track or 'points'} in order)")
        ax.set_ylabel(curve.y_label)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color="#DDDDDD")
    return fig


def curves_figure(curves: pd.DataFrame, names: list[Curve]) -> Figure:
    """Within-session curves (e.g. serial position), one panel per curve.

    The first and the last session are drawn in colour, the sessions between in grey.

    Parameters
    ----------
    curves : pandas.DataFrame
        One participant's curves of one task (session, curve, x, value).
    names : list of Curve
        Declarations of the curves to draw, in order.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = _figure(len(names), height=4.6, width=min(max(9.0, 5.2 * len(names)), 15.6))
    sessions = np.sort(curves["session"].unique())
    with matplotlib.rc_context(STYLE):
        for ax, curve in zip(axes, names):
            for session, own in curves[curves["curve"] == curve.name].groupby("session"):
                own = own.sort_values("x")
                if session in (sessions[0], sessions[-1]):
                    i = 0 if session == sessions[0] else 1
                    ax.plot(own["x"], own["value"], marker=MARKERS[i], markersize=7, linewidth=2.5,
                            color=OKABE_ITO[i], label=f"Session {session}" + (" (first)" if i == 0 else " (last)"),
                            zorder=3)
                else:
                    ax.plot(own["x"], own["value"], color=GREY, linewidth=1.2, zorder=1)
            ax.set_xlabel(curve.x_label)
            ax.set_ylabel(curve.y_label)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(axis="y", color="#DDDDDD")
        if len(sessions) > 2:
            axes[0].plot([], [], color=GREY, linewidth=1.2, label="Sessions between")
        fig.legend(*axes[0].get_legend_handles_labels(), loc="upper center", ncol=3, frameon=False)
        fig.subplots_adjust(top=1 - 0.6 / fig.get_figheight())
    return fig


def dose_figure(sessions: pd.DataFrame, plan_per_week: float, plan_minutes: float) -> Figure:
    """Sessions per week, minutes per session and fatigue ratings, with the plan as dashed lines."""
    fig, axes = _figure(3)
    with matplotlib.rc_context(STYLE):
        ax = axes[0]
        weeks = sessions.dropna(subset=["week"])
        counts = weeks.assign(complete=weeks["status"] == "complete").groupby("week")["complete"].agg(["sum", "size"])
        ax.bar(counts.index, counts["size"], color=GREY, label="Started")
        ax.bar(counts.index, counts["sum"], color=OKABE_ITO[0], label="Completed")
        if plan_per_week == plan_per_week:
            ax.axhline(plan_per_week, color=OKABE_ITO[1], linestyle="--", linewidth=2, label="Planned")
        ax.set_ylim(0, 1.5 * _top(plan_per_week, counts["size"].max() if len(counts) else 1))
        ax.set_xlabel("Week of training")
        ax.set_ylabel("Sessions per week")
        ax.set_title("Sessions")
        if len(counts) <= 12:
            ax.set_xticks(counts.index)
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(frameon=False, loc="upper left", ncol=3, fontsize=11)
        ax = axes[1]
        ax.bar(sessions["session"], sessions["minutes"], color=OKABE_ITO[2])
        if plan_minutes == plan_minutes:
            ax.axhline(plan_minutes, color=OKABE_ITO[1], linestyle="--", linewidth=2, label="Planned")
            ax.legend(frameon=False, loc="upper left", fontsize=11)
        ax.set_ylim(0, 1.3 * _top(plan_minutes, sessions["minutes"].max()))
        ax.set_ylabel("Minutes trained")
        ax.set_title("Minutes per session")
        _session_axis(ax, sessions["session"].to_numpy())
        ax = axes[2]
        ax.plot(sessions["session"], sessions["fatigue_mean"], marker="o", markersize=8, linewidth=2.5,
                color=OKABE_ITO[3], label="Mean")
        ax.plot(sessions["session"], sessions["fatigue_max"], marker="^", markersize=8, linewidth=0,
                color=OKABE_ITO[1], label="Highest")
        ax.set_ylim(0, 12.5)
        ax.set_yticks(range(0, 11, 2))
        ax.set_ylabel("Fatigue rating (0-10)")
        ax.set_title("Fatigue")
        ax.legend(frameon=False, loc="upper left", ncol=2, fontsize=11)
        _session_axis(ax, sessions["session"].to_numpy())
    return fig


def _top(*values: float) -> float:
    """Largest finite value, at least 1 (for axis limits)."""
    finite = [float(v) for v in values if v == v and v is not None]
    return max(finite + [1.0])


def save_figure(fig: Figure, folder: Path, stem: str) -> tuple[str, list[Path]]:
    """Save ``fig`` as PNG and SVG and return the PNG as base64 for embedding.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    folder : Path
        Where ``<stem>.png`` and ``<stem>.svg`` are written.
    stem : str
        File name without extension.

    Returns
    -------
    tuple
        Base64 text of the PNG, and the two paths written.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    png = folder / f"{stem}.png"
    png.write_bytes(buffer.getvalue())
    svg = folder / f"{stem}.svg"
    fig.savefig(svg, format="svg")
    return base64.b64encode(buffer.getvalue()).decode("ascii"), [png, svg]
