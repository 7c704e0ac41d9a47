"""Scoring across sessions, clinician reports and standard exports.

Reads only the files of a data folder (docs/data-format.md) and never imports psychopy.
The command line calls :func:`score_study` and :func:`export_study`. They are
imported on first use, so that ``cogtrain.scoring.reliable`` (the config
model of the ``reliable_change`` key) loads without matplotlib.
"""
from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {
    "score_study": "cogtrain.scoring.study",
    "ScoreResult": "cogtrain.scoring.study",
    "export_study": "cogtrain.scoring.export",
    "ExportResult": "cogtrain.scoring.export",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
