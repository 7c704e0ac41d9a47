"""N-back: working-memory training with adaptive n, single or dual (position + letter).

Jaeggi, Buschkuehl, Jonides & Perrig (2008). Improving fluid intelligence with
training on working memory. PNAS 105(19):6829-6833.
"""
from pathlib import Path

from cogtrain.task import TaskSpec

from .config import NbackSettings
from .declarations import COLUMNS, CURVES, METRICS
from .logic import NbackSession, columns
from .metrics import curves, metrics

TASK = TaskSpec(
    name="nback",
    title="N-back",
    domain="working_memory",
    settings_model=NbackSettings,
    defaults=Path(__file__).with_name("defaults.yaml"),
    log_columns=columns,
    session=NbackSession,
    view="cogtrain.tasks.nback.view:NbackView",
    simulator="cogtrain.tasks.nback.simulate:NbackSimulator",
    compute_metrics=metrics,
    compute_curves=curves,
    metrics=METRICS,
    columns=COLUMNS,
    curves=CURVES,
)
