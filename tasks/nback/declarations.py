"""What the n-back task reports and logs: metrics, log columns and curves (docs/data-format.md)."""
from __future__ import annotations

from cogtrain.task import Column, Curve, Metric

from .config import N_MAX, N_MIN

LEVELS = (N_MIN, N_MAX)

BINARY = {"0": "no", "1": "yes"}
MODALITIES = {"position": "position", "letter": "letter"}

METRICS: tuple[Metric, ...] = (
    Metric("mean_n_level", "Mean n-back level", "n", "higher",
           "Mean n of the session's scored blocks (the adaptive level).", composite=True, progress=True,
           bounds=LEVELS, integer=True),
    Metric("max_n_level", "Highest n-back level", "n", "higher",
           "Highest n of the session's scored blocks.", progress=True, bounds=LEVELS, integer=True),
    Metric("hit_rate", "Hit rate", "proportion", "higher",
           "Targets answered with the match key, over targets (all modalities pooled)."),
    Metric("fa_rate", "False-alarm rate", "proportion", "lower",
           "Non-targets answered with the match key, over non-targets."),
    Metric("dprime", "Sensitivity d'", "z units", "higher",
           "z(hit rate) - z(false-alarm rate) with the log-linear correction (Hautus, 1995).",
           composite=True, progress=True),
    Metric("criterion", "Criterion c", "z units", "neither",
           "-(z(hit rate) + z(false-alarm rate)) / 2, log-linear correction; response bias."),
    Metric("accuracy", "Accuracy", "proportion", "higher",
           "Decisions (respond or withhold, per modality) that were correct."),
    Metric("mean_rt_hits_s", "Mean RT on hits", "s", "lower",
           "Mean response time of hits; empty for a session without hits.", composite=True),
)

_MODALITY_COLUMNS = (
    ("stimulus", "stimulus", "Stimulus shown in the {m} modality (a letter, or a cell of the 3x3 grid numbered 0-8 row by row; the centre, 4, is never used).", "", {}),
    ("is_target", "target", "1 when the {m} stimulus matches the one n trials back.", "", BINARY),
    ("is_lure", "lure", "1 when the {m} stimulus matches one at a lag other than n (a lure).", "", BINARY),
    ("responded", "response", "1 when the participant pressed the {m} match key.", "", BINARY),
    ("rt_s", "response time", "Time from onset to the {m} match key press; empty without a press.", "s", {}),
)

COLUMNS: tuple[Column, ...] = (
    Column("n_level", "n-back level", "n of the block (how many items back to compare).", "n"),
    *(Column(f"{m}_{field}", f"{m.title()} {label}", text.format(m=m), unit, levels)
      for m in MODALITIES for field, label, text, unit, levels in _MODALITY_COLUMNS),
)

CURVES: tuple[Curve, ...] = (
    Curve("n_level", "n-back level by block", "Block", "n-back level (n)", track="blocks", bounds=LEVELS,
          integer=True),
)
