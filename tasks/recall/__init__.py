"""Word-list free recall: verbal-memory training with typed recall, tolerant scoring,
learning trials, delayed recall, optional recognition and alternate forms.

Procedure after the free-recall paradigm of the Penn Electrophysiology of Encoding
and Retrieval Study (Healey & Kahana, 2014) and, for repeated learning trials and
delayed recall, the California Verbal Learning Test (Delis et al., 2000) — with an
openly licensed word pool, never the proprietary test lists.
"""
from pathlib import Path

from cogtrain.task import TaskSpec

from .config import RecallSettings
from .declarations import COLUMNS, CURVES, METRICS
from .export import PSIFR
from .logic import RecallSession, columns
from .metrics import curves, metrics

TASK = TaskSpec(
    name="recall",
    title="Word lists",
    domain="verbal_memory",
    settings_model=RecallSettings,
    defaults=Path(__file__).with_name("defaults.yaml"),
    log_columns=columns,
    session=RecallSession,
    view="cogtrain.tasks.recall.view:RecallView",
    simulator="cogtrain.tasks.recall.simulate:RecallSimulator",
    compute_metrics=metrics,
    compute_curves=curves,
    metrics=METRICS,
    columns=COLUMNS,
    curves=CURVES,
    exports=(PSIFR,),
    sim_ability=10.0,
)
