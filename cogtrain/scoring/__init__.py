"""Scoring across sessions, clinician reports and standard exports.

Reads only the files of a data folder (design §4) and never imports psychopy.
The command line calls :func:`score_study` and :func:`export_study`.
"""
from cogtrain.scoring.export import ExportResult, export_study
from cogtrain.scoring.study import ScoreResult, score_study

__all__ = ["ExportResult", "ScoreResult", "export_study", "score_study"]
