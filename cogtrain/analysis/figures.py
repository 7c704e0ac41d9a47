"""Figures of the group report: trajectories, outcomes by visit and dose-response, per arm.

Axes have meaningful ranges: proportions run from 0 to 1, levels get whole
numbers, and other measures at least a minimum visible span per unit, so that
a small difference never fills the plot. Titles state the direction of the
measure. Arms are told apart by colour (Okabe & Ito) and marker.
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

from cogtrain.analysis.tables import direction_text, metric  # noqa: E402
from cogtrain.scoring.report.charts import OKABE_ITO  # noqa: E402

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
STYLE = {
    "font.size": 15, "axes.titlesize": 16, "axes.labelsize": 15, "xtick.labelsize": 13,
    "ytick.labelsize": 13, "legend.fontsize": 13, "axes.spines.top": False, "axes.spines.right": False,
    "svg.fonttype": "none", "figure.dpi": 100, "axes.axisbelow": True,
}

#: Smallest y span shown per unit, so that noise does not look like change.
MIN_SPAN = {"n": 2.0, "minimum moves": 2.0, "moves": 2.0, "words": 4.0, "count": 4.0, "s": 1.0,
            "z units": 1.0}
#: Units drawn with whole-number ticks.
INTEGER_UNITS = {"n", "minimum moves", "words", "count"}


def _axis_label(measure: str, change: bool = False) -> str:
    declared = metric(measure)
    text = f"{declared.label} ({declared.unit})" if declared.unit else declared.label
    return f"Change from baseline: {text}" if change else text


def title(measure: str) -> str:
    """The measure's name and direction, e.g. "Sensitivity d' (higher is better)"."""
    return f"{metric(measure).label} ({direction_text(measure)})"


def value_axis(ax, measure: str, low: float, high: float, change: bool = False) -> None:
    """Set a meaningful y range: 0-1 for proportions (change: -1 to 1), else at least the unit's span."""
    unit = metric(measure).unit
    if unit == "proportion":
        ax.set_ylim((-1.02, 1.02) if change else (-0.02, 1.02))
        return
    low, high = (0.0, 0.0) if not np.isfinite([low, high]).all() else (low, high)
    if change:
        low, high = min(low, 0.0), max(high, 0.0)
    span = max(high - low, MIN_SPAN.get(unit, 0.2 * max(abs(low), abs(high), 1.0)))
    middle = (low + high) / 2
    ax.set_ylim(middle - 0.55 * span, middle + 0.55 * span)
    if unit in INTEGER_UNITS:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _figure(width: float = 8.0, height: float = 4.6) -> tuple[Figure, object]:
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height))
        ax = fig.subplots()
    fig.subplots_adjust(left=1.0 / width, right=0.97, bottom=0.8 / height, top=1 - 0.5 / height)
    return fig, ax


def trajectory_figure(table: pd.DataFrame, measure: str, labels: dict[str, str]) -> Figure:
    """Mean and 95 % CI per training session, one line per arm."""
    fig, ax = _figure()
    data = table[table["measure"] == measure]
    with matplotlib.rc_context(STYLE):
        for i, arm in enumerate(labels):
            own = data[data["arm"] == arm].sort_values("training_session")
            if own.empty:
                continue
            x = own["training_session"].to_numpy() + (i - (len(labels) - 1) / 2) * 0.08
            ax.errorbar(x, own["mean"], yerr=[own["mean"] - own["ci_low"], own["ci_high"] - own["mean"]],
                        marker=MARKERS[i], markersize=7, linewidth=2.5, capsize=4, color=OKABE_ITO[i],
                        label=f"{labels[arm]} (n={int(own['n'].max())})")
        ax.set_title(title(measure))
        ax.set_xlabel("Training session")
        ax.set_ylabel(_axis_label(measure))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        value_axis(ax, measure, data["ci_low"].min(skipna=True), data["ci_high"].max(skipna=True))
        ax.grid(axis="y", color="#DDDDDD")
        ax.legend(frameon=False, loc="best")
    return fig


def outcome_figure(summary: pd.DataFrame, measure: str, labels: dict[str, str], visits: list[str]) -> Figure:
    """Mean and 95 % CI at each visit, one line per arm."""
    fig, ax = _figure(width=7.0)
    data = summary[summary["measure"] == measure]
    with matplotlib.rc_context(STYLE):
        for i, arm in enumerate(labels):
            own = data[data["arm"] == arm].set_index("visit").reindex(visits).dropna(subset=["mean"])
            if own.empty:
                continue
            x = np.array([visits.index(v) for v in own.index]) + (i - (len(labels) - 1) / 2) * 0.06
            ax.errorbar(x, own["mean"], yerr=[own["mean"] - own["ci_low"], own["ci_high"] - own["mean"]],
                        marker=MARKERS[i], markersize=8, linewidth=2.5, capsize=5, color=OKABE_ITO[i],
                        label=labels[arm])
        ax.set_xticks(range(len(visits)), [v.replace("_", " ") for v in visits])
        ax.set_xlim(-0.4, len(visits) - 0.6)
        ax.set_title(title(measure))
        ax.set_xlabel("Assessment visit")
        ax.set_ylabel(_axis_label(measure))
        value_axis(ax, measure, data["ci_low"].min(skipna=True), data["ci_high"].max(skipna=True))
        ax.grid(axis="y", color="#DDDDDD")
        ax.legend(frameon=False, loc="best")
    return fig


def dose_figure(points: pd.DataFrame, measure: str, labels: dict[str, str]) -> Figure:
    """Minutes of training against change from baseline, one colour and marker per arm."""
    fig, ax = _figure(width=7.0)
    data = points[points["measure"] == measure]
    with matplotlib.rc_context(STYLE):
        for i, arm in enumerate(labels):
            own = data[data["arm"] == arm]
            ax.plot(own["training_minutes"], own["change"], MARKERS[i], markersize=8, color=OKABE_ITO[i],
                    label=labels[arm], alpha=0.85)
        ax.axhline(0, color="#888888", linewidth=1)
        ax.set_title(title(measure))
        ax.set_xlabel("Minutes of training")
        ax.set_ylabel(_axis_label(measure, change=True))
        value_axis(ax, measure, data["change"].min(skipna=True), data["change"].max(skipna=True), change=True)
        low, high = data["training_minutes"].min(), data["training_minutes"].max()
        pad = max(0.1 * (high - low), 5.0) if np.isfinite([low, high]).all() else 5.0
        ax.set_xlim(max(0.0, low - pad) if np.isfinite(low) else 0.0, high + pad if np.isfinite(high) else 10.0)
        ax.grid(axis="y", color="#DDDDDD")
        ax.legend(frameon=False, loc="best")
    return fig


def save_figure(fig: Figure, folder: Path, stem: str) -> tuple[str, list[Path]]:
    """Save ``fig`` as ``<stem>.png`` and ``<stem>.svg`` in ``folder``; return the PNG as base64 and the paths."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    png = folder / f"{stem}.png"
    png.write_bytes(buffer.getvalue())
    svg = folder / f"{stem}.svg"
    fig.savefig(svg, format="svg")
    return base64.b64encode(buffer.getvalue()).decode("ascii"), [png, svg]
