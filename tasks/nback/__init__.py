"""N-back: working-memory training with adaptive n, single or dual (position + letter).

Jaeggi, Buschkuehl, Jonides & Perrig (2008). Improving fluid intelligence with
training on working memory. PNAS 105(19):6829-6833.
"""
from pathlib import Path

from cogtrain.task import TaskSpec

from .config import NbackSettings
from .logic import NbackRun, columns
from .metrics import METRIC_NAMES, curves, metrics

TASK = TaskSpec(
    name="nback",
    title="N-back",
    domain="working_memory",
    settings_model=NbackSettings,
    defaults=Path(__file__).with_name("defaults.yaml"),
    columns=columns,
    run=NbackRun,
    view="cogtrain.tasks.nback.view:NbackView",
    simulator="cogtrain.tasks.nback.simulate:NbackSimulator",
    metrics=metrics,
    curves=curves,
    metric_names=METRIC_NAMES,
)
